"""The bill tables: a database of the schema before them keeps every row and still verifies;
what an import writes is append-only; openpyxl stays off every other command's start-up."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from repaycli import store, store_bills
from repaycli.core.bills.match import Matched
from repaycli.core.bills.rows import BillRow, Kind

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 3, 1, 9, 0, tzinfo=CST)


def _row(order_no: str, amount: str, day: date) -> BillRow:
    return BillRow(
        line=1, at=datetime(day.year, day.month, day.day, 8, 0), amount=Decimal(amount),
        counterparty="花呗", account="huabei@alipay.com", order_no=order_no, kind=Kind.REPAYMENT,
    )  # fmt: skip


def test_a_database_of_the_previous_schema_keeps_its_rows_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = store.connect(path, migrate_to=store.SCHEMA_VERSION - 1)
    agreement = store.add_agreement(
        conn, platform="huabei", schedule=[(date(2026, 1, 15), 100_000)] * 2, recorded_at=AT
    )
    store.add_payment(
        conn, agreement, amount_fen=100_000, paid_on=date(2026, 1, 10), recorded_at=AT,
        receipt="A001",
    )  # fmt: skip
    conn.close()
    conn = store.connect(path)
    assert store.schema_version(conn) == store.SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM payments").fetchone()[0] == 1
    assert store.verify_events(conn).intact
    assert store_bills.known_order_numbers(conn) == {"A001"}  # a typed receipt counts
    ids = store_bills.record_import(
        conn, source="alipay", layout="alipay-csv", file_name="b.csv", size=10,
        sha256="a" * 64, rows=3, matched=[
            Matched(row=_row("A002", "1000", date(2026, 2, 10)), platform="huabei",
                    agreement_id=agreement, n=2, due=date(2026, 2, 15), last=2),
        ], recorded_at=AT,
    )  # fmt: skip
    assert ids[0] == 1 and len(ids[1]) == 1
    assert store.verify_events(conn).intact
    assert store_bills.known_order_numbers(conn) == {"A001", "A002"}
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO bill_payments VALUES ('A002', 1, 1, '2026-02-10', '花呗', '')")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE bill_imports SET sha256 = ?", ("b" * 64,))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM bill_payments")
    conn.close()


def test_a_changed_import_is_seen_by_verify(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    agreement = store.add_agreement(
        conn, platform="huabei", schedule=[(date(2026, 1, 15), 100_000)], recorded_at=AT
    )
    store_bills.record_import(
        conn, source="alipay", layout="alipay-csv", file_name="b.csv", size=10,
        sha256="a" * 64, rows=1, matched=[
            Matched(row=_row("A002", "1000", date(2026, 1, 10)), platform="huabei",
                    agreement_id=agreement, n=1, due=date(2026, 1, 15), last=1),
        ], recorded_at=AT,
    )  # fmt: skip
    conn.execute("DROP TRIGGER bill_imports_no_update")
    conn.execute("UPDATE bill_imports SET sha256 = ?", ("b" * 64,))
    check = store.verify_events(conn)
    assert (check.problem, check.kind) == ("record_changed", "bill_import")
    conn.close()


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys\nfrom repaycli.cli import main\nsys.argv = ['repaycli', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["remind"],
        ["pay", "--help"],
        ["plan", "--no-input", "--platform", "huabei", "--overdue", "8000", "--income", "6000"],
    ],
)
def test_only_an_xlsx_bill_loads_openpyxl(args: list[str]) -> None:
    loaded = _modules_after(args)
    assert "repaycli.cli" in loaded
    assert not {m for m in loaded if m == "openpyxl" or m.startswith("openpyxl.")}


def test_importing_an_xlsx_bill_does_load_openpyxl(tmp_path: Path) -> None:
    """The check above can fail: reading a workbook loads it."""
    from bills_factory import Tx, wechat_xlsx

    path = tmp_path / "wx.xlsx"
    path.write_bytes(wechat_xlsx([Tx(AT.replace(tzinfo=None), Decimal(5), "某某", order_no="W1")]))
    loaded = _modules_after(["pay", "--import", str(path)])
    assert "openpyxl" in loaded
