"""``repaycli call``: the full-screen call screen (Textual, imported only here)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from repaycli.cli.common import LangOption, command_lang, today, write_out
from repaycli.errors import BadInput, Failure
from repaycli.i18n import t


def call(
    platform: Annotated[
        str | None,
        typer.Argument(metavar="[PLATFORM]", help="Platform (花呗, huabei…); default: the plan's."),
    ] = None,
    *,
    overdue: Annotated[
        str | None, typer.Option("--overdue", help="Overdue amount (with --income: a plan now).")
    ] = None,
    income: Annotated[str | None, typer.Option("--income", help="Monthly income.")] = None,
    expenses: Annotated[
        str | None, typer.Option("--expenses", help="Essential monthly expenses.")
    ] = None,
    days_overdue: Annotated[
        str | None, typer.Option("--days-overdue", help="Days overdue so far.")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Hardship reason.")] = None,
    ignore_plan: Annotated[
        bool, typer.Option("--ignore-plan", help="Do not use the last saved plan.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """One screen for the phone call: hotline, timer, your numbers, the next thing to ask for,
    offers checked as you type them, and the call log written when the call ends.

    The numbers come from the last saved plan, or from --overdue and --income (a plan worked
    out now, not saved). Keys: F2 (or Ctrl+T) tick, F3 (or Ctrl+O) offer/notes, Enter keep
    offer, F10 (or Ctrl+S, when the terminal takes F-keys) end and save, Ctrl+Q quit (asks
    first). What you type is kept as a draft until the call is saved.
    """
    command_lang(lang)
    from repaycli.services.call import Situation, prepare

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadInput("call.err.no_terminal")
    situation = Situation(
        overdue=overdue,
        income=income,
        expenses=expenses,
        days_overdue=days_overdue,
        reason=reason,
    )
    setup = prepare(platform, situation, day=today(), use_plan=not ignore_plan)
    from repaycli import drafts
    from repaycli.tui.call import CallApp

    app = CallApp(setup, draft=drafts.load())
    try:
        saved = app.run()
    except Exception as error:  # raised past Textual's handler (while starting or stopping)
        app.crash = app.crash or error
        saved = None
    if app.crash is not None or (app.return_code or 0) != 0:
        raise Failure("call.err.crashed", detail=crash_detail(app.crash))
    if saved is None:
        return
    lines = [t("call.saved", id=saved.entry.id)]
    if saved.offers:
        lines.append(t("call.saved_offers", count=saved.offers))
    if saved.agreement_id is not None:
        lines.append(t("call.saved_agreement", id=saved.agreement_id))
    write_out("\n".join(lines))


def crash_detail(error: BaseException | None) -> str:
    """The exception as a few words on one line (its kind and the start of its message)."""
    if error is None:
        return "?"
    words = " ".join(str(error).split())[:120]
    return f"{type(error).__name__}: {words}" if words else type(error).__name__


def register(app: typer.Typer) -> None:
    app.command("call")(call)
