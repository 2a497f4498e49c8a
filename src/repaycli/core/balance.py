"""The parts of an overdue balance: principal + interest due + penalty/fees.

Parts the user gives (from the lender's app) are used as given; only the missing parts are
estimated, and only estimates are labelled so. The estimate: the penalty accrued at the debt's
daily rate over the days overdue on the principal (balance = principal × (1 + rate × days)),
and no interest due unless the principal is known and the rest exceeds that penalty.
"""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.models import Debt
from repaycli.core.money import ZERO, round_fen
from repaycli.core.record import Model
from repaycli.errors import BadInput


class Breakdown(Model):
    principal: Decimal
    interest: Decimal
    penalty: Decimal
    principal_estimated: bool
    interest_estimated: bool
    penalty_estimated: bool

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.penalty

    @property
    def bearing(self) -> Decimal:
        """What bears contract interest: the principal and the interest already due (never the
        penalty or fees)."""
        return self.principal + self.interest


def breakdown_of(debt: Debt) -> Breakdown:
    """The debt's balance in parts; raises ``BadInput`` when the given parts exceed the balance
    or leave no principal."""
    overdue = debt.overdue
    given = [x for x in (debt.principal, debt.interest_due, debt.penalty) if x is not None]
    rest = overdue - sum(given, ZERO)
    if rest < 0:
        raise BadInput(
            "plan.err.parts_above",
            parts=f"{sum(given, ZERO):,.2f}",
            overdue=f"{overdue:,.2f}",
        )
    principal, interest, penalty = debt.principal, debt.interest_due, debt.penalty
    growth = 1 + debt.penalty_rate * debt.days_overdue
    if principal is not None:
        if interest is None and penalty is None:
            penalty = min(rest, round_fen(principal * debt.penalty_rate * debt.days_overdue))
            return Breakdown(
                principal=principal,
                interest=rest - penalty,
                penalty=penalty,
                principal_estimated=False,
                interest_estimated=True,
                penalty_estimated=True,
            )
        if interest is None:
            return Breakdown(
                principal=principal,
                interest=rest,
                penalty=penalty or ZERO,
                principal_estimated=False,
                interest_estimated=False,
                penalty_estimated=False,
            )
        if penalty is None:
            return Breakdown(
                principal=principal,
                interest=interest,
                penalty=rest,
                principal_estimated=False,
                interest_estimated=False,
                penalty_estimated=False,
            )
        if rest != 0:
            raise BadInput(
                "plan.err.parts_sum",
                parts=f"{overdue - rest:,.2f}",
                overdue=f"{overdue:,.2f}",
            )
        return Breakdown(
            principal=principal,
            interest=interest,
            penalty=penalty,
            principal_estimated=False,
            interest_estimated=False,
            penalty_estimated=False,
        )
    # No principal given: it is what is left once the other parts are taken out.
    if penalty is None:
        interest_part = interest if interest is not None else ZERO
        estimated_principal = round_fen((overdue - interest_part) / growth)
        penalty = overdue - interest_part - estimated_principal
        result = Breakdown(
            principal=estimated_principal,
            interest=interest_part,
            penalty=penalty,
            principal_estimated=True,
            interest_estimated=interest is None,
            penalty_estimated=True,
        )
    else:
        result = Breakdown(
            principal=rest,
            interest=interest or ZERO,
            penalty=penalty,
            principal_estimated=interest is None,
            interest_estimated=interest is None,
            penalty_estimated=False,
        )
    if result.principal <= 0:
        raise BadInput("plan.err.no_principal", overdue=f"{overdue:,.2f}")
    return result
