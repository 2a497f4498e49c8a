from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repaycli.core.dates import monthly_due_dates, months_between, parse_date, parse_datetime
from repaycli.errors import BadInput

TODAY = date(2026, 11, 21)


def test_month_ends_are_kept() -> None:
    assert monthly_due_dates(date(2027, 1, 31), 3) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]
    assert monthly_due_dates(date(2028, 1, 31), 2)[1] == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2026/12/1", date(2026, 12, 1)),
        ("20261201", date(2026, 12, 1)),
        ("2026年12月1日", date(2026, 12, 1)),
        ("today", TODAY),
        ("今天", TODAY),
        ("tomorrow", date(2026, 11, 22)),
        ("+3d", date(2026, 11, 24)),
        ("+2w", date(2026, 12, 5)),
        ("+1m", date(2026, 12, 21)),
        ("+1y", date(2027, 11, 21)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2026-02-30", "err.date_impossible"),
        ("2026-13-01", "err.date_impossible"),
        ("next week", "err.date_format"),
        ("", "err.date_empty"),
        ("9999-01-01", "err.date_out_of_range"),
        ("+9999y", "err.date_out_of_range"),
    ],
)
def test_parse_date_refuses(text: str, key: str) -> None:
    with pytest.raises(BadInput) as info:
        parse_date(text, today=TODAY)
    assert info.value.key == key


def test_parse_datetime_keeps_time_zone() -> None:
    now = datetime(2026, 11, 21, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert parse_datetime("2026-11-20 14:05", now=now) == datetime(
        2026, 11, 20, 14, 5, tzinfo=now.tzinfo
    )
    assert parse_datetime("now", now=now) == now


def test_months_between_rounds_up() -> None:
    assert months_between(TODAY, date(2027, 1, 21)) == 2
    assert months_between(TODAY, date(2027, 1, 22)) == 3
    assert months_between(TODAY, TODAY) == 0


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(min_value=1, max_value=60),
)
def test_due_dates_strictly_increase_about_a_month_apart(start: date, periods: int) -> None:
    dues = monthly_due_dates(start, periods)
    assert dues[0] == start
    for earlier, later in zip(dues, dues[1:], strict=False):
        assert 28 <= (later - earlier).days <= 31
