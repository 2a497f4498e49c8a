"""Parsing small values people type: whole numbers, choices, hardship reasons, shares."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from repaycli.core.models import Reason
from repaycli.errors import BadInput

_REASON_ALIASES = {
    "医疗": Reason.MEDICAL,
    "生病": Reason.MEDICAL,
    "疾病": Reason.MEDICAL,
    "失业": Reason.UNEMPLOYMENT,
    "没工作": Reason.UNEMPLOYMENT,
    "被裁员": Reason.UNEMPLOYMENT,
    "裁员": Reason.UNEMPLOYMENT,
    "收入下降": Reason.INCOME_DROP,
    "降薪": Reason.INCOME_DROP,
    "减薪": Reason.INCOME_DROP,
    "收入减少": Reason.INCOME_DROP,
    "住院": Reason.MEDICAL,
    "受伤": Reason.MEDICAL,
    "家庭变故": Reason.FAMILY_EMERGENCY,
    "经营失败": Reason.BUSINESS_FAILURE,
    "生意失败": Reason.BUSINESS_FAILURE,
    "经营困难": Reason.BUSINESS_FAILURE,
    "疏忽": Reason.OVERSIGHT,
    "忘记": Reason.OVERSIGHT,
    "其他": Reason.OTHER,
    "其它": Reason.OTHER,
}


#: More digits than any whole number repaycli takes (days, periods, ids) can have.
MAX_DIGITS = 18


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


#: Units people write after a count, by what the field counts (``20天``, ``12期``, ``3个月``).
_UNITS = {
    "days": ("天", "日", "days", "day", "d"),
    "periods": ("个月", "期", "月", "个", "months", "month", "periods", "m"),
}
_FIELD_UNITS = {"days_overdue": "days", "days": "days", "periods": "periods",
                "installments": "periods"}  # fmt: skip


def without_unit(text: str, field: str) -> str:
    """``text`` normalised (full-width digits too), without the unit of ``field``'s count
    (``20天`` → ``20`` for days overdue, ``12期`` → ``12`` for periods)."""
    raw = _norm(text)
    low = raw.lower()
    for unit in _UNITS.get(_FIELD_UNITS.get(field, ""), ()):
        head = low.removesuffix(unit).strip()
        if head != low and head.lstrip("+").isdigit():
            return head
    return raw


def parse_int(text: str, *, field: str, low: int, high: int) -> int:
    raw = without_unit(text, field)
    if raw.startswith("-") and raw[1:].isdigit() and raw.isascii():
        raise BadInput("err.integer_negative", field=field, value=text)
    if not raw.lstrip("+").isdigit() or not raw.isascii():
        raise BadInput("err.integer", field=field, value=text)
    if len(raw.lstrip("+0")) > MAX_DIGITS:  # int() of 4,300+ digits raises; none is in range
        raise BadInput("err.integer_range", field=field, value=text, low=low, high=high)
    value = int(raw)
    if not low <= value <= high:
        raise BadInput("err.integer_range", field=field, value=text, low=low, high=high)
    return value


def parse_choice(text: str, *, field: str, choices: Sequence[str]) -> str:
    raw = _norm(text).lower().replace("-", "_").replace(" ", "_")
    if raw not in choices:
        raise BadInput("err.choice", field=field, value=text, choices=", ".join(choices))
    return raw


def parse_reason(text: str) -> Reason:
    raw = _norm(text)
    if raw in _REASON_ALIASES:
        return _REASON_ALIASES[raw]
    try:
        return Reason(raw.lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise BadInput("err.reason_choice", field="reason", value=text) from None


def parse_share(text: str) -> Decimal:
    """A share of income as a percentage: ``50%`` or ``50`` → 50, and a fraction ``0.5`` → 50."""
    raw = _norm(text).rstrip("%").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise BadInput("plan.err.share", value=text) from None
    if not value.is_finite():
        raise BadInput("plan.err.share", value=text)
    if "." in raw and value <= 1 and not _norm(text).endswith("%"):
        value *= 100
    if not Decimal(1) <= value <= Decimal(100):
        raise BadInput("plan.err.share", value=text)
    return value
