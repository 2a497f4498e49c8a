"""Due-date arithmetic and date input. ``today`` is always a parameter: the core has no clock."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from repaycli.errors import BadInput

if TYPE_CHECKING:
    from repaycli.core.dates_spoken import Prefer

#: Dates further out than this are treated as typing mistakes.
MAX_YEARS_AHEAD = 50
MAX_YEARS_BACK = 30

#: The patterns below are compiled when first used (``re`` keeps them): most commands read no date.
_RELATIVE = r"^([+-])(\d{1,4})(d|w|m|mo|y)$"
_WORDS = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "大前天": -3,
}
_ISO_LIKE = r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$"
#: ``3天后``, ``2周前``, ``3个月``, ``1年以后``: a count, a unit, and which way (none: ahead).
#: A bare ``3月`` is not here: it reads as March as much as three months.
_CHINESE_SPAN = (
    r"^(\d{1,4})\s*(天|日|周|个?星期|个?礼拜|个月|年)\s*(后|以后|之后|前|以前|之前)?$"
)
_SPAN_UNITS = {"天": "d", "日": "d", "周": "w", "星期": "w", "个星期": "w", "礼拜": "w",
               "个礼拜": "w", "个月": "m", "年": "y"}  # fmt: skip
#: Minutes and hours ago, for a contact time: ``10分钟前``, ``半小时前``, ``-10min``, ``-2h``.
_CHINESE_AGO = r"^(\d{1,4}|半)\s*(分钟|分|个?小时|个?钟头)\s*(前|以前|之前)$"
_CLOCK_SPAN = r"^([+-])(\d{1,4})\s*(min|mins|minutes?|h|hrs?|hours?)$"
#: ``-10m`` at a contact time: ten minutes or ten months ago? Refused, never guessed.
_AMBIGUOUS = r"^[+-]\d{1,4}m$"
#: A time of day: ``14:30``, ``下午2点``, ``昨天晚上8点半``, ``今天 9:05``.
_TIME_OF_DAY = (
    r"^(?P<day>今天|今日|昨天|昨日|前天|大前天|明天|today|yesterday)?\s*"
    r"(?P<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)?\s*"
    r"(?:(?P<h>\d{1,2})\s*[点点时]\s*(?:(?P<m>\d{1,2})\s*分?|(?P<half>半)|(?P<q>一刻))?"
    r"|(?P<h2>\d{1,2}):(?P<m2>\d{2}))$"
)
_AFTERNOON = ("下午", "傍晚", "晚上", "夜里")
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"


def monthly_due_dates(
    first_due: date, periods: int, *, skip: int = 0, anchor: date | None = None
) -> list[date]:
    """``periods`` monthly due dates from ``first_due`` (after ``skip`` months, for a deferral),
    each counted from the first — or from ``anchor``, the day the plan counts its months from,
    when ``first_due`` is a whole number of months after it (``due_from``).

    Counting from the first date (not chaining) keeps month ends: 31 Jan → 28/29 Feb → 31 Mar,
    and a deferral from 31 Jan falls due 30 Apr, 31 May. A plan made on 31 January whose first
    payment is a month later (28 February) is counted from 31 January: 28 Feb → 31 Mar → 30 Apr.
    """
    base, offset = due_from(first_due, anchor)
    return [_shift(base, offset + skip + i) for i in range(periods)]


def due_from(first_due: date, anchor: date | None) -> tuple[date, int]:
    """The date monthly due dates are counted from and the first one's month number: ``anchor``
    and the months from it to ``first_due`` when ``first_due`` is that many months after it (a
    first payment a month after a plan made on the 31st), else ``first_due`` and 0."""
    if anchor is None or anchor >= first_due:
        return first_due, 0
    months = (first_due.year - anchor.year) * 12 + first_due.month - anchor.month
    if months > 0 and _shift(anchor, months) == first_due:
        return anchor, months
    return first_due, 0


def due_date(first_due: date, month: int, anchor: date | None = None) -> date:
    """The due date ``month`` months after ``first_due`` (``monthly_due_dates`` counting)."""
    base, offset = due_from(first_due, anchor)
    return _shift(base, offset + month)


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


def parse_date(
    text: str, *, today: date, field: str = "date", prefer: Prefer = "future"
) -> date:
    """Parse an ISO date (``2026-12-01``, ``2026/12/1``, ``20261201``, ``2026年12月1日``), a
    relative form (``today``, ``tomorrow``, ``+3d``, ``+2w``, ``+1m``, ``+1y``, ``-5d``,
    ``一个月后``) or a date as people write it (``1月15日``, ``15号``, ``下周五``, ``月底``,
    ``15 Jan``: ``core.dates_spoken``). A date without its year is the next such date, or with
    ``prefer="past"`` the last one."""
    from repaycli.core.dates_spoken import span_text, spoken_date

    raw = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not raw:
        raise BadInput("err.date_empty", field=field)
    if raw in _WORDS:
        return today + timedelta(days=_WORDS[raw])
    if not re.match(_ISO_LIKE, raw):
        spoken = spoken_date(raw, today=today, prefer=prefer, field=field, text=str(text))
        if spoken is not None:
            return check_date_range(spoken, today=today, field=field, text=str(text))
    span = _span(span_text(raw))
    if span is not None:
        count, unit = span
        from dateutil.relativedelta import relativedelta

        delta = {
            "d": relativedelta(days=count),
            "w": relativedelta(weeks=count),
            "m": relativedelta(months=count),
            "mo": relativedelta(months=count),
            "y": relativedelta(years=count),
        }[unit]
        try:
            result = today + delta
        except (OverflowError, ValueError) as exc:
            raise BadInput("err.date_out_of_range", field=field, value=text) from exc
        return check_date_range(result, today=today, field=field, text=str(text))
    match = re.match(_ISO_LIKE, raw) or re.match(_COMPACT, raw)
    if not match:
        raise BadInput("err.date_format", field=field, value=text)
    year, month, day = (int(part) for part in match.groups())
    try:
        result = date(year, month, day)
    except ValueError as exc:
        raise BadInput("err.date_impossible", field=field, value=text) from exc
    return check_date_range(result, today=today, field=field, text=str(text))


def _span(raw: str) -> tuple[int, str] | None:
    """``+3d`` / ``3天后`` → (3, "d"); ``-2w`` / ``2周前`` → (-2, "w"); ``3个月`` → (3, "m")."""
    rel = re.match(_RELATIVE, raw)
    if rel:
        return (-1 if rel.group(1) == "-" else 1) * int(rel.group(2)), rel.group(3)
    chinese = re.match(_CHINESE_SPAN, raw)
    if chinese:
        sign = -1 if (chinese.group(3) or "后").endswith("前") else 1
        unit = _SPAN_UNITS[chinese.group(2)]
        return sign * int(chinese.group(1)), unit
    return None


def check_date_range(value: date, *, today: date, field: str, text: str) -> date:
    if value.year > today.year + MAX_YEARS_AHEAD or value.year < today.year - MAX_YEARS_BACK:
        raise BadInput("err.date_out_of_range", field=field, value=text)
    return value


def parse_datetime(
    text: str, *, now: datetime, field: str = "time", prefer: Prefer = "past"
) -> datetime:
    """A date (midnight is not assumed: the time of ``now`` is kept for relative words) or an ISO
    date-time such as ``2026-11-21 14:30``. Naive values take ``now``'s time zone. A date without
    its year is the last such date: a time is mostly when something happened."""
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    zone: tzinfo | None = now.tzinfo
    if raw.lower() in ("now", "现在", "刚才", "刚刚"):
        return now
    if re.match(_AMBIGUOUS, raw.lower()):
        raise BadInput("err.time_unit_ambiguous", field=field, value=text)
    ago = _clock_span(raw.lower())
    if ago is not None:
        return check_datetime_range(now + ago, now=now, field=field, text=raw)
    clock = re.match(_TIME_OF_DAY, raw.lower())
    if clock:
        return check_datetime_range(_at_time_of_day(clock, now, field, text), now=now,
                                    field=field, text=raw)  # fmt: skip
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is not None and (":" in raw or "t" in raw.lower()):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return check_datetime_range(parsed, now=now, field=field, text=raw)
    both = re.fullmatch(r"(?P<day>.*\D)\s*(?P<h>\d{1,2}):(?P<m>\d{2})", raw)
    written = both.group("day").strip() if both else ""
    if parsed is None and both and written:  # 12月4日 23:30, Dec 4 23:30
        try:
            day = parse_date(written, today=now.date(), field=field, prefer=prefer)
        except BadInput as error:
            if error.key == "err.date_format":  # list the forms a time takes
                raise BadInput("err.time_format", field=field, value=text) from None
            raise
        hour, minute = int(both.group("h")), int(both.group("m"))
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise BadInput("err.time_impossible", field=field, value=text)
        moment = datetime.combine(day, time(hour, minute), tzinfo=zone)
        return check_datetime_range(moment, now=now, field=field, text=raw)
    try:
        day = parse_date(raw, today=now.date(), field=field, prefer=prefer)
    except BadInput as error:
        if error.key in ("err.date_format", "err.date_empty"):  # list the forms a time takes
            raise BadInput("err.time_format", field=field, value=text) from None
        raise
    from repaycli.core.dates_spoken import span_text

    if _span(span_text(raw.lower())) is not None or raw.lower() in _WORDS:
        return datetime.combine(day, now.timetz())
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def _clock_span(raw: str) -> timedelta | None:
    """``10分钟前`` / ``-10min`` → −10 minutes; ``半小时前`` → −30 minutes; ``-2h`` → −2 hours."""
    chinese = re.match(_CHINESE_AGO, raw)
    if chinese:
        per = 1 if chinese.group(2) in ("分钟", "分") else 60
        minutes = per // 2 if chinese.group(1) == "半" else int(chinese.group(1)) * per
        return -timedelta(minutes=minutes)
    latin = re.match(_CLOCK_SPAN, raw)
    if latin:
        sign = -1 if latin.group(1) == "-" else 1
        minutes = int(latin.group(2)) * (1 if latin.group(3).startswith("m") else 60)
        return sign * timedelta(minutes=minutes)
    return None


def _at_time_of_day(found: re.Match[str], now: datetime, field: str, text: str) -> datetime:
    """A day word (default today), a part of the day and a clock time, in ``now``'s zone."""
    day = now.date() + timedelta(days=_WORDS.get(found.group("day") or "today", 0))
    if found.group("h") is not None:
        hour = int(found.group("h"))
        minute = int(found.group("m") or 0) + (30 if found.group("half") else 0)
        minute += 15 if found.group("q") else 0
    else:
        hour, minute = int(found.group("h2")), int(found.group("m2"))
    part = found.group("part")
    if part in _AFTERNOON and 1 <= hour < 12 or part == "中午" and 1 <= hour < 6:
        hour += 12
    elif part == "凌晨" and hour == 12:
        hour = 0
    elif part in ("晚上", "夜里") and hour == 12:  # midnight: the start of the next day
        hour, day = 0, day + timedelta(days=1)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise BadInput("err.time_impossible", field=field, value=text)
    return datetime.combine(day, time(hour, minute), tzinfo=now.tzinfo)


def check_datetime_range(value: datetime, *, now: datetime, field: str, text: str) -> datetime:
    check_date_range(value.date(), today=now.date(), field=field, text=text)
    return value
