"""How a letter writes amounts, dates, lengths and the user's own sentences, in each language.

Every amount in every letter goes through ``amount`` and every date through ``day``, so the way
letters write them can be changed in one place. A Chinese letter writes an amount the way formal
letters do, in capital numerals with the figure in brackets (人民币壹万贰仟元整（¥12,000.00）),
and a date as 2026年9月15日; an English one writes ¥12,000.00 and 15 September 2026.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from repaycli.core.capital import capital_amount
from repaycli.core.money import format_money
from repaycli.i18n import get_lang

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

#: A sentence that already ends with one of these needs no closing mark.
_CLOSED = set("。！？!?.…")
#: Closing quotes and brackets that may follow the full stop.
_TRAILING = set("”’\"'）)」』】]")
#: A sentence left open with one of these: the mark is replaced by the full stop.
_OPEN = set("，,；;：:、")


def figure(value: Decimal) -> str:
    """The amount in figures: ``¥12,000.00``."""
    return f"¥{format_money(value)}"


def amount(value: Decimal, lang: str | None = None) -> str:
    """One amount as the letter writes it (the single place letters format money)."""
    if (lang or get_lang()) == "zh":
        return f"人民币{capital_amount(value)}（{figure(value)}）"
    return figure(value)


def day(value: date, lang: str | None = None) -> str:
    """A date as a letter writes it: ``2026年9月15日`` / ``15 September 2026``."""
    if (lang or get_lang()) == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def months(count: int, lang: str | None = None) -> str:
    """A length in months: ``3个月`` / ``1 month``, ``3 months``."""
    if (lang or get_lang()) == "zh":
        return f"{count}个月"
    return "1 month" if count == 1 else f"{count} months"


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def closed(text: str, lang: str | None = None) -> str:
    """The user's sentence with its closing full stop: added when missing, in the script of the
    text (``。`` after Chinese or in a Chinese letter, ``.`` otherwise); a trailing comma or
    semicolon becomes the full stop. Empty text stays empty."""
    body = text.rstrip()
    if not body:
        return body
    core = body.rstrip("".join(_TRAILING))
    if core and core[-1] in _CLOSED:
        return body
    chinese = (lang or get_lang()) == "zh" or _wide(body[-1])
    stop = "。" if chinese else "."
    if body[-1] in _OPEN:
        return body[:-1] + stop
    return body + stop


def moment(stamp: str, lang: str | None = None) -> str:
    """A logged time (``2026-11-21T14:30:00+08:00``) as a letter writes it:
    ``2026年11月21日 14:30`` / ``21 November 2026, 14:30``."""
    day_part = date.fromisoformat(stamp[:10])
    clock = stamp[11:16]
    if not clock:
        return day(day_part, lang)
    if (lang or get_lang()) == "zh":
        return f"{day(day_part, 'zh')} {clock}"
    return f"{day(day_part, 'en')}, {clock}"


def labelled(label: str, value: str, lang: str | None = None) -> str:
    """``label：value`` with the colon of the letter's script."""
    return f"{label}：{value}" if (lang or get_lang()) == "zh" else f"{label}: {value}"


def aside(text: str, lang: str | None = None) -> str:
    """Text in brackets of the letter's script: ``（电话）`` / ``(phone)``."""
    return f"（{text}）" if (lang or get_lang()) == "zh" else f" ({text})"


_ZH_NUMERALS = "一二三四五六七八九十"


def section(number: int, title: str, lang: str | None = None) -> str:
    """A numbered section title: ``一、事由`` / ``1. What this is about``."""
    if (lang or get_lang()) == "zh" and 1 <= number <= len(_ZH_NUMERALS):
        return f"{_ZH_NUMERALS[number - 1]}、{title}"
    return f"{number}. {title}"
