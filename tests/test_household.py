"""Several debts negotiated lender by lender (issue 20; SPEC "Several debts: negotiate each,
share the budget").

The oracle is a month-by-month allocation written here from the SPEC's words (interest on what
bears it, the limit in force plus extras shared by the strategy, a cleared debt's share rolled
on), and vectors worked by hand in the comments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import invoke, run
from repaycli.catalog import load_catalogue
from repaycli.core.allocate import Strategy
from repaycli.core.balance import breakdown_of
from repaycli.core.household import (
    Household,
    LimitStep,
    Status,
    in_force,
    negotiate_household,
)
from repaycli.core.models import Debt, PlatformKind, Proposal, Situation
from repaycli.core.multi import debt_ids
from repaycli.core.situation import affordability

D = Decimal
FEN = D("0.01")
CATALOGUE = load_catalogue()
TODAY = date(2026, 12, 6)
START = date(2027, 1, 6)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# --- the oracle -------------------------------------------------------------------------------


@dataclass
class Owed:
    id: str
    bearing: Decimal
    flat: Decimal
    rate: Decimal
    kind: PlatformKind
    weight: Decimal
    #: The contract rate, which ranks the debt even when interest is stopped.
    dear: Decimal

    @property
    def owed(self) -> Decimal:
        return self.bearing + self.flat


def _rank(strategy: Strategy, debt: Owed) -> tuple[object, ...]:
    consequence = {PlatformKind.CREDIT_CARD: 1, PlatformKind.CONSUMER_LOAN: 2,
                   PlatformKind.OTHER: 3, PlatformKind.BNPL: 4}[debt.kind]  # fmt: skip
    if debt.kind is PlatformKind.CREDIT_CARD and debt.weight >= 50000:
        consequence = 0
    if strategy is Strategy.AVALANCHE:
        return (-debt.dear, debt.owed, debt.id)
    if strategy is Strategy.SNOWBALL:
        return (debt.owed, -debt.dear, debt.id)
    return (consequence, -debt.dear, debt.owed, debt.id)


def oracle(
    debts: list[Owed],
    strategy: Strategy,
    limit_on: object,
    extras: dict[int, Decimal],
    horizon: int = 600,
) -> tuple[int | None, Decimal, list[dict[str, Decimal]], list[date]]:
    """(months to clear, total paid, each month's payments, due dates)."""
    months: list[dict[str, Decimal]] = []
    dues: list[date] = []
    total = D(0)
    for m in range(horizon):
        open_ = [d for d in debts if d.owed > 0]
        if not open_:
            return m, total, months, dues
        due = TODAY + relativedelta(months=m + 1)
        dues.append(due)
        for d in open_:
            d.bearing += (d.bearing * d.rate / 12).quantize(FEN, ROUND_HALF_UP)
        cap = limit_on(due) + extras.get(m, D(0))  # type: ignore[operator]
        ranked = sorted(open_, key=lambda d: _rank(strategy, d))
        paid = {d.id: D(0) for d in debts}
        if strategy is Strategy.PRORATA:
            active = ranked
            while cap > 0 and active:
                weight = sum(d.weight for d in active)
                share = {d.id: (cap * d.weight / weight).quantize(FEN, ROUND_DOWN) for d in active}
                spare = cap - sum(share.values())
                for d in active:
                    if spare <= 0:
                        break
                    share[d.id] += FEN
                    spare -= FEN
                full = []
                for d in active:
                    room = d.owed - paid[d.id]
                    take = min(share[d.id], room)
                    paid[d.id] += take
                    cap -= take
                    if take == room:
                        full.append(d)
                if not full:
                    break
                active = [d for d in active if d not in full]
        else:
            for d in ranked:
                take = min(cap, d.owed)
                paid[d.id] = take
                cap -= take
        for d in debts:
            amount = paid[d.id]
            to_bearing = min(amount, d.bearing)
            d.bearing -= to_bearing
            d.flat -= amount - to_bearing
            total += amount
        months.append(paid)
    return (None if any(d.owed > 0 for d in debts) else horizon), total, months, dues


def owed_for(debts: list[Debt], ids: list[str], terms: str) -> list[Owed]:
    result = []
    for i, debt in zip(ids, debts, strict=True):
        parts = breakdown_of(debt)
        if terms == "opening":
            bearing, flat, rate = D(0), parts.principal, D(0)
        elif terms == "target":
            bearing, flat, rate = parts.bearing, D(0), debt.contract_rate
        else:
            bearing, flat, rate = parts.bearing, parts.penalty, debt.contract_rate
        result.append(
            Owed(i, bearing, flat, rate, debt.platform.kind, debt.overdue, debt.contract_rate)
        )
    return result


# --- helpers ----------------------------------------------------------------------------------


def monthly(proposal: Proposal) -> Decimal:
    return max(row.amount for row in proposal.schedule)


def room_on(house: Household, lender_id: str, day: date) -> Decimal:
    """The lender's line in force, plus its part of an extra paid that day."""
    lender = house.lender(lender_id)
    extra = sum((x.amount for x in lender.extras if x.start == day), D(0))
    return lender.line_on(day) + extra


def check(house: Household, debts: list[Debt], situation: Situation, extras: dict[int, Decimal],
          limit_on: object) -> None:  # fmt: skip
    ids = [x.id for x in house.lenders]
    # Lines in force add up to the limit on every due date, and none is negative.
    for due in house.dues:
        lines = [x.line_on(due) for x in house.lenders]
        assert all(line >= 0 for line in lines)
        assert sum(lines, D(0)) == limit_on(due)  # type: ignore[operator]
    for lender in house.lenders:
        assert [s.start for s in lender.lines] == sorted({s.start for s in lender.lines})
        opening = lender.proposal(lender.ladder.opening)
        target = lender.proposal(lender.ladder.target)
        # No schedule of the ladder (nor any affordable proposal) asks above the line in force.
        for proposal in lender.proposals:
            if not proposal.affordable:
                continue
            for row in proposal.schedule:
                assert row.amount <= room_on(house, lender.id, row.due), (lender.id, proposal.id)
                assert row.amount > 0  # no "¥0.00 a month" installments
            assert sum(r.amount for r in proposal.schedule) == proposal.total
        if opening is not None and target is not None:
            assert opening.total <= target.total
            assert monthly(opening) <= monthly(target)
        if house.opening.within_term:
            # The interest-free household fits: every opening is interest-free, within 60.
            assert opening is not None and opening.interest_free, lender.id
            last = START + relativedelta(months=59)
            assert opening.schedule[-1].due <= TODAY + relativedelta(months=60) == last
    # Months and totals of each scenario equal the oracle's.
    for terms, result in (("opening", house.opening), ("target", house.target),
                          ("walk_away", house.walk_away)):  # fmt: skip
        months, total, _, _ = oracle(owed_for(debts, ids, terms), house.strategy, limit_on, extras)
        assert result.months == months, terms
        if months is not None:
            assert result.total_paid == total, terms
    if house.status is Status.HARDSHIP:
        assert not house.opening.within_term
        assert house.reduction_needed is not None and house.reduction_needed > 0
        assert house.reduction_needed == sum(
            (x.reduction_needed or D(0) for x in house.lenders), D(0)
        )
    elif house.status is Status.INTEREST_MUST_STOP:
        assert house.opening.within_term and not house.target.within_term


# --- properties -------------------------------------------------------------------------------

PLATFORMS = [p.id for p in CATALOGUE.platforms]
AMOUNT = st.integers(min_value=100, max_value=20_000_000).map(lambda f: D(f) / 100)


@st.composite
def households(draw: st.DrawFn) -> tuple[list[Debt], Situation, Strategy, dict[int, Decimal]]:
    count = draw(st.integers(1, 12))
    debts = [
        Debt(
            platform=CATALOGUE.get(draw(st.sampled_from(PLATFORMS))),
            overdue=draw(AMOUNT),
            days_overdue=draw(st.integers(0, 400)),
        )
        for _ in range(count)
    ]
    owed = sum(d.overdue for d in debts)
    # Limits from ¥1 to more than everything (50 % of income − expenses).
    limit = draw(st.one_of(st.integers(1, 5000).map(D), st.just(owed * 2).map(round)))
    expenses = D(1000)
    income = expenses + 2 * D(limit)
    recovery = draw(st.one_of(st.none(), st.integers(1, 48)))
    situation = Situation(
        today=TODAY,
        start=START,
        income=income,
        expenses=expenses,
        recovery=None if recovery is None else TODAY + relativedelta(months=recovery, days=3),
        income_after=None if recovery is None else draw(st.integers(0, 20000).map(D)),
    )
    strategy = draw(st.sampled_from(list(Strategy)))
    extras = draw(st.dictionaries(st.integers(0, 70), st.integers(1, 50000).map(D), max_size=2))
    return debts, situation, strategy, extras


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(households())
def test_every_household_keeps_the_invariants(
    case: tuple[list[Debt], Situation, Strategy, dict[int, Decimal]],
) -> None:
    debts, situation, strategy, extras = case
    budget = affordability(situation)
    house = negotiate_household(
        debts, situation, ids=debt_ids(debts), budget=budget, strategy=strategy, extras=extras
    )
    event(f"{house.status.value}, reference {house.reference}")
    check(house, debts, situation, extras, budget.limit_on)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    households(),
    st.lists(
        st.tuples(st.integers(0, 80), st.integers(0, 8000).map(D)), min_size=1, max_size=5
    ),
)
def test_a_limit_given_as_a_schedule(
    case: tuple[list[Debt], Situation, Strategy, dict[int, Decimal]],
    changes: list[tuple[int, Decimal]],
) -> None:
    """The debt register subtracts agreed installments month by month: the limit comes as a
    schedule of (from-date, amount), however many steps."""
    debts, situation, strategy, _ = case
    steps = [(TODAY + relativedelta(months=m, days=5), amount) for m, amount in changes]
    house = negotiate_household(
        debts, situation, ids=debt_ids(debts), budget=affordability(situation),
        limits=steps, strategy=strategy,
    )  # fmt: skip
    ordered = sorted(dict(steps).items())

    def limit_on(day: date) -> Decimal:
        found = ordered[0][1]
        for start, amount in ordered:
            if start <= day:
                found = amount
        return found

    assert [(s.start, s.amount) for s in house.limits] == [
        s for n, s in enumerate(ordered) if n == 0 or s[1] != ordered[n - 1][1]
    ]
    check(house, debts, situation, {}, limit_on)


# --- vectors worked by hand -------------------------------------------------------------------


def three_debts() -> tuple[list[Debt], Situation]:
    debts = [
        Debt(platform=CATALOGUE.resolve("花呗"), overdue=D(8000), days_overdue=30),
        Debt(platform=CATALOGUE.resolve("借呗"), overdue=D(15000)),
        Debt(platform=CATALOGUE.resolve("招行"), overdue=D(45000), days_overdue=90),
    ]
    return debts, Situation(today=TODAY, start=START, income=D(6500), expenses=D(4200))


def test_the_three_debt_household_of_the_issue() -> None:
    debts, situation = three_debts()
    budget = affordability(situation)
    assert budget.limit == D(1150)  # 50 % of 6,500 − 4,200
    house = negotiate_household(debts, situation, ids=debt_ids(debts), budget=budget)
    # Principal: 花呗 8,000 / 1.015 = 7,881.77; 借呗 15,000; card 45,000 / 1.045 = 43,062.20.
    assert house.total_principal == D("65943.97")
    # Interest stopped, 1,150 a month clears it in 58 months; at the contract rates, 130.
    assert (house.opening.months, house.opening.total_paid) == (58, D("65943.97"))
    assert house.opening.monthly == D(1150)
    assert house.status is Status.INTEREST_MUST_STOP and house.target.months == 130
    # Shares of 1,150 by balance: 135.294…, 253.676…, 761.029… rounded down, and the 2 fen
    # left over to the card, then 借呗 (consequence first): 135.29, 253.68, 761.03.
    # The card's 43,062.20 takes 56 × 761.03 = 42,617.68, then 444.52 in month 57 (Sep 2031);
    # the 316.51 it leaves that month go 8 : 15 to the others (110.09 and 206.42).
    # Month 58: 花呗's last 60.15 and 借呗's last 333.82; the 756.03 unused to 借呗's line.
    lines = {x.id: [(s.start, s.amount) for s in x.lines] for x in house.lenders}
    assert lines == {
        "huabei": [(date(2027, 1, 6), D("135.29")), (date(2031, 9, 6), D("245.38")),
                   (date(2031, 10, 6), D("60.15"))],
        "jiebei": [(date(2027, 1, 6), D("253.68")), (date(2031, 9, 6), D("460.10")),
                   (date(2031, 10, 6), D("1089.85"))],
        "zhaohang": [(date(2027, 1, 6), D("761.03")), (date(2031, 9, 6), D("444.52")),
                     (date(2031, 10, 6), D(0))],
    }  # fmt: skip
    for lender in house.lenders:
        opening = lender.proposal(lender.ladder.opening)
        assert opening is not None and opening.interest_free
        # The target (penalty waived at the contract rate) does not fit any line in 60 months:
        # the target is the interest-stopped plan too, and the card says interest must stop.
        assert lender.ladder.target == lender.ladder.opening
    huabei = house.lender("huabei").proposal(house.lender("huabei").ladder.opening)
    assert huabei is not None
    assert [r.amount for r in huabei.schedule] == [D("135.29")] * 56 + [D("245.38"), D("60.15")]
    card = house.lender("zhaohang").proposal(house.lender("zhaohang").ladder.opening)
    assert card is not None
    assert [r.amount for r in card.schedule] == [D("761.03")] * 56 + [D("444.52")]
    assert card.total == D("43062.20") and card.waived == D("1937.80")


def test_the_three_debt_household_through_the_command(tmp_path: Path) -> None:
    path = tmp_path / "debts.toml"
    path.write_text(
        'income = "6500"\nexpenses = "4200"\n'
        '[[debt]]\nplatform = "花呗"\noverdue = "8000"\ndays_overdue = 30\n'
        '[[debt]]\nplatform = "借呗"\noverdue = "15000"\n'
        '[[debt]]\nplatform = "招行"\noverdue = "45000"\ndays_overdue = 90\n',
        encoding="utf-8",
    )
    env = {"REPAYCLI_TODAY": TODAY.isoformat()}
    done = run("plan", "--debts", str(path), "--lang", "zh", env=env)
    assert done.returncode == 0, done.stderr
    flat = "".join(done.stdout.split())  # the card wraps at 80 columns

    def has(text: str) -> bool:
        return "".join(text.split()) in flat

    assert has("停息后每月共还 1,150.00 元，58 个月还清全部本金 65,943.97 元。")
    assert has("只有停息，方案才行得通")
    assert has("2027-01 起每月最多 135.29 元；2031-09 起 245.38 元")
    result = invoke("plan", "--debts", str(path), "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["schema_version"] == 3
    assert plan["household"]["status"] == "interest_must_stop"
    assert plan["household"]["opening"]["months"] == 58
    assert plan["debts"][0]["lines"][0] == {"start": "2027-01-06", "amount": "135.29"}


def test_debts_tight() -> None:
    # 600 a month (50 % of 4,500 − 3,300) shared by 15,000 : 8,000 : 3,000 : 1,200 — 330.88…,
    # 176.47…, 66.17…, 26.47… rounded down, the 1 fen left over to the card: 330.89.
    from repaycli.cli.debts import load_debts

    loaded = load_debts(EXAMPLES / "debts-tight.toml", CATALOGUE)
    situation = Situation(
        today=TODAY, start=START, income=loaded.income or D(0), expenses=loaded.expenses
    )
    budget = affordability(situation)
    house = negotiate_household(
        loaded.debts, situation, ids=debt_ids(loaded.debts), budget=budget
    )
    assert budget.limit == D(600)
    first = {x.id: x.lines[0].amount for x in house.lenders}
    assert first == {"zhaohang": D("330.89"), "jiebei": D("176.47"), "huabei": D("66.17"),
                     "meituan": D("26.47")}  # fmt: skip
    # Principal only: the card's 15,000 / 1.03 = 14,563.11 is 43 × 330.89 = 14,228.27 and
    # 334.84 in month 44; 借呗's 7,600 is 43 × 176.47 = 7,588.21 and 11.79: all clear in 44.
    assert house.status is Status.INTEREST_MUST_STOP
    assert (house.opening.months, house.target.months) == (44, 73)
    card = house.lender("zhaohang")
    opening = card.proposal(card.ladder.opening)
    assert opening is not None
    assert [r.amount for r in opening.schedule] == [D("330.89")] * 43 + [D("334.84")]
    check(house, loaded.debts, situation, {}, budget.limit_on)


def test_the_hardship_route_states_the_reduction_in_yuan() -> None:
    # 50 a month (50 % of 1,000 − 900) for 8,000 + 15,000 of principal: 60 months pay 3,000.
    # Shares of 50 by 8 : 15 — 17.39 and 32.60, the fen left to 借呗: 32.61. In 60 months
    # 花呗 gets 1,043.40 (6,956.60 short), 借呗 1,956.60 (13,043.40 short): 20,000 in all.
    debts = [
        Debt(platform=CATALOGUE.resolve("花呗"), overdue=D(8000)),
        Debt(platform=CATALOGUE.resolve("借呗"), overdue=D(15000)),
    ]
    situation = Situation(today=TODAY, start=START, income=D(1000), expenses=D(900))
    budget = affordability(situation)
    house = negotiate_household(debts, situation, ids=debt_ids(debts), budget=budget)
    assert house.status is Status.HARDSHIP
    assert {x.id: x.reduction_needed for x in house.lenders} == {
        "huabei": D("6956.60"),
        "jiebei": D("13043.40"),
    }
    assert house.reduction_needed == D(20000)
    for lender in house.lenders:
        assert lender.ladder.hardship is not None
    check(house, debts, situation, {}, budget.limit_on)


def test_a_household_that_fits_differs_by_kind() -> None:
    # examples/debts.toml: 1,750 a month clears the whole balance at the contract rates within
    # 60 months, so each lender opens interest-free and aims for the penalty waived at its rate.
    from repaycli.cli.debts import load_debts

    loaded = load_debts(EXAMPLES / "debts.toml", CATALOGUE)
    situation = Situation(
        today=TODAY, start=START, income=loaded.income or D(0), expenses=loaded.expenses
    )
    budget = affordability(situation)
    house = negotiate_household(
        loaded.debts, situation, ids=debt_ids(loaded.debts), budget=budget
    )
    assert house.status is Status.FITS
    for lender in house.lenders:
        opening = lender.proposal(lender.ladder.opening)
        target = lender.proposal(lender.ladder.target)
        assert opening is not None and target is not None
        assert opening.interest_free and not target.interest_free
        assert opening.total < target.total
    check(house, loaded.debts, situation, {}, budget.limit_on)


@pytest.mark.parametrize("strategy", list(Strategy))
def test_lines_follow_the_strategy(strategy: Strategy) -> None:
    debts, situation = three_debts()
    budget = affordability(situation)
    house = negotiate_household(
        debts, situation, ids=debt_ids(debts), budget=budget, strategy=strategy
    )
    check(house, debts, situation, {}, budget.limit_on)
    if strategy is Strategy.AVALANCHE:  # the dearest (the card, 18.25 %) takes it all first
        assert house.lender("zhaohang").lines[0] == LimitStep(start=START, amount=D(1150))
        waiting = house.lender("huabei")
        assert waiting.lines[0].amount == 0
        opening = waiting.proposal(waiting.ladder.opening)
        assert opening is not None and opening.deferral_months > 0
    assert in_force(house.limits, START) == D(1150)
