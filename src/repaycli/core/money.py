"""Money as ``Decimal``: parsing what people type, rounding to the fen, splitting totals."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from repaycli.errors import BadInput

FEN = Decimal("0.01")
ZERO = Decimal("0")
#: Anything above 100 million yuan (1亿) is treated as a typing mistake.
MAX_AMOUNT = Decimal("100000000")

_MULTIPLIERS = {"万": Decimal(10000), "w": Decimal(10000), "千": Decimal(1000), "k": Decimal(1000)}
_CURRENCY = ("¥", "￥", "rmb", "cny", "元", "块", "yuan")
#: Patterns compiled where first used (``re`` keeps them), not when ``remind`` imports this.
_GROUPED = r"^\d{1,3}(,\d{3})+(\.\d+)?$"
_PLAIN = r"^\d+(\.\d+)?$|^\.\d+$"
#: The spoken short form: 6千3 is 6,300 and 1万2 is 12,000 (the digit after the unit is its tenth).
_SPOKEN = r"^(\d+)([万w千k])(\d)$"


def round_fen(value: Decimal) -> Decimal:
    """Round to the fen, half up: the one rounding step every amount goes through."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(value: Decimal) -> int:
    """An amount as integer fen, for storage."""
    return int(round_fen(value) * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def parse_amount(text: str, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """Parse ``8000``, ``8,000.50``, ``¥8000``, ``8000元``, ``1.2万``, ``3千``, ``6千3`` into yuan.

    Raises ``BadInput`` for anything that is not a positive amount in whole fen.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "")
    if not raw:
        raise BadInput("err.amount_empty", field=field)
    if raw.startswith("-"):
        raise BadInput("err.amount_negative", field=field, value=text)
    raw = raw.lstrip("+")
    for mark in _CURRENCY:
        raw = raw.replace(mark, "")
    spoken = re.match(_SPOKEN, raw)
    if spoken:
        whole, unit, tenth = spoken.groups()
        value = (Decimal(whole) + Decimal(tenth) / 10) * _MULTIPLIERS[unit]
        return check_amount(value, field=field, text=str(text), allow_zero=allow_zero)
    multiplier = Decimal(1)
    if raw and raw[-1] in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[raw[-1]]
        raw = raw[:-1]
    if re.match(_GROUPED, raw):
        raw = raw.replace(",", "")
    if not re.match(_PLAIN, raw):
        raise BadInput("err.amount_not_number", field=field, value=text)
    try:
        value = Decimal(raw) * multiplier
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise BadInput("err.amount_not_number", field=field, value=text) from exc
    return check_amount(value, field=field, text=str(text), allow_zero=allow_zero)


def check_amount(
    value: Decimal, *, field: str, text: str | None = None, allow_zero: bool = False
) -> Decimal:
    """Validate an amount that is already a ``Decimal`` (from a flag, a file or a parse)."""
    shown = text if text is not None else str(value)
    if not value.is_finite():
        raise BadInput("err.amount_not_number", field=field, value=shown)
    if value < 0:
        raise BadInput("err.amount_negative", field=field, value=shown)
    if value == 0 and not allow_zero:
        raise BadInput("err.amount_zero", field=field)
    if value > MAX_AMOUNT:
        raise BadInput("err.amount_too_large", field=field, value=shown)
    if value != value.quantize(FEN, rounding=ROUND_HALF_UP):
        raise BadInput("err.amount_sub_fen", field=field, value=shown)
    return value.quantize(FEN)


def split_evenly(total: Decimal, periods: int) -> list[Decimal]:
    """``periods`` installments of ``total``; the last absorbs the rounding so they sum exactly."""
    if periods < 1:
        raise ValueError("periods must be at least 1")
    total = round_fen(total)
    return level_schedule(total / periods, total, periods)


def level_schedule(exact_payment: Decimal, total: Decimal, periods: int) -> list[Decimal]:
    """Equal installments of ``exact_payment`` rounded, the last one absorbing the difference.

    When rounding half up would leave the last installment negative (tiny totals over many
    periods), the others are rounded down instead so every installment stays non-negative.
    """
    each = round_fen(exact_payment)
    if each * (periods - 1) > total:
        each = exact_payment.quantize(FEN, rounding=ROUND_DOWN)
    return [each] * (periods - 1) + [total - each * (periods - 1)]


def format_money(value: Decimal) -> str:
    """``12345.6`` → ``12,345.60`` (the same in both languages; the unit is added by the text)."""
    return f"{round_fen(value):,.2f}"
