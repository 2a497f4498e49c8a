"""What the user can afford, what waiting costs, and the principal behind an overdue balance."""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.models import Affordability, CostOfWaiting, Debt, Situation
from repaycli.core.money import ZERO, round_fen

HUNDRED = Decimal(100)


def affordability(situation: Situation) -> Affordability:
    """The monthly limit: a share of income − expenses when expenses are known, else of income."""
    if situation.expenses is not None:
        disposable = max(situation.income - situation.expenses, ZERO)
        share, basis = situation.share_of_disposable, "disposable"
    else:
        disposable = situation.income
        share, basis = situation.share_of_income, "income"
    return Affordability(
        limit=round_fen(disposable * share / HUNDRED),
        basis=basis,
        share_percent=share,
        income=situation.income,
        expenses=situation.expenses,
        disposable=disposable,
    )


def share_of_disposable(payment: Decimal, budget: Affordability) -> Decimal | None:
    """The payment as a percentage of disposable income (``None`` when there is none)."""
    if budget.disposable <= 0:
        return None
    return (payment / budget.disposable * HUNDRED).quantize(Decimal("0.01"))


def principal_of(debt: Debt) -> tuple[Decimal, bool]:
    """The principal and whether it is an estimate.

    Without a given principal, the penalty accrued at the debt's daily rate over the days overdue
    is taken out of the balance: balance = principal × (1 + rate × days).
    """
    if debt.principal is not None:
        return debt.principal, False
    growth = 1 + debt.penalty_rate * debt.days_overdue
    return round_fen(debt.overdue / growth), True


def cost_of_waiting(debt: Debt) -> CostOfWaiting:
    principal, _ = principal_of(debt)
    per_day = principal * debt.penalty_rate
    return CostOfWaiting(
        penalty_rate_daily_percent=(debt.penalty_rate * HUNDRED).quantize(Decimal("0.0001")),
        per_day=round_fen(per_day),
        next_30_days=round_fen(per_day * 30),
        next_90_days=round_fen(per_day * 90),
    )
