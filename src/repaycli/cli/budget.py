"""``plan --bill FILE``: the essential monthly spending a bill shows, each figure accepted or
edited by the user, becomes ``--expenses`` and an income-and-expenditure statement."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from repaycli.cli.common import ask
from repaycli.core.bills.budget import Budget, Statement
from repaycli.errors import BadInput
from repaycli.i18n import t


def budget_of(paths: list[Path]) -> Budget:
    """The budget of one or several bills (say Alipay's and WeChat's for the same months)."""
    from repaycli.catalog import load_bill_categories
    from repaycli.core.bills.budget import budget_from_rows
    from repaycli.services.bills import read_bill_file

    rows = [row for path in paths for row in read_bill_file(path).bill.rows]
    return budget_from_rows(rows, load_bill_categories())


def confirmed_statement(
    paths: list[Path], *, income: str | None, no_input: bool
) -> tuple[Budget, Statement]:
    """The bills' budget and the statement of the figures the user accepts (``--no-input``:
    the proposed figures)."""
    from repaycli.core.bills.budget import statement
    from repaycli.core.money import parse_amount
    from repaycli.render.numbers import money

    if income is None:
        raise BadInput("err.plan_bill_needs_income")
    earned = parse_amount(income, field="income", allow_zero=True)
    budget = budget_of(paths)
    accepted: dict[str, Decimal] = {}
    for line in budget.essential:
        label = t("budget.ask", category=t(f"budget.category.{line.category}"),
                  proposed=money(line.monthly))  # fmt: skip
        value = ask(
            label,
            lambda s: parse_amount(s, field="expenses", allow_zero=True),
            flag="--expenses",
            no_input=no_input,
            default=f"{line.monthly:.2f}",
        )
        accepted[line.category] = value if value is not None else line.monthly
    return budget, statement(budget, income=earned, accepted=accepted)
