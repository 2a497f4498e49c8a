"""The debt register's records, and agreements as commitments (pure: no files, no clock).

An agreement's unpaid installments are spoken for: they come off the monthly limit before the
rest is shared among the lenders still negotiating. ``limit_schedule`` turns the limit in force
and the commitments into the limit left to share, as a schedule of (from-date, amount) — the
form the several-debt engine takes — and names every month where the agreements alone take more
than the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from repaycli.core.dates import add_months
from repaycli.core.money import ZERO
from repaycli.core.record import Field, Model

STATUSES = ("negotiating", "agreed", "paid_off", "sold")
#: A debt's fields, as ``debts add`` and a debts file give them.
DEBT_FIELDS = (
    "platform",
    "overdue",
    "principal",
    "interest",
    "penalty",
    "days_overdue",
    "annual_rate",
    "penalty_rate",
)
BUDGET_FIELDS = ("income", "expenses", "recovery", "income_after", "limit_share", "reason")


class RegisterDebt(Model):
    id: int
    #: The catalogue's platform id (``huabei``) or a name the catalogue resolves.
    platform: str
    overdue: Decimal
    principal: Decimal | None = None
    interest: Decimal | None = None
    penalty: Decimal | None = None
    days_overdue: int = 0
    annual_rate: Decimal | None = None
    penalty_rate: Decimal | None = None
    status: str = "negotiating"
    sold_to: str | None = None
    note: str | None = None
    #: The agreements (not voided) that belong to this debt.
    agreements: list[int] = Field(default_factory=list)
    #: Paid so far under those agreements.
    paid: Decimal = ZERO
    #: What is still due under them (``None`` without an agreement).
    agreed_left: Decimal | None = None

    @property
    def balance(self) -> Decimal:
        """What is still owed: what the agreements still ask, else the overdue amount less
        what was paid."""
        if self.agreed_left is not None:
            return self.agreed_left
        return max(self.overdue - self.paid, ZERO)

    @property
    def cleared(self) -> bool:
        return self.status == "paid_off" or self.balance == 0

    @property
    def shared(self) -> bool:
        """Whether the plan shares the limit with it: owed, and no agreement settles it yet."""
        return not self.cleared and not self.agreements and self.status != "agreed"


class Budget(Model):
    income: Decimal | None = None
    expenses: Decimal | None = None
    recovery: date | None = None
    income_after: Decimal | None = None
    limit_share: Decimal | None = None
    reason: str | None = None


class Commitment(Model):
    """One agreement's installments: (due, amount, paid)."""

    debt_id: int
    agreement_id: int
    platform: str
    installments: list[tuple[date, Decimal, Decimal]]

    def left_on(self, day: date) -> Decimal:
        return sum((a - p for d, a, p in self.installments if d == day), ZERO)


class HistoryRow(Model):
    id: int
    at: str
    who: str
    what: str
    debt_id: int | None
    change: dict[str, object]


class CurrentPlan(Model):
    made_at: str
    as_of: date
    version: int
    source: str
    result: str
    household: str


class Dated(Model):
    """An amount due or paid on a date."""

    on: date
    amount: Decimal


class LimitStep(Model):
    start: date
    amount: Decimal


class Overcommitted(Model):
    """A month whose agreed installments alone exceed the limit in force."""

    due: date
    limit: Decimal
    agreed: Decimal

    @property
    def excess(self) -> Decimal:
        return self.agreed - self.limit


class LimitSchedule(Model):
    """The limit left to share, month by month (``steps``: from-date and amount, each step a
    change), and the months the agreements alone exceed the limit."""

    start: date
    steps: list[LimitStep]
    committed: list[Decimal]
    over: list[Overcommitted]

    def on(self, day: date) -> Decimal:
        amount = self.steps[0].amount
        for step in self.steps:
            if step.start <= day:
                amount = step.amount
        return amount


def month_index(start: date, day: date) -> int:
    """The plan month an installment due on ``day`` falls in: the first due date on or after
    it (anything due before the plan's first due date falls in its first month)."""
    month = 0
    while add_months(start, month) < day:
        month += 1
    return month


def limit_schedule(
    limit_on: Callable[[date], Decimal],
    commitments: Sequence[Commitment],
    *,
    start: date,
    months: int,
) -> LimitSchedule:
    """The limit in force less the agreed installments still unpaid, month by month from
    ``start`` for ``months`` months (and the limit itself after them, as a last step)."""
    committed = [ZERO] * months
    for commitment in commitments:
        for due, amount, paid in commitment.installments:
            left = amount - paid
            if left <= 0:
                continue
            m = month_index(start, due)
            if m < months:
                committed[m] += left
    steps: list[LimitStep] = []
    over: list[Overcommitted] = []
    for m in range(months + 1):
        due = add_months(start, m)
        limit = limit_on(due)
        agreed = committed[m] if m < months else ZERO
        if agreed > limit:
            over.append(Overcommitted(due=due, limit=limit, agreed=agreed))
        amount = max(limit - agreed, ZERO)
        if not steps or steps[-1].amount != amount:
            steps.append(LimitStep(start=due, amount=amount))
    return LimitSchedule(start=start, steps=steps, committed=committed, over=over)
