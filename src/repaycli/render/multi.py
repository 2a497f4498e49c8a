"""The several-debt plan as a document: debts, order, split, month by month, strategies, and each
debt's own proposals, ladder and checklist."""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.models import ProposalKind
from repaycli.core.money import ZERO, format_money
from repaycli.core.multi import DebtPlan, DebtStatus, MonthRow, MultiPlanResult, OrderReason
from repaycli.i18n import t
from repaycli.render.document import Block, Bullets, Document, Pairs, Para, Section, Table
from repaycli.render.plan import (
    checklist_sections,
    ladder_blocks,
    log_template_section,
    money,
    proposal_blocks,
)


def _rate(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}%"


def _situation(result: MultiPlanResult) -> Section:
    budget = result.affordability
    rows = [(t("plan.income"), money(budget.income))]
    if budget.expenses is not None:
        rows.append((t("plan.expenses"), money(budget.expenses)))
        rows.append((t("plan.disposable"), money(budget.disposable)))
    if result.reason is not None:
        rows.append((t("plan.reason"), t(f"reason.{result.reason.value}")))
    if result.recovery is not None:
        rows.append((t("plan.recovery"), result.recovery.isoformat()))
    headers = [
        t("debts.col.id"),
        t("debts.col.platform"),
        t("debts.col.kind"),
        t("debts.col.overdue"),
        t("debts.col.principal"),
        t("debts.col.days"),
        t("debts.col.annual"),
        t("debts.col.penalty"),
        t("debts.col.waiting"),
    ]
    table = [
        [
            d.id,
            d.platform_name,
            t(f"kind.{d.kind.value}"),
            format_money(d.overdue),
            format_money(d.principal) + ("*" if d.principal_estimated else ""),
            str(d.days_overdue),
            _rate(d.annual_rate_percent, 2),
            _rate(d.penalty_rate_daily_percent, 3),
            format_money(d.cost_of_waiting.per_day),
        ]
        for d in result.debts
    ]
    blocks: list[Block] = [
        Pairs(rows),
        Para(
            t(
                f"plan.limit_{budget.basis}",
                limit=money(budget.limit),
                share=f"{budget.share_percent:g}",
            ),
            "good" if budget.limit > 0 else "warn",
        ),
        Table(headers, table, right={3, 4, 5, 6, 7, 8}),
        Para(
            t(
                "debts.total_line",
                overdue=money(sum((d.overdue for d in result.debts), ZERO)),
                per_day=money(sum((d.cost_of_waiting.per_day for d in result.debts), ZERO)),
            )
        ),
    ]
    estimated = [d for d in result.debts if d.principal_estimated]
    if estimated:
        blocks.append(Para("* " + t("plan.estimated").strip(" ()（）"), "muted"))
    unconfirmed = [
        d.id for d in result.debts if {"annual_rate", "penalty_rate_daily"} & set(d.unconfirmed)
    ]
    if unconfirmed:
        blocks.append(Para(t("debts.unconfirmed", ids=t("list_sep").join(unconfirmed)), "muted"))
    return Section(t("debts.section.situation"), blocks)


def _order(result: MultiPlanResult) -> Section:
    names = {d.id: d.platform_name for d in result.debts}
    items = []
    for entry in result.order:
        values: dict[str, object] = {}
        if entry.reason is OrderReason.PENALTY:
            values["rate"] = _rate(entry.penalty_rate_daily_percent, 3)
        if entry.reason is OrderReason.CONSEQUENCE:
            values["kind"] = t(f"kind.{entry.kind.value}")
        reason = t(f"debts.reason.{entry.reason.value}", **values)
        items.append(t("debts.order_item", name=names[entry.id], id=entry.id, reason=reason))
    example = ",".join(reversed([e.id for e in result.order]))
    return Section(
        t("debts.section.order"),
        [Bullets(items, numbered=True), Para(t("debts.order_note", example=example), "muted")],
    )


def _chosen(debt: DebtPlan) -> str:
    if debt.chosen_periods is None:
        return "—"
    contract = [
        p
        for p in debt.proposals
        if p.kind is ProposalKind.INSTALLMENTS
        and p.periods == debt.chosen_periods
        and p.interest_free == (debt.annual_rate_percent == 0)
    ]
    return contract[0].id if contract else str(debt.chosen_periods)


def _split(result: MultiPlanResult) -> Section:
    headers = [
        t("debts.col.rank"),
        t("debts.col.id"),
        t("debts.col.platform"),
        t("debts.col.smallest"),
        t("debts.col.share"),
        t("debts.col.chosen"),
        t("debts.col.status"),
    ]
    rows = [
        [
            str(n),
            d.id,
            d.platform_name,
            f"{format_money(d.smallest_payment)} × {d.smallest_periods}",
            format_money(d.share),
            _chosen(d),
            t(f"debts.status.{d.status.value}"),
        ]
        for n, d in enumerate(result.debts, start=1)
    ]
    flagged = {i for i, d in enumerate(result.debts) if d.status is DebtStatus.NEEDS_DEFERRAL}
    limit = result.affordability.limit
    blocks: list[Block] = [Table(headers, rows, right={0, 3, 4}, flagged=flagged)]
    if result.shortfall is None:
        used = sum((d.share for d in result.debts), ZERO)
        blocks.append(Para(t("debts.all_covered", used=money(used), limit=money(limit)), "good"))
    else:
        blocks.append(
            Para(t("debts.shortfall", limit=money(limit), extra=money(result.shortfall)), "bad")
        )
    return Section(t("debts.section.split"), blocks)


def _monthly(result: MultiPlanResult) -> Section:
    limit = money(result.affordability.limit)
    if not result.monthly:
        return Section(t("debts.section.monthly"), [Para(t("debts.monthly_none"), "warn")])
    ids = [d.id for d in result.debts]
    headers = [t("debts.col.month"), t("debts.col.due"), *ids, t("debts.col.total")]
    # Consecutive months paying the same amounts share one row ("1–11").
    runs: list[list[MonthRow]] = []
    for row in result.monthly:
        if runs and runs[-1][-1].amounts == row.amounts:
            runs[-1].append(row)
        else:
            runs.append([row])
    rows = [
        [
            str(run[0].month) if len(run) == 1 else f"{run[0].month}–{run[-1].month}",
            run[0].due.isoformat() if len(run) == 1 else f"{run[0].due} … {run[-1].due}",
            *[format_money(run[0].amounts[i]) for i in ids],
            format_money(run[0].total),
        ]
        for run in runs
    ]
    right = {0, *range(2, len(headers))}
    return Section(
        t("debts.section.monthly"),
        [Table(headers, rows, right=right), Para(t("debts.monthly_note", limit=limit), "muted")],
    )


def _strategies(result: MultiPlanResult) -> Section:
    limit = money(result.affordability.limit)
    needed = money(sum((d.smallest_payment for d in result.debts), ZERO))
    headers = [
        t("debts.col.strategy"),
        t("debts.col.feasible"),
        t("debts.col.months"),
        t("debts.col.finish"),
        t("debts.col.paid"),
        t("debts.col.cost"),
    ]
    rows = []
    blocks: list[Block] = []
    for s in result.strategies:
        name = t(f"debts.strategy.{s.name.value}")
        rows.append(
            [
                name,
                t("yes") if s.feasible else t("no"),
                "—" if s.months is None else str(s.months),
                "—" if s.finish is None else s.finish.isoformat(),
                "—" if s.total_paid is None else format_money(s.total_paid),
                "—" if s.total_cost is None else format_money(s.total_cost),
            ]
        )
    flagged = {i for i, s in enumerate(result.strategies) if not s.feasible}
    if flagged:
        blocks.append(Para(t("debts.strategy_infeasible", limit=limit, needed=needed), "warn"))
    return Section(
        t("debts.section.strategies"),
        [
            Table(headers, rows, right={2, 4, 5}, flagged=flagged),
            *blocks,
            Para(t("debts.strategy_note", limit=limit), "muted"),
        ],
    )


def _debt(n: int, debt: DebtPlan) -> list[Section]:
    facts = Pairs(
        [
            (t("debts.label.hotline"), debt.hotline or t("plan.none")),
            (t("debts.label.status"), t(f"debts.status.{debt.status.value}")),
            (t("debts.label.share"), t("debts.share_value", amount=money(debt.share))),
            (
                t("debts.label.smallest"),
                t(
                    "debts.smallest_value",
                    payment=money(debt.smallest_payment),
                    periods=debt.smallest_periods,
                ),
            ),
            (
                t("debts.label.waiting"),
                t("debts.per_day", amount=money(debt.cost_of_waiting.per_day)),
            ),
        ]
    )
    title = t("debts.debt_title", n=n, platform=debt.platform_name, id=debt.id)
    return [
        Section(title, [facts]),
        Section(f"{title}: {t('plan.section.proposals')}", proposal_blocks(debt.proposals)),
        Section(f"{title}: {t('plan.section.ladder')}", ladder_blocks(debt.ladder, debt.proposals)),
        *checklist_sections(debt.checklist, prefix=f"{title}: "),
    ]


def multi_document(result: MultiPlanResult) -> Document:
    sections = [
        _situation(result),
        _order(result),
        _split(result),
        _monthly(result),
        _strategies(result),
    ]
    for n, debt in enumerate(result.debts, start=1):
        sections += _debt(n, debt)
    sections.append(log_template_section(result.log_template))
    return Document(
        title=t("debts.title", count=len(result.debts)),
        subtitle=t("plan.subtitle", date=result.as_of.isoformat()),
        sections=sections,
    )
