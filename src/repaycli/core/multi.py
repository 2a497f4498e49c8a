"""Several debts at once: one budget shared by a month-by-month allocation (``core.allocate``).

The chosen strategy's allocation is the plan: each lender's ask is its column — its share of the
limit, rising when another debt is cleared, with a pause until its turn when it gets nothing at
first — and its walk-away line is the most it gets in any month. Every strategy is simulated for
the comparison; what-ifs (one-off extra payments, a changed limit from a date) are compared with
the same strategy without them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from repaycli.core.allocate import Account, Outcome, Strategy, limit_for_term, simulate
from repaycli.core.balance import breakdown_of
from repaycli.core.checklist import ChecklistSource
from repaycli.core.dates import add_months
from repaycli.core.ladder import ladder_for
from repaycli.core.models import (
    Affordability,
    Basis,
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
    ProposalKind,
    Reason,
    Situation,
)
from repaycli.core.money import ZERO
from repaycli.core.plan import Worked, checklist_for, summarise
from repaycli.core.proposals import ProposalBuilder
from repaycli.core.record import Field, Model
from repaycli.core.schedules import MAX_TERM, Part, Sized
from repaycli.core.situation import affordability, cost_of_waiting
from repaycli.errors import BadInput

SCHEMA_VERSION = 2


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
    """One lender's part of a several-debt plan (its summary plus its ask and checklist)."""

    id: str
    cost_of_waiting: CostOfWaiting
    ask: LenderAsk
    paid: Money
    #: The ask as a proposal (schedule, APR …); empty when nothing can be paid to it.
    proposals: list[Proposal]
    ladder: Ladder
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
    extras: Sequence[tuple[Decimal, date]], start: date
) -> tuple[list[Extra], dict[int, Decimal]]:
    """Each extra goes to the first due date on or after its day: the extras as placed, and the
    amount added to each month (by index from ``start``)."""
    placed: list[Extra] = []
    by_month: dict[int, Decimal] = {}
    for amount, day in extras:
        month = 0
        while add_months(start, month) < day:
            month += 1
        placed.append(Extra(amount=amount, on=day, due=add_months(start, month)))
        by_month[month] = by_month.get(month, ZERO) + amount
    return placed, by_month


def summarise_outcome(
    outcome: Outcome,
    accounts: Sequence[Account],
    principal: Decimal,
    *,
    start: date,
    first: Sequence[str],
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
        else limit_for_term(accounts, outcome.strategy, start=start, first=first),
        payoff={
            a.id: outcome.dues[outcome.payoff[a.id]] if a.id in outcome.payoff else None
            for a in accounts
        },
    )


def _ask(
    column: Sequence[Decimal],
    dues: Sequence[date],
    payoff: date | None,
    one_off: Collection[int] = (),
) -> LenderAsk:
    """The lender's ask from its column. Its walk-away line is its share of the limit now, and
    from ``changes_from`` the share then; months holding a one-off extra (``one_off``) set
    neither and are listed apart. A debt the plan never clears gets no ask: a pause instead."""
    extras = [
        Installment(n=i + 1, due=d, amount=a)
        for i, (d, a) in enumerate(zip(dues, column, strict=True))
        if a > 0 and i in one_off
    ]
    regular = [
        (d, a)
        for i, (d, a) in enumerate(zip(dues, column, strict=True))
        if a > 0 and i not in one_off
    ]
    if payoff is None or not regular:
        return LenderAsk(
            pause_until=None,
            first_due=None,
            payment=ZERO,
            payment_later=None,
            changes_from=None,
            walk_away=ZERO,
            months=0,
            payoff=payoff,
            extras=extras,
        )
    paying = [d for d, a in zip(dues, column, strict=True) if a > 0]
    first_due = paying[0]
    payment = regular[0][1]
    # The share changes when another debt is cleared or the limit changes; the last payment,
    # what is left, is no change of share.
    settled = regular[:-1] if len(regular) > 1 else regular
    change = next(((d, a) for d, a in settled if a != payment), None)
    return LenderAsk(
        pause_until=first_due if first_due > dues[0] else None,
        first_due=first_due,
        payment=payment,
        payment_later=change[1] if change else None,
        changes_from=change[0] if change else None,
        walk_away=payment,
        months=len(paying),
        payoff=payoff,
        extras=extras,
    )


def _proposal(
    debt: Debt,
    situation: Situation,
    budget: Affordability,
    column: Sequence[Decimal],
    dues: Sequence[date],
    ask: LenderAsk,
) -> Proposal | None:
    """The lender's column as a proposal: a pause until its turn (deferral), a rising share
    (stepped) or a level one (installments)."""
    if ask.first_due is None:
        return None
    start = dues.index(ask.first_due)
    end = max(i for i, a in enumerate(column) if a > 0)
    amounts = list(column[start : end + 1])
    dates = list(dues[start : end + 1])
    parts = breakdown_of(debt)
    if start > 0:
        kind = ProposalKind.DEFERRAL
    elif ask.payment_later is not None and ask.payment_later > ask.payment:
        kind = ProposalKind.STEPPED
    else:
        kind = ProposalKind.INSTALLMENTS
    builder = ProposalBuilder(debt, situation, budget)
    part = Part(bearing=parts.bearing, flat=parts.penalty, rate=debt.contract_rate)
    proposal = builder.make(
        pid=f"share-{len(amounts)}",
        kind=kind,
        basis=Basis.FULL_BALANCE,
        part=part,
        sized=Sized(amounts=amounts, dues=dates, fits=True),
        deferral=start,
        payment_after=ask.payment_later,
    )
    if len(amounts) > MAX_TERM:  # longer than any lender agrees: to be negotiated down
        proposal = proposal.model_copy(update={"standard": False, "needs_negotiation": True})
    return proposal


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
) -> MultiPlanResult:
    """The several-debt plan under ``strategy``; ``first`` names debts (by id) to pay first."""
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
    placed, by_month = extras_by_month(extras, start)
    scenario = Scenario(extras=by_month, limit_change=limit_change)
    limit_on = scenario.limit_on(shared)

    def run(name: Strategy, *, what_if: bool = True) -> Outcome:
        return simulate(
            accounts,
            name,
            start=start,
            limit_on=limit_on if what_if else shared.limit_on,
            extras=scenario.extras if what_if else None,
            first=first,
        )

    outcomes = {name: run(name) for name in Strategy}
    chosen = outcomes[strategy]
    results = {
        name: summarise_outcome(o, accounts, principal, start=start, first=first)
        for name, o in outcomes.items()
    }
    what: WhatIf | None = None
    if placed or limit_change is not None:
        base = summarise_outcome(
            run(strategy, what_if=False), accounts, principal, start=start, first=first
        )
        now = results[strategy]
        what = WhatIf(
            extras=placed,
            limit_change=limit_change,
            baseline=base,
            months_saved=None
            if base.months is None or now.months is None
            else base.months - now.months,
            money_saved=None
            if base.total_cost is None or now.total_cost is None
            else base.total_cost - now.total_cost,
        )
    plans = []
    for debt_id, debt in zip(ids, debts, strict=True):
        column = chosen.payments[debt_id]
        payoff = chosen.dues[chosen.payoff[debt_id]] if debt_id in chosen.payoff else None
        ask = _ask(column, chosen.dues, payoff, by_month)
        own = shared.model_copy(
            update={
                "limit": ask.walk_away,
                "limit_after": ask.payment_later,
                "limit_after_from": ask.changes_from,
            }
        )
        proposal = _proposal(debt, situation, own, column, chosen.dues, ask)
        proposals = [proposal] if proposal is not None else []
        ladder = ladder_for(proposals, own, debt, situation)
        summary = summarise(debt, lang)
        plans.append(
            DebtPlan(
                **summary.model_dump(),
                id=debt_id,
                cost_of_waiting=cost_of_waiting(debt),
                ask=ask,
                paid=chosen.paid_to(debt_id),
                proposals=proposals,
                ladder=ladder,
                checklist=checklist_for(
                    debt,
                    situation,
                    Worked(budget=own, proposals=proposals, ladder=ladder),
                    lang=lang,
                    source=checklist,
                    describe=describe,
                    money=money,
                ),
            )
        )
    monthly = [
        MonthRow(
            month=m + 1,
            due=due,
            capacity=chosen.capacity[m],
            amounts={a.id: chosen.payments[a.id][m] for a in accounts},
            total=sum((chosen.payments[a.id][m] for a in accounts), ZERO),
            unused=chosen.capacity[m] - sum((chosen.payments[a.id][m] for a in accounts), ZERO),
        )
        for m, due in enumerate(chosen.dues)
    ]
    hardship: HardshipRoute | None = None
    if chosen.total_paid == 0 or results[strategy].months is None:
        ladders = [p.ladder.hardship for p in plans if p.ladder.hardship is not None]
        if ladders:
            hardship = ladders[0].model_copy(
                update={
                    "needed_payment": results[strategy].limit_for_term or ZERO,
                    "needed_periods": MAX_TERM,
                }
            )
    return MultiPlanResult(
        as_of=situation.today,
        lang=lang,
        reason=situation.reason,
        recovery=situation.recovery,
        affordability=shared,
        strategy=strategy,
        total_overdue=sum((d.overdue for d in debts), ZERO),
        total_principal=principal,
        plan=results[strategy],
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
) -> dict[Strategy, Outcome]:
    """Each strategy's month-by-month allocation, with the what-ifs, as ``build_multi_plan``
    simulates them (the report draws each one's balance over time)."""
    shared = affordability(situation)
    accounts = accounts_of(debts, debt_ids(debts))
    _, by_month = extras_by_month(extras, situation.start)
    scenario = Scenario(extras=by_month, limit_change=limit_change)
    return {
        name: simulate(
            accounts,
            name,
            start=situation.start,
            limit_on=scenario.limit_on(shared),
            extras=scenario.extras,
            first=first,
        )
        for name in Strategy
    }
