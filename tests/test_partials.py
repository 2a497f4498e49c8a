"""No private copies left behind (issue 22): every temporary file has one name
(``.<target>.<8 random>.partial``), a redacted export's temporary copy is redacted too, and the
next writer into the folder removes what a killed one left — tested by SIGKILLing a real
``log export --redact`` half-way through a big log."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import run
from repaycli import store
from repaycli.paths import db_path

TODAY = "2026-12-02"
CST = timezone(timedelta(hours=8))
PHONE, ID_CARD, CARD = "138 1234 5678", "110101199003071234", "6225881234567890"
NOTE = f"客服电话 {PHONE}，身份证 {ID_CARD}，卡 {CARD}。" * 40
ENTRIES = 1500
PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial$")

#: ``repaycli log export`` in a child that stops for good half-way through the entries, after
#: saying so in ``marker`` (the test waits for that state, then sends SIGKILL).
STOPPED_EXPORT = """
import pathlib, sys, time
from repaycli.core import proof
marker = sys.argv[1]
whole = proof.iter_export_entries
def half_way(entries, **options):
    for n, entry in enumerate(whole(entries, **options)):
        if n == HALF:
            pathlib.Path(marker).touch()
            time.sleep(600)
        yield entry
proof.iter_export_entries = half_way
from repaycli.cli import main
sys.argv = ["repaycli", *sys.argv[2:]]
main()
""".replace("HALF", str(ENTRIES // 2))


def big_log() -> None:
    db_path().parent.mkdir(parents=True, exist_ok=True)
    conn = store.connect(db_path())
    try:
        for i in range(ENTRIES):
            store.add_contact(
                conn,
                store.NewContact(
                    at=datetime(2026, 11, 1, 9, tzinfo=CST) + timedelta(minutes=i),
                    platform="huabei",
                    channel="phone",
                    outcome="pending",
                    notes=NOTE,
                ),
                recorded_at=datetime(2026, 11, 2, 9, tzinfo=CST),
            )
    finally:
        conn.close()


def partials(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if PARTIAL.match(p.name))


def killed_export(folder: Path, target: Path, *args: str) -> Path:
    """Run the export until it is half-way, SIGKILL it; the temporary file it left."""
    marker = folder / "half-way"
    command = ["log", "export", *args, "-o", str(target)]
    child = subprocess.Popen(
        [sys.executable, "-c", STOPPED_EXPORT, str(marker), *command], env=os.environ
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # polling for the state, not waiting for a duration
        assert marker.exists(), "the export never reached half-way"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    marker.unlink()
    (left,) = partials(folder)
    assert left.name.startswith(f".{target.name}.") and not target.exists()
    return left


def test_a_killed_redacted_export_leaves_only_a_redacted_copy_and_the_next_removes_it(
    tmp_path: Path,
) -> None:
    big_log()
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "log.json"
    left = killed_export(folder, target, "--format", "json", "--redact")
    body = left.read_text("utf-8", errors="replace")
    assert body.count("身份证") > ENTRIES // 4 * 40  # well into the log
    for secret in (PHONE, PHONE.replace(" ", ""), ID_CARD, CARD):
        assert secret not in body  # the copy on disk is as redacted as the output
    assert stat_mode(left) == 0o600

    done = run("log", "export", "--format", "json", "--redact", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert partials(folder) == [] and target.exists()


@pytest.mark.parametrize(
    "writer",
    [
        ["letter", "--kind", "complaint", "--platform", "huabei", "-o", "{folder}/letter.md"],
        ["remind", "--ics", "{folder}/due.ics"],
        ["db", "backup", "{folder}/backup.sqlite3"],
    ],
    ids=["letter", "remind-ics", "backup"],
)
def test_any_writer_into_the_folder_removes_a_killed_writers_copy(
    tmp_path: Path, writer: list[str]
) -> None:
    big_log()
    folder = tmp_path / "out"
    folder.mkdir()
    killed_export(folder, folder / "log.json", "--format", "json")  # unredacted: must go
    done = run(*(arg.format(folder=folder) for arg in writer), env={"REPAYCLI_TODAY": TODAY})
    assert done.returncode == 0, done.stderr
    assert partials(folder) == []


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_copy_being_written_and_other_files_are_left_alone(tmp_path: Path) -> None:
    big_log()
    folder = tmp_path / "out"
    folder.mkdir()
    live = folder / ".other.json.abcd1234.partial"
    live.write_bytes(b"{")
    old_tmp = folder / ".log.csv.abcd1234.tmp"  # the name before issue 22, from a killed export
    old_tmp.write_bytes(b"13812345678")
    someone_elses = folder / ".notes.abcd1234.tmp"  # not for this target: not ours to judge
    someone_elses.write_bytes(b"")
    plain = folder / "notes.partial"
    plain.write_bytes(b"")
    with live.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a running writer holds it
        done = run("log", "export", "--format", "csv", "-o", str(folder / "log.csv"))
        assert done.returncode == 0, done.stderr
        assert live.exists()
    assert not old_tmp.exists()
    assert someone_elses.exists() and plain.exists()
    done = run("log", "export", "--format", "csv", "--force", "-o", str(folder / "log.csv"))
    assert done.returncode == 0, done.stderr
    assert not live.exists()
