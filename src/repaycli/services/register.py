"""Business steps on the debt register shared by ``debts``, ``plan``, ``agreement`` and ``call``:
parse a debt's fields, import a debts file, find the debt a command is about."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from repaycli.core.register import RegisterDebt
from repaycli.errors import BadInput

#: The debt flags of ``debts add`` / ``debts edit`` and how each is read.
DEBT_FLAGS = (
    "overdue",
    "principal",
    "interest",
    "penalty",
    "days_overdue",
    "annual_rate",
    "penalty_rate",
)
BUDGET_FLAGS = ("income", "expenses", "recovery", "income_after", "limit_share", "reason")


def parser(name: str, day: date) -> Callable[[str], Any]:
    """How the flag ``name`` is read (the same parsers as ``plan``'s flags)."""
    from repaycli.core.dates import parse_date
    from repaycli.core.inputs import parse_int, parse_reason, parse_share
    from repaycli.core.money import parse_amount
    from repaycli.core.rates import RateUnit, parse_penalty_rate, parse_rate
    from repaycli.services.log import parse_platform

    def recovery(text: str) -> date:
        parsed = parse_date(text, today=day, field="recovery")
        if parsed <= day:
            raise BadInput("plan.err.recovery_past", value=text)
        return parsed

    parsers: dict[str, Callable[[str], Any]] = {
        "platform": parse_platform,
        "overdue": lambda s: parse_amount(s, field="overdue"),
        "principal": lambda s: parse_amount(s, field="principal"),
        "interest": lambda s: parse_amount(s, field="interest", allow_zero=True),
        "penalty": lambda s: parse_amount(s, field="penalty", allow_zero=True),
        "days_overdue": lambda s: parse_int(s, field="days_overdue", low=0, high=3650),
        "annual_rate": lambda s: parse_rate(s, unit=RateUnit.YEAR, field="annual_rate"),
        "penalty_rate": parse_penalty_rate,
        "income": lambda s: parse_amount(s, field="income", allow_zero=True),
        "expenses": lambda s: parse_amount(s, field="expenses", allow_zero=True),
        "income_after": lambda s: parse_amount(s, field="income_after", allow_zero=True),
        "recovery": recovery,
        "limit_share": parse_share,
        "reason": lambda s: parse_reason(s).value,
        "status": parse_status,
    }
    return parsers[name]


def parse_status(text: str) -> str:
    from repaycli.core.register import STATUSES
    from repaycli.i18n import LANGUAGES, t

    raw = text.strip().lower().replace("-", "_").replace(" ", "_")
    named = {t(f"register.status.{s}", lang): s for s in STATUSES for lang in LANGUAGES}
    found = named.get(text.strip(), raw)
    if found not in STATUSES:
        raise BadInput("register.err.status", value=text, choices=", ".join(STATUSES))
    return found


def check_parts(values: Mapping[str, Any]) -> None:
    """The parts given must fit inside the overdue amount (as ``plan`` checks them)."""
    from repaycli.core.balance import breakdown_of
    from repaycli.core.models import Debt

    overdue, principal = values.get("overdue"), values.get("principal")
    if overdue is None:
        return
    if principal is not None and principal > overdue:
        raise BadInput("plan.err.principal_above", principal=principal, overdue=overdue)
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    debt = Debt(
        platform=load_catalogue(user_platforms_file()).resolve(str(values["platform"])),
        overdue=overdue,
        principal=principal,
        interest_due=values.get("interest"),
        penalty=values.get("penalty"),
    )
    breakdown_of(debt)


def import_file(conn: sqlite3.Connection, path: Path, *, at: datetime, who: str) -> tuple[int, int]:
    """A debts file (``plan --debts``) into the register: a debt whose platform is already there
    (and not cleared) is updated, any other is added; the file's income, expenses, share and
    reason set the budget. (added, updated)."""
    from repaycli import store_register
    from repaycli.catalog import load_catalogue
    from repaycli.cli.debts import load_debts
    from repaycli.paths import user_platforms_file

    loaded = load_debts(path, load_catalogue(user_platforms_file()))
    added = updated = 0
    existing = [d for d in store_register.list_debts(conn) if not d.cleared]
    taken: set[int] = set()
    for debt in loaded.debts:
        values: dict[str, Any] = {
            "platform": debt.platform.id,
            "overdue": debt.overdue,
            "principal": debt.principal,
            "interest": debt.interest_due,
            "penalty": debt.penalty,
            "days_overdue": debt.days_overdue,
            "annual_rate": debt.annual_rate,
            "penalty_rate": debt.penalty_rate_daily,
        }
        same = next(
            (d for d in existing if d.platform == debt.platform.id and d.id not in taken), None
        )
        if same is None:
            store_register.add_debt(conn, values, who=who, at=at)
            added += 1
        else:
            taken.add(same.id)
            changes = {k: v for k, v in values.items() if k != "platform"}
            before = store_register.version(conn)
            store_register.edit_debt(conn, same.id, changes, who=who, at=at)
            updated += store_register.version(conn) > before
    budget = {
        "income": loaded.income,
        "expenses": loaded.expenses,
        "limit_share": loaded.limit_share,
        "reason": None if loaded.reason is None else loaded.reason.value,
    }
    given = {k: v for k, v in budget.items() if v is not None}
    if given:
        store_register.set_budget(conn, given, who=who, at=at)
    return added, updated


def find_debt(conn: sqlite3.Connection, platform: str | None, debt_id: int | None) -> RegisterDebt:
    """The debt a command is about: by ``--debt ID``, else by its platform (the one debt of
    that platform still owed). A lender not in the register is named with the command that
    adds it."""
    from repaycli import store_register
    from repaycli.services.log import parse_platform

    if debt_id is not None:
        return store_register.get_debt(conn, debt_id)
    if platform is None:
        raise BadInput("err.missing_value", flag="--platform")
    wanted = parse_platform(platform)
    found = [d for d in store_register.list_debts(conn) if d.platform == wanted]
    owed = [d for d in found if not d.cleared] or found
    if not owed:
        raise BadInput("register.err.lender_missing", name=platform, id=wanted)
    if len(owed) > 1:
        raise BadInput(
            "register.err.lender_ambiguous",
            name=platform,
            ids=", ".join(str(d.id) for d in owed),
        )
    return owed[0]


def numbers(values: Mapping[str, Decimal | int | str | date | None]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def attach_agreement(
    conn: sqlite3.Connection,
    agreement_id: int,
    *,
    platform: str,
    debt_id: int | None,
    at: datetime,
    who: str,
) -> tuple[RegisterDebt, bool]:
    """The agreement belongs to a debt: ``--debt ID``, else the platform's debt in the register;
    a platform not in the register gets an agreed debt of its own (the agreement's total).
    (the debt, whether it was made now)."""
    from repaycli import store, store_register

    made = False
    if debt_id is not None:
        debt = store_register.get_debt(conn, debt_id)
        if debt.platform != platform:
            raise BadInput(
                "register.err.debt_platform", id=debt_id, debt=debt.platform, platform=platform
            )
    else:
        try:
            debt = find_debt(conn, platform, None)
        except BadInput as error:
            if error.key != "register.err.lender_missing":
                raise
            view = store.get_agreement(conn, agreement_id, today=at.date())
            new_id = store_register.add_debt(
                conn, {"platform": platform, "overdue": view.total}, who=who, at=at, status="agreed"
            )
            debt, made = store_register.get_debt(conn, new_id), True
    store_register.link_agreement(conn, agreement_id, debt.id, who=who, at=at)
    return store_register.get_debt(conn, debt.id), made
