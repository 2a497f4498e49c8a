"""One percent style in both languages: ``16.08%``, never ``16.08 %`` (issue 11), in every
message of the catalogues, errors included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import repaycli

_I18N = Path(repaycli.__file__).parent / "i18n"
_SPACED = re.compile(r"(\d|\})[ \u00a0]%")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_space_before_a_percent_sign(lang: str) -> None:
    files = sorted((_I18N / lang).glob("*.toml"))
    assert files
    bad = [
        f"{path.name}:{n}: {line.strip()}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _SPACED.search(line)
    ]
    assert not bad, bad
