"""The debt register in SQLite: the household's debts, its budget, every change to either (an
append-only, hash-chained history), which debt each agreement belongs to, and the current plan.

The tables are made by ``store._m012_debt_register`` (``create_register``). Amounts are stored
as integer fen, rates as decimal text. The register's *version* is the id of its last history
row: a plan saved with version 7 is out of date once a change is recorded as row 8.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from repaycli.core.money import from_fen, to_fen
from repaycli.core.register import (
    BUDGET_FIELDS,
    DEBT_FIELDS,
    STATUSES,
    Budget,
    Commitment,
    CurrentPlan,
    HistoryRow,
    RegisterDebt,
)
from repaycli.errors import BadInput
from repaycli.store import transaction

_MONEY = {"overdue", "principal", "interest", "penalty", "income", "expenses", "income_after"}
_RATES = {"annual_rate", "penalty_rate", "limit_share"}
_DATES = {"recovery"}


def create_register(conn: sqlite3.Connection) -> None:
    """The register's tables (inside the migration's transaction), and one agreed debt for
    each agreement already recorded (its platform, its total as the amount owed)."""
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    statements = [
        f"""CREATE TABLE register_debts (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL CHECK (platform <> ''),
    overdue_fen INTEGER NOT NULL CHECK (overdue_fen > 0),
    principal_fen INTEGER CHECK (principal_fen > 0),
    interest_fen INTEGER CHECK (interest_fen >= 0),
    penalty_fen INTEGER CHECK (penalty_fen >= 0),
    days_overdue INTEGER NOT NULL DEFAULT 0 CHECK (days_overdue >= 0),
    annual_rate TEXT,
    penalty_rate TEXT,
    status TEXT NOT NULL DEFAULT 'negotiating' CHECK (status IN ({statuses})),
    sold_to TEXT,
    note TEXT,
    created_at TEXT NOT NULL
)""",
        """CREATE TABLE register_budget (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    income_fen INTEGER CHECK (income_fen >= 0),
    expenses_fen INTEGER CHECK (expenses_fen >= 0),
    recovery TEXT,
    income_after_fen INTEGER CHECK (income_after_fen >= 0),
    limit_share TEXT,
    reason TEXT
)""",
        """CREATE TABLE register_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    what TEXT NOT NULL,
    debt_id INTEGER,
    change TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
)""",
        """CREATE TABLE agreement_debts (
    agreement_id INTEGER PRIMARY KEY REFERENCES agreements(id),
    debt_id INTEGER NOT NULL REFERENCES register_debts(id)
)""",
        """CREATE TABLE current_plan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    made_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    register_version INTEGER NOT NULL,
    source TEXT NOT NULL,
    result TEXT NOT NULL,
    household TEXT NOT NULL
)""",
        "CREATE INDEX agreement_debts_debt ON agreement_debts(debt_id)",
        """CREATE TABLE check_ins (
    month TEXT PRIMARY KEY,
    at TEXT NOT NULL
)""",
    ]
    for action in ("UPDATE", "DELETE"):
        statements.append(
            f"""CREATE TRIGGER register_history_no_{action.lower()} BEFORE {action}
ON register_history BEGIN SELECT RAISE(ABORT, 'the register history is append-only'); END"""
        )
        statements.append(
            f"""CREATE TRIGGER agreement_debts_no_{action.lower()} BEFORE {action}
ON agreement_debts BEGIN SELECT RAISE(ABORT, 'an agreement keeps its debt'); END"""
        )
    for sql in statements:
        conn.execute(sql)
    rows = conn.execute(
        """SELECT a.id, a.platform, a.total_fen, a.recorded_at FROM agreements a
WHERE NOT EXISTS (SELECT 1 FROM voids v WHERE v.kind = 'agreement' AND v.target_id = a.id)
ORDER BY a.id"""
    ).fetchall()
    for row in rows:
        at = str(row["recorded_at"])
        values = {"platform": row["platform"], "overdue": from_fen(row["total_fen"])}
        debt_id = _insert_debt(conn, values, status="agreed", at=at)
        _history(conn, at=at, who="migration", what="add", debt_id=debt_id, change=values)
        _link(conn, int(row["id"]), debt_id, at=at, who="migration")


# --- writing ----------------------------------------------------------------------------------


def _stored(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _MONEY:
        return to_fen(Decimal(value))
    if name in _RATES:
        return str(value)
    if name in _DATES:
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def _column(name: str) -> str:
    return f"{name}_fen" if name in _MONEY else name


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Decimal | date):
            out[key] = str(value) if isinstance(value, Decimal) else value.isoformat()
        else:
            out[key] = value
    return out


def _history(
    conn: sqlite3.Connection,
    *,
    at: str,
    who: str,
    what: str,
    debt_id: int | None,
    change: Mapping[str, Any],
) -> int:
    """Append one change, chained to the one before (inside the caller's transaction)."""
    from repaycli.core import evidence  # hashlib: only what writes or checks the chain loads it

    last = conn.execute("SELECT id, hash FROM register_history ORDER BY id DESC LIMIT 1").fetchone()
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'register_history'").fetchone()
    row: dict[str, Any] = {
        "id": max(last["id"] if last else 0, seq["seq"] if seq else 0) + 1,
        "kind": what,
        "ref": debt_id,
        "recorded_at": at,
        "body": {"who": who, "change": _jsonable(change)},
        "prev_hash": last["hash"] if last else evidence.GENESIS,
    }
    row["hash"] = evidence.event_hash(row)
    conn.execute(
        "INSERT INTO register_history (id, at, who, what, debt_id, change, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row["id"],
            at,
            who,
            what,
            debt_id,
            json.dumps(row["body"]["change"], ensure_ascii=False, sort_keys=True),
            row["prev_hash"],
            row["hash"],
        ),
    )
    return int(row["id"])


def _insert_debt(
    conn: sqlite3.Connection, values: Mapping[str, Any], *, status: str, at: str
) -> int:
    names = [k for k in DEBT_FIELDS if values.get(k) is not None]
    cols = [_column(k) for k in names] + ["status", "created_at"]
    params = [_stored(k, values[k]) for k in names] + [status, at]
    cursor = conn.execute(
        f"INSERT INTO register_debts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        params,
    )
    return int(cursor.lastrowid or 0)


def _link(conn: sqlite3.Connection, agreement_id: int, debt_id: int, *, at: str, who: str) -> None:
    conn.execute(
        "INSERT INTO agreement_debts (agreement_id, debt_id) VALUES (?, ?)",
        (agreement_id, debt_id),
    )
    _history(
        conn,
        at=at,
        who=who,
        what="agreement",
        debt_id=debt_id,
        change={"agreement_id": agreement_id},
    )


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def add_debt(
    conn: sqlite3.Connection,
    values: Mapping[str, Any],
    *,
    who: str,
    at: datetime,
    status: str = "negotiating",
) -> int:
    """A new debt (``values``: ``DEBT_FIELDS``; platform and overdue required)."""
    with transaction(conn):
        debt_id = _insert_debt(conn, values, status=status, at=_at(at))
        change = {k: v for k, v in values.items() if v is not None}
        if status != "negotiating":
            change["status"] = status
        _history(conn, at=_at(at), who=who, what="add", debt_id=debt_id, change=change)
    return debt_id


def edit_debt(
    conn: sqlite3.Connection, debt_id: int, changes: Mapping[str, Any], *, who: str, at: datetime
) -> RegisterDebt:
    """Change some fields of a debt (``None`` clears an optional one); the change, with the
    values before, goes into the history."""
    with transaction(conn):
        before = get_debt(conn, debt_id)
        sets: list[str] = []
        params: list[Any] = []
        recorded: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in (*DEBT_FIELDS, "status", "sold_to", "note"):
                raise ValueError(f"not a register field: {key}")
            old = getattr(before, key)
            if old == value:
                continue
            sets.append(f"{_column(key)} = ?")
            params.append(_stored(key, value))
            recorded[key] = value
            recorded[f"{key}_before"] = old
        if sets:
            conn.execute(
                f"UPDATE register_debts SET {', '.join(sets)} WHERE id = ?", (*params, debt_id)
            )
            _history(conn, at=_at(at), who=who, what="edit", debt_id=debt_id, change=recorded)
    return get_debt(conn, debt_id)


def set_budget(
    conn: sqlite3.Connection, changes: Mapping[str, Any], *, who: str, at: datetime
) -> Budget:
    """Change the budget (only the keys given; ``None`` clears one)."""
    with transaction(conn):
        before = get_budget(conn)
        conn.execute("INSERT OR IGNORE INTO register_budget (id) VALUES (1)")
        recorded: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in BUDGET_FIELDS:
                raise ValueError(f"not a budget field: {key}")
            old = getattr(before, key)
            if old == value:
                continue
            conn.execute(
                f"UPDATE register_budget SET {_column(key)} = ? WHERE id = 1",
                (_stored(key, value),),
            )
            recorded[key] = value
            recorded[f"{key}_before"] = old
        if recorded:
            _history(conn, at=_at(at), who=who, what="budget", debt_id=None, change=recorded)
    return get_budget(conn)


def link_agreement(
    conn: sqlite3.Connection, agreement_id: int, debt_id: int, *, who: str, at: datetime
) -> None:
    """Record that ``agreement_id`` settles ``debt_id``; the debt becomes ``agreed``."""
    with transaction(conn):
        debt = get_debt(conn, debt_id)
        _link(conn, agreement_id, debt_id, at=_at(at), who=who)
        if debt.status == "negotiating":
            conn.execute("UPDATE register_debts SET status = 'agreed' WHERE id = ?", (debt_id,))
            _history(
                conn,
                at=_at(at),
                who=who,
                what="edit",
                debt_id=debt_id,
                change={"status": "agreed", "status_before": "negotiating"},
            )


def save_current_plan(
    conn: sqlite3.Connection,
    *,
    result: str,
    household: str,
    as_of: date,
    made_at: datetime,
    version: int,
    source: str,
) -> None:
    """The plan every command uses from now on (the result's JSON, and the household's lines)."""
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO current_plan"
            " (id, made_at, as_of, register_version, source, result, household)"
            " VALUES (1, ?, ?, ?, ?, ?, ?)",
            (_at(made_at), as_of.isoformat(), version, source, result, household),
        )


# --- reading ----------------------------------------------------------------------------------


def version(conn: sqlite3.Connection) -> int:
    """The register's version: its last history row's id (0 when nothing was ever recorded)."""
    row = conn.execute("SELECT max(id) FROM register_history").fetchone()
    return int(row[0] or 0)


def _money(row: sqlite3.Row, name: str) -> Decimal | None:
    value = row[f"{name}_fen"]
    return None if value is None else from_fen(int(value))


def _rate(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _debt(conn: sqlite3.Connection, row: sqlite3.Row) -> RegisterDebt:
    agreements = [
        int(r[0])
        for r in conn.execute(
            """SELECT ad.agreement_id FROM agreement_debts ad WHERE ad.debt_id = ?
AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.kind = 'agreement' AND v.target_id = ad.agreement_id)
ORDER BY ad.agreement_id""",
            (row["id"],),
        )
    ]
    paid = owed = 0
    for agreement_id in agreements:
        got = conn.execute(
            "SELECT coalesce(sum(paid_fen), 0), coalesce(sum(amount_fen - paid_fen), 0)"
            " FROM installments WHERE agreement_id = ?",
            (agreement_id,),
        ).fetchone()
        paid += int(got[0])
        owed += int(got[1])
    return RegisterDebt(
        id=int(row["id"]),
        platform=str(row["platform"]),
        overdue=from_fen(int(row["overdue_fen"])),
        principal=_money(row, "principal"),
        interest=_money(row, "interest"),
        penalty=_money(row, "penalty"),
        days_overdue=int(row["days_overdue"]),
        annual_rate=_rate(row["annual_rate"]),
        penalty_rate=_rate(row["penalty_rate"]),
        status=str(row["status"]),
        sold_to=row["sold_to"],
        note=row["note"],
        agreements=agreements,
        paid=from_fen(paid),
        agreed_left=from_fen(owed) if agreements else None,
    )


def get_debt(conn: sqlite3.Connection, debt_id: int) -> RegisterDebt:
    if not 1 <= debt_id <= 2**63 - 1:
        raise BadInput("register.err.unknown_id", id=debt_id)
    row = conn.execute("SELECT * FROM register_debts WHERE id = ?", (debt_id,)).fetchone()
    if row is None:
        raise BadInput("register.err.unknown_id", id=debt_id)
    return _debt(conn, row)


def list_debts(conn: sqlite3.Connection) -> list[RegisterDebt]:
    rows = conn.execute("SELECT * FROM register_debts ORDER BY id").fetchall()
    return [_debt(conn, row) for row in rows]


def get_budget(conn: sqlite3.Connection) -> Budget:
    row = conn.execute("SELECT * FROM register_budget WHERE id = 1").fetchone()
    if row is None:
        return Budget()
    recovery = row["recovery"]
    return Budget(
        income=_money(row, "income"),
        expenses=_money(row, "expenses"),
        recovery=None if recovery is None else date.fromisoformat(recovery),
        income_after=_money(row, "income_after"),
        limit_share=_rate(row["limit_share"]),
        reason=row["reason"],
    )


def commitments(conn: sqlite3.Connection) -> list[Commitment]:
    """The unpaid installments of every agreement that belongs to a debt (voided ones left out)."""
    rows = conn.execute(
        """SELECT ad.debt_id, ad.agreement_id, a.platform, i.n, i.due, i.amount_fen, i.paid_fen
FROM agreement_debts ad
JOIN agreements a ON a.id = ad.agreement_id
JOIN installments i ON i.agreement_id = ad.agreement_id
WHERE NOT EXISTS (SELECT 1 FROM voids v WHERE v.kind = 'agreement' AND v.target_id = a.id)
ORDER BY ad.agreement_id, i.n"""
    ).fetchall()
    found: dict[int, Commitment] = {}
    for r in rows:
        key = int(r["agreement_id"])
        if key not in found:
            found[key] = Commitment(
                debt_id=int(r["debt_id"]),
                agreement_id=key,
                platform=str(r["platform"]),
                installments=[],
            )
        found[key].installments.append(
            (
                date.fromisoformat(r["due"]),
                from_fen(int(r["amount_fen"])),
                from_fen(int(r["paid_fen"])),
            )
        )
    return list(found.values())


def agreement_debt(conn: sqlite3.Connection, agreement_id: int) -> int | None:
    row = conn.execute(
        "SELECT debt_id FROM agreement_debts WHERE agreement_id = ?", (agreement_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def history(conn: sqlite3.Connection, debt_id: int | None = None) -> Iterator[HistoryRow]:
    sql = "SELECT * FROM register_history"
    params: tuple[Any, ...] = ()
    if debt_id is not None:
        sql += " WHERE debt_id = ?"
        params = (debt_id,)
    for row in conn.execute(sql + " ORDER BY id", params):
        yield HistoryRow(
            id=int(row["id"]),
            at=str(row["at"]),
            who=str(row["who"]),
            what=str(row["what"]),
            debt_id=row["debt_id"],
            change=json.loads(row["change"]),
        )


def verify_history(conn: sqlite3.Connection) -> int | None:
    """The id of the first history row whose hash does not match, else ``None``."""
    from repaycli.core import evidence

    prev = evidence.GENESIS
    for row in conn.execute("SELECT * FROM register_history ORDER BY id"):
        event = {
            "id": row["id"],
            "kind": row["what"],
            "ref": row["debt_id"],
            "recorded_at": row["at"],
            "body": {"who": row["who"], "change": json.loads(row["change"])},
            "prev_hash": prev,
        }
        if row["prev_hash"] != prev or evidence.event_hash(event) != row["hash"]:
            return int(row["id"])
        prev = str(row["hash"])
    return None


def current_plan(conn: sqlite3.Connection) -> CurrentPlan | None:
    row = conn.execute("SELECT * FROM current_plan WHERE id = 1").fetchone()
    if row is None:
        return None
    return CurrentPlan(
        made_at=str(row["made_at"]),
        as_of=date.fromisoformat(row["as_of"]),
        version=int(row["register_version"]),
        source=str(row["source"]),
        result=str(row["result"]),
        household=str(row["household"]),
    )


def checked_in(conn: sqlite3.Connection, month: str) -> bool:
    """Whether ``remind`` has given the check-in of ``month`` (``2027-01``)."""
    row = conn.execute("SELECT 1 FROM check_ins WHERE month = ?", (month,)).fetchone()
    return row is not None


def record_check_in(conn: sqlite3.Connection, month: str, *, at: datetime) -> None:
    with transaction(conn):
        conn.execute("INSERT OR IGNORE INTO check_ins (month, at) VALUES (?, ?)", (month, _at(at)))


def budget_changed_since(conn: sqlite3.Connection, version_: int) -> bool:
    """Whether the budget was changed after register version ``version_``."""
    row = conn.execute(
        "SELECT 1 FROM register_history WHERE what = 'budget' AND id > ? LIMIT 1", (version_,)
    ).fetchone()
    return row is not None
