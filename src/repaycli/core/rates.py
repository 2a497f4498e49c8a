"""Interest rates: parsing, amortisation (等额本息, fee-based) and the IRR behind every APR.

The annualised rate follows PBoC 公告〔2021〕第3号: IRR of the cash flows over the principal
actually in use; the simple figure is monthly IRR × 12, the compounded one (1 + i)¹² − 1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation, localcontext
from enum import StrEnum

from repaycli.core.dates import months_from
from repaycli.core.money import ZERO, level_schedule, round_fen
from repaycli.errors import BadInput

ONE = Decimal(1)
HUNDRED = Decimal(100)
DAYS_PER_YEAR = Decimal(365)
MONTHS_PER_YEAR = Decimal(12)
#: Rates above this (per year) are treated as typing mistakes.
MAX_ANNUAL_RATE = Decimal("10")


class RateUnit(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_PER_YEAR = {RateUnit.DAY: DAYS_PER_YEAR, RateUnit.MONTH: MONTHS_PER_YEAR, RateUnit.YEAR: ONE}
_UNIT_WORDS = {
    "/day": RateUnit.DAY,
    "/d": RateUnit.DAY,
    "perday": RateUnit.DAY,
    "/日": RateUnit.DAY,
    "/天": RateUnit.DAY,
    "日": RateUnit.DAY,
    "每日": RateUnit.DAY,
    "/month": RateUnit.MONTH,
    "/m": RateUnit.MONTH,
    "/mo": RateUnit.MONTH,
    "permonth": RateUnit.MONTH,
    "/月": RateUnit.MONTH,
    "月": RateUnit.MONTH,
    "每月": RateUnit.MONTH,
    "/year": RateUnit.YEAR,
    "/y": RateUnit.YEAR,
    "/yr": RateUnit.YEAR,
    "/a": RateUnit.YEAR,
    "peryear": RateUnit.YEAR,
    "/年": RateUnit.YEAR,
    "年": RateUnit.YEAR,
    "每年": RateUnit.YEAR,
    "年化": RateUnit.YEAR,
}
_NUMBER = re.compile(r"^\d+(\.\d+)?$|^\.\d+$")


def convert_rate(value: Decimal, source: RateUnit, target: RateUnit) -> Decimal:
    """Simple (non-compounding) conversion between per-day, per-month and per-year rates."""
    return value * _PER_YEAR[source] / _PER_YEAR[target]


def parse_rate(
    text: str, *, unit: RateUnit, field: str = "rate", annual_from: Decimal | None = None
) -> Decimal:
    """Parse ``12%``, ``0.12``, ``0.05%/day``, ``1.5%/月`` into a fraction per ``unit``.

    A bare number above 1 without ``%`` is refused as ambiguous (``12`` could be 12 % or 1200 %).
    A rate with no unit is taken per ``unit``, except that from ``annual_from`` up it is taken per
    year: a daily penalty rate of ``12%`` makes no sense, ``12%`` a year does.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "")
    if not raw:
        raise BadInput("err.rate_empty", field=field)
    source: RateUnit | None = None
    for word, word_unit in sorted(_UNIT_WORDS.items(), key=lambda kv: -len(kv[0])):
        if raw.endswith(word):
            source = word_unit
            raw = raw[: -len(word)]
            break
    for word, word_unit in (("年化", RateUnit.YEAR), ("日", RateUnit.DAY), ("月", RateUnit.MONTH)):
        if raw.startswith(word):
            source = word_unit
            raw = raw[len(word) :]
    percent = raw.endswith("%")
    raw = raw.rstrip("%")
    if raw.startswith("-"):
        raise BadInput("err.rate_negative", field=field, value=text)
    if not _NUMBER.match(raw):
        raise BadInput("err.rate_not_number", field=field, value=text)
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise BadInput("err.rate_not_number", field=field, value=text) from exc
    if percent:
        value /= HUNDRED
    elif value > 1:
        raise BadInput("err.rate_ambiguous", field=field, value=text)
    if source is None:
        source = RateUnit.YEAR if annual_from is not None and value >= annual_from else unit
    result = convert_rate(value, source, unit)
    check_rate(convert_rate(result, unit, RateUnit.YEAR), field=field, text=str(text))
    return result


def check_rate(annual: Decimal, *, field: str, text: str | None = None) -> Decimal:
    shown = text if text is not None else str(annual)
    if not annual.is_finite():
        raise BadInput("err.rate_not_number", field=field, value=shown)
    if annual < 0:
        raise BadInput("err.rate_negative", field=field, value=shown)
    if annual > MAX_ANNUAL_RATE:
        raise BadInput("err.rate_too_large", field=field, value=shown)
    return annual


def annuity_payment(principal: Decimal, monthly_rate: Decimal, periods: int) -> Decimal:
    """The exact (unrounded) 等额本息 payment: P·r·(1+r)ⁿ / ((1+r)ⁿ − 1)."""
    if periods < 1:
        raise ValueError("periods must be at least 1")
    if monthly_rate == 0:
        return principal / periods
    with localcontext() as ctx:
        ctx.prec = 40
        growth = (ONE + monthly_rate) ** periods
        return principal * monthly_rate * growth / (growth - ONE)


def annuity_schedule(principal: Decimal, annual_rate: Decimal, periods: int) -> list[Decimal]:
    """Installments of a 等额本息 loan at ``annual_rate`` (monthly rate = annual / 12).

    The total is the exact payment × periods, rounded once; the last installment absorbs the
    difference so the installments add up to the total exactly.
    """
    exact = annuity_payment(principal, annual_rate / MONTHS_PER_YEAR, periods)
    return level_schedule(exact, round_fen(exact * periods), periods)


def fee_schedule(principal: Decimal, fee_per_period: Decimal, periods: int) -> list[Decimal]:
    """Card-style installments: principal / n plus a fee on the original principal each period."""
    exact = principal / periods + principal * fee_per_period
    return level_schedule(exact, round_fen(exact * periods), periods)


def _npv(rate: Decimal, flows: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    base = ONE + rate
    total = ZERO
    for t, amount in flows:
        exponent: Decimal | int = int(t) if t == t.to_integral_value() else t
        total += amount / base**exponent
    return total


class RateOutOfRange(ValueError):
    """The cash flows imply a rate beyond any a lender could charge (typing mistakes)."""


#: Monthly rates searched for an IRR: from −99 % to this (1,000 % a month).
MAX_MONTHLY_IRR = Decimal(10)


def irr_of_flows(flows: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """The monthly rate at which the flows (time in months, amount: money received positive,
    paid negative) are worth nothing now. Bisection on the net present value, which is
    monotonic for one advance followed by payments. Raises ``RateOutOfRange`` beyond ±1,000 %
    a month."""
    with localcontext() as ctx:
        ctx.prec = 34
        if sum((amount for _, amount in flows), ZERO) == 0:
            return ZERO
        low, high = Decimal("-0.99"), MAX_MONTHLY_IRR
        if _npv(high, flows) < 0 or _npv(low, flows) > 0:
            raise RateOutOfRange("no rate between -99 % and 1,000 % a month")
        below, above = _bracket(flows)
        for _ in range(72):
            mid = (low + high) / 2
            if mid <= below or (mid < above and _npv(mid, flows) < 0):
                low = mid
            else:
                high = mid
        return (low + high) / 2


def _bracket(flows: Sequence[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """Two rates on either side of the root, ``npv(below) < 0 <= npv(above)``, found in floats
    and checked in ``Decimal``; ``(-inf, inf)`` when that fails or the NPV may not be monotonic.

    The bisection above then asks ``_npv`` only for the midpoints between the two: every other
    midpoint's sign follows from monotonicity, so the result is exactly the plain bisection's
    (``tests/test_plan_startup.py`` compares them) with about a quarter of the ``Decimal``
    evaluations — the powers with fractional exponents (``dated_irr``) made 10 debts' plan take
    ~60 ms."""
    nothing = (Decimal("-Infinity"), Decimal("Infinity"))
    if any(t != 0 and amount > 0 for t, amount in flows):
        return nothing  # NPV rises with the rate only when everything after time 0 is paid out
    try:
        floats = [(float(t), float(amount)) for t, amount in flows]
        guess = _newton(floats)
        root = Decimal(guess if guess is not None else _float_bisection(floats))
    except (OverflowError, ValueError, ZeroDivisionError):
        return nothing
    for step in (Decimal("1e-16"), Decimal("1e-13"), Decimal("1e-10")):
        below, above = root - step, root + step
        if _npv(below, flows) < 0 <= _npv(above, flows):
            return below, above
    return nothing


def _newton(floats: Sequence[tuple[float, float]]) -> float | None:
    """The root in floats by Newton's method from 1 % a month (a handful of steps where the
    bisection below takes fifty), or ``None`` when it leaves the search range or does not
    settle. Either way ``_bracket`` checks what it is given in ``Decimal``."""
    rate, top = 0.01, float(MAX_MONTHLY_IRR)
    for _ in range(40):
        value = slope = 0.0
        for t, a in floats:
            discounted = a * math.exp(-t * math.log1p(rate))
            value += discounted
            slope -= t * discounted / (1 + rate)
        step = value / slope
        rate -= step
        if not -0.9 < rate < top:
            return None
        if abs(step) <= 1e-16 * max(1.0, abs(rate)):
            return rate
    return None


def _float_bisection(floats: Sequence[tuple[float, float]]) -> float:
    """The root in floats by bisection between −90 % and 1,000 % a month."""
    low, high = -0.9, float(MAX_MONTHLY_IRR)
    for _ in range(200):
        mid = (low + high) / 2
        if mid in (low, high):
            break
        if sum(a * math.exp(-t * math.log1p(mid)) for t, a in floats) < 0:
            low = mid
        else:
            high = mid
    return low


def monthly_irr(advance: Decimal, payments: Sequence[Decimal], offset: int = 1) -> Decimal:
    """The monthly rate at which ``advance`` now equals ``payments`` at months offset, offset+1, …

    Returns a negative rate when the payments add up to less than the advance.
    """
    if advance <= 0 or not payments:
        raise ValueError("an IRR needs a positive advance and at least one payment")
    flows = [(ZERO, advance)] + [
        (Decimal(offset + k), -amount) for k, amount in enumerate(payments)
    ]
    return irr_of_flows(flows)


def dated_irr(today: date, advance: Decimal, payments: Sequence[tuple[date, Decimal]]) -> Decimal:
    """The monthly IRR of ``advance`` received ``today`` and payments on their dates (time in
    months: ``core.dates.months_from``), so a deferral or a late first payment changes it."""
    if advance <= 0 or not payments:
        raise ValueError("an IRR needs a positive advance and at least one payment")
    flows = [(ZERO, advance)] + [(months_from(today, day), -amount) for day, amount in payments]
    return irr_of_flows(flows)


def annualise(monthly: Decimal) -> tuple[Decimal, Decimal]:
    """(simple, compounded) annual rates as percentages, to two places."""
    simple = monthly * MONTHS_PER_YEAR * HUNDRED
    compounded = ((ONE + monthly) ** 12 - ONE) * HUNDRED
    return simple.quantize(Decimal("0.01")), compounded.quantize(Decimal("0.01"))


#: A penalty rate typed without a unit is per day below 1 %, per year from 1 % up.
PENALTY_ANNUAL_FROM = Decimal("0.01")


def parse_penalty_rate(text: str, *, field: str = "penalty_rate") -> Decimal:
    """A penalty rate as a fraction per day: ``0.05%``, ``0.05%/day``, ``18%/year``, ``18%``."""
    return parse_rate(text, unit=RateUnit.DAY, field=field, annual_from=PENALTY_ANNUAL_FROM)
