"""The dated LPR table and reference lines (``lpr.toml``), with the user's file overriding it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from repaycli.catalog import HERE
from repaycli.core.offer import LprRate, LprTable
from repaycli.errors import BadInput
from repaycli.i18n import t
from repaycli.safeload import loads_toml, read_text


def _shipped() -> dict[str, Any]:
    text = (HERE / "lpr.toml").read_text(encoding="utf-8")
    return tomllib.loads(text, parse_float=Decimal)


def _problem(error: Mapping[str, Any], where: str) -> str:
    """One pydantic error as a sentence the user can act on (no pydantic wording)."""
    kind = str(error.get("type", ""))
    limits = error.get("ctx") or {}
    if kind == "missing":
        return t("offer.lpr_problem.missing", where=where)
    if kind == "extra_forbidden":
        return t("offer.lpr_problem.unknown_key", where=where)
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        key = {"greater_than": "above", "greater_than_equal": "at_least"}.get(kind, "at_most")
        limit = next(iter(limits.values()), "")
        return t(f"offer.lpr_problem.{key}", where=where, limit=str(limit))
    if kind.startswith(("date", "datetime")):
        return t("offer.lpr_problem.date", where=where)
    if kind.startswith("string"):
        return t("offer.lpr_problem.text", where=where)
    if kind.startswith(("decimal", "finite", "float", "int")):
        return t("offer.lpr_problem.number", where=where)
    return t("offer.lpr_problem.invalid", where=where)


def _first_problem(exc: ValidationError, row: int | None = None) -> str:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "lpr"
    where = field if row is None else t("offer.lpr_problem.row", n=row, field=field)
    return _problem(first, where)


def load_lpr_table(user_file: Path | None = None) -> LprTable:
    """The shipped table; a user file adds dated rows (same date: replaces) and may change the
    multiplier or the court line. Anything wrong in the user's file is one ``BadInput`` naming
    the file and the row or key."""
    data = _shipped()
    if user_file is None or not user_file.is_file():
        return LprTable.model_validate(data)

    def bad(detail: str) -> BadInput:
        return BadInput("offer.err.lpr_file", path=str(user_file), detail=detail)

    try:
        user = loads_toml(read_text(user_file))
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise bad(
            t("offer.lpr_problem.toml", line=line.group(1))
            if line
            else t("offer.lpr_problem.toml_somewhere")
        ) from exc
    except UnicodeDecodeError as exc:
        raise bad(t("offer.lpr_problem.encoding")) from exc
    except OSError as exc:
        raise bad(exc.strerror or str(exc)) from exc
    extra = user.get("lpr", [])
    if not isinstance(extra, list) or not all(isinstance(row, dict) for row in extra):
        raise bad(t("offer.lpr_problem.rows"))
    for n, row in enumerate(extra, 1):
        try:
            LprRate.model_validate(row)
        except ValidationError as exc:
            raise bad(_first_problem(exc, n)) from exc
    rows = {row.get("effective"): row for row in data["lpr"]}
    for row in extra:
        rows[row.get("effective")] = row
    data = {**data, **{k: v for k, v in user.items() if k != "lpr"}, "lpr": list(rows.values())}
    try:
        return LprTable.model_validate(data)
    except ValidationError as exc:
        raise bad(_first_problem(exc)) from exc
