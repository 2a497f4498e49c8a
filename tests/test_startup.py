"""What keeps start-up quick without giving up safety: the database check on open, and which
modules a run loads. Timings are measured by ``benchmarks/startup.py``; nothing here is timed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import invoke
from repaycli import store
from repaycli.core.dates import monthly_due_dates
from repaycli.paths import db_path

CST = timezone(timedelta(hours=8))


def _database_with_an_agreement() -> Path:
    path = db_path()
    conn = store.connect(path)
    for i in range(40):
        store.add_contact(
            conn,
            store.NewContact(
                at=datetime(2028, 1, 1, 9, 0, tzinfo=CST) + timedelta(hours=i),
                platform="weilidai",
                channel="phone",
                outcome="pending",
                notes="x" * 400,
            ),
            recorded_at=datetime(2028, 1, 10, 9, 0, tzinfo=CST),
        )
    schedule = [(d, 100_000) for d in monthly_due_dates(date(2028, 2, 29), 3)]
    store.add_agreement(
        conn,
        platform="huabei",
        schedule=schedule,
        recorded_at=datetime(2028, 1, 10, 9, 0, tzinfo=CST),
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file (still WAL)
    conn.close()
    return path


def _pages_of(path: Path, table: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,)).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        conn.close()
    return [int(r[0]) for r in rows]


def test_a_damaged_page_read_by_a_command_is_one_line_and_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large files skip the whole-file quick_check on open; a damaged page is still reported
    (SQLITE_CORRUPT when the command reads it) as one line, exit 1, and the file is untouched."""
    path = _database_with_an_agreement()
    page_size = 4096
    pages = _pages_of(path, "installments")
    data = bytearray(path.read_bytes())
    assert len(data) // page_size >= max(pages)
    for page in pages:
        start = (page - 1) * page_size
        data[start : start + 200] = b"\xff" * 200  # scribble over the installments b-tree
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    monkeypatch.setattr(store, "QUICK_CHECK_MAX_BYTES", 0)  # treat the file as large
    assert store.check_file(path) == store.SCHEMA_VERSION  # the cheap checks pass

    result = invoke("remind", env={"REPAYCLI_TODAY": "2028-03-01"})

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_a_small_file_is_checked_page_by_page_on_open() -> None:
    path = _database_with_an_agreement()
    assert path.stat().st_size <= store.QUICK_CHECK_MAX_BYTES
    data = bytearray(path.read_bytes())
    page = _pages_of(path, "contacts")[-1]
    data[(page - 1) * 4096 : (page - 1) * 4096 + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    with pytest.raises(store.Failure) as caught:
        store.check_file(path)
    assert caught.value.key == "err.db_corrupt"


def _loaded(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def test_starting_the_cli_loads_no_heavy_module() -> None:
    loaded = _loaded("import repaycli.cli")
    heavy = {"pydantic", "rich", "icalendar", "repaycli.core.models", "repaycli.store"}
    assert not heavy & loaded


def test_remind_with_items_due_loads_no_pydantic() -> None:
    """Cron's run: the store's rows, the report and its plain view are plain dataclasses, and
    typer's option coercion is deferred (``cli.coercion``)."""
    _database_with_an_agreement()
    code = (
        "import os, sys\n"
        "os.environ['REPAYCLI_TODAY'] = '2028-03-01'\n"
        "sys.argv = ['repaycli', 'remind']\n"
        "from repaycli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"{code}print('loaded:', 'pydantic' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "2028-02-29" in done.stdout  # the overdue installment is reported
    assert done.stdout.splitlines()[-1] == "loaded: False"


def test_remind_loads_no_openssl() -> None:
    """``hashlib`` loads OpenSSL (~7 ms, 5 % of ``import typer``): only commands that hash the
    log pay for it, not cron's ``remind``; ``core/evidence.py`` imports it where it hashes."""
    _database_with_an_agreement()
    code = (
        "import os, sys\n"
        "os.environ['REPAYCLI_TODAY'] = '2028-03-01'\n"
        "sys.argv = ['repaycli', 'remind']\n"
        "from repaycli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('loaded:', 'hashlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "2028-02-29" in done.stdout  # the overdue installment is reported
    assert done.stdout.splitlines()[-1] == "loaded: False"


def _modules_after(args: list[str]) -> set[str]:
    """The modules loaded by one in-process run of ``repaycli ARGS``."""
    code = (
        "import sys\n"
        f"sys.argv = ['repaycli', *{args!r}]\n"
        "from repaycli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["remind"],
        ["log", "list", "--json"],
        ["plan", "--no-input", "--platform", "huabei", "--overdue", "8000", "--income", "6000"],
        ["offer", "--no-input", "--amount", "8000", "--periods", "12", "--payment", "700"],
        ["call", "--help"],
    ],
)
def test_only_the_call_screen_loads_textual(args: list[str]) -> None:
    """Textual is imported by ``repaycli call`` alone (and not even for its help)."""
    loaded = _modules_after(args)
    assert "repaycli.cli" in loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
    assert "repaycli.tui" not in loaded


def test_the_call_screen_does_load_textual() -> None:
    """The check above can fail: the call command, past its terminal check, loads it."""
    code = "import sys\nfrom repaycli.tui.call import CallApp\nprint('textual' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
