"""``plan`` and the register: the current plan made from the register (``plan`` with no
situation flags; ``plan --debts FILE`` when the register is empty or with ``--import``), and
the note a what-if prints to say it did not replace the current plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repaycli.cli.common import OutputFormat

#: ``plan``'s flags that set the budget when a debts file is imported (flag → register field).
BUDGET_FLAGS = {
    "--income": "income",
    "--expenses": "expenses",
    "--reason": "reason",
    "--recovery": "recovery",
    "--income-after": "income_after",
    "--limit-share": "limit_share",
}


def household_plan(
    output: OutputFormat,
    *,
    details: bool,
    debts_file: Path | None = None,
    force: bool = False,
    budget: dict[str, str] | None = None,
    no_input: bool = True,
) -> bool:
    """Make and show the current plan from the register; ``False`` (nothing done) when there is
    nothing to plan from, or when a debts file is a what-if (the register already holds debts
    and ``force`` is not given)."""
    from repaycli import store, store_register
    from repaycli.cli.common import now, today
    from repaycli.errors import BadInput
    from repaycli.services.household import make_current_plan, register_from_last_plan
    from repaycli.services.register import import_file, parser

    imported: tuple[int, int] | None = None
    with store.opened() as conn:
        moment, day = now(), today()
        from_saved = register_from_last_plan(conn, at=moment)
        owed = [d for d in store_register.list_debts(conn) if not d.cleared]
        if debts_file is not None:
            if owed and not force:
                return False
            who = f"plan --debts {debts_file.name}"
            imported = import_file(conn, debts_file, at=moment, who=who)
            given = {
                field: parser(field, day)(budget[flag])
                for flag, field in BUDGET_FLAGS.items()
                if budget and flag in budget
            }
            unknown = [f for f in (budget or {}) if f not in BUDGET_FLAGS and f != "--start"]
            if unknown:
                raise BadInput("debts.err.flag_conflict", flag=unknown[0])
            if given:
                store_register.set_budget(conn, given, who=who, at=moment)
            if store_register.get_budget(conn).income is None:
                from repaycli.cli.common import ask
                from repaycli.i18n import t

                earned = ask(
                    t("plan.prompt.income"),
                    parser("income", day),
                    flag="--income",
                    no_input=no_input,
                )
                store_register.set_budget(conn, {"income": earned}, who=who, at=moment)
        elif not store_register.list_debts(conn):
            return False
        household = make_current_plan(conn, day=day, at=moment, source="plan")
    from repaycli.render.household import show_household

    show_household(household, output, details=details, imported=imported, from_saved=from_saved)
    return True


def what_if_note(output: OutputFormat) -> Callable[[], None]:
    """What a what-if prints after its plan: the current plan it left in place, if any."""
    from repaycli.cli.common import have_database

    def note() -> None:
        import typer

        from repaycli import store
        from repaycli.i18n import t
        from repaycli.services.household import current

        plan = None
        if have_database():
            with store.opened(read_only=True) as conn:
                plan = current(conn)
        if plan is not None:  # with no current plan there is nothing it could have replaced
            text = t("household.what_if", date=plan.household.as_of.isoformat())
            typer.echo(text, err=True)

    return note
