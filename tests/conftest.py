"""Every test gets its own REPAYCLI_HOME, English, a fixed width, no colour and a fixed today.

Nothing in the suite may depend on the wall clock or on how fast the machine is: "today" is
pinned (``TODAY``; a test that means to read the real clock unsets ``REPAYCLI_TODAY`` itself), and
hypothesis runs without deadlines or speed checks, on the same examples every run (set
``HYPOTHESIS_PROFILE=explore`` to search with fresh random examples instead).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: The day every test runs on, unless it pins another: a Wednesday, far from month ends and from
#: the Chinese New Year, so that "+1m" and weekday rules hold no surprise.
TODAY = date(2026, 12, 2)

_SPEED_CHECKS = [HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large]
settings.register_profile(
    "repeatable", deadline=None, derandomize=True, suppress_health_check=_SPEED_CHECKS
)
settings.register_profile("explore", deadline=None, suppress_health_check=_SPEED_CHECKS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("REPAYCLI_HOME", str(home))
    monkeypatch.setenv("REPAYCLI_LANG", "en")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY.isoformat())
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    # The language is fixed per process once chosen (i18n.set_lang); a test that ran a command
    # in Chinese in-process must not leave the next test in Chinese.
    monkeypatch.setattr("repaycli.i18n._current", None)
    # Practice mode (issue 24) is fixed per run too (paths.set_practice).
    monkeypatch.delenv("REPAYCLI_PRACTICE", raising=False)
    monkeypatch.setattr("repaycli.paths._practice", None)
    yield home
