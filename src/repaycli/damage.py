"""Finding the damage in a database that a command choked on.

A row edited by hand (a NULL where repaycli always writes a value, text in an amount, garbage in
a date or a JSON column, a table redefined without its checks) can make any reading command
fail deep inside. The command group then asks ``damage_in_database`` whether the file is as
repaycli writes it: when something is not, the command ends with one line naming the table,
column and row (exit 1, a database not as recorded); when everything is, the failure is a bug
of repaycli and is left to show as one.

This runs only after a failure, so it may read every row.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

#: The errors a damaged row raises while it is decoded (a failed parse, a value of the wrong
#: type, a missing key, an overflow); anything else is never put down to damage.
SYMPTOMS: tuple[type[Exception], ...] = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
)

#: Columns holding a date (``YYYY-MM-DD``) or a moment (ISO 8601 with its offset).
_DATES = {"due", "first_due", "paid_on", "follow_up"}
_MOMENTS = {"recorded_at", "at", "done_at", "checked_at"}
#: Columns holding JSON.
_JSON = {"attachments", "salts", "evaluation", "body"}
#: The largest amount in fen any record can hold (far above 100 million yuan).
_MAX_FEN = 2**53


def _canonical() -> dict[str, str]:
    """Each table's CREATE statement as repaycli's migrations write it."""
    from repaycli.store import MIGRATIONS

    conn = sqlite3.connect(":memory:")
    try:
        conn.row_factory = sqlite3.Row
        for migration in MIGRATIONS:
            migration(conn)
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')"
        " AND name NOT LIKE 'sqlite_%'"
    )
    return {str(name): str(sql) for name, sql in rows}


def _spaces(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _check_value(column: str, declared: str, not_null: bool, value: Any) -> str | None:
    """What is wrong with ``value`` in ``column``, or ``None``."""
    if value is None:
        return "empty (NULL)" if not_null else None
    kind = declared.upper()
    if kind == "INTEGER":
        if not isinstance(value, int):
            return f"{type(value).__name__} where a whole number belongs"
        if column.endswith("_fen") and not 0 <= value <= _MAX_FEN:
            return f"the amount {value} fen"
        return None
    if kind == "TEXT" and not isinstance(value, str):
        return f"{type(value).__name__} where text belongs"
    parse: Callable[[str], Any] | None = None
    if column in _DATES:
        parse = date.fromisoformat
    elif column in _MOMENTS:
        parse = datetime.fromisoformat
    elif column in _JSON:
        parse = json.loads
    if parse is not None and isinstance(value, str):
        try:
            parse(value)
        except ValueError:
            return f"{value[:40]!r} is not what repaycli writes there"
    return None


def _problems(conn: sqlite3.Connection) -> Iterator[str]:
    canonical = _canonical()
    present = _schema(conn)
    for name, sql in canonical.items():
        if name not in present:
            yield f"{name} is missing"
        elif _spaces(present[name]) != _spaces(sql):
            yield f"the definition of {name} was changed"
    for table in (n for n, sql in canonical.items() if _spaces(sql).startswith("CREATE TABLE")):
        if table not in present:
            continue
        columns = [
            (str(c[1]), str(c[2]), bool(c[3]))
            for c in conn.execute(f'SELECT * FROM pragma_table_info("{table}")')
        ]
        names = ", ".join(f'"{c[0]}"' for c in columns)
        for number, row in enumerate(conn.execute(f'SELECT {names} FROM "{table}"'), 1):
            for (column, declared, not_null), value in zip(columns, tuple(row), strict=True):
                wrong = _check_value(column, declared, not_null, value)
                if wrong is not None:
                    yield f"{table}.{column} in row {number}: {wrong}"


def find_damage(conn: sqlite3.Connection) -> str | None:
    """The first thing in the database that repaycli would not have written, or ``None``."""
    try:
        return next(_problems(conn), None)
    except sqlite3.Error as exc:  # the file itself is broken
        return str(exc)


def damage_in_database() -> tuple[str, str] | None:
    """(path, what is wrong) for the user's database when it holds damage; ``None`` when it is
    as repaycli writes it, or there is none, or it cannot be read at all."""
    from repaycli.paths import db_path

    try:
        path = db_path()
        if not path.is_file():
            return None
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        found = find_damage(conn)
    finally:
        conn.close()
    return None if found is None else (str(path), found)
