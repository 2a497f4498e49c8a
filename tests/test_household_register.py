"""The household plan: agreements are commitments that come off the limit before it is shared."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repaycli.catalog import load_catalogue
from repaycli.core.dates import add_months
from repaycli.core.register import Budget, Commitment, RegisterDebt, limit_schedule, two_steps
from repaycli.services.household import plan_household

DAY = date(2026, 12, 6)
START = add_months(DAY, 1)
PLATFORMS = ("huabei", "jiebei", "zhaohang", "weilidai", "baitiao", "meituan")
CATALOGUE = load_catalogue(None)


def yuan(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low * 100, high * 100).map(lambda fen: Decimal(fen) / 100)


@st.composite
def households(draw: st.DrawFn) -> tuple[list[RegisterDebt], Budget, list[Commitment]]:
    n = draw(st.integers(1, 5))
    debts: list[RegisterDebt] = []
    commitments: list[Commitment] = []
    for i in range(n):
        platform = draw(st.sampled_from(PLATFORMS))
        overdue = draw(yuan(500, 60_000))
        agreed = draw(st.booleans()) and i > 0  # at least one debt left to share
        if agreed:
            periods = draw(st.integers(1, 36))
            first = add_months(DAY, draw(st.integers(0, 4)))
            monthly = draw(yuan(10, 2_000))
            paid = draw(st.integers(0, periods - 1))
            installments = [
                (add_months(first, k), monthly, monthly if k < paid else Decimal(0))
                for k in range(periods)
            ]
            commitments.append(
                Commitment(
                    debt_id=i + 1, agreement_id=i + 1, platform=platform, installments=installments
                )
            )
            left = sum((a - p for _, a, p in installments), Decimal(0))
            debts.append(
                RegisterDebt(
                    id=i + 1,
                    platform=platform,
                    overdue=overdue,
                    status="agreed",
                    agreements=[i + 1],
                    agreed_left=left,
                )
            )
        else:
            debts.append(RegisterDebt(id=i + 1, platform=platform, overdue=overdue))
    income = draw(yuan(0, 20_000))
    expenses = draw(st.none() | yuan(0, 15_000))
    recovery = draw(st.none() | st.integers(2, 30).map(lambda m: add_months(DAY, m)))
    after = None if recovery is None else draw(yuan(0, 30_000))
    return (
        debts,
        Budget(income=income, expenses=expenses, recovery=recovery, income_after=after),
        commitments,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(households())
def test_agreed_installments_and_the_others_shares_fit_the_limit(
    case: tuple[list[RegisterDebt], Budget, list[Commitment]],
) -> None:
    debts, budget, commitments = case
    plan = plan_household(debts, budget, commitments, day=DAY, version=1, catalogue=CATALOGUE)
    over = {o.due: o for o in plan.over}
    shared = [x for x in plan.lenders if x.payments]
    assert shared, "a debt without an agreement is always planned"
    for m, row in enumerate(shared[0].payments):
        due = row.on
        assert due == add_months(START, m)
        others = sum((x.payments[m].amount for x in shared), Decimal(0))
        agreed = plan.agreed_on(due)
        limit = plan.limit_on(due)
        if agreed <= limit:
            assert due not in over
            assert agreed + others <= limit, (due, agreed, others, limit)
        else:  # the agreements alone are more than the limit: said, and nothing else asked
            assert over[due].excess == agreed - limit
            assert others == 0


def test_an_agreement_takes_its_installments_off_the_limit_first() -> None:
    # Worked by hand: income 6,500, expenses 4,200 → limit 50 % of 2,300 = 1,150 a month.
    # 花呗 agreed at 1,040 a month for 8 months from the first due date: 110 left for the others
    # for 8 months, then the whole 1,150.
    debts = [
        RegisterDebt(
            id=1,
            platform="huabei",
            overdue=Decimal(8000),
            status="agreed",
            agreements=[1],
            agreed_left=Decimal(8320),
        ),
        RegisterDebt(id=2, platform="jiebei", overdue=Decimal(15000)),
        RegisterDebt(id=3, platform="zhaohang", overdue=Decimal(45000)),
    ]
    huabei = Commitment(
        debt_id=1,
        agreement_id=1,
        platform="huabei",
        installments=[(add_months(START, k), Decimal(1040), Decimal(0)) for k in range(8)],
    )
    budget = Budget(income=Decimal(6500), expenses=Decimal(4200))
    plan = plan_household(debts, budget, [huabei], day=DAY, version=3, catalogue=CATALOGUE)
    assert [(s.start, s.amount) for s in plan.left.steps] == [
        (START, Decimal(110)),
        (add_months(START, 8), Decimal(1150)),
    ]
    jiebei, card = plan.lender(2), plan.lender(3)
    assert plan.lender(1).agreed_monthly == Decimal(1040)
    first = jiebei.payments[0].amount + card.payments[0].amount
    assert first == Decimal(110)
    ninth = jiebei.payments[8].amount + card.payments[8].amount
    assert ninth == Decimal(1150)
    assert plan.over == []


def test_agreements_above_the_limit_are_named() -> None:
    debts = [
        RegisterDebt(
            id=1,
            platform="huabei",
            overdue=Decimal(8000),
            status="agreed",
            agreements=[1],
            agreed_left=Decimal(2000),
        ),
        RegisterDebt(id=2, platform="jiebei", overdue=Decimal(15000)),
    ]
    huabei = Commitment(
        debt_id=1,
        agreement_id=1,
        platform="huabei",
        installments=[(START, Decimal(2000), Decimal(0))],
    )
    budget = Budget(income=Decimal(6500), expenses=Decimal(4200))
    plan = plan_household(debts, budget, [huabei], day=DAY, version=1, catalogue=CATALOGUE)
    assert [(o.due, o.limit, o.agreed, o.excess) for o in plan.over] == [
        (START, Decimal(1150), Decimal(2000), Decimal(850))
    ]
    assert plan.lender(2).payments[0].amount == 0


def test_two_steps_never_exceed_the_schedule() -> None:
    schedule = limit_schedule(
        lambda d: Decimal(1000),
        [
            Commitment(
                debt_id=1,
                agreement_id=1,
                platform="huabei",
                installments=[
                    (START, Decimal(300), Decimal(0)),
                    (add_months(START, 1), Decimal(500), Decimal(0)),
                ],
            )
        ],
        start=START,
        months=4,
    )
    assert [s.amount for s in schedule.steps] == [Decimal(700), Decimal(500), Decimal(1000)]
    now, later = two_steps(schedule)
    assert now == Decimal(500)
    assert later is not None and (later.start, later.amount) == (add_months(START, 2), 1000)
