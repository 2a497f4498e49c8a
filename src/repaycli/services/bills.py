"""``pay --import``: read a bill file, match its repayments to the open installments, record the
matches with the bill's SHA-256 — and ``plan --bill``'s spending, from the same reader."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from repaycli.core.bills.match import Matching, lender_names, match
from repaycli.core.bills.read import MAX_BYTES, read_bill
from repaycli.core.bills.rows import Bill, Kind
from repaycli.core.record import Field, Model
from repaycli.errors import BadInput


class BillFile(Model):
    """A bill read from disk: the file's own name (never its folder), size and SHA-256."""

    name: str
    size: int
    sha256: str
    bill: Bill


class Recorded(Model):
    """A matched row recorded: its payment's id."""

    order_no: str
    payment_id: int
    agreement_id: int
    n: int
    last: int


class StillDue(Model):
    agreement_id: int
    platform: str
    n: int
    due: date
    left: Decimal


class ImportResult(Model):
    """What ``pay --import`` did: ``recorded`` is empty when nothing was written (a dry run,
    an ambiguous row under ``--no-input``, or nothing new)."""

    file: str
    sha256: str
    source: str
    layout: str
    rows: int
    repayments: int
    matching: Matching
    recorded: list[Recorded] = Field(default_factory=list)
    import_id: int | None = None
    still_due: list[StillDue] = Field(default_factory=list)


def read_bill_file(path: Path) -> BillFile:
    """Read and hash ``path`` (one read: the hash is of the bytes parsed)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BadInput("err.file_read", path=str(path), detail=exc.strerror or str(exc)) from exc
    bill = read_bill(data, name=path.name)
    return BillFile(
        name=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest(), bill=bill
    )


def lenders() -> dict[str, str]:
    """Every platform's names and aliases (the user's platform file included)."""
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    catalogue = load_catalogue(user_platforms_file())
    return lender_names(
        (p.id, [p.id, p.name_zh, p.name_en, *p.aliases]) for p in catalogue.platforms
    )


def plan_import(
    conn: sqlite3.Connection,
    read: BillFile,
    *,
    agreement_id: int | None = None,
    choices: Mapping[str, int | None] | None = None,
) -> Matching:
    """The bill's repayments matched against the open installments (of one agreement, or of
    all); nothing is written."""
    from repaycli import store_bills

    return match(
        [r for r in read.bill.rows if r.kind is Kind.REPAYMENT],
        store_bills.open_installments(conn, agreement_id=agreement_id),
        lenders=lenders(),
        known=store_bills.known_order_numbers(conn),
        choices=choices,
    )


def still_due(conn: sqlite3.Connection, agreement_ids: set[int] | None) -> list[StillDue]:
    """The next open installment of each agreement (of ``agreement_ids``, or all)."""
    from repaycli import store_bills

    nexts: dict[int, StillDue] = {}
    for item in store_bills.open_installments(conn):
        if agreement_ids is not None and item.agreement_id not in agreement_ids:
            continue
        if item.agreement_id not in nexts:
            nexts[item.agreement_id] = StillDue(
                agreement_id=item.agreement_id,
                platform=item.platform,
                n=item.n,
                due=item.due,
                left=item.left,
            )
    return list(nexts.values())


def run_import(
    conn: sqlite3.Connection,
    read: BillFile,
    matching: Matching,
    *,
    record: bool,
    recorded_at: datetime,
    agreement_id: int | None = None,
) -> ImportResult:
    """Record the matches (when ``record`` and there are any) and say what is still due."""
    from repaycli import store_bills

    recorded: list[Recorded] = []
    import_id = None
    if record and matching.matched:
        import_id, ids = store_bills.record_import(
            conn,
            source=read.bill.source.value,
            layout=read.bill.layout,
            file_name=read.name,
            size=read.size,
            sha256=read.sha256,
            rows=len(read.bill.rows),
            matched=matching.matched,
            recorded_at=recorded_at,
        )
        recorded = [
            Recorded(
                order_no=m.row.order_no,
                payment_id=pid,
                agreement_id=m.agreement_id,
                n=m.n,
                last=m.last,
            )
            for m, pid in zip(matching.matched, ids, strict=True)
        ]
    return ImportResult(
        file=read.name,
        sha256=read.sha256,
        source=read.bill.source.value,
        layout=read.bill.layout,
        rows=len(read.bill.rows),
        repayments=sum(1 for r in read.bill.rows if r.kind is Kind.REPAYMENT),
        matching=matching,
        recorded=recorded,
        import_id=import_id,
        still_due=still_due(conn, {agreement_id} if agreement_id is not None else None),
    )
