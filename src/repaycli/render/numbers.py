"""The one way numbers are written on screen, per language.

- Money: English ``¥1,234.56``, Chinese ``1,234.56 元`` (:func:`money`); a bare ``1,234.56``
  only in a table column whose header names the unit (:func:`amount`).
- Percent: ``16.08%`` in both languages, no space (:func:`percent`); a daily penalty rate with
  three places (``0.050%``), a share of income as given (``50%``).

JSON output does not come here: it keeps exact decimal strings.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from repaycli.i18n import get_lang

_FEN = Decimal("0.01")
#: What is shown for a number that does not exist (no rate, no share).
NONE = "—"


def amount(value: Decimal) -> str:
    """``12345.6`` → ``12,345.60``: grouped, two places, rounded half up (for table cells whose
    header carries the unit)."""
    return f"{value.quantize(_FEN, rounding=ROUND_HALF_UP):,.2f}"


def money(value: Decimal, lang: str | None = None) -> str:
    """An amount with its unit: ``¥12,345.60`` in English, ``12,345.60 元`` in Chinese."""
    text = amount(value)
    return f"{text} 元" if (lang or get_lang()) == "zh" else f"¥{text}"


def signed_money(value: Decimal, lang: str | None = None) -> str:
    """A difference: ``+¥802.91`` / ``-¥398.04`` (``+802.91 元`` / ``-398.04 元``)."""
    sign = "-" if value < 0 else "+"
    return sign + money(abs(value), lang)


def percent(value: Decimal | None, places: int = 2) -> str:
    """``16.08%`` (``places`` decimals; ``—`` for none)."""
    if value is None:
        return NONE
    return f"{value:.{places}f}%"


def daily_percent(value: Decimal) -> str:
    """A daily rate in percent: ``0.050%``."""
    return percent(value, 3)


def share(value: Decimal) -> str:
    """A share as the user gave it: ``50%``, ``33.5%``."""
    return f"{value.normalize():f}%"
