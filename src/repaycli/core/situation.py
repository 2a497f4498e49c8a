"""What the user can afford (the walk-away line, now and after recovery) and what waiting costs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from repaycli.core.balance import breakdown_of
from repaycli.core.models import Affordability, CostOfWaiting, Debt, Situation
from repaycli.core.money import ZERO, round_fen

HUNDRED = Decimal(100)


def _limit(income: Decimal, situation: Situation) -> tuple[Decimal, Decimal, Decimal | None]:
    """(limit, disposable, deficit) for a monthly ``income``: a share of income − expenses when
    expenses are known (0 when they exceed income, and the deficit says by how much), else a
    share of income."""
    if situation.expenses is None:
        return round_fen(income * situation.share_of_income / HUNDRED), income, None
    left = income - situation.expenses
    disposable = max(left, ZERO)
    deficit = -left if left < 0 else None
    return round_fen(disposable * situation.share_of_disposable / HUNDRED), disposable, deficit


def affordability(situation: Situation) -> Affordability:
    """The monthly limits: one now and, with a recovery date and the income after it, one from
    that date on."""
    limit, disposable, deficit = _limit(situation.income, situation)
    basis = "income" if situation.expenses is None else "disposable"
    share = situation.share_of_income if basis == "income" else situation.share_of_disposable
    after: tuple[Decimal, Decimal, Decimal | None] | None = None
    if situation.income_after is not None and situation.recovery is not None:
        after = _limit(situation.income_after, situation)
    return Affordability(
        limit=limit,
        basis=basis,
        share_percent=share,
        income=situation.income,
        expenses=situation.expenses,
        disposable=disposable,
        deficit=deficit,
        income_after=None if after is None else situation.income_after,
        disposable_after=None if after is None else after[1],
        limit_after=None if after is None else after[0],
        limit_after_from=None if after is None else situation.recovery,
    )


def share_of_disposable(
    payment: Decimal, budget: Affordability, day: date | None = None
) -> Decimal | None:
    """The payment as a percentage of the disposable income in force on ``day`` (after recovery,
    the income after it); ``None`` when there is none."""
    disposable = budget.disposable
    after = budget.limit_after_from
    if day is not None and after is not None and day >= after:
        disposable = budget.disposable_after or ZERO
    if disposable <= 0:
        return None
    return (payment / disposable * HUNDRED).quantize(Decimal("0.01"))


def principal_of(debt: Debt) -> tuple[Decimal, bool]:
    """The principal and whether it is an estimate (``core.balance`` has the whole breakdown)."""
    parts = breakdown_of(debt)
    return parts.principal, parts.principal_estimated


def cost_of_waiting(debt: Debt) -> CostOfWaiting:
    principal, _ = principal_of(debt)
    per_day = principal * debt.penalty_rate
    return CostOfWaiting(
        penalty_rate_daily_percent=(debt.penalty_rate * HUNDRED).quantize(Decimal("0.0001")),
        per_day=round_fen(per_day),
        next_30_days=round_fen(per_day * 30),
        next_90_days=round_fen(per_day * 90),
    )
