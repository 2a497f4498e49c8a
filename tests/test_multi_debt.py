"""``plan --debts FILE``: one budget shared month by month (``core.allocate``).

Every figure is checked against an independent month-by-month simulation written here (its own
code, following SPEC's rules) and against vectors worked by hand in the comments.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import invoke, run
from repaycli.catalog import load_catalogue, load_checklist, load_log_fields
from repaycli.cli.debts import load_debts
from repaycli.core.allocate import Strategy, simulate
from repaycli.core.balance import breakdown_of
from repaycli.core.dates import add_months
from repaycli.core.models import Debt, PlatformKind, Situation
from repaycli.core.multi import accounts_of, build_multi_plan, debt_ids
from repaycli.render.multi import ask_line
from repaycli.render.plan import describe, money

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "debts.toml"
PINNED = {"REPAYCLI_TODAY": "2026-11-21"}
D = Decimal
FEN = D("0.01")
START = date(2026, 12, 21)
CATALOGUE = load_catalogue()


def situation(limit: str) -> Situation:
    """A situation whose limit is exactly ``limit`` (100 % of an income of that much)."""
    return Situation(
        today=date(2026, 11, 21),
        income=D(limit),
        start=START,
        share_of_income=D(100),
        share_of_disposable=D(100),
    )


def build(debts: list[Debt], limit: str, strategy: Strategy = Strategy.PRORATA, **kw: object):  # type: ignore[no-untyped-def]
    return build_multi_plan(
        debts,
        situation(limit),
        lang="en",
        checklist=load_checklist(),
        log_fields=load_log_fields(),
        describe=describe,
        money=money,
        strategy=strategy,
        **kw,  # type: ignore[arg-type]
    )


EXAMPLE_DEBTS = load_debts(EXAMPLE, CATALOGUE).debts


# --- the oracle: an independent simulation ---------------------------------------------------

RANK = {"credit_card": 1, "consumer_loan": 2, "other": 3, "bnpl": 4}


def oracle(debts: list[Debt], limit: Decimal, strategy: str, months: int = 600,  # type: ignore[no-untyped-def]
           later: tuple[int, Decimal] | None = None):  # fmt: skip
    """Pay ``limit`` a month (``later`` = (month index, limit) from which it changes): interest
    on principal + interest due, then the strategy's split; returns (payments per debt id,
    payoff month index per id)."""
    ids = debt_ids(debts)
    bearing, flat, rate, rank, weight = {}, {}, {}, {}, {}
    for i, debt in zip(ids, debts, strict=True):
        parts = breakdown_of(debt)
        bearing[i] = parts.principal + parts.interest
        flat[i] = parts.penalty
        rate[i] = debt.contract_rate
        big_card = debt.platform.kind is PlatformKind.CREDIT_CARD and debt.overdue >= 50000
        rank[i] = 0 if big_card else RANK[debt.platform.kind.value]
        weight[i] = debt.overdue
    paid: dict[str, list[Decimal]] = {i: [] for i in ids}
    payoff: dict[str, int] = {}
    for month in range(months):
        live = [i for i in ids if bearing[i] + flat[i] > 0]
        if not live:
            break
        for i in live:
            bearing[i] += (bearing[i] * rate[i] / 12).quantize(FEN, rounding=ROUND_HALF_UP)
        owed = {i: bearing[i] + flat[i] for i in live}
        by_priority = sorted(live, key=lambda i: (rank[i], -rate[i], owed[i], i))
        give = {i: D(0) for i in live}
        left = later[1] if later is not None and month >= later[0] else limit
        if strategy == "prorata":
            pool = by_priority
            while left > 0 and pool:
                total_weight = sum(weight[i] for i in pool)
                share = {
                    i: (left * weight[i] / total_weight).quantize(FEN, ROUND_DOWN) for i in pool
                }
                spare = left - sum(share.values())
                for i in pool:
                    if spare > 0:
                        share[i] += FEN
                        spare -= FEN
                full = []
                for i in pool:
                    take = min(share[i], owed[i] - give[i])
                    give[i] += take
                    left -= take
                    if give[i] == owed[i]:
                        full.append(i)
                if not full:
                    break
                pool = [i for i in pool if i not in full]
        else:
            keys = {
                "avalanche": lambda i, o=owed: (-rate[i], o[i], i),
                "snowball": lambda i, o=owed: (o[i], -rate[i], i),
                "priority": lambda i, o=owed: (rank[i], -rate[i], o[i], i),
            }
            for i in sorted(live, key=keys[strategy]):
                give[i] = min(left, owed[i])
                left -= give[i]
        for i in ids:
            amount = give.get(i, D(0))
            paid[i].append(amount)
            if amount:
                first = min(amount, bearing[i])
                bearing[i] -= first
                flat[i] -= amount - first
                if bearing[i] + flat[i] == 0:
                    payoff[i] = month
    return paid, payoff


# --- vectors worked by hand on examples/debts.toml -------------------------------------------
#
# Parts (penalty estimated at the daily rate over the days overdue, principal the rest):
#   huabei   6,200 at 15 %, 45 days: principal 6200 / 1.0225 = 6,063.57, penalty 136.43
#   jiebei  20,000 at 18 %, principal 18,500 given, 60 days: penalty 18500 × 0.0005 × 60 = 555,
#           interest due the rest, 945 (principal + interest due 19,445 bear interest)
#   zhaohang 15,000 at 18.25 %, 30 days: principal 15000 / 1.015 = 14,778.33, penalty 221.67
#   weilidai 8,000 at 15 %, 20 days at 0.04 %: principal 8000 / 1.008 = 7,936.51, penalty 63.49
# A month of interest: huabei 6063.57 × 1.25 % = 75.79; jiebei 19445 × 1.5 % = 291.68;
# zhaohang 14778.33 × 18.25 % / 12 = 224.75; weilidai 7936.51 × 1.25 % = 99.21.
# Owed in month 1: 6,275.79; 20,291.68; 15,224.75; 8,099.21 — 49,891.43 in all.

OWED_MONTH_1 = {"huabei": D("6275.79"), "jiebei": D("20291.68"), "zhaohang": D("15224.75"),
                "weilidai": D("8099.21")}  # fmt: skip


@pytest.mark.parametrize("strategy", list(Strategy))
def test_a_limit_that_covers_everything_clears_it_in_one_month(strategy: Strategy) -> None:
    result = build(EXAMPLE_DEBTS, "60000", strategy)
    assert result.plan.months == 1 and result.plan.total_paid == D("49891.43")
    assert {d.id: d.paid for d in result.debts} == OWED_MONTH_1
    assert result.monthly[0].unused == D("60000") - D("49891.43")  # the last month may be


def test_the_first_month_at_the_example_limit_by_hand() -> None:
    # Pro-rata by overdue balance (49,200 in all): 1750 × 6200/49200 = 220.52(8),
    # × 20000/49200 = 711.38(2), × 15000/49200 = 533.53(6), × 8000/49200 = 284.55(2); the two
    # fen left go to the first in priority order: the card, then jiebei (18 % before 15 %).
    prorata = build(EXAMPLE_DEBTS, "1750", Strategy.PRORATA).monthly[0].amounts
    assert prorata == {"huabei": D("220.52"), "jiebei": D("711.39"), "zhaohang": D("533.54"),
                       "weilidai": D("284.55")}  # fmt: skip
    # Avalanche: all to the dearest (the card, 18.25 %); snowball: all to the smallest (huabei).
    avalanche = build(EXAMPLE_DEBTS, "1750", Strategy.AVALANCHE).monthly[0].amounts
    assert avalanche["zhaohang"] == D(1750) and sum(avalanche.values()) == D(1750)
    snowball = build(EXAMPLE_DEBTS, "1750", Strategy.SNOWBALL).monthly[0].amounts
    assert snowball["huabei"] == D(1750) and sum(snowball.values()) == D(1750)


@pytest.mark.parametrize("strategy", [Strategy.AVALANCHE, Strategy.SNOWBALL, Strategy.PRORATA])
@pytest.mark.parametrize("limit", ["1750", "60000"])
def test_example_vectors_agree_with_the_oracle(strategy: Strategy, limit: str) -> None:
    result = build(EXAMPLE_DEBTS, limit, strategy)
    paid, payoff = oracle(EXAMPLE_DEBTS, D(limit), strategy.value)
    months = max(payoff.values()) + 1
    assert result.plan.months == months
    assert result.plan.total_paid == sum(sum(c) for c in paid.values())
    assert {d.id: d.paid for d in result.debts} == {i: sum(c) for i, c in paid.items()}
    assert [r.amounts for r in result.monthly] == [
        {i: paid[i][m] for i in paid} for m in range(months)
    ]
    if limit == "1750":  # the tight budget: three years, every lender asked for something
        assert result.plan.months == 36 or strategy is not Strategy.PRORATA
        assert result.plan.within_term and result.plan.limit_for_term is None


def test_freed_capacity_rolls_on_and_nothing_is_idle() -> None:
    """The issue's complaint: 借呗 got 0 for 36 months while the monthly total fell. Now every
    month but the last uses the whole limit, whatever the strategy."""
    for strategy in Strategy:
        result = build(EXAMPLE_DEBTS, "1750", strategy)
        assert all(row.total == D(1750) for row in result.monthly[:-1])
        assert result.monthly[-1].total <= D(1750)


def test_beyond_sixty_months_says_so_and_gives_the_limit_needed() -> None:
    result = build(EXAMPLE_DEBTS, "600", Strategy.AVALANCHE)
    plan = result.plan
    assert not plan.within_term and plan.limit_for_term is not None
    # the limit named clears everything in 60 months; a fen less does not
    accounts = accounts_of(EXAMPLE_DEBTS, debt_ids(EXAMPLE_DEBTS))
    for limit, clears in ((plan.limit_for_term, True), (plan.limit_for_term - FEN, False)):
        outcome = simulate(accounts, Strategy.AVALANCHE, start=START, limit_on=lambda _, x=limit: x,
                           horizon=60)  # fmt: skip
        assert outcome.cleared is clears
    paid, payoff = oracle(EXAMPLE_DEBTS, D(600), "avalanche", months=600)
    assert plan.months == (max(payoff.values()) + 1 if len(payoff) == 4 else None)


def test_zero_limit_is_the_hardship_route() -> None:
    result = build(EXAMPLE_DEBTS, "0")
    assert result.plan.months is None and result.hardship is not None
    assert "ask for a pause" in ask_line(result.debts[0])
    assert all(d.ask.first_due is None for d in result.debts)
    assert not any(p.affordable for d in result.debts for p in d.proposals)
    # What would be needed: the least steady limit that clears the principal (interest
    # stopped) in 60 months — a fen less does not.
    needed = result.hardship.needed_payment
    principal = [a.model_copy(update={"bearing": D(0), "flat": breakdown_of(d).principal,
                                      "annual_rate": D(0)})
                 for a, d in zip(accounts_of(EXAMPLE_DEBTS, debt_ids(EXAMPLE_DEBTS)),
                                 EXAMPLE_DEBTS, strict=True)]  # fmt: skip
    for limit, clears in ((needed, True), (needed - FEN, False)):
        outcome = simulate(principal, Strategy.PRORATA, start=START,
                           limit_on=lambda _, x=limit: x, horizon=60)  # fmt: skip
        assert outcome.cleared is clears
    assert result.household.reduction_needed == result.total_principal


def test_each_lenders_line_is_its_column() -> None:
    """Avalanche at 1,750 (the whole balances clear in 36 months, so they share the lines):
    huabei's line is 0 until its turn, then its column; its opening is a pause until then."""
    result = build(EXAMPLE_DEBTS, "1750", Strategy.AVALANCHE)
    assert result.household.reference.value == "walk_away"
    huabei = next(d for d in result.debts if d.id == "huabei")
    column = [row.amounts["huabei"] for row in result.monthly]
    first = next(i for i, a in enumerate(column) if a > 0)
    assert first > 0 and huabei.lines[0].amount == 0 and huabei.ask.walk_away == 0
    for row in result.monthly:
        line = next(s.amount for s in reversed(huabei.lines) if s.start <= row.due)
        if row.month < len(result.monthly):  # the last month's unused goes to one line
            assert line == row.amounts["huabei"]
    opening = next(p for p in huabei.proposals if p.id == huabei.ladder.opening)
    assert opening.deferral_months == first and opening.interest_free
    assert huabei.ask.pause_until == opening.schedule[0].due == result.monthly[first].due
    assert all(
        row.amount <= next(s.amount for s in reversed(huabei.lines) if s.start <= row.due)
        for row in opening.schedule
    )


def test_what_if_extra_payment_and_a_new_limit_save_months_and_money() -> None:
    base = build(EXAMPLE_DEBTS, "1750", Strategy.AVALANCHE)
    result = build(EXAMPLE_DEBTS, "1750", Strategy.AVALANCHE,
                   extras=[(D(5000), date(2027, 3, 1))])  # fmt: skip
    what = result.what_if
    assert what is not None and what.extras[0].due == date(2027, 3, 21)
    assert result.monthly[3].capacity == D(6750)  # 21 March: the first due date after 1 March
    assert what.baseline.months == base.plan.months
    assert what.months_saved == base.plan.months - result.plan.months > 0
    assert what.money_saved == base.plan.total_cost - result.plan.total_cost > 0
    from repaycli.core.multi import LimitChange

    raised = build(EXAMPLE_DEBTS, "1750", Strategy.AVALANCHE,
                   limit_change=LimitChange(amount=D(3000), start=date(2027, 6, 1)))  # fmt: skip
    assert raised.monthly[5].capacity == D(1750) and raised.monthly[6].capacity == D(3000)
    assert raised.what_if is not None and raised.what_if.months_saved > 0


# --- properties over random debt sets ----------------------------------------------------------

PLATFORMS = [p.id for p in CATALOGUE.platforms]


@st.composite
def debt_sets(draw: st.DrawFn) -> list[Debt]:
    count = draw(st.integers(min_value=1, max_value=12))
    debts = []
    for _ in range(count):
        platform = CATALOGUE.get(draw(st.sampled_from(PLATFORMS)))
        overdue = D(draw(st.integers(min_value=1, max_value=8_000_000))) / 100
        debts.append(Debt(platform=platform, overdue=overdue,
                          days_overdue=draw(st.integers(min_value=0, max_value=200))))  # fmt: skip
    return debts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(debt_sets(), st.integers(min_value=0, max_value=100_000), st.sampled_from(list(Strategy)))
def test_allocation_properties(debts: list[Debt], limit: int, strategy: Strategy) -> None:
    accounts = accounts_of(debts, debt_ids(debts))
    outcome = simulate(accounts, strategy, start=START, limit_on=lambda _: D(limit), horizon=120)
    paid, payoff = oracle(debts, D(limit), strategy.value, months=120)
    assert outcome.payments == paid
    assert outcome.payoff == payoff
    months = len(outcome.dues)
    for m in range(months):
        total = sum(outcome.payments[i][m] for i in outcome.payments)
        assert total <= outcome.capacity[m]
        last = outcome.cleared and m == months - 1
        if not last:  # no capacity unused while a debt remains
            assert total == outcome.capacity[m]
    # every debt is cleared when the limit allows it within 60 months
    if D(limit) >= sum(a.bearing + a.flat for a in accounts) * 2:
        assert outcome.cleared and (outcome.months or 0) <= 60


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    debt_sets(),
    st.integers(min_value=0, max_value=20_000),
    st.integers(min_value=0, max_value=20_000),
    st.integers(min_value=0, max_value=30),
    st.sampled_from(list(Strategy)),
)
def test_a_limit_that_changes_on_a_date(
    debts: list[Debt], now: int, then: int, switch: int, strategy: Strategy
) -> None:
    """A second limit from a date (recovery, a what-if): each month's total stays within the
    limit in force, nothing is idle while a debt remains, and the oracle agrees."""
    accounts = accounts_of(debts, debt_ids(debts))
    change = add_months(START, switch)

    def limit_on(day: date) -> Decimal:
        return D(then) if day >= change else D(now)

    outcome = simulate(accounts, strategy, start=START, limit_on=limit_on, horizon=90)
    paid, payoff = oracle(debts, D(now), strategy.value, months=90, later=(switch, D(then)))
    assert outcome.payments == paid and outcome.payoff == payoff
    for m, due in enumerate(outcome.dues):
        total = sum(outcome.payments[i][m] for i in outcome.payments)
        assert total <= limit_on(due)
        if not (outcome.cleared and m == len(outcome.dues) - 1):
            assert total == limit_on(due)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(debt_sets(), st.integers(min_value=1, max_value=30_000), st.sampled_from(list(Strategy)))
def test_whole_plan_properties(debts: list[Debt], limit: int, strategy: Strategy) -> None:
    result = build(debts, str(limit), strategy)
    assert result.plan.months is not None or not result.plan.within_term
    if result.plan.within_term:
        assert result.plan.total_paid == sum(d.paid for d in result.debts)
    if result.household.opening.within_term:
        assert all(d.ask.payoff is not None for d in result.debts)
    for debt in result.debts:
        assert debt.ask.walk_away <= D(limit)
        for proposal in debt.proposals:
            assert sum(i.amount for i in proposal.schedule) == proposal.total
            if proposal.affordable:
                assert all(i.amount <= D(limit) for i in proposal.schedule)


# --- the command ---------------------------------------------------------------------------


def test_example_file_json(_isolated: Path) -> None:
    result = invoke("plan", "--debts", str(EXAMPLE), "--json", env=PINNED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "schema_version", "kind", "as_of", "lang", "reason", "recovery", "affordability",
        "strategy", "total_overdue", "total_principal", "plan", "household", "debts", "monthly",
        "compare", "what_if", "hardship", "log_template", "register",
    ]  # fmt: skip
    assert data["schema_version"] == 3 and data["strategy"] == "prorata"
    assert data["household"]["status"] == "fits"
    assert data["affordability"]["limit"] == "1750.00"
    assert [s["name"] for s in data["compare"]] == ["avalanche", "snowball", "prorata", "priority"]
    assert data["plan"]["months"] == 36 and data["plan"]["within_term"] is True
    assert data["monthly"][0]["amounts"] == {"huabei": "220.52", "jiebei": "711.39",
                                             "zhaohang": "533.54", "weilidai": "284.55"}  # noqa: E501
    debt = data["debts"][1]
    assert {"ask", "proposals", "ladder", "checklist", "paid", "cost_of_waiting", "lines",
            "reduction_needed"} <= set(debt)  # fmt: skip
    assert set(debt["ask"]) == {"pause_until", "first_due", "payment", "payment_later",
                                "changes_from", "walk_away", "months", "payoff",
                                "extras"}  # fmt: skip
    assert debt["principal"] == "18500.00" and debt["annual_rate_percent"] == "18"
    assert not (_isolated / "last-plan.json").exists()  # offer/letter expect one debt


def test_short_answer_first_and_details_on_request() -> None:
    env = {**PINNED, "COLUMNS": "80"}
    short = invoke("plan", "--debts", str(EXAMPLE), env=env)
    assert short.exit_code == 0, short.output
    # a short total, then one call card (one screen) per lender
    total, *cards, _pointer = re.split(r"^═+$", short.stdout, flags=re.M)
    # the first line names the plan (the register's current plan, issue 21)
    which, _, total = total.partition("\n\n")
    assert which.startswith("Current plan for the 4 debts in your register, made ")
    assert len(total.splitlines()) <= 4 and len(cards) == 4
    assert all(len(card.strip("\n").splitlines()) <= 24 for card in cards)
    for text in ("You owe ¥49,200.00 to 4 lenders", "you can pay at most ¥1,750.00 a month.",
                 "With interest stopped, ¥1,750.00 a month in all clears the whole principal, "
                 "¥47,278.41, in 28 months.",
                 "With only the penalty waived, at the contract rates: clear in 36 months",
                 "Lender 2 of 4: Jiebei (Alipay)", 'Say: "I can pay ¥685.19 a month',
                 "Each lender's full plan: add --details"):  # fmt: skip
        assert text in short.stdout.replace("\n", " ").replace("  ", " "), text
    details = invoke("plan", "--debts", str(EXAMPLE), "--details", env=env).stdout
    assert "Month by month" in details and "Call log (template)" in details
    assert "The four strategies side by side" in details
    compare = invoke("plan", "--debts", str(EXAMPLE), "--compare", env=env).stdout
    assert "The four strategies side by side" in compare and "Month by month" not in compare
    chinese = invoke("--lang", "zh", "plan", "--debts", str(EXAMPLE), env=env)
    for text in ("共 4 家，欠 49,200.00 元", "第 2/4 家：借呗", "停息后每月共还"):
        assert text in chinese.stdout, text
    summary = invoke("--lang", "zh", "plan", "--debts", str(EXAMPLE), "--compare", env=env)
    for text in ("你共欠 4 家 49,200.00 元", "对每家怎么提", "采用“按比例”方案", "借呗（jiebei）"):
        assert text in summary.stdout, text


def test_what_if_flags() -> None:
    result = invoke("plan", "--debts", str(EXAMPLE), "--strategy", "avalanche", "--extra",
                    "5000@2027-03-01", "--extra", "1千@+6m", "--limit-from", "3000@2027-06-01",
                    "--json", env=PINNED)  # fmt: skip
    assert result.exit_code == 0, result.output
    what = json.loads(result.stdout)["what_if"]
    assert [e["amount"] for e in what["extras"]] == ["5000.00", "1000.00"]
    assert what["limit_change"] == {"amount": "3000.00", "start": "2027-06-01"}
    assert what["months_saved"] > 0 and D(what["money_saved"]) > 0
    bad = invoke("plan", "--debts", str(EXAMPLE), "--extra", "5000", env=PINNED)
    assert bad.exit_code == 2
    assert bad.stderr == (
        "Error: --extra: 5000 is not AMOUNT@DATE, such as 5000@2027-02-01 or 3千@+2m\n"
    )


def test_real_subprocess() -> None:
    result = run("plan", "--debts", str(EXAMPLE), "--lang", "zh", env=PINNED)
    assert result.returncode == 0, result.stderr
    assert "第 1/4 家" in result.stdout and "\x1b" not in result.stdout
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
            "the debts file {p}, line 1, column 7: not valid; write each line as name = value, with double quotes around numbers with 万, commas or % and around words, e.g. overdue = \"4.5万\" (see docs/plan-debts.md)",  # noqa: E501
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
            "{p}, debt 1: unknown field 'colour'; use: platform, overdue, principal, interest, penalty, days_overdue, annual_rate, penalty_rate",  # noqa: E501
        ),
        (
            'income = "lots"\n[[debt]]\nplatform = "huabei"\noverdue = 100\n',
            "{p}, field 'income': monthly income: lots is not an amount; type a number such as 8000, ¥8,000.50, 1.2万 or 3千",  # noqa: E501
        ),
        (
            'income = 1\n[[debt]]\nplatform = "huabei"\noverdue = 100\n'
            "interest = 60\npenalty = 50\n",
            "{p}, debt 1: the parts given add up to 110.00, more than the overdue amount 100.00; check the figures in the app",  # noqa: E501
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
            "--strategy: random is not one of: avalanche, snowball, prorata, priority",
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


def test_shares_never_add_up_to_more_than_the_limit_at_any_date() -> None:
    """Every lender's walk-away line in force on a date, added up, is the limit then (the
    review found 底线 lines adding up to 1,964.28 against 1,750)."""
    for strategy in Strategy:
        result = build(EXAMPLE_DEBTS, "1750", strategy)
        for row in result.monthly[:-1]:
            lines = D(0)
            for debt in result.debts:
                ask = debt.ask
                if ask.first_due is None or row.due < ask.first_due:
                    continue
                if ask.payoff is not None and row.due >= ask.payoff:
                    continue  # its last month takes what is left, not its share
                later = ask.changes_from is not None and row.due >= ask.changes_from
                lines += ask.payment_later if later and ask.payment_later else ask.walk_away
            assert lines <= D(1750) + D("0.05") * len(result.debts), (strategy, row.due, lines)


def test_a_debt_never_cleared_gets_a_pause_not_a_600_month_ask() -> None:
    result = build(EXAMPLE_DEBTS, "250", Strategy.PRORATA)
    assert result.plan.months is None and result.hardship is not None
    assert all(d.ask.first_due is None for d in result.debts)
    assert not any(p.affordable for d in result.debts for p in d.proposals)
    assert all(d.reduction_needed and d.reduction_needed > 0 for d in result.debts)


def test_a_one_off_extra_alone_is_not_a_monthly_ask() -> None:
    # Nothing a month: the hardship route, the extra shared in proportion (token payments):
    # the card's 5,000 × 15,000 / 49,200 = 1,524.39, and the fen left over: 1,524.40.
    result = build(EXAMPLE_DEBTS, "0", Strategy.AVALANCHE, extras=[(D(5000), date(2027, 2, 1))])
    card = next(d for d in result.debts if d.id == "zhaohang")
    assert card.ask.first_due is None and card.ask.walk_away == 0
    assert [i.amount for i in card.ask.extras] == [D("1524.40")]
    assert sum(i.amount for d in result.debts for i in d.ask.extras) == D(5000)
    assert "with the one-off payment" in ask_line(card)
