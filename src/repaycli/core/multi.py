"""Several debts at once: one affordability limit shared across them.

1. **Order.** Debts are ranked by the cost of waiting per yuan (the daily penalty rate, highest
   first), then by consequence (credit cards, then bank and consumer loans, then other credit,
   then small buy-now-pay-later credit), then as listed. The user may put any of them first.
2. **Split.** Each debt's *smallest plan* is its longest installment plan at the contract rate.
   When the smallest plans together fit the limit, each debt in order gets the shortest plan that
   still leaves room for the smallest plans of the debts after it (all ``covered``). Otherwise
   debts are covered in order by their smallest plan while it fits (``negotiate_first``); the
   others ``need_deferral``, and the shortfall is what the smallest plans need beyond the limit.
3. **Plans.** Each debt gets its own proposals, ladder and checklist with its share as its limit,
   and a month-by-month table adds up the chosen plans (never above the limit).
4. **Strategies.** Avalanche and snowball are simulated with the whole limit each month.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from repaycli.core.checklist import ChecklistSource
from repaycli.core.dates import add_months
from repaycli.core.models import (
    Affordability,
    Checklist,
    CostOfWaiting,
    Debt,
    DebtSummary,
    Ladder,
    LogField,
    LogTemplate,
    Model,
    Money,
    PlatformKind,
    Proposal,
    Rate,
    Reason,
    Situation,
)
from repaycli.core.money import ZERO, split_evenly
from repaycli.core.plan import build_plan
from repaycli.core.rates import HUNDRED, annuity_schedule
from repaycli.core.situation import affordability, principal_of
from repaycli.core.strategies import Account, Strategy, simulate
from repaycli.errors import BadInput

#: Consequence of not paying, most serious first (used when penalty rates tie).
CONSEQUENCE = {
    PlatformKind.CREDIT_CARD: 0,
    PlatformKind.CONSUMER_LOAN: 1,
    PlatformKind.OTHER: 2,
    PlatformKind.BNPL: 3,
}


class DebtStatus(StrEnum):
    COVERED = "covered"
    NEGOTIATE_FIRST = "negotiate_first"
    NEEDS_DEFERRAL = "needs_deferral"


class OrderReason(StrEnum):
    #: Placed by the user (``--order``).
    USER = "user"
    #: A higher daily penalty than the next debt.
    PENALTY = "penalty"
    #: The same penalty as the next debt, but a more serious kind of credit.
    CONSEQUENCE = "consequence"
    #: Tied with the next debt on both; kept in the order of the file.
    LISTED = "listed"
    #: The last debt.
    LAST = "last"


class OrderEntry(Model):
    id: str
    platform: str
    kind: PlatformKind
    penalty_rate_daily_percent: Rate
    reason: OrderReason


class DebtPlan(DebtSummary):
    """One debt's part of a several-debt plan (its summary fields plus its own plan)."""

    id: str
    status: DebtStatus
    share: Money
    smallest_payment: Money
    smallest_periods: int
    chosen_periods: int | None
    cost_of_waiting: CostOfWaiting
    proposals: list[Proposal]
    ladder: Ladder
    checklist: Checklist


class MonthRow(Model):
    month: int
    due: date
    amounts: dict[str, Money]
    total: Money


class StrategyResult(Model):
    name: Strategy
    feasible: bool
    total_paid: Money | None
    total_cost: Money | None
    months: int | None
    finish: date | None


class MultiPlanResult(Model):
    schema_version: int = 1
    kind: Literal["several_debts"] = "several_debts"
    as_of: date
    lang: str
    reason: Reason | None
    recovery: date | None
    affordability: Affordability
    order: list[OrderEntry]
    debts: list[DebtPlan]
    monthly: list[MonthRow]
    shortfall: Money | None
    strategies: list[StrategyResult]
    log_template: LogTemplate


# --- ids and order -------------------------------------------------------------------------


def debt_ids(debts: Sequence[Debt]) -> list[str]:
    """A short id for each debt: its platform id, with ``-2``, ``-3`` … for repeats."""
    seen: dict[str, int] = {}
    ids = []
    for debt in debts:
        base = debt.platform.id
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def _rank(debt: Debt) -> tuple[Decimal, int]:
    return (-debt.penalty_rate, CONSEQUENCE[debt.platform.kind])


def order_debts(
    debts: Sequence[Debt], ids: Sequence[str], first: Sequence[str] = ()
) -> list[tuple[int, OrderReason]]:
    """Indexes of ``debts`` in priority order, each with the reason it comes before the next.

    ``first`` names debts (by id) the user wants first, in that order; the rest follow the rule.
    """
    position = {debt_id: i for i, debt_id in enumerate(ids)}
    chosen: list[int] = []
    for name in first:
        if name not in position:
            raise BadInput("debts.err.order_unknown", value=name, ids=", ".join(ids))
        if position[name] in chosen:
            raise BadInput("debts.err.order_repeated", value=name)
        chosen.append(position[name])
    rest = sorted(
        (i for i in range(len(debts)) if i not in chosen), key=lambda i: (_rank(debts[i]), i)
    )
    result = [(i, OrderReason.USER) for i in chosen]
    for k, i in enumerate(rest):
        if k + 1 == len(rest):
            reason = OrderReason.LAST
        else:
            this, after = debts[i], debts[rest[k + 1]]
            if this.penalty_rate > after.penalty_rate:
                reason = OrderReason.PENALTY
            elif _rank(this) < _rank(after):
                reason = OrderReason.CONSEQUENCE
            else:
                reason = OrderReason.LISTED
        result.append((i, reason))
    return result


# --- the split -----------------------------------------------------------------------------


def contract_plans(debt: Debt) -> list[tuple[int, list[Decimal]]]:
    """The debt's installment plans at its contract rate, fewest periods first."""
    plans = []
    for n in sorted(set(debt.platform.periods)):
        if debt.contract_rate > 0:
            amounts = annuity_schedule(debt.overdue, debt.contract_rate, n)
        else:
            amounts = split_evenly(debt.overdue, n)
        plans.append((n, amounts))
    return plans


def smallest_plan(plans: Sequence[tuple[int, list[Decimal]]]) -> tuple[int, list[Decimal]]:
    """The plan with the lowest highest installment (the longest, at a positive rate); on a tie
    (tiny balances) the fewest periods, as the single-debt ladder would choose."""
    return min(plans, key=lambda plan: (max(plan[1]), plan[0]))


@dataclass(frozen=True)
class Allocation:
    status: DebtStatus
    #: The most this debt's plan takes in any month (0 when it needs a deferral).
    share: Decimal
    #: The chosen plan: (periods, installments), or ``None`` when it needs a deferral.
    plan: tuple[int, list[Decimal]] | None


def split_limit(
    plans: Sequence[Sequence[tuple[int, list[Decimal]]]], limit: Decimal
) -> tuple[list[Allocation], Decimal | None]:
    """Share ``limit`` between debts given (in priority order) by their contract plans.

    Returns one allocation per debt and the shortfall (``None`` when every debt is covered).
    """
    smallest = [smallest_plan(options) for options in plans]
    minima = [max(amounts) for _, amounts in smallest]
    need = sum(minima, ZERO)
    result: list[Allocation] = []
    if need <= limit:
        used = ZERO
        for i, options in enumerate(plans):
            room = limit - used - sum(minima[i + 1 :], ZERO)
            chosen = next((plan for plan in options if max(plan[1]) <= room), smallest[i])
            share = max(chosen[1])
            used += share
            result.append(Allocation(DebtStatus.COVERED, share, chosen))
        return result, None
    room = limit
    for plan, minimum in zip(smallest, minima, strict=True):
        if minimum <= room:
            room -= minimum
            result.append(Allocation(DebtStatus.NEGOTIATE_FIRST, minimum, plan))
        else:
            result.append(Allocation(DebtStatus.NEEDS_DEFERRAL, ZERO, None))
    return result, need - limit


def monthly_table(
    ids: Sequence[str], allocations: Sequence[Allocation], start: date
) -> list[MonthRow]:
    """What is paid to whom each month under the chosen plans (all starting on ``start``)."""
    months = max((len(a.plan[1]) for a in allocations if a.plan), default=0)
    rows = []
    for m in range(months):
        amounts = {
            debt_id: (a.plan[1][m] if a.plan and m < len(a.plan[1]) else ZERO)
            for debt_id, a in zip(ids, allocations, strict=True)
        }
        rows.append(
            MonthRow(
                month=m + 1,
                due=add_months(start, m),
                amounts=amounts,
                total=sum(amounts.values(), ZERO),
            )
        )
    return rows


def compare_strategies(debts: Sequence[Debt], limit: Decimal, start: date) -> list[StrategyResult]:
    """Avalanche and snowball with the whole limit each month, from the overdue balances."""
    accounts = [
        Account(
            balance=debt.overdue,
            annual_rate=debt.contract_rate,
            minimum=max(smallest_plan(contract_plans(debt))[1]),
        )
        for debt in debts
    ]
    principal = sum((principal_of(debt)[0] for debt in debts), ZERO)
    results = []
    for strategy in Strategy:
        outcome = simulate(accounts, limit, strategy)
        if not outcome.feasible or outcome.paid is None or outcome.months is None:
            results.append(
                StrategyResult(
                    name=strategy,
                    feasible=False,
                    total_paid=None,
                    total_cost=None,
                    months=None,
                    finish=None,
                )
            )
            continue
        results.append(
            StrategyResult(
                name=strategy,
                feasible=True,
                total_paid=outcome.paid,
                total_cost=outcome.paid - principal,
                months=outcome.months,
                finish=add_months(start, outcome.months - 1),
            )
        )
    return results


# --- the whole plan ------------------------------------------------------------------------


def share_budget(shared: Affordability, share: Decimal) -> Affordability:
    """A debt's own affordability: the shared one with its share as the limit."""
    return shared.model_copy(update={"limit": share})


def build_multi_plan(
    debts: Sequence[Debt],
    situation: Situation,
    *,
    lang: str,
    checklist: ChecklistSource,
    log_fields: Sequence[LogField],
    describe: Callable[[Proposal], str],
    money: Callable[[Decimal], str],
    first: Sequence[str] = (),
    strategies: Sequence[Strategy] = tuple(Strategy),
) -> MultiPlanResult:
    """The several-debt plan; ``first`` is the user's order (ids), ``strategies`` those to
    compare."""
    if not debts:
        raise ValueError("a several-debt plan needs at least one debt")
    shared = affordability(situation)
    ids = debt_ids(debts)
    order = order_debts(debts, ids, first)
    ranked = [debts[i] for i, _ in order]
    ranked_ids = [ids[i] for i, _ in order]
    options = [contract_plans(debt) for debt in ranked]
    allocations, shortfall = split_limit(options, shared.limit)
    # Lump sums are paid from cash, which one debt cannot count on when there are several.
    each_situation = situation.model_copy(update={"cash": None})
    plans = []
    for debt_id, debt, plan_options, allocation in zip(
        ranked_ids, ranked, options, allocations, strict=True
    ):
        single = build_plan(
            debt,
            each_situation,
            lang=lang,
            checklist=checklist,
            log_fields=log_fields,
            describe=describe,
            money=money,
            budget=share_budget(shared, allocation.share),
        )
        smallest_n, smallest_amounts = smallest_plan(plan_options)
        plans.append(
            DebtPlan(
                **single.debts[0].model_dump(),
                id=debt_id,
                status=allocation.status,
                share=allocation.share,
                smallest_payment=max(smallest_amounts),
                smallest_periods=smallest_n,
                chosen_periods=allocation.plan[0] if allocation.plan else None,
                cost_of_waiting=single.cost_of_waiting,
                proposals=single.proposals,
                ladder=single.ladder,
                checklist=single.checklist,
            )
        )
    return MultiPlanResult(
        as_of=situation.today,
        lang=lang,
        reason=situation.reason,
        recovery=situation.recovery,
        affordability=shared,
        order=[
            OrderEntry(
                id=ids[i],
                platform=debts[i].platform.id,
                kind=debts[i].platform.kind,
                penalty_rate_daily_percent=debts[i].penalty_rate * HUNDRED,
                reason=reason,
            )
            for i, reason in order
        ],
        debts=plans,
        monthly=monthly_table(ranked_ids, allocations, situation.start),
        shortfall=shortfall,
        strategies=[
            s
            for s in compare_strategies(ranked, shared.limit, situation.start)
            if s.name in strategies
        ],
        log_template=LogTemplate(fields=list(log_fields)),
    )
