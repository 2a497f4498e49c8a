"""``repaycli plan``: what to ask for, what you can afford, and how to run the call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from repaycli.cli.common import (
    JsonOption,
    LangOption,
    NoInputOption,
    OutputFormat,
    ask,
    choose_format,
    command_lang,
    today,
    write_out,
)
from repaycli.core.record import Model
from repaycli.errors import BadInput

if TYPE_CHECKING:  # pydantic-backed: imported when the command runs, not at start-up
    from repaycli.core.allocate import Strategy
    from repaycli.core.models import Debt, PlanResult, Situation
    from repaycli.core.multi import LimitChange, MultiPlanResult
    from repaycli.render.document import Document

T = TypeVar("T")


def _get(
    given: str | None,
    name: str,
    parse: Callable[[str], T],
    *,
    interview: bool,
    no_input: bool,
    optional: bool = False,
) -> T | None:
    """A flag's value, or the answer to a prompt; optional values are asked only in an interview
    (when a required value was missing and prompting is allowed)."""
    from repaycli.i18n import t

    if given is not None:
        return parse(given)
    if optional and not interview:
        return None
    return ask(
        t(f"plan.prompt.{name}"),
        parse,
        flag="--" + name.replace("_", "-"),
        no_input=no_input,
        optional=optional,
    )


def _required(value: T | None) -> T:
    if value is None:  # pragma: no cover - ask() raises instead of returning None
        raise BadInput("err.missing_value", flag="?")
    return value


def plan(
    *,
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
        str | None,
        typer.Option(
            "--principal", help="Principal part of the overdue amount (default: estimated)."
        ),
    ] = None,
    interest: Annotated[
        str | None,
        typer.Option("--interest", help="Interest due, as the app shows it (default: estimated)."),
    ] = None,
    penalty: Annotated[
        str | None,
        typer.Option(
            "--penalty", help="Penalty and fees, as the app shows it (default: estimated)."
        ),
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
        typer.Option(
            "--limit-share",
            help="Share of disposable income you can pay (default 50%; 30% of income "
            "when expenses are not given).",
        ),
    ] = None,
    debts: Annotated[
        Path | None,
        typer.Option("--debts", help="TOML file listing several debts (see examples/debts.toml)."),
    ] = None,
    strategy: Annotated[
        str | None,
        typer.Option(
            "--strategy",
            help="With --debts: prorata (default: each lender in proportion to its balance), "
            "avalanche (dearest first), snowball (smallest first) or priority (most serious "
            "consequence first).",
        ),
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="With --debts: the four strategies side by side.")
    ] = False,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help="The full report after the call card: proposals, schedules, checklist "
            "(with --debts: month by month, each lender's plan).",
        ),
    ] = False,
    extra: Annotated[
        list[str] | None,
        typer.Option(
            "--extra",
            help="With --debts: a one-off payment AMOUNT@DATE (5000@2027-02-01); repeatable.",
        ),
    ] = None,
    limit_from: Annotated[
        str | None,
        typer.Option(
            "--limit-from", help="With --debts: the monthly limit from a date, AMOUNT@DATE."
        ),
    ] = None,
    order: Annotated[
        str | None,
        typer.Option(
            "--order",
            help="With --debts: debt ids to put first, e.g. huabei,zhaohang.",
        ),
    ] = None,
    bill: Annotated[
        list[Path] | None,
        typer.Option(
            "--bill",
            metavar="FILE",
            help="A bill of the last 1-3 months (Alipay, WeChat Pay, JD): proposes the "
            "essential expenses by category; repeatable.",
        ),
    ] = None,
    no_input: NoInputOption = False,
    json_out: JsonOption = False,
    fmt: Annotated[
        OutputFormat | None, typer.Option("--format", help="text (default), markdown or json.")
    ] = None,
    save: Annotated[
        bool,
        typer.Option("--save/--no-save", help="Keep this plan for 'offer' and 'letter'."),
    ] = True,
    import_: Annotated[
        bool,
        typer.Option(
            "--import",
            help="With --debts: put the file's debts into the register and make the current "
            "plan from it (done anyway when the register is empty).",
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Work out what to ask the lender for, the negotiation ladder, and a call checklist.

    Missing required values (platform, overdue amount, income) are asked for; when you are
    asked, the optional ones are offered too. With --no-input nothing is asked.
    """
    command_lang(lang)
    output = choose_format(json_out, fmt)
    if bill:
        if expenses is not None:
            raise BadInput("err.plan_bill_and_expenses")
        from repaycli.cli.budget import confirmed_statement

        budget, statement = confirmed_statement(bill, income=income, no_input=no_input)
        expenses = f"{statement.essential_total:.2f}"
        if output is not OutputFormat.JSON:  # the plan's JSON keeps its documented shape
            from repaycli.render.budget import statement_markdown, statement_text

            shown = statement_markdown if output is OutputFormat.MARKDOWN else statement_text
            write_out(shown(budget, statement) + "\n\n")
    single_flags = {  # the one-debt situation, refused beside --debts
        "--platform": platform,
        "--overdue": overdue,
        "--principal": principal,
        "--interest": interest,
        "--penalty": penalty,
        "--days-overdue": days_overdue,
        "--annual-rate": annual_rate,
        "--penalty-rate": penalty_rate,
        "--cash": cash,
    }
    check_flags(
        debts,
        several={
            "--strategy": strategy,
            "--order": order,
            "--extra": extra or None,
            "--limit-from": limit_from,
            "--compare": compare or None,
        },
        single=single_flags,
    )
    situation_flags = {
        "--income": income,
        "--expenses": expenses,
        "--reason": reason,
        "--recovery": recovery,
        "--income-after": income_after,
        "--start": start,
        "--limit-share": limit_share,
        **single_flags,
    }
    what_if_flags = [strategy, order, extra or None, limit_from, compare or None]
    if import_ and debts is None:
        raise BadInput("debts.err.needs_debts", flag="--import")
    from repaycli.services.plan_register import household_plan, what_if_note

    if debts is not None and all(v is None for v in what_if_flags):
        if household_plan(
            output,
            details=details,
            debts_file=debts,
            force=import_,
            budget={k: v for k, v in situation_flags.items() if v is not None},
            no_input=no_input,
        ):
            return
    elif debts is None and all(v is None for v in situation_flags.values()):
        if household_plan(output, details=details):
            return
    note = what_if_note(output)
    if debts is not None:
        several = several_debts(
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
        ).result()

        def several_document() -> Document:
            from repaycli.render.multi import multi_document

            return multi_document(several, details=details, compare=compare)

        def cards() -> str:
            from repaycli.core.card import cards_for_multi
            from repaycli.render.card import multi_card_text
            from repaycli.render.phrases import describe, say_line

            made = cards_for_multi(several, say=say_line, describe=describe)
            return multi_card_text(several, made, _columns())

        _show(several, output, several_document, card=None if details or compare else cards)
        note()
        return
    given = (platform, overdue, income, expenses, days_overdue, cash, reason, recovery,
             principal, interest, penalty, income_after, start, annual_rate, penalty_rate,
             limit_share)  # fmt: skip
    if all(v is None for v in given) and (details or fmt is not None or json_out):
        from repaycli.plan_inputs import load_inputs

        saved = load_inputs()  # `plan --details` right after a plan: that plan, not questions
        if saved is not None:
            from repaycli.i18n import t

            typer.echo(t("plan.reused", date=saved.day.isoformat()), err=True)
            f = saved.flags
            result = single_result(
                platform=f["platform"],
                overdue=f["overdue"],
                income=f["income"],
                expenses=f["expenses"],
                days_overdue=f["days_overdue"],
                cash=f["cash"],
                reason=f["reason"],
                recovery=f["recovery"],
                principal=f["principal"],
                interest=f["interest"],
                penalty=f["penalty"],
                income_after=f["income_after"],
                start=f["start"],
                annual_rate=f["annual_rate"],
                penalty_rate=f["penalty_rate"],
                limit_share=f["limit_share"],
                no_input=True,
                day=saved.day,
            )
            _show_single(result, output, details=details)
            note()
            return
    inputs: dict[str, str] = {}
    result = single_result(
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
        record=inputs,
    )
    from repaycli.render.json import to_json

    if save:
        _save(to_json(result))
        from repaycli.plan_inputs import save_inputs

        save_inputs(inputs)
    _show_single(result, output, details=details)
    note()


def _show_single(result: PlanResult, output: OutputFormat, *, details: bool) -> None:
    def document() -> Document:
        from repaycli.render.plan import plan_document

        return plan_document(result)

    def card() -> str:
        from repaycli.core.card import card_for_plan
        from repaycli.render.card import card_text
        from repaycli.render.phrases import describe, say_line

        return card_text(card_for_plan(result, say=say_line, describe=describe), _columns())

    _show(result, output, document, card=None if details else card)


def check_flags(
    debts: Path | None, *, several: Mapping[str, object], single: Mapping[str, object]
) -> None:
    """Flags for several debts need ``--debts``; flags for one debt cannot go with it."""
    if debts is None:
        for flag, value in several.items():
            if value is not None:
                raise BadInput("debts.err.needs_debts", flag=flag)
    else:
        for flag, value in single.items():
            if value is not None:
                raise BadInput("debts.err.flag_conflict", flag=flag)


def single_result(
    *,
    platform: str | None,
    overdue: str | None,
    income: str | None,
    expenses: str | None,
    days_overdue: str | None,
    cash: str | None,
    reason: str | None,
    recovery: str | None,
    principal: str | None,
    interest: str | None,
    penalty: str | None,
    income_after: str | None,
    start: str | None,
    annual_rate: str | None,
    penalty_rate: str | None,
    limit_share: str | None,
    no_input: bool,
    day: date | None = None,
    record: dict[str, str] | None = None,
) -> PlanResult:
    """The one-debt plan from the situation flags (asking for what is missing): the result
    ``plan`` shows and ``report`` prints. ``day`` is today unless given (a saved plan shown
    again keeps its own); ``record``, when given, receives the values as flags would give
    them (``plan_inputs``), to show this plan again without asking."""
    from repaycli.catalog import load_catalogue, load_checklist, load_log_fields
    from repaycli.core.inputs import parse_int, parse_reason, parse_share
    from repaycli.core.models import Debt, Situation
    from repaycli.core.money import parse_amount
    from repaycli.core.plan import build_plan
    from repaycli.core.rates import RateUnit, parse_penalty_rate, parse_rate
    from repaycli.i18n import get_lang
    from repaycli.paths import user_platforms_file
    from repaycli.render.numbers import money
    from repaycli.render.phrases import describe, walk_away_text

    day = day or today()
    catalogue = load_catalogue(user_platforms_file())
    interview = not no_input and None in (platform, overdue, income)

    opts = {"interview": interview, "no_input": no_input}
    chosen = _required(_get(platform, "platform", catalogue.resolve, **opts))
    owed = _required(_get(overdue, "overdue", lambda s: parse_amount(s, field="overdue"), **opts))
    earned = _required(
        _get(income, "income", lambda s: parse_amount(s, field="income", allow_zero=True), **opts)
    )
    spent = _get(
        expenses,
        "expenses",
        lambda s: parse_amount(s, field="expenses", allow_zero=True),
        optional=True,
        **opts,
    )
    days = _get(
        days_overdue,
        "days_overdue",
        lambda s: parse_int(s, field="days_overdue", low=0, high=3650),
        optional=True,
        **opts,
    )
    cash_now = _get(
        cash,
        "cash",
        lambda s: parse_amount(s, field="cash", allow_zero=True),
        optional=True,
        **opts,
    )
    why = _get(reason, "reason", parse_reason, optional=True, **opts)

    back = _get(recovery, "recovery", lambda text: _recovery(text, day), optional=True, **opts)
    later = _income_after(income_after, back, interview=interview, no_input=no_input)
    first_due = _first_due(start, day)

    def part(text: str | None, name: str) -> Decimal | None:
        return None if text is None else parse_amount(text, field=name, allow_zero=True)

    debt = Debt(
        platform=chosen,
        overdue=owed,
        principal=None if principal is None else parse_amount(principal, field="principal"),
        interest_due=part(interest, "interest"),
        penalty=part(penalty, "penalty"),
        days_overdue=days or 0,
        annual_rate=None
        if annual_rate is None
        else parse_rate(annual_rate, unit=RateUnit.YEAR, field="annual_rate"),
        penalty_rate_daily=None if penalty_rate is None else parse_penalty_rate(penalty_rate),
    )
    if debt.principal is not None and debt.principal > debt.overdue:
        raise BadInput("plan.err.principal_above", principal=principal, overdue=overdue)
    share = None if limit_share is None else parse_share(limit_share)
    if record is not None:
        from repaycli.plan_inputs import as_flags

        record.update(
            as_flags(
                day=day,
                platform=chosen.id,
                overdue=owed,
                income=earned,
                expenses=spent,
                days_overdue=days,
                cash=cash_now,
                reason=None if why is None else why.value,
                recovery=back,
                income_after=later,
                start=first_due,
                principal=principal,
                interest=interest,
                penalty=penalty,
                annual_rate=annual_rate,
                penalty_rate=penalty_rate,
                limit_share=limit_share,
            )
        )
    situation = Situation(
        today=day,
        income=earned,
        expenses=spent,
        cash=cash_now,
        reason=why,
        recovery=back,
        income_after=later,
        start=first_due,
        share_of_disposable=share or Decimal(50),
        share_of_income=share or Decimal(30),
    )
    return build_plan(
        debt,
        situation,
        lang=get_lang(),
        checklist=load_checklist(),
        log_fields=load_log_fields(),
        describe=describe,
        money=money,
        walk_away=walk_away_text,
    )


class SeveralDebts(Model):
    """A debts file and the flags, parsed: what ``build_multi_plan`` (and the report's
    per-strategy charts) are given."""

    debts: list[Debt]
    situation: Situation
    strategy: Strategy
    first: list[str]
    extras: list[tuple[Decimal, date]]
    limit_change: LimitChange | None

    def result(self) -> MultiPlanResult:
        from repaycli.catalog import load_checklist, load_log_fields
        from repaycli.core.multi import build_multi_plan
        from repaycli.i18n import get_lang
        from repaycli.render.numbers import money
        from repaycli.render.phrases import describe

        return build_multi_plan(
            self.debts,
            self.situation,
            lang=get_lang(),
            checklist=load_checklist(),
            log_fields=load_log_fields(),
            describe=describe,
            money=money,
            strategy=self.strategy,
            first=self.first,
            extras=self.extras,
            limit_change=self.limit_change,
        )


def several_debts(
    path: Path,
    *,
    income: str | None,
    expenses: str | None,
    reason: str | None,
    recovery: str | None,
    income_after: str | None,
    start: str | None,
    limit_share: str | None,
    strategy: str | None,
    order: str | None,
    extra: list[str],
    limit_from: str | None,
    no_input: bool,
) -> SeveralDebts:
    """The debts file and flags, parsed. Flags override the file's income, expenses, share and
    reason. Not saved for ``offer``/``letter``, which work on one debt."""
    from repaycli.catalog import load_catalogue
    from repaycli.cli.debts import load_debts
    from repaycli.core.allocate import Strategy
    from repaycli.core.inputs import parse_reason, parse_share
    from repaycli.core.models import Situation
    from repaycli.core.money import parse_amount
    from repaycli.core.multi import LimitChange
    from repaycli.i18n import LANGUAGES as LANGS
    from repaycli.paths import user_platforms_file

    chosen = Strategy.PRORATA
    if strategy is not None:
        from repaycli.i18n import t

        wanted = strategy.strip().lower().replace("-", "").replace("_", "")
        named = {t(f"debts.strategy.{s.value}", lang): s.value for s in Strategy for lang in LANGS}
        wanted = named.get(strategy.strip(), wanted)  # 雪崩法 as well as avalanche
        if wanted not in tuple(Strategy):
            raise BadInput("debts.err.strategy", value=strategy)
        chosen = Strategy(wanted)
    first = [] if order is None else [x.strip() for x in order.split(",") if x.strip()]
    day = today()
    extras = [_amount_at(text, day, "--extra") for text in extra]
    change = None
    if limit_from is not None:
        steady, since = _amount_at(limit_from, day, "--limit-from", allow_zero=True)
        change = LimitChange(amount=steady, start=since)
    catalogue = load_catalogue(user_platforms_file())
    loaded = load_debts(path, catalogue)

    def amount(name: str) -> Callable[[str], Decimal]:
        return lambda s: parse_amount(s, field=name, allow_zero=True)

    earned = loaded.income
    if income is not None or earned is None:
        earned = _required(
            _get(income, "income", amount("income"), interview=not no_input, no_input=no_input)
        )
    spent = loaded.expenses if expenses is None else amount("expenses")(expenses)
    why = loaded.reason if reason is None else parse_reason(reason)
    share = loaded.limit_share if limit_share is None else parse_share(limit_share)
    back = None if recovery is None else _recovery(recovery, day)
    later = _income_after(income_after, back, interview=False, no_input=True)
    first_due = _first_due(start, day)
    situation = Situation(
        today=day,
        income=earned,
        expenses=spent,
        reason=why,
        recovery=back,
        income_after=later,
        start=first_due,
        share_of_disposable=share or Decimal(50),
        share_of_income=share or Decimal(30),
    )
    return SeveralDebts(
        debts=loaded.debts,
        situation=situation,
        strategy=chosen,
        first=first,
        extras=extras,
        limit_change=change,
    )


def _amount_at(
    text: str, day: date, flag: str, *, allow_zero: bool = False
) -> tuple[Decimal, date]:
    """``AMOUNT@DATE`` (``5000@2027-02-01``, ``3千@+2m``): the date today or later."""
    from repaycli.core.dates import parse_date
    from repaycli.core.money import parse_amount

    amount, at, when = text.partition("@")
    if not at or not amount.strip() or not when.strip():
        raise BadInput("debts.err.extra", flag=flag, value=text)
    value = parse_amount(amount, field=flag.lstrip("-"), allow_zero=allow_zero)
    since = parse_date(when, today=day, field=flag.lstrip("-"))
    if since < day:
        raise BadInput("debts.err.past", flag=flag, value=when)
    return value, since


def _recovery(text: str, day: date) -> date:
    """The expected recovery date: after today."""
    from repaycli.core.dates import parse_date

    parsed = parse_date(text, today=day, field="recovery")
    if parsed <= day:
        raise BadInput("plan.err.recovery_past", value=text)
    return parsed


def _income_after(
    text: str | None, recovery: date | None, *, interview: bool, no_input: bool
) -> Decimal | None:
    """The income after recovery: only with a recovery date (asked in an interview once the
    recovery date is known)."""
    from repaycli.core.money import parse_amount

    if recovery is None:
        if text is not None:
            raise BadInput("plan.err.income_after_needs_recovery")
        return None
    return _get(
        text,
        "income_after",
        lambda s: parse_amount(s, field="income_after", allow_zero=True),
        interview=interview,
        no_input=no_input,
        optional=True,
    )


def _first_due(start: str | None, day: date) -> date:
    """The first due date: ``--start`` (today or later), else one month from today."""
    from repaycli.core.dates import add_months, parse_date

    if start is None:
        return add_months(day, 1)
    first_due = parse_date(start, today=day, field="start")
    if first_due < day:
        raise BadInput("plan.err.start_past", value=start)
    return first_due


def _columns() -> int:
    """The terminal's width (``COLUMNS`` first; 80 when unknown)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _show(
    result: object,
    output: OutputFormat,
    document: Callable[[], Document],
    *,
    card: Callable[[], str] | None = None,
) -> None:
    """One result, four views: JSON, markdown, the call card (plain text: the default), or the
    full report on the terminal (``--details``; plain text when piped)."""
    if output is OutputFormat.JSON:
        from repaycli.render.json import to_json

        write_out(to_json(result))
        return
    if output is OutputFormat.TEXT and card is not None:
        from repaycli.render.safe import safe_text

        write_out(safe_text(card(), keep_newlines=True))
        return
    from repaycli.render.document import print_document, to_markdown

    if output is OutputFormat.MARKDOWN:
        write_out(to_markdown(document()))
        return
    from repaycli.render.console import make_console

    print_document(document(), make_console())


def _save(text: str) -> None:
    """Keep the latest plan (JSON) for ``offer`` and ``letter``; failing to is only a warning."""
    from repaycli.errors import RepayError
    from repaycli.files import write_private
    from repaycli.i18n import t
    from repaycli.paths import last_plan_path

    path = last_plan_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(path, text.encode("utf-8"))
    except OSError as exc:
        typer.echo(t("plan.err.save", detail=exc.strerror or str(exc)), err=True)
    except RepayError as error:
        typer.echo(t("plan.err.save", detail=str(error.params.get("detail", ""))), err=True)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
