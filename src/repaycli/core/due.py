"""What the store hands back for reminders: unpaid installments and open follow-ups.

Plain frozen dataclasses, not pydantic models: ``repaycli remind`` runs from cron, often over a
long history, and loads neither pydantic nor the record models to report what is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class DueInstallment:
    """An unpaid installment due by a date, for reminders."""

    agreement_id: int
    platform: str
    n: int
    due: date
    left: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenFollowUp:
    """A follow-up promised in a log entry and not yet overtaken or closed, for reminders."""

    entry_id: int
    platform: str
    follow_up: date
    action: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectionAfterAgreement:
    """A contact logged as collection (by the lender or its agent) after an agreement with the
    same platform: a contact logged as ``agreed`` (``agreed_entry``) or a recorded agreement not
    void (``agreement_id``). Art. 70 of the credit-card rules: once a personalised plan is
    signed, collection stops unless the plan is broken."""

    entry_id: int
    platform: str
    at: str
    hash: str
    agreed_entry: int | None
    agreement_id: int | None
