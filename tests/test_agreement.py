"""``repaycli agreement`` and ``repaycli pay``, and the ledger that applies payments."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from repaycli.cli import app
from repaycli.core.ledger import InstallmentStatus, Owed, apply_payment, status

runner = CliRunner()


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-03-01")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def add(*args: str) -> dict[str, object]:
    code, out, err = run("agreement", "add", "--no-input", "--json", *args)
    assert code == 0, err
    agreement: dict[str, object] = json.loads(out)["agreement"]
    return agreement


MANUAL = ["--platform", "huabei", "--first-due", "2026-01-31"]


def test_even_split_keeps_month_ends_and_sums_exactly() -> None:
    agreement = add(*MANUAL, "--total", "1000", "--periods", "3")
    assert [(s["due"], s["amount"], s["status"]) for s in agreement["schedule"]] == [  # type: ignore[index]
        ("2026-01-31", "333.33", "overdue"),
        ("2026-02-28", "333.33", "overdue"),
        ("2026-03-31", "333.34", "due"),
    ]
    assert agreement["total"] == "1000.00" and agreement["balance"] == "1000.00"
    assert sorted(agreement) == sorted(
        [
            "id", "recorded_at", "platform", "total", "periods", "first_due", "log_entry",
            "source", "paid", "balance", "overpaid", "finished", "next_due", "overdue",
            "schedule", "payments", "void_reason",
        ]
    )  # fmt: skip


def test_equal_payment_and_explicit_amounts() -> None:
    a = add(*MANUAL, "--total", "1万", "--periods", "3", "--payment", "3,500")
    assert [s["amount"] for s in a["schedule"]] == ["3500.00", "3500.00", "3000.00"]  # type: ignore[index]
    b = add(*MANUAL, "--periods", "2", "--payment", "800")
    assert b["total"] == "1600.00"
    c = add(*MANUAL, "--amounts", "500 500;2000")
    assert [s["amount"] for s in c["schedule"]] == ["500.00", "500.00", "2000.00"]  # type: ignore[index]
    assert c["periods"] == 3


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--total", "-5", "--periods", "3"], "Error: total agreed: -5 is negative; give the "
         "amount as a positive number such as 8000"),
        (["--total", "1000", "--periods", "0"], "Error: number of installments: 0 must be "
         "between 1 and 120"),
        (["--total", "1000", "--periods", "3", "--first-due", "2026-02-30"], "Error: first due "
         "date: 2026-02-30 is not a real date (check the month and day)"),
        (["--total", "1000", "--periods", "3", "--platform", "nowhere"], "Error: unknown "
         "platform nowhere; did you mean: Other lender? ('repaycli platforms' lists all)"),
        (["--amounts", "100,200,300"], "Error: --amounts: 100,200,300 is ambiguous; separate "
         "the installments with spaces or semicolons (\"1000 1000 2000\")"),
        (["--amounts", "100 200", "--total", "400"], "Error: --total 400.00 does not match the "
         "sum of --amounts (300.00)"),
        (["--periods", "3", "--payment", "600", "--total", "1000"], "Error: --payment 600.00 "
         "times (periods - 1) already reaches the total 1000.00; lower --periods or --payment"),
        (["--total", "1000", "--periods", "3", "--log", "4"], "Error: there is no log entry 4; "
         "'repaycli log list' shows the ids"),
        (["--total", "1000"], "Error: a value is missing; give it with --periods (or run "
         "without --no-input to be asked)"),
    ],
)  # fmt: skip
def test_bad_input_one_line_exit_2_nothing_written(args: list[str], line: str) -> None:
    base = {"--platform": "huabei", "--first-due": "2026-01-31"}
    full = list(args)
    for flag, value in base.items():
        if flag not in full:
            full += [flag, value]
    code, out, err = run("agreement", "add", "--no-input", *full)
    assert (code, out, err) == (2, "", line + "\n")
    assert json.loads(run("agreement", "list", "--json")[1])["agreements"] == []


def test_pay_partial_then_over_then_refused() -> None:
    add(*MANUAL, "--total", "1000", "--periods", "3")
    code, out, _ = run("pay", "1", "--amount", "500", "--receipt", "支付宝 2026030122001")
    assert code == 0
    assert out == (
        "Payment #1 of ¥500.00 recorded for agreement #1.\n"
        "  Installment 1 (due 2026-01-31): ¥333.33 applied, now paid in full.\n"
        "  Installment 2 (due 2026-02-28): ¥166.67 applied, ¥166.66 still to pay.\n"
        "Balance left ¥500.00; next installment due 2026-02-28.\n"
    )
    code, out, _ = run("pay", "1", "--amount", "600", "--date", "2026-02-27", "--json")
    data = json.loads(out)
    assert sorted(data) == ["agreement", "payment", "schema_version"]
    assert data["payment"] == {
        "id": 2,
        "agreement_id": 1,
        "paid_on": "2026-02-27",
        "amount": "600.00",
        "applied": "500.00",
        "excess": "100.00",
        "receipt": None,
        "recorded_at": data["payment"]["recorded_at"],
        "allocations": [{"n": 2, "amount": "166.66"}, {"n": 3, "amount": "333.34"}],
        "void_reason": None,
    }
    assert data["agreement"]["finished"] is True and data["agreement"]["overpaid"] == "100.00"
    code, out, err = run("pay", "1", "--amount", "1")
    assert (code, out, err) == (
        2,
        "",
        "Error: agreement 1 is fully paid; a payment on a finished agreement is refused\n",
    )
    code, out, _ = run("agreement", "show", "1")
    assert "finished" in out and "¥100.00 over the balance" in out


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["1", "--amount", "-3"], "Error: amount: -3 is negative; give the amount as a positive "
         "number such as 8000"),
        (["1", "--amount", "0"], "Error: amount: the amount must be more than 0"),
        (["1", "--amount", "10", "--date", "+2d"], "Error: --date: +2d is in the future; record a "
         "payment once it is made"),
        (["9", "--amount", "10"], "Error: there is no agreement 9; 'repaycli agreement list' "
         "shows the ids"),
    ],
)  # fmt: skip
def test_pay_bad_input(args: list[str], line: str) -> None:
    add(*MANUAL, "--total", "1000", "--periods", "3")
    code, out, err = run("pay", *args)
    assert (code, out, err) == (2, "", line + "\n")
    assert json.loads(run("agreement", "show", "1", "--json")[1])["agreement"]["payments"] == []


PLAN = {
    "schema_version": 1,
    "proposals": [
        {
            "id": "installments-12",
            "platform": "jiebei",
            "periods": 3,
            "payment": "400.00",
            "total": "1200.00",
            "schedule": [
                {"n": 1, "due": "2026-04-15", "amount": "400.00"},
                {"n": 2, "due": "2026-05-15", "amount": "400.00"},
                {"n": 3, "due": "2026-06-15", "amount": "400.00"},
            ],
        }
    ],
}


def test_from_plan_takes_the_saved_schedule(tmp_path: Path) -> None:
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps({"plans": [PLAN]}), encoding="utf-8")
    code, _, _ = run(
        "log", "add", "--no-input", "--platform", "jiebei", "--channel", "phone",
        "--outcome", "agreed",
    )  # fmt: skip
    assert code == 0
    a = add("--from-plan", str(saved), "--proposal", "installments-12", "--log", "1")
    assert (a["platform"], a["total"], a["source"], a["log_entry"]) == (
        "jiebei",
        "1200.00",
        "plan:installments-12",
        1,
    )
    assert [s["due"] for s in a["schedule"]] == ["2026-04-15", "2026-05-15", "2026-06-15"]  # type: ignore[index]
    moved = add("--from-plan", str(saved), "--proposal", "installments-12", "--first-due", "+1m")
    assert moved["first_due"] == "2026-04-01"
    code, _, err = run("agreement", "add", "--from-plan", str(saved), "--proposal", "x")
    assert (code, err) == (
        2,
        "Error: there is no proposal x in the plan file; it has: installments-12\n",
    )
    code, _, err = run("agreement", "add", "--from-plan", str(saved))
    assert err == "Error: choose a proposal with --proposal; the file has: installments-12\n"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run("agreement", "add", "--from-plan", str(bad), "--proposal", "x")
    assert (code, err) == (
        2,
        f"Error: {bad} is not saved 'repaycli plan --json' output with proposals\n",
    )


def test_list_and_chinese() -> None:
    add(*MANUAL, "--total", "1000", "--periods", "3")
    code, out, _ = run("--lang", "zh", "agreement", "list")
    assert code == 0 and "还款协议" in out and "已逾期" in out
    code, _, err = run("--lang", "zh", "pay", "3", "--amount", "1")
    assert err == "错误：没有编号为 3 的协议；'repaycli agreement list' 可查看编号\n"


# --- the ledger, pure -------------------------------------------------------------------------

owed_lists = st.lists(
    st.tuples(st.integers(0, 10**7), st.integers(0, 10**7)), min_size=1, max_size=24
).map(
    lambda rows: [Owed(n=i + 1, amount_fen=a, paid_fen=min(p, a)) for i, (a, p) in enumerate(rows)]
)


@given(owed_lists, st.integers(1, 10**9))
def test_payment_always_sums_and_never_overpays_an_installment(
    owed: list[Owed], amount: int
) -> None:
    result = apply_payment(owed, amount)
    assert result.applied_fen + result.excess_fen == amount
    assert result.excess_fen >= 0
    by_n = {o.n: o for o in owed}
    for n, fen in result.allocations:
        assert 0 < fen <= by_n[n].left_fen
    balance = sum(o.left_fen for o in owed)
    assert result.applied_fen == min(amount, balance)
    assert balance - result.applied_fen >= 0
    # earliest first: only the last installment touched may be left unpaid
    touched = [n for n, _ in result.allocations]
    assert touched == sorted(touched)
    for n, fen in result.allocations[:-1]:
        assert fen == by_n[n].left_fen
    unpaid_before = [o.n for o in owed if o.left_fen > 0 and touched and o.n < touched[0]]
    assert unpaid_before == []


def test_status() -> None:
    day = date(2026, 3, 1)
    assert status(amount_fen=100, paid_fen=100, due=date(2026, 1, 1), today=day) == "paid"
    assert status(amount_fen=100, paid_fen=50, due=date(2026, 2, 28), today=day) == "overdue"
    assert status(amount_fen=100, paid_fen=50, due=day, today=day) == InstallmentStatus.PARTIAL
    assert status(amount_fen=100, paid_fen=0, due=day, today=day) == InstallmentStatus.DUE
    with pytest.raises(ValueError):
        apply_payment([], 0)




#: Two equal debts share a proposal id (share-16); the third's (share-15) is its own.
THREE_DEBTS = """income = 3000
[[debt]]
platform = "huabei"
overdue = 6000
annual_rate = "15%"
[[debt]]
platform = "jiebei"
overdue = 6000
annual_rate = "15%"
[[debt]]
platform = "weilidai"
overdue = 1000
annual_rate = "0%"
"""


def _multi_plan(tmp_path: Path) -> Path:
    debts = tmp_path / "debts.toml"
    debts.write_text(THREE_DEBTS, encoding="utf-8")
    code, out, err = run("plan", "--no-input", "--debts", str(debts), "--json")
    assert code == 0, err
    saved = tmp_path / "p.json"
    saved.write_text(out, encoding="utf-8")
    return saved


def _schedule_of(saved: Path, debt: str, proposal: str) -> list[tuple[str, str]]:
    data = json.loads(saved.read_text(encoding="utf-8"))
    (found,) = [
        p for d in data["debts"] if d["id"] == debt for p in d["proposals"] if p["id"] == proposal
    ]
    return [(r["due"], r["amount"]) for r in found["schedule"]]


def _ids(saved: Path) -> dict[str, list[str]]:
    data = json.loads(saved.read_text(encoding="utf-8"))
    return {d["id"]: [p["id"] for p in d["proposals"]] for d in data["debts"]}


def test_from_multi_debt_plan_takes_the_named_debts_proposal(tmp_path: Path) -> None:
    saved = _multi_plan(tmp_path)
    pid = next(p for p in _ids(saved)["huabei"] if "-" in p and p.split("-")[-1].isdigit())
    want = _schedule_of(saved, "huabei", pid)
    qualified = add("--from-plan", str(saved), "--proposal", f"huabei:{pid}")
    by_platform = add("--from-plan", str(saved), "--proposal", pid, "--platform", "花呗")
    for a in (qualified, by_platform):
        assert a["platform"] == "huabei" and a["source"] == f"plan:huabei:{pid}"
        assert [(s["due"], s["amount"]) for s in a["schedule"]] == want  # type: ignore[index]


def test_from_multi_debt_plan_refuses_an_ambiguous_or_mismatched_proposal(tmp_path: Path) -> None:
    saved = _multi_plan(tmp_path)
    ids = _ids(saved)
    every = [p for debt_ids in ids.values() for p in debt_ids]
    shared = next(p for p in every if every.count(p) > 1)
    owners = ", ".join(f"{debt}:{shared}" for debt, debt_ids in ids.items() if shared in debt_ids)
    code, out, err = run("agreement", "add", "--from-plan", str(saved), "--proposal", shared)
    assert (code, out) == (2, "")
    assert err == (
        f"Error: proposal {shared} is in several debts of the plan file; name one: {owners}\n"
    )
    jiebei = ids["jiebei"][0]
    code, out, err = run(
        "agreement", "add", "--from-plan", str(saved), "--proposal", f"jiebei:{jiebei}",
        "--platform", "huabei",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        f"Error: --platform huabei differs from the platform of proposal jiebei:{jiebei} "
        "(jiebei); one debt's schedule cannot be recorded under another platform\n"
    )
    only_weilidai = next(p for p in ids["weilidai"] if p not in ids["huabei"])
    code, _, err = run(
        "agreement", "add", "--from-plan", str(saved), "--proposal", only_weilidai, "--platform",
        "huabei",
    )  # fmt: skip
    assert code == 2 and "(weilidai)" in err
    assert json.loads(run("agreement", "list", "--json")[1])["agreements"] == []


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--from-plan", "{plan}", "--proposal", "installments-12", "--total", "5"],
         "Error: --total cannot be used with --from-plan (the schedule comes from the plan); "
         "leave it out"),
        (["--from-plan", "{plan}", "--proposal", "installments-12", "--periods", "3"],
         "Error: --periods cannot be used with --from-plan (the schedule comes from the plan); "
         "leave it out"),
        (["--from-plan", "{plan}", "--proposal", "installments-12", "--platform", "huabei"],
         "Error: --platform huabei differs from the platform of proposal installments-12 "
         "(jiebei); one debt's schedule cannot be recorded under another platform"),
        (["--platform", "huabei", "--first-due", "2026-04-01", "--amounts", "300 300 400",
          "--payment", "300"],
         "Error: --payment cannot be used with --amounts; give one or the other"),
        (["--platform", "huabei", "--first-due", "2026-04-01", "--total", "0.02", "--periods",
          "3"],
         "Error: the total 0.02 is too small for 3 installments (one would be 0.00); lower "
         "--periods"),
        (["--platform", "huabei", "--first-due", "2026-04-01", "--total", "1000", "--periods",
          "3", "--log", "1"],
         "Error: log entry 1 is about jiebei, not huabei; link the agreement to a contact with "
         "the same platform"),
    ],
)  # fmt: skip
def test_conflicting_options_are_refused(tmp_path: Path, args: list[str], line: str) -> None:
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps(PLAN), encoding="utf-8")
    code, _, _ = run(
        "log", "add", "--no-input", "--platform", "jiebei", "--channel", "phone",
        "--outcome", "agreed",
    )  # fmt: skip
    assert code == 0
    full = [a.replace("{plan}", str(saved)) for a in args]
    code, out, err = run("agreement", "add", "--no-input", *full)
    assert (code, out, err) == (2, "", line + "\n")
    assert json.loads(run("agreement", "list", "--json")[1])["agreements"] == []


def test_prompts_ask_the_total_before_the_number_of_installments() -> None:
    result = runner.invoke(app, ["agreement", "add"], input="huabei\n1000\n3\n2026-04-01\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("Platform: Total agreed: Number of installments: First due date: ")


def test_pay_checks_the_agreement_before_asking_for_the_amount() -> None:
    result = runner.invoke(app, ["pay", "99"], input="100\n")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: there is no agreement 99; 'repaycli agreement list' shows the ids\n",
    )


def test_pay_refuses_a_date_long_before_the_agreement() -> None:
    add(*MANUAL, "--total", "1000", "--periods", "3")
    code, out, err = run("pay", "1", "--amount", "100", "--date", "1999-01-01")
    assert (code, out, err) == (
        2,
        "",
        "Error: --date: 1999-01-01 is more than a year before the agreement's first due date "
        "(2026-01-31); check the date\n",
    )
    assert run("pay", "1", "--amount", "100", "--date", "2025-02-01")[0] == 0
