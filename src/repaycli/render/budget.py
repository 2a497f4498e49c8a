"""An income-and-expenditure statement from a bill, as text or markdown (JSON: ``to_json``)."""

from __future__ import annotations

from repaycli.core.bills.budget import Budget, Statement
from repaycli.i18n import t
from repaycli.render.document import Block, Para, Section, Table
from repaycli.render.numbers import money
from repaycli.render.wrap import width as display_width


def _pad(label: str, value: str, width: int = 44) -> str:
    gap = max(2, width - display_width(label) - display_width(value))
    return f"{label}{' ' * gap}{value}"


def statement_text(budget: Budget, result: Statement) -> str:
    lines = [
        t("budget.title", months=result.months, first=budget.first, last=budget.last),
        _pad(t("budget.income"), money(result.income)),
        t("budget.essential"),
    ]
    lines += [
        _pad("  " + t(f"budget.category.{line.category}"), money(line.monthly))
        for line in result.expenses
    ]
    lines += [
        _pad(t("budget.essential_total"), money(result.essential_total)),
        _pad(t("budget.available"), money(result.available)),
        t("budget.repayments", amount=money(result.repayments)),
    ]
    if budget.other.monthly:
        lines.append(t("budget.other", amount=money(budget.other.monthly)))
    from repaycli.render.bills import folded

    return folded(lines)


def statement_markdown(budget: Budget, result: Statement) -> str:
    rows = [
        f"## {t('budget.title', months=result.months, first=budget.first, last=budget.last)}",
        "",
        f"| {t('budget.col.item')} | {t('budget.col.monthly')} |",
        "|---|---:|",
        f"| {t('budget.income')} | {money(result.income)} |",
    ]
    rows += [
        f"| {t(f'budget.category.{line.category}')} | {money(line.monthly)} |"
        for line in result.expenses
    ]
    rows += [
        f"| **{t('budget.essential_total')}** | **{money(result.essential_total)}** |",
        f"| **{t('budget.available')}** | **{money(result.available)}** |",
        "",
        t("budget.repayments", amount=money(result.repayments)),
    ]
    return "\n".join(rows)


def statement_pairs(result: Statement) -> list[tuple[str, str]]:
    """The statement as label–amount pairs: the budget a lender is shown in the hand-over pack."""
    pairs = [(t("budget.income"), money(result.income))]
    pairs += [
        (t(f"budget.category.{line.category}"), money(line.monthly)) for line in result.expenses
    ]
    pairs += [
        (t("budget.essential_total"), money(result.essential_total)),
        (t("budget.available"), money(result.available)),
    ]
    return pairs


def statement_section(budget: Budget, result: Statement) -> Section:
    """The statement as a section of a document: the report's plan part opens with it."""
    rows = [[t("budget.income"), money(result.income)]]
    rows += [
        [t(f"budget.category.{line.category}"), money(line.monthly)] for line in result.expenses
    ]
    rows += [
        [t("budget.essential_total"), money(result.essential_total)],
        [t("budget.available"), money(result.available)],
    ]
    blocks: list[Block] = [
        Table(
            headers=[t("budget.col.item"), t("budget.col.monthly")],
            rows=rows,
            right={1},
            flagged={len(rows) - 1} if result.available < 0 else set(),
        ),
        Para(t("budget.repayments", amount=money(result.repayments))),
    ]
    title = t("budget.title", months=result.months, first=budget.first, last=budget.last)
    return Section(title=title, blocks=blocks)
