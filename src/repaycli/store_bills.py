"""Storage for imported bills (``pay --import``): the order numbers already recorded, the open
installments a bill is matched against, and one import written in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from repaycli.core.bills.match import Matched, OpenInstallment
from repaycli.core.money import from_fen, to_fen
from repaycli.store import _record_event, insert_payment, transaction


def known_order_numbers(conn: sqlite3.Connection) -> set[str]:
    """Order numbers recorded already: by an earlier import, or typed as a payment's receipt."""
    known = {str(r[0]) for r in conn.execute("SELECT order_no FROM bill_payments")}
    known |= {
        str(r[0]).strip() for r in conn.execute("SELECT receipt FROM payments WHERE receipt <> ''")
    }
    return known


def open_installments(
    conn: sqlite3.Connection, *, agreement_id: int | None = None
) -> list[OpenInstallment]:
    """Every installment with something left, of every agreement not void (or of one)."""
    sql = """SELECT i.agreement_id, a.platform, i.n, i.due, i.amount_fen - i.paid_fen AS left_fen
FROM installments i JOIN agreements a ON a.id = i.agreement_id
WHERE i.paid_fen < i.amount_fen
  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.kind = 'agreement' AND v.target_id = a.id)"""
    params: tuple[int, ...] = ()
    if agreement_id is not None:
        sql += " AND a.id = ?"
        params = (agreement_id,)
    return [
        OpenInstallment(
            agreement_id=r[0],
            platform=r[1],
            n=r[2],
            due=date.fromisoformat(r[3]),
            left=from_fen(r[4]),
        )
        for r in conn.execute(sql + " ORDER BY i.agreement_id, i.n", params)
    ]


def record_import(
    conn: sqlite3.Connection,
    *,
    source: str,
    layout: str,
    file_name: str,
    size: int,
    sha256: str,
    rows: int,
    matched: Sequence[Matched],
    recorded_at: datetime,
) -> tuple[int, list[int]]:
    """Record each matched row as a payment (its order number as the receipt) and the bill as
    an event holding its SHA-256, all in one transaction; (import id, payment ids)."""
    at = recorded_at.isoformat(timespec="seconds")
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO bill_imports (recorded_at, source, layout, file_name, size, sha256, rows)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (at, source, layout, file_name, size, sha256, rows),
        )
        import_id = int(cursor.lastrowid or 0)
        payment_ids = []
        for m in matched:
            payment_id = insert_payment(
                conn,
                m.agreement_id,
                amount_fen=to_fen(m.row.amount),
                paid_on=m.row.at.date(),
                recorded_at=recorded_at,
                receipt=m.row.order_no,
            )
            conn.execute(
                "INSERT INTO bill_payments (order_no, import_id, payment_id, paid_at,"
                " counterparty, counterparty_account) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    m.row.order_no,
                    import_id,
                    payment_id,
                    m.row.at.isoformat(timespec="seconds"),
                    m.row.counterparty,
                    m.row.account,
                ),
            )
            payment_ids.append(payment_id)
        _record_event(conn, "bill_import", import_id, recorded_at)
    return import_id, payment_ids
