"""One bill as the reader gives it: its source and layout, and its rows in one shape."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from repaycli.core.record import Field, Model


class Source(StrEnum):
    ALIPAY = "alipay"
    WECHAT = "wechat"
    JD = "jd"


class Kind(StrEnum):
    """What a row is, for repaycli: a repayment to a lender, spending, income, a refund, a
    failed or closed transaction, or anything else (a transfer, a top-up, a row type not known)."""

    REPAYMENT = "repayment"
    EXPENSE = "expense"
    INCOME = "income"
    REFUND = "refund"
    FAILED = "failed"
    OTHER = "other"


class BillRow(Model):
    """One transaction, its fields stripped of padding and tabs. ``line``: where it is in the
    file (1-based; a spreadsheet's row), for messages."""

    line: int
    at: datetime
    category: str = ""
    counterparty: str = ""
    account: str = ""
    item: str = ""
    direction: str = ""
    amount: Decimal
    method: str = ""
    status: str = ""
    order_no: str = ""
    merchant_order_no: str = ""
    note: str = ""
    kind: Kind = Kind.OTHER


class Bill(Model):
    """A bill read: ``layout`` names the format (``alipay-csv``, ``wechat-csv``,
    ``wechat-xlsx``, ``jd-csv``); ``skipped``: lines after the header that are no transaction
    (totals, notes, a blank line)."""

    source: Source
    layout: str
    encoding: str
    columns: list[str]
    rows: list[BillRow] = Field(default_factory=list)
    skipped: int = 0
