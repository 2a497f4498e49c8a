"""Complaints and 征信 disputes sent (schema 9): appended, each an event in the evidence chain."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from repaycli.store import _record_event, _tables, transaction


def add_complaint(
    conn: sqlite3.Connection,
    *,
    platform: str,
    kind: str,
    sent_on: date,
    reference: str | None,
    complex_case: bool,
    answer_due: date,
    recorded_at: datetime,
) -> dict[str, Any]:
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO complaints (recorded_at, platform, kind, sent_on, reference, complex,"
            " answer_due) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                recorded_at.isoformat(timespec="seconds"),
                platform,
                kind,
                sent_on.isoformat(),
                reference,
                int(complex_case),
                answer_due.isoformat(),
            ),
        )
        ref = int(cursor.lastrowid or 0)
        _record_event(conn, "complaint", ref, recorded_at)
    return get_complaint(conn, ref)


def get_complaint(conn: sqlite3.Connection, complaint_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM complaints WHERE id = ?", (complaint_id,)).fetchone()
    return {k: row[k] for k in row.keys()}


def list_complaints(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every complaint and dispute, oldest first (none before schema 9)."""
    if "complaints" not in _tables(conn):
        return []
    rows = conn.execute("SELECT * FROM complaints ORDER BY sent_on, id").fetchall()
    return [{k: r[k] for k in r.keys()} for r in rows]
