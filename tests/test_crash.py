"""``repaycli log add`` killed with SIGKILL mid-write, over and over, in real processes.

After every kill the database must pass ``PRAGMA integrity_check`` and ``repaycli log verify``,
and every entry a process reported (it prints the id only after the commit) must be there.

Three kinds of victim, each iteration:

- the installed ``repaycli log add``, killed after a random delay (start-up, the check, the
  migration check, the transaction, the commit, or after — wherever the delay lands);
- a writer that appends entries in a loop inside one process (so most of its time is spent in
  transactions and commits), killed after a random delay;
- a writer stopped deterministically *inside* its transaction (the row inserted, the commit not
  yet run), then killed: that entry must not appear, and nothing else may go.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from helpers import invoke, repaycli_exe, run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ITERATIONS = 20
ADD = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"]
ADD += ["--outcome", "pending", "--follow-up", "+3d"]

#: Appends entries in a loop in one process; prints each id after its commit. With
#: PAUSE_AT=k the k-th entry stops inside its transaction (after the INSERT, before COMMIT),
#: says so on stdout and waits to be killed.
LOOP_WRITER = """
import os, sys, time
from contextlib import contextmanager
from repaycli import store
from repaycli.cli import app

pause_at = int(os.environ.get("PAUSE_AT", "0"))
count = 0
original = store.transaction

@contextmanager
def transaction(conn):
    with original(conn) as c:
        yield c
        if count == pause_at:
            print("IN-TRANSACTION", flush=True)
            time.sleep(60)

store.transaction = transaction
while True:
    count += 1
    note = f"loop {os.environ['ITER']}.{count} " + "x" * (count * 97 % 4000)
    app(ARGS + ["--notes", note],
        prog_name="repaycli", standalone_mode=False)
"""


def _spawn(args: list[str], home: Path, extra_env: dict[str, str] | None = None) -> Any:
    env = {**os.environ, "REPAYCLI_HOME": str(home), "REPAYCLI_LANG": "en", **(extra_env or {})}
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _reported_ids(output: str) -> set[int]:
    return {int(n) for n in re.findall(r"Logged entry #(\d+)\.", output)}


def _check_database(home: Path, promised: set[int]) -> set[int]:
    """Integrity, the hash chain, and every promised entry present; return the ids stored."""
    db = home / "repaycli.sqlite3"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in conn.execute("SELECT id FROM contacts")}
    finally:
        conn.close()
    assert promised <= ids, f"committed entries lost: {sorted(promised - ids)}"
    assert ids == set(range(1, len(ids) + 1)), "ids are not contiguous"
    verified = invoke("log", "verify", env={"REPAYCLI_HOME": str(home)})  # in-process: quicker
    assert verified.exit_code == 0, verified.output
    assert verified.stderr == ""
    return ids


def _notes_like(home: Path, pattern: str) -> int:
    conn = sqlite3.connect(f"file:{home / 'repaycli.sqlite3'}?mode=ro", uri=True)
    try:
        return int(
            conn.execute("SELECT count(*) FROM contacts WHERE notes LIKE ?", (pattern,)).fetchone()[
                0
            ]
        )
    finally:
        conn.close()


def _kill(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out


@pytest.mark.slow
def test_sigkill_during_log_add_never_corrupts_or_loses(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seed = run(*ADD, env={"REPAYCLI_HOME": str(home)})
    assert seed.returncode == 0, seed.stderr
    promised = _reported_ids(seed.stdout)
    rng = random.Random(os.environ.get("REPAYCLI_CRASH_SEED", "6"))
    loop_script = LOOP_WRITER.replace("ARGS", repr(ADD))
    paused_kills = 0
    started = time.monotonic()
    for i in range(ITERATIONS):
        real = _spawn([repaycli_exe(), *ADD, "--notes", f"real {i}"], home)
        pause = rng.random() < 0.3
        pause_at = rng.randint(1, 4) if pause else 0
        loop = _spawn(
            [sys.executable, "-c", loop_script], home, {"PAUSE_AT": str(pause_at), "ITER": str(i)}
        )
        if pause:
            assert loop.stdout is not None
            for line in loop.stdout:  # the k-th entry is now inserted but not committed
                promised |= _reported_ids(line)
                if line.startswith("IN-TRANSACTION"):
                    break
            paused_kills += 1
        else:
            time.sleep(rng.uniform(0.05, 0.6))
        loop_out = _kill(loop)
        time.sleep(rng.uniform(0.0, 0.3))
        real_out = _kill(real)
        promised |= _reported_ids(loop_out) | _reported_ids(real_out)
        _check_database(home, promised)
        if pause:
            # The entry killed inside its transaction left nothing behind.
            assert _notes_like(home, f"loop {i}.{pause_at} %") == 0
            assert _notes_like(home, f"loop {i}.%") == pause_at - 1
    assert paused_kills >= 1
    # The run is only meaningful if the kills landed while there was work to lose.
    assert len(promised) > ITERATIONS, promised
    assert time.monotonic() - started < 120
