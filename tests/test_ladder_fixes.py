"""The one-debt ladder as a person reads it (issue 20): opening ≤ target ≤ walk-away a month and
in total, the total paid on every line, one route with a zero limit and cash, the cheaper lump
sum first, month ends kept, and counts and zero amounts worded as a person would.

Oracles: dates by ``dateutil.relativedelta`` from the day the plan is made, the APR from
numpy-financial's IRR, and vectors worked by hand in the comments.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import numpy_financial as npf
from dateutil.relativedelta import relativedelta

from helpers import invoke, run
from repaycli.catalog import load_catalogue
from repaycli.core.models import Debt, ProposalKind, Situation
from repaycli.core.plan import work_out

D = Decimal
CATALOGUE = load_catalogue()


def test_a_plan_made_on_31_january_keeps_the_month_ends() -> None:
    # Made on 31 January 2027, first payment a month later: 28 Feb, then 31 Mar, 30 Apr —
    # each counted from 31 January (relativedelta), not chained from 28 February.
    today = date(2027, 1, 31)
    situation = Situation(
        today=today, start=today + relativedelta(months=1), income=D(6500), expenses=D(4200)
    )
    worked = work_out(Debt(platform=CATALOGUE.resolve("jiebei"), overdue=D(10000)), situation)
    target = next(p for p in worked.proposals if p.id == worked.ladder.target)
    dues = [row.due for row in target.schedule]
    assert dues[:3] == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert dues == [today + relativedelta(months=k + 1) for k in range(len(dues))]
    # Every payment whole months after the money is counted: the APR is the contract rate
    # (numpy-financial's IRR of the monthly flows, × 12).
    flows = [-10000.0] + [float(row.amount) for row in target.schedule]
    assert round(npf.irr(flows) * 12 * 100, 2) == 18.00
    assert target.apr_percent == D("18.00")


def test_31_january_through_the_command() -> None:
    env = {"REPAYCLI_TODAY": "2027-01-31"}
    result = invoke(
        "plan", "--platform", "jiebei", "--overdue", "10000", "--income", "6500",
        "--expenses", "4200", "--format", "json", env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    target = next(p for p in plan["proposals"] if p["id"] == plan["ladder"]["target"])
    assert [r["due"] for r in target["schedule"][:3]] == ["2027-02-28", "2027-03-31", "2027-04-30"]
    assert target["apr_percent"] == "18.00"


def test_the_opening_never_asks_more_a_month_than_the_target() -> None:
    # 花呗 8,000, 30 days overdue, limit 1,150: principal 7,881.77 in 7 months would be 1,125.97
    # a month, more than the target's 1,041.44 (8 months, penalty waived at 15 %). Stretched to
    # the target's 8 months, interest-free: 7,881.77 / 8 = 985.22 (the last 985.23).
    result = invoke(
        "plan", "--platform", "huabei", "--overdue", "8000", "--days-overdue", "30",
        "--income", "6500", "--expenses", "4200", "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Open   ¥985.22 a month for 8 months clears the principal; ¥7,881.77 paid in" in out
    # The total actually paid is on the target's line too (8 × 1,041.44 + the rounding).
    assert "¥8,331.54 paid in all" in out
    assert "1,125.97" not in out


def test_a_zero_limit_with_cash_is_one_route() -> None:
    # Expenses eat the income, but 6,000 in cash covers the principal (4,901.96): pay it now.
    # The card must not also say "agree to no payment now; ask only for a pause".
    args = ["plan", "--platform", "jiebei", "--overdue", "5000", "--days-overdue", "40",
            "--income", "3000", "--expenses", "3000", "--cash", "6000"]  # fmt: skip
    done = run(*args, "--lang", "en")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "pay the principal, ¥4,901.96, now; the rest (¥98.04) waived" in out
    assert "ask only for a pause" not in out and "pause of" not in out
    assert "¥0.00" not in out
    zh = invoke(*args, "--lang", "zh")
    assert "只申请暂停" not in zh.stdout and not re.search(r"(?<![\d,])0\.00 元", zh.stdout)


def test_the_cheaper_lump_sum_comes_before_paying_everything() -> None:
    # 13,447 owed with 90 days of penalty; the cash covers all of it. The principal now, the
    # penalty waived, is the opening; paying everything is the target.
    situation = Situation(
        today=date(2026, 12, 1), start=date(2027, 1, 1), income=D(6000), expenses=D(3000),
        cash=D(20000),
    )  # fmt: skip
    debt = Debt(platform=CATALOGUE.resolve("zhaohang"), overdue=D(13447), days_overdue=90)
    worked = work_out(debt, situation)
    by_id = {p.id: p for p in worked.proposals}
    opening, target = by_id[worked.ladder.opening or ""], by_id[worked.ladder.target or ""]
    assert (opening.kind, target.kind) == (ProposalKind.LUMP_SUM, ProposalKind.PAY_NOW)
    assert opening.total < target.total == D(13447)


def test_counts_and_zero_amounts_read_as_a_person_would() -> None:
    # 300 owed, nothing but principal, a 200 limit: 2 months; 150 owed: 1 month — and nothing
    # is waived, so no "(¥0.00) waived".
    for overdue, months in (("150", "1 month"), ("300", "2 months")):
        result = invoke(
            "plan", "--platform", "jiebei", "--overdue", overdue, "--income", "400",
            "--expenses", "0", "--lang", "en", "--format", "markdown",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "1 months" not in result.stdout and "1 payments" not in result.stdout
        assert "(¥0.00) waived" not in result.stdout
        if months == "2 months":
            assert "for 2 months" in result.stdout
