"""Dates as people write them: ``1月15日``, ``15号``, ``下个月15号``, ``明年1月15日``, ``下周五``,
``一个月后``, ``月底``, ``15 Jan``, ``next Friday``.

A date written without its year (or month) is the next such date when the field looks ahead
(``prefer="future"``: a first due date, a recovery date) and the last such date when it looks back
(``prefer="past"``: when a call happened, a payment made). A day the month does not have
(``4月31日``, ``31号`` in November) is refused with the month's last day named, never moved.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import Literal

from repaycli.errors import BadInput

Prefer = Literal["future", "past"]

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_NUMBER = r"[零〇一二两三四五六七八九十]+"
_MONTH_DAY = r"^(今年|明年|后年|去年)?(\d{1,2})月(\d{1,2})[日号]?$"
_DAY_ONLY = r"^(本月|这个?月|下下个?月|下个?月|上个?月)?(\d{1,2})[日号]$"
_MONTH_END = r"^(本|这个?|下下个?|下个?|上个?)?月月?[底末]$"
_WEEKDAY = r"^(下下个?|下个?|本|这个?|上个?)?(周|星期|礼拜)([1-7日天])$"
_MONTH_OFFSET = {None: 0, "本月": 0, "这月": 0, "这个月": 0, "下月": 1, "下个月": 1,
                 "下下月": 2, "下下个月": 2, "上月": -1, "上个月": -1}  # fmt: skip
_WEEK_OFFSET = {"下下": 2, "下下个": 2, "下": 1, "下个": 1, "本": 0, "这": 0, "这个": 0,
                "上": -1, "上个": -1}  # fmt: skip
_MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EN_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_EN_DAY_MONTH = r"^(\d{1,2})(?:st|nd|rd|th)?\s+" + _EN_MONTH + r",?(?:\s+(\d{4}))?$"
_EN_MONTH_DAY = r"^" + _EN_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$"
_EN_WEEKDAY = r"^(next\s+|this\s+|last\s+)?(mon|tue|wed|thu|fri|sat|sun)[a-z]*$"
_EN_MONTH_END = r"^(?:the\s+)?end\s+of\s+(?:the\s+)?(this\s+|next\s+)?month$"
_EN_IN = r"^in\s+(\d{1,4}|a|an|one)\s+(day|week|month|year)s?$"


def chinese_numbers(text: str) -> str:
    """``一个月后`` → ``1个月后``, ``十五号`` → ``15号``, ``三十一日`` → ``31日`` (up to 99)."""
    return re.sub(_CN_NUMBER, _cn_value, text)


def _cn_value(found: re.Match[str]) -> str:
    word = found.group(0)
    if "十" not in word:
        return "".join(str(_CN_DIGITS[ch]) for ch in word)
    tens, _, ones = word.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return word  # not a number people write for a date: left for the format error
    return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))


def spoken_date(raw: str, *, today: date, prefer: Prefer, field: str, text: str) -> date | None:
    """The date ``raw`` (NFKC, lower case, stripped) names, or ``None`` when it is none of
    these forms. Raises ``BadInput`` for a day its month does not have."""
    if raw.isascii():
        return _english(raw, today=today, prefer=prefer, field=field, text=text)
    tight = chinese_numbers(re.sub(r"\s+", "", raw))
    found = re.match(_MONTH_DAY, tight)
    if found:
        month, day = int(found.group(2)), int(found.group(3))
        year_word = found.group(1)
        if year_word is None:
            return _next_month_day(month, day, today=today, prefer=prefer, field=field, text=text)
        year = today.year + {"今年": 0, "明年": 1, "后年": 2, "去年": -1}[year_word]
        return _exact(year, month, day, field=field, text=text)
    found = re.match(_DAY_ONLY, tight)
    if found:
        return _day_of_month(found.group(1), int(found.group(2)), today=today, prefer=prefer,
                             field=field, text=text)  # fmt: skip
    found = re.match(_MONTH_END, tight)
    if found:
        word = found.group(1)
        offset = _MONTH_OFFSET[None if word is None else word + "月"]
        return _month_end(today, offset)
    found = re.match(_WEEKDAY, tight)
    if found:
        weekday = 6 if found.group(3) in ("日", "天") else int(found.group(3)) - 1
        return _weekday(today, weekday, found.group(1), prefer=prefer)
    return None


def span_text(raw: str) -> str:
    """``一个月后`` → ``1个月后``, for the span forms the caller already reads."""
    return chinese_numbers(re.sub(r"\s+", "", raw)) if not raw.isascii() else raw


def _english(raw: str, *, today: date, prefer: Prefer, field: str, text: str) -> date | None:
    words = re.sub(r"\s+", " ", raw)
    found = re.match(_EN_DAY_MONTH, words)
    if found:
        day, month, year = int(found.group(1)), _month_index(found.group(2)), found.group(3)
    else:
        found = re.match(_EN_MONTH_DAY, words)
        if found:
            month, day, year = _month_index(found.group(1)), int(found.group(2)), found.group(3)
    if found:
        if year is not None:
            return _exact(int(year), month, day, field=field, text=text)
        return _next_month_day(month, day, today=today, prefer=prefer, field=field, text=text)
    found = re.match(_EN_WEEKDAY, words)
    if found:
        which = (found.group(1) or "").strip()
        word = {"next": "下", "this": "本", "last": "上"}.get(which)
        return _weekday(today, _DAYS_EN.index(found.group(2)), word, prefer=prefer)
    found = re.match(_EN_MONTH_END, words)
    if found:
        return _month_end(today, 1 if (found.group(1) or "").strip() == "next" else 0)
    found = re.match(_EN_IN, words)
    if found:
        from dateutil.relativedelta import relativedelta

        count = int(found.group(1)) if found.group(1).isdigit() else 1
        unit = found.group(2)
        try:
            return today + relativedelta(**{unit + "s": count})  # type: ignore[arg-type]
        except (OverflowError, ValueError) as exc:
            raise BadInput("err.date_out_of_range", field=field, value=text) from exc
    return None


def _month_index(word: str) -> int:
    return _MONTHS_EN.index(word[:3]) + 1


def _exact(year: int, month: int, day: int, *, field: str, text: str) -> date:
    if not 1 <= month <= 12:
        raise BadInput("err.date_impossible", field=field, value=text)
    try:
        return date(year, month, day)
    except ValueError as exc:
        last = monthrange(year, month)[1] if 1 <= year <= 9999 else 28
        raise _no_such_day(month, day, last, field=field, text=text) from exc


def _no_such_day(month: int, day: int, last: int, *, field: str, text: str) -> BadInput:
    if not 1 <= day <= 31:
        return BadInput("err.date_impossible", field=field, value=text)
    return BadInput("err.date_no_such_day", field=field, value=text, month=month, day=day,
                    last=last)  # fmt: skip


def _next_month_day(
    month: int, day: int, *, today: date, prefer: Prefer, field: str, text: str
) -> date:
    """The next (or last) ``month``/``day`` from today; 29 Feb waits for a leap year."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise BadInput("err.date_impossible", field=field, value=text)
    step = 1 if prefer == "future" else -1
    for ahead in range(9):
        year = today.year + step * ahead
        if day > monthrange(year, month)[1]:
            continue
        found = date(year, month, day)
        if found >= today if prefer == "future" else found <= today:
            return found
    raise _no_such_day(month, day, monthrange(today.year, month)[1], field=field, text=text)


def _day_of_month(
    word: str | None, day: int, *, today: date, prefer: Prefer, field: str, text: str
) -> date:
    """``15号``: this month's 15th if it is still to come (or, looking back, gone), else the
    next (previous) month's. ``下个月15号``: next month's, whatever today is."""
    if not 1 <= day <= 31:
        raise BadInput("err.date_impossible", field=field, value=text)
    offset = _MONTH_OFFSET[word]
    if word is None:
        if prefer == "future" and day < today.day:
            offset = 1
        elif prefer == "past" and day > today.day:
            offset = -1
    first = _first_of(today, offset)
    last = monthrange(first.year, first.month)[1]
    if day > last:
        raise _no_such_day(first.month, day, last, field=field, text=text)
    return first.replace(day=day)


def _first_of(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(today: date, months: int) -> date:
    first = _first_of(today, months)
    return first.replace(day=monthrange(first.year, first.month)[1])


def _weekday(today: date, weekday: int, word: str | None, *, prefer: Prefer) -> date:
    """``下周五``: the Friday of next week (weeks start on Monday); ``本周五``: this week's;
    ``周五``: the next Friday from today (today included), or the last one looking back."""
    if word is None:
        gap = (weekday - today.weekday()) % 7
        return today + timedelta(days=gap if prefer == "future" else gap - 7 if gap else 0)
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=_WEEK_OFFSET[word], days=weekday)
