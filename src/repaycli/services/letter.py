"""The hardship letter's facts (``repaycli letter``): the one step the CLI, the call screen
and the report call to turn a request into ``LetterFacts``.

It reads the saved plan (``lastplan``) and the platform catalogue, works a plan out again with
the engine when the situation changed, and chooses what the letter asks for; it parses nothing
(the front-end hands in typed values) and prints nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from repaycli.errors import BadInput
from repaycli.i18n import t

if TYPE_CHECKING:  # pydantic-backed: imported when a letter is built, not at start-up
    from repaycli.core.letter import LetterFacts, PauseRequest, ProposedPlan
    from repaycli.core.models import Proposal, Reason
    from repaycli.core.plan import Worked
    from repaycli.lastplan import SavedDebt, SavedPlan, SavedProposal


@dataclass(frozen=True)
class LetterRequest:
    """What the user asked for, parsed; ``None`` means not given (the saved plan's value, or a
    placeholder, is used)."""

    day: date
    lang: str
    proposal: str | None = None
    platform: str | None = None
    #: Given: the saved plan is not used.
    overdue: Decimal | None = None
    principal: Decimal | None = None
    days_overdue: int | None = None
    income: Decimal | None = None
    expenses: Decimal | None = None
    reason: Reason | None = None
    since: date | None = None
    recovery: date | None = None
    details: str | None = None
    periods: int | None = None
    income_after: Decimal | None = None
    payment: Decimal | None = None
    first_due: date | None = None


def _plan_of(proposal: SavedProposal | Proposal) -> ProposedPlan:
    """The letter's plan from a proposal: one read from the saved plan or a fresh one."""
    from repaycli.core.letter import proposed_from

    return proposed_from(
        kind=str(proposal.kind),
        pid=proposal.id,
        payment=proposal.payment,
        total=proposal.total,
        schedule=[(row.due, row.amount) for row in proposal.schedule],
        deferral_months=proposal.deferral_months,
        down_payment=proposal.down_payment,
        payment_after=proposal.payment_after,
        waived=proposal.waived,
        interest_free=bool(proposal.interest_free),
    )


def choose_proposal(plan: SavedPlan, wanted: str | None) -> SavedProposal:
    """``--proposal ID``; else the ladder's opening (the user's ask: the letter asks for the
    interest to be frozen), else its target."""
    if wanted is not None:
        found = plan.proposal(wanted.strip())
        if found is None:
            ids = t("list_sep").join(p.id for p in plan.proposals) or "—"
            raise BadInput("letter.err.proposal_unknown", value=wanted, ids=ids)
        return found
    if plan.ladder is not None:
        for proposal_id in (plan.ladder.opening, plan.ladder.target):
            found = plan.proposal(proposal_id) if proposal_id else None
            if found is not None:
                return found
    raise BadInput("letter.err.no_proposal")


def _pause(months: int, write_again: date) -> PauseRequest:
    from repaycli.core.letter import PauseRequest

    return PauseRequest(months=months, write_again=write_again)


def _debt_for(plan: SavedPlan, proposal: SavedProposal | None) -> SavedDebt:
    if not plan.debts:
        raise BadInput("letter.err.no_plan")
    for debt in plan.debts:
        if proposal is not None and debt.platform == proposal.platform:
            return debt
    return plan.debts[0]


def _platform_name(platform_id: str | None, fallback: str | None, lang: str) -> str | None:
    """The platform's name in the letter's language, from the catalogue when it knows the id."""
    if platform_id is None:
        return fallback
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    try:
        return load_catalogue(user_platforms_file()).resolve(platform_id).name(lang)
    except BadInput:
        return fallback or platform_id


def _given_platform(text: str, lang: str) -> str | None:
    """``--platform`` resolved through the catalogue (an unknown name is refused with the close
    ones, as in ``plan``); ``other`` names no lender, so the placeholder stays."""
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    found = load_catalogue(user_platforms_file()).resolve(text)
    return None if found.id == "other" else found.name(lang)


def _check_same_lender(plan: SavedPlan, text: str, lang: str) -> None:
    """``--platform`` with the saved plan names the lender the letter goes to; the plan's
    figures belong to the saved debt, so another lender is refused rather than given them."""
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    found = load_catalogue(user_platforms_file()).resolve(text)
    saved = {debt.platform for debt in plan.debts}
    if found.id == "other" or found.id in saved or "other" in saved:
        return
    names = t("list_sep").join(
        _platform_name(debt.platform, debt.platform_name, lang) or debt.platform
        for debt in plan.debts
    )
    raise BadInput("letter.err.other_lender", platform=found.name(lang), id=found.id, saved=names)


def _saved_reason(text: str | None) -> Reason | None:
    from repaycli.core.models import Reason

    try:
        return Reason(text) if text else None
    except ValueError:
        return None


def build_facts(request: LetterRequest) -> LetterFacts:
    """The letter's facts: the saved plan (unless ``overdue`` is given), the request's values
    overriding it; a plan worked out again when new income or expenses come without a chosen
    plan."""
    from repaycli.catalog import load_checklist
    from repaycli.core.checklist import documents_for
    from repaycli.core.dates import add_months
    from repaycli.core.letter import LetterFacts, custom_plan

    day, lang, proposal, platform = request.day, request.lang, request.proposal, request.platform
    n, pay, own_reason = request.periods, request.payment, request.reason
    first = add_months(day, 1) if request.first_due is None else request.first_due
    plan: SavedPlan | None = None
    picture: str | None = None
    line_steps: list[tuple[date, Decimal]] | None = None
    if request.overdue is None and platform is not None:
        from repaycli.services.household import letter_plan

        found = letter_plan(platform, lang)
        if found is not None:
            plan, picture, line_steps = found
    if request.overdue is None and plan is None:
        from repaycli.lastplan import read_last_plan
        from repaycli.paths import last_plan_path

        plan = read_last_plan(last_plan_path())
        if plan is None:
            raise BadInput("letter.err.no_plan")

    amount: Decimal
    principal_value: Decimal | None = None
    days: int | None = None
    name: str | None = None
    the_reason = own_reason
    the_recovery = None
    the_income, the_expenses = request.income, request.expenses
    the_income_after = request.income_after
    situation_given = (
        the_income is not None or the_expenses is not None or the_income_after is not None
    )
    proposed: ProposedPlan | None = None
    pause: PauseRequest | None = None
    limit: Decimal | None = None
    limit_after: Decimal | None = None
    limit_after_from: date | None = None
    cash: Decimal | None = None
    if plan is not None:
        cash = plan.cash
        chosen: SavedProposal | None = None
        hardship = plan.ladder.hardship if plan.ladder is not None else None
        has_ask = plan.ladder is not None and (plan.ladder.opening or plan.ladder.target)
        # New income or expenses without a chosen plan: the plan is worked out again for them.
        rework = situation_given and proposal is None and n is None and pay is None
        if proposal is not None or (
            n is None and pay is None and not rework and (has_ask or hardship is None)
        ):
            chosen = choose_proposal(plan, proposal)
        debt = _debt_for(plan, chosen)
        if platform is not None:
            _check_same_lender(plan, platform, lang)
        amount, principal_value, days = debt.overdue, debt.principal, debt.days_overdue
        name = _platform_name(debt.platform, debt.platform_name, lang)
        if platform is not None:
            name = _given_platform(platform, lang)
        if chosen is not None:
            proposed = _plan_of(chosen)
        elif n is not None or pay is not None:
            proposed = custom_plan(amount, periods=n, payment=pay, first_due=first)
        elif hardship is not None and not rework:
            pause = _pause(hardship.pause_months, hardship.write_again)
        the_reason = the_reason or _saved_reason(plan.reason)
        the_recovery = plan.recovery
        budget = plan.affordability
        if budget is not None:
            the_income = the_income if the_income is not None else budget.income
            the_expenses = the_expenses if the_expenses is not None else budget.expenses
        if budget is not None and not situation_given:
            limit = budget.limit
            if plan.ladder is not None:
                limit_after = plan.ladder.walk_away_after
                limit_after_from = plan.ladder.walk_away_after_from
        if rework and the_income is not None:
            back = request.recovery if request.recovery is not None else the_recovery
            worked = _work_out(
                day=day,
                platform=debt.platform,
                amount=amount,
                principal=principal_value,
                days=days or 0,
                income=the_income,
                expenses=the_expenses,
                reason=the_reason,
                recovery=back,
                income_after=the_income_after,
                first=first,
            )
            proposed, pause = _from_engine(worked, None)
            limit, limit_after = worked.budget.limit, worked.budget.limit_after
            limit_after_from = worked.budget.limit_after_from
    else:
        assert request.overdue is not None
        amount = request.overdue
        name = None if platform is None else _given_platform(platform, lang)
        if n is not None or pay is not None:
            proposed = custom_plan(amount, periods=n, payment=pay, first_due=first)
        else:
            if the_income is None:
                raise BadInput("letter.err.no_income")
            worked = _work_out(
                day=day,
                platform=platform,
                amount=amount,
                principal=request.principal,
                days=request.days_overdue or 0,
                income=the_income,
                expenses=the_expenses,
                reason=own_reason,
                recovery=request.recovery,
                income_after=the_income_after,
                first=first,
            )
            proposed, pause = _from_engine(worked, proposal)
            limit, limit_after = worked.budget.limit, worked.budget.limit_after
            limit_after_from = worked.budget.limit_after_from
    if limit is None and the_income is not None:
        from repaycli.core.models import Situation
        from repaycli.core.situation import affordability

        situation = Situation(today=day, start=day, income=the_income, expenses=the_expenses)
        limit = affordability(situation).limit
    if request.principal is not None:
        principal_value = request.principal
    if request.days_overdue is not None:
        days = request.days_overdue
    if request.recovery is not None:
        the_recovery = request.recovery
    return LetterFacts(
        today=day,
        platform_name=name,
        overdue=amount,
        principal=principal_value,
        days_overdue=days,
        reason=the_reason,
        since=request.since,
        details=request.details or None,
        recovery=the_recovery,
        income=the_income,
        expenses=the_expenses,
        limit=limit,
        limit_after=limit_after,
        limit_after_from=limit_after_from,
        # the lender's line in the household plan, unless new figures were given
        limit_steps=line_steps if line_steps and not situation_given else None,
        cash=cash,
        plan=proposed,
        pause=pause,
        documents=documents_for(load_checklist(), the_reason, lang),
        household=picture,
    )


def _work_out(
    *,
    day: date,
    platform: str | None,
    amount: Decimal,
    principal: Decimal | None,
    days: int,
    income: Decimal,
    expenses: Decimal | None,
    reason: Reason | None,
    recovery: date | None,
    income_after: Decimal | None,
    first: date,
) -> Worked:
    """The capacity-first plan for the letter's situation (as ``plan`` would make it)."""
    from repaycli.catalog import load_catalogue
    from repaycli.core.models import Debt, Situation
    from repaycli.core.plan import work_out
    from repaycli.paths import user_platforms_file

    catalogue = load_catalogue(user_platforms_file())
    lender = catalogue.resolve(platform) if platform is not None else catalogue.get("other")
    debt = Debt(platform=lender, overdue=amount, principal=principal, days_overdue=days)
    back = recovery if recovery is not None and recovery > day else None
    situation = Situation(
        today=day,
        income=income,
        expenses=expenses,
        reason=reason,
        recovery=back,
        income_after=income_after if back is not None else None,
        start=first,
    )
    return work_out(debt, situation)


def _from_engine(
    worked: Worked, wanted: str | None
) -> tuple[ProposedPlan | None, PauseRequest | None]:
    """The engine's opening (or ``--proposal``), else the hardship route's pause."""
    pid = wanted.strip() if wanted is not None else worked.ladder.opening
    fresh = worked.proposal(pid)
    if wanted is not None and fresh is None:
        ids = t("list_sep").join(p.id for p in worked.proposals) or "—"
        raise BadInput("letter.err.proposal_unknown", value=wanted, ids=ids)
    if fresh is not None:
        return _plan_of(fresh), None
    route = worked.ladder.hardship
    if route is not None:
        return None, _pause(route.pause_months, route.write_again)
    raise BadInput("letter.err.no_proposal")  # pragma: no cover - a plan or the hardship route
