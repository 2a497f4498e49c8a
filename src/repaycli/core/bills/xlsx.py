"""The rows of a WeChat .xlsx bill (2025-07 layout and 2026-03's, with one more note line and
amounts without ``¥``). openpyxl is imported here only: no other command loads it
(``tests/test_startup.py``)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from repaycli.errors import BadInput

#: The most rows read from a sheet (a bill of several years is a few tens of thousands).
MAX_ROWS = 500_000


def _text(value: object) -> str:
    """A cell as the CSV would show it: times ISO, numbers as written, text as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # an amount kept as a number, or an order number Excel broke
        return str(Decimal(repr(value))) if abs(value) < 1e15 else repr(value)
    return str(value)


def xlsx_rows(data: bytes, *, name: str) -> list[list[str]]:
    """Every row of the workbook's first sheet, each cell as text."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise BadInput("err.bill_xlsx_unreadable", path=name, detail=str(exc)[:120]) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_text(v) for v in row])
            if len(rows) > MAX_ROWS:
                raise BadInput("err.bill_too_many_rows", path=name, limit=MAX_ROWS)
        return rows
    finally:
        book.close()
