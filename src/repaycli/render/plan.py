"""The plan as a document: situation, waiting cost, proposals, ladder, checklist, log template."""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.models import (
    Checklist,
    DebtSummary,
    HardshipRoute,
    Ladder,
    LogTemplate,
    PlanResult,
    Proposal,
)
from repaycli.i18n import t
from repaycli.render.document import Block, Bullets, Document, Pairs, Para, Section, Table
from repaycli.render.numbers import amount, daily_percent, money, percent, share
from repaycli.render.phrases import (
    count_text,
    describe,
    months_text,
    say_line,
    short_kind,
    walk_away_text,
    yes_no,
)

__all__ = [
    "count_text",
    "describe",
    "money",
    "months_text",
    "percent",
    "say_line",
    "short_kind",
    "walk_away_text",
]


def _principal(debt: DebtSummary) -> str:
    """The principal, labelled when estimated: from the penalty rate only when the penalty was
    estimated too (else it is what the given parts leave, with no interest due assumed)."""
    if not debt.principal_estimated:
        return money(debt.principal)
    label = t("plan.estimated") if debt.penalty_estimated else t("plan.estimated_part")
    return money(debt.principal) + label


def _part(amount: Decimal, estimated: bool) -> str:
    return money(amount) + (t("plan.estimated_part") if estimated else "")


def _situation(result: PlanResult) -> Section:
    debt = result.debts[0]
    budget = result.affordability
    rows = [
        (t("plan.platform"), debt.platform_name),
        (t("plan.overdue"), money(debt.overdue)),
        (t("plan.principal"), _principal(debt)),
    ]
    if debt.interest_due or not debt.interest_estimated:
        rows.append((t("plan.interest_due"), _part(debt.interest_due, debt.interest_estimated)))
    rows.append((t("plan.penalty"), _part(debt.penalty, debt.penalty_estimated)))
    rows.append((t("plan.days_overdue"), str(debt.days_overdue)))
    rows.append((t("plan.income"), money(budget.income)))
    if budget.expenses is not None:
        rows.append((t("plan.expenses"), money(budget.expenses)))
        if budget.deficit is not None:
            rows.append((t("plan.deficit_row"), money(budget.deficit)))
        else:
            rows.append((t("plan.disposable"), money(budget.disposable)))
    if result.cash is not None:
        rows.append((t("plan.cash"), money(result.cash)))
    if result.reason is not None:
        rows.append((t("plan.reason"), t(f"reason.{result.reason.value}")))
    if result.recovery is not None:
        rows.append((t("plan.recovery"), result.recovery.isoformat()))
    if budget.income_after is not None:
        rows.append((t("plan.income_after"), money(budget.income_after)))
    rows.append(
        (
            t("plan.rates"),
            t(
                "plan.rates_value",
                annual=percent(debt.annual_rate_percent),
                penalty=daily_percent(debt.penalty_rate_daily_percent),
            ),
        )
    )
    blocks: list[Para | Pairs] = [Pairs(rows)]
    if budget.deficit is not None:
        blocks.append(Para(t("plan.deficit", deficit=money(budget.deficit)), "bad"))
    blocks.append(
        Para(
            t(
                f"plan.limit_{budget.basis}",
                limit=money(budget.limit),
                share=share(budget.share_percent),
            ),
            "good" if budget.limit > 0 else "warn",
        )
    )
    if budget.limit_after is not None and budget.limit_after_from is not None:
        blocks.append(
            Para(
                t(
                    "plan.limit_after",
                    date=budget.limit_after_from.isoformat(),
                    income=money(budget.income_after or Decimal(0)),
                    limit=money(budget.limit_after),
                ),
                "good" if budget.limit_after > 0 else "warn",
            )
        )
    if debt.unconfirmed:
        names = t("list_sep").join(t(f"plan.figure.{name}") for name in debt.unconfirmed)
        blocks.append(Para(t("plan.unconfirmed", names=names), "muted"))
    return Section(t("plan.section.situation"), list(blocks))


def _cost_of_waiting(result: PlanResult) -> Section:
    cost = result.cost_of_waiting
    return Section(
        t("plan.section.waiting"),
        [
            Pairs(
                [
                    (t("plan.per_day"), money(cost.per_day)),
                    (t("plan.next_30"), money(cost.next_30_days)),
                    (t("plan.next_90"), money(cost.next_90_days)),
                ]
            ),
            Para(
                t("plan.waiting_note", rate=daily_percent(cost.penalty_rate_daily_percent)),
                "muted",
            ),
        ],
    )


def _proposals(result: PlanResult) -> Section:
    return Section(t("plan.section.proposals"), proposal_blocks(result.proposals))


def proposal_blocks(proposals: list[Proposal]) -> list[Block]:
    """The proposals table and its note."""
    headers = [
        t("plan.col.id"),
        t("plan.col.kind"),
        t("plan.col.payment"),
        t("plan.col.total"),
        t("plan.col.cost"),
        t("plan.col.apr"),
        t("plan.col.share"),
        t("plan.col.affordable"),
        t("plan.col.standard"),
    ]
    rows = [
        [
            p.id,
            short_kind(p),
            amount(p.payment),
            amount(p.total),
            amount(p.cost),
            f"{percent(p.apr_percent)} ({percent(p.apr_compound_percent)})",
            percent(p.share_percent),
            yes_no(p.affordable),
            yes_no(p.standard),
        ]
        for p in proposals
    ]
    flagged = {i for i, p in enumerate(proposals) if not p.affordable}
    return [
        # narrow screens lose the cost (total − balance) first, then the share of income
        Table(headers, rows, right={2, 3, 4, 5, 6}, flagged=flagged, drop=(4, 6), wraps={5}),
        Para(t("plan.ids_note"), "muted"),
        Para(t("plan.apr_note"), "muted"),
    ]


def _ladder(result: PlanResult) -> Section:
    return Section(t("plan.section.ladder"), ladder_blocks(result.ladder, result.proposals))


def hardship_blocks(hardship: HardshipRoute, nothing_affordable: bool) -> list[Block]:
    """The hardship route: with nothing affordable, the pause, the letter, the payment that
    would be needed and where to get help; with only the limit now at zero, the pause first."""
    pause = t(
        "plan.hardship_pause",
        months=months_text(hardship.pause_months),
        date=hardship.write_again.isoformat(),
    )
    if not nothing_affordable:
        return [Para(t("plan.pause_title"), "warn"), Bullets([pause])]
    needed = t(
        "plan.hardship_needed",
        periods=hardship.needed_periods,
        needed=money(hardship.needed_payment),
    )
    return [
        Para(t("plan.hardship_title"), "bad"),
        Bullets([pause, needed, t("plan.hardship_legal_aid"), t("plan.hardship_bankruptcy")]),
    ]


def ladder_blocks(ladder: Ladder, proposals: list[Proposal]) -> list[Block]:
    """Opening, target and walk-away, the hardship route, and the schedules."""
    by_id = {p.id: p for p in proposals}
    none = t("plan.none")
    rows = [
        (t("plan.opening"), describe(by_id[ladder.opening]) if ladder.opening else none),
        (t("plan.target"), describe(by_id[ladder.target]) if ladder.target else none),
        (t("plan.walk_away"), t("plan.walk_away_value", amount=walk_away_text(ladder))),
    ]
    blocks: list[Block] = [Pairs(rows)]
    if ladder.opening:
        blocks.append(Para(say_line(by_id[ladder.opening]), "good"))
    opening = by_id.get(ladder.opening or "")
    pause_first = opening is not None and opening.deferral_months > 0
    if ladder.hardship is not None and (ladder.nothing_affordable or pause_first):
        blocks.extend(hardship_blocks(ladder.hardship, ladder.nothing_affordable))
    for pid in dict.fromkeys(x for x in (ladder.opening, ladder.target) if x):
        proposal = by_id[pid]
        if len(proposal.schedule) > 1:
            role = t("plan.opening") if pid == ladder.opening else t("plan.target")
            # by its role and kind, as a person reads it; the id (for --proposal) after
            blocks.append(Para(t("plan.schedule_named", role=role, kind=short_kind(proposal),
                                 id=pid)))  # fmt: skip
            blocks.append(
                Table(
                    [t("plan.col.n"), t("plan.col.due"), t("plan.col.amount")],
                    _schedule_rows(proposal),
                    right={0, 2},
                )
            )
    return blocks


#: Rows of a schedule shown as text; a longer one (a plan that runs for years) ends with "…".
SHOWN_ROWS = 61


def _schedule_rows(proposal: Proposal) -> list[list[str]]:
    rows = [[str(i.n), i.due.isoformat(), amount(i.amount)] for i in proposal.schedule[:SHOWN_ROWS]]
    if len(proposal.schedule) > SHOWN_ROWS:
        last = proposal.schedule[-1]
        rows += [["…", "…", "…"], [str(last.n), last.due.isoformat(), amount(last.amount)]]
    return rows


def _checklist(result: PlanResult) -> list[Section]:
    return checklist_sections(result.checklist)


def checklist_sections(checklist: Checklist, prefix: str = "") -> list[Section]:
    """One section per checklist stage that has items; ``prefix`` starts each title."""
    return [
        Section(
            f"{prefix}{t('plan.section.checklist')}{t('title_sep')}{stage.title}",
            [Bullets([i.text for i in stage.items])],
        )
        for stage in checklist.stages
        if stage.items
    ]


def _log_template(result: PlanResult) -> Section:
    return log_template_section(result.log_template)


def log_template_section(template: LogTemplate) -> Section:
    rows = []
    for field in template.fields:
        blank = "____________________"
        if field.choices:
            blank = " / ".join(t(f"{field.name}.{c}") for c in field.choices)
        rows.append((t(f"logfield.{field.name}"), blank))
    return Section(t("plan.section.log"), [Pairs(rows), Para(t("plan.log_note"), "muted")])


def plan_document(result: PlanResult) -> Document:
    debt = result.debts[0]
    return Document(
        title=t("plan.title", platform=debt.platform_name),
        subtitle=t("plan.subtitle", date=result.as_of.isoformat()),
        sections=[
            _situation(result),
            _cost_of_waiting(result),
            _proposals(result),
            _ladder(result),
            *_checklist(result),
            _log_template(result),
        ],
    )
