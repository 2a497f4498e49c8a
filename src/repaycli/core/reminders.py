"""What ``repaycli remind`` reports: installments and follow-ups due, overdue first.

Pure: the store's rows and the date come in as parameters, a result comes out. No clock, no
printing, no files. Plain records (named tuples and ``core.record``), not pydantic models nor
dataclasses, so that cron's run of ``remind`` loads no pydantic and builds no class slowly;
``Reminders.as_json`` gives the ``--json`` shape (amounts as strings with two places, dates
ISO), the same as the ``Money`` models elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from repaycli.core.due import CollectionAfterAgreement, DueInstallment, OpenFollowUp
from repaycli.core.record import Model

#: ``--days`` when not given: what is due today and in the next three days.
DEFAULT_DAYS = 3
#: The longest window accepted (a typo such as ``--days 3000`` is refused).
MAX_DAYS = 366
#: Version of the ``--json`` shape; bump it when a key changes meaning or disappears.
SCHEMA_VERSION = 1


class ItemKind(StrEnum):
    INSTALLMENT = "installment"
    FOLLOW_UP = "follow_up"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class Reminder(NamedTuple):
    """One thing to do: pay an installment, or follow up with a lender as promised. A named
    tuple, like ``DueInstallment``: ``--ics --all`` builds one per unpaid installment."""

    kind: ItemKind
    platform: str
    due: date
    #: Days past ``due`` as of the report's date (0 when due today or later).
    days_overdue: int
    #: Days from the report's date to ``due`` (0 when due today or already overdue).
    days_left: int
    overdue: bool
    #: Installments: what is still unpaid of it. Follow-ups: ``None``.
    amount: Decimal | None = None
    agreement_id: int | None = None
    installment: int | None = None
    #: Follow-ups: the log entry that promised it and the action written down.
    entry_id: int | None = None
    action: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "platform": self.platform,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
            "days_left": self.days_left,
            "overdue": self.overdue,
            "amount": None if self.amount is None else _money(self.amount),
            "agreement_id": self.agreement_id,
            "installment": self.installment,
            "entry_id": self.entry_id,
            "action": self.action,
        }

    @property
    def uid(self) -> str:
        """A stable identifier (the iCalendar UID): the same item always gets the same one."""
        if self.kind is ItemKind.INSTALLMENT:
            return f"installment-{self.agreement_id}-{self.installment}@repaycli"
        return f"followup-{self.entry_id}@repaycli"


class Reminders(Model):
    """The report: everything overdue, then everything due from ``as_of`` to ``until``."""

    schema_version: int = SCHEMA_VERSION
    as_of: date
    days: int
    until: date
    overdue: list[Reminder]
    upcoming: list[Reminder]
    overdue_amount: Decimal
    upcoming_amount: Decimal
    #: Contacts logged as collection after an agreement (shown with a report that is printed
    #: anyway: they never make an otherwise silent cron run print).
    collection_after_agreement: tuple[CollectionAfterAgreement, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` document (keys in this order; see the README)."""
        return {
            "schema_version": self.schema_version,
            "as_of": self.as_of.isoformat(),
            "days": self.days,
            "until": self.until.isoformat(),
            "overdue": [item.as_json() for item in self.overdue],
            "upcoming": [item.as_json() for item in self.upcoming],
            "overdue_amount": _money(self.overdue_amount),
            "upcoming_amount": _money(self.upcoming_amount),
            "collection_after_agreement": [
                {
                    "entry_id": c.entry_id,
                    "platform": c.platform,
                    "at": c.at,
                    "hash": c.hash,
                    "agreed_entry": c.agreed_entry,
                    "agreement_id": c.agreement_id,
                }
                for c in self.collection_after_agreement
            ],
        }

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.upcoming

    @property
    def has_overdue(self) -> bool:
        return bool(self.overdue)


def window_end(as_of: date, days: int) -> date:
    """The last day reported: ``days`` after ``as_of`` (``--days 0`` means today only)."""
    return as_of + timedelta(days=days)


def _sort_key(item: Reminder) -> tuple[date, int, str, int, int]:
    kind_order = 0 if item.kind is ItemKind.INSTALLMENT else 1
    ident = item.agreement_id if item.kind is ItemKind.INSTALLMENT else item.entry_id
    return (item.due, kind_order, item.platform, ident or 0, item.installment or 0)


def to_reminders(
    installments: Iterable[DueInstallment],
    follow_ups: Iterable[OpenFollowUp],
    *,
    as_of: date,
) -> list[Reminder]:
    """Every installment and follow-up as a ``Reminder`` relative to ``as_of``, sorted by date
    (installments before follow-ups on the same day). The days from ``as_of`` are worked out
    once a date: ``--ics --all`` builds thousands."""
    lateness: dict[date, tuple[int, int, bool]] = {}

    def late(due: date) -> tuple[int, int, bool]:
        found = lateness.get(due)
        if found is None:
            days = (as_of - due).days
            found = lateness[due] = (max(days, 0), max(-days, 0), days > 0)
        return found

    items: list[Reminder] = []
    for i in installments:
        days_overdue, days_left, overdue = late(i.due)
        items.append(
            Reminder(
                kind=ItemKind.INSTALLMENT,
                platform=i.platform,
                due=i.due,
                days_overdue=days_overdue,
                days_left=days_left,
                overdue=overdue,
                amount=i.left,
                agreement_id=i.agreement_id,
                installment=i.n,
            )
        )
    for f in follow_ups:
        days_overdue, days_left, overdue = late(f.follow_up)
        items.append(
            Reminder(
                kind=ItemKind.FOLLOW_UP,
                platform=f.platform,
                due=f.follow_up,
                days_overdue=days_overdue,
                days_left=days_left,
                overdue=overdue,
                entry_id=f.entry_id,
                action=f.action,
            )
        )
    items.sort(key=_sort_key)
    return items


def _total(items: Iterable[Reminder]) -> Decimal:
    return sum((i.amount for i in items if i.amount is not None), Decimal("0.00"))


def build_reminders(
    installments: Iterable[DueInstallment],
    follow_ups: Iterable[OpenFollowUp],
    *,
    as_of: date,
    days: int = DEFAULT_DAYS,
    collection: Iterable[CollectionAfterAgreement] = (),
) -> Reminders:
    """The report as of ``as_of``: items due before it (overdue, most overdue first), then items
    due from ``as_of`` through ``as_of + days``. Items after the window are dropped."""
    every = to_reminders(installments, follow_ups, as_of=as_of)
    return report(every, as_of=as_of, days=days, collection=collection)


def report(
    items: Sequence[Reminder],
    *,
    as_of: date,
    days: int = DEFAULT_DAYS,
    collection: Iterable[CollectionAfterAgreement] = (),
) -> Reminders:
    """``build_reminders`` from ``to_reminders``' items (``remind --ics`` shares them with the
    feed instead of building every item twice)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    until = window_end(as_of, days)
    overdue = [i for i in items if i.overdue]
    upcoming = [i for i in items if not i.overdue and i.due <= until]
    return Reminders(
        as_of=as_of,
        days=days,
        until=until,
        overdue=overdue,
        upcoming=upcoming,
        overdue_amount=_total(overdue),
        upcoming_amount=_total(upcoming),
        collection_after_agreement=tuple(collection),
    )


#: What ``remind --ics`` puts in the feed by default: overdue items and this many days ahead
#: (``--all``: everything) — what a phone calendar needs, however long the plans run.
CALENDAR_DAYS = 90


def calendar_items(
    installments: Iterable[DueInstallment],
    follow_ups: Iterable[OpenFollowUp],
    *,
    as_of: date,
    until: date | None = None,
) -> list[Reminder]:
    """What the calendar feed holds: every unpaid installment and open follow-up due on or before
    ``until`` (``None``: whenever), overdue ones included, by date."""
    return feed(to_reminders(installments, follow_ups, as_of=as_of), until=until)


def feed(items: Sequence[Reminder], *, until: date | None = None) -> list[Reminder]:
    """``calendar_items`` from ``to_reminders``' items."""
    return [i for i in items if until is None or i.due <= until]
