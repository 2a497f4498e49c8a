"""The pure reminder logic: what is overdue, what is due in the window, in which order."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repaycli.cli import remind as cli_remind
from repaycli.core import reminders
from repaycli.core.dates import monthly_due_dates
from repaycli.core.records import DueInstallment, OpenFollowUp
from repaycli.core.reminders import ItemKind, build_reminders, calendar_items


def inst(due: date, *, agreement: int = 1, n: int = 1, left: str = "500.00") -> DueInstallment:
    return DueInstallment(
        agreement_id=agreement, platform="huabei", n=n, due=due, left=Decimal(left)
    )


def fup(due: date, *, entry: int = 1, action: str | None = "call back") -> OpenFollowUp:
    return OpenFollowUp(entry_id=entry, platform="weilidai", follow_up=due, action=action)


def leap_schedule() -> list[DueInstallment]:
    """An agreement first due 2028-01-31: then 2028-02-29 (leap day), 2028-03-31, 2028-04-30."""
    dues = monthly_due_dates(date(2028, 1, 31), 4)
    assert dues == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]
    return [inst(d, n=i) for i, d in enumerate(dues, 1)]


def test_nothing_due_is_empty() -> None:
    result = build_reminders([], [], as_of=date(2028, 2, 1))
    assert result.empty
    assert not result.has_overdue
    assert result.until == date(2028, 2, 4)


def test_leap_day_due_in_window_and_then_overdue() -> None:
    before = build_reminders(leap_schedule()[1:], [], as_of=date(2028, 2, 27))
    assert [(i.due, i.days_left, i.overdue) for i in before.upcoming] == [
        (date(2028, 2, 29), 2, False)
    ]
    assert before.overdue == []

    after = build_reminders(leap_schedule(), [], as_of=date(2028, 3, 1))
    assert [(i.due, i.days_overdue) for i in after.overdue] == [
        (date(2028, 1, 31), 30),
        (date(2028, 2, 29), 1),
    ]
    assert after.upcoming == []
    assert after.overdue_amount == Decimal("1000.00")
    assert after.has_overdue


def test_window_crosses_month_end_in_a_common_year() -> None:
    dues = monthly_due_dates(date(2027, 1, 31), 3)
    assert dues[1] == date(2027, 2, 28)
    items = [inst(d, n=i) for i, d in enumerate(dues, 1)]
    result = build_reminders(items, [fup(date(2027, 3, 3))], as_of=date(2027, 2, 28), days=3)
    assert result.until == date(2027, 3, 3)
    assert [i.due for i in result.overdue] == [date(2027, 1, 31)]
    assert [(i.kind, i.due, i.days_left) for i in result.upcoming] == [
        (ItemKind.INSTALLMENT, date(2027, 2, 28), 0),
        (ItemKind.FOLLOW_UP, date(2027, 3, 3), 3),
    ]
    assert result.upcoming_amount == Decimal("500.00")


def test_days_zero_is_today_only_and_the_last_day_is_included() -> None:
    items = [inst(date(2028, 5, 1), n=1), inst(date(2028, 5, 2), n=2)]
    today_only = build_reminders(items, [], as_of=date(2028, 5, 1), days=0)
    assert [i.installment for i in today_only.upcoming] == [1]
    one_day = build_reminders(items, [], as_of=date(2028, 5, 1), days=1)
    assert [i.installment for i in one_day.upcoming] == [1, 2]


def test_overdue_first_then_by_date_installments_before_follow_ups() -> None:
    result = build_reminders(
        [inst(date(2028, 6, 3), agreement=2), inst(date(2028, 5, 20), agreement=3)],
        [fup(date(2028, 6, 3), entry=9), fup(date(2028, 5, 30), entry=4)],
        as_of=date(2028, 6, 1),
        days=5,
    )
    assert [i.uid for i in result.overdue] == ["installment-3-1@repaycli", "followup-4@repaycli"]
    assert [i.uid for i in result.upcoming] == ["installment-2-1@repaycli", "followup-9@repaycli"]
    assert [i.days_overdue for i in result.overdue] == [12, 2]


def test_items_after_the_window_are_left_out_but_stay_in_the_calendar() -> None:
    items = leap_schedule()
    result = build_reminders(items, [fup(date(2028, 4, 1))], as_of=date(2028, 2, 1), days=3)
    assert [i.due for i in result.overdue] == [date(2028, 1, 31)]
    assert result.upcoming == []
    feed = calendar_items(items, [fup(date(2028, 4, 1))], as_of=date(2028, 2, 1))
    assert [(i.kind, i.due, i.overdue) for i in feed] == [
        (ItemKind.INSTALLMENT, date(2028, 1, 31), True),  # overdue: in the feed too
        (ItemKind.INSTALLMENT, date(2028, 2, 29), False),
        (ItemKind.INSTALLMENT, date(2028, 3, 31), False),
        (ItemKind.FOLLOW_UP, date(2028, 4, 1), False),
        (ItemKind.INSTALLMENT, date(2028, 4, 30), False),
    ]
    until = calendar_items(
        items, [fup(date(2028, 4, 1))], as_of=date(2028, 2, 1), until=date(2028, 4, 1)
    )
    assert [i.due for i in until] == [
        date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 1)
    ]  # fmt: skip


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        build_reminders([], [], as_of=date(2028, 1, 1), days=-1)


def test_cli_defaults_match_the_core() -> None:
    assert cli_remind.DEFAULT_DAYS == reminders.DEFAULT_DAYS
    assert cli_remind.MAX_DAYS == reminders.MAX_DAYS


@given(
    dues=st.lists(st.dates(date(2024, 1, 1), date(2030, 12, 31)), max_size=20),
    as_of=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    days=st.integers(0, 30),
)
def test_every_item_lands_in_exactly_one_place(dues: list[date], as_of: date, days: int) -> None:
    items = [inst(d, agreement=i, n=1) for i, d in enumerate(dues, 1)]
    result = build_reminders(items, [], as_of=as_of, days=days)
    shown = [*result.overdue, *result.upcoming]
    expected = sorted(d for d in dues if d <= as_of + timedelta(days=days))
    assert [i.due for i in shown] == expected
    assert all(i.due < as_of and i.days_overdue == (as_of - i.due).days for i in result.overdue)
    assert all(as_of <= i.due and i.days_left == (i.due - as_of).days for i in result.upcoming)
