"""``repaycli agreement`` (add, list, show) and ``repaycli pay``: agreed plans and payments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from dateutil.relativedelta import relativedelta

from repaycli.cli.common import (
    JsonOption,
    LangOption,
    NoInputOption,
    ask,
    command_lang,
    have_database,
    now,
    today,
    write_out,
)
from repaycli.core.dates import check_date_range, monthly_due_dates, parse_date
from repaycli.core.money import check_amount, parse_amount, split_evenly, to_fen
from repaycli.errors import BadInput
from repaycli.i18n import t
from repaycli.safeload import loads_json, read_text
from repaycli.services.agreement import MAX_PERIODS  # shared with the call screen

if TYPE_CHECKING:
    from repaycli.core.agreement_lines import AgreementLine

JSON_SCHEMA_VERSION = 1

agreement_app = typer.Typer(
    name="agreement",
    help="Agreed repayment plans and their installment schedules.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_SEPARATORS = re.compile(r"[;；、/\s]+")


def parse_periods(text: str) -> int:
    from repaycli.core.inputs import without_unit

    try:
        value = int(without_unit(text, "installments"))  # 12期, 12个月
    except ValueError:
        raise BadInput("err.integer", field="installments", value=text) from None
    if not 1 <= value <= MAX_PERIODS:
        raise BadInput(
            "err.integer_range", field="installments", value=text, low=1, high=MAX_PERIODS
        )
    return value


def parse_amounts(text: str) -> list[Decimal]:
    """``"1000 1000 2000"`` or ``"1000;1000;2000"``; commas are refused as ambiguous."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not parts:
        raise BadInput("err.amount_empty", field="amounts")
    if any("," in p or "，" in p for p in parts):  # 100,200,300: three amounts or one?
        raise BadInput("err.agreement_amounts_commas", value=text)
    return [parse_amount(p, field="amounts") for p in parts]


def _proposals(data: Any, debt: str | None = None) -> list[tuple[str | None, dict[str, Any]]]:
    """Every proposal in saved ``repaycli plan --json`` output (one debt or several), each with
    the id of the debt it belongs to (``debts[].id`` in a several-debt plan, else ``None``)."""
    found: list[tuple[str | None, dict[str, Any]]] = []
    if isinstance(data, dict):
        own = data.get("id") if isinstance(data.get("proposals"), list) else None
        here = str(own) if own is not None else debt
        for key, value in data.items():
            if key == "proposals" and isinstance(value, list):
                found += [(here, p) for p in value if isinstance(p, dict) and "id" in p]
            else:
                found += _proposals(value, here)
    elif isinstance(data, list):
        for item in data:
            found += _proposals(item, debt)
    return found


def _choose_proposal(
    proposals: list[tuple[str | None, dict[str, Any]]],
    wanted: str | None,
    platform_id: str | None,
) -> tuple[str, dict[str, Any]]:
    """The one proposal ``wanted`` names (``inst-12`` or ``huabei:inst-12``), narrowed by
    ``--platform``; its label (qualified when the plan has several debts) and the proposal."""
    several = len({debt for debt, _ in proposals}) > 1

    def label(debt: str | None, p: dict[str, Any]) -> str:
        return f"{debt}:{p['id']}" if several and debt is not None else str(p["id"])

    labels = list(dict.fromkeys(label(d, p) for d, p in proposals))
    if wanted is None:
        raise BadInput("err.agreement_proposal_missing", ids=", ".join(labels))
    matches = [(d, p) for d, p in proposals if str(p["id"]) == wanted]
    if not matches and ":" in wanted:
        owner, _, pid = wanted.partition(":")
        matches = [(d, p) for d, p in proposals if d == owner and str(p["id"]) == pid]
    if not matches:
        raise BadInput("err.agreement_proposal_unknown", value=wanted, ids=", ".join(labels))
    if platform_id is not None:
        same = [(d, p) for d, p in matches if str(p.get("platform")) == platform_id]
        if not same:
            first_debt, first = matches[0]
            raise BadInput(
                "err.agreement_platform_mismatch",
                platform=platform_id,
                proposal=label(first_debt, first) if len(matches) == 1 else wanted,
                plan_platform=", ".join(dict.fromkeys(str(p.get("platform")) for _, p in matches)),
            )
        matches = same
    if len(matches) > 1:
        raise BadInput(
            "err.agreement_proposal_ambiguous",
            value=wanted,
            ids=", ".join(label(d, p) for d, p in matches),
        )
    debt, chosen = matches[0]
    return label(debt, chosen), chosen


def schedule_from_plan(
    path: Path,
    proposal_id: str | None,
    first_due: date | None,
    platform_id: str | None = None,
    *,
    today: date | None = None,
) -> tuple[str, list[tuple[date, Decimal]], str]:
    """(platform, schedule, proposal label) of one proposal in a saved plan file; a
    ``platform_id`` (``--platform``) picks among debts and must match the proposal's platform."""
    try:
        data = loads_json(read_text(path, limit=64 * 1024 * 1024))
    except OSError as exc:
        raise BadInput("err.file_read", path=str(path), detail=exc.strerror or str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput("err.agreement_plan_file", path=str(path)) from exc
    proposals = _proposals(data)
    if not proposals:
        raise BadInput("err.agreement_plan_file", path=str(path))
    label, chosen = _choose_proposal(proposals, proposal_id, platform_id)
    try:
        rows = chosen["schedule"]
        amounts = [
            check_amount(Decimal(str(r["amount"])), field="amount", allow_zero=True) for r in rows
        ]
        dues = [date.fromisoformat(str(r["due"])) for r in rows]
        platform = str(chosen["platform"])
        total = Decimal(str(chosen.get("total", sum(amounts, Decimal(0)))))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise BadInput("err.agreement_plan_file", path=str(path)) from exc
    if not amounts or sum(amounts, Decimal(0)) != total:
        raise BadInput("err.agreement_plan_file", path=str(path))
    if len(amounts) > MAX_PERIODS:  # a plan file edited by hand: 1,000 installments
        raise BadInput(
            "err.integer_range", field="installments", value=len(amounts), low=1, high=MAX_PERIODS
        )
    if today is not None and first_due is None:  # 9999-12-31 broke every later remind --ics
        for due in dues:
            check_date_range(due, today=today, field="due", text=due.isoformat())
    if first_due is not None:
        dues = monthly_due_dates(first_due, len(amounts))
    return platform, list(zip(dues, amounts, strict=True)), label


def build_schedule(
    *,
    total: Decimal | None,
    periods: int | None,
    first_due: date,
    payment: Decimal | None,
    amounts: list[Decimal] | None,
) -> list[tuple[date, Decimal]]:
    """The installments: an explicit list, equal payments of ``payment`` (the last one takes the
    rest), or ``total`` split evenly — with the same code as ``repaycli plan``."""
    if amounts is not None:
        if periods is not None and periods != len(amounts):
            raise BadInput("err.agreement_periods_mismatch", periods=periods, count=len(amounts))
        if total is not None and sum(amounts, Decimal(0)) != total:
            raise BadInput(
                "err.agreement_total_mismatch", total=f"{total:.2f}", sum=f"{sum(amounts):.2f}"
            )
        values = amounts
    elif payment is not None:
        assert periods is not None
        if total is None:
            total = payment * periods
        last = total - payment * (periods - 1)
        if last <= 0:
            raise BadInput(
                "err.agreement_payment_too_big", payment=f"{payment:.2f}", total=f"{total:.2f}"
            )
        values = [payment] * (periods - 1) + [last]
    else:
        assert total is not None and periods is not None
        values = split_evenly(total, periods)
        if min(values) <= 0:
            raise BadInput("err.agreement_total_too_small", total=f"{total:.2f}", periods=periods)
    if len(values) > MAX_PERIODS:
        raise BadInput(
            "err.integer_range", field="installments", value=len(values), low=1, high=MAX_PERIODS
        )
    return list(zip(monthly_due_dates(first_due, len(values)), values, strict=True))


@agreement_app.command("add")
def add(
    *,
    platform: Annotated[str | None, typer.Option("--platform", help="Platform id or name.")] = None,
    total: Annotated[
        str | None, typer.Option("--total", help="Total agreed (1.2万, 12000).")
    ] = None,
    periods: Annotated[
        str | None, typer.Option("--periods", help="Number of installments.")
    ] = None,
    first_due: Annotated[
        str | None, typer.Option("--first-due", help="First due date (2026-12-01, +1m).")
    ] = None,
    payment: Annotated[
        str | None, typer.Option("--payment", help="Equal payment; the last takes the rest.")
    ] = None,
    amounts: Annotated[
        str | None, typer.Option("--amounts", help='Each installment: "1000 1000 2000".')
    ] = None,
    from_plan: Annotated[
        Path | None, typer.Option("--from-plan", help="Saved 'repaycli plan --json' output.")
    ] = None,
    proposal: Annotated[
        str | None, typer.Option("--proposal", help="The proposal id in --from-plan.")
    ] = None,
    log_entry: Annotated[
        int | None, typer.Option("--log", help="The log entry where it was agreed.")
    ] = None,
    debt: Annotated[
        int | None,
        typer.Option(
            "--debt",
            help="The debt it settles ('repaycli debts list'; default: the platform's debt).",
        ),
    ] = None,
    no_input: NoInputOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Record an agreed plan and store its installment schedule."""
    command_lang(lang)
    from repaycli import store
    from repaycli.cli.log import parse_platform

    day = today()
    if debt is not None and platform is None:
        from repaycli import store_register

        if not have_database():
            raise BadInput("register.err.unknown_id", id=debt)
        with store.opened(read_only=True) as conn:
            platform = store_register.get_debt(conn, debt).platform

    def date_of(text: str) -> date:
        return parse_date(text, today=day, field="first_due")

    given_first = date_of(first_due) if first_due is not None else None
    source: str | None = None
    if from_plan is not None:
        for flag, given in (
            ("--total", total),
            ("--periods", periods),
            ("--payment", payment),
            ("--amounts", amounts),
        ):
            if given is not None:
                raise BadInput("err.agreement_conflicts_plan", flag=flag)
        wanted_platform = parse_platform(platform) if platform is not None else None
        plan_platform, schedule, pid = schedule_from_plan(
            from_plan, proposal, given_first, wanted_platform, today=day
        )
        platform_id = wanted_platform or parse_platform(plan_platform)
        source = f"plan:{pid}"
    else:
        if proposal is not None:
            raise BadInput("err.agreement_proposal_without_plan")
        if amounts is not None and payment is not None:
            raise BadInput("err.agreement_payment_and_amounts")
        platform_id = _required(platform, "platform", parse_platform, no_input)
        listed = parse_amounts(amounts) if amounts is not None else None
        each = parse_amount(payment, field="payment") if payment is not None else None
        whole = parse_amount(total, field="total") if total is not None else None
        if whole is None and listed is None and each is None:
            whole = _required(None, "total", lambda v: parse_amount(v, field="total"), no_input)
        count = parse_periods(periods) if periods is not None else None
        if listed is None and count is None:
            count = _required(None, "periods", parse_periods, no_input)
        start = given_first or _required(None, "first_due", date_of, no_input)
        schedule = build_schedule(
            total=whole, periods=count, first_due=start, payment=each, amounts=listed
        )
    with store.opened() as conn:
        if log_entry is not None:
            contact = store.get_contact(conn, log_entry)
            if contact.platform != platform_id:
                raise BadInput(
                    "err.agreement_log_platform",
                    id=log_entry,
                    log_platform=contact.platform,
                    platform=platform_id,
                )
        agreement_id = store.add_agreement(
            conn,
            platform=platform_id,
            schedule=[(due, to_fen(amount)) for due, amount in schedule],
            recorded_at=now(),
            contact_id=log_entry,
            source=source,
        )
        from repaycli.services.register import attach_agreement

        owner, made = attach_agreement(
            conn, agreement_id, platform=platform_id, debt_id=debt, at=now(), who="agreement add"
        )
        from repaycli.services.household import agreement_warning

        warning = agreement_warning(conn, owner.id, list(schedule))
        view = store.get_agreement(conn, agreement_id, today=day)
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "agreement": view}))
        return
    from repaycli.render.agreement import print_agreement

    write_out(t("agreement.added", id=agreement_id))
    from repaycli.render.register import debt_line, fit

    key = "register.agreement_made" if made else "register.agreement_of"
    write_out(fit([t(key, debt=debt_line(owner)), *([warning] if warning else [])]))
    print_agreement(view)


def _required(value: str | None, name: str, parse: Any, no_input: bool) -> Any:
    if value is not None:
        return parse(value)
    return ask(
        t(f"agreement.ask.{name}"), parse, flag="--" + name.replace("_", "-"), no_input=no_input
    )


@contextmanager
def _nothing() -> Iterator[None]:
    """Where there is no database: no connection, nothing to list."""
    yield None


@agreement_app.command("list")
def list_(*, json_out: JsonOption = False, lang: LangOption = None) -> None:
    """List agreements with what is paid, the balance and the next due date."""
    command_lang(lang)
    from repaycli import store

    views: list[AgreementLine] = []
    if json_out:  # one agreement at a time: 10,000 agreements held whole took 377 MB
        from repaycli.cli.common import StdoutWriter
        from repaycli.render.agreement_json import agreement_record
        from repaycli.render.json import write_json_stream

        out = StdoutWriter()
        day = today()
        with store.opened(read_only=True) if have_database() else _nothing() as conn:
            # plain records, not a pydantic model each (3.65 × the floor at 10,000), all read
            # in one snapshot (the tables are read side by side)
            with store.snapshot(conn) if conn is not None else _nothing():
                shown = () if conn is None else store.iter_agreement_rows(conn)
                write_json_stream(
                    {"schema_version": JSON_SCHEMA_VERSION},
                    "agreements",
                    (agreement_record(*rows, today=day) for rows in shown),
                    out,
                )
        out.write("\n")
        out.flush()
        return
    if have_database():  # a line each, not a model each (9 s and 311 MB at 10,000)
        from repaycli.core.agreement_lines import agreement_line

        day = today()
        with store.opened(read_only=True) as conn, store.snapshot(conn):
            views = [agreement_line(*rows, today=day) for rows in store.iter_agreement_rows(conn)]
    from repaycli.render.agreement import print_agreements

    print_agreements(views)


@agreement_app.command("show")
def show(
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement's id.")],
    *,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Show the schedule (paid / due / overdue), the payments and the balance left."""
    command_lang(lang)
    from repaycli import store

    if not have_database():
        raise BadInput("err.agreement_unknown_id", id=agreement_id)
    with store.opened(read_only=True) as conn:
        view = store.get_agreement(conn, agreement_id, today=today())
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "agreement": view}))
        return
    from repaycli.render.agreement import print_agreement

    print_agreement(view)


def _reason(reason: str | None) -> str:
    """A void's reason: required, one line of free text (it is evidence)."""
    from repaycli.cli.log import parse_text

    text = parse_text("reason")(reason) if reason is not None else ""
    if not text:
        raise BadInput("err.void_reason")
    return text


@agreement_app.command("void")
def void(
    agreement_id: Annotated[int, typer.Argument(metavar="ID", help="The agreement to void.")],
    *,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why it is void (kept with it).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Void a mistaken agreement: it stays on record, marked void; remind and pay ignore it."""
    command_lang(lang)
    from repaycli import store

    why = _reason(reason)
    if not have_database():
        raise BadInput("err.agreement_unknown_id", id=agreement_id)
    with store.opened() as conn:
        store.void_agreement(conn, agreement_id, reason=why, recorded_at=now())
    write_out(t("void.agreement_done", id=agreement_id))


def pay(
    agreement_id: Annotated[
        int | None,
        typer.Argument(
            metavar="AGREEMENT_ID",
            help="The agreement (asked, or the only one, when left out; with --import: only it).",
        ),
    ] = None,
    *,
    bill: Annotated[
        Path | None,
        typer.Option(
            "--import",
            metavar="FILE",
            help="A bill exported by Alipay, WeChat Pay or JD: record its repayments.",
        ),
    ] = None,
    void_payment: Annotated[
        int | None,
        typer.Option(
            "--void", metavar="PAYMENT_ID", help="Void a mistaken payment (with --reason)."
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="With --void: why it is void.")
    ] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", help="Amount paid (1500, ¥1,500).")
    ] = None,
    paid_on: Annotated[
        str | None, typer.Option("--date", help="Date paid (default today; not in the future).")
    ] = None,
    receipt: Annotated[
        str | None, typer.Option("--receipt", help="Receipt / transaction reference (还款凭证).")
    ] = None,
    no_input: NoInputOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Record a payment; it goes to the earliest unpaid installments."""
    command_lang(lang)
    from repaycli import store
    from repaycli.cli.log import parse_text

    day = today()
    if bill is not None:
        for flag, given in (
            ("--void", void_payment),
            ("--reason", reason),
            ("--amount", amount),
            ("--date", paid_on),
            ("--receipt", receipt),
        ):
            if given is not None:
                raise BadInput("err.pay_import_conflicts", flag=flag)
        from repaycli.cli.bills import import_bill

        import_bill(bill, agreement_id, no_input=no_input, json_out=json_out)
        return
    interview = not no_input and (agreement_id is None or amount is None)
    if agreement_id is None:
        from repaycli.cli.pay_pick import pick_agreement

        agreement_id = pick_agreement(day, no_input=no_input or void_payment is not None)
    if void_payment is not None:
        why = _reason(reason)
        if not have_database():
            raise BadInput("err.agreement_unknown_id", id=agreement_id)
        with store.opened() as conn:
            store.void_payment(conn, agreement_id, void_payment, reason=why, recorded_at=now())
        write_out(t("void.payment_done", id=void_payment, agreement=agreement_id))
        return
    if reason is not None:
        raise BadInput("err.reason_without_void")
    if not have_database():
        raise BadInput("err.agreement_unknown_id", id=agreement_id)
    with store.opened() as conn:  # an unknown or finished agreement before asking anything
        before = store.get_agreement(conn, agreement_id, today=day)
    if before.void_reason is not None:
        raise BadInput("err.agreement_voided", id=agreement_id)
    if before.finished:
        raise BadInput("err.agreement_finished", id=agreement_id)
    value = _required(amount, "amount", lambda v: parse_amount(v, field="amount"), no_input)
    when = day if paid_on is None else parse_date(paid_on, today=day, field="date", prefer="past")
    if when > day:
        raise BadInput("err.pay_future", value=paid_on)
    if when < before.first_due - relativedelta(years=1):  # a typo, not a payment
        raise BadInput(  # value: the date meant, also when it is today's by default (not None)
            "err.pay_too_early", value=when.isoformat(), first_due=before.first_due.isoformat()
        )
    if receipt is None and interview:  # the evidence of the payment: asked, may be skipped
        from repaycli.cli.pay_pick import parse_receipt

        reference = ask(t("pay.ask_receipt"), parse_receipt, flag="--receipt", no_input=False,
                        optional=True) or None  # fmt: skip
    else:
        reference = parse_text("receipt")(receipt) or None if receipt is not None else None
    with store.opened() as conn:
        payment_id = store.add_payment(
            conn,
            agreement_id,
            amount_fen=to_fen(value),
            paid_on=when,
            recorded_at=now(),
            receipt=reference,
        )
        view = store.get_agreement(conn, agreement_id, today=day)
    made = next(p for p in view.payments if p.id == payment_id)
    if json_out:
        from repaycli.render.json import to_json

        body = {"schema_version": JSON_SCHEMA_VERSION, "payment": made, "agreement": view}
        write_out(to_json(body))
        return
    from repaycli.render.agreement import print_payment

    print_payment(made, view)


def register(app: typer.Typer) -> None:
    app.add_typer(agreement_app, name="agreement")
    app.command("pay")(pay)
