"""The call card: what a person needs in front of them for one phone call, as data.

One card per lender — whom to call (or where to find the number), what to say, the opening,
target and walk-away numbers, and what to insist on — built from a one-debt plan
(:func:`card_for_plan`) or from each lender of a several-debt plan (:func:`cards_for_multi`).
The terminal card, the HTML report and the call screen all show this same content; the wording
of a proposal and of the "say" line belong to the renderers, so they are passed in as callables
(as ``build_plan`` takes ``describe``).

Pure: no printing, no rich, no pydantic: plain records (``core.record``); the plan results it
reads are imported here for types only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from repaycli.core.record import Model

if TYPE_CHECKING:
    from repaycli.core.models import (
        Affordability,
        Checklist,
        DebtSummary,
        HardshipRoute,
        Ladder,
        PlanResult,
        Proposal,
        ProposalKind,
    )
    from repaycli.core.multi import DebtPlan, MultiPlanResult

#: The checklist items a person must insist on during the call, in the order the card lists
#: them (those that apply to the situation; ids from ``catalog/checklist.toml``).
INSIST_IDS: tuple[str, ...] = (
    "written",
    "agent",
    "no_above",
    "credit_report",
    "card_plan",
    "personal_account",
)


class HotlineNote(StrEnum):
    """How to treat the number shown (or not shown) on the card."""

    #: A number from FACTS.md: still check it inside the official app before calling.
    VERIFY_IN_APP = "verify_in_app"
    #: No confirmed number: take it from the lender's official app or contract.
    TAKE_FROM_APP = "take_from_app"


class CardStep(Model):
    """One rung of the ladder (opening or target) as the numbers to say."""

    proposal_id: str
    kind: ProposalKind
    #: The monthly payment (for a partial lump sum: the installments after the down payment).
    payment: Decimal
    periods: int
    total: Decimal
    down_payment: Decimal
    waived: Decimal
    deferral_months: int
    first_due: date
    last_due: date
    #: The payment from ``payment_after_from`` on, when it changes (a stepped plan, a share that
    #: grows when another debt is cleared); else ``None``.
    payment_after: Decimal | None
    payment_after_from: date | None
    interest_free: bool
    apr_percent: Decimal
    #: The proposal in words (the renderer's ``describe``).
    text: str


class WalkAway(Model):
    """The line never to cross: at most ``monthly`` a month (``after`` from ``after_from``); a
    lender of a several-debt plan has its line as a schedule (``steps``: from-date, amount)."""

    monthly: Decimal
    after: Decimal | None = None
    after_from: date | None = None
    steps: tuple[tuple[date, Decimal], ...] = ()


class Insist(Model):
    """A checklist item to insist on: its id (for a short label) and its full text."""

    id: str
    text: str


class CallCard(Model):
    platform: str
    platform_name: str
    #: The number to call, or ``None`` when FACTS.md has no confirmed one (see ``hotline_note``).
    hotline: str | None
    hotline_note: HotlineNote
    overdue: Decimal
    #: What to say for the opening ask, in the user's own voice ("" when there is no ask).
    say: str
    opening: CardStep | None
    target: CardStep | None
    walk_away: WalkAway
    insist: tuple[Insist, ...]
    #: With nothing affordable or nothing to pay now: the pause to ask for and where to get help.
    hardship: HardshipRoute | None
    #: Essential expenses above income, a month (``None`` when there is no deficit).
    deficit: Decimal | None
    #: Nothing in 60 months fits the limit (the hardship route, not a payment plan).
    nothing_affordable: bool
    #: The opening ask begins with a pause (a deferral).
    pause_first: bool
    #: Several-debt plans: the lender's id in the debts file, and its place among the cards.
    debt_id: str | None = None
    index: int = 1
    count: int = 1
    #: Several debts: the household plan works only with interest stopped.
    interest_must_stop: bool = False
    #: Several debts, hardship route: the principal this lender's line leaves unpaid in 60
    #: months (the reduction needed, in yuan).
    reduction_needed: Decimal | None = None

    @property
    def hardship_route(self) -> bool:
        """Show the hardship route (a pause, help) rather than, or before, a payment plan."""
        return self.hardship is not None and (self.nothing_affordable or self.pause_first)


def _step(proposal: Proposal, describe: Callable[[Proposal], str]) -> CardStep:
    schedule = proposal.schedule
    payment = proposal.payment
    if proposal.down_payment > 0 and len(schedule) > 1:
        payment = schedule[1].amount
    after = proposal.payment_after
    after_from = None
    if after is not None and after != proposal.payment:
        after_from = next((i.due for i in schedule if i.amount == after), None)
    return CardStep(
        proposal_id=proposal.id,
        kind=proposal.kind,
        payment=payment,
        periods=proposal.periods,
        total=proposal.total,
        down_payment=proposal.down_payment,
        waived=proposal.waived,
        deferral_months=proposal.deferral_months,
        first_due=schedule[0].due,
        last_due=schedule[-1].due,
        payment_after=after if after_from is not None else None,
        payment_after_from=after_from,
        interest_free=proposal.interest_free,
        apr_percent=proposal.apr_percent,
        text=describe(proposal),
    )


def _insist(checklist: Checklist) -> tuple[Insist, ...]:
    found = {item.id: item.text for stage in checklist.stages for item in stage.items}
    return tuple(Insist(id=i, text=found[i]) for i in INSIST_IDS if i in found)


def _card(
    summary: DebtSummary,
    ladder: Ladder,
    proposals: Sequence[Proposal],
    checklist: Checklist,
    budget: Affordability,
    walk_away: WalkAway,
    *,
    say: Callable[[Proposal], str],
    describe: Callable[[Proposal], str],
) -> CallCard:
    by_id = {p.id: p for p in proposals}
    opening = by_id.get(ladder.opening or "")
    target = by_id.get(ladder.target or "")
    confirmed = summary.hotline is not None and "hotline" not in summary.unconfirmed
    return CallCard(
        platform=summary.platform,
        platform_name=summary.platform_name,
        hotline=summary.hotline if confirmed else None,
        hotline_note=HotlineNote.VERIFY_IN_APP if confirmed else HotlineNote.TAKE_FROM_APP,
        overdue=summary.overdue,
        say=say(opening) if opening is not None else "",
        opening=_step(opening, describe) if opening is not None else None,
        target=_step(target, describe) if target is not None else None,
        walk_away=walk_away,
        insist=_insist(checklist),
        hardship=ladder.hardship,
        deficit=budget.deficit,
        nothing_affordable=ladder.nothing_affordable,
        pause_first=opening is not None and opening.deferral_months > 0,
    )


def card_for_plan(
    result: PlanResult,
    *,
    say: Callable[[Proposal], str],
    describe: Callable[[Proposal], str],
) -> CallCard:
    """The card for a one-debt plan."""
    ladder = result.ladder
    # a line that stays the same after recovery is one line: "at most X (from D: X)" reads as if
    # something changed on D
    changes = ladder.walk_away_after not in (None, ladder.walk_away_monthly)
    return _card(
        result.debts[0],
        ladder,
        result.proposals,
        result.checklist,
        result.affordability,
        WalkAway(
            monthly=ladder.walk_away_monthly,
            after=ladder.walk_away_after if changes else None,
            after_from=ladder.walk_away_after_from if changes else None,
        ),
        say=say,
        describe=describe,
    )


def card_for_lender(
    debt: DebtPlan,
    budget: Affordability,
    *,
    say: Callable[[Proposal], str],
    describe: Callable[[Proposal], str],
    index: int = 1,
    count: int = 1,
    must_stop: bool = False,
) -> CallCard:
    """One lender's card in a several-debt plan: its ladder was negotiated inside its share of
    the shared limit, and its walk-away line is that share on every date it changes."""
    ask = debt.ask
    card = _card(
        debt,
        debt.ladder,
        debt.proposals,
        debt.checklist,
        budget,
        WalkAway(
            monthly=ask.walk_away,
            steps=tuple((step.start, step.amount) for step in debt.lines),
        ),
        say=say,
        describe=describe,
    )
    return card.model_copy(
        update={
            "debt_id": debt.id,
            "index": index,
            "count": count,
            "interest_must_stop": must_stop,
            "reduction_needed": debt.reduction_needed,
        }
    )


def cards_for_multi(
    result: MultiPlanResult,
    *,
    say: Callable[[Proposal], str],
    describe: Callable[[Proposal], str],
) -> list[CallCard]:
    """A card for each lender of a several-debt plan, in the plan's order."""
    count = len(result.debts)
    must_stop = result.household.status.value == "interest_must_stop"
    return [
        card_for_lender(
            debt,
            result.affordability,
            say=say,
            describe=describe,
            index=n,
            count=count,
            must_stop=must_stop,
        )
        for n, debt in enumerate(result.debts, start=1)
    ]
