"""One line per agreement, as ``agreement list`` shows them: totals, next due date, overdue
amount and state, computed from the agreement's rows (``store.iter_agreement_rows``) — the same
figures as the ``AgreementView`` model ``store.get_agreement`` builds, without building its
schedule and payments (at 10,000 agreements the models took 9 s and 311 MB). Pure: no I/O."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from repaycli.core import ledger
from repaycli.core.money import from_fen
from repaycli.core.record import Model


class AgreementLine(Model):
    id: int
    platform: str
    total: Decimal
    paid: Decimal
    balance: Decimal
    finished: bool
    next_due: date | None
    overdue: Decimal
    void_reason: str | None


def agreement_line(
    head: dict[str, Any],
    parts: list[tuple[Any, ...]],
    payments: list[dict[str, Any]],
    allocations: dict[Any, list[tuple[Any, Any]]],
    void_reason: str | None,
    *,
    today: date,
) -> AgreementLine:
    """One agreement's line, its installments' status as of ``today``. A row the line does not
    show is read all the same, as ``agreement list --json`` reads it: a damaged date or amount
    is reported by both views, not by one."""
    _read_all(head, payments)
    paid_fen = overdue_fen = 0
    next_due = None
    for _, due_text, amount_fen, part_paid in parts:
        due = date.fromisoformat(due_text)
        status = ledger.status(amount_fen=amount_fen, paid_fen=part_paid, due=due, today=today)
        paid_fen += part_paid
        if next_due is None and status != ledger.InstallmentStatus.PAID:
            next_due = due
        if status == ledger.InstallmentStatus.OVERDUE:
            overdue_fen += amount_fen - part_paid
    balance_fen = head["total_fen"] - paid_fen
    if not isinstance(head["platform"], str):  # a damaged row: reported, as the model would
        raise TypeError(f"platform: expected text, not {type(head['platform']).__name__}")
    return AgreementLine(
        id=head["id"],
        platform=head["platform"],
        total=from_fen(head["total_fen"]),
        paid=from_fen(paid_fen),
        balance=from_fen(balance_fen),
        finished=balance_fen == 0,
        next_due=next_due,
        overdue=from_fen(overdue_fen),
        void_reason=void_reason,
    )


def _read_all(head: dict[str, Any], payments: list[dict[str, Any]]) -> None:
    """Raise as the JSON record would (``ValueError``, ``TypeError``) on a damaged value."""
    date.fromisoformat(head["first_due"])
    for name in ("total_fen", "periods"):
        if type(head[name]) is not int:
            raise TypeError(f"{name}: expected an integer, not {type(head[name]).__name__}")
    for payment in payments:
        date.fromisoformat(payment["paid_on"])
        for name in ("amount_fen", "excess_fen"):
            if type(payment[name]) is not int:
                raise TypeError(f"{name}: expected an integer, not {type(payment[name]).__name__}")
