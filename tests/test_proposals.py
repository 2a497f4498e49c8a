from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from repaycli.catalog import load_catalogue, load_checklist, load_log_fields
from repaycli.core.models import Debt, PlanResult, ProposalKind, Reason, Situation
from repaycli.core.plan import build_plan
from repaycli.core.proposals import ladder_for, proposals_for
from repaycli.core.situation import affordability, cost_of_waiting, principal_of

D = Decimal
TODAY = date(2026, 11, 21)
CATALOGUE = load_catalogue()


def make(
    platform: str = "huabei",
    overdue: str = "8000",
    income: str = "6000",
    expenses: str | None = "3500",
    **extra: object,
) -> PlanResult:
    debt_fields = {k: extra.pop(k) for k in ("principal", "days_overdue", "annual_rate") if k in extra}
    debt = Debt(platform=CATALOGUE.resolve(platform), overdue=D(overdue), **debt_fields)  # type: ignore[arg-type]
    situation = Situation(
        today=TODAY,
        income=D(income),
        expenses=None if expenses is None else D(expenses),
        start=date(2026, 12, 21),
        **extra,  # type: ignore[arg-type]
    )
    return build_plan(
        debt,
        situation,
        lang="en",
        checklist=load_checklist(),
        log_fields=load_log_fields(),
        describe=lambda p: p.id,
        money=str,
    )


def test_affordability_basis() -> None:
    with_expenses = make()
    assert with_expenses.affordability.limit == D("1250.00")
    assert with_expenses.affordability.basis == "disposable"
    without = make(expenses=None)
    assert without.affordability.limit == D("1800.00")
    assert without.affordability.basis == "income"


def test_cost_of_waiting_at_penalty_rate() -> None:
    result = make(principal=D("8000"))
    assert result.cost_of_waiting.per_day == D("4.00")
    assert result.cost_of_waiting.next_30_days == D("120.00")
    assert result.cost_of_waiting.next_90_days == D("360.00")


def test_estimated_principal_takes_out_accrued_penalty() -> None:
    debt = Debt(platform=CATALOGUE.resolve("huabei"), overdue=D("10500"), days_overdue=100)
    assert principal_of(debt) == (D("10000.00"), True)
    assert cost_of_waiting(debt).per_day == D("5.00")


def test_ladder_vector() -> None:
    result = make(days_overdue=30)
    ids = [p.id for p in result.proposals]
    assert ids == [
        "inst-3-free", "inst-3", "inst-6-free", "inst-6", "inst-9-free", "inst-9",
        "inst-12-free", "inst-12", "principal-9",
    ]
    assert result.ladder.opening == "principal-9"
    assert result.ladder.target == "inst-9"
    assert result.ladder.walk_away_monthly == D("1250.00")
    assert not result.ladder.nothing_affordable
    inst9 = next(p for p in result.proposals if p.id == "inst-9")
    assert inst9.apr_percent == D("15.00")
    assert inst9.payment == D("945.36")


def test_lump_sum_when_cash_covers_principal() -> None:
    result = make(cash=D("9000"), principal=D("7500"))
    lump = next(p for p in result.proposals if p.kind is ProposalKind.LUMP_SUM)
    assert lump.total == D("7500.00")
    assert lump.affordable
    assert lump.schedule[0].due == TODAY
    assert result.ladder.opening == "lump-sum"
    assert all(p.kind is not ProposalKind.LUMP_SUM for p in make(cash=D("100")).proposals)


def test_deferral_follows_recovery_date() -> None:
    result = make(recovery=date(2027, 1, 10))
    deferral = next(p for p in result.proposals if p.kind is ProposalKind.DEFERRAL)
    assert deferral.deferral_months == 2
    assert deferral.schedule[0].due == date(2027, 2, 21)
    assert make(reason=Reason.UNEMPLOYMENT).proposals[-1].deferral_months == 3
    assert all(p.kind is not ProposalKind.DEFERRAL for p in make(reason=Reason.OVERSIGHT).proposals)


def test_card_personalised_plan_only_for_cards() -> None:
    card = make(platform="招商银行", overdue="30000", income="5000", expenses="3000")
    plan = next(p for p in card.proposals if p.kind is ProposalKind.CARD_PERSONALISED)
    assert (plan.periods, plan.payment) == (36, D("833.33"))
    assert plan.schedule[-1].amount == D("833.45")
    assert all(p.kind is not ProposalKind.CARD_PERSONALISED for p in make().proposals)


def test_zero_income_gives_advice_not_error() -> None:
    result = make(income="0", expenses=None, reason=Reason.UNEMPLOYMENT, platform="pufa")
    assert result.affordability.limit == 0
    assert result.ladder.nothing_affordable
    assert result.ladder.target is None
    assert result.ladder.needed_payment == D("133.33")
    assert result.ladder.opening == "defer-3m-36"
    before = next(s for s in result.checklist.stages if s.id == "before")
    assert "nothing_affordable" in [i.id for i in before.items]


def test_checklist_documents_by_reason_and_hotline() -> None:
    result = make(reason=Reason.MEDICAL)
    before = next(s for s in result.checklist.stages if s.id == "before")
    texts = " ".join(i.text for i in before.items)
    assert "medical bills" in texts
    assert "95188" in texts
    no_hotline = make(platform="baitiao")
    ids = [i.id for s in no_hotline.checklist.stages for i in s.items]
    assert "no_hotline" in ids and "hotline" not in ids


@settings(max_examples=80, deadline=None)
@given(
    overdue=st.decimals(min_value=D("1"), max_value=D("2000000"), places=2),
    income=st.decimals(min_value=D("0"), max_value=D("100000"), places=2),
    expenses=st.one_of(st.none(), st.decimals(min_value=D("0"), max_value=D("50000"), places=2)),
    days=st.integers(min_value=0, max_value=1000),
    platform=st.sampled_from(["huabei", "jiebei", "zhaohang", "weilidai", "other"]),
    cash=st.one_of(st.none(), st.decimals(min_value=D("0"), max_value=D("3000000"), places=2)),
)
def test_engine_invariants(
    overdue: Decimal,
    income: Decimal,
    expenses: Decimal | None,
    days: int,
    platform: str,
    cash: Decimal | None,
) -> None:
    debt = Debt(platform=CATALOGUE.resolve(platform), overdue=overdue, days_overdue=days)
    situation = Situation(
        today=TODAY,
        income=income,
        expenses=expenses,
        cash=cash,
        reason=Reason.MEDICAL,
        start=date(2027, 1, 31),
    )
    budget = affordability(situation)
    proposals = proposals_for(debt, situation, budget)
    for p in proposals:
        amounts = [i.amount for i in p.schedule]
        assert sum(amounts) == p.total, p.id
        assert all(a >= 0 for a in amounts)
        assert len(amounts) == p.periods
        dues = [i.due for i in p.schedule]
        assert dues == sorted(dues) and len(set(dues)) == len(dues)
        if p.affordable and p.kind is not ProposalKind.LUMP_SUM:
            assert max(amounts) <= budget.limit, p.id
        if p.kind is ProposalKind.LUMP_SUM:
            assert cash is not None and p.total <= cash
    ladder = ladder_for(proposals, budget)
    assert ladder.walk_away_monthly == budget.limit
    if ladder.target is not None:
        target = next(p for p in proposals if p.id == ladder.target)
        assert target.affordable
    assert ladder.nothing_affordable == (not any(p.affordable for p in proposals))


def test_deferral_keeps_month_ends() -> None:
    debt = Debt(platform=CATALOGUE.resolve("huabei"), overdue=D("8000"))
    situation = Situation(
        today=date(2027, 1, 1),
        income=D("6000"),
        reason=Reason.MEDICAL,
        start=date(2027, 1, 31),
    )
    deferral = next(
        p
        for p in proposals_for(debt, situation, affordability(situation))
        if p.kind is ProposalKind.DEFERRAL
    )
    assert deferral.deferral_months == 3
    assert [i.due for i in deferral.schedule][:3] == [
        date(2027, 4, 30),
        date(2027, 5, 31),
        date(2027, 6, 30),
    ]
