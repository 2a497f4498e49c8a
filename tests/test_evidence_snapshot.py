"""Issue 22: one snapshot. ``log verify`` and the JSON export read in one read transaction, so
writers in other processes (a payment recorded, a call logged, a follow-up closed, a payment
voided while cron verifies) never cause a false alarm, nor an export that fails its own check.

Before, ``log verify`` cried tampering in 2 of 30 runs beside writers, and 15 of 31 exports
failed their own check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import invoke
from repaycli import store
from repaycli.paths import db_path

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 14, 30, tzinfo=CST)

#: A writer: logs a contact, records a payment on its own agreement, now and then closes a
#: follow-up or voids a payment — each its own transaction, as the commands do — once for each
#: run the reader starts (``tick`` holds the reader's run number), until told to stop; after
#: each round it writes how many rounds it has done to ``progress``. Paced by the reader's
#: runs, not by a clock, the log stays small and every run has writes beside it.
_WRITER = """
import sys, time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from repaycli import store

path, agreement, progress, stop = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
tick = Path(sys.argv[5])
now = datetime(2026, 11, 21, 14, 30, tzinfo=timezone(timedelta(hours=8)))
conn = store.connect(path)
rounds = 0

def ticked():
    try:
        return int(tick.read_text() or 0)
    except (OSError, ValueError):
        return 0

while not Path(stop).exists():
    if rounds and ticked() < rounds:
        time.sleep(0.001)
        continue
    entry = store.add_contact(conn, store.NewContact(
        at=now, platform="huabei", channel="phone", outcome="pending",
        follow_up=date(2026, 12, 1), notes=f"writer {agreement} round {rounds}"),
        recorded_at=now)
    payment = store.add_payment(conn, agreement, amount_fen=100, paid_on=now.date(),
                                recorded_at=now)
    if rounds % 3 == 0:
        store.close_follow_up(conn, entry.id, done_at=now)
    if rounds % 4 == 0:
        store.void_payment(conn, agreement, payment, reason="typed twice", recorded_at=now)
    rounds += 1
    Path(progress).write_text(str(rounds))
conn.close()
"""

RUNS = 200
EXPORT_EVERY = 5


def _rounds(progress: Path) -> int:
    try:
        return int(progress.read_text() or 0)
    except (OSError, ValueError):
        return 0


@pytest.fixture
def writers(tmp_path: Path) -> Iterator[list[Path]]:
    """Two writer processes on the database, each with an agreement of its own; yields their
    progress files once both have written (a state, not a time)."""
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = store.connect(path)
    for _ in range(2):
        schedule = [(date(2026, 12, 1) + timedelta(days=30 * n), 10_000_000) for n in range(12)]
        store.add_agreement(conn, platform="huabei", schedule=schedule, recorded_at=NOW)
    conn.close()
    stop, tick = tmp_path / "stop", tmp_path / "tick"
    progress = [tmp_path / f"progress-{n}" for n in (1, 2)]
    children = [
        subprocess.Popen(
            [
                sys.executable, "-c", _WRITER,
                str(path), str(n), str(progress[n - 1]), str(stop), str(tick),
            ],
            env=os.environ,
        )  # fmt: skip
        for n in (1, 2)
    ]
    try:
        while not all(_rounds(p) for p in progress):
            assert all(c.poll() is None for c in children), "a writer stopped"
            time.sleep(0.01)
        yield progress
    finally:
        stop.touch()
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    assert [c.returncode for c in children] == [0, 0]


def test_verify_and_exports_beside_writers_never_cry_wolf(
    writers: list[Path], tmp_path: Path
) -> None:
    before = [_rounds(p) for p in writers]
    alarms: list[str] = []
    exported = tmp_path / "export.json"
    runs = 0
    # 200 runs at least, and on until both writers wrote while we read (a state, not a time).
    while runs < RUNS or any(_rounds(p) <= b + 2 for p, b in zip(writers, before, strict=True)):
        runs += 1
        (tmp_path / "tick").write_text(str(runs))  # each writer writes one round beside this run
        result = invoke("log", "verify")
        if result.exit_code != 0:
            alarms.append(f"verify: {result.stderr.strip()}")
        if runs % EXPORT_EVERY == 0:
            made = invoke("log", "export", "--format", "json", "-o", str(exported), "--force")
            if made.exit_code != 0:
                alarms.append(f"export: {made.stderr.strip()}")
                continue
            document = json.loads(exported.read_text(encoding="utf-8"))
            if not document["intact"] or document["fingerprint"] is None:
                alarms.append("export: not intact when written")
            checked = invoke("log", "verify", "--export", str(exported))
            if checked.exit_code != 0:
                alarms.append(f"export check: {checked.stderr.strip()}")
    assert alarms == []
    assert runs >= RUNS
    assert all(_rounds(p) > b for p, b in zip(writers, before, strict=True))


def test_fingerprint_beside_writers_is_always_of_one_moment(
    writers: list[Path], tmp_path: Path
) -> None:
    """``log fingerprint`` taken while others write: each code is checked later, when the writers
    have moved on, and holds (its entry and event counts are those of one moment)."""
    codes = []
    for n in range(20):
        (tmp_path / "tick").write_text(str(n + 1))
        result = invoke("log", "fingerprint", "--json")
        assert result.exit_code == 0, result.stderr
        codes.append(json.loads(result.stdout)["fingerprint"])
    for code in codes:
        result = invoke("log", "verify", "--fingerprint", code)
        assert result.exit_code == 0, (code, result.stderr)
