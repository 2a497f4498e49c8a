"""A budget from a bill: essential monthly spending by category, debt repayments kept apart,
shown as an income-and-expenditure statement (the form UK debt charities give creditors).

Pure: rows and the category words (``catalog/bill_categories.toml``) in, a ``Budget`` out; the
user's accepted figures make a ``Statement``."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from repaycli.core.bills.rows import BillRow, Kind
from repaycli.core.record import Field, Model

#: The essential categories, in the order a statement lists them.
ESSENTIAL = ("rent", "food", "transport", "utilities", "medical", "education")
FEN = Decimal("0.01")


class Line(Model):
    """One category: the bill's total over its months and the monthly figure proposed."""

    category: str
    total: Decimal
    monthly: Decimal
    rows: int


class Budget(Model):
    """What the bill shows, per month over ``months`` calendar months."""

    months: int
    first: str
    last: str
    essential: list[Line] = Field(default_factory=list)
    other: Line
    repayments: Line
    income: Line


class Statement(Model):
    """An income-and-expenditure statement: the figures the user accepted or edited."""

    months: int
    income: Decimal
    expenses: list[Line] = Field(default_factory=list)
    essential_total: Decimal
    repayments: Decimal
    available: Decimal


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def category_of(row: BillRow, words: Mapping[str, Sequence[str]]) -> str:
    """The first category whose word the row's category, counterparty or description holds."""
    text = _key(" ".join((row.category, row.counterparty, row.item)))
    for name, listed in words.items():
        if any(_key(w) in text for w in listed):
            return name
    return "other"


def _line(category: str, rows: Sequence[tuple[BillRow, int]], months: int) -> Line:
    total = sum((r.amount * sign for r, sign in rows), Decimal(0))
    total = max(total, Decimal(0))
    monthly = (total / months).quantize(FEN, rounding=ROUND_HALF_UP)
    return Line(category=category, total=total, monthly=monthly, rows=len(rows))


def budget_from_rows(rows: Iterable[BillRow], words: Mapping[str, Sequence[str]]) -> Budget:
    """Spending (less refunds) by category, income and repayments, each averaged over the
    calendar months the bill's rows span (at least one)."""
    kept = [r for r in rows if r.kind is not Kind.FAILED]
    if not kept:
        empty = Line(category="", total=Decimal(0), monthly=Decimal(0), rows=0)
        return Budget(months=1, first="", last="", other=empty, repayments=empty, income=empty)
    first, last = min(r.at for r in kept), max(r.at for r in kept)
    months = max(1, (last.year - first.year) * 12 + last.month - first.month + 1)
    groups: dict[str, list[tuple[BillRow, int]]] = {}
    for row in kept:
        if row.kind is Kind.REPAYMENT:
            groups.setdefault("repayments", []).append((row, 1))
        elif row.kind is Kind.INCOME:
            groups.setdefault("income", []).append((row, 1))
        elif row.kind is Kind.EXPENSE:
            groups.setdefault(category_of(row, words), []).append((row, 1))
        elif row.kind is Kind.REFUND:
            groups.setdefault(category_of(row, words), []).append((row, -1))
    return Budget(
        months=months,
        first=first.date().isoformat(),
        last=last.date().isoformat(),
        essential=[_line(c, groups.get(c, []), months) for c in ESSENTIAL],
        other=_line("other", groups.get("other", []), months),
        repayments=_line("repayments", groups.get("repayments", []), months),
        income=_line("income", groups.get("income", []), months),
    )


def statement(budget: Budget, *, income: Decimal, accepted: Mapping[str, Decimal]) -> Statement:
    """The statement from the budget and the figures the user accepted (category → monthly);
    a category not in ``accepted`` keeps the figure proposed."""
    lines = [
        Line(
            category=line.category,
            total=line.total,
            monthly=accepted.get(line.category, line.monthly),
            rows=line.rows,
        )
        for line in budget.essential
    ]
    total = sum((line.monthly for line in lines), Decimal(0))
    return Statement(
        months=budget.months,
        income=income,
        expenses=lines,
        essential_total=total,
        repayments=budget.repayments.monthly,
        available=income - total,
    )
