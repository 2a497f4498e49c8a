"""What keeps ``plan`` quick (issue 13) without changing a byte of its output: plain result
classes instead of pydantic models, JSON written without pydantic, dates shifted without
dateutil, and an IRR bisection that asks ``Decimal`` only where floats cannot tell. Timings are
``benchmarks/startup.py``'s; nothing here is timed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from repaycli.catalog import check, load_catalogue
from repaycli.core import models
from repaycli.core.dates import _shift, add_months, months_from
from repaycli.core.models import Installment, Money, Percent, Rate, Reason
from repaycli.core.rates import MAX_MONTHLY_IRR, RateOutOfRange, _npv, irr_of_flows
from repaycli.core.record import Field, Model
from repaycli.render.json import to_json

D = Decimal
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _loaded_after(args: list[str], tmp_path: Path) -> tuple[str, set[str]]:
    """stdout of ``repaycli ARGS`` run in a fresh interpreter (piped), and the modules it loaded."""
    code = (
        "import sys\n"
        f"sys.argv = ['repaycli', *{args!r}]\n"
        "from repaycli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\nLOADED', ' '.join(sorted(sys.modules)))\n"
    )
    env = {"REPAYCLI_HOME": str(tmp_path), "REPAYCLI_LANG": "en", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    out, _, loaded = done.stdout.rpartition("\nLOADED ")
    return out, set(loaded.split())


ONE_DEBT = ["plan", "--no-input", "--platform", "huabei", "--overdue", "8000", "--income", "9000"]


@pytest.mark.parametrize(
    "args",
    [ONE_DEBT, ["plan", "--no-input", "--debts", str(EXAMPLES / "debts.toml")]],
    ids=["one debt", "several debts"],
)
def test_plan_loads_no_pydantic_and_json_loads_no_rich(args: list[str], tmp_path: Path) -> None:
    out, loaded = _loaded_after(args, tmp_path)
    assert "Huabei" in out or "huabei" in out
    assert "pydantic" not in loaded
    out, loaded = _loaded_after([*args, "--json"], tmp_path)
    assert json.loads(out)["schema_version"] == (3 if "--debts" in args else 2)
    assert not {"pydantic", "rich", "dateutil"} & loaded


class Sample(Model):
    money: Money
    rate: Rate
    share: Percent | None
    maybe: Money | None = None
    amounts: dict[str, Money] = Field(default_factory=dict)
    schedule: list[Installment] = Field(default_factory=list)
    reason: Reason | None = None
    day: date
    plain: Decimal


class Holder(BaseModel):
    schedule: list[Installment]


def test_json_of_plain_results_is_what_pydantic_wrote() -> None:
    one = Installment(n=1, due=date(2027, 1, 31), amount=D("12.5"))
    sample = Sample(
        money=D("1234.5"),
        rate=D("0.000500"),
        share=D("12.8"),
        amounts={"huabei": D("7"), "中文": D("0.125")},
        schedule=[one],
        reason=Reason.MEDICAL,
        day=date(2027, 2, 28),
        plain=D("1.50"),
    )
    assert json.loads(to_json(sample)) == {
        "money": "1234.50",
        "rate": "0.0005",
        "share": "12.80",
        "maybe": None,
        "amounts": {"huabei": "7.00", "中文": "0.12"},
        "schedule": [{"n": 1, "due": "2027-01-31", "amount": "12.50"}],
        "reason": "medical",
        "day": "2027-02-28",
        "plain": "1.50",
    }
    # a pydantic model holding the same dataclass writes it the same way, indent and all
    assert to_json(Holder(schedule=[one])) == to_json({"schedule": [one]})
    assert "中文" in to_json(sample)  # not escaped


def test_result_classes_are_frozen_and_copy_like_pydantic_models() -> None:
    sample = Sample(money=D(1), rate=D(0), share=None, day=date(2027, 1, 1), plain=D(0))
    with pytest.raises(AttributeError):
        sample.money = D(2)  # type: ignore[misc]
    copy = sample.model_copy(update={"money": D(3)})
    assert (copy.money, sample.money, copy.day) == (D(3), D(1), sample.day)
    assert copy != sample and sample.model_copy() == sample
    assert (
        sample.model_dump()["amounts"] == {}
        and sample.amounts
        is not Sample(money=D(1), rate=D(0), share=None, day=date(2027, 1, 1), plain=D(0)).amounts
    )  # each gets its own default
    with pytest.raises(TypeError, match="missing"):
        Sample(money=D(1))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected"):
        Sample(money=D(1), rate=D(0), share=None, day=date(2027, 1, 1), plain=D(0), x=1)  # type: ignore[call-arg]
    every = dict(money=D(1), rate=D(0), share=None, maybe=None, amounts={}, schedule=[],
                 reason=None, day=date(2027, 1, 1), plain=D(0))  # fmt: skip
    assert Sample(**every) == Sample(**dict(reversed(every.items())))
    assert list(Sample(**dict(reversed(every.items()))).model_dump()) == list(every)
    with pytest.raises(TypeError, match="unexpected"):  # as many fields, one misspelt
        Sample(**{**{k: v for k, v in every.items() if k != "plain"}, "plian": D(0)})
    frozen = {**every, "amounts": (), "schedule": ()}
    assert hash(Sample(**frozen)) == hash(Sample(**dict(reversed(frozen.items()))))


def test_the_user_file_check_has_exactly_the_platform_fields() -> None:
    assert tuple(check.Platform.model_fields) == models.Platform.model_fields_order


def test_the_shipped_catalogue_passes_the_user_file_check(tmp_path: Path) -> None:
    """Without a user file the shipped catalogue is built without pydantic; with an empty one
    every platform goes through ``catalog.check``: the two give the same platforms."""
    user = tmp_path / "platforms.toml"
    user.write_text("", encoding="utf-8")
    assert load_catalogue(user) == load_catalogue(None)


@settings(max_examples=300)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=-600, max_value=600),
)
def test_shift_is_relativedelta_months(day: date, months: int) -> None:
    assert add_months(day, months) == day + relativedelta(months=months)
    assert _shift(day, months) == day + relativedelta(months=months)


@settings(max_examples=200)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=0, max_value=4000),
)
def test_months_from_counts_whole_months_as_relativedelta_does(start: date, days: int) -> None:
    day = start + timedelta(days=days)
    months = int(months_from(start, day))
    assert start + relativedelta(months=months) <= day < start + relativedelta(months=months + 1)


def _plain_bisection(flows: list[tuple[Decimal, Decimal]]) -> Decimal:
    """``irr_of_flows`` before issue 13: ``_npv`` at every midpoint."""
    low, high = D("-0.99"), MAX_MONTHLY_IRR
    if _npv(high, flows) < 0 or _npv(low, flows) > 0:
        raise RateOutOfRange("out")
    for _ in range(72):
        mid = (low + high) / 2
        if _npv(mid, flows) < 0:
            low = mid
        else:
            high = mid
    return (low + high) / 2


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=100, max_value=500_000),
    st.lists(st.integers(min_value=1, max_value=60_000), min_size=1, max_size=36),
    st.lists(st.integers(min_value=0, max_value=30), min_size=36, max_size=36),
    st.booleans(),
)
def test_irr_is_exactly_the_plain_bisection(
    advance: int, payments: list[int], offsets: list[int], mixed: bool
) -> None:
    """Same digits, all 34 of them: the floats only tell the bisection what it would find."""
    flows = [(D(0), D(advance))] + [
        (D(k + 1) + D(offsets[k]) / 31, -D(p) / 100) for k, p in enumerate(payments)
    ]
    if mixed:  # a payment received later: no shortcut, the plain bisection throughout
        flows.append((D(len(payments) + 1), D(payments[0]) / 100))
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 34
        try:
            expected: Decimal | str = _plain_bisection(flows)
        except RateOutOfRange:
            expected = "out of range"
    try:
        got: Decimal | str = irr_of_flows(flows)
    except RateOutOfRange:
        got = "out of range"
    if sum(a for _, a in flows) == 0:
        expected = D(0)
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=100, max_value=500_000),
    st.lists(st.integers(min_value=1, max_value=60_000), min_size=1, max_size=60),
)
def test_the_float_root_comes_from_newton_and_is_the_bisections(
    advance: int, payments: list[int]
) -> None:
    """Newton's method gives the bracket's float guess in a handful of steps; when it settles,
    it settles where the float bisection does (the Decimal check after it keeps the digits)."""
    from repaycli.core.rates import _float_bisection, _newton

    floats = [(0.0, float(advance))] + [(k + 1.0, -p / 100) for k, p in enumerate(payments)]
    root = _newton(floats)
    if root is None:  # outside -90 % .. 1,000 % a month: the bisection is used instead
        return
    bisected = _float_bisection(floats)
    assert abs(root - bisected) <= 1e-12 * max(1.0, abs(bisected))


def test_newton_settles_for_an_ordinary_plan() -> None:
    from repaycli.core.rates import _newton

    import numpy_financial as npf

    floats = [(0.0, 10_000.0)] + [(k + 1.0, -900.0) for k in range(12)]
    root = _newton(floats)
    assert root is not None
    assert abs(root - float(npf.irr([10_000.0] + [-900.0] * 12))) < 1e-12  # 1.2043 % a month
