"""``repaycli report``: the printable negotiation pack, one self-contained HTML file.

It reads the saved plan, or takes the same situation flags and ``--debts FILE`` as ``plan``
(and works the plan out with ``plan``'s own functions); ``--log`` adds the evidence timeline.
Jinja2 is imported here only, when the command runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from repaycli.cli.common import LangOption, NoInputOption, command_lang
from repaycli.errors import BadInput

if TYPE_CHECKING:  # pydantic-backed: imported when the command runs, not at start-up
    from repaycli.core.models import PlanResult
    from repaycli.core.multi import MultiPlanResult
    from repaycli.report.build import HandOver, Report, Timeline


@contextmanager
def _saved_plan_guard(saved: bool) -> Iterator[None]:
    """A hand-edited ``last-plan.json`` can hold values no plan makes (a due date in 9999, a
    ladder step that does not exist, an amount of 1e999) that pass the model yet break the
    page: one line naming the file, not a traceback. A plan made by this run is not guarded."""
    if not saved:
        yield
        return
    try:
        yield
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        from repaycli.damage import damage_in_database

        if damage_in_database() is not None:  # the timeline, read as the page is drawn
            raise  # the command names the damaged row
        from repaycli.errors import Failure
        from repaycli.paths import last_plan_path

        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise Failure("report.err.saved_shape", path=str(last_plan_path()), detail=detail) from exc


def _saved_plan() -> PlanResult:
    """The plan ``repaycli plan`` saved last, whole: the report shows what the user saw."""
    from repaycli.core.models import PlanResult
    from repaycli.core.revive import revive_json
    from repaycli.errors import Failure
    from repaycli.i18n import get_lang
    from repaycli.lastplan import read_last_plan
    from repaycli.paths import last_plan_path
    from repaycli.safeload import read_text

    path = last_plan_path()
    if read_last_plan(path) is None:  # missing; unreadable or newer: its own error line
        raise BadInput("report.err.no_plan")
    try:
        result = revive_json(PlanResult, read_text(path, limit=64 * 1024 * 1024))
    except (OSError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise Failure("report.err.saved_shape", path=str(path), detail=detail) from exc
    # The JSON keeps two places ("50.00"); the wording shows the share as it was given (50%).
    budget = result.affordability
    share = Decimal(f"{budget.share_percent.normalize():f}")
    update: dict[str, object] = {
        "affordability": budget.model_copy(update={"share_percent": share})
    }
    if result.lang != get_lang():  # names in the page's language; the checklist stays as made
        from repaycli.catalog import load_catalogue
        from repaycli.i18n import t
        from repaycli.paths import user_platforms_file

        catalogue = load_catalogue(user_platforms_file())
        known = {p.id: p.name(get_lang()) for p in catalogue.platforms}
        update["debts"] = [
            d.model_copy(update={"platform_name": known.get(d.platform, d.platform_name)})
            for d in result.debts
        ]
        typer.echo(t("report.lang_differs", lang=result.lang), err=True)
    return result.model_copy(update=update)


def read_timeline(stack: ExitStack) -> Timeline:
    """The log as evidence: every entry in the order written, the fingerprint ``log
    fingerprint`` gives (only for an intact log), the agreements and their payments.

    The chains are checked and the conduct flags found here, a pass each; the entries and the
    agreements are read again as the page is drawn, all in one read transaction that ``stack``
    ends: the page shows the log of one moment, and never holds it whole."""
    from repaycli import store
    from repaycli.cli.common import have_database
    from repaycli.i18n import t
    from repaycli.report.build import Reread, Timeline, nothing
    from repaycli.services.evidence import evidence_state

    if not have_database():
        return Timeline(
            entries=Reread(nothing), fingerprint=None, problem=None, agreements=Reread(nothing)
        )
    conn = stack.enter_context(store.opened(read_only=True))
    stack.enter_context(store.snapshot(conn))
    state = evidence_state(conn)
    from repaycli.services.collection import log_conduct

    flags = log_conduct(conn)[0]  # the log read a day at a time: never in one list
    failure = state.problem()
    problem = (
        None
        if failure is None
        else t("report.chain_broken", detail=t(failure.key, **failure.params))
    )
    code = state.fingerprint
    from repaycli.catalog import load_catalogue
    from repaycli.i18n import get_lang
    from repaycli.paths import user_platforms_file

    catalogue = load_catalogue(user_platforms_file())
    names = {p.id: p.name(get_lang()) for p in catalogue.platforms}
    from repaycli.render.conduct import conduct_lines

    conduct = (
        conduct_lines(flags, True, name_of=lambda pid: names.get(pid, pid), titled=False)
        if flags
        else []
    )
    return Timeline(
        entries=Reread(lambda platform: store.iter_log(conn, platform=platform, salts=False)),
        fingerprint=code,
        problem=problem,
        agreements=Reread(lambda platform: store.iter_agreement_lines(conn, platform=platform)),
        names=names,
        conduct=conduct,
    )


def _lender_id(result: MultiPlanResult, text: str) -> str:
    """``--lender``: a debt of the plan by its id, its platform id or name, or any name the
    catalogue knows for its platform (招行 for 招商银行信用卡)."""
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    wanted = text.strip()
    for debt in result.debts:
        if wanted.casefold() in {debt.id.casefold(), debt.platform.casefold()} or (
            wanted == debt.platform_name
        ):
            return debt.id
    try:
        platform = load_catalogue(user_platforms_file()).resolve(wanted).id
    except BadInput:
        platform = None
    found = [d.id for d in result.debts if d.platform == platform and platform != "other"]
    if len(found) == 1:
        return found[0]
    from repaycli.i18n import t

    names = t("list_sep").join(f"{d.id} ({d.platform_name})" for d in result.debts)
    raise BadInput("report.err.lender_unknown", value=text, names=names)


def _check_lender(platform: str, name: str, text: str) -> None:
    """``--lender`` with one debt: it must name that debt's lender."""
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    wanted = text.strip()
    if wanted.casefold() == platform.casefold() or wanted == name:
        return
    try:
        if load_catalogue(user_platforms_file()).resolve(wanted).id == platform:
            return
    except BadInput:
        pass
    raise BadInput("report.err.lender_unknown", value=text, names=f"{platform} ({name})")


def _with_command(page: Report, *, debts: Path | None) -> Report:
    """The user's pack names the command that writes the pages to hand over."""
    from dataclasses import replace

    from repaycli.i18n import t

    command = "repaycli report --handover -o " + t("report.handover.file")
    if debts is not None:
        import shlex

        command += f" --debts {shlex.quote(str(debts))}"
    return replace(page, handover_command=command)


def report(
    *,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the page to this file ('-': standard output)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --output file.")
    ] = False,
    log: Annotated[
        bool,
        typer.Option("--log", help="Add the evidence timeline: contacts, hashes, fingerprint."),
    ] = False,
    handover: Annotated[
        bool,
        typer.Option(
            "--handover",
            help="Write the pages to hand to the lender instead: situation, budget, proposal, "
            "letter (no walk-away line, no script).",
        ),
    ] = False,
    lender: Annotated[
        str | None,
        typer.Option("--lender", help="With --handover: only this lender's pages (id or name)."),
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help="Platform id or name (花呗, huabei…).")
    ] = None,
    overdue: Annotated[
        str | None, typer.Option("--overdue", help="Overdue amount: 8000, ¥8,000.50, 1.2万.")
    ] = None,
    income: Annotated[
        str | None, typer.Option("--income", help="Monthly income (0 is fine).")
    ] = None,
    expenses: Annotated[
        str | None, typer.Option("--expenses", help="Essential monthly expenses.")
    ] = None,
    days_overdue: Annotated[
        str | None, typer.Option("--days-overdue", help="Days overdue so far.")
    ] = None,
    cash: Annotated[str | None, typer.Option("--cash", help="Cash you could pay now.")] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="Hardship: medical, unemployment, income drop, family emergency, "
            "business failure, oversight, other.",
        ),
    ] = None,
    recovery: Annotated[
        str | None, typer.Option("--recovery", help="Expected recovery date (2027-03-01, +3m).")
    ] = None,
    principal: Annotated[
        str | None, typer.Option("--principal", help="Principal part of the overdue amount.")
    ] = None,
    interest: Annotated[
        str | None, typer.Option("--interest", help="Interest due, as the app shows it.")
    ] = None,
    penalty: Annotated[
        str | None, typer.Option("--penalty", help="Penalty and fees, as the app shows it.")
    ] = None,
    income_after: Annotated[
        str | None,
        typer.Option("--income-after", help="Monthly income from the recovery date on."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First due date (default: one month from today).")
    ] = None,
    annual_rate: Annotated[
        str | None, typer.Option("--annual-rate", help="Contract rate: 12%, 0.12, 1%/month.")
    ] = None,
    penalty_rate: Annotated[
        str | None, typer.Option("--penalty-rate", help="Penalty rate: 0.05%/day, 18%/year.")
    ] = None,
    limit_share: Annotated[
        str | None,
        typer.Option("--limit-share", help="Share of disposable income you can pay (50%)."),
    ] = None,
    debts: Annotated[
        Path | None,
        typer.Option("--debts", help="TOML file listing several debts (see examples/debts.toml)."),
    ] = None,
    strategy: Annotated[
        str | None,
        typer.Option("--strategy", help="With --debts: prorata, avalanche, snowball, priority."),
    ] = None,
    extra: Annotated[
        list[str] | None,
        typer.Option("--extra", help="With --debts: a one-off payment AMOUNT@DATE; repeatable."),
    ] = None,
    limit_from: Annotated[
        str | None,
        typer.Option(
            "--limit-from", help="With --debts: the monthly limit from a date, AMOUNT@DATE."
        ),
    ] = None,
    order: Annotated[
        str | None,
        typer.Option("--order", help="With --debts: debt ids to put first, e.g. huabei,zhaohang."),
    ] = None,
    bill: Annotated[
        list[Path] | None,
        typer.Option(
            "--bill",
            metavar="FILE",
            help="A bill of the last 1-3 months: the expenses and the income-and-expenditure "
            "statement come from it; repeatable.",
        ),
    ] = None,
    no_input: NoInputOption = False,
    lang: LangOption = None,
) -> None:
    """Write the negotiation pack for yourself (call cards, walk-away lines, what to say,
    charts, the plan), or with --handover the pages to give the lender (situation, budget,
    the proposal, the letter and, with --log, the contacts with that lender).

    Without situation flags or --debts it uses the plan 'repaycli plan' saved last.
    """
    command_lang(lang)
    if output is None:
        raise BadInput("report.err.no_output")
    to_stdout = str(output) == "-"
    if not to_stdout:
        from repaycli.files import check_target

        check_target(output, force=force)  # before any work: a refusal costs nothing
    from repaycli.cli import plan as plan_cli

    plan_cli.check_flags(
        debts,
        several={
            "--strategy": strategy,
            "--order": order,
            "--extra": extra or None,
            "--limit-from": limit_from,
        },
        single={
            "--platform": platform,
            "--overdue": overdue,
            "--principal": principal,
            "--interest": interest,
            "--penalty": penalty,
            "--days-overdue": days_overdue,
            "--annual-rate": annual_rate,
            "--penalty-rate": penalty_rate,
            "--cash": cash,
        },
    )
    if lender is not None and not handover:
        raise BadInput("report.err.lender_without_handover")
    from repaycli.catalog import load_checklist
    from repaycli.core.checklist import documents_for
    from repaycli.i18n import get_lang
    from repaycli.report import build

    with ExitStack() as stack:  # the timeline's read transaction, until the page is written
        timeline = read_timeline(stack) if log else None
        statement_section = None
        if bill:
            if expenses is not None:
                raise BadInput("err.plan_bill_and_expenses")
            from repaycli.cli.budget import confirmed_statement
            from repaycli.render.budget import statement_section as section_of

            budget, statement = confirmed_statement(bill, income=income, no_input=no_input)
            expenses = f"{statement.essential_total:.2f}"
            statement_section = section_of(budget, statement)
        situation_given = any(
            value is not None
            for value in (
                platform, overdue, income, expenses, days_overdue, cash, reason, recovery,
                principal, interest, penalty, income_after, start, annual_rate, penalty_rate,
                limit_share,
            )
        )  # fmt: skip
        page: Report | HandOver
        household: Report | None = None
        if debts is not None:
            from repaycli.core.multi import strategy_outcomes

            several = plan_cli.several_debts(
                debts,
                income=income,
                expenses=expenses,
                reason=reason,
                recovery=recovery,
                income_after=income_after,
                start=start,
                limit_share=limit_share,
                strategy=strategy,
                order=order,
                extra=extra or [],
                limit_from=limit_from,
                no_input=no_input,
            )
            result = several.result()
            if handover:
                documents = documents_for(load_checklist(), result.reason, get_lang())
                page = build.several_handover(
                    result,
                    lender=None if lender is None else _lender_id(result, lender),
                    documents=documents,
                    timeline=timeline,
                )
            else:
                outcomes = strategy_outcomes(
                    several.debts,
                    several.situation,
                    first=several.first,
                    extras=several.extras,
                    limit_change=several.limit_change,
                )
                page = build.several_report(result, outcomes, timeline=timeline)
                page = _with_command(page, debts=debts)
        else:
            if situation_given:
                single = plan_cli.single_result(
                    platform=platform,
                    overdue=overdue,
                    income=income,
                    expenses=expenses,
                    days_overdue=days_overdue,
                    cash=cash,
                    reason=reason,
                    recovery=recovery,
                    principal=principal,
                    interest=interest,
                    penalty=penalty,
                    income_after=income_after,
                    start=start,
                    annual_rate=annual_rate,
                    penalty_rate=penalty_rate,
                    limit_share=limit_share,
                    no_input=no_input,
                )
            else:
                # the current household plan (issue 21), unless a pack for the lender is asked
                household = None if handover else _household_report(timeline)
                if household is not None:
                    page = _with_command(household, debts=None)
                else:
                    with _saved_plan_guard(True):
                        single = _saved_plan()
            if household is None or situation_given:
                with _saved_plan_guard(not situation_given):
                    if handover:
                        if lender is not None:
                            _check_lender(
                                single.debts[0].platform, single.debts[0].platform_name, lender
                            )
                        documents = documents_for(load_checklist(), single.reason, get_lang())
                        page = build.single_handover(single, documents=documents, timeline=timeline)
                    else:
                        mine = build.single_report(single, timeline=timeline)
                        page = _with_command(mine, debts=None)
        if statement_section is not None:  # the budget the plan was made with, first
            if isinstance(page, build.Report):
                page.document.sections.insert(0, statement_section)
            else:  # the lender is shown the income-and-expenditure statement as its budget
                from dataclasses import replace

                from repaycli.render.budget import statement_pairs

                pairs = statement_pairs(statement)
                page = replace(page, lenders=[replace(p, budget=pairs) for p in page.lenders])
        with _saved_plan_guard(not (debts or situation_given)):
            _write_page(page, output, to_stdout=to_stdout)


def _write_page(page: Report | HandOver, output: Path, *, to_stdout: bool) -> None:
    """Draw the page and write it as it is drawn, never whole in memory: to a private file (it
    holds debts and income; it replaces ``output`` only once complete) or to standard output."""
    from repaycli.report.page import page_chunks

    chunks = page_chunks(page)
    if to_stdout:
        import tempfile

        from repaycli.cli.common import StdoutWriter

        # Drawn first into a file with no name (gone when closed, or when the process dies),
        # then copied: a row found damaged half-way leaves no half page on standard output.
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as drawn:
            last = ""
            for last in chunks:
                drawn.write(last)
            if not last.endswith("\n"):
                drawn.write("\n")
            drawn.seek(0)
            out = StdoutWriter()
            while block := drawn.read(StdoutWriter.BLOCK):
                out.write(block)
            out.flush()
        return
    import io

    from repaycli.files import private_file
    from repaycli.i18n import t
    from repaycli.render.safe import safe_text

    with private_file(output, mode=0o600) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        try:
            for chunk in chunks:
                text.write(chunk)
        finally:
            text.flush()
            text.detach()  # the file's writer syncs, renames and closes it
    typer.echo(t("report.written", path=safe_text(str(output))), err=True)


def _household_report(timeline: Timeline | None) -> Report | None:
    """The report of the current household plan (``None`` without one): every lender's card,
    the charts, a letter each, and which plan it is with what the agreements take."""
    import dataclasses

    from repaycli import store
    from repaycli.cli.common import have_database
    from repaycli.render.household import household_lines
    from repaycli.render.register import plan_note
    from repaycli.report import build
    from repaycli.services.household import current, engine_report

    if not have_database():
        return None
    with store.opened(read_only=True) as conn:
        plan = current(conn)
        if plan is None or plan.household.result is None:
            return None
        result, outcomes = engine_report(conn, plan)
    page = build.several_report(result, outcomes, timeline=timeline)
    lines = household_lines(plan.household)
    if plan.stale:
        lines.append(plan_note(plan))
    return dataclasses.replace(page, subtitle=" ".join([page.subtitle, *lines]))


def register(app: typer.Typer) -> None:
    app.command("report")(report)
