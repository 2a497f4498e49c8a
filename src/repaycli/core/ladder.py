"""The negotiation ladder: what to open with, what to aim for, and the line never to cross.

- target: the plan the lender is most likely to accept that is affordable — paying now when
  that is possible, else the penalty waived at the contract rate, else the full balance at the
  contract rate (whichever shape — level, stepped, after a pause — clears it soonest);
- opening: the most favourable affordable ask (lowest total, then the kind most favourable to
  the user, then fewest months) that asks no more than the target in total and in any month
  (an interest-free ask is stretched to the target's monthly when it would ask more: it costs
  the user nothing); the principal now before paying everything now;
- walk-away: the monthly limit (and the limit after recovery);
- when nothing is affordable, or the limit now is zero and not even the cash pays anything:
  the hardship route — ask for a pause,
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
from repaycli.core.money import ZERO
from repaycli.core.proposals import (
    DEFAULT_PAUSE_MONTHS,
    KIND_ORDER,
    STRETCHABLE,
    needed_payment,
    pause_months,
    stretched,
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


def monthly_of(proposal: Proposal, cash: Decimal | None) -> Decimal:
    """The most the proposal asks in any month from income: its largest installment, leaving
    out what is paid now from cash (a down payment, a lump sum the cash covers)."""
    amounts = [i.amount for i in proposal.schedule]
    if proposal.down_payment > 0:
        amounts = amounts[1:]
    elif (
        proposal.kind in (ProposalKind.PAY_NOW, ProposalKind.LUMP_SUM)
        and cash is not None
        and cash >= proposal.total
    ):
        amounts = []
    return max(amounts, default=ZERO)


def choose_opening(
    proposals: Sequence[Proposal], target: Proposal | None, cash: Decimal | None = None
) -> Proposal | None:
    """The cheapest affordable ask that asks no more than the target, in total and in any month
    (the cheaper lump sum before paying everything now); ties go to the kind most favourable to
    the user, then to fewer months."""
    if target is None:
        asks = [p for p in proposals if p.affordable]
    else:
        most = monthly_of(target, cash)
        asks = [
            p
            for p in proposals
            if p.affordable and p.total <= target.total and monthly_of(p, cash) <= most
        ]
    if not asks:
        return target
    return min(asks, key=lambda p: (p.total, KIND_ORDER[p.kind], p.periods))


def _stretch(
    proposals: list[Proposal],
    target: Proposal,
    budget: Affordability,
    debt: Debt,
    situation: Situation,
) -> list[Proposal]:
    """Each interest-free ask that asks more a month than the target, stretched to the fewest
    months that ask no more (it costs the user nothing), when that fits."""
    most = monthly_of(target, situation.cash)
    added: list[Proposal] = []
    known = {p.id for p in proposals}
    for proposal in proposals:
        if not (
            proposal.affordable
            and proposal.kind in STRETCHABLE
            and (proposal.interest_free)
            and monthly_of(proposal, situation.cash) > most
            and proposal.total <= target.total
        ):
            continue
        for periods in range(proposal.periods + 1, MAX_TERM + 1):
            longer = stretched(debt, situation, budget, proposal, periods)
            if monthly_of(longer, situation.cash) <= most:
                if longer.affordable and longer.id not in known:
                    added.append(longer)
                    known.add(longer.id)
                break
    return added


def negotiate(
    proposals: Sequence[Proposal], budget: Affordability, debt: Debt, situation: Situation
) -> tuple[list[Proposal], Ladder]:
    """The proposals (with any interest-free ask stretched to the target's monthly) and the
    ladder: opening ≤ target ≤ walk-away, monthly and in total. One route at a time: a plan
    when anything fits (a lump sum from cash with a zero limit too), else the hardship route."""
    found = list(proposals)
    target = choose_target(found, debt.contract_rate)
    if target is not None:
        found += _stretch(found, target, budget, debt, situation)
        found.sort(key=lambda p: (KIND_ORDER[p.kind], not p.interest_free, p.periods))
    opening = choose_opening(found, target, situation.cash)
    nothing = not any(p.affordable for p in found)
    # With a zero limit, only a payment from cash now is a plan; anything else is a pause first.
    from_cash = (
        opening is not None
        and opening.kind in (ProposalKind.PAY_NOW, ProposalKind.LUMP_SUM)
        and monthly_of(opening, situation.cash) == 0
    )
    route = nothing or (budget.limit <= 0 and not from_cash)
    hardship: HardshipRoute | None = None
    needed = needed_payment(debt) if route else None
    if route:
        months = pause_months(debt, situation, budget) or DEFAULT_PAUSE_MONTHS
        assert needed is not None
        hardship = HardshipRoute(
            pause_months=months,
            write_again=add_months(situation.today, months),
            needed_payment=needed,
            needed_periods=MAX_TERM,
            deficit=budget.deficit,
        )
    ladder = Ladder(
        opening=opening.id if opening else None,
        target=target.id if target else None,
        walk_away_monthly=budget.limit,
        walk_away_after=budget.limit_after,
        walk_away_after_from=budget.limit_after_from,
        nothing_affordable=nothing,
        needed_payment=needed if nothing else None,
        hardship=hardship,
    )
    return found, ladder


def ladder_for(
    proposals: Sequence[Proposal], budget: Affordability, debt: Debt, situation: Situation
) -> Ladder:
    """The ladder alone (``negotiate`` also gives any stretched ask it refers to)."""
    return negotiate(proposals, budget, debt, situation)[1]
