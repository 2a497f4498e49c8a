"""Message catalogues (zh / en) and the choice of language.

Catalogues are TOML files under ``i18n/<lang>/``, one per area of the program; their tables nest
into dotted keys (``[err] amount_zero`` → ``err.amount_zero``). The language follows ``--lang``,
then ``REPAYCLI_LANG``, then the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with
``zh``), else English.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from repaycli.errors import BadInput

LANGUAGES = ("zh", "en")
DEFAULT_LANG = "en"

_current: str | None = None


def normalise_lang(value: str) -> str | None:
    """``zh_CN.UTF-8``, ``zh-Hans``, ``中文`` → ``zh``; ``en_US`` → ``en``; else ``None``."""
    low = value.strip().lower()
    if low.startswith("zh") or low in ("中文", "cn", "chinese"):
        return "zh"
    if low.startswith("en") or low == "english":
        return "en"
    return None


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    chosen = env.get("REPAYCLI_LANG", "")
    if chosen and normalise_lang(chosen):
        return normalise_lang(chosen) or DEFAULT_LANG
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else DEFAULT_LANG
    return DEFAULT_LANG


def set_lang(value: str | None) -> str:
    """Fix the language for this process (``None`` means: detect it)."""
    global _current
    if value is None:
        _current = detect_lang()
        return _current
    lang = normalise_lang(value)
    if lang is None:
        raise BadInput("err.lang_unknown", value=value)
    _current = lang
    return lang


def get_lang() -> str:
    return _current if _current is not None else set_lang(None)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language, merged from all its catalogue files."""
    messages: dict[str, str] = {}
    for name in _files(lang):
        messages.update(_file(lang, name))
    return messages


#: The start of each line that may define a top-level name: a table header (``[plan.err]``,
#: ``[[x]]``) or a key (``money = …``, ``"x".y = …``). Lines inside long strings match too; that
#: only makes the index list a file more than it needs.
_DEFINES = re.compile(r"""^[ \t]*(?:\[\[?[ \t]*)?["']?([^\s"'.=\[\]]+)""", re.MULTILINE)


@cache
def _files(lang: str) -> tuple[str, ...]:
    from importlib import resources

    folder = resources.files("repaycli.i18n").joinpath(lang)
    return tuple(sorted(e.name for e in folder.iterdir() if e.name.endswith(".toml")))


@cache
def _text(lang: str, name: str) -> str:
    from importlib import resources

    return resources.files("repaycli.i18n").joinpath(lang, name).read_text(encoding="utf-8")


@cache
def _file(lang: str, name: str) -> dict[str, str]:
    import tomllib  # here, not at the top: a silent cron run prints no message at all

    return _flatten(tomllib.loads(_text(lang, name)))


@cache
def _index(lang: str) -> dict[str, tuple[str, ...]]:
    """Top-level name → the files (in merge order) that may define it."""
    index: dict[str, list[str]] = {}
    for name in _files(lang):
        for top in dict.fromkeys(_DEFINES.findall(_text(lang, name))):
            index.setdefault(top, []).append(name)
    return {top: tuple(names) for top, names in index.items()}


@cache
def _section(lang: str, top: str) -> dict[str, str] | None:
    """The messages under ``top``, merged from only the files that may define it (parsing all
    twelve files of a language cost a command ~20 ms, as much as the rest of its start)."""
    names = _index(lang).get(top)
    if names is None:
        return None
    merged: dict[str, str] = {}
    for name in names:
        merged.update(_file(lang, name))
    return merged


def _message(lang: str, key: str) -> str | None:
    """``catalogue(lang).get(key)``, parsing only the files that may hold ``key`` (the whole
    catalogue when they do not: ``tests/test_plan_startup.py`` compares the two for every key)."""
    section = _section(lang, key.split(".", 1)[0])
    found = section.get(key) if section is not None else None
    return found if found is not None else catalogue(lang).get(key)


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message ``key`` in the current language, formatted with ``params``.

    A ``field`` parameter naming an input (``overdue``) is shown by its translated label.
    """
    chosen = lang or get_lang()
    text = _message(chosen, key)
    if text is None:
        fallback = _message(DEFAULT_LANG, key)
        text = key if fallback is None else fallback
    if "field" in params:
        label = _message(chosen, f"field.{params['field']}")
        params = {**params, "field": label if label is not None else str(params["field"])}
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in catalogue(get_lang())
