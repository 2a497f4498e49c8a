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
    from repaycli.core.letter import LetterFacts, ProposedPlan
    from repaycli.core.models import Reason
    from repaycli.lastplan import SavedDebt, SavedPlan, SavedProposal


def _saved_plan_of(proposal: SavedProposal) -> ProposedPlan:
    from repaycli.core.letter import ProposedPlan

    schedule = proposal.schedule
    return ProposedPlan(
        kind=proposal.kind,
        id=proposal.id,
        periods=proposal.periods,
        payment=proposal.payment,
        total=proposal.total,
        first_due=schedule[0].due if schedule else None,
        last_due=schedule[-1].due if schedule else None,
        last_amount=schedule[-1].amount if schedule else proposal.payment,
        largest=max((row.amount for row in schedule), default=proposal.payment),
        deferral_months=proposal.deferral_months,
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
    if plan is not None:
        chosen: SavedProposal | None = None
        if proposal is not None or (n is None and pay is None):
            chosen = choose_proposal(plan, proposal)
        debt = _debt_for(plan, chosen)
        amount, principal_value, days = debt.overdue, debt.principal, debt.days_overdue
        name = _platform_name(debt.platform, debt.platform_name, lang)
        if platform is not None:
            name = _given_platform(platform, lang)
        proposed = (
            _saved_plan_of(chosen)
            if chosen is not None
            else custom_plan(amount, periods=n, payment=pay, first_due=first)
        )
        the_reason = the_reason or _saved_reason(plan.reason)
        the_recovery = plan.recovery
        budget = plan.affordability
        if budget is not None:
            the_income = the_income if the_income is not None else budget.income
            the_expenses = the_expenses if the_expenses is not None else budget.expenses
    else:
        assert overdue is not None
        amount = parse_amount(overdue, field="overdue")
        name = None if platform is None else _given_platform(platform, lang)
        proposed = custom_plan(amount, periods=n, payment=pay, first_due=first)
    limit: Decimal | None = None
    if plan is not None and plan.affordability is not None and income is None and expenses is None:
        limit = plan.affordability.limit
    elif the_income is not None:
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
        plan=proposed,
        documents=documents_for(load_checklist(), the_reason, lang),
    )


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
        str, typer.Option("--format", help="markdown (default) or text.")
    ] = LetterFormat.MARKDOWN.value,
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
    choices = [choice.value for choice in LetterFormat]
    if fmt.strip().lower() not in choices:
        raise BadInput("err.choice", field="format", value=fmt, choices=t("list_sep").join(choices))
    style = LetterFormat(fmt.strip().lower())
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
        payment=payment,
        first_due=first_due,
    )
    from repaycli.render.letter import compose

    text = compose(facts, lang=language, fmt=style)
    if facts.fits is False and facts.limit is not None:
        from repaycli.cli.offer import warn
        from repaycli.core.money import format_money

        fewer = facts.periods_to_fit()
        warn(
            BadInput(
                "letter.warn.above_limit" if fewer else "letter.warn.above_limit_defer",
                payment=format_money(facts.plan.largest),
                limit=format_money(facts.limit),
                periods=fewer or 0,
            )
        )
    if output is None:
        write_out(text)
        return
    check_target(output, force=force)
    write_file(output, text)
    from repaycli.render.safe import safe_text

    typer.echo(t("letter.written", path=safe_text(str(output))), err=True)


def register(app: typer.Typer) -> None:
    app.command("letter")(letter)
