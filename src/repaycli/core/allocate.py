"""Several debts, one budget: a month-by-month allocation that always gives an answer.

Each month, on the plan's due date:

1. every open debt's interest-bearing part (principal + interest due) grows by a month of its
   contract interest (annual / 12, rounded to the fen); penalties and fees bear none;
2. the capacity is the limit in force that day (``Affordability.limit_on``, or a changed limit
   from a what-if) plus any one-off extra payment falling due that month;
3. the capacity is shared by the strategy — ``avalanche`` (dearest first), ``snowball``
   (smallest balance first), ``priority`` (consequence first: a credit card of ¥50,000 or more,
   then other cards, bank and consumer loans, other credit, buy-now-pay-later) or ``prorata``
   (in proportion to each debt's overdue balance, as debt charities write to creditors) — each
   debt taking no more than it owes; what one debt cannot take goes to the others the same month,
   so no capacity is left unused while any debt remains (but in the month the last is cleared);
4. a payment goes to the interest-bearing part first, then to the penalty and fees.

The simulation runs until every debt is cleared or ``HORIZON`` months have passed; beyond
``MAX_TERM`` (60) months the answer says so and gives the limit that would clear everything in 60.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from repaycli.core.dates import due_date
from repaycli.core.models import PlatformKind
from repaycli.core.money import FEN, ZERO, round_fen
from repaycli.core.rates import MONTHS_PER_YEAR
from repaycli.core.record import Field, Model
from repaycli.core.schedules import MAX_TERM

#: The simulation stops after this many months (an answer "beyond 60 months" is still given).
HORIZON = 600
#: A balance the simulation gives up on: interest has outgrown every payment (a rate such as
#: 110 % against a small budget), and the balance would soon outgrow ``Decimal``'s precision.
RUNAWAY = Decimal(10) ** 15
#: A credit card balance from which malicious-overdraft risk is "a large amount" (FACTS.md).
LARGE_CARD_BALANCE = Decimal(50000)

#: Consequence of not paying, most serious first (``priority``).
CONSEQUENCE = {
    PlatformKind.CREDIT_CARD: 1,
    PlatformKind.CONSUMER_LOAN: 2,
    PlatformKind.OTHER: 3,
    PlatformKind.BNPL: 4,
}


class Strategy(StrEnum):
    AVALANCHE = "avalanche"
    SNOWBALL = "snowball"
    PRORATA = "prorata"
    PRIORITY = "priority"


class Account(Model):
    """One debt as the allocation sees it."""

    id: str
    bearing: Decimal
    flat: Decimal
    annual_rate: Decimal
    kind: PlatformKind
    #: Its overdue balance at the start: the weight in ``prorata``.
    overdue: Decimal
    #: The rate that ranks it (``avalanche``, ``priority``) when it differs from the rate it
    #: bears here: the contract rate of a debt asked to stop interest still ranks it.
    rank_rate: Decimal | None = None

    @property
    def dearness(self) -> Decimal:
        return self.annual_rate if self.rank_rate is None else self.rank_rate

    @property
    def consequence(self) -> int:
        if self.kind is PlatformKind.CREDIT_CARD and self.overdue >= LARGE_CARD_BALANCE:
            return 0
        return CONSEQUENCE[self.kind]


class _Open:
    """A debt still open while the months are walked: what is left of it (changed in place)."""

    __slots__ = ("account", "bearing", "flat")

    def __init__(self, account: Account, bearing: Decimal, flat: Decimal) -> None:
        self.account = account
        self.bearing = bearing
        self.flat = flat

    @property
    def owed(self) -> Decimal:
        return self.bearing + self.flat


class Outcome(Model):
    """What a strategy does with the capacity: each debt's payment in each month."""

    strategy: Strategy
    dues: list[date]
    #: Capacity each month (limit in force plus extras).
    capacity: list[Decimal]
    payments: dict[str, list[Decimal]]
    #: Month index (0-based) each debt is cleared in; absent when not within the horizon.
    payoff: dict[str, int] = Field(default_factory=dict)

    @property
    def cleared(self) -> bool:
        return len(self.payoff) == len(self.payments)

    @property
    def months(self) -> int | None:
        """Months to debt-free, or ``None`` when not within the horizon."""
        return max(self.payoff.values()) + 1 if self.cleared and self.payoff else None

    @property
    def total_paid(self) -> Decimal:
        return sum((sum(column, ZERO) for column in self.payments.values()), ZERO)

    def paid_to(self, debt_id: str) -> Decimal:
        return sum(self.payments[debt_id], ZERO)


def _order(strategy: Strategy, open_debts: Sequence[_Open], first: Sequence[str]) -> list[_Open]:
    def key(debt: _Open) -> tuple[object, ...]:
        a = debt.account
        named = first.index(a.id) if a.id in first else len(first)
        if strategy is Strategy.AVALANCHE:
            return (named, -a.dearness, debt.owed, a.id)
        if strategy is Strategy.SNOWBALL:
            return (named, debt.owed, -a.dearness, a.id)
        return (named, a.consequence, -a.dearness, debt.owed, a.id)

    return sorted(open_debts, key=key)


def _prorata(capacity: Decimal, open_debts: Sequence[_Open]) -> dict[str, Decimal]:
    """Shares of ``capacity`` in proportion to each debt's starting balance, none above what the
    debt owes; what a debt cannot take is shared again among the rest (water-filling). Shares
    are rounded down to the fen and the fen left over go one by one in the debts' order."""
    paid = {d.account.id: ZERO for d in open_debts}
    left = capacity
    active = [d for d in open_debts if d.owed > 0]
    while left > 0 and active:
        weight = sum((d.account.overdue for d in active), ZERO)
        shares = {
            d.account.id: (left * d.account.overdue / weight).quantize(FEN, rounding=ROUND_DOWN)
            for d in active
        }
        spare = left - sum(shares.values(), ZERO)
        for d in active:
            if spare <= 0:
                break
            shares[d.account.id] += FEN
            spare -= FEN
        capped = []
        for d in active:
            room = d.owed - paid[d.account.id]
            take = min(shares[d.account.id], room)
            paid[d.account.id] += take
            left -= take
            if take == room:
                capped.append(d)
        if not capped:
            break
        active = [d for d in active if d not in capped]
    return paid


def simulate(
    accounts: Sequence[Account],
    strategy: Strategy,
    *,
    start: date,
    limit_on: Callable[[date], Decimal],
    extras: Mapping[int, Decimal] | None = None,
    first: Sequence[str] = (),
    horizon: int = HORIZON,
    anchor: date | None = None,
) -> Outcome:
    """Allocate the capacity month by month until every debt is cleared (or ``horizon``)."""
    extras = extras or {}
    state = [_Open(a, a.bearing, a.flat) for a in accounts]
    payments: dict[str, list[Decimal]] = {a.id: [] for a in accounts}
    payoff: dict[str, int] = {}
    dues: list[date] = []
    capacity: list[Decimal] = []
    for month in range(horizon):
        open_debts = [d for d in state if d.owed > 0]
        if not open_debts or any(d.owed > RUNAWAY for d in open_debts):
            break  # all cleared, or one never will be
        due = due_date(start, month, anchor)
        dues.append(due)
        for debt in open_debts:  # a month's interest, divided last so it rounds exactly
            debt.bearing += round_fen(debt.bearing * debt.account.annual_rate / MONTHS_PER_YEAR)
        room = limit_on(due) + extras.get(month, ZERO)
        capacity.append(room)
        if strategy is Strategy.PRORATA:
            paid = _prorata(room, _order(Strategy.PRIORITY, open_debts, first))
        else:
            paid = {}
            for debt in _order(strategy, open_debts, first):
                take = min(room, debt.owed)
                paid[debt.account.id] = take
                room -= take
        for debt in state:
            amount = paid.get(debt.account.id, ZERO)
            payments[debt.account.id].append(amount)
            if amount:
                to_bearing = min(amount, debt.bearing)
                debt.bearing -= to_bearing
                debt.flat -= amount - to_bearing
                if debt.owed == 0:
                    payoff[debt.account.id] = month
    return Outcome(
        strategy=strategy, dues=dues, capacity=capacity, payments=payments, payoff=payoff
    )


def limit_for_term(
    accounts: Sequence[Account],
    strategy: Strategy,
    *,
    start: date,
    term: int = MAX_TERM,
    first: Sequence[str] = (),
    anchor: date | None = None,
) -> Decimal:
    """The smallest steady monthly limit (to the fen) that clears every debt within ``term``
    months under ``strategy``."""

    def clears(limit: Decimal) -> bool:
        outcome = simulate(
            accounts,
            strategy,
            start=start,
            limit_on=lambda _: limit,
            first=first,
            horizon=term,
            anchor=anchor,
        )
        return outcome.cleared

    owed = sum((a.bearing + a.flat for a in accounts), ZERO)
    low, high = ZERO, max(owed, FEN)
    while not clears(high):  # interest can make even the whole balance a month too little
        low, high = high, high * 2
    while high - low > FEN:
        mid = ((low + high) / 2).quantize(FEN, rounding=ROUND_DOWN)
        if clears(mid):
            high = mid
        else:
            low = mid
    return high
