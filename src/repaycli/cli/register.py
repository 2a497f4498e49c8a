"""``repaycli debts`` (add, list, show, edit, import): the register every command plans from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

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
from repaycli.errors import BadInput
from repaycli.i18n import t

JSON_SCHEMA_VERSION = 1

debts_app = typer.Typer(
    name="debts",
    help="The debt register: every debt and the budget the plan is made from.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _values(given: dict[str, str | None], names: tuple[str, ...]) -> dict[str, Any]:
    from repaycli.services.register import parser

    day = today()
    return {n: parser(n, day)(v) for n, v in given.items() if n in names and v is not None}


@debts_app.command("add")
def add(
    platform: Annotated[
        str | None, typer.Argument(metavar="PLATFORM", help="The lender (花呗, huabei, 招行…).")
    ] = None,
    *,
    overdue: Annotated[str | None, typer.Option("--overdue", help="Overdue amount.")] = None,
    principal: Annotated[str | None, typer.Option("--principal", help="Principal part.")] = None,
    interest: Annotated[str | None, typer.Option("--interest", help="Interest due.")] = None,
    penalty: Annotated[str | None, typer.Option("--penalty", help="Penalty and fees.")] = None,
    days_overdue: Annotated[
        str | None, typer.Option("--days-overdue", help="Days overdue so far.")
    ] = None,
    annual_rate: Annotated[
        str | None, typer.Option("--annual-rate", help="Contract rate: 18%.")
    ] = None,
    penalty_rate: Annotated[
        str | None, typer.Option("--penalty-rate", help="Penalty rate: 0.05%/day.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="negotiating, agreed, paid_off or sold.")
    ] = None,
    no_input: NoInputOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Add a debt to the register (asks for the lender and the amount when missing)."""
    command_lang(lang)
    from repaycli import store, store_register
    from repaycli.services.register import DEBT_FLAGS, check_parts, parser

    day = today()
    if platform is not None:
        chosen = parser("platform", day)(platform)
    else:
        chosen = ask(
            t("register.ask.platform"), parser("platform", day), flag="PLATFORM", no_input=no_input
        )
    given = {
        "overdue": overdue,
        "principal": principal,
        "interest": interest,
        "penalty": penalty,
        "days_overdue": days_overdue,
        "annual_rate": annual_rate,
        "penalty_rate": penalty_rate,
    }
    values: dict[str, Any] = {"platform": chosen, **_values(given, DEBT_FLAGS)}
    interview = not no_input and overdue is None
    if overdue is None:
        values["overdue"] = ask(
            t("register.ask.overdue"), parser("overdue", day), flag="--overdue", no_input=no_input
        )
    if interview:
        for name in ("days_overdue", "principal"):
            if values.get(name) is None:
                values[name] = ask(
                    t(f"register.ask.{name}"),
                    parser(name, day),
                    flag="--" + name.replace("_", "-"),
                    no_input=no_input,
                    optional=True,
                )
    check_parts(values)
    state = parser("status", day)(status) if status is not None else "negotiating"
    with store.opened() as conn:
        debt_id = store_register.add_debt(conn, values, who="debts add", at=now(), status=state)
        debt = store_register.get_debt(conn, debt_id)
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "debt": debt}))
        return
    from repaycli.render.register import debt_line

    write_out(t("register.added", id=debt_id, debt=debt_line(debt)))
    write_out(t("register.replan"))


@debts_app.command("list")
def list_(*, json_out: JsonOption = False, lang: LangOption = None) -> None:
    """The debts, the budget, and the current plan's date."""
    command_lang(lang)
    from repaycli import store, store_register
    from repaycli.core.register import Budget, RegisterDebt
    from repaycli.services.household import InForce, current

    debts: list[RegisterDebt] = []
    budget = Budget()
    plan: InForce | None = None
    if have_database():
        with store.opened(read_only=True) as conn:
            debts = store_register.list_debts(conn)
            budget = store_register.get_budget(conn)
            plan = current(conn)
    if json_out:
        from repaycli.render.json import to_json

        write_out(
            to_json(
                {
                    "schema_version": JSON_SCHEMA_VERSION,
                    "debts": debts,
                    "budget": budget,
                    "current_plan": None
                    if plan is None
                    else {"as_of": plan.household.as_of, "stale": plan.stale},
                }
            )
        )
        return
    from repaycli.render.register import register_text

    write_out(register_text(debts, budget, plan))


@debts_app.command("show")
def show(
    debt_id: Annotated[int, typer.Argument(metavar="ID", help="The debt's id.")],
    *,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """One debt, its agreements and every change made to it."""
    command_lang(lang)
    from repaycli import store, store_register

    if not have_database():
        raise BadInput("register.err.unknown_id", id=debt_id)
    with store.opened(read_only=True) as conn:
        debt = store_register.get_debt(conn, debt_id)
        changes = list(store_register.history(conn, debt_id))
    if json_out:
        from repaycli.render.json import to_json

        write_out(
            to_json({"schema_version": JSON_SCHEMA_VERSION, "debt": debt, "history": changes})
        )
        return
    from repaycli.render.register import debt_text

    write_out(debt_text(debt, changes))


@debts_app.command("edit")
def edit(
    debt_id: Annotated[
        int | None, typer.Argument(metavar="[ID]", help="The debt to change (none: the budget).")
    ] = None,
    *,
    overdue: Annotated[str | None, typer.Option("--overdue", help="Overdue amount.")] = None,
    principal: Annotated[str | None, typer.Option("--principal", help="Principal part.")] = None,
    interest: Annotated[str | None, typer.Option("--interest", help="Interest due.")] = None,
    penalty: Annotated[str | None, typer.Option("--penalty", help="Penalty and fees.")] = None,
    days_overdue: Annotated[
        str | None, typer.Option("--days-overdue", help="Days overdue so far.")
    ] = None,
    annual_rate: Annotated[
        str | None, typer.Option("--annual-rate", help="Contract rate: 18%.")
    ] = None,
    penalty_rate: Annotated[
        str | None, typer.Option("--penalty-rate", help="Penalty rate: 0.05%/day.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="negotiating, agreed, paid_off or sold.")
    ] = None,
    sold_to: Annotated[
        str | None, typer.Option("--sold-to", help="The company the debt was sold to.")
    ] = None,
    income: Annotated[str | None, typer.Option("--income", help="Monthly income.")] = None,
    expenses: Annotated[
        str | None, typer.Option("--expenses", help="Essential monthly expenses.")
    ] = None,
    recovery: Annotated[
        str | None, typer.Option("--recovery", help="Expected recovery date.")
    ] = None,
    income_after: Annotated[
        str | None, typer.Option("--income-after", help="Monthly income from the recovery date.")
    ] = None,
    limit_share: Annotated[
        str | None, typer.Option("--limit-share", help="Share of disposable income: 50%.")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Hardship reason.")] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Change a debt (with its ID) or the budget (income, expenses, recovery …)."""
    command_lang(lang)
    from repaycli import store, store_register
    from repaycli.services.register import BUDGET_FLAGS, DEBT_FLAGS, check_parts, parser

    day = today()
    debt_given = {
        "overdue": overdue,
        "principal": principal,
        "interest": interest,
        "penalty": penalty,
        "days_overdue": days_overdue,
        "annual_rate": annual_rate,
        "penalty_rate": penalty_rate,
    }
    budget_given = {
        "income": income,
        "expenses": expenses,
        "recovery": recovery,
        "income_after": income_after,
        "limit_share": limit_share,
        "reason": reason,
    }
    changes = _values(debt_given, DEBT_FLAGS)
    if status is not None:
        changes["status"] = parser("status", day)(status)
    if sold_to is not None:
        changes["sold_to"] = sold_to.strip() or None
        changes.setdefault("status", "sold")
    budget = _values(budget_given, BUDGET_FLAGS)
    if changes and debt_id is None:
        raise BadInput("register.err.edit_needs_id")
    if not changes and not budget:
        raise BadInput("register.err.edit_nothing")
    with store.opened() as conn:
        moment = now()
        if changes and debt_id is not None:
            before = store_register.get_debt(conn, debt_id)
            check_parts({**before.model_dump(), **changes})
            store_register.edit_debt(conn, debt_id, changes, who="debts edit", at=moment)
        unfit: list[tuple[int, str]] = []
        if budget:
            from repaycli.services.checkin import after_budget_change

            store_register.set_budget(conn, budget, who="debts edit", at=moment)
            unfit = after_budget_change(conn, day=day)
        debts = store_register.list_debts(conn)
        kept = store_register.get_budget(conn)
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "debts": debts, "budget": kept}))
        return
    write_out(t("register.changed"))
    if unfit:
        from repaycli.render.register import fit, platform_name

        write_out(
            fit([t("checkin.unfit", id=n, name=platform_name(p), platform=p) for n, p in unfit])
        )
    write_out(t("register.replan"))


@debts_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A debts file (TOML).")],
    *,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Import a debts file (the one 'plan --debts' reads) into the register."""
    command_lang(lang)
    from repaycli import store
    from repaycli.services.register import import_file

    with store.opened() as conn:
        added, updated = import_file(conn, path, at=now(), who=f"debts import {path.name}")
    if json_out:
        from repaycli.render.json import to_json

        write_out(
            to_json({"schema_version": JSON_SCHEMA_VERSION, "added": added, "updated": updated})
        )
        return
    write_out(t("register.imported", added=added, updated=updated, path=str(path)))
    write_out(t("register.replan"))


def register(app: typer.Typer) -> None:
    app.add_typer(debts_app, name="debts")
