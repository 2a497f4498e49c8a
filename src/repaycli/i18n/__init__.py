"""Message catalogues (zh / en) and the choice of language.

Catalogues are TOML files under ``i18n/<lang>/``, one per area of the program; their tables nest
into dotted keys (``[err] amount_zero`` → ``err.amount_zero``). They are read at run time from
``i18n/compiled/<lang>.json`` (``COMPILED``). The language follows ``--lang``,
then ``REPAYCLI_LANG``, then the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with
``zh``), else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
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


#: Where the catalogues are read from at run time: ``compiled/<lang>.json``, every message of the
#: language as one flat JSON object. Parsing the TOML files (pure Python, about 1 ms a file)
#: cost ``plan`` more than all its arithmetic; ``json`` parses the same in C. The TOML files are
#: the source: after editing one, rewrite the JSON with
#: ``REPAYCLI_UPDATE_EXAMPLES=1 pytest tests/test_compiled_data.py`` (that test fails until then).
COMPILED = "compiled"
#: This folder: the catalogues are installed beside the code (``importlib.resources`` would read
#: them through ``zipfile`` and ``tempfile``, 8 ms of imports for every command that prints).
_HERE = Path(__file__).resolve().parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language (its catalogue files merged, as compiled)."""
    import json  # here: a silent cron run prints no message at all

    messages: dict[str, str] = json.loads((_HERE / COMPILED / f"{lang}.json").read_bytes())
    return messages


def merged_sources(lang: str) -> dict[str, str]:
    """Every message of one language read from its TOML files, merged in file-name order (a later
    file's key wins): what ``compiled/<lang>.json`` must hold."""
    import tomllib

    messages: dict[str, str] = {}
    for name in _files(lang):
        text = (_HERE / lang / name).read_text(encoding="utf-8")
        messages.update(_flatten(tomllib.loads(text)))
    return messages


def _files(lang: str) -> tuple[str, ...]:
    return tuple(sorted(e.name for e in (_HERE / lang).iterdir() if e.name.endswith(".toml")))


def _message(lang: str, key: str) -> str | None:
    return catalogue(lang).get(key)


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message ``key`` in the current language, formatted with ``params``; with a ``count``
    of 1, ``key_one`` when the catalogue has it (``i18n/*/plurals.toml``).

    A ``field`` parameter naming an input (``overdue``) is shown by its translated label.
    """
    chosen = lang or get_lang()
    messages = catalogue(chosen)
    text = messages.get(key)  # ``_message``, inline: a calendar feed asks thousands
    if params.get("count") == 1 and f"{key}_one" in messages:  # "1 entry", not "1 entries"
        text = messages[f"{key}_one"]
    if text is None:
        fallback = _message(DEFAULT_LANG, key)
        text = key if fallback is None else fallback
    if "field" in params:
        label = _message(chosen, f"field.{params['field']}")
        params = {**params, "field": label if label is not None else str(params["field"])}
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in catalogue(get_lang())
