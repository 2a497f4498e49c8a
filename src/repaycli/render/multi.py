"""The several-debt plan as a document: a short answer first — what you owe, what you can pay,
when you are clear, one line per lender — and the full tables only when asked for."""

from __future__ import annotations

from repaycli.core.money import ZERO
from repaycli.core.multi import DebtPlan, MonthRow, MultiPlanResult, StrategyResult
from repaycli.core.schedules import MAX_TERM
from repaycli.i18n import t
from repaycli.render.card import household_text, line_steps_text
from repaycli.render.document import Block, Bullets, Document, Para, Section, Table
from repaycli.render.numbers import amount, daily_percent, percent
from repaycli.render.plan import (
    checklist_sections,
    count_text,
    hardship_blocks,
    ladder_blocks,
    log_template_section,
    money,
    months_text,
)


def _month(day: object) -> str:
    return str(day)[:7]


def _strategy(result: StrategyResult) -> str:
    return t(f"debts.strategy.{result.name.value}")


def ask_line(debt: DebtPlan) -> str:
    """One lender's ask in one line."""
    ask = debt.ask
    values = {"name": debt.platform_name, "id": debt.id}
    extras = "".join(
        t("debts.ask_extra", month=_month(i.due), amount=money(i.amount)) for i in ask.extras
    )
    if ask.first_due is None:
        return t("debts.ask_nothing", **values) + extras
    key = "debts.ask_pause" if ask.pause_until is not None else "debts.ask"
    text = t(
        key,
        first=_month(ask.first_due),
        payment=money(ask.payment),
        months=months_text(ask.months),
        **values,
    )
    if ask.payment_later is not None and ask.changes_from is not None:
        text += t(
            "debts.ask_change", later=money(ask.payment_later), since=_month(ask.changes_from)
        )
    if ask.months > MAX_TERM:
        text += t("debts.ask_long")
    walk_away = money(ask.walk_away)
    if ask.payment_later is not None and ask.changes_from is not None:
        walk_away += t(
            "debts.walk_away_then", amount=money(ask.payment_later), since=_month(ask.changes_from)
        )
    return text + extras + t("debts.ask_end", walk_away=walk_away)


def _headline(result: MultiPlanResult) -> list[Block]:
    budget = result.affordability
    plan = result.plan
    strategy = t(f"debts.strategy.{result.strategy.value}")
    per_day = sum((d.cost_of_waiting.per_day for d in result.debts), ZERO)
    lines = [
        t(
            "debts.owe",
            overdue=money(result.total_overdue),
            lenders=count_text("lenders", len(result.debts)),
            principal=money(result.total_principal),
            per_day=money(per_day),
        ),
        t("debts.can_pay", limit=money(budget.limit)),
    ]
    if budget.limit_after is not None and budget.limit_after_from is not None:
        lines.append(
            t(
                "debts.can_pay_after",
                date=budget.limit_after_from.isoformat(),
                limit=money(budget.limit_after),
            )
        )
    change = result.what_if.limit_change if result.what_if is not None else None
    if change is not None:
        lines.append(
            t("debts.can_pay_after", date=change.start.isoformat(), limit=money(change.amount))
        )
    if budget.deficit is not None:
        lines.append(t("debts.deficit", deficit=money(budget.deficit)))
    blocks: list[Block] = [Para(" ".join(lines) if result.lang == "en" else "".join(lines))]
    status = result.household.status.value
    blocks.append(Para(household_text(result), "good" if status == "fits" else "warn"))
    if result.hardship is not None:
        blocks.extend(hardship_blocks(result.hardship, True))
    if plan.months is not None and plan.finish is not None and status == "fits":
        # The whole balances at the contract rates: what the walk-away lines are shared by.
        blocks.append(
            Para(
                t(
                    "debts.clear",
                    strategy=strategy,
                    finish=_month(plan.finish),
                    months=plan.months,
                    paid=money(plan.total_paid or ZERO),
                    cost=money(plan.total_cost or ZERO),
                ),
                "good" if plan.within_term else "warn",
            )
        )
    return blocks


def _what_if(result: MultiPlanResult) -> list[Block]:
    what = result.what_if
    if what is None:
        return []
    lines = [
        t("debts.extra_line", amount=money(e.amount), on=e.on.isoformat(), due=e.due.isoformat())
        for e in what.extras
    ]
    if what.limit_change is not None:
        lines.append(
            t(
                "debts.limit_change_line",
                start=what.limit_change.start.isoformat(),
                amount=money(what.limit_change.amount),
            )
        )
    blocks: list[Block] = [Bullets(lines)]
    base = what.baseline
    if what.months_saved is not None and what.money_saved is not None:
        better = what.months_saved >= 0 and what.money_saved >= 0
        key = "debts.what_if" if better else "debts.what_if_worse"
        blocks.append(
            Para(
                t(
                    key,
                    months=abs(what.months_saved),
                    money=money(abs(what.money_saved)),
                    base_months=base.months,
                    base_cost=money(base.total_cost or ZERO),
                ),
                "good" if better else "warn",
            )
        )
    return blocks


def _others(result: MultiPlanResult) -> Para:
    items = []
    for other in result.compare:
        if other.name is result.strategy:
            continue
        if other.months is not None and other.within_term:
            items.append(
                t(
                    "debts.other_item",
                    strategy=_strategy(other),
                    months=other.months,
                    cost=money(other.total_cost or ZERO),
                )
            )
        else:
            items.append(t("debts.other_never", strategy=_strategy(other)))
    return Para(t("debts.others", items=t("debts.others_sep").join(items)), "muted")


def _summary(result: MultiPlanResult) -> list[Section]:
    sections = [Section(t("debts.section.summary"), _headline(result))]
    sections.append(
        Section(
            t("debts.lenders"),
            [
                Bullets([ask_line(d) for d in result.debts]),
                Para(t(f"debts.strategy_long.{result.strategy.value}"), "muted"),
                _others(result),
            ],
        )
    )
    if result.what_if is not None:
        sections.append(Section(t("debts.section.what_if"), _what_if(result)))
    return sections


def _debts_table(result: MultiPlanResult) -> Section:
    headers = [
        t("debts.col.id"),
        t("debts.col.platform"),
        t("debts.col.overdue"),
        t("debts.col.principal"),
        t("debts.col.annual"),
        t("debts.col.penalty"),
        t("debts.col.walk_away"),
        t("debts.col.payoff"),
    ]
    rows = [
        [
            d.id,
            d.platform_name,
            amount(d.overdue),
            amount(d.principal) + ("*" if d.principal_estimated else ""),
            percent(d.annual_rate_percent),
            daily_percent(d.penalty_rate_daily_percent),
            amount(d.ask.walk_away),
            _month(d.ask.payoff) if d.ask.payoff else "—",
        ]
        for d in result.debts
    ]
    blocks: list[Block] = [Table(headers, rows, right={2, 3, 4, 5, 6})]
    if any(d.principal_estimated for d in result.debts):
        blocks.append(Para("* " + t("plan.estimated").strip(" ()（）"), "muted"))
    names = [d.platform_name for d in result.debts]
    unconfirmed = [  # by name, as the user knows the lender (the id when two share a name)
        d.platform_name if names.count(d.platform_name) == 1 else f"{d.platform_name} ({d.id})"
        for d in result.debts
        if {"annual_rate", "penalty_rate_daily"} & set(d.unconfirmed)
    ]
    if unconfirmed:
        blocks.append(Para(t("debts.unconfirmed", ids=t("list_sep").join(unconfirmed)), "muted"))
    return Section(t("debts.section.situation"), blocks)


def _monthly(result: MultiPlanResult) -> Section:
    ids = [d.id for d in result.debts]
    names = [d.platform_name for d in result.debts]  # the lender's name, not its id (huabei)
    shown = [n if names.count(n) == 1 else f"{n} ({i})" for n, i in zip(names, ids, strict=True)]
    headers = [t("debts.col.month"), t("debts.col.due"), *shown, t("debts.col.total")]
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
            *[amount(run[0].amounts[i]) for i in ids],
            amount(run[0].total),
        ]
        for run in runs
    ]
    right = {0, *range(2, len(headers))}
    return Section(
        t("debts.section.monthly"),
        [Table(headers, rows, right=right), Para(t("debts.monthly_note"), "muted")],
    )


def _compare(result: MultiPlanResult) -> Section:
    headers = [
        t("debts.col.strategy"),
        t("debts.col.months"),
        t("debts.col.finish"),
        t("debts.col.paid"),
        t("debts.col.cost"),
        t("debts.col.limit_needed"),
    ]
    rows = [
        [
            _strategy(s),
            "—" if s.months is None else str(s.months),
            "—" if s.finish is None else _month(s.finish),
            "—" if s.total_paid is None else amount(s.total_paid),
            "—" if s.total_cost is None else amount(s.total_cost),
            "—" if s.limit_for_term is None else amount(s.limit_for_term),
        ]
        for s in result.compare
    ]
    flagged = {i for i, s in enumerate(result.compare) if not s.within_term}
    return Section(
        t("debts.section.compare"),
        [
            Table(headers, rows, right={1, 3, 4, 5}, flagged=flagged),
            Para(t("debts.compare_note"), "muted"),
        ],
    )


def _debt(n: int, debt: DebtPlan) -> list[Section]:
    title = t("debts.debt_title", n=n, platform=debt.platform_name, id=debt.id)
    blocks = ladder_blocks(debt.ladder, debt.proposals)
    if len(debt.lines) > 1:  # its line changes: the whole schedule
        steps = tuple((step.start, step.amount) for step in debt.lines)
        blocks.append(Para(t("card.walk_away_steps", lines=line_steps_text(steps))))
    if debt.reduction_needed:
        blocks.append(Para(t("card.reduction", reduction=money(debt.reduction_needed)), "warn"))
    return [
        Section(f"{title}: {t('plan.section.ladder')}", blocks),
        *checklist_sections(debt.checklist, prefix=f"{title}: "),
    ]


def multi_document(
    result: MultiPlanResult, *, details: bool = False, compare: bool = False
) -> Document:
    sections = _summary(result)
    if compare or details:
        sections.append(_compare(result))
    if details:
        sections.append(_debts_table(result))
        if result.monthly and result.plan.total_paid != 0:
            sections.append(_monthly(result))
        for n, debt in enumerate(result.debts, start=1):
            sections += _debt(n, debt)
        sections.append(log_template_section(result.log_template))
    else:
        hints = [t("debts.more")] + ([] if compare else [t("debts.more_compare")])
        joiner = " " if result.lang == "en" else ""
        sections[-1].blocks.append(Para(joiner.join(hints), "muted"))
    return Document(
        title=t("debts.title", debts=count_text("debts", len(result.debts))),
        subtitle=t("plan.subtitle", date=result.as_of.isoformat()),
        sections=sections,
    )
