from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repaycli.core.money import (
    format_money,
    from_fen,
    parse_amount,
    round_fen,
    split_evenly,
    to_fen,
)
from repaycli.errors import BadInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8000", "8000.00"),
        ("8,000.50", "8000.50"),
        ("¥8000", "8000.00"),
        ("￥8000", "8000.00"),
        ("8000元", "8000.00"),
        ("1.2万", "12000.00"),
        ("3千", "3000.00"),
        ("１２３４", "1234.00"),
        (" 12,345,678.9 ", "12345678.90"),
        ("0.01", "0.01"),
        ("2.5w", "25000.00"),
        # spoken short forms: the digit after the unit is a tenth of it
        ("6千3", "6300.00"),
        ("1万2", "12000.00"),
        ("１万８", "18000.00"),
        ("6千3元", "6300.00"),
    ],
)
def test_parse_amount_accepts_what_people_type(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "err.amount_empty"),
        ("-5", "err.amount_negative"),
        ("0", "err.amount_zero"),
        ("abc", "err.amount_not_number"),
        ("nan", "err.amount_not_number"),
        ("inf", "err.amount_not_number"),
        ("1e5", "err.amount_not_number"),
        ("8,00", "err.amount_not_number"),
        ("1.005", "err.amount_sub_fen"),
        ("2亿", "err.amount_not_number"),
        ("6千30", "err.amount_not_number"),  # not a spoken form: which 30?
        ("6千3.5", "err.amount_not_number"),
        ("100000001", "err.amount_too_large"),
    ],
)
def test_parse_amount_refuses_bad_values(text: str, key: str) -> None:
    with pytest.raises(BadInput) as info:
        parse_amount(text)
    assert info.value.key == key


def test_zero_allowed_when_asked() -> None:
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")


def test_rounding_is_half_up_to_the_fen() -> None:
    assert round_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_fen(Decimal("2.675")) == Decimal("2.68")
    assert format_money(Decimal("1234567.5")) == "1,234,567.50"


@given(st.integers(min_value=0, max_value=10**10))
def test_fen_round_trip(fen: int) -> None:
    assert to_fen(from_fen(fen)) == fen


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2),
    st.integers(min_value=1, max_value=120),
)
def test_split_sums_exactly_and_never_goes_negative(total: Decimal, periods: int) -> None:
    parts = split_evenly(total, periods)
    assert len(parts) == periods
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)
    assert max(parts) - min(parts) <= Decimal("0.01") * periods
