"""Issue 22: a database whose rows were damaged by hand (wrong types, NULLs, garbage) makes no
command crash. Each column of each table is damaged in turn, in a copy of a database that holds
every kind of record, and every command that reads is run on it: one line and exit 2, or exit 1
for a database that is not as recorded; never a traceback."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY
from helpers import invoke, run

SEED = (
    ["plan", "--no-input", "--platform", "huabei", "--overdue", "8000", "--income", "6000"],
    ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
     "--outcome", "pending", "--follow-up", "+3d", "--notes", "first call",
     "--number", "95188", "--agent", "Wang"],
    ["log", "add", "--no-input", "--platform", "jiebei", "--channel", "app_chat",
     "--outcome", "callback_promised", "--follow-up", "+1d"],
    ["log", "add", "--no-input", "--corrects", "2", "--platform", "jiebei", "--channel",
     "app_chat", "--outcome", "refused"],
    ["log", "done", "1"],
    ["offer", "--no-input", "--amount", "8000", "--periods", "12", "--fee-rate", "0.6%",
     "--log", "1"],
    ["agreement", "add", "--no-input", "--platform", "huabei", "--total", "1200",
     "--periods", "3", "--first-due", "+1m"],
    ["agreement", "add", "--no-input", "--platform", "jiebei", "--total", "900",
     "--periods", "3", "--first-due", "-1m"],
    ["pay", "1", "--no-input", "--amount", "500"],
    ["pay", "2", "--no-input", "--amount", "100"],
    ["pay", "2", "--void", "2", "--reason", "typed twice"],
)  # fmt: skip

#: Every command that reads the database.
READERS = (
    ["log", "list", "--json"], ["log", "show", "3"], ["log", "export", "--format", "json"],
    ["log", "verify"], ["log", "fingerprint"], ["agreement", "list"],
    ["agreement", "list", "--json"], ["agreement", "show", "2", "--json"], ["remind"],
    ["letter", "--kind", "complaint", "--platform", "huabei"],
    ["report", "--log", "-o", "-"],
)  # fmt: skip

#: What is written in place of every value of one column.
DAMAGE = {
    "null": None,
    "text": "garbage ☠",
    "int": -7,
    "huge": 2**63 - 1,
    "blob": b"\xff\x00\xfe",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("damaged") / "home"
    env = {"REPAYCLI_HOME": str(home), "REPAYCLI_LANG": "en", "NO_COLOR": "1",
           "REPAYCLI_TODAY": TODAY.isoformat()}  # fmt: skip
    for args in SEED:
        result = invoke(*args, env=env)
        assert result.exit_code == 0, (args, result.output)
    return home / "repaycli.sqlite3"


def _without_constraints(sql: str) -> str:
    """A table's CREATE statement without NOT NULL and CHECK (…): hand edits need neither."""
    sql = sql.replace("NOT NULL", "")
    while (start := sql.find("CHECK (")) >= 0:
        depth, end = 0, start + len("CHECK ")
        for end in range(start + len("CHECK "), len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        sql = sql[:start] + sql[end + 1 :]
    return sql


def _columns(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]  # fmt: skip
        return [(t, c[1]) for t in tables for c in conn.execute(f"PRAGMA table_info({t})")]
    finally:
        conn.close()


def damage(path: Path, table: str, column: str, value: Any) -> bool:
    """Write ``value`` into every row's ``column`` as someone editing the file would; False
    when SQLite itself cannot hold it there (a NULL in a WITHOUT ROWID key)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
        ).fetchall()
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
            (_without_constraints(sql), table),
        )
        conn.execute("PRAGMA writable_schema = OFF")
    finally:
        conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        try:
            conn.execute(f'UPDATE {table} SET "{column}" = ?', (value,))
        except sqlite3.IntegrityError:
            return False
        for _, trigger_sql in triggers:
            conn.execute(trigger_sql)
        return True
    finally:
        conn.close()


def cases() -> Iterator[Any]:
    # The column list of a database made the same way as the template (all migrations).
    from repaycli import store

    folder = Path(__import__("tempfile").mkdtemp())
    try:
        conn = store.connect(folder / "x.sqlite3")
        conn.close()
        columns = _columns(folder / "x.sqlite3")
    finally:
        shutil.rmtree(folder)
    for table, column in columns:
        for kind in DAMAGE:
            yield pytest.param(table, column, kind, id=f"{table}.{column}={kind}")


ONE_LINE = re.compile(r"^(Error: |错误)[^\n]*\n?$")


@pytest.mark.parametrize(("table", "column", "kind"), list(cases()))
def test_a_damaged_column_makes_no_command_crash(
    template: Path, _isolated: Path, table: str, column: str, kind: str
) -> None:
    _isolated.mkdir(parents=True, exist_ok=True)
    path = _isolated / "repaycli.sqlite3"
    shutil.copyfile(template, path)
    if not damage(path, table, column, DAMAGE[kind]):
        pytest.skip("SQLite cannot hold that value there")
    for args in READERS:
        result = invoke(*args, input="")
        shown = (args, result.exit_code, repr(result.exception), result.output[-400:])
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert result.exit_code in (0, 1, 2), shown
        if result.exit_code != 0:
            assert ONE_LINE.match(result.stderr), shown


def test_a_damaged_payment_as_a_real_process(template: Path, _isolated: Path) -> None:
    _isolated.mkdir(parents=True, exist_ok=True)
    path = _isolated / "repaycli.sqlite3"
    shutil.copyfile(template, path)
    assert damage(path, "payments", "paid_on", "garbage")
    for args in (["agreement", "show", "1"], ["log", "verify"], ["remind"]):
        done = run(*args)
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode in (0, 1, 2), done.stderr
        if done.returncode:
            assert ONE_LINE.match(done.stderr), done.stderr


@pytest.mark.parametrize(
    ("table", "column"),
    [("payments", "paid_on"), ("agreements", "first_due"), ("installments", "due")],
)
def test_the_table_and_the_json_refuse_the_same_damaged_date(
    template: Path, _isolated: Path, table: str, column: str
) -> None:
    """``agreement list`` reads each agreement's rows as ``--json`` does: a date that is not a
    date is reported by both (the table, built from lighter lines, once printed it)."""
    _isolated.mkdir(parents=True, exist_ok=True)
    path = _isolated / "repaycli.sqlite3"
    shutil.copyfile(template, path)
    assert damage(path, table, column, "2026-02-30")
    for args in (["agreement", "list"], ["agreement", "list", "--json"]):
        result = invoke(*args, input="")
        assert result.exit_code == 1 and ONE_LINE.match(result.stderr), (args, result.output)


def test_a_pack_to_standard_output_is_whole_or_nothing(template: Path, _isolated: Path) -> None:
    """``report --log -o -`` draws the page as it streams the log; a payment date found
    damaged half-way (the table's definition and triggers as they were) is reported in one
    line, and no half page reaches standard output (``> pack.html`` kept 132 KB of it)."""
    _isolated.mkdir(parents=True, exist_ok=True)
    path = _isolated / "repaycli.sqlite3"
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path, isolation_level=None)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'payments'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE payments SET paid_on = '2026-02-30' WHERE id = 1")
    for _, sql in triggers:
        conn.execute(sql)
    conn.close()
    debts = Path(__file__).resolve().parent.parent / "examples" / "debts.toml"
    result = invoke("report", "--log", "-o", "-", "--debts", str(debts), input="")
    assert result.exit_code == 1 and ONE_LINE.match(result.stderr), result.output
    assert result.stdout == ""
