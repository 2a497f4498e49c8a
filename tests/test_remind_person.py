"""Issue 24: reminders a person will see. ``remind`` run by hand on a terminal says there is nothing
due until the next item (a real pseudo-terminal, pexpect); without a terminal (cron, a pipe) it
stays silent. ``remind --install`` shows the crontab line whole, asks, and writes it with
``crontab -``; ``--uninstall`` takes it out. A fake ``crontab`` on PATH keeps a file in tmp_path.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import invoke, repaycli_exe, run
from repaycli import store
from repaycli.cli.remind_setup import MARKER
from repaycli.core.dates import monthly_due_dates

pexpect = pytest.importorskip("pexpect")

TODAY = "2026-12-28"
CST = timezone(timedelta(hours=8))


@pytest.fixture
def one_agreement(monkeypatch: pytest.MonkeyPatch) -> None:
    """An agreement with Huabei, 3 × 750.00 from 15 January 2027 (outside the 3-day window)."""
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)
    schedule = [(d, 75_000) for d in monthly_due_dates(datetime(2027, 1, 15).date(), 3)]
    with store.opened() as conn:
        store.add_agreement(
            conn,
            platform="huabei",
            schedule=schedule,
            recorded_at=datetime(2026, 12, 20, 9, tzinfo=CST),
        )


def _on_a_terminal(*args: str, lang: str = "en") -> str:
    """``repaycli`` in a pseudo-terminal of 80 columns: everything it wrote, until it ends."""
    env = {**os.environ, "REPAYCLI_LANG": lang, "REPAYCLI_TODAY": TODAY, "TERM": "xterm"}
    child = pexpect.spawn(repaycli_exe(), list(args), env=env, dimensions=(24, 80), timeout=60)
    output = child.read().decode("utf-8")
    child.close()
    assert child.exitstatus == 0, output
    return output.replace("\r\n", "\n")


@pytest.mark.usefixtures("one_agreement")
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Nothing due until 2027-01-15. Next, in 18 days: 2027-01-15 Pay"),
        ("zh", "2027-01-15 之前没有到期的还款或跟进。下一项（18 天后）：2027-01-15 向花呗还款"),
    ],
)
def test_on_a_terminal_remind_says_nothing_is_due_until_the_next_item(
    lang: str, expected: str
) -> None:
    output = _on_a_terminal("remind", lang=lang)
    assert expected in output
    assert "750.00" in output


def test_on_a_terminal_with_nothing_scheduled_it_says_so() -> None:
    output = _on_a_terminal("remind")
    assert "Nothing due through 2026-12-31, and no installment or follow-up is scheduled" in output


@pytest.mark.usefixtures("one_agreement")
def test_without_a_terminal_remind_prints_nothing() -> None:
    """Cron and pipes: nothing due is silence (cron would mail any output)."""
    done = run("remind", env={"REPAYCLI_TODAY": TODAY})
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert invoke("remind").stdout == ""


# --- remind --install / --uninstall ------------------------------------------------------

FAKE = """#!/bin/sh
# A crontab for tests: the table is the file $FAKE_CRONTAB.
case "$1" in
  -l) if [ -f "$FAKE_CRONTAB" ]; then cat "$FAKE_CRONTAB"; else
        echo "no crontab for tester" >&2; exit 1; fi ;;
  -) cat > "$FAKE_CRONTAB" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
"""


@pytest.fixture
def crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake ``crontab`` first on PATH; returns the file that holds the table."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "crontab"
    program.write_text(FAKE, encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    table = tmp_path / "crontab.txt"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_CRONTAB", str(table))
    monkeypatch.setenv("COLUMNS", "80")
    return table


OTHER = "30 6 * * 1 /usr/bin/backup --quiet\n"


def test_install_shows_the_line_whole_asks_and_writes_it(crontab: Path) -> None:
    crontab.write_text(OTHER, encoding="utf-8")
    done = run("--lang", "zh", "remind", "--install", "--days", "5", input="是\n")
    assert done.returncode == 0, done.stderr
    shown = done.stdout.splitlines()
    assert len(shown) == 1 and len(shown[0]) > 80  # one line, never wrapped at 80 columns
    line = shown[0]
    assert line.startswith("0 8 * * * ") and line.endswith(" remind --days 5")
    assert "REPAYCLI_LANG=zh" in line and f"REPAYCLI_HOME={os.environ['REPAYCLI_HOME']}" in line
    assert "现在加入 crontab 吗" in done.stderr and "笔记本" in done.stderr
    assert crontab.read_text(encoding="utf-8") == f"{OTHER}{MARKER}\n{line}\n"

    again = run("--lang", "zh", "remind", "--install", "--days", "5", input="是\n")
    assert "已经有这一行" in again.stderr
    assert crontab.read_text(encoding="utf-8") == f"{OTHER}{MARKER}\n{line}\n"

    changed = run("remind", "--install", input="yes\n")  # a new line replaces the old one
    new_line = changed.stdout.strip()
    assert crontab.read_text(encoding="utf-8") == f"{OTHER}{MARKER}\n{new_line}\n"

    gone = run("remind", "--uninstall")
    assert gone.returncode == 0 and "Removed" in gone.stderr
    assert crontab.read_text(encoding="utf-8") == OTHER
    nothing = run("remind", "--uninstall")
    assert "nothing changed" in nothing.stderr
    assert crontab.read_text(encoding="utf-8") == OTHER


@pytest.mark.parametrize("answer", ["n\n", "\n", ""])
def test_install_without_a_yes_changes_nothing(crontab: Path, answer: str) -> None:
    crontab.write_text(OTHER, encoding="utf-8")
    result = invoke("remind", "--install", input=answer)
    assert result.exit_code == 0, result.output
    assert "not changed" in result.stderr
    assert crontab.read_text(encoding="utf-8") == OTHER


def test_install_into_an_empty_crontab(crontab: Path) -> None:
    result = invoke("remind", "--install", input="y\n")
    assert result.exit_code == 0, result.output
    assert crontab.read_text(encoding="utf-8") == f"{MARKER}\n{result.stdout.strip()}\n"


def test_no_crontab_program_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = invoke("remind", "--install", input="y\n")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: no crontab command found; install cron, or use the phone calendar feed "
        "(repaycli remind --ics FILE)"
    ]
