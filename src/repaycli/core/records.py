"""What the store hands back: call-log entries, agreements, installments and payments.

Shared by the store, the commands and the renderers. Amounts are ``Decimal`` yuan (stored as
integer fen); times are ISO 8601 strings with their UTC offset, kept exactly as stored so the
hash chain can be recomputed from an export.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from repaycli.core.due import DueInstallment, OpenFollowUp
from repaycli.core.ledger import InstallmentStatus
from repaycli.core.models import Money
from repaycli.core.validated import Model

__all__ = [
    "AgreementView",
    "Allocation",
    "Attachment",
    "DueInstallment",
    "InstallmentView",
    "LogEntry",
    "OpenFollowUp",
    "PaymentView",
]


class Attachment(Model):
    """A file named in a log entry: recorded (path, size, SHA-256 at the time), not copied."""

    path: str
    size: int
    sha256: str


class LogEntry(Model):
    id: int
    recorded_at: str
    at: str
    platform: str
    channel: str
    number: str | None = None
    agent: str | None = None
    ref: str | None = None
    asked: str | None = None
    offered: str | None = None
    outcome: str
    agreed_terms: str | None = None
    confirmation: str | None = None
    follow_up: date | None = None
    follow_up_action: str | None = None
    notes: str | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    corrects: int | None = None
    #: Logged as collection by the lender or its agent (``log add --collection``).
    collection: bool = False
    #: What arrived from a collector (``log collection``; ``None`` when not given).
    direction: str | None = None
    firm: str | None = None
    claims: str | None = None
    threats: list[str] | None = None
    said: str | None = None
    third_party: str | None = None
    corrected_by: int | None = None
    follow_up_done_at: str | None = None
    prev_hash: str
    hash: str
    #: Each field's salt (``core.evidence``; ``None`` for an entry written before salting).
    #: Left out of ``model_dump``: only an export, which needs them to be checked, adds them.
    salts: dict[str, str] | None = Field(default=None, exclude=True)


class InstallmentView(Model):
    n: int
    due: date
    amount: Money
    paid: Money
    left: Money
    status: InstallmentStatus


class Allocation(Model):
    n: int
    amount: Money


class PaymentView(Model):
    id: int
    agreement_id: int
    paid_on: date
    amount: Money
    applied: Money
    excess: Money
    receipt: str | None
    recorded_at: str
    allocations: list[Allocation]
    #: Why it was voided (``pay --void``); ``None`` while it stands.
    void_reason: str | None = None


class AgreementView(Model):
    id: int
    recorded_at: str
    platform: str
    total: Money
    periods: int
    first_due: date
    log_entry: int | None
    source: str | None
    paid: Money
    balance: Money
    overpaid: Money
    finished: bool
    next_due: date | None
    overdue: Money
    schedule: list[InstallmentView]
    payments: list[PaymentView]
    #: Why it was voided (``agreement void``); ``None`` while it stands.
    void_reason: str | None = None
