"""Evaluating an offer heard during a call: its schedule, real cost, APR and reference lines.

Pure: the LPR table, the budget and today's date are parameters. The APR follows PBoC
公告〔2021〕第3号 (IRR of the cash flows over the money actually received; simple figure = monthly
IRR × 12, also the compounded one), the same as every plan proposal.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from repaycli.core.dates import monthly_due_dates
from repaycli.core.models import Installment, Money, Percent, Rate
from repaycli.core.money import ZERO
from repaycli.core.rates import (
    HUNDRED,
    RateOutOfRange,
    annualise,
    annuity_schedule,
    dated_irr,
    fee_schedule,
)
from repaycli.core.validated import Model
from repaycli.errors import BadInput

#: 3: ``paid_from_cash``, ``settlement``, ``saved``, ``saved_percent``.
SCHEMA_VERSION = 3
#: Longest offer accepted (30 years of monthly payments); card plans stop at 60 months.
MAX_PERIODS = 360
PLACES = Decimal("0.01")
FEN = Decimal("0.01")


class Terms(StrEnum):
    """How the offer was stated on the phone."""

    FEE_RATE = "fee_rate"
    ANNUAL_RATE = "annual_rate"
    PAYMENT = "payment"


class LprRate(Model):
    """One row of the dated one-year LPR table."""

    effective: date
    rate_percent: Rate = Field(ge=0, le=100)
    source: str = ""
    confidence: str = "?"


class LprTable(Model):
    """The LPR history plus the two reference lines' parameters, each with its source."""

    lpr: list[LprRate] = Field(min_length=1)
    multiplier: Rate = Field(default=Decimal(4), gt=0, le=10)
    multiplier_source: str = ""
    court_line_percent: Rate = Field(default=Decimal(24), gt=0, le=1000)
    court_line_source: str = ""

    def precedes(self, day: date) -> bool:
        """Whether ``day`` is before every row (``rate_on`` then falls back on the earliest)."""
        return day < min(row.effective for row in self.lpr)

    def rate_on(self, day: date) -> LprRate:
        """The LPR in force on ``day`` (the earliest row when ``day`` precedes the table)."""
        rows = sorted(self.lpr, key=lambda row: row.effective)
        current = rows[0]
        for row in rows:
            if row.effective <= day:
                current = row
        return current


class Budget(Model):
    """What the offer is measured against; any part may be unknown. From
    ``walk_away_after_from`` on (recovery), the line is ``walk_away_after``."""

    walk_away_monthly: Money | None = None
    disposable: Money | None = None
    walk_away_after: Money | None = None
    walk_away_after_from: date | None = None
    source: str | None = None
    #: Cash in hand the saved plan counted on: a first payment it covers is not from income.
    cash: Money | None = None

    def line_on(self, day: date) -> Decimal | None:
        after, since = self.walk_away_after, self.walk_away_after_from
        if after is not None and since is not None and day >= since:
            return after
        return self.walk_away_monthly


class OfferInput(Model):
    """The offer as heard: ``amount`` owed, ``periods`` and exactly one way of stating its price.

    ``upfront_fee`` is taken out of the money received (a loan of 100,000 with a 1,000 fee pays
    out 99,000)."""

    amount: Money = Field(gt=0)
    periods: int = Field(ge=1, le=MAX_PERIODS)
    terms: Terms
    fee_rate: Rate | None = None
    annual_rate: Rate | None = None
    payment: Money | None = None
    upfront_fee: Money = ZERO
    first_due: date


class PlanReference(Model):
    """The saved plan's target (or opening) proposal, to compare the offer with."""

    id: str
    payment: Money
    total: Money
    apr_percent: Percent | None
    #: Whether this is the plan's target (else its opening: there was no target).
    target: bool = True


class LadderPosition(StrEnum):
    """Where an offer sits on the user's ladder."""

    #: Costs no more than the plan's target and fits the walk-away line.
    BETTER_THAN_TARGET = "better_than_target"
    #: Fits the walk-away line but costs more than the target.
    BETWEEN_TARGET_AND_WALK_AWAY = "between_target_and_walk_away"
    #: Fits the walk-away line (no target known to compare with).
    WITHIN_WALK_AWAY = "within_walk_away"
    #: Some installment is above the walk-away line in force on its date.
    ABOVE_WALK_AWAY = "above_walk_away"


class Comparison(Model):
    id: str
    #: Whether ``id`` is the plan's target (else its opening): what the user is told it is.
    target: bool = True
    payment: Money
    total: Money
    apr_percent: Percent | None
    payment_difference: Money
    total_difference: Money


class ReferenceLine(Model):
    id: str
    percent: Percent
    above: bool
    legal_cap: bool
    source: str


class OfferResult(Model):
    """What ``repaycli offer`` reports. Names shared with a plan proposal mean the same thing."""

    schema_version: int = SCHEMA_VERSION
    as_of: date
    terms: Terms
    principal: Money
    upfront_fee: Money
    received: Money
    periods: int
    fee_rate_percent: Rate | None
    annual_rate_percent: Rate | None
    payment: Money
    total: Money
    #: Part of the amount the offer does not ask to be repaid (a settlement or reduction).
    waived: Money
    cost: Money
    cost_percent: Percent
    monthly_irr_percent: Rate
    apr_percent: Percent
    apr_compound_percent: Percent
    share_percent: Percent | None
    walk_away_monthly: Money | None
    #: The line from the recovery date on, when the saved plan has one.
    walk_away_after: Money | None
    walk_away_after_from: date | None
    affordable: bool | None
    above_walk_away: bool | None
    #: The first payment, paid from the cash the plan counted on (0 when it is not).
    paid_from_cash: Money
    #: A settlement (less to pay than was received): what it saves, and as a share of it.
    settlement: bool
    saved: Money
    saved_percent: Percent
    ladder_position: LadderPosition | None
    budget_source: str | None
    lpr_percent: Rate
    lpr_effective: date
    lpr_source: str
    #: No row is dated on or before ``as_of``: the earliest row stands in for the rate then.
    lpr_before_table: bool
    lpr_multiple_percent: Percent
    above_lpr_multiple: bool
    court_line_percent: Percent
    above_court_line: bool
    reference_lines: list[ReferenceLine]
    compared_with_plan: Comparison | None
    schedule: list[Installment]


def check_terms(*, fee_rate: object, annual_rate: object, payment: object) -> Terms:
    """Exactly one of the three ways of stating an offer's price must be given."""
    given = [
        terms
        for terms, value in (
            (Terms.FEE_RATE, fee_rate),
            (Terms.ANNUAL_RATE, annual_rate),
            (Terms.PAYMENT, payment),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise BadInput("offer.err.terms")
    return given[0]


def installments(offer: OfferInput) -> list[Decimal]:
    """The amounts due, which add up exactly to the offer's total."""
    if offer.terms is Terms.FEE_RATE:
        assert offer.fee_rate is not None
        return fee_schedule(offer.amount, offer.fee_rate, offer.periods)
    if offer.terms is Terms.ANNUAL_RATE:
        assert offer.annual_rate is not None
        return annuity_schedule(offer.amount, offer.annual_rate, offer.periods)
    assert offer.payment is not None
    amounts = [offer.payment] * offer.periods
    short = offer.amount - offer.payment * offer.periods
    if 0 < short < FEN * offer.periods:
        # A rounded-down interest-free split (12 × 833.33 for 10,000): the last makes it up.
        # More than that short is a waiver (12 × 800 on 10,000 waives 400), not a mistake.
        amounts[-1] += short
    return amounts


def ladder_position(
    above_walk_away: bool | None, total: Decimal, plan: PlanReference | None
) -> LadderPosition | None:
    """Better than the target, between the target and the walk-away line, or above the line."""
    if above_walk_away is None:
        return None
    if above_walk_away:
        return LadderPosition.ABOVE_WALK_AWAY
    if plan is None or not plan.target:
        return LadderPosition.WITHIN_WALK_AWAY
    if total <= plan.total:
        return LadderPosition.BETTER_THAN_TARGET
    return LadderPosition.BETWEEN_TARGET_AND_WALK_AWAY


def _unsigned_zero(value: Decimal) -> Decimal:
    """``-0.00`` (an IRR a hair below zero, rounded) shown as ``0.00``."""
    return value.copy_abs() if value.is_zero() else value


def evaluate(
    offer: OfferInput,
    *,
    today: date,
    lpr: LprTable,
    budget: Budget,
    plan: PlanReference | None = None,
) -> OfferResult:
    """The offer's schedule and cost, its APR, and where it sits against the budget and lines."""
    amounts = installments(offer)
    received = offer.amount - offer.upfront_fee
    if received <= 0:
        raise BadInput("offer.err.fee_too_large")
    dues = monthly_due_dates(offer.first_due, offer.periods)
    schedule = [
        Installment(n=i + 1, due=due, amount=amount)
        for i, (due, amount) in enumerate(zip(dues, amounts, strict=True))
    ]
    total = sum(amounts, ZERO)
    payment = amounts[0]  # the level payment quoted; the last installment absorbs rounding
    try:
        monthly = _unsigned_zero(dated_irr(today, received, list(zip(dues, amounts, strict=True))))
    except RateOutOfRange as exc:
        raise BadInput("offer.err.rate_absurd") from exc
    apr, apr_compound = (_unsigned_zero(rate) for rate in annualise(monthly))
    cost = total - received
    waived = max(offer.amount - total, ZERO)

    share: Decimal | None = None
    if budget.disposable is not None and budget.disposable > 0:
        share = (payment / budget.disposable * HUNDRED).quantize(PLACES)
    above_walk_away: bool | None = None
    # A first payment the plan's cash covers (a one-off settlement, a down payment) is paid from
    # that cash, not from the month's income.
    from_cash = amounts[0] if budget.cash is not None and budget.cash >= amounts[0] else ZERO
    if budget.walk_away_monthly is not None:
        # Each installment against the line in force on its due date (after recovery, the
        # limit then).
        above_walk_away = any(
            amount > (budget.line_on(row.due) or ZERO)
            for i, (row, amount) in enumerate(zip(schedule, amounts, strict=True))
            if not (i == 0 and from_cash > 0)
        )
    position = ladder_position(above_walk_away, total, plan)

    lpr_row = lpr.rate_on(today)
    lpr_line = (lpr_row.rate_percent * lpr.multiplier).quantize(PLACES)
    court_line = lpr.court_line_percent.quantize(PLACES)
    lines = [
        ReferenceLine(
            id="lpr_multiple",
            percent=lpr_line,
            above=apr > lpr_line,
            legal_cap=False,
            source=lpr.multiplier_source,
        ),
        ReferenceLine(
            id="court_line",
            percent=court_line,
            above=apr > court_line,
            legal_cap=False,
            source=lpr.court_line_source,
        ),
    ]
    return OfferResult(
        as_of=today,
        terms=offer.terms,
        principal=offer.amount,
        upfront_fee=offer.upfront_fee,
        received=received,
        periods=offer.periods,
        fee_rate_percent=None if offer.fee_rate is None else offer.fee_rate * HUNDRED,
        annual_rate_percent=None if offer.annual_rate is None else offer.annual_rate * HUNDRED,
        payment=payment,
        total=total,
        waived=waived,
        cost=cost,
        cost_percent=_unsigned_zero((cost / received * HUNDRED).quantize(PLACES)),
        monthly_irr_percent=_unsigned_zero((monthly * HUNDRED).quantize(Decimal("0.0001"))),
        apr_percent=apr,
        apr_compound_percent=apr_compound,
        share_percent=share,
        walk_away_monthly=budget.walk_away_monthly,
        walk_away_after=budget.walk_away_after,
        walk_away_after_from=budget.walk_away_after_from,
        affordable=None if above_walk_away is None else not above_walk_away,
        above_walk_away=above_walk_away,
        paid_from_cash=from_cash,
        settlement=total < received,
        saved=max(received - total, ZERO),
        saved_percent=(max(received - total, ZERO) / received * HUNDRED).quantize(PLACES),
        ladder_position=position,
        budget_source=budget.source,
        lpr_percent=lpr_row.rate_percent,
        lpr_effective=lpr_row.effective,
        lpr_source=lpr_row.source,
        lpr_before_table=lpr.precedes(today),
        lpr_multiple_percent=lpr_line,
        above_lpr_multiple=lines[0].above,
        court_line_percent=court_line,
        above_court_line=lines[1].above,
        reference_lines=lines,
        compared_with_plan=None
        if plan is None
        else Comparison(
            id=plan.id,
            target=plan.target,
            payment=plan.payment,
            total=plan.total,
            apr_percent=plan.apr_percent,
            payment_difference=payment - plan.payment,
            total_difference=total - plan.total,
        ),
        schedule=schedule,
    )
