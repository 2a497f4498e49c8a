"""Evaluating an offer from what was typed: ``repaycli offer`` and the call screen's offer box
parse and evaluate it here, the same way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from repaycli.errors import BadInput, RepayError

if TYPE_CHECKING:  # pydantic-backed: imported when an offer is evaluated, not at start-up
    from repaycli.core.offer import Budget, OfferInput, OfferResult, PlanReference
    from repaycli.lastplan import SavedPlan


def parse_periods(
    text: str, *, field: str = "periods", low: int = 1, high: int | None = None
) -> int:
    """A whole number (of monthly periods), ``low`` to ``high`` (default: the longest offer,
    ``core.offer.MAX_PERIODS``); one clear line otherwise."""
    if high is None:
        from repaycli.core.offer import MAX_PERIODS

        high = MAX_PERIODS
    from repaycli.core.inputs import without_unit

    raw = without_unit(text, field)  # 12期, 20天, full-width digits
    if not raw.lstrip("+").isdecimal() or not raw.isascii():
        raise BadInput("err.integer", field=field, value=text)
    if len(raw.lstrip("+0")) > 18:  # int() of 4,300+ digits raises; none is in range
        raise BadInput("err.integer_range", field=field, value=text, low=low, high=high)
    value = int(raw)
    if not low <= value <= high:
        raise BadInput("err.integer_range", field=field, value=text, low=low, high=high)
    return value


#: A bare fee rate (no %) this large is almost surely a percentage typed without its sign.
SUSPICIOUS_FEE = Decimal("0.05")


def parse_fee_rate(text: str) -> Decimal:
    """A fee per period: ``0.6%`` or ``0.006``; a bare ``0.6`` (60 % a month) is refused."""
    from repaycli.core.rates import RateUnit, parse_rate

    value = parse_rate(text, unit=RateUnit.MONTH, field="fee_rate")
    if "%" not in text and "％" not in text and value >= SUSPICIOUS_FEE:
        raise BadInput("offer.err.fee_rate_percent", value=text.strip())
    return value


def parse_first_due(text: str, day: date) -> date:
    """An offer heard today falls due today or later."""
    from repaycli.core.dates import parse_date

    parsed = parse_date(text, today=day, field="first_due")
    if parsed < day:
        raise BadInput("plan.err.start_past", value=text)
    return parsed


def offer_input(
    *,
    amount: str,
    periods: str,
    fee_rate: str | None,
    annual_rate: str | None,
    payment: str | None,
    upfront_fee: str | None,
    first_due: str | None,
    day: date,
) -> OfferInput:
    """The offer from its typed parts; exactly one of ``fee_rate``, ``annual_rate`` and
    ``payment`` states its price."""
    from repaycli.core.dates import add_months
    from repaycli.core.money import ZERO, parse_amount
    from repaycli.core.offer import OfferInput, check_terms
    from repaycli.core.rates import RateUnit, parse_rate

    terms = check_terms(fee_rate=fee_rate, annual_rate=annual_rate, payment=payment)
    return OfferInput(
        amount=parse_amount(amount, field="amount"),
        periods=parse_periods(periods),
        terms=terms,
        fee_rate=None if fee_rate is None else parse_fee_rate(fee_rate),
        annual_rate=None
        if annual_rate is None
        else parse_rate(annual_rate, unit=RateUnit.YEAR, field="annual_rate"),
        payment=None if payment is None else parse_amount(payment, field="payment"),
        upfront_fee=ZERO
        if upfront_fee is None
        else parse_amount(upfront_fee, field="upfront_fee", allow_zero=True),
        first_due=add_months(day, 1) if first_due is None else parse_first_due(first_due, day),
    )


#: The plan's proposal is compared with the offer only when the offer covers about the same debt.
COMPARABLE = (Decimal("0.9"), Decimal("1.1"))


def plan_reference(plan: SavedPlan, amount: Decimal) -> PlanReference | None:
    """The plan's target (else opening) proposal, when the plan is about one debt whose principal
    or balance is within 10 % of the offer's amount."""
    from repaycli.core.offer import PlanReference

    if plan.ladder is None or len(plan.debts) != 1:
        return None
    debt = plan.debts[0]
    low = min(debt.overdue, debt.principal or debt.overdue) * COMPARABLE[0]
    high = max(debt.overdue, debt.principal or debt.overdue) * COMPARABLE[1]
    if not low <= amount <= high:
        return None
    found = None
    for proposal_id in (plan.ladder.target, plan.ladder.opening):
        if proposal_id is not None and found is None:
            found = plan.proposal(proposal_id)
    if found is None:
        return None
    return PlanReference(
        id=found.id,
        payment=found.payment,
        total=found.total,
        apr_percent=found.apr_percent,
        target=found.id == plan.ladder.target,
    )


def read_plan(warn: Callable[[RepayError], None]) -> SavedPlan | None:
    """The last saved plan; one that cannot be used is a warning (``warn``), not a stop."""
    from repaycli.lastplan import read_last_plan
    from repaycli.paths import last_plan_path

    try:
        return read_last_plan(last_plan_path())
    except RepayError as error:
        warn(error)
        return None


def budget_and_plan(
    *,
    day: date,
    amount: Decimal | None,
    income: str | None,
    expenses: str | None,
    walk_away: str | None,
    plan: SavedPlan | None,
) -> tuple[Budget, PlanReference | None]:
    """The walk-away line and disposable income: flags first, then the saved ``plan``; and the
    plan's proposal to compare an offer of ``amount`` with."""
    from repaycli.core.models import Situation
    from repaycli.core.money import parse_amount
    from repaycli.core.offer import Budget
    from repaycli.core.situation import affordability

    walk: Decimal | None = None
    cash: Decimal | None = None
    walk_after: Decimal | None = None
    walk_after_from: date | None = None
    disposable: Decimal | None = None
    sources: list[str] = []
    if expenses is not None and income is None:
        raise BadInput("offer.err.expenses_without_income")
    if walk_away is not None:
        walk = parse_amount(walk_away, field="walk_away")
    if income is not None:
        situation = Situation(
            today=day,
            start=day,
            income=parse_amount(income, field="income", allow_zero=True),
            expenses=None
            if expenses is None
            else parse_amount(expenses, field="expenses", allow_zero=True),
        )
        budget = affordability(situation)
        disposable = budget.disposable
        walk = budget.limit if walk is None else walk
    if walk is not None or disposable is not None:
        sources.append("flags")
    reference: PlanReference | None = None
    if plan is not None:
        used = False
        if walk is None:
            if plan.ladder is not None and plan.ladder.walk_away_monthly is not None:
                walk, used = plan.ladder.walk_away_monthly, True
            elif plan.affordability is not None and plan.affordability.limit is not None:
                walk, used = plan.affordability.limit, True
        after = plan.ladder.walk_away_after if plan.ladder is not None else None
        if used and after is not None and plan.ladder is not None:
            walk_after, walk_after_from = after, plan.ladder.walk_away_after_from
        if disposable is None and plan.affordability is not None:
            if plan.affordability.disposable is not None:
                disposable, used = plan.affordability.disposable, True
        if plan.cash is not None and plan.cash > 0:
            cash, used = plan.cash, True
        if used:
            sources.append("plan")
        if amount is not None:
            reference = plan_reference(plan, amount)
    return (
        Budget(
            walk_away_monthly=walk,
            walk_away_after=walk_after,
            walk_away_after_from=walk_after_from,
            disposable=disposable,
            source="+".join(sources) if sources else None,
            cash=cash,
        ),
        reference,
    )


def evaluate_offer(
    offer: OfferInput, *, day: date, budget: Budget, plan: PlanReference | None
) -> OfferResult:
    """The evaluation ``repaycli offer`` prints, with the user's LPR table if any."""
    from repaycli.catalog.lpr import load_lpr_table
    from repaycli.core.offer import evaluate
    from repaycli.paths import user_lpr_file

    return evaluate(offer, today=day, lpr=load_lpr_table(user_lpr_file()), budget=budget, plan=plan)
