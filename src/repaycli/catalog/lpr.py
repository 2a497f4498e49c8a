"""The dated LPR table and reference lines (``lpr.toml``), with the user's file overriding it."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from repaycli.core.offer import LprTable
from repaycli.errors import BadInput


def _shipped() -> dict[str, Any]:
    text = resources.files("repaycli.catalog").joinpath("lpr.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_lpr_table(user_file: Path | None = None) -> LprTable:
    """The shipped table; a user file adds dated rows (same date: replaces) and may change the
    multiplier or the court line."""
    data = _shipped()
    if user_file is not None and user_file.is_file():
        try:
            user = tomllib.loads(user_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise BadInput("offer.err.lpr_file", path=str(user_file), detail=str(exc)) from exc
        rows = {row.get("effective"): row for row in data["lpr"]}
        extra = user.get("lpr", [])
        if not isinstance(extra, list) or not all(isinstance(row, dict) for row in extra):
            raise BadInput("offer.err.lpr_file", path=str(user_file), detail="[[lpr]]")
        for row in extra:
            rows[row.get("effective")] = row
        data = {**data, **{k: v for k, v in user.items() if k != "lpr"}, "lpr": list(rows.values())}
    try:
        return LprTable.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BadInput(
            "offer.err.lpr_file", path=str(user_file), detail=f"{where}: {first['msg']}"
        ) from exc
