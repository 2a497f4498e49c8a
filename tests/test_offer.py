"""``repaycli offer``: the FACTS.md vectors, round trips, reference lines, budget and bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import invoke
from repaycli.catalog.lpr import load_lpr_table
from repaycli.cli import app
from repaycli.core.offer import Budget, OfferInput, Terms, evaluate
from repaycli.core.rates import fee_schedule

runner = CliRunner()
TODAY = "2026-01-15"
LOAN = ["offer", "--amount", "99000", "--payment", "8833.30", "--periods", "12"]
CARD = ["offer", "--amount", "10000", "--periods", "12", "--fee-rate", "0.6%"]

#: The JSON keys, locked: names shared with a plan proposal, plus one boolean per line.
OFFER_KEYS = {
    "schema_version",
    "paid_from_cash",
    "settlement",
    "saved",
    "saved_percent",
    "as_of",
    "terms",
    "principal",
    "upfront_fee",
    "received",
    "periods",
    "fee_rate_percent",
    "annual_rate_percent",
    "payment",
    "total",
    "waived",
    "ladder_position",
    "cost",
    "cost_percent",
    "monthly_irr_percent",
    "apr_percent",
    "apr_compound_percent",
    "share_percent",
    "walk_away_monthly",
    "walk_away_after",
    "walk_away_after_from",
    "affordable",
    "above_walk_away",
    "budget_source",
    "lpr_percent",
    "lpr_effective",
    "lpr_source",
    "lpr_before_table",
    "lpr_multiple_percent",
    "above_lpr_multiple",
    "court_line_percent",
    "above_court_line",
    "reference_lines",
    "compared_with_plan",
    "schedule",
}


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def run_error(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def lpr() -> Any:
    return load_lpr_table(None)


# --- the vectors -------------------------------------------------------------------------------


def test_loan_vector_net_principal() -> None:
    data = run_json(*LOAN)
    assert data["payment"] == "8833.30"
    assert data["total"] == "105999.60"
    assert data["apr_percent"] == "12.80"
    assert data["apr_compound_percent"] == "13.58"
    assert data["monthly_irr_percent"] == "1.067"
    assert set(data) == OFFER_KEYS


def test_loan_vector_with_upfront_fee() -> None:
    data = run_json(
        "offer", "--amount", "100000", "--upfront-fee", "1000", "--payment", "8833.30",
        "--periods", "12",
    )  # fmt: skip
    assert data["received"] == "99000.00"
    assert data["cost"] == "6999.60"
    assert (data["apr_percent"], data["apr_compound_percent"]) == ("12.80", "13.58")


def test_card_vector_fee_rate() -> None:
    data = run_json(*CARD)
    assert data["payment"] == "893.33"
    assert data["total"] == "10720.00"
    assert data["cost"] == "720.00"
    assert data["fee_rate_percent"] == "0.6"
    assert (data["apr_percent"], data["apr_compound_percent"]) == ("13.03", "13.84")
    amounts = [Decimal(row["amount"]) for row in data["schedule"]]
    assert sum(amounts) == Decimal(data["total"])
    assert amounts[-1] == Decimal("893.37")
    assert [row["n"] for row in data["schedule"]] == list(range(1, 13))
    assert data["schedule"][0]["due"] == "2026-02-15"


def test_equal_installment_vector_annual_rate() -> None:
    data = run_json("offer", "--amount", "10000", "--periods", "12", "--annual-rate", "12%")
    assert data["payment"] == "888.49"
    assert data["apr_percent"] == "12.00"
    assert data["annual_rate_percent"] == "12"


def test_amount_forms_and_first_due() -> None:
    data = run_json(
        "offer", "--amount", "1万", "--periods", "3", "--payment", "¥3,400", "--first-due",
        "2026-01-31",
    )  # fmt: skip
    assert data["principal"] == "10000.00"
    assert [row["due"] for row in data["schedule"]] == ["2026-01-31", "2026-02-28", "2026-03-31"]


# --- round trips -------------------------------------------------------------------------------

amounts = st.integers(min_value=1000_00, max_value=500_000_00).map(lambda f: Decimal(f) / 100)
rates = st.integers(min_value=0, max_value=3600).map(lambda bp: Decimal(bp) / 10000)
periods = st.integers(min_value=3, max_value=60)


@settings(max_examples=40, deadline=None)
@given(amount=amounts, rate=rates, n=periods)
def test_payment_from_rate_gives_back_the_rate(amount: Decimal, rate: Decimal, n: int) -> None:
    """A payment computed from an annual rate, quoted back as a payment, has that APR."""
    quoted = evaluate(
        OfferInput(amount=amount, periods=n, terms=Terms.ANNUAL_RATE, annual_rate=rate,
                   first_due=date(2026, 2, 1)),
        today=date(2026, 1, 1), lpr=lpr(), budget=Budget(),
    )  # fmt: skip
    assert abs(quoted.apr_percent - rate * 100) <= Decimal("0.01")
    back = evaluate(
        OfferInput(amount=amount, periods=n, terms=Terms.PAYMENT, payment=quoted.payment,
                   first_due=date(2026, 2, 1)),
        today=date(2026, 1, 1), lpr=lpr(), budget=Budget(),
    )  # fmt: skip
    assert abs(back.apr_percent - rate * 100) <= Decimal("0.01")


@settings(max_examples=30, deadline=None)
@given(amount=amounts, fee_bp=st.integers(min_value=1, max_value=150), n=periods)
def test_fee_and_payment_agree(amount: Decimal, fee_bp: int, n: int) -> None:
    """The same offer stated as a fee rate or as its payment has the same APR; totals add up."""
    fee = Decimal(fee_bp) / 10000
    by_fee = evaluate(
        OfferInput(amount=amount, periods=n, terms=Terms.FEE_RATE, fee_rate=fee,
                   first_due=date(2026, 2, 1)),
        today=date(2026, 1, 1), lpr=lpr(), budget=Budget(),
    )  # fmt: skip
    assert sum(i.amount for i in by_fee.schedule) == by_fee.total
    assert by_fee.total == sum(fee_schedule(amount, fee, n))
    by_payment = evaluate(
        OfferInput(amount=amount, periods=n, terms=Terms.PAYMENT, payment=by_fee.payment,
                   first_due=date(2026, 2, 1)),
        today=date(2026, 1, 1), lpr=lpr(), budget=Budget(),
    )  # fmt: skip
    assert abs(by_payment.apr_percent - by_fee.apr_percent) <= Decimal("0.01")
    assert by_fee.apr_percent > fee * 12 * 100  # the whole point: a fee costs more than fee × 12


# --- reference lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "above_lpr", "above_court"),
    [("10%", False, False), ("12%", False, False), ("12.5%", True, False), ("24%", True, False),
     ("24.5%", True, True), ("36%", True, True)],
)  # fmt: skip
def test_reference_line_flags(rate: str, above_lpr: bool, above_court: bool) -> None:
    data = run_json("offer", "--amount", "10000", "--periods", "12", "--annual-rate", rate)
    assert data["above_lpr_multiple"] is above_lpr
    assert data["above_court_line"] is above_court
    assert data["lpr_multiple_percent"] == "12.00"
    assert data["lpr_effective"] == "2025-05-20"
    assert data["court_line_percent"] == "24.00"
    lines = {line["id"]: line for line in data["reference_lines"]}
    assert lines["lpr_multiple"]["above"] is above_lpr
    assert lines["court_line"]["above"] is above_court
    assert not lines["lpr_multiple"]["legal_cap"]


def test_lpr_is_dated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2025-01-10")
    data = run_json(*LOAN)
    assert (data["lpr_percent"], data["lpr_effective"]) == ("3.1", "2024-10-21")
    assert data["lpr_multiple_percent"] == "12.40"
    assert data["above_lpr_multiple"] is True  # 12.80 > 12.40


def test_user_lpr_table_overrides(tmp_path: Path) -> None:
    home = Path(os.environ["REPAYCLI_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "lpr.toml").write_text(
        'court_line_percent = "20"\n\n[[lpr]]\neffective = 2026-01-01\nrate_percent = "3.5"\n'
        'source = "my bank\'s notice"\n',
        encoding="utf-8",
    )
    data = run_json(*LOAN)
    assert data["lpr_percent"] == "3.5"
    assert data["lpr_source"] == "my bank's notice"
    assert data["lpr_multiple_percent"] == "14.00"
    assert data["above_lpr_multiple"] is False
    assert data["court_line_percent"] == "20.00"


def test_broken_user_lpr_table_is_one_line() -> None:
    home = Path(os.environ["REPAYCLI_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "lpr.toml").write_text('[[lpr]]\neffective = 2026-01-01\nrate_percent = "x"\n')
    line = run_error(*LOAN)
    assert line == (
        f"Error: the LPR table {home / 'lpr.toml'} cannot be used: [[lpr]] row 1: rate_percent "
        'must be a number such as "3.0"'
    )


def test_shipped_lpr_rows_carry_sources() -> None:
    text = resources.files("repaycli.catalog").joinpath("lpr.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert {str(row["effective"]): row["rate_percent"] for row in data["lpr"]} == {
        "2024-10-21": "3.10",
        "2025-05-20": "3.0",
    }
    assert all(row["source"] for row in data["lpr"])
    assert data["multiplier_source"] and data["court_line_source"]


# --- budget: flags and the saved plan ----------------------------------------------------------


def test_budget_from_flags() -> None:
    data = run_json(*CARD, "--income", "6000", "--expenses", "3500")
    assert data["walk_away_monthly"] == "1250.00"  # 50 % of 2,500 disposable
    assert data["share_percent"] == "35.73"
    assert data["affordable"] is True and data["above_walk_away"] is False
    assert data["budget_source"] == "flags"
    data = run_json(*CARD, "--walk-away", "800")
    assert data["above_walk_away"] is True and data["affordable"] is False
    assert data["share_percent"] is None


def write_plan(data: dict[str, Any] | str) -> Path:
    home = Path(os.environ["REPAYCLI_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    path = home / "last-plan.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


PLAN: dict[str, Any] = {
    "schema_version": 1,
    "debts": [{"platform": "zhaohang", "platform_name": "招商银行信用卡", "overdue": "10500.00",
               "principal": "10000.00", "days_overdue": 40}],
    "affordability": {"limit": "900.00", "basis": "disposable", "income": "6000.00",
                      "expenses": "4200.00", "disposable": "1800.00"},
    "proposals": [
        {"id": "inst-12-free", "kind": "installments", "platform": "zhaohang", "periods": 12,
         "payment": "875.00", "total": "10500.00", "apr_percent": "0.00",
         "apr_compound_percent": "0.00", "affordable": True,
         "schedule": [{"n": 1, "due": "2026-02-15", "amount": "875.00"}]},
    ],
    "ladder": {"opening": "inst-12-free", "target": "inst-12-free", "walk_away_monthly": "900.00"},
    "reason": "medical",
}  # fmt: skip


def test_budget_from_saved_plan_and_comparison() -> None:
    write_plan(PLAN)
    data = run_json(*CARD)
    assert data["budget_source"] == "plan"
    assert data["walk_away_monthly"] == "900.00"
    assert data["share_percent"] == "49.63"
    assert data["affordable"] is True
    comparison = data["compared_with_plan"]
    assert comparison["id"] == "inst-12-free"
    assert comparison["payment_difference"] == "18.33"
    # flags win over the plan; --ignore-plan drops it
    assert run_json(*CARD, "--walk-away", "850")["above_walk_away"] is True
    ignored = run_json(*CARD, "--ignore-plan")
    assert ignored["walk_away_monthly"] is None and ignored["compared_with_plan"] is None
    # an offer about a different debt is not compared with this plan
    assert run_json(*LOAN)["compared_with_plan"] is None


def test_corrupt_saved_plan_is_a_warning() -> None:
    path = write_plan("{not json")
    result = runner.invoke(app, [*CARD, "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Warning: the saved plan {path} cannot be used")
    assert len(result.stderr.splitlines()) == 1
    assert json.loads(result.stdout)["walk_away_monthly"] is None


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--amount", "10000", "--periods", "12"],
         "Error: give exactly one of --fee-rate (per period), --annual-rate or --payment"),
        (["--amount", "10000", "--periods", "12", "--fee-rate", "1%", "--payment", "900"],
         "Error: give exactly one of --fee-rate (per period), --annual-rate or --payment"),
        (["--amount", "-10000", "--periods", "12", "--payment", "900"],
         "Error: amount: -10000 is negative; give the amount as a positive number such as 8000"),
        (["--amount", "10000", "--periods", "12", "--fee-rate", "nan"],
         "Error: fee rate per period: nan is not a rate; type it like 12%, 0.12 or 0.05%/day"),
        (["--amount", "nan", "--periods", "12", "--payment", "900"],
         "Error: amount: nan is not an amount; type a number such as 8000, ¥8,000.50, 1.2万 or "
         "3千"),
        (["--amount", "10000", "--periods", "0", "--payment", "900"],
         "Error: periods: 0 must be between 1 and 360"),
        (["--amount", "10000", "--periods", "-3", "--payment", "900"],
         "Error: periods: -3 is not a whole number"),
        (["--amount", "10000", "--periods", "twelve", "--payment", "900"],
         "Error: periods: twelve is not a whole number"),
        (["--amount", "10000", "--periods", "12", "--annual-rate", "-5%"],
         "Error: annual rate: -5% is negative; rates are 0 or more"),
        (["--amount", "10000", "--periods", "12", "--fee-rate", "0.6"],
         "Error: --fee-rate 0.6 would mean 0.6 × 100% a period; if you meant 0.6%, type 0.6%"),
        (["--amount", "10000", "--periods", "12", "--fee-rate", "6"],
         "Error: fee rate per period: 6 is ambiguous; write it as a percentage (12%) or a "
         "fraction (0.12)"),
        (["--amount", "10000", "--periods", "12", "--payment", "0"],
         "Error: monthly payment: the amount must be more than 0"),
        (["--periods", "12", "--payment", "900"],
         "Error: a value is missing; give it with --amount (or run without --no-input to be "
         "asked)"),
        (["--amount", "1000", "--upfront-fee", "1000", "--periods", "12", "--payment", "90"],
         "Error: --upfront-fee must be less than --amount"),
        (["--amount", "1000", "--periods", "12", "--payment", "90", "--expenses", "3000"],
         "Error: --expenses needs --income too (disposable income = income − expenses)"),
        (["--amount", "1000", "--periods", "12", "--payment", "90", "--first-due", "soon"],
         "Error: first due date: soon is not a date; use YYYY-MM-DD (2026-12-01) or today, "
         "tomorrow, +3d, +2w, +1m"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(args: list[str], message: str) -> None:
    assert run_error("offer", "--no-input", *args) == message


def test_bad_input_in_chinese() -> None:
    line = run_error("offer", "--lang", "zh", "--no-input", "--amount", "10000", "--periods", "12")
    assert line.endswith("请只给出 --fee-rate（每期费率）、--annual-rate 或 --payment 中的一个")


# --- text output, both languages ---------------------------------------------------------------


def test_text_output_english() -> None:
    result = runner.invoke(app, [*CARD, "--income", "6000", "--expenses", "3500"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    for part in ("¥893.33", "¥10,720.00", "¥720.00", "13.03%", "13.84%",
                 "35.73%", "within your line of ¥1,250.00", "Above 4 × LPR (12.00%)?",
                 "not a legal cap for banks", "24.00%", "(last one ¥893.37)"):  # fmt: skip
        assert part in out, part
    assert "\x1b" not in out


def test_text_output_chinese() -> None:
    result = runner.invoke(app, [*LOAN, "--lang", "zh", "--walk-away", "5000"])
    assert result.exit_code == 0, result.output
    out = "".join(result.stdout.split())
    for part in ("每月还款", "8,833.30元", "12.80%", "13.58%", "超过你每月5,000.00元的底线",
                 "4倍LPR", "不是法定上限", "结论：月供超过你的底线"):  # fmt: skip
        assert part in out, part


def test_catalogues_complete() -> None:
    from repaycli.i18n import _flatten

    def keys(lang: str) -> set[str]:
        folder = resources.files("repaycli.i18n").joinpath(lang)
        return set(_flatten(tomllib.loads(folder.joinpath("offer.toml").read_text("utf-8"))))

    assert keys("en") == keys("zh")


def test_help_text() -> None:
    result = runner.invoke(app, ["offer", "--help"])
    assert result.exit_code == 0
    assert "Evaluate an offer" in result.stdout


def test_real_subprocess() -> None:
    exe = Path(sys.executable).with_name("repaycli")
    env = {**os.environ, "REPAYCLI_LANG": "zh"}
    done = subprocess.run(
        [str(exe), *CARD, "--json"], capture_output=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout.decode("utf-8"))
    assert (data["payment"], data["apr_percent"]) == ("893.33", "13.03")
    bad = subprocess.run(
        [str(exe), "offer", "--amount", "1", "--periods", "0", "--payment", "1"],
        capture_output=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.decode("utf-8").count("\n") == 1
    assert b"Traceback" not in bad.stderr


def test_offer_log_attaches_the_evaluation_to_an_entry() -> None:
    added = invoke(
        "log",
        "add",
        "--no-input",
        "--platform",
        "huabei",
        "--channel",
        "phone",
        "--outcome",
        "pending",
        "--offered",
        "12 periods, 0.75% a month",
    )
    assert added.exit_code == 0, added.output
    entry_id = re.search(r"#(\d+)", added.stdout).group(1)  # type: ignore[union-attr]
    checked = invoke(
        "offer",
        "--amount",
        "10000",
        "--periods",
        "12",
        "--fee-rate",
        "0.75%",
        "--walk-away",
        "1000",
        "--log",
        entry_id,
    )
    assert checked.exit_code == 0, checked.output
    assert f"Attached to log entry #{entry_id}" in checked.stderr
    shown = invoke("log", "show", entry_id, "--json")
    data = json.loads(shown.stdout)
    assert len(data["offer_checks"]) == 1
    evaluation = data["offer_checks"][0]["evaluation"]
    assert evaluation["payment"] == "908.33"
    assert evaluation["periods"] == 12
    text = invoke("log", "show", entry_id)
    assert "12 × ¥908.33, total ¥10,900.00" in text.stdout
    missing = invoke(
        "offer", "--amount", "10000", "--periods", "12", "--fee-rate", "0.75%", "--log", "999"
    )
    assert missing.exit_code == 2
    assert invoke("log", "verify").exit_code == 0


# --- review fixes ------------------------------------------------------------------------------


def test_zero_income_is_accepted() -> None:
    """A user who lost their job has no income: everything is above the (zero) line."""
    data = run_json(*CARD, "--income", "0")
    assert data["walk_away_monthly"] == "0.00"
    assert data["affordable"] is False and data["above_walk_away"] is True
    assert data["share_percent"] is None
    data = run_json(*CARD, "--income", "0", "--expenses", "0")
    assert data["affordable"] is False


@pytest.mark.parametrize(("payment", "waived"), [("800", "400.00"), ("500", "4000.00")])
def test_payments_below_the_amount_are_a_waiver(payment: str, waived: str) -> None:
    """12 × 800 on 10,000 is a settlement that waives 400, not a mistake."""
    data = run_json("offer", "--amount", "10000", "--periods", "12", "--payment", payment)
    assert data["waived"] == waived
    assert Decimal(data["total"]) == Decimal("10000") - Decimal(waived)
    assert Decimal(data["cost"]) == -Decimal(waived)
    assert Decimal(data["apr_percent"]) < 0


def test_a_rounded_interest_free_payment_is_not_a_negative_rate() -> None:
    """12 × 833.33 is 10,000 split evenly, rounded down: the last installment makes it up."""
    data = run_json("offer", "--amount", "10000", "--periods", "12", "--payment", "833.33")
    assert (data["total"], data["cost"], data["apr_percent"]) == ("10000.00", "0.00", "0.00")
    assert data["schedule"][-1]["amount"] == "833.37"
    result = runner.invoke(app, ["offer", "--amount", "10000", "--periods", "12",
                                 "--payment", "833.33"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "-0.00" not in result.stdout


def test_a_zero_cost_offer_never_shows_minus_zero() -> None:
    for terms in (["--payment", "1000"], ["--annual-rate", "0"], ["--fee-rate", "0%"]):
        result = runner.invoke(app, ["offer", "--amount", "12000", "--periods", "12", *terms])
        assert result.exit_code == 0, result.output
        assert "-0.00" not in result.stdout
        data = run_json("offer", "--amount", "12000", "--periods", "12", *terms)
        for key in ("apr_percent", "apr_compound_percent", "cost_percent", "cost"):
            assert not data[key].startswith("-"), (terms, key)


def test_a_saved_plan_from_a_newer_repaycli_is_a_warning() -> None:
    path = write_plan({**PLAN, "schema_version": 99})
    result = runner.invoke(app, [*CARD, "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"Warning: the saved plan {path} was written by a newer repaycli (schema 99); update "
        "repaycli or run 'repaycli plan' again\n"
    )
    assert json.loads(result.stdout)["walk_away_monthly"] is None
    zh = runner.invoke(app, [*CARD, "--lang", "zh"])
    assert zh.exit_code == 0 and zh.stderr.startswith("警告：保存的方案")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("multiplier = -4\n", "multiplier must be more than 0"),
        ('multiplier = "four"\n', 'multiplier must be a number such as "3.0"'),
        ("court_line_percent = nan\n", 'court_line_percent must be a number such as "3.0"'),
        ("multipler = 5\n", "multipler is not a known key"),
        ("garbage [\n", "not valid TOML (line 1)"),
        ("lpr = 3\n", "[[lpr]] must be tables, each with effective and rate_percent"),
        ('[[lpr]]\neffective = "x"\nrate_percent = "3"\n',
         "[[lpr]] row 1: effective must be a date such as 2025-05-20"),
        ('[[lpr]]\neffective = 2026-01-01\nrate_percent = "3"\n\n[[lpr]]\nrate_percent = "3"\n',
         "[[lpr]] row 2: effective is missing"),
        ('[[lpr]]\neffective = 2026-01-01\nrate_percent = "x"\n',
         '[[lpr]] row 1: rate_percent must be a number such as "3.0"'),
        ('[[lpr]]\neffective = 2026-01-01\nrate_percent = "300"\n',
         "[[lpr]] row 1: rate_percent must be 100 or less"),
        ('[[lpr]]\neffective = 2026-01-01\nrate_percent = "3"\nsource = 5\n',
         "[[lpr]] row 1: source must be text in quotes"),
        ('[[lpr]]\neffective = 2026-01-01\nrate_percent = "3"\nextra = 1\n',
         "[[lpr]] row 1: extra is not a known key"),
    ],
)  # fmt: skip
def test_every_bad_user_lpr_file_is_one_clean_line(text: str, detail: str) -> None:
    home = Path(os.environ["REPAYCLI_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "lpr.toml").write_text(text, encoding="utf-8")
    line = run_error(*CARD)
    assert line == f"Error: the LPR table {home / 'lpr.toml'} cannot be used: {detail}"
    zh = run_error(*CARD, "--lang", "zh")
    assert zh.startswith(f"错误：LPR 表 {home / 'lpr.toml'} 无法使用：")
    assert "Input should" not in zh


def test_a_date_before_the_lpr_table_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2024-01-01")
    data = run_json(*LOAN)
    assert (data["lpr_effective"], data["lpr_before_table"]) == ("2024-10-21", True)
    out = " ".join(runner.invoke(app, LOAN).stdout.split())
    assert (
        "The LPR table has no rate on or before 2024-01-01: the earliest one (2024-10-21) is "
        "used; add the rate in force then to lpr.toml."
    ) in out
    zh = "".join(runner.invoke(app, [*LOAN, "--lang", "zh"]).stdout.split())
    assert "LPR表中没有2024-01-01或更早的利率" in zh
    monkeypatch.setenv("REPAYCLI_TODAY", "2024-10-21")
    assert run_json(*LOAN)["lpr_before_table"] is False
    assert "no rate on or before" not in runner.invoke(app, LOAN).stdout


def test_the_fee_paragraph_only_for_a_fee_rate() -> None:
    paragraph = "monthly fee on the original amount keeps being charged"
    fee = runner.invoke(app, CARD)
    assert paragraph in " ".join(fee.stdout.split())
    for other in (LOAN, ["offer", "--amount", "10000", "--periods", "24", "--annual-rate", "18%"]):
        result = runner.invoke(app, other)
        assert result.exit_code == 0, result.output
        assert paragraph not in " ".join(result.stdout.split())
        assert "APR is the IRR of the cash flows" in " ".join(result.stdout.split())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_verdict_mentions_a_crossed_court_line_above_the_walk_away(lang: str) -> None:
    args = ["offer", "--amount", "10000", "--periods", "12", "--fee-rate", "2.5%"]
    data = run_json(*args, "--walk-away", "500")
    assert data["above_walk_away"] is True and data["above_court_line"] is True
    result = runner.invoke(app, [*args, "--walk-away", "500", "--lang", lang])
    joiner, start, end = {"en": (" ", "Verdict:", "4 × LPR ="), "zh": ("", "结论：", "4倍LPR=")}[
        lang
    ]
    out = joiner.join(result.stdout.split())
    verdict = out[out.index(start) : out.index(end)]
    expected = {
        "en": ["above your walk-away line", f"{data['apr_percent']}% APR is also above the "
               "24.00% line courts usually apply"],
        "zh": ["月供超过你的底线", f"年化{data['apr_percent']}%也超过法院通常支持的24.00%"],
    }[lang]  # fmt: skip
    for part in expected:
        assert part in verdict, verdict


# --- the capacity-first rules ---------------------------------------------------------------


def test_apr_follows_the_dated_cash_flows() -> None:
    """A first payment three months out is cheaper money than one next month: the APR is the
    IRR of the payments on their dates (numpy-financial's irr as the oracle)."""
    import numpy_financial as npf

    base = ["offer", "--amount", "10000", "--periods", "12", "--payment", "900"]
    soon = run_json(*base, "--first-due", "2026-02-15")
    late = run_json(*base, "--first-due", "2026-04-15")
    flows = [10000.0, 0.0, 0.0] + [-900.0] * 12
    expected = Decimal(str(round(float(npf.irr(flows)) * 12 * 100, 2)))
    assert Decimal(late["apr_percent"]) == expected
    assert Decimal(late["apr_percent"]) < Decimal(soon["apr_percent"])


@pytest.mark.parametrize(
    ("payment", "position"),
    [
        ("480", "better_than_target"),
        ("499.90", "between_target_and_walk_away"),
        ("600", "above_walk_away"),
    ],
)
def test_where_the_offer_sits_on_the_ladder(payment: str, position: str) -> None:
    """Against the saved plan: target 24 × 499.24 (11,981.78) at 18 %, walk-away 500."""
    result = runner.invoke(app, ["plan", "--platform", "jiebei", "--overdue", "10000",
                                 "--income", "3000", "--expenses", "2000"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = run_json("offer", "--amount", "10000", "--periods", "24", "--payment", payment)
    assert data["compared_with_plan"]["id"] == "inst-24"
    assert data["ladder_position"] == position
    text = runner.invoke(app, ["offer", "--amount", "10000", "--periods", "24",
                               "--payment", payment]).stdout  # fmt: skip
    assert "On your ladder" in text


def test_absurd_figures_are_one_line() -> None:
    line = run_error("offer", "--amount", "1", "--periods", "2", "--payment", "90000000")
    assert line == (
        "Error: these figures imply a rate no offer can have (below −99% or above 1,000% a "
        "month); check the amount, periods, payment and first due date you heard"
    )
    assert run_error("offer", "--amount", "100", "--periods", "2", "--first-due", "2020-01-01",
                     "--payment", "60").startswith("Error: the first due date 2020-01-01 is before")  # noqa: E501


def test_missing_values_are_asked_for_and_bad_answers_asked_again() -> None:
    result = runner.invoke(app, ["offer", "--ignore-plan", "--json"],
                           input="ten thousand\n10000\n0\n12\nabc\n900\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["principal"], data["periods"], data["payment"]) == ("10000.00", 12, "900.00")
    assert result.stderr.count("Error:") == 3  # one line for each bad answer, then asked again


@pytest.mark.parametrize(
    ("lang", "named", "difference"),
    [
        ("zh", "你的目标方案：", "这个报价每月少 432.96 元，合计多 719.25 元。"),
        ("en", "Your plan's target:", "This offer: ¥432.96 less a month, ¥719.25 more in total."),
    ],
)
def test_the_comparison_names_the_target_not_an_internal_id(
    lang: str, named: str, difference: str
) -> None:
    """A frightened user reads "your target", not "waive-7" (the ids are the plan's internal
    names, meaningful only beside the --details table), and "less a month, more in total",
    not "-432.96 a month" (which reads as a payment of minus 432.96)."""
    env = {"COLUMNS": "200", "REPAYCLI_TODAY": "2026-12-02"}
    plan = invoke(
        "plan", "--platform", "huabei", "--overdue", "8000", "--income", "6000",
        "--expenses", "3500", "--days-overdue", "30", "--no-input", "--lang", lang, env=env,
    )  # fmt: skip
    assert plan.exit_code == 0, plan.output
    args = ["offer", "--amount", "8000", "--periods", "12", "--payment", "750", "--no-input"]
    result = invoke(*args, "--lang", lang, env=env)
    assert result.exit_code == 0, result.output
    assert named in result.output and difference in result.output, result.output
    assert not re.search(r"\b(waive|inst|principal|lump|defer|card)-\d", result.output)
    # a real process prints the same line
    done = subprocess.run(
        [sys.executable, "-m", "repaycli", *args, "--lang", lang],
        capture_output=True, text=True, env={**os.environ, **env}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert named in done.stdout and difference in done.stdout and "waive-7" not in done.stdout
