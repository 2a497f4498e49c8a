"""The negotiation ladder: what to open with, what to aim for, and the line never to cross.

- target: the plan the lender is most likely to accept that is affordable — paying now when
  that is possible, else the penalty waived at the contract rate, else the full balance at the
  contract rate (whichever shape — level, stepped, after a pause — clears it soonest);
- opening: the most favourable affordable ask (lowest total, then the kind most favourable to
  the user, then fewest months) whose total is no more than the target's;
- walk-away: the monthly limit (and the limit after recovery);
- when nothing is affordable, or the limit now is zero: the hardship route — ask for a pause,
  send the letter, say what payment would be needed, legal aid 12348, and the Shenzhen personal
  bankruptcy pointer where it applies. No step ever asks above the walk-away line.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from repaycli.core.dates import add_months
from repaycli.core.models import (
    Affordability,
    Basis,
    Debt,
    HardshipRoute,
    Ladder,
    Proposal,
    ProposalKind,
    Situation,
)
from repaycli.core.proposals import (
    DEFAULT_PAUSE_MONTHS,
    KIND_ORDER,
    needed_payment,
    pause_months,
)
from repaycli.core.schedules import MAX_TERM

#: What the lender most likely agrees to, in the order the target is looked for: paying now,
#: then the penalty waived at the contract rate, then the full balance at the contract rate.
_TARGET_BASES = (Basis.WITHOUT_PENALTY, Basis.FULL_BALANCE)


def _at_contract_rate(proposal: Proposal, rate: Decimal) -> bool:
    """A plan on which the lender gives up no contract interest."""
    return rate == 0 or not proposal.interest_free or proposal.kind is ProposalKind.PAY_NOW


def choose_target(proposals: Sequence[Proposal], rate: Decimal) -> Proposal | None:
    """Paying now; else the penalty waived at the contract rate (level, stepped or after a
    pause), else the full balance at the contract rate — the one that clears the debt soonest,
    then the cheapest."""
    affordable = [p for p in proposals if p.affordable and _at_contract_rate(p, rate)]
    now = [p for p in affordable if p.kind is ProposalKind.PAY_NOW]
    if now:
        return now[0]
    for basis in _TARGET_BASES:
        found = [p for p in affordable if p.basis is basis]
        if found:
            return min(found, key=lambda p: (p.schedule[-1].due, p.total, KIND_ORDER[p.kind]))
    # Nothing at the contract rate fits: the affordable plan that gives the lender the most.
    rest = [p for p in proposals if p.affordable]
    return max(rest, key=lambda p: (p.total, -p.periods), default=None)


def choose_opening(
    proposals: Sequence[Proposal], target: Proposal | None, limit: Decimal
) -> Proposal | None:
    """A debt this month's limit covers is paid, not negotiated: paying now is the opening too.
    Paying now also wins a tie."""
    if target is not None and target.kind is ProposalKind.PAY_NOW and target.total <= limit:
        return target
    asks = [p for p in proposals if p.affordable and (target is None or p.total <= target.total)]
    if not asks:
        return target
    return min(asks, key=lambda p: (p.total, KIND_ORDER[p.kind], p.periods))


def ladder_for(
    proposals: Sequence[Proposal], budget: Affordability, debt: Debt, situation: Situation
) -> Ladder:
    target = choose_target(proposals, debt.contract_rate)
    opening = choose_opening(proposals, target, budget.limit)
    nothing = not any(p.affordable for p in proposals)
    needed = needed_payment(debt) if nothing or budget.limit <= 0 else None
    hardship: HardshipRoute | None = None
    if nothing or budget.limit <= 0:
        months = pause_months(debt, situation, budget) or DEFAULT_PAUSE_MONTHS
        assert needed is not None
        hardship = HardshipRoute(
            pause_months=months,
            write_again=add_months(situation.today, months),
            needed_payment=needed,
            needed_periods=MAX_TERM,
            deficit=budget.deficit,
        )
    return Ladder(
        opening=opening.id if opening else None,
        target=target.id if target else None,
        walk_away_monthly=budget.limit,
        walk_away_after=budget.limit_after,
        walk_away_after_from=budget.limit_after_from,
        nothing_affordable=nothing,
        needed_payment=needed if nothing else None,
        hardship=hardship,
    )
