from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repaycli.core.rates import (
    RateUnit,
    annualise,
    annuity_payment,
    annuity_schedule,
    fee_schedule,
    monthly_irr,
    parse_penalty_rate,
    parse_rate,
)
from repaycli.errors import BadInput

D = Decimal


def test_facts_vector_upfront_fee_loan() -> None:
    monthly = monthly_irr(D("99000"), [D("8833.30")] * 12)
    assert monthly.quantize(D("0.000001")) == D("0.010670")
    assert annualise(monthly) == (D("12.80"), D("13.58"))


def test_facts_vector_card_fee_plan() -> None:
    payments = fee_schedule(D("10000"), D("0.006"), 12)
    assert payments[0] == D("893.33")
    assert sum(payments) == D("10720.00")
    monthly = monthly_irr(D("10000"), payments)
    assert monthly.quantize(D("0.000001")) == D("0.010862")
    assert annualise(monthly) == (D("13.03"), D("13.84"))


def test_equal_installment_vector() -> None:
    assert annuity_payment(D("10000"), D("0.01"), 12).quantize(D("0.0001")) == D("888.4879")
    schedule = annuity_schedule(D("10000"), D("0.12"), 12)
    assert schedule[:11] == [D("888.49")] * 11
    assert sum(schedule) == D("10661.85")


def test_interest_free_is_zero_and_underpayment_negative() -> None:
    assert monthly_irr(D("1200"), [D("100")] * 12) == 0
    assert monthly_irr(D("1200"), [D("90")] * 12) < 0


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("12%", RateUnit.YEAR, D("0.12")),
        ("0.12", RateUnit.YEAR, D("0.12")),
        ("0.05%/day", RateUnit.DAY, D("0.0005")),
        ("0.05%", RateUnit.DAY, D("0.0005")),
        ("0.05%/day", RateUnit.YEAR, D("0.1825")),
        ("1%/month", RateUnit.YEAR, D("0.12")),
        ("日0.05%", RateUnit.DAY, D("0.0005")),
        ("18%/year", RateUnit.DAY, D("0.18") / 365),
        ("0", RateUnit.YEAR, D("0")),
    ],
)
def test_parse_rate(text: str, unit: RateUnit, expected: Decimal) -> None:
    assert parse_rate(text, unit=unit) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("12", "err.rate_ambiguous"),
        ("-1%", "err.rate_negative"),
        ("abc", "err.rate_not_number"),
        ("nan%", "err.rate_not_number"),
        ("5000%", "err.rate_too_large"),
        ("", "err.rate_empty"),
    ],
)
def test_parse_rate_refuses(text: str, key: str) -> None:
    with pytest.raises(BadInput) as info:
        parse_rate(text, unit=RateUnit.YEAR)
    assert info.value.key == key


@settings(max_examples=60, deadline=None)
@given(
    st.decimals(min_value=D("1000"), max_value=D("1000000"), places=2),
    st.decimals(min_value=D("0.01"), max_value=D("0.36"), places=4),
    st.integers(min_value=3, max_value=60),
)
def test_irr_recovers_the_contract_rate(principal: Decimal, annual: Decimal, periods: int) -> None:
    """A schedule computed at a rate gives that rate back, within the fen rounding."""
    schedule = annuity_schedule(principal, annual, periods)
    assert sum(schedule) == sum(schedule[:-1]) + schedule[-1]
    apr, _ = annualise(monthly_irr(principal, schedule))
    assert abs(apr - annual * 100) <= D("0.05")


@pytest.mark.parametrize(
    ("text", "per_day"),
    [
        ("0.05%", D("0.0005")),
        ("0.05%/day", D("0.0005")),
        ("0.0005", D("0.0005")),
        ("18%", D("0.18") / 365),
        ("0.18", D("0.18") / 365),
        ("18%/year", D("0.18") / 365),
        ("1.5%/month", D("0.18") / 365),
    ],
)
def test_penalty_rate_without_unit_is_daily_below_one_percent(text: str, per_day: Decimal) -> None:
    assert parse_penalty_rate(text) == per_day
