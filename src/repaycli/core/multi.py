"""Several debts at once: one budget shared by a month-by-month allocation (``core.allocate``).

The chosen strategy's allocation is the plan: each lender's ask is its column — its share of the
limit, rising when another debt is cleared, with a pause until its turn when it gets nothing at
first — and its walk-away line is the most it gets in any month. Every strategy is simulated for
the comparison; what-ifs (one-off extra payments, a changed limit from a date) are compared with
the same strategy without them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from repaycli.core.allocate import Account, Outcome, Strategy, limit_for_term, simulate
from repaycli.core.balance import breakdown_of
from repaycli.core.checklist import ChecklistSource
from repaycli.core.dates import add_months, due_date
from repaycli.core.household import (
    HouseholdSummary,
    LenderTerms,
    LimitStep,
    Status,
    in_force,
    limits_from,
    negotiated,
    normalised,
)
from repaycli.core.models import (
    Affordability,
    Checklist,
    CostOfWaiting,
    Debt,
    DebtSummary,
    HardshipRoute,
    Installment,
    Ladder,
    LogField,
    LogTemplate,
    Money,
    Proposal,
    Reason,
    Situation,
)
from repaycli.core.money import ZERO
from repaycli.core.plan import Worked, checklist_for, summarise
from repaycli.core.proposals import DEFAULT_PAUSE_MONTHS
from repaycli.core.record import Field, Model
from repaycli.core.schedules import MAX_TERM
from repaycli.core.situation import affordability, cost_of_waiting
from repaycli.errors import BadInput

#: 3: each lender negotiated inside its share (``household``, ``lines``, ``reduction_needed``).
SCHEMA_VERSION = 3


class LenderAsk(Model):
    """What to ask one lender for: its column of the allocation."""

    #: No payments to this lender before this date (a pause asked for), else ``None``.
    pause_until: date | None
    first_due: date | None
    payment: Money
    #: The payment from ``changes_from`` on, when the share changes (another debt cleared, the
    #: limit changed); ``None`` when it stays the same.
    payment_later: Money | None
    changes_from: date | None
    #: Its share of the limit now: its walk-away line (``payment_later`` from ``changes_from``).
    walk_away: Money
    months: int
    payoff: date | None
    #: Payments that hold a one-off extra (a bonus, help from family), listed apart.
    extras: list[Installment] = Field(default_factory=list)


class DebtPlan(DebtSummary):
    """One lender's part of a several-debt plan: its summary, its ask (the opening), its
    walk-away line as a schedule, its proposals and ladder (negotiated inside its line), and
    its checklist."""

    id: str
    cost_of_waiting: CostOfWaiting
    ask: LenderAsk
    #: What the household allocation its line comes from pays it in all (``monthly``).
    paid: Money
    #: Its walk-away line: its share of the limit from each date it changes.
    lines: list[LimitStep]
    #: The proposals worked out inside its line (the opening and target among them).
    proposals: list[Proposal]
    ladder: Ladder
    #: On the hardship route: the principal its line leaves unpaid in 60 months (yuan).
    reduction_needed: Money | None
    checklist: Checklist


class MonthRow(Model):
    month: int
    due: date
    capacity: Money
    amounts: dict[str, Money]
    total: Money
    unused: Money


class StrategyResult(Model):
    name: Strategy
    #: Months to debt-free; ``None`` when not cleared within the simulation's horizon.
    months: int | None
    within_term: bool
    finish: date | None
    total_paid: Money | None
    total_cost: Money | None
    #: The steady monthly limit that would clear everything in 60 months (when it is beyond).
    limit_for_term: Money | None
    payoff: dict[str, date | None]


class Extra(Model):
    """A one-off payment (a bonus, a relative's help) and the due date it goes to."""

    amount: Money
    on: date
    due: date


class LimitChange(Model):
    """The monthly limit from a date on (a what-if: a new job, a pay cut)."""

    amount: Money
    start: date


class WhatIf(Model):
    extras: list[Extra]
    limit_change: LimitChange | None
    #: The same strategy without the what-ifs.
    baseline: StrategyResult
    months_saved: int | None
    money_saved: Money | None


class MultiPlanResult(Model):
    schema_version: int = SCHEMA_VERSION
    kind: Literal["several_debts"] = "several_debts"
    as_of: date
    lang: str
    reason: Reason | None
    recovery: date | None
    affordability: Affordability
    strategy: Strategy
    total_overdue: Money
    total_principal: Money
    plan: StrategyResult
    #: The household's negotiation: the limit schedule, the opening, target and walk-away
    #: scenarios, and whether it fits, needs interest stopped, or takes the hardship route.
    household: HouseholdSummary
    debts: list[DebtPlan]
    monthly: list[MonthRow]
    compare: list[StrategyResult]
    what_if: WhatIf | None
    #: When nothing can be paid at all (a zero limit with no extras): pause, letter, help.
    hardship: HardshipRoute | None
    log_template: LogTemplate


def debt_ids(debts: Sequence[Debt]) -> list[str]:
    """A short id for each debt: its platform id, with ``-2``, ``-3`` … for repeats."""
    seen: dict[str, int] = {}
    ids = []
    for debt in debts:
        base = debt.platform.id
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def accounts_of(debts: Sequence[Debt], ids: Sequence[str]) -> list[Account]:
    accounts = []
    for debt_id, debt in zip(ids, debts, strict=True):
        parts = breakdown_of(debt)
        accounts.append(
            Account(
                id=debt_id,
                bearing=parts.bearing,
                flat=parts.penalty,
                annual_rate=debt.contract_rate,
                kind=debt.platform.kind,
                overdue=debt.overdue,
            )
        )
    return accounts


class Scenario(Model):
    """The what-ifs: extra payments by month index, and a changed limit."""

    extras: dict[int, Decimal]
    limit_change: LimitChange | None

    def limit_on(self, budget: Affordability) -> Callable[[date], Decimal]:
        change = self.limit_change

        def limit(day: date) -> Decimal:
            if change is not None and day >= change.start:
                return change.amount
            return budget.limit_on(day)

        return limit


def extras_by_month(
    extras: Sequence[tuple[Decimal, date]], start: date, anchor: date | None = None
) -> tuple[list[Extra], dict[int, Decimal]]:
    """Each extra goes to the first due date on or after its day: the extras as placed, and the
    amount added to each month (by index from ``start``)."""
    placed: list[Extra] = []
    by_month: dict[int, Decimal] = {}
    for amount, day in extras:
        month = 0
        while due_date(start, month, anchor) < day:
            month += 1
        placed.append(Extra(amount=amount, on=day, due=due_date(start, month, anchor)))
        by_month[month] = by_month.get(month, ZERO) + amount
    return placed, by_month


def summarise_outcome(
    outcome: Outcome,
    accounts: Sequence[Account],
    principal: Decimal,
    *,
    start: date,
    first: Sequence[str],
    anchor: date | None = None,
) -> StrategyResult:
    months = outcome.months
    within = months is not None and months <= MAX_TERM
    return StrategyResult(
        name=outcome.strategy,
        months=months,
        within_term=within,
        finish=outcome.dues[months - 1] if months is not None else None,
        total_paid=outcome.total_paid if months is not None else None,
        total_cost=outcome.total_paid - principal if months is not None else None,
        limit_for_term=None
        if within
        else limit_for_term(accounts, outcome.strategy, start=start, first=first, anchor=anchor),
        payoff={
            a.id: outcome.dues[outcome.payoff[a.id]] if a.id in outcome.payoff else None
            for a in accounts
        },
    )


def _ask(lender: LenderTerms, payoff: date | None) -> LenderAsk:
    """What to ask the lender for: its opening, with its line now (and the line's first change)
    as the walk-away; a lender with no opening gets no ask (a pause instead)."""
    extras = [
        Installment(n=i + 1, due=x.start, amount=x.amount) for i, x in enumerate(lender.extras)
    ]
    opening = lender.proposal(lender.ladder.opening)
    lines = lender.lines
    walk_away = lines[0].amount if lines else ZERO
    if opening is None:
        return LenderAsk(
            pause_until=None,
            first_due=None,
            payment=ZERO,
            payment_later=None,
            changes_from=None,
            walk_away=walk_away,
            months=0,
            payoff=payoff,
            extras=extras,
        )
    schedule = opening.schedule
    after = opening.payment_after
    since = next((i.due for i in schedule if after is not None and i.amount == after), None)
    return LenderAsk(
        pause_until=schedule[0].due if opening.deferral_months else None,
        first_due=schedule[0].due,
        payment=opening.payment,
        payment_later=after if since is not None else None,
        changes_from=since,
        walk_away=walk_away,
        months=opening.periods,
        payoff=schedule[-1].due,
        extras=extras,
    )


def build_multi_plan(
    debts: Sequence[Debt],
    situation: Situation,
    *,
    lang: str,
    checklist: ChecklistSource,
    log_fields: Sequence[LogField],
    describe: Callable[[Proposal], str],
    money: Callable[[Decimal], str],
    strategy: Strategy = Strategy.PRORATA,
    first: Sequence[str] = (),
    extras: Sequence[tuple[Decimal, date]] = (),
    limit_change: LimitChange | None = None,
    limits: Sequence[LimitStep | tuple[date, Decimal]] | None = None,
) -> MultiPlanResult:
    """The several-debt plan under ``strategy``; ``first`` names debts (by id) to pay first;
    ``limits`` replaces the limit now and after recovery with a schedule of (from-date,
    amount) steps (``limit_change`` then applies on top of it, as a what-if)."""
    if not debts:
        raise ValueError("a several-debt plan needs at least one debt")
    shared = affordability(situation)
    ids = debt_ids(debts)
    for name in first:
        if name not in ids:
            raise BadInput("debts.err.order_unknown", value=name, ids=", ".join(ids))
        if first.count(name) > 1:
            raise BadInput("debts.err.order_repeated", value=name)
    accounts = accounts_of(debts, ids)
    principal = sum((breakdown_of(d).principal for d in debts), ZERO)
    start = situation.start
    today = situation.today
    placed, by_month = extras_by_month(extras, start, today)
    base = normalised(limits) if limits else limits_from(shared, today)
    steps = base
    if limit_change is not None:
        steps = normalised(
            [s for s in base if s.start < limit_change.start]
            + [LimitStep(start=limit_change.start, amount=limit_change.amount)]
        )

    def run(name: Strategy, *, what_if: bool = True) -> Outcome:
        chosen_steps = steps if what_if else base
        return simulate(
            accounts,
            name,
            start=start,
            limit_on=lambda day: in_force(chosen_steps, day),
            extras=by_month if what_if else None,
            first=first,
            anchor=today,
        )

    outcomes = {name: run(name) for name in Strategy}
    results = {
        name: summarise_outcome(o, accounts, principal, start=start, first=first, anchor=today)
        for name, o in outcomes.items()
    }
    what: WhatIf | None = None
    if placed or limit_change is not None:
        baseline = summarise_outcome(
            run(strategy, what_if=False), accounts, principal, start=start, first=first,
            anchor=today,
        )  # fmt: skip
        now = results[strategy]
        what = WhatIf(
            extras=placed,
            limit_change=limit_change,
            baseline=baseline,
            months_saved=None
            if baseline.months is None or now.months is None
            else baseline.months - now.months,
            money_saved=None
            if baseline.total_cost is None or now.total_cost is None
            else baseline.total_cost - now.total_cost,
        )
    household, allocation = negotiated(
        debts,
        situation,
        ids=ids,
        budget=shared,
        limits=steps,
        strategy=strategy,
        first=first,
        extras=by_month,
    )
    plans = []
    for debt_id, debt in zip(ids, debts, strict=True):
        lender = household.lender(debt_id)
        ask = _ask(lender, household.walk_away.payoff.get(debt_id))
        own = shared.model_copy(
            update={
                "limit": ask.walk_away,
                "limit_after": ask.payment_later,
                "limit_after_from": ask.changes_from,
            }
        )
        summary = summarise(debt, lang)
        plans.append(
            DebtPlan(
                **summary.model_dump(),
                id=debt_id,
                cost_of_waiting=cost_of_waiting(debt),
                ask=ask,
                paid=allocation.paid_to(debt_id),
                lines=lender.lines,
                proposals=lender.proposals,
                ladder=lender.ladder,
                reduction_needed=lender.reduction_needed,
                checklist=checklist_for(
                    debt,
                    situation,
                    Worked(budget=own, proposals=lender.proposals, ladder=lender.ladder),
                    lang=lang,
                    source=checklist,
                    describe=describe,
                    money=money,
                ),
            )
        )
    monthly = []
    for m, due in enumerate(allocation.dues):
        paid = sum((allocation.payments[a.id][m] for a in accounts), ZERO)
        monthly.append(
            MonthRow(
                month=m + 1,
                due=due,
                capacity=allocation.capacity[m],
                amounts={a.id: allocation.payments[a.id][m] for a in accounts},
                total=paid,
                unused=allocation.capacity[m] - paid,
            )
        )
    hardship: HardshipRoute | None = None
    if household.status is Status.HARDSHIP:
        pause = next(
            (p.ladder.hardship.pause_months for p in plans if p.ladder.hardship is not None),
            DEFAULT_PAUSE_MONTHS,
        )
        opening_accounts = [
            Account(
                id=a.id, bearing=ZERO, flat=breakdown_of(d).principal, annual_rate=ZERO,
                kind=a.kind, overdue=a.overdue,
            )
            for a, d in zip(accounts, debts, strict=True)
        ]  # fmt: skip
        hardship = HardshipRoute(
            pause_months=pause,
            write_again=add_months(today, pause),
            needed_payment=limit_for_term(
                opening_accounts, strategy, start=start, first=first, anchor=today
            ),
            needed_periods=MAX_TERM,
            deficit=shared.deficit,
        )
    return MultiPlanResult(
        as_of=today,
        lang=lang,
        reason=situation.reason,
        recovery=situation.recovery,
        affordability=shared,
        strategy=strategy,
        total_overdue=sum((d.overdue for d in debts), ZERO),
        total_principal=principal,
        plan=results[strategy],
        household=household.summary(),
        debts=plans,
        monthly=monthly,
        compare=[results[name] for name in Strategy],
        what_if=what,
        hardship=hardship,
        log_template=LogTemplate(fields=list(log_fields)),
    )


def strategy_outcomes(
    debts: Sequence[Debt],
    situation: Situation,
    *,
    first: Sequence[str] = (),
    extras: Sequence[tuple[Decimal, date]] = (),
    limit_change: LimitChange | None = None,
    limits: Sequence[LimitStep | tuple[date, Decimal]] | None = None,
) -> dict[Strategy, Outcome]:
    """Each strategy's month-by-month allocation, with the what-ifs, as ``build_multi_plan``
    simulates them (the report draws each one's balance over time); ``limits`` as there."""
    shared = affordability(situation)
    accounts = accounts_of(debts, debt_ids(debts))
    _, by_month = extras_by_month(extras, situation.start, situation.today)
    scenario = Scenario(extras=by_month, limit_change=limit_change)
    limit_on = scenario.limit_on(shared)
    if limits:
        steps = normalised(limits)
        if limit_change is not None:
            steps = normalised(
                [s for s in steps if s.start < limit_change.start]
                + [LimitStep(start=limit_change.start, amount=limit_change.amount)]
            )

        def limit_on(day: date) -> Decimal:
            return in_force(steps, day)

    return {
        name: simulate(
            accounts,
            name,
            start=situation.start,
            limit_on=limit_on,
            extras=scenario.extras,
            first=first,
            anchor=situation.today,
        )
        for name in Strategy
    }
