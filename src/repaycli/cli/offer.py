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
from repaycli.errors import BadInput, RepayError
from repaycli.i18n import t

if TYPE_CHECKING:  # pydantic-backed: imported when the command runs, not at start-up
    from repaycli.core.offer import Budget, OfferInput, OfferResult, PlanReference
    from repaycli.lastplan import SavedPlan


def parse_periods(
    text: str, *, field: str = "periods", low: int = 1, high: int | None = None
) -> int:
    """A whole number (of monthly periods), ``low`` to ``high`` (default: the longest offer,
    ``core.offer.MAX_PERIODS``); one clear line otherwise."""
    if high is None:
        from repaycli.core.offer import MAX_PERIODS

        high = MAX_PERIODS
    from repaycli.core.inputs import without_unit

    raw = without_unit(text, field)  # 12期, 20天, full-width digits
    if not raw.lstrip("+").isdecimal() or not raw.isascii():
        raise BadInput("err.integer", field=field, value=text)
    if len(raw.lstrip("+0")) > 18:  # int() of 4,300+ digits raises; none is in range
        raise BadInput("err.integer_range", field=field, value=text, low=low, high=high)
    value = int(raw)
    if not low <= value <= high:
        raise BadInput("err.integer_range", field=field, value=text, low=low, high=high)
    return value


#: A bare fee rate (no %) this large is almost surely a percentage typed without its sign.
SUSPICIOUS_FEE = Decimal("0.05")


def parse_fee_rate(text: str) -> Decimal:
    """A fee per period: ``0.6%`` or ``0.006``; a bare ``0.6`` (60 % a month) is refused."""
    from repaycli.core.rates import RateUnit, parse_rate

    value = parse_rate(text, unit=RateUnit.MONTH, field="fee_rate")
    if "%" not in text and "％" not in text and value >= SUSPICIOUS_FEE:
        raise BadInput("offer.err.fee_rate_percent", value=text.strip())
    return value


def warn(error: RepayError) -> None:
    """One line on stderr labelled as a warning: the command goes on (and exits 0)."""
    from repaycli.render.safe import safe_text

    params = {k: safe_text(v) if isinstance(v, str) else v for k, v in error.params.items()}
    typer.echo(f"{t('warn.prefix')}{t(error.key, **params)}", err=True)


#: The plan's proposal is compared with the offer only when the offer covers about the same debt.
COMPARABLE = (Decimal("0.9"), Decimal("1.1"))


def plan_reference(plan: SavedPlan, amount: Decimal) -> PlanReference | None:
    """The plan's target (else opening) proposal, when the plan is about one debt whose principal
    or balance is within 10 % of the offer's amount."""
    from repaycli.core.offer import PlanReference

    if plan.ladder is None or len(plan.debts) != 1:
        return None
    debt = plan.debts[0]
    low = min(debt.overdue, debt.principal or debt.overdue) * COMPARABLE[0]
    high = max(debt.overdue, debt.principal or debt.overdue) * COMPARABLE[1]
    if not low <= amount <= high:
        return None
    found = None
    for proposal_id in (plan.ladder.target, plan.ladder.opening):
        if proposal_id is not None and found is None:
            found = plan.proposal(proposal_id)
    if found is None:
        return None
    return PlanReference(
        id=found.id,
        payment=found.payment,
        total=found.total,
        apr_percent=found.apr_percent,
        target=found.id == plan.ladder.target,
    )


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
    from repaycli.core.models import Situation
    from repaycli.core.money import parse_amount
    from repaycli.core.offer import Budget
    from repaycli.core.situation import affordability

    walk: Decimal | None = None
    walk_after: Decimal | None = None
    walk_after_from: date | None = None
    disposable: Decimal | None = None
    sources: list[str] = []
    if expenses is not None and income is None:
        raise BadInput("offer.err.expenses_without_income")
    if walk_away is not None:
        walk = parse_amount(walk_away, field="walk_away")
    if income is not None:
        situation = Situation(
            today=day,
            start=day,
            income=parse_amount(income, field="income", allow_zero=True),
            expenses=None
            if expenses is None
            else parse_amount(expenses, field="expenses", allow_zero=True),
        )
        budget = affordability(situation)
        disposable = budget.disposable
        walk = budget.limit if walk is None else walk
    if walk is not None or disposable is not None:
        sources.append("flags")
    reference: PlanReference | None = None
    if use_plan:
        from repaycli.lastplan import read_last_plan
        from repaycli.paths import last_plan_path

        try:
            plan = read_last_plan(last_plan_path())
        except RepayError as error:
            warn(error)  # the offer is still evaluated from the flags
            plan = None
        if plan is not None:
            used = False
            if walk is None:
                if plan.ladder is not None and plan.ladder.walk_away_monthly is not None:
                    walk, used = plan.ladder.walk_away_monthly, True
                elif plan.affordability is not None and plan.affordability.limit is not None:
                    walk, used = plan.affordability.limit, True
            after = plan.ladder.walk_away_after if plan.ladder is not None else None
            if used and after is not None and plan.ladder is not None:
                walk_after, walk_after_from = after, plan.ladder.walk_away_after_from
            if disposable is None and plan.affordability is not None:
                if plan.affordability.disposable is not None:
                    disposable, used = plan.affordability.disposable, True
            if used:
                sources.append("plan")
            reference = plan_reference(plan, amount)
    return (
        Budget(
            walk_away_monthly=walk,
            walk_away_after=walk_after,
            walk_away_after_from=walk_after_from,
            disposable=disposable,
            source="+".join(sources) if sources else None,
        ),
        reference,
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
    from repaycli.core.dates import add_months
    from repaycli.core.money import ZERO, parse_amount
    from repaycli.core.offer import OfferInput, check_terms
    from repaycli.core.rates import RateUnit, parse_rate

    if fee_rate is not None or annual_rate is not None or payment is not None:
        check_terms(fee_rate=fee_rate, annual_rate=annual_rate, payment=payment)
    principal = (
        parse_amount(amount, field="amount")
        if amount is not None
        else ask(
            t("offer.prompt.amount"),
            lambda s: parse_amount(s, field="amount"),
            flag="--amount",
            no_input=no_input,
        )
    )
    count = (
        parse_periods(periods)
        if periods is not None
        else ask(t("offer.prompt.periods"), parse_periods, flag="--periods", no_input=no_input)
    )
    if fee_rate is None and annual_rate is None and payment is None and not no_input:
        payment = ask(
            t("offer.prompt.payment"),
            lambda s: (parse_amount(s, field="payment"), s)[1],
            flag="--payment",
            no_input=no_input,
        )
    terms = check_terms(fee_rate=fee_rate, annual_rate=annual_rate, payment=payment)
    assert principal is not None and count is not None  # ask() raises rather than skip
    return OfferInput(
        amount=principal,
        periods=count,
        terms=terms,
        fee_rate=None if fee_rate is None else parse_fee_rate(fee_rate),
        annual_rate=None
        if annual_rate is None
        else parse_rate(annual_rate, unit=RateUnit.YEAR, field="annual_rate"),
        payment=None if payment is None else parse_amount(payment, field="payment"),
        upfront_fee=ZERO
        if upfront_fee is None
        else parse_amount(upfront_fee, field="upfront_fee", allow_zero=True),
        first_due=add_months(day, 1) if first_due is None else _first_due(first_due, day),
    )


def _first_due(text: str, day: date) -> date:
    """An offer heard today falls due today or later."""
    from repaycli.core.dates import parse_date

    parsed = parse_date(text, today=day, field="first_due")
    if parsed < day:
        raise BadInput("plan.err.start_past", value=text)
    return parsed


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
    budget, reference = budget_and_plan(
        day=day,
        amount=terms.amount,
        income=income,
        expenses=expenses,
        walk_away=walk_away,
        use_plan=not ignore_plan,
    )
    from repaycli.catalog.lpr import load_lpr_table
    from repaycli.core.offer import evaluate
    from repaycli.paths import user_lpr_file

    result: OfferResult = evaluate(
        terms, today=day, lpr=load_lpr_table(user_lpr_file()), budget=budget, plan=reference
    )
    if log_entry is not None:
        from repaycli import store
        from repaycli.cli.common import now
        from repaycli.render.json import to_json

        with store.opened() as conn:
            store.add_offer_check(conn, log_entry, to_json(result), checked_at=now())
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json(result))
        return
    from repaycli.render.offer import print_offer

    print_offer(result)
    if log_entry is not None:
        typer.echo(t("offer.logged", id=log_entry), err=True)


def register(app: typer.Typer) -> None:
    app.command("offer")(offer)


__all__ = ["offer", "parse_periods", "register"]
