"""What an agreed plan may be, for ``repaycli agreement add`` and the call screen alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from repaycli.errors import BadInput

#: The most installments an agreement may have (ten years of monthly payments).
MAX_PERIODS = 120


def check_schedule(schedule: Sequence[tuple[date, Decimal]], *, today: date) -> None:
    """An agreement's installments: 1 to ``MAX_PERIODS``, each due on a date the calendar
    feed and reminders can use."""
    from repaycli.core.dates import check_date_range

    if not 1 <= len(schedule) <= MAX_PERIODS:
        raise BadInput(
            "err.integer_range", field="installments", value=len(schedule), low=1, high=MAX_PERIODS
        )
    for due, _ in schedule:
        check_date_range(due, today=today, field="due", text=due.isoformat())
