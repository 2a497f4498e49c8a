"""What the store hands back for reminders: unpaid installments and open follow-ups.

Plain frozen records, neither pydantic models nor dataclasses: ``repaycli remind`` runs from
cron, where start-up is most of the run, and building a dataclass costs about a millisecond. A
due installment is a named tuple: ``remind --ics --all`` reads one per unpaid installment
(thousands), and a tuple is built in a third of a ``Model``'s time; the rest are ``Model``
records (``core.record``), cheaper still to define.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from repaycli.core.record import Model


class DueInstallment(NamedTuple):
    """An unpaid installment due by a date, for reminders."""

    agreement_id: int
    platform: str
    n: int
    due: date
    left: Decimal


class OpenFollowUp(Model):
    """A follow-up promised in a log entry and not yet overtaken or closed, for reminders."""

    entry_id: int
    platform: str
    follow_up: date
    action: str | None


class CollectionAfterAgreement(Model):
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
