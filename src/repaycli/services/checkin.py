"""``remind``'s monthly check-in for a household with a current plan: per agreement, what was due
so far against what was paid, and which are behind; after a change of budget, which agreements no
longer fit, and a new current plan for the rest; and each lender still negotiating, with its line
in force this month and how it changes after."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from repaycli.core.money import ZERO
from repaycli.core.record import Field, Model
from repaycli.core.register import LimitStep  # noqa: TC001 (pydantic reads it at run time)

if TYPE_CHECKING:
    from repaycli.core.register import Commitment
    from repaycli.services.household import Household


class AgreementCheck(Model):
    agreement_id: int
    debt_id: int
    platform: str
    due: Decimal
    paid: Decimal

    @property
    def behind(self) -> Decimal:
        return max(self.due - self.paid, ZERO)


class LineCheck(Model):
    """A lender still negotiating: its walk-away line from the one in force this month on."""

    platform: str
    lines: list[LimitStep]


class CheckIn(Model):
    month: str
    agreements: list[AgreementCheck]
    #: Each lender the household plan shares the limit with, and its line from now on.
    lines: list[LineCheck] = Field(default_factory=list)
    #: After a change of budget: agreements whose installments no longer fit the limit.
    no_longer_fit: list[AgreementCheck] = Field(default_factory=list)
    #: A new current plan was made (the budget changed since the last one).
    replanned: date | None = None


def due(conn: sqlite3.Connection, *, day: date) -> bool:
    """Whether a check-in is to be given (read only: ``remind`` opens the database for writing
    only then)."""
    from repaycli import store_register

    plan = store_register.current_plan(conn)
    if plan is None:
        return False
    changed = store_register.budget_changed_since(conn, plan.version)
    return changed or not store_register.checked_in(conn, day.strftime("%Y-%m"))


def check_in(conn: sqlite3.Connection, *, day: date, at: datetime) -> CheckIn | None:
    """This month's check-in, once a month (and again whenever the budget changed since the
    current plan); ``None`` when there is nothing to say or no current plan."""
    from repaycli import store_register

    plan = store_register.current_plan(conn)
    if plan is None:
        return None
    month = day.strftime("%Y-%m")
    changed = store_register.budget_changed_since(conn, plan.version)
    if store_register.checked_in(conn, month) and not changed:
        return None
    commitments = [
        c for c in store_register.commitments(conn) if any(a > p for _, a, p in c.installments)
    ]
    checks = [
        AgreementCheck(
            agreement_id=c.agreement_id,
            debt_id=c.debt_id,
            platform=c.platform,
            due=sum((a for d, a, _ in c.installments if d <= day), ZERO),
            paid=sum((p for _, _, p in c.installments), ZERO),
        )
        for c in commitments
    ]
    unfit: list[AgreementCheck] = []
    replanned: date | None = None
    from repaycli.services.household import load_household

    household = load_household(plan)
    if changed:
        from repaycli.services.household import make_current_plan

        household = make_current_plan(conn, day=day, at=at, source="remind")
        replanned = day
        unfit_ids = unfit_agreements(household, commitments)
        unfit = [c for c in checks if c.agreement_id in unfit_ids]
    if not checks and replanned is None:
        return None
    store_register.record_check_in(conn, month, at=at)
    lines = [
        LineCheck(platform=x.platform, lines=lines_from(x.lines, day))
        for x in household.lenders
        if x.lines
    ]
    return CheckIn(
        month=month, agreements=checks, lines=lines, no_longer_fit=unfit, replanned=replanned
    )


def lines_from(steps: Sequence[LimitStep], day: date) -> list[LimitStep]:
    """A line's steps from the one in force on ``day`` on (before its first: all of them)."""
    now = 0
    for n, step in enumerate(steps):
        if step.start <= day:
            now = n
    return list(steps[now:])


def unfit_agreements(household: Household, commitments: Sequence[Commitment]) -> set[int]:
    """The agreements with an installment in a month whose agreements alone exceed the limit."""
    from repaycli.core.dates import add_months
    from repaycli.core.register import month_index

    over = {o.due for o in household.over}
    start = household.start
    found: set[int] = set()
    for c in commitments:
        months = {add_months(start, month_index(start, d)) for d, a, p in c.installments if a > p}
        if months & over:
            found.add(c.agreement_id)
    return found


def after_budget_change(conn: sqlite3.Connection, *, day: date) -> list[tuple[int, str]]:
    """``debts edit --income …``: the agreements (id, platform) that no longer fit the new
    budget, worked out without changing the current plan."""
    from repaycli import store_register
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file
    from repaycli.services.household import plan_household

    commitments = [
        c for c in store_register.commitments(conn) if any(a > p for _, a, p in c.installments)
    ]
    debts = store_register.list_debts(conn)
    budget = store_register.get_budget(conn)
    if not commitments or budget.income is None:
        return []
    household = plan_household(
        debts,
        budget,
        commitments,
        day=day,
        version=store_register.version(conn),
        catalogue=load_catalogue(user_platforms_file()),
    )
    ids = unfit_agreements(household, commitments)
    return [(c.agreement_id, c.platform) for c in commitments if c.agreement_id in ids]
