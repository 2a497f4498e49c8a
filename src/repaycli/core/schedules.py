"""Schedules sized to what the user can pay: the fewest months whose installments fit.

A *part* of a balance is repaid as a level plan: the interest-bearing amount as a 等额本息
annuity at the contract rate, the rest (penalty, fees, or anything interest-free) split evenly;
installments add up to the total exactly. A schedule fits when every installment is within the
limit in force on its due date (``Affordability.limit_on``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_CEILING, Decimal

from repaycli.core.dates import monthly_due_dates, months_from
from repaycli.core.models import Affordability
from repaycli.core.money import ZERO, round_fen, split_evenly
from repaycli.core.rates import MONTHS_PER_YEAR, annuity_schedule
from repaycli.core.record import Model

#: The longest plan a negotiation can reach: art. 70's five years for cards, and in practice the
#: longest any lender agrees.
MAX_TERM = 60


class Part(Model):
    """What a plan repays: ``bearing`` at ``rate`` a year, and ``flat`` bearing no interest."""

    bearing: Decimal
    flat: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return self.bearing + self.flat


class Sized(Model):
    """A schedule: its amounts, due dates, and whether every installment fits."""

    amounts: list[Decimal]
    dues: list[date]
    fits: bool

    @property
    def periods(self) -> int:
        return len(self.amounts)


def level(part: Part, periods: int) -> list[Decimal]:
    """``periods`` installments of ``part``; they add up to its total exactly."""
    if part.bearing > 0 and part.rate > 0:
        bearing = annuity_schedule(part.bearing, part.rate, periods)
    else:
        bearing = split_evenly(part.bearing, periods)
    flat = split_evenly(part.flat, periods)
    return [a + b for a, b in zip(bearing, flat, strict=True)]


def fits(amounts: Sequence[Decimal], dues: Sequence[date], budget: Affordability) -> bool:
    return all(a <= budget.limit_on(d) for a, d in zip(amounts, dues, strict=True))


def _fewest_from(amount: Decimal, budget: Affordability) -> int:
    """No plan shorter than the balance over the highest limit can fit."""
    highest = max(budget.limit, budget.limit_after or ZERO)
    if highest <= 0:
        return MAX_TERM
    return max(1, min(MAX_TERM, int((amount / highest).to_integral_value(ROUND_CEILING))))


def grown(part: Part, today: date | None, first_due: date) -> Part:
    """``part`` with the contract interest that accrues before the payments start: a 等额本息
    plan's first payment falls a month after the money is lent, so a first due date further out
    (a late start, a pause) adds a month of interest on the interest-bearing part for every month
    beyond the first (compounded monthly, a part month pro rata)."""
    if today is None or part.rate <= 0 or part.bearing <= 0:
        return part
    idle = months_from(today, first_due) - 1
    bearing = part.bearing
    while idle >= 1:
        bearing += round_fen(bearing * part.rate / MONTHS_PER_YEAR)
        idle -= 1
    if idle > 0:
        bearing += round_fen(bearing * part.rate * idle / MONTHS_PER_YEAR)
    return Part(bearing=bearing, flat=part.flat, rate=part.rate)


def sized_level(
    part: Part,
    first_due: date,
    budget: Affordability,
    *,
    skip: int = 0,
    today: date | None = None,
    anchor: date | None = None,
) -> Sized:
    """The fewest monthly installments (1 … ``MAX_TERM``) from ``first_due`` (after ``skip``
    months' pause) that fit; when none does, ``MAX_TERM`` of them, marked as not fitting. With
    ``today``, interest accrues until a month before the first payment (``grown``)."""
    part = grown(part, today, monthly_due_dates(first_due, 1, skip=skip, anchor=anchor)[0])
    for n in range(_fewest_from(part.amount, budget), MAX_TERM + 1):
        dues = monthly_due_dates(first_due, n, skip=skip, anchor=anchor)
        amounts = level(part, n)
        if fits(amounts, dues, budget):
            return Sized(amounts=amounts, dues=dues, fits=True)
    dues = monthly_due_dates(first_due, MAX_TERM, skip=skip, anchor=anchor)
    return Sized(amounts=level(part, MAX_TERM), dues=dues, fits=False)


def sized_stepped(
    part: Part,
    first_due: date,
    budget: Affordability,
    *,
    today: date | None = None,
    anchor: date | None = None,
) -> Sized | None:
    """Pay the limit now on every due date before recovery, then the rest as the fewest level
    installments within the limit after recovery. ``None`` when no step applies (no second
    limit, no due date before recovery, or nothing to pay before it), or when the limit now
    alone clears the balance (a level plan does that)."""
    after_from, after = budget.limit_after_from, budget.limit_after
    now = budget.limit
    if after_from is None or after is None or after <= now or now <= 0:
        return None
    part = grown(part, today, first_due)
    bearing, flat = part.bearing, part.flat
    amounts: list[Decimal] = []
    due = first_due
    while due < after_from and len(amounts) < MAX_TERM:
        interest = round_fen(bearing * part.rate / MONTHS_PER_YEAR)
        # A payment goes to the interest, then the interest-bearing part, then the flat part.
        pay = min(now, bearing + interest + flat)
        to_bearing = min(pay, bearing + interest)
        bearing = bearing + interest - to_bearing
        flat -= pay - to_bearing
        amounts.append(pay)
        if bearing + flat == 0:
            return None
        due = monthly_due_dates(first_due, len(amounts) + 1, anchor=anchor)[-1]
    if not amounts:
        return None
    rest = Part(bearing=bearing, flat=flat, rate=part.rate)
    left = MAX_TERM - len(amounts)
    if left < 1:
        return None
    for n in range(1, left + 1):
        tail = level(rest, n)
        dues = monthly_due_dates(first_due, len(amounts) + n, anchor=anchor)
        if fits([*amounts, *tail], dues, budget):
            return Sized(amounts=[*amounts, *tail], dues=dues, fits=True)
    tail = level(rest, left)
    dues = monthly_due_dates(first_due, MAX_TERM, anchor=anchor)
    return Sized(amounts=[*amounts, *tail], dues=dues, fits=False)
