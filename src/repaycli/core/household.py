"""Several debts, negotiated lender by lender (SPEC "Several debts: negotiate each, share the
budget"). The public entry point is :func:`negotiate_household`.

1. **The limit is a schedule** of (from-date, amount) steps (``LimitStep``): the limit now, the
   limit after recovery, a what-if change — or whatever the caller gives (the debt register
   subtracts agreed installments month by month before the rest is shared).
2. **Household scenarios**, each allocated month by month over that schedule by the strategy,
   a cleared debt's share rolling on to the others (``core.allocate.simulate``):
   ``opening`` (every lender asked for its principal alone, interest stopped), ``target`` (the
   penalty waived at the contract rate) and ``walk_away`` (the whole balance at the contract
   rate).
3. **Walk-away lines.** The first of walk-away, target, opening that clears everything in
   ``MAX_TERM`` months is the reference: each lender's line on each due date is what that
   allocation gives it (the month's unused remainder to the lender cleared last), kept as a
   schedule of the dates it changes. On every due date the lines in force add up to the limit
   in force. When not even the opening fits, the lines are the limit shared in proportion
   (token payments), and each lender's card states the principal its line leaves unpaid in 60
   months: the reduction needed, in yuan.
4. **Each lender is negotiated like a one-debt plan** with its line as its limit: the same
   proposal kinds (``core.proposals``) plus each part paid along the line (a pause until the
   line opens, a payment that rises when it does), and the same ladder (``core.ladder``) —
   so no step of any ladder asks above its lender's line.

Pure: no printing, files or clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from repaycli.core.allocate import HORIZON, RUNAWAY, Account, Outcome, Strategy, simulate
from repaycli.core.balance import breakdown_of
from repaycli.core.dates import due_date
from repaycli.core.ladder import negotiate
from repaycli.core.models import (
    Affordability,
    Basis,
    Debt,
    Ladder,
    Money,
    PlatformKind,
    Proposal,
    ProposalKind,
    Situation,
)
from repaycli.core.money import FEN, ZERO, round_fen
from repaycli.core.proposals import ProposalBuilder, proposals_for
from repaycli.core.rates import MONTHS_PER_YEAR
from repaycli.core.record import Field, Model
from repaycli.core.schedules import MAX_TERM, Part, Sized


class LimitStep(Model):
    """An amount a month from a date on (a limit, or a lender's walk-away line)."""

    start: date
    amount: Money


def in_force(steps: Sequence[LimitStep], day: date) -> Decimal:
    """The amount of the last step begun on or before ``day`` (before the first: the first)."""
    found = steps[0].amount if steps else ZERO
    for step in steps:
        if step.start > day:
            break
        found = step.amount
    return found


def limits_from(
    budget: Affordability, today: date, change: tuple[Decimal, date] | None = None
) -> list[LimitStep]:
    """The limit schedule of an ``Affordability`` (now, and after recovery), with a what-if
    ``change`` (amount, from) replacing everything from its date on."""
    steps = [LimitStep(start=today, amount=budget.limit)]
    if budget.limit_after is not None and budget.limit_after_from is not None:
        steps.append(LimitStep(start=budget.limit_after_from, amount=budget.limit_after))
    if change is not None:
        amount, since = change
        steps = [s for s in steps if s.start < since] + [LimitStep(start=since, amount=amount)]
    return normalised(steps)


def normalised(steps: Sequence[LimitStep | tuple[date, Decimal]]) -> list[LimitStep]:
    """Steps sorted by date, one per date (the last given wins), a repeat of the amount in
    force dropped."""
    by_day: dict[date, Decimal] = {}
    for step in steps:
        start, amount = (step.start, step.amount) if isinstance(step, LimitStep) else step
        by_day[start] = Decimal(amount)
    result: list[LimitStep] = []
    for start in sorted(by_day):
        if result and result[-1].amount == by_day[start]:
            continue
        result.append(LimitStep(start=start, amount=by_day[start]))
    return result


class Terms(StrEnum):
    """What each lender is asked for in a household scenario."""

    #: The principal alone, interest stopped (and interest due, penalty and fees waived).
    OPENING = "opening"
    #: Principal and interest due at the contract rate, the penalty waived.
    TARGET = "target"
    #: The whole balance at the contract rate.
    WALK_AWAY = "walk_away"


class Status(StrEnum):
    #: The target scenario clears every debt within 60 months.
    FITS = "fits"
    #: Only with interest stopped does it clear within 60 months.
    INTEREST_MUST_STOP = "interest_must_stop"
    #: Not even the principal alone clears within 60 months: the hardship route.
    HARDSHIP = "hardship"


class ScenarioResult(Model):
    terms: Terms
    #: Months to clear every debt; ``None`` when not within the simulation's horizon.
    months: int | None
    within_term: bool
    finish: date | None
    #: What the household pays in all (``None`` when not cleared).
    total_paid: Money | None
    #: What the household pays in the first month (the limit then, but in the last month).
    monthly: Money
    payoff: dict[str, date | None]


class LenderTerms(Model):
    """One lender negotiated inside its share: its line, its proposals and its ladder."""

    id: str
    #: Its walk-away line: its share of the limit from each date it changes.
    lines: list[LimitStep]
    #: Its part of one-off extra payments, by due date (paid on top of the line).
    extras: list[LimitStep] = Field(default_factory=list)
    proposals: list[Proposal]
    ladder: Ladder
    #: The hardship route: how much of its principal its line leaves unpaid in 60 months.
    reduction_needed: Money | None = None

    def proposal(self, proposal_id: str | None) -> Proposal | None:
        return next((p for p in self.proposals if p.id == proposal_id), None)

    def line_on(self, day: date) -> Decimal:
        return in_force(self.lines, day)


class HouseholdSummary(Model):
    """The household's answer without the lenders: the limit schedule and the scenarios."""

    strategy: Strategy
    limits: list[LimitStep]
    status: Status
    #: The scenario the walk-away lines are shared by (``None`` on the hardship route).
    reference: Terms | None
    opening: ScenarioResult
    target: ScenarioResult
    walk_away: ScenarioResult
    total_overdue: Money
    total_principal: Money
    #: On the hardship route, the principal the limit leaves unpaid in 60 months.
    reduction_needed: Money | None
    #: The due dates the lines are worked out on (the reference's months, at least one).
    dues: list[date]


class Household(HouseholdSummary):
    """The household's negotiation: the limit schedule, the three scenarios, and each lender."""

    lenders: list[LenderTerms]

    def summary(self) -> HouseholdSummary:
        values = self.model_dump()
        values.pop("lenders")
        return HouseholdSummary(**{k: getattr(self, k) for k in values})

    def lender(self, lender_id: str) -> LenderTerms:
        return next(x for x in self.lenders if x.id == lender_id)


def _account(debt_id: str, debt: Debt, terms: Terms) -> Account:
    parts = breakdown_of(debt)
    if terms is Terms.OPENING:
        bearing, flat, rate = ZERO, parts.principal, ZERO
    elif terms is Terms.TARGET:
        bearing, flat, rate = parts.bearing, ZERO, debt.contract_rate
    else:
        bearing, flat, rate = parts.bearing, parts.penalty, debt.contract_rate
    return Account(
        id=debt_id,
        bearing=bearing,
        flat=flat,
        annual_rate=rate,
        kind=debt.platform.kind,
        overdue=debt.overdue,
        rank_rate=debt.contract_rate,
    )


def _summary(terms: Terms, outcome: Outcome) -> ScenarioResult:
    months = outcome.months
    return ScenarioResult(
        terms=terms,
        months=months,
        within_term=months is not None and months <= MAX_TERM,
        finish=outcome.dues[months - 1] if months is not None else None,
        total_paid=outcome.total_paid if months is not None else None,
        monthly=sum((column[0] for column in outcome.payments.values() if column), ZERO),
        payoff={
            key: outcome.dues[outcome.payoff[key]] if key in outcome.payoff else None
            for key in outcome.payments
        },
    )


def _lines(
    outcome: Outcome, limits: Sequence[LimitStep], extras: Mapping[int, Decimal], ids: list[str]
) -> tuple[dict[str, list[Decimal]], dict[str, list[Decimal]]]:
    """Each lender's line (its share of the limit) and its share of the extras, month by month.
    The lines of a month add up to the limit in force: a month's unused remainder goes to the
    lender cleared last (in the allocation's order)."""
    months = len(outcome.dues)
    lines = {i: [ZERO] * months for i in ids}
    extra_of = {i: [ZERO] * months for i in ids}
    last = ids[0]
    for m, due in enumerate(outcome.dues):
        limit = in_force(limits, due)
        capacity = outcome.capacity[m]
        extra = extras.get(m, ZERO)
        paid = {i: outcome.payments[i][m] for i in ids}
        if extra > 0 and capacity > 0:
            share = {i: (paid[i] * limit / capacity).quantize(FEN, ROUND_DOWN) for i in ids}
        else:
            share = dict(paid)
        spare = limit - sum(share.values(), ZERO)
        for i in ids:  # the rounding of the extras' part first, to those who paid more
            room = paid[i] - share[i]
            if spare <= 0:
                break
            if room > 0:
                give = min(room, spare)
                share[i] += give
                spare -= give
        payers = [i for i in ids if paid[i] > 0]
        if payers:
            cleared = [i for i in payers if outcome.payoff.get(i) == m]
            last = (cleared or payers)[-1]
        if spare > 0:
            share[last] += spare
        for i in ids:
            lines[i][m] = share[i]
            extra_of[i][m] = max(paid[i] - share[i], ZERO)
    return lines, extra_of


def _steps(dues: Sequence[date], amounts: Sequence[Decimal]) -> list[LimitStep]:
    steps: list[LimitStep] = []
    for due, amount in zip(dues, amounts, strict=True):
        if not steps or steps[-1].amount != amount:
            steps.append(LimitStep(start=due, amount=amount))
    return steps


class _LineBudget(Affordability):
    """A lender's limit: its line (plus its part of the extras) on each due date."""

    steps: list[LimitStep] = Field(default_factory=list)

    def limit_on(self, day: date) -> Decimal:
        return in_force(self.steps, day)


def _along_line(
    build: ProposalBuilder,
    part: Part,
    kind: ProposalKind,
    basis: Basis,
    stem: str,
    dues: Sequence[date],
) -> Proposal | None:
    """``part`` paid along the lender's line: each month the line in force (or what is left),
    interest accruing monthly as in the allocation; a pause while the line is zero. ``None``
    when it does not clear within ``MAX_TERM`` months of payments."""
    budget = build.budget
    bearing, flat = part.bearing, part.flat
    amounts: list[Decimal] = []
    for due in dues:
        if bearing > 0 and part.rate > 0:
            if bearing > RUNAWAY:  # interest outgrows every payment: it never clears
                return None
            bearing += round_fen(bearing * part.rate / MONTHS_PER_YEAR)
        pay = min(budget.limit_on(due), bearing + flat)
        to_bearing = min(pay, bearing)
        bearing -= to_bearing
        flat -= pay - to_bearing
        amounts.append(pay)
        if bearing + flat <= 0:
            break
    if bearing + flat > 0:
        return None
    skip = next((k for k, a in enumerate(amounts) if a > 0), len(amounts))
    # A month whose line is zero (the limit taken by an agreement) is a month without payment.
    rows = [(d, a) for d, a in zip(dues[skip:], amounts[skip:], strict=False) if a > 0]
    paid = [a for _, a in rows]
    if not paid or len(amounts) - skip > MAX_TERM:
        return None
    steady = paid[:-1] if len(paid) > 1 else paid
    rising = next((a for a in steady if a != paid[0]), None)
    if rising is None and paid[-1] > paid[0]:
        rising = paid[-1]  # the last month's line rose (another debt cleared): say so
    if skip > 0:
        kind = ProposalKind.DEFERRAL
    elif rising is not None:
        kind = ProposalKind.STEPPED
    return build.make(
        pid=f"line-{stem}-{len(paid)}",
        kind=kind,
        basis=basis,
        part=part,
        sized=Sized(amounts=paid, dues=[d for d, _ in rows], fits=True),
        deferral=skip,
        payment_after=rising,
    )


def _lender(
    debt_id: str,
    debt: Debt,
    situation: Situation,
    shared: Affordability,
    dues: Sequence[date],
    line: Sequence[Decimal],
    extra: Sequence[Decimal],
    reduction: Decimal | None,
) -> LenderTerms:
    lines = _steps(dues, line)
    # What it may be paid: its line and its part of the extras, and nothing once the household
    # plan is over (a line held beyond it would let one lender's plan outlast the household's).
    after = due_date(situation.start, len(dues), situation.today)
    room = _steps([*dues, after], [*(a + b for a, b in zip(line, extra, strict=True)), ZERO])
    budget = _LineBudget(
        **{
            **shared.model_dump(),
            "limit": line[0],
            "limit_after": None,
            "limit_after_from": None,
            "steps": room,
        }
    )
    # The lender's own negotiation: no recovery of its own (its line holds that), no cash.
    own = situation.model_copy(update={"cash": None, "recovery": None, "income_after": None})
    found = proposals_for(debt, own, budget)
    build = ProposalBuilder(debt, own, budget)
    parts = build.parts
    card = debt.platform.kind is PlatformKind.CREDIT_CARD
    rate = debt.contract_rate
    whole = ProposalKind.CARD_PERSONALISED if card else ProposalKind.INSTALLMENTS
    shapes: list[tuple[Part, ProposalKind, Basis, str]] = [
        (
            Part(bearing=ZERO, flat=parts.principal, rate=ZERO),
            ProposalKind.PRINCIPAL_ONLY if parts.principal < debt.overdue else whole,
            Basis.PRINCIPAL if parts.principal < debt.overdue else Basis.FULL_BALANCE,
            "principal",
        ),
        (
            Part(bearing=parts.bearing, flat=ZERO, rate=rate),
            ProposalKind.PENALTY_WAIVED if parts.penalty > 0 else whole,
            Basis.WITHOUT_PENALTY if parts.penalty > 0 else Basis.FULL_BALANCE,
            "waive" if parts.penalty > 0 else "inst",
        ),
    ]
    if parts.penalty > 0:
        shapes.append(
            (Part(bearing=parts.bearing, flat=parts.penalty, rate=rate), whole,
             Basis.FULL_BALANCE, "inst")
        )  # fmt: skip
    known = {p.id for p in found}
    horizon = [due_date(situation.start, m, situation.today) for m in range(len(dues) + MAX_TERM)]
    for part, kind, basis, stem in shapes:
        shaped = _along_line(build, part, kind, basis, stem, horizon)
        if shaped is not None and shaped.id not in known:
            found.append(shaped)
            known.add(shaped.id)
    proposals, ladder = negotiate(found, budget, debt, own)
    opening = next((p for p in proposals if p.id == ladder.opening), None)
    if ladder.hardship is not None and opening is not None and opening.affordable:
        # Nothing for this lender until its line opens (its turn): a pause until then is its
        # plan, not the hardship route — unless the household is on that route.
        first_due = opening.schedule[0].due
        ladder = ladder.model_copy(
            update={
                "hardship": None
                if reduction is None
                else ladder.hardship.model_copy(
                    update={"pause_months": opening.deferral_months, "write_again": first_due}
                )
            }
        )
    return LenderTerms(
        id=debt_id,
        lines=lines,
        extras=[LimitStep(start=d, amount=a) for d, a in zip(dues, extra, strict=True) if a > 0],
        proposals=proposals,
        ladder=ladder,
        reduction_needed=reduction,
    )


def negotiate_household(
    debts: Sequence[Debt],
    situation: Situation,
    *,
    ids: Sequence[str],
    budget: Affordability,
    limits: Sequence[LimitStep | tuple[date, Decimal]] | None = None,
    strategy: Strategy = Strategy.PRORATA,
    first: Sequence[str] = (),
    extras: Mapping[int, Decimal] | None = None,
) -> Household:
    """Negotiate every lender inside its share of the limit (``negotiated`` also gives the
    month-by-month allocation the lines come from)."""
    return negotiated(
        debts,
        situation,
        ids=ids,
        budget=budget,
        limits=limits,
        strategy=strategy,
        first=first,
        extras=extras,
    )[0]


def negotiated(
    debts: Sequence[Debt],
    situation: Situation,
    *,
    ids: Sequence[str],
    budget: Affordability,
    limits: Sequence[LimitStep | tuple[date, Decimal]] | None = None,
    strategy: Strategy = Strategy.PRORATA,
    first: Sequence[str] = (),
    extras: Mapping[int, Decimal] | None = None,
) -> tuple[Household, Outcome]:
    """Negotiate every lender inside its share of the limit.

    ``limits``: the monthly limit as (from-date, amount) steps (default: ``budget``'s limit now
    and after recovery); ``extras``: one-off extra payments by month index from
    ``situation.start``; ``ids``: one id per debt (``core.multi.debt_ids``); ``first``: ids to
    pay first. ``budget`` is the household's affordability (income, disposable …) that each
    lender's limit is made from.
    """
    steps = normalised(limits) if limits else limits_from(budget, situation.today)
    extras = dict(extras or {})
    ids = list(ids)

    def run(terms: Terms, name: Strategy = strategy, horizon: int | None = None) -> Outcome:
        return simulate(
            [_account(i, d, terms) for i, d in zip(ids, debts, strict=True)],
            name,
            start=situation.start,
            limit_on=lambda day: in_force(steps, day),
            extras=extras,
            first=first,
            anchor=situation.today,
            horizon=HORIZON if horizon is None else horizon,
        )

    outcomes = {terms: run(terms) for terms in Terms}
    summaries = {terms: _summary(terms, o) for terms, o in outcomes.items()}
    principal = {i: breakdown_of(d).principal for i, d in zip(ids, debts, strict=True)}
    reference = next(
        (t for t in (Terms.WALK_AWAY, Terms.TARGET, Terms.OPENING) if summaries[t].within_term),
        None,
    )
    if summaries[Terms.TARGET].within_term:
        status = Status.FITS
    elif summaries[Terms.OPENING].within_term:
        status = Status.INTEREST_MUST_STOP
    else:
        status = Status.HARDSHIP
    reductions: dict[str, Decimal | None] = dict.fromkeys(ids)
    household_reduction: Decimal | None = None
    if reference is None:
        # Token payments in proportion: the principal shared by balance over 60 months.
        shared = run(Terms.OPENING, Strategy.PRORATA, MAX_TERM)
        for i in ids:
            reductions[i] = max(principal[i] - shared.paid_to(i), ZERO)
        household_reduction = sum((r or ZERO for r in reductions.values()), ZERO)
    else:
        shared = outcomes[reference]
    if not shared.dues:  # nothing owed at all cannot happen (overdue > 0); kept total
        raise ValueError("a household plan needs at least one month")
    lines, extra_of = _lines(shared, steps, extras, ids)
    lenders = [
        _lender(i, d, situation, budget, shared.dues, lines[i], extra_of[i], reductions[i])
        for i, d in zip(ids, debts, strict=True)
    ]
    household = Household(
        strategy=strategy,
        limits=steps,
        status=status,
        reference=reference,
        opening=summaries[Terms.OPENING],
        target=summaries[Terms.TARGET],
        walk_away=summaries[Terms.WALK_AWAY],
        total_overdue=sum((d.overdue for d in debts), ZERO),
        total_principal=sum(principal.values(), ZERO),
        reduction_needed=household_reduction,
        dues=list(shared.dues),
        lenders=lenders,
    )
    return household, shared
