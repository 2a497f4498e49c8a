"""A full disk and a read-only data directory: one clear line, exit 1, and nothing lost.

How each is simulated here (no loop-mounted filesystem is available):

- disk full for the database and for files written beside it: the child process runs with
  ``RLIMIT_FSIZE`` (writes past the limit fail with EFBIG, as with ENOSPC; Python ignores
  SIGXFSZ), real processes, real SQLite;
- disk full for exports, letters and stdout: ``/dev/full`` (ENOSPC on every write);
- disk full for the calendar feed: ``fsync`` patched to fail with ENOSPC (in process);
- a read-only data directory: ``chmod 0500``, or, when the tests run as root (where mode bits do
  not stop writes), the immutable attribute (``chattr +i``); skipped when neither works.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import invoke, repaycli_exe

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE, /dev/full")

ADD = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"]
ADD += ["--outcome", "pending", "--follow-up", "+3d"]


def cli(
    home: Path, *args: str, fsize: int | None = None, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    """The installed ``repaycli`` in a child process, optionally limited to ``fsize`` bytes per
    file written."""

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "REPAYCLI_HOME": str(home), "REPAYCLI_LANG": "en", "NO_COLOR": "1"}
    return subprocess.run(
        [repaycli_exe(), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=limit,
        timeout=60,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines
    return lines[0]


def contacts(home: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{home / 'repaycli.sqlite3'}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT * FROM contacts ORDER BY id").fetchall()
    finally:
        conn.close()


def assert_log_intact(home: Path) -> None:
    result = cli(home, "log", "verify")
    assert result.returncode == 0, result.stderr


def seed(home: Path, entries: int = 2, notes: str = "") -> None:
    """Entries written in process (quicker than a child each)."""
    for n in range(entries):
        result = invoke(*ADD, "--notes", f"seed {n} {notes}", env={"REPAYCLI_HOME": str(home)})
        assert result.exit_code == 0, result.output


def file_sizes(home: Path) -> int:
    return max(p.stat().st_size for p in home.iterdir())


# --- disk full: the database ------------------------------------------------------------------


def test_database_disk_full_fails_in_one_line_and_keeps_every_entry(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seed(home)
    limit = file_sizes(home) + 12 * 1024
    reported: list[int] = []
    for _ in range(80):
        result = cli(home, *ADD, "--notes", "y" * 4900, fsize=limit)
        if result.returncode != 0:
            break
        reported.append(int(result.stdout.split("#")[1].split(".")[0]))
    else:
        pytest.fail("the file-size limit never stopped a write")
    line = one_line_error(result)
    assert line.startswith(f"Error: the database {home / 'repaycli.sqlite3'} could not be used")
    rows = contacts(home)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert set(reported) <= {r[0] for r in rows}
    assert len(rows) == 2 + len(reported)  # the failed entry is not half there
    assert_log_intact(home)
    # With room again, the next entry follows on.
    after = cli(home, *ADD)
    assert after.returncode == 0, after.stderr
    assert after.stdout == f"Logged entry #{len(rows) + 1}.\n"


def test_backup_disk_full_leaves_no_partial_copy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seed(home, entries=12, notes="z" * 4900)
    target = tmp_path / "backup.sqlite3"
    before = contacts(home)
    # Room for the database's own files (reads, the -shm index) but not for a whole copy.
    limit = 40 * 1024
    assert (home / "repaycli.sqlite3").stat().st_size > limit
    line = one_line_error(cli(home, "db", "backup", str(target), fsize=limit))
    assert line.startswith(f"Error: cannot write {target}: ")
    assert not target.exists()
    assert contacts(home) == before
    assert_log_intact(home)


def test_export_disk_full_keeps_the_previous_export(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seed(home, entries=12, notes="z" * 4900)
    target = tmp_path / "log.md"
    assert cli(home, "log", "export", "--output", str(target)).returncode == 0
    previous = target.read_bytes()
    assert len(previous) > 60 * 1024
    seed(home, entries=1)
    replace = ["log", "export", "--output", str(target), "--force"]  # replacing needs --force
    line = one_line_error(cli(home, *replace, fsize=40 * 1024))
    assert line == f"Error: cannot write {target}: File too large"
    assert target.read_bytes() == previous  # not truncated, not half-replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "log.md"]  # no temp file left


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["log", "export", "--format", "csv", "--output", "/dev/full"], 1),
        (["log", "export", "--format", "json", "--output", "/dev/full"], 1),
        # letter reports an unwritable --output as bad input (exit 2), see test_letter.
        (["letter", "--overdue", "8000", "--periods", "6", "--output", "/dev/full"], 2),
    ],
)
def test_output_to_a_full_device(tmp_path: Path, args: list[str], code: int) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    home = tmp_path / "home"
    seed(home)
    line = one_line_error(cli(home, *args), code=code)
    assert line == "Error: cannot write /dev/full: No space left on device"
    assert len(contacts(home)) == 2
    assert Path("/dev/full").is_char_device()


@pytest.mark.parametrize(
    "args",
    [["log", "export"], ["log", "list"], ["platforms"], ["log", "show", "1", "--json"]],
)
def test_stdout_on_a_full_disk(tmp_path: Path, args: list[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    home = tmp_path / "home"
    seed(home)
    with open("/dev/full", "w") as full:
        result = cli(home, *args, stdout=full.fileno())
    assert one_line_error(result) == "Error: cannot write <stdout>: No space left on device"


def test_stdout_closed_early_is_quiet(tmp_path: Path) -> None:
    """``repaycli log export | head -c 1``: no traceback when the reader goes away."""
    home = tmp_path / "home"
    seed(home, entries=20, notes="w" * 4000)
    env = {**os.environ, "REPAYCLI_HOME": str(home)}
    proc = subprocess.Popen(
        [repaycli_exe(), "log", "export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "Exception" not in err, err


def test_calendar_feed_disk_full_keeps_the_previous_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repaycli import files

    result = invoke(
        "agreement", "add", "--no-input", "--platform", "huabei", "--total", "900",
        "--periods", "3", "--first-due", "+1m",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    feed = tmp_path / "repaycli.ics"
    assert invoke("remind", "--ics", str(feed)).exit_code == 0
    previous = feed.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    result = invoke("remind", "--ics", str(feed))
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: cannot write {feed}: No space left on device\n"
    assert feed.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "repaycli.ics"]


def test_calendar_feed_to_a_device_writes_it_and_never_replaces_it(tmp_path: Path) -> None:
    """A feed written to a device (here a FIFO read by another process) is written to, not
    replaced by a regular file."""
    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = invoke("remind", "--ics", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"BEGIN:VCALENDAR")


# --- a read-only data directory ---------------------------------------------------------------


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` refuse new entries: mode 0500, or as root the immutable attribute."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root (mode bits do not stop writes) and no chattr")
    made = subprocess.run([chattr, "+i", str(folder)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"running as root and chattr +i failed: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_read_only_data_directory(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seed(home)
    before = contacts(home)
    assert cli(home, "log", "list").returncode == 0  # the last to close removes -wal and -shm
    files = sorted(p.name for p in home.iterdir())
    assert files == ["repaycli.sqlite3"]
    with read_only(home):
        probe = home / "probe"
        with pytest.raises(OSError):
            probe.touch()
        backup = str(tmp_path / "backup.sqlite3")
        for args in (ADD, ["log", "list"], ["remind"], ["log", "verify"], ["db", "backup", backup]):
            result = cli(home, *args)
            if result.returncode == 0 and args is not ADD:  # SQLite may read without -shm
                continue
            line = one_line_error(result)
            assert line.startswith(f"Error: cannot open the database {home / 'repaycli.sqlite3'}")
            assert "damaged" not in line  # the file is fine: it is the folder that is locked
    assert sorted(p.name for p in home.iterdir()) == files
    assert contacts(home) == before
    assert_log_intact(home)
    assert cli(home, *ADD).stdout == "Logged entry #3.\n"


def test_data_directory_that_cannot_be_created(tmp_path: Path) -> None:
    """REPAYCLI_HOME under a regular file: works as root too (ENOTDIR)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    home = blocker / "home"
    line = one_line_error(cli(home, *ADD))
    assert line.startswith(f"Error: cannot create the database {home}"), line
    # Commands that only read find nothing and create nothing.
    assert cli(home, "remind").returncode == 0
    assert blocker.read_text(encoding="utf-8") == "not a folder"
