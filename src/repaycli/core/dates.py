"""Due-date arithmetic and date input. ``today`` is always a parameter: the core has no clock."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import lru_cache

from repaycli.errors import BadInput

#: Dates further out than this are treated as typing mistakes.
MAX_YEARS_AHEAD = 50
MAX_YEARS_BACK = 30

_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dwmy])$")
_WORDS = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "明天": 1,
    "yesterday": -1,
    "昨天": -1,
}
_ISO_LIKE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def monthly_due_dates(first_due: date, periods: int, *, skip: int = 0) -> list[date]:
    """``periods`` monthly due dates from ``first_due`` (after ``skip`` months, for a deferral),
    each counted from the first.

    Counting from the first date (not chaining) keeps month ends: 31 Jan → 28/29 Feb → 31 Mar,
    and a deferral from 31 Jan falls due 30 Apr, 31 May.
    """
    return [_shift(first_due, skip + i) for i in range(periods)]


@lru_cache(maxsize=4096)
def _shift(day: date, months: int) -> date:
    """``day + relativedelta(months=months)``: the same day ``months`` later, or the month's
    last day when it is shorter (``tests/test_plan_startup.py`` compares the two). Written out
    because the plan engine shifts dates thousands of times (``months_from`` for every IRR) and
    dateutil's ``relativedelta`` costs about 20 µs a call; the cache serves the repeats."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def add_months(day: date, months: int) -> date:
    return _shift(day, months)


def months_from(start: date, day: date) -> Decimal:
    """Months from ``start`` to ``day`` (``day`` not before ``start``): whole months counted as
    ``monthly_due_dates`` counts them (31 Jan → 28 Feb is one), then the part month as days over
    that month's length."""
    # a first guess from the calendar months; the loops make it the most whole months that fit
    months = max((day.year - start.year) * 12 + day.month - start.month, 0)
    while _shift(start, months + 1) <= day:
        months += 1
    while months > 0 and _shift(start, months) > day:
        months -= 1
    anchor = _shift(start, months)
    if anchor == day:
        return Decimal(months)
    length = (_shift(start, months + 1) - anchor).days
    return Decimal(months) + Decimal((day - anchor).days) / Decimal(length)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``, rounded up (a part month counts as one)."""
    from dateutil.relativedelta import relativedelta

    if end <= start:
        return 0
    delta = relativedelta(end, start)
    months = delta.years * 12 + delta.months
    if delta.days or delta.hours or delta.minutes or delta.seconds:
        months += 1
    return months


def parse_date(text: str, *, today: date, field: str = "date") -> date:
    """Parse an ISO date (``2026-12-01``, ``2026/12/1``, ``20261201``, ``2026年12月1日``) or a
    relative form (``today``, ``tomorrow``, ``+3d``, ``+2w``, ``+1m``, ``+1y``, ``-5d``)."""
    raw = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not raw:
        raise BadInput("err.date_empty", field=field)
    if raw in _WORDS:
        return today + timedelta(days=_WORDS[raw])
    rel = _RELATIVE.match(raw)
    if rel:
        sign = -1 if rel.group(1) == "-" else 1
        count = sign * int(rel.group(2))
        unit = rel.group(3)
        from dateutil.relativedelta import relativedelta

        delta = {
            "d": relativedelta(days=count),
            "w": relativedelta(weeks=count),
            "m": relativedelta(months=count),
            "y": relativedelta(years=count),
        }[unit]
        try:
            result = today + delta
        except (OverflowError, ValueError) as exc:
            raise BadInput("err.date_out_of_range", field=field, value=text) from exc
        return check_date_range(result, today=today, field=field, text=str(text))
    match = _ISO_LIKE.match(raw) or _COMPACT.match(raw)
    if not match:
        raise BadInput("err.date_format", field=field, value=text)
    year, month, day = (int(part) for part in match.groups())
    try:
        result = date(year, month, day)
    except ValueError as exc:
        raise BadInput("err.date_impossible", field=field, value=text) from exc
    return check_date_range(result, today=today, field=field, text=str(text))


def check_date_range(value: date, *, today: date, field: str, text: str) -> date:
    if value.year > today.year + MAX_YEARS_AHEAD or value.year < today.year - MAX_YEARS_BACK:
        raise BadInput("err.date_out_of_range", field=field, value=text)
    return value


def parse_datetime(text: str, *, now: datetime, field: str = "time") -> datetime:
    """A date (midnight is not assumed: the time of ``now`` is kept for relative words) or an ISO
    date-time such as ``2026-11-21 14:30``. Naive values take ``now``'s time zone."""
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    zone: tzinfo | None = now.tzinfo
    if raw.lower() in ("now", "现在"):
        return now
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is not None and (":" in raw or "t" in raw.lower()):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return check_datetime_range(parsed, now=now, field=field, text=raw)
    day = parse_date(raw, today=now.date(), field=field)
    if _RELATIVE.match(raw.lower()) or raw.lower() in _WORDS:
        return datetime.combine(day, now.timetz())
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def check_datetime_range(value: datetime, *, now: datetime, field: str, text: str) -> datetime:
    check_date_range(value.date(), today=now.date(), field=field, text=text)
    return value
