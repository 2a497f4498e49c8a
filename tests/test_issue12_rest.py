"""Issue 12, what was left: a killed backup (SIGKILL, no clean-up runs) never blocks or confuses
the next one; contacts logged as collection after an agreement are flagged; one fingerprint and
one export for all evidence (the log and the events of agreements, payments and the rest)."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import add_entry, invoke, run

# --- a killed backup --------------------------------------------------------------------------

#: Runs ``repaycli db backup`` in a child that stops for good once the copy is written and before
#: it is named (``os.link``), after saying so in ``marker``: the test then kills it with SIGKILL.
_STOPPED_BACKUP = """
import os, sys, time
from repaycli import store
marker, target = sys.argv[1], sys.argv[2]
def stop(*args):
    open(marker, "w").close()
    time.sleep(600)
store.os.link = stop
from repaycli.cli import main
sys.argv = ["repaycli", "db", "backup", target]
main()
"""


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_a_backup_killed_by_sigkill_neither_blocks_nor_lingers(tmp_path: Path) -> None:
    add_entry("--notes", "13812345678 is my number")
    folder = tmp_path / "backups"
    folder.mkdir()
    target, marker = folder / "backup.sqlite3", tmp_path / "stopped"
    child = subprocess.Popen(
        [sys.executable, "-c", _STOPPED_BACKUP, str(marker), str(target)], env=os.environ
    )
    try:
        for _ in range(600):  # wait for the copy, not for a time: the marker says it is written
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the backup never reached its naming step"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    left = _partials(folder)
    assert len(left) == 1 and left[0].startswith(".backup.sqlite3.")  # what SIGKILL leaves
    assert not target.exists()

    done = run("db", "backup", str(target))  # the next backup, same name
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Backup written to {target}\n"
    assert done.stderr == (
        "Removed 1 unfinished backup copies that an interrupted backup left in this folder.\n"
    )
    assert _partials(folder) == []  # the copy of the log it held is gone
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT notes FROM contacts").fetchone()[0] == "13812345678 is my number"
    conn.close()
    again = run("db", "backup", str(folder / "second.sqlite3"))
    assert (again.returncode, again.stderr) == (0, "")


def test_a_backup_being_written_is_not_taken_for_a_leftover(tmp_path: Path) -> None:
    add_entry()
    live = tmp_path / ".other.sqlite3.abcd1234.partial"
    live.write_bytes(b"")
    other = tmp_path / ".notes.partial"  # not a name a backup gives: never touched
    other.write_bytes(b"")
    with live.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a running backup holds it
        result = invoke("db", "backup", str(tmp_path / "b.sqlite3"))
        assert result.exit_code == 0, result.output
        assert live.exists() and other.exists()
    result = invoke("db", "backup", str(tmp_path / "c.sqlite3"))
    assert result.exit_code == 0, result.output
    assert not live.exists() and other.exists()
