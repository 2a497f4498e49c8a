"""``repaycli offer``: is the offer just heard on the phone any good?"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from repaycli.cli.common import (
    JsonOption,
    LangOption,
    NoInputOption,
    command_lang,
    today,
    write_out,
)
from repaycli.errors import RepayError
from repaycli.i18n import t
from repaycli.services.offer import parse_periods

if TYPE_CHECKING:  # pydantic-backed: imported when the command runs, not at start-up
    from repaycli.core.offer import Budget, OfferInput, OfferResult, PlanReference


def warn(error: RepayError) -> None:
    """One line on stderr labelled as a warning: the command goes on (and exits 0)."""
    from repaycli.render.safe import safe_text

    params = {k: safe_text(v) if isinstance(v, str) else v for k, v in error.params.items()}
    typer.echo(f"{t('warn.prefix')}{t(error.key, **params)}", err=True)


def budget_and_plan(
    *,
    day: date,
    amount: Decimal,
    income: str | None,
    expenses: str | None,
    walk_away: str | None,
    use_plan: bool,
) -> tuple[Budget, PlanReference | None]:
    """The walk-away line and disposable income: flags first, then the last saved plan."""
    from repaycli.services.offer import budget_and_plan as combine
    from repaycli.services.offer import read_plan

    plan = read_plan(warn) if use_plan else None  # a bad plan: the offer is still evaluated
    return combine(
        day=day, amount=amount, income=income, expenses=expenses, walk_away=walk_away, plan=plan
    )


def build_offer(
    *,
    amount: str | None,
    periods: str | None,
    fee_rate: str | None,
    annual_rate: str | None,
    payment: str | None,
    upfront_fee: str | None,
    first_due: str | None,
    day: date,
    no_input: bool = True,
) -> OfferInput:
    """The offer from its flags; a missing amount, number of periods or price is asked for
    (the payment quoted, the way an offer is usually heard) unless ``no_input``."""
    from repaycli.cli.common import ask
    from repaycli.core.money import parse_amount
    from repaycli.core.offer import check_terms
    from repaycli.services.offer import offer_input

    if fee_rate is not None or annual_rate is not None or payment is not None:
        check_terms(fee_rate=fee_rate, annual_rate=annual_rate, payment=payment)
    if amount is not None:  # a bad value given is refused before anything is asked
        parse_amount(amount, field="amount")
    else:
        amount = ask(
            t("offer.prompt.amount"),
            lambda s: (parse_amount(s, field="amount"), s)[1],
            flag="--amount",
            no_input=no_input,
        )
    if periods is not None:
        parse_periods(periods)
    else:
        periods = ask(
            t("offer.prompt.periods"),
            lambda s: (parse_periods(s), s)[1],
            flag="--periods",
            no_input=no_input,
        )
    if fee_rate is None and annual_rate is None and payment is None and not no_input:
        payment = ask(
            t("offer.prompt.payment"),
            lambda s: (parse_amount(s, field="payment"), s)[1],
            flag="--payment",
            no_input=no_input,
        )
    assert amount is not None and periods is not None  # ask() raises rather than skip
    return offer_input(
        amount=amount,
        periods=periods,
        fee_rate=fee_rate,
        annual_rate=annual_rate,
        payment=payment,
        upfront_fee=upfront_fee,
        first_due=first_due,
        day=day,
    )


def offer(
    *,
    amount: Annotated[
        str | None, typer.Option("--amount", help="Amount the offer covers (8000, 1.2万 …).")
    ] = None,
    periods: Annotated[
        str | None, typer.Option("--periods", help="Number of monthly payments.")
    ] = None,
    fee_rate: Annotated[
        str | None,
        typer.Option("--fee-rate", help="Fee per period on the original amount (0.6%)."),
    ] = None,
    annual_rate: Annotated[
        str | None,
        typer.Option("--annual-rate", help="Stated annual interest rate, 等额本息 (18%)."),
    ] = None,
    payment: Annotated[
        str | None, typer.Option("--payment", help="Monthly payment quoted (980).")
    ] = None,
    upfront_fee: Annotated[
        str | None,
        typer.Option("--upfront-fee", help="Fee taken out of the money paid out at the start."),
    ] = None,
    first_due: Annotated[
        str | None,
        typer.Option("--first-due", help="First due date (default: one month from today)."),
    ] = None,
    income: Annotated[str | None, typer.Option("--income", help="Monthly income.")] = None,
    expenses: Annotated[
        str | None, typer.Option("--expenses", help="Essential monthly expenses.")
    ] = None,
    walk_away: Annotated[
        str | None,
        typer.Option("--walk-away", help="Most you will pay a month (default: from the plan)."),
    ] = None,
    ignore_plan: Annotated[
        bool, typer.Option("--ignore-plan", help="Do not use the last saved plan.")
    ] = False,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform", help="The lender: its line in the current household plan is used."
        ),
    ] = None,
    debt: Annotated[
        int | None,
        typer.Option("--debt", help="The debt, by its register id (instead of --platform)."),
    ] = None,
    log_entry: Annotated[
        int | None,
        typer.Option("--log", metavar="ENTRY_ID", help="Attach this evaluation to a log entry."),
    ] = None,
    no_input: NoInputOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Evaluate an offer heard on the phone: payment, total, APR, affordability, reference lines.

    Give --amount, --periods and exactly one of --fee-rate, --annual-rate or --payment; what is
    missing is asked for (the payment quoted), unless --no-input.
    """
    command_lang(lang)
    day = today()
    terms = build_offer(
        amount=amount,
        periods=periods,
        fee_rate=fee_rate,
        annual_rate=annual_rate,
        payment=payment,
        upfront_fee=upfront_fee,
        first_due=first_due,
        day=day,
        no_input=no_input,
    )
    view = None
    if (platform is not None or debt is not None) and not ignore_plan:
        from repaycli.services.household import household_for_offer

        view = household_for_offer(platform, debt)
    if view is not None and walk_away is None:
        held = view.line if view.line is not None else view.agreed_monthly
        walk_away = None if held is None else str(held)
    budget, reference = budget_and_plan(
        day=day,
        amount=terms.amount,
        income=income,
        expenses=expenses,
        walk_away=walk_away,
        use_plan=not ignore_plan and view is None,
    )
    from repaycli.services.offer import evaluate_offer

    result: OfferResult = evaluate_offer(terms, day=day, budget=budget, plan=reference)
    if log_entry is not None:
        from repaycli import store
        from repaycli.cli.common import now
        from repaycli.render.json import to_json

        with store.opened() as conn:
            store.add_offer_check(conn, log_entry, to_json(result), checked_at=now())
    notes: list[str] = []
    if view is not None:
        from repaycli.services.household import over_share, plan_line

        notes.append(plan_line(view))
        warning = over_share(view, [(i.due, i.amount) for i in result.schedule])
        if warning is not None:
            notes.append(warning)
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json(result))
        for note in notes:
            typer.echo(note, err=True)
        return
    from repaycli.render.offer import print_offer

    print_offer(result)
    if notes:
        from repaycli.render.register import fit

        write_out(fit(notes))
    if log_entry is not None:
        typer.echo(t("offer.logged", id=log_entry), err=True)


def register(app: typer.Typer) -> None:
    app.command("offer")(offer)


__all__ = ["offer", "parse_periods", "register"]
