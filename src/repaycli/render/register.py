"""The debt register as text: one line a debt, the budget, a debt's history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from repaycli.i18n import get_lang, t
from repaycli.render.numbers import money
from repaycli.render.safe import safe_text

if TYPE_CHECKING:
    from repaycli.core.register import Budget, HistoryRow, RegisterDebt
    from repaycli.services.checkin import CheckIn
    from repaycli.services.household import InForce


def fit(lines: list[str]) -> str:
    """Lines broken by display width for the terminal (at most 80 columns: a phone screen)."""
    import shutil

    from repaycli.render.wrap import fill

    cells = min(shutil.get_terminal_size((80, 24)).columns, 80)
    return "\n".join(fill(line, cells, subsequent="  ") if line else line for line in lines)


def platform_name(platform: str) -> str:
    from repaycli.catalog import load_catalogue
    from repaycli.errors import BadInput
    from repaycli.paths import user_platforms_file

    try:
        return load_catalogue(user_platforms_file()).resolve(platform).name(get_lang())
    except BadInput:
        return safe_text(platform)


def debt_line(debt: RegisterDebt) -> str:
    status = t(f"register.status.{debt.status}")
    if debt.cleared:
        status = t("register.status.paid_off")
    text = t(
        "register.line",
        id=debt.id,
        name=platform_name(debt.platform),
        balance=money(debt.balance),
        days=debt.days_overdue,
        status=status,
    )
    if debt.agreements:
        text += t(
            "register.line_agreed",
            ids=", ".join(f"#{a}" for a in debt.agreements),
            paid=money(debt.paid),
        )
    if debt.sold_to:
        text += t("register.line_sold", to=safe_text(debt.sold_to))
    return text


def budget_line(budget: Budget) -> str:
    if budget.income is None:
        return t("register.budget_none")
    text = t(
        "register.budget",
        income=money(budget.income),
        expenses="—" if budget.expenses is None else money(budget.expenses),
    )
    if budget.recovery is not None:
        after = "—" if budget.income_after is None else money(budget.income_after)
        text += t("register.budget_recovery", date=budget.recovery.isoformat(), income=after)
    return text


def plan_note(plan: InForce | None) -> str:
    """Which plan is in force, and whether the register changed since it was made."""
    if plan is None:
        return t("register.no_plan")
    text = t("register.plan_of", date=plan.household.as_of.isoformat())
    if plan.stale:
        text += t("register.plan_stale")
    return text


def register_text(debts: Sequence[RegisterDebt], budget: Budget, plan: InForce | None) -> str:
    if not debts:
        return t("register.empty")
    lines = [t("register.title", n=len(debts))]
    lines += [debt_line(d) for d in debts]
    lines.append(budget_line(budget))
    lines.append(plan_note(plan))
    return fit(lines)


def debt_text(debt: RegisterDebt, changes: Sequence[HistoryRow]) -> str:
    lines = [debt_line(debt)]
    parts = [
        ("overdue", debt.overdue),
        ("principal", debt.principal),
        ("interest", debt.interest),
        ("penalty", debt.penalty),
    ]
    for key, value in parts:
        if value is not None:
            lines.append(t(f"register.field.{key}", amount=money(value)))
    lines.append(t("register.history"))
    for row in changes:
        what = ", ".join(
            f"{k}={safe_text(str(v))}" for k, v in row.change.items() if not k.endswith("_before")
        )
        lines.append(
            t("register.history_row", at=row.at, who=safe_text(row.who), what=row.what, change=what)
        )
    return "\n".join(lines)


def check_in_text(check: CheckIn) -> str:
    """The monthly check-in, one line an agreement."""
    lines = [t("checkin.title", month=check.month)]
    for row in check.agreements:
        key = "checkin.behind" if row.behind > 0 else "checkin.on_track"
        lines.append(
            t(
                key,
                id=row.agreement_id,
                name=platform_name(row.platform),
                due=money(row.due),
                paid=money(row.paid),
                behind=money(row.behind),
            )
        )
    for row in check.no_longer_fit:
        lines.append(
            t(
                "checkin.unfit",
                id=row.agreement_id,
                name=platform_name(row.platform),
                platform=row.platform,
            )
        )
    if check.replanned is not None:
        lines.append(t("checkin.replanned", date=check.replanned.isoformat()))
    if check.lines:
        from repaycli.services.household import lines_text

        for lender in check.lines:
            lines.append(
                t(
                    "checkin.line",
                    name=platform_name(lender.platform),
                    lines=lines_text(lender.lines),
                )
            )
    return fit(lines)
