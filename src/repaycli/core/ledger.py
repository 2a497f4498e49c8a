"""Applying a payment to an agreement's installments, in integer fen. Pure: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from repaycli.core.record import Model


class InstallmentStatus(StrEnum):
    PAID = "paid"
    PARTIAL = "partial"
    DUE = "due"
    OVERDUE = "overdue"


class Owed(Model):
    """One installment as the ledger sees it: number, amount and what is already paid (fen)."""

    n: int
    amount_fen: int
    paid_fen: int

    @property
    def left_fen(self) -> int:
        return self.amount_fen - self.paid_fen


class Application(Model):
    """Where a payment went: ``allocations`` as (installment number, fen), earliest first, and
    the part beyond the whole balance (``excess_fen``, an overpayment)."""

    allocations: tuple[tuple[int, int], ...]
    excess_fen: int

    @property
    def applied_fen(self) -> int:
        return sum(fen for _, fen in self.allocations)


def apply_payment(installments: Sequence[Owed], amount_fen: int) -> Application:
    """Apply ``amount_fen`` to the earliest unpaid installments (by number).

    A partial payment leaves the installment it reaches partly paid; whatever is left once every
    installment is paid is returned as ``excess_fen``.
    """
    if amount_fen <= 0:
        raise ValueError("a payment must be more than 0 fen")
    left = amount_fen
    allocations: list[tuple[int, int]] = []
    for item in sorted(installments, key=lambda i: i.n):
        if left == 0:
            break
        if item.left_fen <= 0:
            continue
        take = min(left, item.left_fen)
        allocations.append((item.n, take))
        left -= take
    return Application(allocations=tuple(allocations), excess_fen=left)


def status(*, amount_fen: int, paid_fen: int, due: date, today: date) -> InstallmentStatus:
    """Paid in full, else overdue once its due date has passed, else partly paid, else due."""
    if paid_fen >= amount_fen:
        return InstallmentStatus.PAID
    if due < today:
        return InstallmentStatus.OVERDUE
    if paid_fen > 0:
        return InstallmentStatus.PARTIAL
    return InstallmentStatus.DUE
