"""The proposal engine: what to ask a lender for, sized to what the user can pay.

Capacity first (SPEC "How proposals are made"): every proposal's length is the fewest whole
months whose installments fit the limit in force on their due dates, up to ``MAX_TERM``; when
even that does not fit, the proposal is kept at ``MAX_TERM`` months, unaffordable, and its
payment is the payment that would be needed. One proposal per kind, most favourable first:

- ``pay_now``: the whole balance now, when cash or one month's limit covers it;
- ``lump_sum``: the principal now, the rest waived, when cash or one month's limit covers it;
- ``partial_lump_sum``: the cash now, the rest of the principal in interest-free installments;
- ``principal_only``: the principal in interest-free installments;
- ``penalty_waived``: principal + interest due at the contract rate, the penalty waived;
- ``installments``: the full balance, at the contract rate (interest on principal and interest
  due only) and interest-free (an ask);
- ``card_personalised`` (cards, art. 70): up to 60 months, interest-free (best case) and at the
  contract rate (realistic: stopping interest is negotiated, not a right);
- ``stepped``: the limit now until recovery, then the rest within the limit after recovery;
- ``deferral``: a pause until recovery, then principal + interest due at the contract rate within
  the limit then in force (contract interest accrues during the pause, as on any plan whose first
  payment is more than a month away: ``schedules.grown``).
"""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.balance import Breakdown, breakdown_of
from repaycli.core.dates import monthly_due_dates, months_between
from repaycli.core.models import (
    Affordability,
    Basis,
    Debt,
    Installment,
    PlatformKind,
    Proposal,
    ProposalKind,
    Situation,
)
from repaycli.core.money import ZERO
from repaycli.core.rates import HUNDRED, RateOutOfRange, annualise, dated_irr, monthly_irr
from repaycli.core.schedules import (
    MAX_TERM,
    Part,
    Sized,
    fits,
    level,
    sized_level,
    sized_stepped,
)
from repaycli.core.situation import share_of_disposable

#: A deferral without a recovery date asks for this many months, then the user writes again.
DEFAULT_PAUSE_MONTHS = 3

KIND_ORDER = {kind: i for i, kind in enumerate(ProposalKind)}


def pause_months(debt: Debt, situation: Situation, budget: Affordability) -> int:
    """How long a deferral asks for: until the first due date on or after recovery (at least
    one month); without a recovery date, ``DEFAULT_PAUSE_MONTHS`` for a hardship that passes or
    when nothing can be paid now; else 0 (no deferral)."""
    if situation.recovery is not None:
        if (
            budget.limit_after is not None
            and 0 < budget.limit
            and budget.limit_after <= budget.limit
        ):
            return 0  # the income "after" is no better: a pause would only postpone
        months = max(1, months_between(situation.start, situation.recovery))
        # Until recovery, however long (a long pause needs negotiating), within the term.
        return min(months, MAX_TERM - 1)
    temporary = situation.reason is not None and situation.reason.temporary
    if temporary or budget.limit <= 0:
        return DEFAULT_PAUSE_MONTHS
    return 0


class ProposalBuilder:
    """Turns schedules into proposals for one debt (shared facts held once)."""

    def __init__(self, debt: Debt, situation: Situation, budget: Affordability) -> None:
        self.debt = debt
        self.situation = situation
        self.budget = budget
        self.parts: Breakdown = breakdown_of(debt)
        self.longest_standard = max(debt.platform.periods, default=0)

    def make(
        self,
        *,
        pid: str,
        kind: ProposalKind,
        basis: Basis,
        part: Part,
        sized: Sized,
        down_payment: Decimal = ZERO,
        deferral: int = 0,
        payment_after: Decimal | None = None,
    ) -> Proposal:
        situation, budget, debt = self.situation, self.budget, self.debt
        balance = part.amount + down_payment
        flows = [(d, a) for d, a in zip(sized.dues, sized.amounts, strict=True)]
        if down_payment > 0:
            flows.insert(0, (situation.today, down_payment))
        try:
            monthly = dated_irr(situation.today, balance, flows)
        except RateOutOfRange:  # every payment today yet more than the balance (--start today)
            monthly = monthly_irr(balance, [a for _, a in flows])
        apr, apr_compound = annualise(monthly)
        total = sum(sized.amounts, ZERO) + down_payment
        regular = [a for a in sized.amounts if a > 0]
        payment = regular[0] if regular else down_payment
        standard = sized.periods <= self.longest_standard and (
            deferral <= debt.platform.max_deferral_months
        )
        if kind in (ProposalKind.PAY_NOW, ProposalKind.LUMP_SUM) and sized.periods == 1:
            standard = True
        schedule = [
            Installment(n=i + 1, due=due, amount=amount) for i, (due, amount) in enumerate(flows)
        ]
        return Proposal(
            id=pid,
            kind=kind,
            platform=debt.platform.id,
            periods=sized.periods,
            interest_free=part.rate == 0 or part.bearing == 0,
            annual_rate_percent=(part.rate * HUNDRED).quantize(Decimal("0.01")),
            deferral_months=deferral,
            basis=basis,
            balance=balance,
            interest_bearing=part.bearing if part.rate > 0 else ZERO,
            waived=debt.overdue - balance,
            down_payment=down_payment,
            payment=payment,
            payment_after=payment_after,
            total=total,
            cost=total - self.parts.principal,
            apr_percent=apr,
            apr_compound_percent=apr_compound,
            share_percent=share_of_disposable(payment, budget, flows[0][0]),
            affordable=sized.fits,
            standard=standard,
            needs_negotiation=not standard,
            schedule=schedule,
        )


def _now_from_cash(amount: Decimal, situation: Situation) -> bool:
    return situation.cash is not None and situation.cash >= amount


def _single(
    build: ProposalBuilder, amount: Decimal, *, pid: str, kind: ProposalKind, basis: Basis
) -> Proposal | None:
    """One payment of ``amount`` today, when the cash in hand or this month's limit covers it;
    ``None`` when neither does."""
    situation, budget = build.situation, build.budget
    today = situation.today
    if _now_from_cash(amount, situation) or budget.limit_on(today) >= amount:
        return build.make(
            pid=pid, kind=kind, basis=basis, part=Part(bearing=ZERO, flat=amount, rate=ZERO),
            sized=Sized(amounts=[amount], dues=[today], fits=True),
        )  # fmt: skip
    return None


def proposals_for(debt: Debt, situation: Situation, budget: Affordability) -> list[Proposal]:
    """Every candidate proposal for one debt, most favourable kind first."""
    build = ProposalBuilder(debt, situation, budget)
    parts = build.parts
    rate = debt.contract_rate
    start = situation.start
    result: list[Proposal] = []

    def add(proposal: Proposal | None) -> None:
        if proposal is not None:
            result.append(proposal)

    def level_plan(
        prefix: str, kind: ProposalKind, basis: Basis, part: Part, *, free: bool = False
    ) -> Proposal:
        sized = sized_level(part, start, budget, today=situation.today, anchor=situation.today)
        suffix = "-free" if free else ""
        return build.make(
            pid=f"{prefix}-{sized.periods}{suffix}", kind=kind, basis=basis, part=part, sized=sized
        )

    add(_single(build, debt.overdue, pid="pay-now", kind=ProposalKind.PAY_NOW,
                basis=Basis.FULL_BALANCE))  # fmt: skip
    has_extras = parts.principal < debt.overdue
    if has_extras:
        add(_single(build, parts.principal, pid="lump-sum", kind=ProposalKind.LUMP_SUM,
                    basis=Basis.PRINCIPAL))  # fmt: skip
    cash = situation.cash or ZERO
    if ZERO < cash < parts.principal and not any(p.kind is ProposalKind.LUMP_SUM for p in result):
        part = Part(bearing=ZERO, flat=parts.principal - cash, rate=ZERO)
        sized = sized_level(part, start, budget, anchor=situation.today)
        add(
            build.make(
                pid=f"partial-{sized.periods}",
                kind=ProposalKind.PARTIAL_LUMP_SUM,
                basis=Basis.PRINCIPAL,
                part=part,
                sized=sized,
                down_payment=cash,
            )
        )
    if has_extras:
        add(level_plan("principal", ProposalKind.PRINCIPAL_ONLY, Basis.PRINCIPAL,
                  Part(bearing=ZERO, flat=parts.principal, rate=ZERO)))  # fmt: skip
    without_penalty = Part(bearing=parts.bearing, flat=ZERO, rate=rate)
    if parts.penalty > 0:
        add(
            level_plan("waive", ProposalKind.PENALTY_WAIVED, Basis.WITHOUT_PENALTY, without_penalty)
        )
    full = Part(bearing=parts.bearing, flat=parts.penalty, rate=rate)
    interest_free = Part(bearing=ZERO, flat=debt.overdue, rate=ZERO)
    if debt.platform.kind is PlatformKind.CREDIT_CARD:
        # A card's installments beyond a bill plan are the personalised plan of art. 70.
        add(_card(build, interest_free, free=True))
        if rate > 0:
            add(_card(build, full, free=False))
    else:
        if rate > 0:
            add(level_plan("inst", ProposalKind.INSTALLMENTS, Basis.FULL_BALANCE, full))
        add(level_plan("inst", ProposalKind.INSTALLMENTS, Basis.FULL_BALANCE, interest_free,
                       free=True))  # fmt: skip
    stepped_part = without_penalty if parts.penalty > 0 else full
    stepped_basis = Basis.WITHOUT_PENALTY if parts.penalty > 0 else Basis.FULL_BALANCE
    sized_step = sized_stepped(
        stepped_part, start, budget, today=situation.today, anchor=situation.today
    )
    if sized_step is not None:
        after = sized_step.amounts[-1] if sized_step.periods else None
        for amount, due in zip(sized_step.amounts, sized_step.dues, strict=True):
            if budget.limit_after_from is not None and due >= budget.limit_after_from:
                after = amount
                break
        add(
            build.make(
                pid=f"step-{sized_step.periods}",
                kind=ProposalKind.STEPPED,
                basis=stepped_basis,
                part=stepped_part,
                sized=sized_step,
                payment_after=after,
            )
        )
    months = pause_months(debt, situation, budget)
    if months:
        sized = sized_level(
            stepped_part, start, budget, skip=months, today=situation.today, anchor=situation.today
        )
        add(
            build.make(
                pid=f"defer-{months}m-{sized.periods}",
                kind=ProposalKind.DEFERRAL,
                basis=stepped_basis,
                part=stepped_part,
                sized=sized,
                deferral=months,
            )
        )
    return sorted(result, key=lambda p: (KIND_ORDER[p.kind], not p.interest_free, p.periods))


def _card(build: ProposalBuilder, part: Part, *, free: bool) -> Proposal:
    """A credit card's personalised plan (art. 70, at most 60 months)."""
    situation = build.situation
    sized = sized_level(
        part, situation.start, build.budget, today=situation.today, anchor=situation.today
    )
    return build.make(
        pid=f"card-{sized.periods}{'-free' if free else ''}",
        kind=ProposalKind.CARD_PERSONALISED,
        basis=Basis.FULL_BALANCE,
        part=part,
        sized=sized,
    )


#: The interest-free kinds whose length an opening may stretch (to ask no more a month than the
#: target: it costs the user nothing).
STRETCHABLE = (
    ProposalKind.PARTIAL_LUMP_SUM,
    ProposalKind.PRINCIPAL_ONLY,
    ProposalKind.INSTALLMENTS,
    ProposalKind.CARD_PERSONALISED,
)


def stretched(
    debt: Debt, situation: Situation, budget: Affordability, proposal: Proposal, periods: int
) -> Proposal:
    """An interest-free level ``proposal`` over ``periods`` months instead (the same balance,
    the same down payment, the same first due date)."""
    build = ProposalBuilder(debt, situation, budget)
    part = Part(bearing=ZERO, flat=proposal.balance - proposal.down_payment, rate=ZERO)
    amounts = level(part, periods)
    dues = monthly_due_dates(situation.start, periods, anchor=situation.today)
    sized = Sized(amounts=amounts, dues=dues, fits=fits(amounts, dues, budget))
    stem = proposal.id.split("-")[0]
    return build.make(
        pid=f"{stem}-{periods}{'-free' if proposal.kind in _FREE_SUFFIX else ''}",
        kind=proposal.kind,
        basis=proposal.basis,
        part=part,
        sized=sized,
        down_payment=proposal.down_payment,
    )


_FREE_SUFFIX = (ProposalKind.INSTALLMENTS, ProposalKind.CARD_PERSONALISED)


def needed_payment(debt: Debt) -> Decimal:
    """The monthly payment that would clear the debt (the penalty waived, at the contract rate)
    over ``MAX_TERM`` months: what the hardship route says would be needed."""
    parts = breakdown_of(debt)
    return max(level(Part(bearing=parts.bearing, flat=ZERO, rate=debt.contract_rate), MAX_TERM))
