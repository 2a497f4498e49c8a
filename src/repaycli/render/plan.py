"""The plan as a document: situation, waiting cost, proposals, ladder, checklist, log template."""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.models import Checklist, Ladder, LogTemplate, PlanResult, Proposal, ProposalKind
from repaycli.core.money import format_money
from repaycli.i18n import t
from repaycli.render.document import Block, Bullets, Document, Pairs, Para, Section, Table


def money(amount: Decimal) -> str:
    return t("money", amount=format_money(amount))


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def yes_no(value: bool) -> str:
    return t("yes") if value else t("no")


def describe(proposal: Proposal) -> str:
    """A short phrase for a proposal, used in the ladder and the checklist."""
    values = {
        "periods": proposal.periods,
        "payment": money(proposal.payment),
        "total": money(proposal.total),
        "rate": percent(proposal.annual_rate_percent),
        "months": proposal.deferral_months,
    }
    if proposal.kind is ProposalKind.INSTALLMENTS:
        key = "describe.installments_free" if proposal.interest_free else "describe.installments"
        return t(key, **values)
    return t(f"describe.{proposal.kind.value}", **values)


def short_kind(proposal: Proposal) -> str:
    """The kind of a proposal in a word or two, for tables."""
    if proposal.kind is ProposalKind.INSTALLMENTS and proposal.interest_free:
        return t("short.installments_free")
    return t(f"short.{proposal.kind.value}")


def _situation(result: PlanResult) -> Section:
    debt = result.debts[0]
    rows = [
        (t("plan.platform"), debt.platform_name),
        (t("plan.overdue"), money(debt.overdue)),
        (
            t("plan.principal"),
            money(debt.principal) + (t("plan.estimated") if debt.principal_estimated else ""),
        ),
        (t("plan.days_overdue"), str(debt.days_overdue)),
        (t("plan.income"), money(result.affordability.income)),
    ]
    if result.affordability.expenses is not None:
        rows.append((t("plan.expenses"), money(result.affordability.expenses)))
        rows.append((t("plan.disposable"), money(result.affordability.disposable)))
    if result.cash is not None:
        rows.append((t("plan.cash"), money(result.cash)))
    if result.reason is not None:
        rows.append((t("plan.reason"), t(f"reason.{result.reason.value}")))
    if result.recovery is not None:
        rows.append((t("plan.recovery"), result.recovery.isoformat()))
    rows.append(
        (
            t("plan.rates"),
            t(
                "plan.rates_value",
                annual=f"{debt.annual_rate_percent:.2f}%",
                penalty=f"{debt.penalty_rate_daily_percent:.3f}%",
            ),
        )
    )
    budget = result.affordability
    blocks: list[Para | Pairs] = [Pairs(rows)]
    blocks.append(
        Para(
            t(
                f"plan.limit_{budget.basis}",
                limit=money(budget.limit),
                share=f"{budget.share_percent:g}",
            ),
            "good" if budget.limit > 0 else "warn",
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
            Para(t("plan.waiting_note", rate=f"{cost.penalty_rate_daily_percent:.3f}%"), "muted"),
        ],
    )


def _proposals(result: PlanResult) -> Section:
    return Section(t("plan.section.proposals"), proposal_blocks(result.proposals))


def proposal_blocks(proposals: list[Proposal]) -> list[Block]:
    """The proposals table and its note."""
    headers = [
        t("plan.col.id"),
        t("plan.col.periods"),
        t("plan.col.payment"),
        t("plan.col.total"),
        t("plan.col.cost"),
        t("plan.col.apr"),
        t("plan.col.share"),
        t("plan.col.affordable"),
    ]
    rows = [
        [
            p.id,
            str(p.periods),
            format_money(p.payment),
            format_money(p.total),
            format_money(p.cost),
            f"{percent(p.apr_percent)}\n({percent(p.apr_compound_percent)})",
            percent(p.share_percent),
            yes_no(p.affordable),
        ]
        for p in proposals
    ]
    flagged = {i for i, p in enumerate(proposals) if not p.affordable}
    return [
        Table(headers, rows, right={1, 2, 3, 4, 5, 6}, flagged=flagged),
        Para(t("plan.ids_note"), "muted"),
        Para(t("plan.apr_note"), "muted"),
    ]


def _ladder(result: PlanResult) -> Section:
    return Section(t("plan.section.ladder"), ladder_blocks(result.ladder, result.proposals))


def ladder_blocks(ladder: Ladder, proposals: list[Proposal]) -> list[Block]:
    """Opening, target and walk-away, the nothing-affordable warning, and the schedules."""
    by_id = {p.id: p for p in proposals}
    none = t("plan.none")
    rows = [
        (t("plan.opening"), describe(by_id[ladder.opening]) if ladder.opening else none),
        (t("plan.target"), describe(by_id[ladder.target]) if ladder.target else none),
        (t("plan.walk_away"), t("plan.walk_away_value", amount=money(ladder.walk_away_monthly))),
    ]
    blocks: list[Block] = [Pairs(rows)]
    if ladder.nothing_affordable:
        blocks.append(
            Para(
                t("plan.nothing_affordable", needed=money(ladder.needed_payment or Decimal(0))),
                "bad",
            )
        )
    for pid in dict.fromkeys(x for x in (ladder.opening, ladder.target) if x):
        proposal = by_id[pid]
        if len(proposal.schedule) > 1:
            blocks.append(Para(t("plan.schedule_of", id=pid)))
            blocks.append(
                Table(
                    [t("plan.col.n"), t("plan.col.due"), t("plan.col.amount")],
                    [
                        [str(i.n), i.due.isoformat(), format_money(i.amount)]
                        for i in proposal.schedule
                    ],
                    right={0, 2},
                )
            )
    return blocks


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
