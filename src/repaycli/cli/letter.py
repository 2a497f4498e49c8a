"""``repaycli letter``: the written application (协商还款申请书 / hardship letter)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from repaycli.cli.common import LangOption, NoInputOption, command_lang, today, write_out
from repaycli.cli.offer import parse_periods
from repaycli.errors import BadInput
from repaycli.files import check_target
from repaycli.i18n import get_lang, t
from repaycli.render.letter import LetterFormat

if TYPE_CHECKING:  # imported when the command runs, not at start-up
    from repaycli.services.letter import LetterRequest


def _request(
    *,
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
) -> LetterRequest:
    """The options, parsed: one clear line for the first bad value."""
    from repaycli.core.dates import parse_date
    from repaycli.core.dates_spoken import Prefer
    from repaycli.core.inputs import parse_reason
    from repaycli.core.letter import MAX_PERIODS, check_details
    from repaycli.core.money import parse_amount
    from repaycli.services.letter import LetterRequest

    day = today()

    def money(text: str | None, field: str, *, allow_zero: bool = False) -> Decimal | None:
        return None if text is None else parse_amount(text, field=field, allow_zero=allow_zero)

    def when(text: str | None, field: str, prefer: Prefer = "future") -> date | None:
        return None if text is None else parse_date(text, today=day, field=field, prefer=prefer)

    return LetterRequest(
        day=day,
        lang=get_lang(),
        periods=None if periods is None else parse_periods(periods, high=MAX_PERIODS),
        payment=money(payment, "payment"),
        first_due=when(first_due, "first_due"),
        reason=None if reason is None else parse_reason(reason),
        income=money(income, "income", allow_zero=True),
        expenses=money(expenses, "expenses", allow_zero=True),
        income_after=money(income_after, "income_after", allow_zero=True),
        recovery=when(recovery, "recovery"),
        overdue=money(overdue, "overdue"),
        principal=money(principal, "principal"),
        days_overdue=None
        if days_overdue is None
        else parse_periods(days_overdue, field="days_overdue", low=0, high=3650),
        since=when(since, "hardship_since", "past"),
        details=None if details is None else check_details(details),
        proposal=proposal,
        platform=platform,
    )


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
            help="medical, unemployment, income drop, family emergency, "
            "business failure, oversight, other.",
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
    no_input: NoInputOption = False,
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
            output=output, force=force, no_input=no_input,
        )  # fmt: skip
    from repaycli.services.letter import build_facts

    request = _request(
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

    facts = build_facts(request)
    if facts.household is not None and request.platform is not None:
        from repaycli.services.household import which_plan

        typer.echo(which_plan(request.platform), err=True)  # the letter itself stays clean
    text = compose(check_fits(facts), lang=request.lang, fmt=style)
    if output is None:
        write_out(text)
        return
    check_target(output, force=force)
    write_file(output, text)
    from repaycli.render.safe import safe_text

    typer.echo(t("letter.written", path=safe_text(str(output))), err=True)


def register(app: typer.Typer) -> None:
    app.command("letter")(letter)
