"""Avalanche and snowball: paying a fixed monthly amount across several debts.

Each month every open balance grows by a month of interest at its contract rate (annual / 12,
rounded to the fen), every debt gets its minimum payment, and what is left of the monthly amount
goes to the priority debt — the highest rate (avalanche) or the smallest balance (snowball) —
spilling over to the next when it is paid off. A paid-off debt's minimum stays in the monthly
amount, so it rolls forward to the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from repaycli.core.money import ZERO, round_fen
from repaycli.core.rates import MONTHS_PER_YEAR

#: A simulation that has not finished after this many months is reported as infeasible.
MAX_MONTHS = 600


class Strategy(StrEnum):
    AVALANCHE = "avalanche"
    SNOWBALL = "snowball"


@dataclass(frozen=True)
class Account:
    """One debt as the simulation sees it: its balance, contract rate and minimum payment."""

    balance: Decimal
    annual_rate: Decimal
    minimum: Decimal


@dataclass(frozen=True)
class Outcome:
    feasible: bool
    #: Total paid to every lender, and the month (1 = the first payment) the last debt is cleared.
    paid: Decimal | None = None
    months: int | None = None


def _priority(
    strategy: Strategy, balances: Sequence[Decimal], accounts: Sequence[Account]
) -> list[int]:
    indexes = range(len(accounts))
    if strategy is Strategy.AVALANCHE:
        return sorted(indexes, key=lambda i: (-accounts[i].annual_rate, balances[i], i))
    return sorted(indexes, key=lambda i: (balances[i], -accounts[i].annual_rate, i))


def simulate(accounts: Sequence[Account], monthly: Decimal, strategy: Strategy) -> Outcome:
    """Pay ``monthly`` every month until every balance is cleared.

    Infeasible when ``monthly`` does not cover the minimums, or nothing is cleared within
    ``MAX_MONTHS``.
    """
    if not accounts or monthly < sum((a.minimum for a in accounts), ZERO):
        return Outcome(feasible=False)
    balances = [a.balance for a in accounts]
    paid = ZERO
    month = 0
    while any(b > 0 for b in balances):
        month += 1
        if month > MAX_MONTHS:
            return Outcome(feasible=False)
        for i, account in enumerate(accounts):
            if balances[i] > 0:
                balances[i] += round_fen(balances[i] * account.annual_rate / MONTHS_PER_YEAR)
        left = monthly
        for i, account in enumerate(accounts):
            pay = min(account.minimum, balances[i])
            balances[i] -= pay
            left -= pay
        for i in _priority(strategy, balances, accounts):
            if left <= 0:
                break
            pay = min(left, balances[i])
            balances[i] -= pay
            left -= pay
        paid += monthly - left
    return Outcome(feasible=True, paid=paid, months=month)
