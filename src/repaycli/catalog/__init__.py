"""Loading the data files shipped in this folder, and the user's own platform file."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repaycli.errors import BadInput
from repaycli.safeload import loads_toml, read_text

if TYPE_CHECKING:  # imported when loaded (``platform_names`` needs none)
    from repaycli.core.checklist import ChecklistSource
    from repaycli.core.conduct import Rule as ConductRule
    from repaycli.core.models import Catalogue, LogField, Platform

USER_PLATFORMS_FILE = "platforms.toml"
#: This folder, where the shipped files are installed beside the code (``importlib.resources``
#: would do the same through ``zipfile`` and ``tempfile``: 8 ms of imports for every ``plan``).
HERE = Path(__file__).resolve().parent


#: The shipped TOML files below are read at run time from ``compiled/<name>.json``: parsing
#: ``platforms.toml`` alone took ``plan`` 15 ms in pure Python, ``json`` parses the same in C.
#: The TOML files are the source: after editing one, rewrite its JSON with
#: ``REPAYCLI_UPDATE_EXAMPLES=1 pytest tests/test_compiled_data.py`` (that test fails until then).
COMPILED = (
    "platforms.toml",
    "checklist.toml",
    "log_fields.toml",
    "choice_words.toml",
    "bill_categories.toml",
    "conduct_rules.toml",
)


def _read(name: str) -> dict[str, Any]:
    """A shipped data file's tables (a fresh copy each call: callers may change it)."""
    import json

    json_name = f"compiled/{name.removesuffix('.toml')}.json"
    data: dict[str, Any] = json.loads(
        (HERE / json_name).read_bytes(),
        parse_float=Decimal,
    )
    return data


def read_source(name: str) -> dict[str, Any]:
    """A shipped data file's tables read from its TOML source: what ``_read`` must give."""
    import tomllib

    text = (HERE / name).read_text(encoding="utf-8")
    return tomllib.loads(text, parse_float=Decimal)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


#: The figures a platform carries a source for.
FIGURES = ("hotline", "periods", "max_deferral_months", "annual_rate", "penalty_rate_daily")


def _credit_user(merged: dict[str, Any], table: dict[str, Any], user_file: Path) -> None:
    """A figure the user sets is theirs: its source becomes their file (unless they name one)
    and it is no longer an unconfirmed default (unless they list it)."""
    given = [name for name in FIGURES if name in table]
    own = dict(table.get("sources", {}))
    merged["sources"] = {
        **merged.get("sources", {}),
        **{name: f"your file {user_file}" for name in given if name not in own},
    }
    if "unconfirmed" not in table:
        merged["unconfirmed"] = [n for n in merged.get("unconfirmed", []) if n not in given]


def load_catalogue(user_file: Path | None = None) -> Catalogue:
    """The shipped catalogue; the user's file (if any) overrides fields or adds platforms.

    The shipped file is trusted as it is (``tests/test_plan_startup.py`` puts it through the
    checks); with a user file, every platform goes through ``catalog.check`` (pydantic) first."""
    from repaycli.core.models import Catalogue, Platform

    tables = _read("platforms.toml")
    if user_file is None or not user_file.is_file():
        return Catalogue(platforms=[_shipped(Platform, key, f) for key, f in tables.items()])
    import tomllib

    try:
        user = loads_toml(read_text(user_file))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise BadInput("err.user_catalogue", path=str(user_file), detail=str(exc)) from exc
    for key, value in user.items():
        if not isinstance(value, dict):
            raise BadInput("err.user_catalogue", path=str(user_file), detail=key)
        merged = _merge(tables.get(key, {}), value)
        _credit_user(merged, value, user_file)
        tables[key] = merged
    from pydantic import ValidationError

    from repaycli.catalog.check import checked

    platforms = []
    for key, fields in tables.items():
        try:
            platforms.append(checked(key, fields))
        except (ValidationError, TypeError) as exc:
            detail = _what_is_wrong(key, exc)
            raise BadInput("err.user_catalogue", path=str(user_file), detail=detail) from exc
    return Catalogue(platforms=platforms)


def _what_is_wrong(key: str, exc: Exception) -> str:
    """Which platform and field of the user's file failed, with the value and why: pydantic's
    first line alone ("1 validation error for Platform") told the user nothing to correct."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError) or not exc.errors():
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    first = exc.errors()[0]
    where = f"[{key}] " + ".".join(str(part) for part in first["loc"])
    if first["type"] != "missing":
        try:
            value = repr(first["input"])
        except ValueError:  # an integer too long to print
            value = "…"
        where += f" = {value if len(value) <= 40 else value[:39] + '…'}"
    return f"{where}: {first['msg']}"


def _shipped(platform: type[Platform], key: str, fields: dict[str, Any]) -> Platform:
    """A platform of the shipped file, whose rates are written as strings (``"0.15"``)."""
    from repaycli.core.models import PlatformKind

    return platform(
        **{
            **fields,
            "id": key,
            "kind": PlatformKind(fields["kind"]),
            "annual_rate": Decimal(fields["annual_rate"]),
            "penalty_rate_daily": Decimal(fields["penalty_rate_daily"]),
        }
    )


def platform_names(lang: str, user_file: Path | None = None) -> dict[str, str] | None:
    """Platform id → name in ``lang`` (``Platform.name``), read straight from the shipped file
    without building the catalogue; ``None`` when a user file exists (then ``load_catalogue``
    must validate and merge it)."""
    if user_file is not None and user_file.exists():
        return None
    key = "name_zh" if lang == "zh" else "name_en"
    return {pid: str(fields[key]) for pid, fields in _read("platforms.toml").items()}


@cache
def load_checklist() -> ChecklistSource:
    from repaycli.core.checklist import ChecklistSource

    return ChecklistSource.from_toml(_read("checklist.toml"))


@cache
def load_log_fields() -> tuple[LogField, ...]:
    from repaycli.core.models import LogField

    return tuple(LogField(**f) for f in _read("log_fields.toml")["field"])


@cache
def load_choice_words() -> dict[str, dict[str, str]]:
    """Field → word people type → choice id, from ``choice_words.toml`` (``微信`` → app_chat)."""
    import unicodedata

    words: dict[str, dict[str, str]] = {}
    for field, table in _read("choice_words.toml").items():
        words[field] = {
            unicodedata.normalize("NFKC", word).lower().replace(" ", ""): choice
            for choice, listed in table.items()
            for word in listed
        }
    return words


def load_bill_categories() -> dict[str, list[str]]:
    """Category → the words that put a bill row in it, in the order they are tried
    (``bill_categories.toml``)."""
    return {name: list(table["words"]) for name, table in _read("bill_categories.toml").items()}


@cache
def load_conduct_rules() -> tuple[ConductRule, ...]:
    """The collection conduct rules (``conduct_rules.toml``), ``?`` ones included: the check
    decides what may be printed."""
    from repaycli.core.conduct import Rule

    return tuple(Rule.from_toml(r) for r in _read("conduct_rules.toml")["rule"])
