"""The capacity-first proposal engine (SPEC "How proposals are made").

Numbers are checked against independent oracles: numpy-financial's ``pmt`` and ``irr`` (floats,
in the test only), a month-by-month simulation written here, and vectors worked by hand in the
comments.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from repaycli.catalog import load_catalogue
from repaycli.core.balance import breakdown_of
from repaycli.core.dates import add_months, months_from
from repaycli.core.models import Basis, Debt, Proposal, ProposalKind, Reason, Situation
from repaycli.core.plan import Worked, work_out
from repaycli.errors import BadInput

D = Decimal
TODAY = date(2026, 12, 1)
START = date(2027, 1, 1)
CATALOGUE = load_catalogue()
FEN = D("0.01")


def work(
    platform: str,
    overdue: str,
    income: str,
    expenses: str | None = None,
    *,
    cash: str | None = None,
    recovery: date | None = None,
    income_after: str | None = None,
    reason: Reason | None = None,
    **debt: object,
) -> Worked:
    situation = Situation(
        today=TODAY,
        start=START,
        income=D(income),
        expenses=None if expenses is None else D(expenses),
        cash=None if cash is None else D(cash),
        recovery=recovery,
        income_after=None if income_after is None else D(income_after),
        reason=reason,
    )
    return work_out(
        Debt(platform=CATALOGUE.resolve(platform), overdue=D(overdue), **debt),  # type: ignore[arg-type]
        situation,
    )


def by_id(worked: Worked, pid: str) -> Proposal:
    found = worked.proposal(pid)
    assert found is not None, [p.id for p in worked.proposals]
    return found


def fen(value: float) -> Decimal:
    return D(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def pmt(principal: Decimal, annual: Decimal, months: int) -> Decimal:
    """The 等额本息 payment from numpy-financial (the oracle)."""
    return fen(float(npf.pmt(float(annual) / 12, months, -float(principal))))


# --- fixed vectors worked by hand ---------------------------------------------------------------


def test_zero_income_is_the_hardship_route() -> None:
    # 8,000 overdue 30 days at 0.05 %/day: principal 8000 / 1.015 = 7,881.77 (estimated).
    worked = work("huabei", "8000", "0", reason=Reason.UNEMPLOYMENT, days_overdue=30)
    assert worked.budget.limit == 0
    assert not any(p.affordable for p in worked.proposals)
    ladder = worked.ladder
    assert (ladder.opening, ladder.target, ladder.nothing_affordable) == (None, None, True)
    assert ladder.hardship is not None
    assert ladder.hardship.pause_months == 3
    assert ladder.hardship.write_again == date(2027, 3, 1)
    # 7,881.77 × 0.0125 / (1 − 1.0125⁻⁶⁰) = 187.51: what 60 months would need.
    assert ladder.hardship.needed_payment == D("187.51") == pmt(D("7881.77"), D("0.15"), 60)
    assert ladder.hardship.legal_aid == "12348"
    assert ladder.walk_away_monthly == 0


def test_a_deficit_is_shown_as_a_deficit() -> None:
    worked = work("jiebei", "10000", "3000", "3500")
    budget = worked.budget
    assert (budget.disposable, budget.deficit, budget.limit) == (0, D(500), 0)
    assert worked.ladder.hardship is not None
    assert worked.ladder.hardship.deficit == D(500)
    # 10,000 × 0.015 / (1 − 1.015⁻⁶⁰) = 253.9343…: 59 × 253.93 and a last installment of
    # 15,236.06 − 14,981.87 = 254.19, the most any month would need.
    assert pmt(D(10000), D("0.18"), 60) == D("253.93")
    assert worked.ladder.hardship.needed_payment == D("254.19")


def test_jiebei_10000_with_a_500_limit_fits_in_24_months() -> None:
    worked = work("jiebei", "10000", "3000", "2000")
    assert worked.budget.limit == D(500)
    # 23 months at 18 % would need 515.xx; 24 months need 10,000 × 0.015 / (1 − 1.015⁻²⁴)
    # = 499.24, the last 499.26 (11,981.78 in all).
    assert pmt(D(10000), D("0.18"), 23) > 500
    target = by_id(worked, "inst-24")
    assert (target.payment, target.total, target.schedule[-1].amount) == (
        D("499.24"),
        D("11981.78"),
        D("499.26"),
    )
    assert target.affordable and target.apr_percent == D("18.00")
    assert target.needs_negotiation and not target.standard  # the catalogue stops at 12
    # The ask a counsellor starts with: 500 a month clears 10,000 in 20 months, interest-free.
    opening = by_id(worked, "inst-20-free")
    assert {i.amount for i in opening.schedule} == {D(500)}
    # But 500 a month is more than the target's 499.26: the ladder would be upside down for a
    # person who thinks in monthly payments. Interest-free, the ask stretches at no cost to the
    # fewest months asking no more than the target: 10,000 / 21 = 476.19 (the last 476.20).
    stretched = by_id(worked, "inst-21-free")
    assert max(i.amount for i in stretched.schedule) == D("476.20") <= D("499.26")
    assert (stretched.total, stretched.affordable) == (D(10000), True)
    assert (worked.ladder.opening, worked.ladder.target) == ("inst-21-free", "inst-24")


def test_card_45000_ninety_days_overdue_with_a_1500_limit() -> None:
    worked = work("zhaohang", "45000", "6000", "3000", days_overdue=90)
    parts = breakdown_of(Debt(platform=CATALOGUE.resolve("zhaohang"), overdue=D(45000),
                              days_overdue=90))  # fmt: skip
    # 45,000 / (1 + 0.0005 × 90) = 43,062.20; the penalty is the rest, 1,937.80.
    assert (parts.principal, parts.penalty, parts.interest) == (D("43062.20"), D("1937.80"), 0)
    # Principal only: ⌈43,062.20 / 1,500⌉ = 29 months of 1,484.90.
    principal = by_id(worked, "principal-29")
    assert principal.payment == D("1484.90") and principal.total == D("43062.20")
    # The penalty waived at 18.25 %: 38 months would need more than 1,500; 39 need 1,471.93.
    assert pmt(D("43062.20"), D("0.1825"), 38) > 1500
    waive = by_id(worked, "waive-39")
    assert waive.payment == pmt(D("43062.20"), D("0.1825"), 39) == D("1471.93")
    assert waive.waived == D("1937.80") and waive.basis is Basis.WITHOUT_PENALTY
    # The personalised plan (art. 70): interest-free 30 × 1,500 as the best case.
    assert by_id(worked, "card-30-free").total == D(45000)
    # 1,484.90 a month is more than the target's 1,471.93: the interest-free opening stretches
    # to 30 months of 43,062.20 / 30 = 1,435.41 (the last 1,435.31), no dearer.
    assert by_id(worked, "principal-30").payment == D("1435.41")
    assert (worked.ladder.opening, worked.ladder.target) == ("principal-30", "waive-39")


def test_a_50_yuan_debt_is_paid_not_negotiated() -> None:
    worked = work("huabei", "50", "3000", "2000")
    pay = by_id(worked, "pay-now")
    assert [(i.due, i.amount) for i in pay.schedule] == [(TODAY, D(50))]
    assert (worked.ladder.opening, worked.ladder.target) == ("pay-now", "pay-now")


def test_cash_that_covers_most_of_the_principal() -> None:
    # Principal 9,000 given; 60 days at 0.05 %/day on it estimate the penalty at 270, so the
    # interest due is the other 730 (both labelled estimates).
    worked = work("jiebei", "10000", "3000", "2000", cash="8000", principal=D(9000),
                  days_overdue=60)  # fmt: skip
    partial = by_id(worked, "partial-2")
    # 8,000 now, then the other 1,000 of principal as 2 × 500 within the limit.
    assert [(i.due, i.amount) for i in partial.schedule] == [
        (TODAY, D(8000)),
        (START, D(500)),
        (date(2027, 2, 1), D(500)),
    ]
    assert (partial.down_payment, partial.total, partial.waived) == (D(8000), D(9000), D(1000))
    assert partial.affordable and partial.apr_percent == 0
    # The target: principal + interest due (9,730) at 18 %, penalty (270) waived.
    waive = by_id(worked, "waive-24")
    assert waive.payment == pmt(D(9730), D("0.18"), 24) and waive.waived == D(270)
    assert pmt(D(9730), D("0.18"), 23) > 500
    # 2 × 500 asks more a month than the target (485.75…): the rest in 3 × 333.33/333.34.
    assert pmt(D(9730), D("0.18"), 24) < 500
    stretched = by_id(worked, "partial-3")
    assert [i.amount for i in stretched.schedule] == [D(8000), D("333.33"), D("333.33"),
                                                      D("333.34")]  # fmt: skip
    assert (worked.ladder.opening, worked.ladder.target) == ("partial-3", "waive-24")
    assert not any(p.kind is ProposalKind.LUMP_SUM for p in worked.proposals)


def test_illness_with_recovery_in_a_month() -> None:
    # No income until 5 January; then 6,000 − 3,000 → a limit of 1,500. The first due date,
    # 1 January, falls before recovery: a level plan cannot start then, so the deferral (a
    # one-month extension, then the rest) is what fits, and the ladder uses it.
    worked = work("jiebei", "10000", "0", "3000", recovery=date(2027, 1, 5), income_after="6000",
                  reason=Reason.MEDICAL, days_overdue=20)  # fmt: skip
    assert (worked.budget.limit, worked.budget.limit_after) == (0, D(1500))
    deferral = by_id(worked, "defer-1m-8")
    # Principal 10,000 / 1.01 = 9,900.99; a month of interest accrues during the pause
    # (148.51), so 10,049.50 is repaid from 1 February; 7 months would need more than 1,500.
    assert pmt(D("10049.50"), D("0.18"), 7) > 1500
    assert deferral.payment == pmt(D("10049.50"), D("0.18"), 8) == D("1342.45")
    assert deferral.schedule[0].due == date(2027, 2, 1)
    assert deferral.deferral_months == 1 and deferral.affordable
    # Dated APR: no payment in month 1, then 8 at months 2…9 (numpy-financial's irr): the
    # contract rate, since interest ran during the pause.
    flows = [9900.99, 0.0] + [-float(i.amount) for i in deferral.schedule]
    assert deferral.apr_percent == fen(float(npf.irr(flows)) * 12 * 100) == D("18.00")
    level = [p for p in worked.proposals if p.kind is not ProposalKind.DEFERRAL]
    assert level and not any(p.affordable for p in level)
    assert (worked.ladder.opening, worked.ladder.target) == ("defer-1m-8", "defer-1m-8")
    assert worked.ladder.hardship is not None and worked.ladder.hardship.pause_months == 1
    assert worked.ladder.walk_away_after == D(1500)


def test_stepped_plan_simulated_month_by_month() -> None:
    # 500 a month until 1 April, 1,500 after. The stepped plan pays 500 on 1 Jan, 1 Feb, 1 Mar
    # (interest at 1.5 % a month on principal + interest due), then the rest level at 18 %.
    worked = work("jiebei", "10000", "4000", "3000", recovery=date(2027, 4, 1),
                  income_after="6000", reason=Reason.MEDICAL, days_overdue=20)  # fmt: skip
    step = next(p for p in worked.proposals if p.kind is ProposalKind.STEPPED)
    balance = D("9900.99")
    for _ in range(3):
        balance += (balance * D("0.015")).quantize(FEN, rounding=ROUND_HALF_UP)
        balance -= 500
    rest = next(n for n in range(1, 61) if pmt(balance, D("0.18"), n) <= 1500)
    assert [i.amount for i in step.schedule[:3]] == [D(500)] * 3
    assert step.payment_after == pmt(balance, D("0.18"), rest)
    assert step.periods == 3 + rest
    assert worked.ladder.target == step.id  # it clears the debt soonest, penalty waived


def test_given_parts_are_used_as_given() -> None:
    debt = Debt(platform=CATALOGUE.resolve("jiebei"), overdue=D(10000), interest_due=D(300),
                penalty=D(200), days_overdue=50)  # fmt: skip
    parts = breakdown_of(debt)
    assert (parts.principal, parts.interest, parts.penalty) == (D(9500), D(300), D(200))
    assert not (parts.principal_estimated or parts.interest_estimated or parts.penalty_estimated)
    with pytest.raises(BadInput):
        breakdown_of(debt.model_copy(update={"principal": D(9000)}))  # parts ≠ overdue
    with pytest.raises(BadInput):
        breakdown_of(debt.model_copy(update={"penalty": D(20000)}))  # parts > overdue


# --- properties over random situations ----------------------------------------------------------

PLATFORMS = [p.id for p in CATALOGUE.platforms]
money = st.integers(min_value=0, max_value=5_000_000).map(lambda n: D(n) / 100)


@st.composite
def situations(draw: st.DrawFn) -> tuple[Debt, Situation]:
    platform = CATALOGUE.get(draw(st.sampled_from(PLATFORMS)))
    overdue = D(draw(st.integers(min_value=100, max_value=200_000_000))) / 100
    days = draw(st.integers(min_value=0, max_value=400))
    income = D(draw(st.integers(min_value=0, max_value=50_000)))
    expenses = draw(st.none() | st.integers(min_value=0, max_value=60_000).map(D))
    cash = draw(st.none() | money)
    recovery = draw(st.none() | st.integers(min_value=1, max_value=400))
    after = draw(st.none() | st.integers(min_value=0, max_value=50_000).map(D))
    given_parts = draw(st.sampled_from(["none", "principal", "all_but_principal"]))
    fields: dict[str, object] = {}
    if given_parts == "principal":
        fields["principal"] = max(FEN, (overdue * draw(st.sampled_from([D(1), D("0.9")])))
                                  .quantize(FEN))  # fmt: skip
    elif given_parts == "all_but_principal":
        fields["penalty"] = (overdue * D("0.05")).quantize(FEN)
        fields["interest_due"] = (overdue * D("0.02")).quantize(FEN)
    debt = Debt(platform=platform, overdue=overdue, days_overdue=days, **fields)  # type: ignore[arg-type]
    day = TODAY + timedelta(days=recovery) if recovery is not None else None
    situation = Situation(
        today=TODAY,
        start=START,
        income=income,
        expenses=expenses,
        cash=cash,
        reason=draw(st.none() | st.sampled_from(list(Reason))),
        recovery=day,
        income_after=after if day is not None else None,
    )
    return debt, situation


def _from_cash(proposal: Proposal, index: int) -> bool:
    """Paid today from cash: a lump sum, paying now, or a down payment."""
    return proposal.schedule[index].due == TODAY and (
        proposal.down_payment > 0 or proposal.kind in (ProposalKind.PAY_NOW, ProposalKind.LUMP_SUM)
    )


def monthly(proposal: Proposal, situation: Situation) -> Decimal:
    """The largest installment paid from income (a down payment, or a lump sum the cash
    covers, is paid from cash)."""
    rows = [r.amount for r in proposal.schedule]
    if proposal.down_payment:
        rows = rows[1:]
    elif situation.cash is not None and situation.cash >= proposal.total and len(rows) == 1:
        rows = []
    return max(rows, default=D(0))


def _stretched(proposal: Proposal, worked: Worked) -> bool:
    """An interest-free ask the ladder stretched to the target's monthly: a shorter one of the
    same kind and basis is among the proposals."""
    return proposal.interest_free and any(
        p.kind is proposal.kind
        and p.basis is proposal.basis
        and p.interest_free
        and p.periods < proposal.periods
        for p in worked.proposals
    )


def fits_everywhere(proposal: Proposal, worked: Worked) -> bool:
    return all(
        _from_cash(proposal, i) or row.amount <= worked.budget.limit_on(row.due)
        for i, row in enumerate(proposal.schedule)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_invariants(case: tuple[Debt, Situation]) -> None:
    debt, situation = case
    worked = work_out(debt, situation)
    budget = worked.budget
    expenses = situation.expenses
    if expenses is not None and expenses > situation.income:
        assert budget.deficit == expenses - situation.income and budget.limit == 0
    for proposal in worked.proposals:
        amounts = [row.amount for row in proposal.schedule]
        assert sum(amounts, D(0)) == proposal.total
        assert all(a >= 0 for a in amounts)
        assert len(amounts) - (1 if proposal.down_payment else 0) <= 60
        assert proposal.affordable == fits_everywhere(proposal, worked)
        assert proposal.standard != proposal.needs_negotiation
        assert proposal.waived == debt.overdue - proposal.balance
        assert [r.due for r in proposal.schedule] == sorted(r.due for r in proposal.schedule)
    ladder = worked.ladder
    affordable = [p for p in worked.proposals if p.affordable]
    assert ladder.nothing_affordable == (not affordable)
    opening = by_id(worked, ladder.opening) if ladder.opening else None
    from_cash = (
        opening is not None
        and opening.kind in (ProposalKind.PAY_NOW, ProposalKind.LUMP_SUM)
        and situation.cash is not None
        and situation.cash >= opening.total
    )
    # One route: a plan (with a zero limit, only a payment from cash now), or the hardship route.
    route = not affordable or (budget.limit == 0 and not from_cash)
    assert (ladder.hardship is not None) == route
    if not affordable:
        assert ladder.opening is None and ladder.target is None
    else:
        assert ladder.opening is not None
    for pid in (ladder.opening, ladder.target):
        if pid is not None:  # no step of the ladder asks above the walk-away line in force
            assert fits_everywhere(by_id(worked, pid), worked)
    if ladder.opening is not None and ladder.target is not None:
        low, high = by_id(worked, ladder.opening), by_id(worked, ladder.target)
        assert low.total <= high.total
        # Opening ≤ target ≤ walk-away a month too (what is paid now from cash aside).
        assert monthly(low, situation) <= monthly(high, situation)
        for row in high.schedule:
            assert _from_cash(high, high.schedule.index(row)) or row.amount <= budget.limit_on(
                row.due
            )
        if high.kind is ProposalKind.PAY_NOW and any(
            p.kind is ProposalKind.LUMP_SUM and p.affordable for p in worked.proposals
        ):
            assert low.kind is ProposalKind.LUMP_SUM  # the cheaper lump sum first


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_fewest_months_and_interest_only_on_what_bears_it(case: tuple[Debt, Situation]) -> None:
    """Each level plan is the shortest that fits (checked with the oracle's payment for one
    month fewer), and its interest is the oracle's annuity on principal + interest due only."""
    debt, situation = case
    assume(situation.recovery is None)  # one limit: the shortest level plan is monotonic
    worked = work_out(debt, situation)
    limit = worked.budget.limit
    parts = breakdown_of(debt)
    rate = debt.contract_rate
    for proposal in worked.proposals:
        level = proposal.kind in (
            ProposalKind.PRINCIPAL_ONLY,
            ProposalKind.PENALTY_WAIVED,
            ProposalKind.INSTALLMENTS,
            ProposalKind.CARD_PERSONALISED,
        )
        if not level or _stretched(proposal, worked):
            continue
        n = proposal.periods
        flat = proposal.balance - proposal.interest_bearing
        annual = D(0) if proposal.interest_free else rate
        if proposal.interest_bearing:
            assert proposal.interest_bearing == parts.bearing
            exact = D(repr(float(npf.pmt(float(annual) / 12, n, -float(parts.bearing)))))
            interest = exact * n - parts.bearing
            assert abs(proposal.total - proposal.balance - interest) <= D("0.01") * n
        else:
            assert proposal.total == proposal.balance
        if proposal.affordable and n > 1:
            # One month fewer does not fit: its largest installment (the last, which absorbs
            # the rounding of a level payment rounded to the fen) is above the limit.
            def largest(amount: Decimal, exact: float, count: int) -> Decimal:
                each = fen(exact)
                return max(each, fen(exact * count) - each * (count - 1)) if amount else D(0)

            m = n - 1
            flat_part = largest(flat, float(flat) / m, m)
            bearing_part = D(0)
            if proposal.interest_bearing:
                exact = float(npf.pmt(float(annual) / 12, m, -float(parts.bearing)))
                bearing_part = largest(parts.bearing, exact, m)
            assert flat_part + bearing_part > limit - D("0.02")
        if not proposal.affordable:
            assert n == 60


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_apr_is_the_irr_of_the_dated_cash_flows(case: tuple[Debt, Situation]) -> None:
    """numpy-financial's irr over monthly flows (each on its month from today) agrees."""
    debt, situation = case
    worked = work_out(debt, situation)
    for proposal in worked.proposals:
        if proposal.total == proposal.balance or len(proposal.schedule) > 62:
            continue
        months = [months_from(TODAY, row.due) for row in proposal.schedule]
        assert all(m == int(m) for m in months)
        flows = [0.0] * (int(months[-1]) + 1)
        flows[0] += float(proposal.balance)
        for m, row in zip(months, proposal.schedule, strict=True):
            flows[int(m)] -= float(row.amount)
        monthly = float(npf.irr(flows))
        assume(not math.isnan(monthly))
        assert abs(proposal.apr_percent - fen(monthly * 12 * 100)) <= D("0.01")


def test_a_late_first_payment_accrues_interest_until_then() -> None:
    """Starting three months out, contract interest runs from today: the plan costs more (and
    takes a month longer within the limit), and its dated APR is still the contract rate."""
    debt = Debt(platform=CATALOGUE.resolve("jiebei"), overdue=D(10000))
    early = work_out(debt, Situation(today=TODAY, start=START, income=D(3000), expenses=D(2000)))
    late = work_out(
        debt,
        Situation(today=TODAY, start=add_months(START, 2), income=D(3000), expenses=D(2000)),
    )
    # 10,000 grows by two months at 1.5 %: 10,150.00, then 10,302.25 owed when the plan begins.
    assert by_id(late, "inst-25").payment == pmt(D("10302.25"), D("0.18"), 25)
    assert by_id(late, "inst-25").total > by_id(early, "inst-24").total
    assert by_id(late, "inst-25").apr_percent == by_id(early, "inst-24").apr_percent == D("18.00")
