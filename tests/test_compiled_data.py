"""The JSON the program reads at run time is its TOML sources, compiled: the message catalogues
(``i18n/compiled/<lang>.json``) and the shipped data files (``catalog/compiled/<name>.json``).

After editing a TOML file, rewrite the JSON with
``REPAYCLI_UPDATE_EXAMPLES=1 pytest tests/test_compiled_data.py``.
"""

from __future__ import annotations

import json
import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from repaycli import catalog, i18n

SRC = Path(__file__).resolve().parent.parent / "src" / "repaycli"
UPDATE = os.environ.get("REPAYCLI_UPDATE_EXAMPLES") == "1"


def _sources_merged(lang: str) -> dict[str, str]:
    """The catalogue files of ``lang`` merged by reading them here, independently of
    ``i18n.merged_sources``: nested tables become dotted keys, a later file's key wins."""
    merged: dict[str, str] = {}

    def flatten(table: dict[str, Any], prefix: str) -> None:
        for key, value in table.items():
            if isinstance(value, dict):
                flatten(value, f"{prefix}{key}.")
            else:
                merged[f"{prefix}{key}"] = str(value)

    for path in sorted((SRC / "i18n" / lang).glob("*.toml")):
        flatten(tomllib.loads(path.read_text(encoding="utf-8")), "")
    return merged


def _write(path: Path, data: Any, indent: int) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_message_catalogue_is_its_toml_files_compiled(lang: str) -> None:
    compiled = SRC / "i18n" / i18n.COMPILED / f"{lang}.json"
    if UPDATE:
        _write(compiled, i18n.merged_sources(lang), 0)
    expected = _sources_merged(lang)
    assert i18n.merged_sources(lang) == expected
    on_disk = json.loads(compiled.read_text(encoding="utf-8"))
    assert on_disk == expected, (
        f"{compiled.relative_to(SRC.parent.parent)} is out of date: run "
        "REPAYCLI_UPDATE_EXAMPLES=1 pytest tests/test_compiled_data.py"
    )
    i18n.catalogue.cache_clear()
    assert i18n.catalogue(lang) == expected
    assert i18n.t("no_such.key", lang) == "no_such.key"


@pytest.mark.parametrize("name", catalog.COMPILED)
def test_shipped_data_file_is_its_toml_compiled(name: str) -> None:
    compiled = SRC / "catalog" / "compiled" / f"{name.removesuffix('.toml')}.json"
    source = tomllib.loads((SRC / "catalog" / name).read_text(encoding="utf-8"), parse_float=Decimal)
    if UPDATE:
        _write(compiled, catalog.read_source(name), 1)
    assert catalog.read_source(name) == source
    got = catalog._read(name)
    assert got == source, (
        f"{compiled.relative_to(SRC.parent.parent)} is out of date: run "
        "REPAYCLI_UPDATE_EXAMPLES=1 pytest tests/test_compiled_data.py"
    )
    assert list(got) == list(source)  # the order platforms and stages are listed in


def test_every_shipped_toml_is_compiled_or_read_as_toml() -> None:
    """A new data file is either compiled (listed in ``catalog.COMPILED``) or read by its own
    module as TOML (``lpr.toml`` holds dates, which JSON has not)."""
    shipped = {path.name for path in (SRC / "catalog").glob("*.toml")}
    assert shipped == set(catalog.COMPILED) | {"lpr.toml"}


def test_a_copy_changed_by_a_caller_leaves_the_next_read_alone() -> None:
    first = catalog._read("platforms.toml")
    first.clear()
    assert catalog._read("platforms.toml")
