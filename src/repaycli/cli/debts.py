"""Reading a debts file (``plan --debts FILE``): a TOML file of ``[[debt]]`` tables.

Every amount and rate goes through the same parsers as the flags; any error becomes one line
naming the file, the debt's number and the field. See ``docs/plan-debts.md``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from repaycli.core.balance import breakdown_of
from repaycli.core.inputs import parse_int, parse_reason, parse_share
from repaycli.core.models import Catalogue, Debt, Reason
from repaycli.core.money import parse_amount
from repaycli.core.rates import RateUnit, parse_penalty_rate, parse_rate
from repaycli.core.record import Model
from repaycli.errors import BadInput
from repaycli.i18n import t
from repaycli.safeload import loads_toml, read_text

T = TypeVar("T")

TOP_KEYS = ("income", "expenses", "limit_share", "reason", "debt")
DEBT_KEYS = (
    "platform",
    "overdue",
    "principal",
    "interest",
    "penalty",
    "days_overdue",
    "annual_rate",
    "penalty_rate",
)
#: More debts than this in one file is treated as a mistake.
MAX_DEBTS = 50


class DebtsFile(Model):
    debts: list[Debt]
    income: Decimal | None = None
    expenses: Decimal | None = None
    limit_share: Decimal | None = None
    reason: Reason | None = None


def _text(value: Any) -> str | None:
    """A TOML value as the text a flag would carry (numbers are accepted as well as strings;
    the file is read with ``parse_float=Decimal``, so no amount passes through a float)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return None


def _field(path: Path, n: int | None, key: str, value: Any, parse: Callable[[str], T]) -> T:
    text = _text(value)
    where = {"path": str(path), "name": key}
    if text is None:
        if n is None:
            raise BadInput("debts.err.top_type", **where)
        raise BadInput("debts.err.debt_type", n=n, **where)
    try:
        return parse(text)
    except BadInput as error:
        detail = t(error.key, **error.params)
        if n is None:
            raise BadInput("debts.err.top_field", detail=detail, **where) from None
        raise BadInput("debts.err.debt_field", n=n, detail=detail, **where) from None


def _debt(path: Path, n: int, table: Any, catalogue: Catalogue) -> Debt:
    if not isinstance(table, dict):
        raise BadInput("debts.err.not_table", path=str(path), n=n)
    for key in table:
        if key not in DEBT_KEYS:
            raise BadInput(
                "debts.err.debt_key", path=str(path), n=n, name=key, keys=", ".join(DEBT_KEYS)
            )
    for key in ("platform", "overdue"):
        if key not in table:
            raise BadInput("debts.err.debt_missing", path=str(path), n=n, name=key)

    def get(key: str, parse: Callable[[str], T]) -> T | None:
        return _field(path, n, key, table[key], parse) if key in table else None

    platform = get("platform", catalogue.resolve)
    overdue = get("overdue", lambda s: parse_amount(s, field="overdue"))
    principal = get("principal", lambda s: parse_amount(s, field="principal"))
    interest = get("interest", lambda s: parse_amount(s, field="interest", allow_zero=True))
    fees = get("penalty", lambda s: parse_amount(s, field="penalty", allow_zero=True))
    days = get("days_overdue", lambda s: parse_int(s, field="days_overdue", low=0, high=3650))
    annual = get("annual_rate", lambda s: parse_rate(s, unit=RateUnit.YEAR, field="annual_rate"))
    penalty = get("penalty_rate", parse_penalty_rate)
    assert platform is not None and overdue is not None  # both checked present above
    if principal is not None and principal > overdue:
        raise BadInput(
            "debts.err.principal_above",
            path=str(path),
            n=n,
            principal=str(table["principal"]),
            overdue=str(table["overdue"]),
        )
    debt = Debt(
        platform=platform,
        overdue=overdue,
        principal=principal,
        interest_due=interest,
        penalty=fees,
        days_overdue=days or 0,
        annual_rate=annual,
        penalty_rate_daily=penalty,
    )
    try:
        breakdown_of(debt)  # the parts given must fit inside the overdue amount
    except BadInput as error:
        detail = t(error.key, **error.params)
        raise BadInput("debts.err.debt_parts", path=str(path), n=n, detail=detail) from None
    return debt


#: ``key = value`` on one line of a debts file.
_ASSIGNMENT = r"^\s*([A-Za-z_][\w-]*)\s*=\s*(.*?)\s*(?:#.*)?$"


def toml_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> BadInput:
    """The parser's complaint in the user's language, with the line; an unquoted value such as
    ``overdue = 4.5万`` (the usual slip) gets the fix: the same line with quotes."""
    import re

    where = re.search(r"line (\d+), column (\d+)", str(exc))
    if where is None:  # a limit of the reader (nesting, size): its own words
        return BadInput("debts.err.toml", path=str(path), detail=str(exc))
    line_no, col = int(where.group(1)), int(where.group(2))
    lines = text.splitlines()
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    found = re.match(_ASSIGNMENT, line)
    if found and found.group(2) and found.group(2)[0] not in "\"'[{":
        name, value = found.group(1), found.group(2)
        fixed = value.replace("\\", "\\\\").replace('"', '\\"')
        return BadInput("debts.err.toml_quote", path=str(path), line=line_no, value=value,
                        fixed=f'{name} = "{fixed}"')  # fmt: skip
    return BadInput("debts.err.toml_at", path=str(path), line=line_no, col=col)


def load_debts(path: Path, catalogue: Catalogue) -> DebtsFile:
    """The debts and the optional shared values (income, expenses …) of a debts file."""
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise BadInput("debts.err.missing", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInput("err.file_read", path=str(path), detail=detail) from None
    try:
        data = loads_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(path, text, exc) from None
    for key in data:
        if key not in TOP_KEYS:
            raise BadInput("debts.err.top_key", path=str(path), name=key, keys=", ".join(TOP_KEYS))
    tables = data.get("debt", [])
    if not isinstance(tables, list) or not tables:
        raise BadInput("debts.err.none", path=str(path))
    if len(tables) > MAX_DEBTS:
        raise BadInput("debts.err.too_many", path=str(path), limit=MAX_DEBTS)
    debts = [_debt(path, n, table, catalogue) for n, table in enumerate(tables, 1)]

    def top(key: str, parse: Callable[[str], T]) -> T | None:
        return _field(path, None, key, data[key], parse) if key in data else None

    return DebtsFile(
        debts=debts,
        income=top("income", lambda s: parse_amount(s, field="income", allow_zero=True)),
        expenses=top("expenses", lambda s: parse_amount(s, field="expenses", allow_zero=True)),
        limit_share=top("limit_share", parse_share),
        reason=top("reason", parse_reason),
    )
