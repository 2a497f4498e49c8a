"""The household plan: agreements are commitments that come off the limit before it is shared."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repaycli.catalog import load_catalogue
from repaycli.core.dates import add_months
from repaycli.core.register import Budget, Commitment, RegisterDebt
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


def test_the_engine_shares_every_step_of_what_the_agreements_leave() -> None:
    # Worked by hand: limit 50 % of (6,500 − 4,200) = 1,150. 花呗 agreed at 300 for 2 months and
    # 微粒贷 at 200 for 4 months, both from the first due date: 650 left in months 1–2, 950 in
    # months 3–4, then 1,150. 借呗 and the card (60,000) clear in none of them, so their shares
    # add up to exactly what is left each month — every step, not only the last change.
    def agreed(debt_id: int, platform: str, monthly: int, months: int) -> Commitment:
        return Commitment(
            debt_id=debt_id,
            agreement_id=debt_id,
            platform=platform,
            installments=[
                (add_months(START, k), Decimal(monthly), Decimal(0)) for k in range(months)
            ],
        )

    debts = [
        RegisterDebt(
            id=1, platform="huabei", overdue=Decimal(8000), status="agreed", agreements=[1],
            agreed_left=Decimal(600),
        ),
        RegisterDebt(
            id=2, platform="weilidai", overdue=Decimal(5000), status="agreed", agreements=[2],
            agreed_left=Decimal(800),
        ),
        RegisterDebt(id=3, platform="jiebei", overdue=Decimal(15000)),
        RegisterDebt(id=4, platform="zhaohang", overdue=Decimal(45000)),
    ]  # fmt: skip
    commitments = [agreed(1, "huabei", 300, 2), agreed(2, "weilidai", 200, 4)]
    budget = Budget(income=Decimal(6500), expenses=Decimal(4200))
    plan = plan_household(debts, budget, commitments, day=DAY, version=1, catalogue=CATALOGUE)
    assert [(s.start, s.amount) for s in plan.left.steps] == [
        (START, Decimal(650)),
        (add_months(START, 2), Decimal(950)),
        (add_months(START, 4), Decimal(1150)),
    ]
    jiebei, card = plan.lender(3), plan.lender(4)
    shares = [jiebei.payments[m].amount + card.payments[m].amount for m in range(6)]
    assert shares == [Decimal(x) for x in (650, 650, 950, 950, 1150, 1150)]
    # each line is a schedule of three steps, and the two add up to what is left on each date
    for step in plan.left.steps:
        assert jiebei.line_on(step.start) + card.line_on(step.start) == step.amount
    assert len(jiebei.lines) >= 3
    # 60,000 at about 1,150 a month: the principal alone clears in 60 months, not with interest
    assert plan.status == "interest_must_stop"


def test_an_offer_is_held_to_the_line_in_force_on_each_date() -> None:
    from repaycli.core.register import LimitStep
    from repaycli.i18n import set_lang
    from repaycli.services.household import LenderView, over_share

    set_lang("en")
    rises = add_months(START, 56)
    view = LenderView(
        debt_id=1, name="Huabei", as_of=DAY, stale=False, status="negotiating",
        line=Decimal("135.29"),
        lines=[
            LimitStep(start=START, amount=Decimal("135.29")),
            LimitStep(start=rises, amount=Decimal("245.38")),
        ],
        agreed_monthly=None, limit=Decimal(1150), agreed_now=Decimal(0), others=["Jiebei"],
        count=2, engine_index=0,
    )  # fmt: skip
    # the engine's own stepped ask: 135.29 until the line rises, then 245.38 — within the line
    stepped = [(add_months(START, k), Decimal("135.29")) for k in range(56)]
    assert over_share(view, [*stepped, (rises, Decimal("245.38"))]) is None
    # 245.38 from the first month is above the line in force then: named, with what it leaves
    assert over_share(view, [(START, Decimal("245.38"))]) == (
        "This offer is ¥245.38 a month, above Huabei's line of ¥135.29; if you agree, Jiebei "
        "get only ¥904.62 a month."
    )
    # the line's last, lower step (the remainder that clears it) does not cap a longer plan at
    # the line now: 135.29 for 60 months is within a line of 135.29 falling to 60.15
    view = view.model_copy(
        update={
            "lines": [*view.lines, LimitStep(start=add_months(rises, 1), amount=Decimal("60.15"))]
        }
    )
    assert over_share(view, [(add_months(START, k), Decimal("135.29")) for k in range(60)]) is None
