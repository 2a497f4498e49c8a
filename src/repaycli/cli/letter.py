"""``repaycli letter``: the written application (协商还款申请书 / hardship letter)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from repaycli.cli.common import LangOption, command_lang, today, write_out
from repaycli.cli.offer import parse_periods
from repaycli.errors import BadInput
from repaycli.files import check_target
from repaycli.i18n import get_lang, t
from repaycli.render.letter import LetterFormat

if TYPE_CHECKING:  # pydantic-backed: imported when the command runs, not at start-up
    from repaycli.core.letter import LetterFacts, PauseRequest, ProposedPlan
    from repaycli.core.models import Proposal, Reason
    from repaycli.core.plan import Worked
    from repaycli.lastplan import SavedDebt, SavedPlan, SavedProposal


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


def _saved_reason(text: str | None) -> Reason | None:
    from repaycli.core.models import Reason

    try:
        return Reason(text) if text else None
    except ValueError:
        return None


def build_facts(
    *,
    day: date,
    lang: str,
    proposal: str | None,
    platform: str | None,
    overdue: str | None,
    principal: str | None,
    days_overdue: str | None,
    income: str | None,
    expenses: str | None,
    reason: str | None,
    since: str | None,
    recovery: str | None,
    details: str | None,
    periods: str | None,
    income_after: str | None,
    payment: str | None,
    first_due: str | None,
) -> LetterFacts:
    """The letter's facts: the saved plan (unless --overdue is given), flags overriding it."""
    from repaycli.catalog import load_checklist
    from repaycli.core.checklist import documents_for
    from repaycli.core.dates import add_months, parse_date
    from repaycli.core.inputs import parse_reason
    from repaycli.core.letter import MAX_PERIODS, LetterFacts, check_details, custom_plan
    from repaycli.core.money import parse_amount

    n = None if periods is None else parse_periods(periods, high=MAX_PERIODS)
    pay = None if payment is None else parse_amount(payment, field="payment")
    first = (
        add_months(day, 1)
        if first_due is None
        else parse_date(first_due, today=day, field="first_due")
    )
    own_reason = None if reason is None else parse_reason(reason)
    plan: SavedPlan | None = None
    if overdue is None:
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
    the_income = None if income is None else parse_amount(income, field="income", allow_zero=True)
    the_expenses = (
        None if expenses is None else parse_amount(expenses, field="expenses", allow_zero=True)
    )
    the_income_after = (
        None
        if income_after is None
        else parse_amount(income_after, field="income_after", allow_zero=True)
    )
    situation_given = income is not None or expenses is not None or income_after is not None
    proposed: ProposedPlan | None = None
    pause: PauseRequest | None = None
    limit: Decimal | None = None
    limit_after: Decimal | None = None
    limit_after_from: date | None = None
    if plan is not None:
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
            back = the_recovery
            if recovery is not None:
                back = parse_date(recovery, today=day, field="recovery")
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
        assert overdue is not None
        amount = parse_amount(overdue, field="overdue")
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
                principal=None if principal is None else parse_amount(principal, field="principal"),
                days=0 if days_overdue is None else _days(days_overdue),
                income=the_income,
                expenses=the_expenses,
                reason=own_reason,
                recovery=None
                if recovery is None
                else parse_date(recovery, today=day, field="recovery"),
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
    if principal is not None:
        principal_value = parse_amount(principal, field="principal")
    if days_overdue is not None:
        days = parse_periods(days_overdue, field="days_overdue", low=0, high=3650)
    if recovery is not None:
        the_recovery = parse_date(recovery, today=day, field="recovery")
    return LetterFacts(
        today=day,
        platform_name=name,
        overdue=amount,
        principal=principal_value,
        days_overdue=days,
        reason=the_reason,
        since=None if since is None else parse_date(since, today=day, field="hardship_since"),
        details=None if details is None else check_details(details) or None,
        recovery=the_recovery,
        income=the_income,
        expenses=the_expenses,
        limit=limit,
        limit_after=limit_after,
        limit_after_from=limit_after_from,
        plan=proposed,
        pause=pause,
        documents=documents_for(load_checklist(), the_reason, lang),
    )


def _days(text: str) -> int:
    return parse_periods(text, field="days_overdue", low=0, high=3650)


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


def letter_format(fmt: str | None, output: Path | None) -> LetterFormat:
    """``--format``; without it plain text, the letter as it is sent, except for an ``-o`` file
    named ``.md`` / ``.markdown``, which is written as markdown."""
    if fmt is None:
        markdown = output is not None and output.suffix.lower() in (".md", ".markdown")
        return LetterFormat.MARKDOWN if markdown else LetterFormat.TEXT
    choices = [choice.value for choice in LetterFormat]
    if fmt.strip().lower() not in choices:
        raise BadInput("err.choice", field="format", value=fmt, choices=t("list_sep").join(choices))
    return LetterFormat(fmt.strip().lower())


def write_file(path: Path, text: str) -> None:
    """Write the letter in one step (a full disk never leaves half a letter), readable by the
    user alone: it holds their name, debts, income and hardship (a new file is 0600)."""
    from repaycli.files import write_private

    write_private(path, text.encode("utf-8"), error=BadInput, mode=0o600)


def letter(
    *,
    proposal: Annotated[
        str | None,
        typer.Option("--proposal", help="Proposal id from the saved plan (default: its opening)."),
    ] = None,
    platform: Annotated[str | None, typer.Option("--platform", help="Lender or platform.")] = None,
    overdue: Annotated[
        str | None,
        typer.Option("--overdue", help="Overdue balance (given: the saved plan is not used)."),
    ] = None,
    principal: Annotated[str | None, typer.Option("--principal", help="Principal part.")] = None,
    days_overdue: Annotated[
        str | None, typer.Option("--days-overdue", help="Days overdue.")
    ] = None,
    income: Annotated[str | None, typer.Option("--income", help="Monthly income.")] = None,
    expenses: Annotated[
        str | None, typer.Option("--expenses", help="Essential monthly expenses.")
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="medical, unemployment, income_drop, family_emergency, "
            "business_failure, oversight, other.",
        ),
    ] = None,  # fmt: skip
    since: Annotated[
        str | None, typer.Option("--since", help="When the hardship began (2026-03-01).")
    ] = None,
    recovery: Annotated[
        str | None, typer.Option("--recovery", help="When income should recover.")
    ] = None,
    income_after: Annotated[
        str | None,
        typer.Option("--income-after", help="Monthly income from the recovery date on."),
    ] = None,
    details: Annotated[
        str | None, typer.Option("--details", help="One or two sentences on what happened.")
    ] = None,
    periods: Annotated[str | None, typer.Option("--periods", help="Periods proposed.")] = None,
    payment: Annotated[
        str | None, typer.Option("--payment", help="Monthly payment proposed.")
    ] = None,
    first_due: Annotated[
        str | None, typer.Option("--first-due", help="First payment date (default: +1m).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="text (default; markdown for an -o file ending .md)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the letter to this file.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --output file.")
    ] = False,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="hardship (default), complaint, dispute or collection (from the log)."
        ),
    ] = "hardship",
    lang: LangOption = None,
) -> None:
    """Write the application letter (协商还款申请书) from the saved plan or from flags.

    Placeholders in brackets (【姓名】, [Your name]) are for you to fill in by hand.
    """
    command_lang(lang)
    style = letter_format(fmt, output)
    from repaycli.cli import evidence_letter

    if evidence_letter.parse_kind(kind) != "hardship":  # built from the log: cli/evidence_letter
        markdown = style is LetterFormat.MARKDOWN
        return evidence_letter.write(
            kind.strip().lower(), platform=platform, details=details, markdown=markdown,
            output=output, force=force,
        )  # fmt: skip
    day = today()
    language = get_lang()
    facts = build_facts(
        day=day,
        lang=language,
        proposal=proposal,
        platform=platform,
        overdue=overdue,
        principal=principal,
        days_overdue=days_overdue,
        income=income,
        expenses=expenses,
        reason=reason,
        since=since,
        recovery=recovery,
        details=details,
        periods=periods,
        income_after=income_after,
        payment=payment,
        first_due=first_due,
    )
    from repaycli.core.letter import check_fits
    from repaycli.render.letter import compose

    text = compose(check_fits(facts), lang=language, fmt=style)
    if output is None:
        write_out(text)
        return
    check_target(output, force=force)
    write_file(output, text)
    from repaycli.render.safe import safe_text

    typer.echo(t("letter.written", path=safe_text(str(output))), err=True)


def register(app: typer.Typer) -> None:
    app.command("letter")(letter)
