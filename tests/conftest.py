"""Every test gets its own REPAYCLI_HOME, English, a fixed width and no colour."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("REPAYCLI_HOME", str(home))
    monkeypatch.setenv("REPAYCLI_LANG", "en")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("REPAYCLI_TODAY", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    # The language is fixed per process once chosen (i18n.set_lang); a test that ran a command
    # in Chinese in-process must not leave the next test in Chinese.
    monkeypatch.setattr("repaycli.i18n._current", None)
    # Practice mode (issue 24) is fixed per run too (paths.set_practice).
    monkeypatch.delenv("REPAYCLI_PRACTICE", raising=False)
    monkeypatch.setattr("repaycli.paths._practice", None)
    yield home
