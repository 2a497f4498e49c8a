"""Issue 24: practice mode. ``repaycli --practice …`` keeps its records in a separate folder,
says so first on every command and on the call screen, and leaves the real, append-only log —
and what letters and fingerprints count from it — byte for byte as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from helpers import LOG_ADD, invoke, run

TODAY = "2026-12-28"
PLAN = ["plan", "--platform", "huabei", "--overdue", "8000", "--income", "5000", "--no-input"]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)


def snapshot(home: Path) -> dict[str, str]:
    """Every file of the real data folder (the practice folder left out), by content hash."""
    return {
        str(path.relative_to(home)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(home.rglob("*"))
        if path.is_file() and "practice" not in path.relative_to(home).parts
    }


def _ok(*args: str, practice: bool = True) -> str:
    done = run(*(["--practice"] if practice else []), *args)
    assert done.returncode == 0, done.stderr
    banner = done.stderr.splitlines()[:1] == [
        "Practice mode: nothing is written to your real records"
    ]
    assert banner is practice, done.stderr
    return done.stdout


def test_a_practice_run_leaves_the_real_log_byte_for_byte_unchanged(_isolated: Path) -> None:
    home = _isolated
    _ok(*PLAN, practice=False)
    _ok(*LOG_ADD, "--outcome", "pending", "--notes", "real call", practice=False)
    fingerprint = _ok("log", "fingerprint", practice=False)
    complaint = _ok("letter", "--kind", "complaint", "--platform", "huabei", practice=False)
    before = snapshot(home)
    assert "repaycli.sqlite3" in before

    # a whole first hour, in practice: a plan, two calls, an agreement, a payment, a letter
    _ok(*PLAN)
    _ok(*LOG_ADD, "--outcome", "pending", "--notes", "trial one")
    _ok(*LOG_ADD, "--outcome", "pending", "--notes", "trial two")
    _ok("agreement", "add", "--no-input", "--platform", "huabei", "--total", "3000",
        "--periods", "3", "--first-due", "下个月15号")  # fmt: skip
    _ok("pay", "1", "--amount", "1000", "--no-input")
    _ok("letter")
    _ok("letter", "--kind", "complaint", "--platform", "huabei")

    assert snapshot(home) == before
    assert _ok("log", "fingerprint", practice=False) == fingerprint
    # the letters built from the log count the real calls only
    assert _ok("letter", "--kind", "complaint", "--platform", "huabei", practice=False) == complaint
    real = json.loads(_ok("log", "list", "--json", practice=False))
    trial = json.loads(_ok("log", "list", "--json"))
    assert [e["notes"] for e in _entries(real)] == ["real call"]
    assert sorted(e["notes"] for e in _entries(trial)) == ["trial one", "trial two"]
    assert json.loads(_ok("agreement", "list", "--json", practice=False))["agreements"] == []


def _entries(listed: object) -> list[dict[str, object]]:
    found = listed["entries"] if isinstance(listed, dict) else listed
    assert isinstance(found, list)
    return found


def test_the_environment_turns_it_on_and_every_command_says_so_in_chinese(
    _isolated: Path,
) -> None:
    done = run("--lang", "zh", *PLAN, env={"REPAYCLI_PRACTICE": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("练习模式：不会写入真实记录\n")
    assert (_isolated / "practice" / "last-plan.json").is_file()
    assert not (_isolated / "last-plan.json").exists()


def test_in_process_the_mode_does_not_outlive_its_run(_isolated: Path) -> None:
    assert invoke("--practice", *PLAN).exit_code == 0
    assert invoke(*PLAN).exit_code == 0
    assert (_isolated / "practice" / "last-plan.json").is_file()
    assert (_isolated / "last-plan.json").is_file()


def test_the_call_screen_shows_the_banner(_isolated: Path) -> None:
    import asyncio
    from datetime import date

    from textual.widgets import Static

    from repaycli.paths import set_practice
    from repaycli.services.call import Situation, prepare
    from repaycli.tui.call import CallApp

    set_practice(True)
    app = CallApp(prepare("huabei", Situation(), day=date(2026, 12, 28)))

    async def main() -> str:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            shown = str(app.query_one("#practice", Static).render())
            await pilot.press("ctrl+q")
            return shown

    try:
        assert "Practice mode" in asyncio.run(main())
    finally:
        set_practice(None)
