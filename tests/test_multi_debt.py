"""``plan --debts FILE``: the shared limit, its split, the month-by-month table, the strategies."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import invoke, run
from repaycli.catalog import load_checklist, load_log_fields
from repaycli.core.models import Debt, Platform, PlatformKind, Situation
from repaycli.core.multi import (
    DebtStatus,
    OrderReason,
    build_multi_plan,
    contract_plans,
    debt_ids,
    monthly_table,
    order_debts,
    smallest_plan,
    split_limit,
)
from repaycli.core.strategies import Account, Strategy, simulate
from repaycli.errors import BadInput
from repaycli.render.plan import describe, money

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "debts.toml"
PINNED = {"REPAYCLI_TODAY": "2026-11-21"}
D = Decimal


def platform(
    pid: str,
    kind: PlatformKind = PlatformKind.CREDIT_CARD,
    *,
    periods: list[int] | None = None,
    rate: str = "0",
    penalty: str = "0.0005",
) -> Platform:
    return Platform(
        id=pid,
        name_zh="测试" + pid,
        name_en="Test " + pid,
        kind=kind,
        periods=periods or [3, 6],
        max_deferral_months=0,
        annual_rate=D(rate),
        penalty_rate_daily=D(penalty),
    )


def situation(income: str, expenses: str | None = None, share: str = "50") -> Situation:
    return Situation(
        today=date(2026, 11, 21),
        income=D(income),
        expenses=None if expenses is None else D(expenses),
        start=date(2026, 12, 21),
        share_of_disposable=D(share),
        share_of_income=D(share),
    )


def build(debts: list[Debt], sit: Situation, first: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return build_multi_plan(
        debts,
        sit,
        lang="en",
        checklist=load_checklist(),
        log_fields=load_log_fields(),
        describe=describe,
        money=money,
        first=first,
    )


# --- fixed vectors, worked out by hand ---------------------------------------------------------

CARD = Debt(platform=platform("card"), overdue=D(600))
BNPL = Debt(platform=platform("bnpl", PlatformKind.BNPL), overdue=D(300))


def test_split_when_everything_fits() -> None:
    # Interest-free plans: card 3×200 or 6×100, bnpl 3×100 or 6×50; limit 250.
    # Card first (credit card before BNPL at the same penalty): room 250 − 50 (bnpl's smallest)
    # = 200 → 3 × 200; then bnpl: room 250 − 200 = 50 → 6 × 50.
    result = build([BNPL, CARD], situation("1000", share="25"))
    assert result.affordability.limit == D(250)
    assert [(o.id, o.reason) for o in result.order] == [
        ("card", OrderReason.CONSEQUENCE),
        ("bnpl", OrderReason.LAST),
    ]
    assert [(d.id, d.status, d.share, d.chosen_periods) for d in result.debts] == [
        ("card", DebtStatus.COVERED, D(200), 3),
        ("bnpl", DebtStatus.COVERED, D(50), 6),
    ]
    assert result.shortfall is None
    assert [(r.month, r.amounts, r.total) for r in result.monthly] == [
        (1, {"card": D(200), "bnpl": D(50)}, D(250)),
        (2, {"card": D(200), "bnpl": D(50)}, D(250)),
        (3, {"card": D(200), "bnpl": D(50)}, D(250)),
        (4, {"card": D(0), "bnpl": D(50)}, D(50)),
        (5, {"card": D(0), "bnpl": D(50)}, D(50)),
        (6, {"card": D(0), "bnpl": D(50)}, D(50)),
    ]
    assert result.monthly[0].due == date(2026, 12, 21)
    assert result.monthly[5].due == date(2027, 5, 21)
    # Each debt's ladder aims at the plan it was given, with its share as the walk-away line.
    assert [(d.ladder.target, d.ladder.walk_away_monthly) for d in result.debts] == [
        ("card-3-free", D(200)),
        ("inst-6-free", D(50)),
    ]


def test_split_when_the_limit_is_short() -> None:
    # Limit 120 < 100 + 50: the card's smallest plan (100) fits, the bnpl's (50) does not.
    result = build([BNPL, CARD], situation("1000", share="12"))
    assert [(d.id, d.status, d.share) for d in result.debts] == [
        ("card", DebtStatus.NEGOTIATE_FIRST, D(100)),
        ("bnpl", DebtStatus.NEEDS_DEFERRAL, D(0)),
    ]
    assert result.shortfall == D(30)
    assert result.debts[1].ladder.nothing_affordable
    assert [r.total for r in result.monthly] == [D(100)] * 6
    assert [s.feasible for s in result.strategies] == [False, False]


def test_strategies_by_hand() -> None:
    # A: 1000 at 12 % (1 %/month), minimum 100; B: 500 at 0 %, minimum 100; 300 a month.
    # Avalanche interest: 10 + 8.10 + 6.18 + 4.24 + 2.29 + 0.31 = 31.12, six months.
    # Snowball interest: 10 + 9.10 + 8.19 + 6.27 + 3.34 + 0.37 = 37.27, six months.
    accounts = [Account(D(1000), D("0.12"), D(100)), Account(D(500), D(0), D(100))]
    avalanche = simulate(accounts, D(300), Strategy.AVALANCHE)
    snowball = simulate(accounts, D(300), Strategy.SNOWBALL)
    assert (avalanche.feasible, avalanche.paid, avalanche.months) == (True, D("1531.12"), 6)
    assert (snowball.feasible, snowball.paid, snowball.months) == (True, D("1537.27"), 6)
    assert not simulate(accounts, D("199.99"), Strategy.AVALANCHE).feasible


def test_order_by_penalty_then_consequence_then_file() -> None:
    debts = [
        Debt(platform=platform("a", PlatformKind.BNPL, penalty="0.001"), overdue=D(100)),
        Debt(platform=platform("b", PlatformKind.BNPL), overdue=D(100)),
        Debt(platform=platform("c", PlatformKind.CONSUMER_LOAN), overdue=D(100)),
        Debt(platform=platform("b", PlatformKind.BNPL), overdue=D(50)),
    ]
    ids = debt_ids(debts)
    assert ids == ["a", "b", "c", "b-2"]
    assert order_debts(debts, ids) == [
        (0, OrderReason.PENALTY),
        (2, OrderReason.CONSEQUENCE),
        (1, OrderReason.LISTED),
        (3, OrderReason.LAST),
    ]
    assert order_debts(debts, ids, ["b-2"])[0] == (3, OrderReason.USER)
    with pytest.raises(BadInput):
        order_debts(debts, ids, ["zz"])
    with pytest.raises(BadInput):
        order_debts(debts, ids, ["a", "a"])


# --- invariants ------------------------------------------------------------------------------

RATES = st.sampled_from(["0", "0.12", "0.15", "0.18", "0.24"])
PERIODS = st.lists(st.sampled_from([3, 5, 6, 9, 10, 12, 20, 24, 36]), min_size=1, max_size=4)
KINDS = st.sampled_from(list(PlatformKind))
AMOUNTS = st.integers(min_value=1, max_value=5_000_000).map(lambda fen: D(fen) / 100)


@st.composite
def debt_lists(draw: st.DrawFn, max_size: int = 5) -> list[Debt]:
    count = draw(st.integers(min_value=1, max_value=max_size))
    return [
        Debt(
            platform=platform(
                f"p{i}",
                draw(KINDS),
                periods=draw(PERIODS),
                rate=draw(RATES),
                penalty=draw(st.sampled_from(["0.0003", "0.0005", "0.001"])),
            ),
            overdue=draw(AMOUNTS),
        )
        for i in range(count)
    ]


@settings(max_examples=200, deadline=None)
@given(debt_lists(), AMOUNTS.map(lambda a: a / 10))
def test_split_invariants(debts: list[Debt], limit: Decimal) -> None:
    options = [contract_plans(d) for d in debts]
    allocations, shortfall = split_limit(options, limit)
    minima = [max(smallest_plan(o)[1]) for o in options]
    assert sum(a.share for a in allocations) <= limit
    for a, plans in zip(allocations, options, strict=True):
        if a.plan is not None:
            assert a.plan in plans
            assert a.share == max(a.plan[1])
    if shortfall is None:
        assert sum(minima) <= limit
        assert all(a.status is DebtStatus.COVERED for a in allocations)
        # Order respected: each debt got the shortest plan that left room for those after it.
        used = D(0)
        for i, (a, plans) in enumerate(zip(allocations, options, strict=True)):
            room = limit - used - sum(minima[i + 1 :], D(0))
            assert a.plan is not None
            shorter = [p for p in plans if p[0] < a.plan[0]]
            assert all(max(p[1]) > room for p in shorter)
            used += a.share
    else:
        assert shortfall == sum(minima) - limit > 0
        room = limit
        for a, minimum in zip(allocations, minima, strict=True):
            if a.status is DebtStatus.NEGOTIATE_FIRST:
                assert a.share == minimum <= room
                room -= minimum
            else:
                assert a.status is DebtStatus.NEEDS_DEFERRAL and minimum > room
    ids = [f"d{i}" for i in range(len(debts))]
    table = monthly_table(ids, allocations, date(2027, 1, 31))
    assert all(row.total <= limit for row in table)
    assert all(row.total == sum(row.amounts.values(), D(0)) for row in table)
    for debt_id, a in zip(ids, allocations, strict=True):
        paid = sum((row.amounts[debt_id] for row in table), D(0))
        assert paid == (sum(a.plan[1], D(0)) if a.plan else 0)
    if table:
        assert table[1 if len(table) > 1 else 0].due.month in (1, 2)


@settings(max_examples=200, deadline=None)
@given(debt_lists(max_size=4), st.integers(min_value=0, max_value=30_000))
def test_avalanche_costs_no_more_than_snowball(debts: list[Debt], limit: int) -> None:
    accounts = [
        Account(d.overdue, d.contract_rate, max(smallest_plan(contract_plans(d))[1])) for d in debts
    ]
    avalanche = simulate(accounts, D(limit), Strategy.AVALANCHE)
    snowball = simulate(accounts, D(limit), Strategy.SNOWBALL)
    assert avalanche.feasible == snowball.feasible
    feasible = D(limit) >= sum(a.minimum for a in accounts)
    assert avalanche.feasible == feasible
    if avalanche.feasible:
        assert avalanche.paid is not None and snowball.paid is not None
        assert avalanche.paid >= sum(a.balance for a in accounts)
        assert avalanche.paid <= snowball.paid


@settings(max_examples=15, deadline=None)
@given(debt_lists(max_size=3), st.integers(min_value=0, max_value=20_000))
def test_whole_plan_invariants(debts: list[Debt], income: int) -> None:
    result = build(debts, situation(str(income)))
    limit = result.affordability.limit
    assert sum(d.share for d in result.debts) <= limit
    assert all(row.total <= limit for row in result.monthly)
    assert [o.id for o in result.order] == [d.id for d in result.debts]
    for debt in result.debts:
        assert debt.ladder.walk_away_monthly == debt.share
        for proposal in debt.proposals:
            assert sum((i.amount for i in proposal.schedule), D(0)) == proposal.total
        if debt.status is not DebtStatus.NEEDS_DEFERRAL and debt.share > 0:
            # Each debt's ladder fits the share it was given.
            assert debt.ladder.target is not None
            target = next(p for p in debt.proposals if p.id == debt.ladder.target)
            assert target.affordable


# --- the command -----------------------------------------------------------------------------


def test_example_file_json(_isolated: Path) -> None:
    result = invoke("plan", "--debts", str(EXAMPLE), "--json", env=PINNED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "schema_version",
        "kind",
        "as_of",
        "lang",
        "reason",
        "recovery",
        "affordability",
        "order",
        "debts",
        "monthly",
        "shortfall",
        "strategies",
        "log_template",
    ]
    assert data["affordability"]["limit"] == "1750.00"
    assert [o["id"] for o in data["order"]] == ["zhaohang", "jiebei", "huabei", "weilidai"]
    assert [o["reason"] for o in data["order"]] == ["consequence", "consequence", "penalty", "last"]
    assert [(d["id"], d["status"], d["share"]) for d in data["debts"]] == [
        ("zhaohang", "negotiate_first", "544.17"),
        ("jiebei", "needs_deferral", "0.00"),
        ("huabei", "negotiate_first", "559.62"),
        ("weilidai", "negotiate_first", "454.62"),
    ]
    assert data["shortfall"] == "1642.01"
    assert data["monthly"][0] == {
        "month": 1,
        "due": "2026-12-21",
        "amounts": {
            "zhaohang": "544.17",
            "jiebei": "0.00",
            "huabei": "559.60",
            "weilidai": "454.56",
        },
        "total": "1558.33",
    }
    assert data["strategies"] == [
        {
            "name": n,
            "feasible": False,
            "total_paid": None,
            "total_cost": None,
            "months": None,
            "finish": None,
        }
        for n in ("avalanche", "snowball")
    ]
    debt = data["debts"][1]
    assert {"proposals", "ladder", "checklist", "share", "status", "cost_of_waiting"} <= set(debt)
    assert debt["principal"] == "18500.00" and debt["annual_rate_percent"] == "18"
    assert not (_isolated / "last-plan.json").exists()  # offer/letter expect one debt


def test_flags_override_the_file_and_strategies() -> None:
    result = invoke(
        "plan",
        "--debts",
        str(EXAMPLE),
        "--income",
        "2万",
        "--strategy",
        "avalanche",
        "--order",
        "weilidai",
        "--json",
        env=PINNED,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["affordability"]["limit"] == "7250.00"
    assert data["order"][0] == {
        "id": "weilidai",
        "platform": "weilidai",
        "kind": "consumer_loan",
        "penalty_rate_daily_percent": "0.04",
        "reason": "user",
    }
    assert {d["status"] for d in data["debts"]} == {"covered"}
    assert data["shortfall"] is None
    assert [s["name"] for s in data["strategies"]] == ["avalanche"]
    avalanche = data["strategies"][0]
    assert avalanche["feasible"] is True
    assert D(avalanche["total_cost"]) > 0 and avalanche["finish"] > "2026-12"
    assert all(D(m["total"]) <= D("7250") for m in data["monthly"])
    both = json.loads(
        invoke("plan", "--debts", str(EXAMPLE), "--income", "2万", "--json", env=PINNED).stdout
    )["strategies"]
    assert D(both[0]["total_cost"]) <= D(both[1]["total_cost"])


def test_text_and_markdown_in_both_languages() -> None:
    english = invoke("plan", "--debts", str(EXAMPLE), env=PINNED)
    assert english.exit_code == 0, english.output
    for text in (
        "Repayment plan: 4 debts",
        "Who gets paid first, and why",
        "How your limit is shared",
        "needs deferral",
        "Month by month",
        "Avalanche or snowball",
        "1,642.01 more a month",
        "95555",
        "4. Weilidai (WeBank) (weilidai): Negotiation ladder",
        "Call log (template)",
    ):
        assert text in english.stdout, text
    chinese = invoke("--lang", "zh", "plan", "--debts", str(EXAMPLE), env=PINNED)
    assert chinese.exit_code == 0, chinese.output
    for text in (
        "还款方案：共 4 笔债务",
        "先还谁，为什么",
        "需要延期",
        "优先协商",
        "雪崩法",
        "逐月计划",
        "协商阶梯",
        "招商银行信用卡",
    ):
        assert text in chinese.stdout, text
    markdown = invoke("plan", "--debts", str(EXAMPLE), "--format", "markdown", env=PINNED)
    assert markdown.stdout.startswith("# Repayment plan: 4 debts\n")
    assert "| 1–12 | 2026-12-21 … 2027-11-21 |" not in markdown.stdout  # last month differs
    assert "| 1–11 | 2026-12-21 … 2027-10-21 | 544.17 | 0.00 | 559.60 | 454.56 | 1,558.33 |" in (
        markdown.stdout
    )


def test_real_subprocess() -> None:
    result = run("plan", "--debts", str(EXAMPLE), "--lang", "zh", env=PINNED)
    assert result.returncode == 0, result.stderr
    assert "上限如何分配" in result.stdout and "\x1b" not in result.stdout
    bad = run("plan", "--debts", "no-such-file.toml", env=PINNED)
    assert bad.returncode == 2
    assert bad.stderr == (
        "Error: the debts file no-such-file.toml does not exist; "
        "see examples/debts.toml for one to copy\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[[debt\n",
            "the debts file {p} is not valid TOML: Expected ']]' at the end of an array declaration (at line 1, column 7)",  # noqa: E501
        ),
        (
            "income = 1\n",
            "the debts file {p} lists no debts; add a [[debt]] table for each (see examples/debts.toml)",  # noqa: E501
        ),
        (
            'income = 1\n[[debt]]\nplatform = "huabei"\noverdue = "0"\n',
            "{p}, debt 1, field 'overdue': overdue amount: the amount must be more than 0",
        ),
        (
            'income = 1\n[[debt]]\nplatform = "huabei"\noverdue = 1\n[[debt]]\nplatform = "xyzzy"\noverdue = 5\n',  # noqa: E501
            "{p}, debt 2, field 'platform': unknown platform xyzzy; run 'repaycli platforms' to see the names, or use 'other'",  # noqa: E501
        ),
        ('income = 1\n[[debt]]\nplatform = "huabei"\n', "{p}, debt 1: field 'overdue' is missing"),
        (
            'income = 1\n[[debt]]\nplatform = "huabei"\noverdue = 100\nannual_rate = "15"\n',
            "{p}, debt 1, field 'annual_rate': annual rate: 15 is ambiguous; write it as a percentage (12%) or a fraction (0.12)",  # noqa: E501
        ),
        (
            'income = 1\n[[debt]]\nplatform = "huabei"\noverdue = 100\npenalty_rate = true\n',
            "{p}, debt 1, field 'penalty_rate': give a text or a number",
        ),
        (
            'income = 1\n[[debt]]\nplatform = "huabei"\noverdue = 100\nprincipal = 200\n',
            "{p}, debt 1: the principal (200) cannot be more than the overdue amount (100)",
        ),
        (
            'income = 1\n[[debt]]\nplatform = "huabei"\noverdue = 100\ncolour = "red"\n',
            "{p}, debt 1: unknown field 'colour'; use: platform, overdue, principal, days_overdue, annual_rate, penalty_rate",  # noqa: E501
        ),
        (
            'income = "lots"\n[[debt]]\nplatform = "huabei"\noverdue = 100\n',
            "{p}, field 'income': monthly income: lots is not an amount; type a number such as 8000, ¥8,000.50, 1.2万 or 3千",  # noqa: E501
        ),
        (
            'salary = 1\n[[debt]]\nplatform = "huabei"\noverdue = 100\n',
            "{p}: unknown field 'salary'; use: income, expenses, limit_share, reason, debt",
        ),
    ],
)
def test_bad_files_are_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "debts.toml"
    path.write_text(text, encoding="utf-8")
    result = invoke("plan", "--debts", str(path), "--no-input", env=PINNED)
    assert result.exit_code == 2, result.output
    assert result.stderr == "Error: " + message.format(p=path) + "\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--debts", str(EXAMPLE), "--platform", "huabei"],
            "--platform describes one debt and cannot be used with --debts; put it in the debts file",  # noqa: E501
        ),
        (
            ["--debts", str(EXAMPLE), "--strategy", "random"],
            "--strategy: random is not one of: avalanche, snowball, both",
        ),
        (
            ["--debts", str(EXAMPLE), "--order", "huabei,nope"],
            "--order: nope is not a debt in the file; the ids are: huabei, jiebei, zhaohang, weilidai",  # noqa: E501
        ),
        (["--order", "huabei"], "--order is only for several debts; use it with --debts FILE"),
    ],
)
def test_bad_flags_with_debts(args: list[str], message: str) -> None:
    result = invoke("plan", *args, "--no-input", env=PINNED)
    assert result.exit_code == 2, result.output
    assert result.stderr == "Error: " + message + "\n"


def test_bad_file_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text('income = 1\n[[debt]]\nplatform = "huabei"\noverdue = "-5"\n', encoding="utf-8")
    result = invoke("--lang", "zh", "plan", "--debts", str(path), env=PINNED)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{path} 第 1 笔债务的字段“overdue”：逾期金额：-5")


def test_missing_income_is_asked_or_an_error(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text('[[debt]]\nplatform = "huabei"\noverdue = 6000\n', encoding="utf-8")
    missing = invoke("plan", "--debts", str(path), "--no-input", env=PINNED)
    assert missing.exit_code == 2
    assert "give it with --income" in missing.stderr
    asked = run("plan", "--debts", str(path), "--json", input="5000\n", env=PINNED)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["affordability"]["income"] == "5000.00"
