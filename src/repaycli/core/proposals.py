"""The proposal engine: what to ask a lender for, and the negotiation ladder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import partial

from repaycli.core.dates import monthly_due_dates, months_between
from repaycli.core.models import (
    Affordability,
    Debt,
    Installment,
    Ladder,
    PlatformKind,
    Proposal,
    ProposalKind,
    Situation,
)
from repaycli.core.money import ZERO, split_evenly
from repaycli.core.rates import HUNDRED, annualise, annuity_schedule, monthly_irr
from repaycli.core.situation import principal_of, share_of_disposable

#: Plan lengths tried for a credit card's personalised plan (art. 70 allows up to 60 months).
CARD_PLAN_MONTHS = (12, 24, 36, 48, 60)
#: A deferral asks for one to three months without payments.
MAX_DEFERRAL_MONTHS = 3

_KIND_ORDER = {kind: i for i, kind in enumerate(ProposalKind)}


def make_proposal(
    *,
    proposal_id: str,
    kind: ProposalKind,
    debt: Debt,
    advance: Decimal,
    amounts: Sequence[Decimal],
    first_due: date,
    month_offset: int,
    annual_rate: Decimal,
    budget: Affordability,
    deferral_months: int = 0,
) -> Proposal:
    """A proposal from its installments, monthly from ``first_due`` after ``deferral_months``;
    ``month_offset`` is when the first one falls due, in months from now, for the APR.

    ``payment`` is the regular installment (the last may differ by the rounding); a plan is
    affordable when every installment fits the monthly limit. A lump sum is paid from cash in
    hand, so only proposed when the cash covers it, and is not measured against income.
    """
    principal, _ = principal_of(debt)
    dues = monthly_due_dates(first_due, len(amounts), skip=deferral_months)
    schedule = [
        Installment(n=i + 1, due=due, amount=amount)
        for i, (due, amount) in enumerate(zip(dues, amounts, strict=True))
    ]
    total = sum(amounts, ZERO)
    payment = amounts[0]
    lump = kind is ProposalKind.LUMP_SUM
    monthly = monthly_irr(advance, amounts, offset=month_offset)
    apr, apr_compound = annualise(monthly)
    return Proposal(
        id=proposal_id,
        kind=kind,
        platform=debt.platform.id,
        periods=len(amounts),
        interest_free=annual_rate == 0,
        annual_rate_percent=(annual_rate * HUNDRED).quantize(Decimal("0.01")),
        deferral_months=deferral_months,
        principal=advance,
        payment=payment,
        total=total,
        cost=total - principal,
        apr_percent=apr,
        apr_compound_percent=apr_compound,
        share_percent=None if lump else share_of_disposable(payment, budget),
        affordable=lump or max(amounts) <= budget.limit,
        schedule=schedule,
    )


def _shortest_affordable(amount: Decimal, options: Sequence[int], limit: Decimal) -> int:
    """The fewest periods whose even split fits the limit, else the most periods offered."""
    for periods in sorted(options):
        if max(split_evenly(amount, periods)) <= limit:
            return periods
    return max(options)


def deferral_months(debt: Debt, situation: Situation) -> int:
    """How long a deferral to ask for: until the recovery date, one to three months, within the
    platform's limit; 0 when no deferral applies."""
    allowed = min(MAX_DEFERRAL_MONTHS, debt.platform.max_deferral_months)
    temporary = situation.reason is not None and situation.reason.temporary
    if allowed == 0 or (situation.recovery is None and not temporary):
        return 0
    if situation.recovery is None:
        return allowed
    return max(1, min(allowed, months_between(situation.today, situation.recovery)))


def proposals_for(debt: Debt, situation: Situation, budget: Affordability) -> list[Proposal]:
    """Every candidate proposal for one debt, in a stable order."""
    principal, _ = principal_of(debt)
    balance = debt.overdue
    limit = budget.limit
    rate = debt.contract_rate
    periods = sorted(set(debt.platform.periods))
    start = situation.start
    result: list[Proposal] = []
    add = partial(make_proposal, debt=debt, budget=budget)

    for n in periods:
        if rate > 0:
            result.append(
                add(
                    proposal_id=f"inst-{n}",
                    kind=ProposalKind.INSTALLMENTS,
                    advance=balance,
                    amounts=annuity_schedule(balance, rate, n),
                    first_due=start,
                    month_offset=1,
                    annual_rate=rate,
                )
            )
        result.append(
            add(
                proposal_id=f"inst-{n}-free",
                kind=ProposalKind.INSTALLMENTS,
                advance=balance,
                amounts=split_evenly(balance, n),
                first_due=start,
                month_offset=1,
                annual_rate=ZERO,
            )
        )
    if principal < balance:
        n = _shortest_affordable(principal, periods, limit)
        result.append(
            add(
                proposal_id=f"principal-{n}",
                kind=ProposalKind.PRINCIPAL_ONLY,
                advance=principal,
                amounts=split_evenly(principal, n),
                first_due=start,
                month_offset=1,
                annual_rate=ZERO,
            )
        )
    months = deferral_months(debt, situation)
    if months:
        n = _shortest_affordable(balance, periods, limit)
        result.append(
            add(
                proposal_id=f"defer-{months}m-{n}",
                kind=ProposalKind.DEFERRAL,
                advance=balance,
                amounts=split_evenly(balance, n),
                first_due=start,
                month_offset=1 + months,
                annual_rate=ZERO,
                deferral_months=months,
            )
        )
    if situation.cash is not None and situation.cash >= principal:
        result.append(
            add(
                proposal_id="lump-sum",
                kind=ProposalKind.LUMP_SUM,
                advance=principal,
                amounts=[principal],
                first_due=situation.today,
                month_offset=0,
                annual_rate=ZERO,
            )
        )
    if debt.platform.kind is PlatformKind.CREDIT_CARD:
        n = _shortest_affordable(balance, CARD_PLAN_MONTHS, limit)
        result.append(
            add(
                proposal_id=f"card-{n}",
                kind=ProposalKind.CARD_PERSONALISED,
                advance=balance,
                amounts=split_evenly(balance, n),
                first_due=start,
                month_offset=1,
                annual_rate=ZERO,
            )
        )
    return sorted(result, key=lambda p: (_KIND_ORDER[p.kind], p.periods, not p.interest_free))


def ladder_for(proposals: Sequence[Proposal], budget: Affordability) -> Ladder:
    """Opening ask, target and walk-away line.

    - opening: the cheapest affordable concession (fewest periods on a tie); when nothing is
      affordable, a deferral (time to recover), else a card's personalised plan, else the
      concession with the lowest payment;
    - target: the shortest affordable plan at the contract rate (interest-free when the contract
      has no interest);
    - walk-away: the affordability limit itself.
    """
    asks = [p for p in proposals if p.interest_free]
    affordable_asks = [p for p in asks if p.affordable]
    opening: Proposal | None = None
    if affordable_asks:
        opening = min(affordable_asks, key=lambda p: (p.total, p.periods))
    elif asks:
        fallback = {ProposalKind.DEFERRAL: 0, ProposalKind.CARD_PERSONALISED: 1}
        opening = min(asks, key=lambda p: (fallback.get(p.kind, 2), p.payment, p.total))
    contract = [
        p
        for p in proposals
        if p.kind is ProposalKind.INSTALLMENTS and p.affordable and not p.interest_free
    ]
    if not contract and not any(
        p.kind is ProposalKind.INSTALLMENTS and not p.interest_free for p in proposals
    ):
        contract = [p for p in proposals if p.kind is ProposalKind.INSTALLMENTS and p.affordable]
    target = min(contract, key=lambda p: p.periods) if contract else None
    nothing = not any(p.affordable for p in proposals)
    needed = min((p.payment for p in proposals), default=None) if nothing else None
    return Ladder(
        opening=opening.id if opening else None,
        target=target.id if target else None,
        walk_away_monthly=budget.limit,
        nothing_affordable=nothing,
        needed_payment=needed,
    )
