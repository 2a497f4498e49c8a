"""What the report shows, assembled from the plan result the CLI computed (``plan``'s own
functions): the call cards, the plan as a document (``render.plan``/``render.multi``, the same
wording as the terminal), the charts' numbers, the letter (``render.letter``) and the log.

No templates here (``report.page`` draws the page) and no I/O: the log arrives already read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from repaycli.core.allocate import Outcome, Strategy
from repaycli.core.card import CallCard, card_for_plan, cards_for_multi
from repaycli.core.dates import add_months
from repaycli.core.letter import MAX_PERIODS, LetterFacts, PauseRequest, proposed_from
from repaycli.core.models import Ladder, PlanResult, Proposal, Reason
from repaycli.core.money import ZERO
from repaycli.core.multi import MultiPlanResult
from repaycli.core.records import AgreementView, LogEntry
from repaycli.core.schedules import MAX_TERM
from repaycli.i18n import get_lang, t
from repaycli.render.document import Block, Document
from repaycli.render.plan import describe, hardship_blocks, money, months_text, say_line
from repaycli.report import charts
from repaycli.report.charts import Chart


@dataclass(frozen=True)
class CardView:
    """A lender's call card (``core.card``) with the parts worded for the page: the walk-away
    line and, when the card takes the hardship route, its pause and where to get help."""

    card: CallCard
    walk_away: str
    hardship: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Letter:
    title: str
    text: str


@dataclass(frozen=True)
class Timeline:
    """The evidence: the log's entries in the order written, its fingerprint, and the
    agreements with their payments. ``problem``: the chain is broken (``log verify``)."""

    entries: list[LogEntry]
    fingerprint: str | None
    problem: str | None
    agreements: list[AgreementView]
    #: Each platform id's name in the page's language (an id the catalogue lacks is shown as is).
    names: dict[str, str] = field(default_factory=dict)
    #: The conduct check (``log conduct``) as lines; empty when nothing is flagged.
    conduct: list[str] = field(default_factory=list)

    def name(self, platform: str) -> str:
        return self.names.get(platform, platform)


@dataclass(frozen=True)
class Report:
    lang: str
    title: str
    subtitle: str
    cards: list[CardView]
    charts: list[Chart]
    document: Document
    letters: list[Letter]
    timeline: Timeline | None = None


def _label(amount: Decimal) -> str:
    """An axis label: whole yuan with thousands separators."""
    return f"¥{amount:,.0f}"


def _count(value: Decimal) -> str:
    """An axis label for a count of months (the unit is in the chart's title)."""
    return f"{value.normalize():f}"


def _proposal_label(proposal: Proposal) -> str:
    """A proposal's id, marked when it is above the limit (the payment that would be needed)."""
    return proposal.id + ("" if proposal.affordable else t("report.chart.unaffordable"))


def remaining(proposal: Proposal, start: date) -> list[tuple[date, Decimal]]:
    """What is still to pay under ``proposal``: its total on ``start`` (and until a month before
    the first payment, after a pause), then after each payment."""
    left = proposal.total
    points = [(start, left)]
    first = proposal.schedule[0].due if proposal.schedule else start
    if add_months(first, -1) > start:  # a pause: nothing is paid until a month before
        points.append((add_months(first, -1), left))
    for row in proposal.schedule:
        left -= row.amount
        points.append((row.due, left))
    return points


def card_view(card: CallCard) -> CardView:
    line = card.walk_away
    walk_away = money(line.monthly)
    if line.after is not None and line.after_from is not None:
        walk_away += t(
            "plan.walk_away_then", date=line.after_from.isoformat(), amount=money(line.after)
        )
    hardship: list[Block] = []
    if card.hardship is not None and card.hardship_route:
        hardship = hardship_blocks(card.hardship, card.nothing_affordable)
    return CardView(card, walk_away, hardship)


def _facts(
    *,
    today: date,
    platform: str,
    overdue: Decimal,
    principal: Decimal,
    days: int,
    reason: Reason | None,
    recovery: date | None,
    income: Decimal,
    expenses: Decimal | None,
    ladder: Ladder,
    proposals: Sequence[Proposal],
    documents: list[str],
) -> LetterFacts:
    """The letter's facts from the plan: it asks for the opening (else the target), or for the
    pause of the hardship route — as ``letter`` does from the saved plan."""
    by_id = {p.id: p for p in proposals}
    chosen = by_id.get(ladder.opening or "") or by_id.get(ladder.target or "")
    plan = None
    later = 0 if chosen is None else len(chosen.schedule) - (chosen.down_payment > 0)
    if chosen is not None and later <= MAX_PERIODS:  # longer: the user writes what to ask
        plan = proposed_from(
            kind=str(chosen.kind),
            pid=chosen.id,
            payment=chosen.payment,
            total=chosen.total,
            schedule=[(row.due, row.amount) for row in chosen.schedule],
            deferral_months=chosen.deferral_months,
            down_payment=chosen.down_payment,
            payment_after=chosen.payment_after,
            waived=chosen.waived,
        )
    pause = None
    if plan is None and ladder.hardship is not None:
        pause = PauseRequest(
            months=ladder.hardship.pause_months, write_again=ladder.hardship.write_again
        )
    return LetterFacts(
        today=today,
        platform_name=platform,
        overdue=overdue,
        principal=principal,
        days_overdue=days,
        reason=reason,
        recovery=recovery,
        income=income,
        expenses=expenses,
        limit=ladder.walk_away_monthly,
        limit_after=ladder.walk_away_after,
        limit_after_from=ladder.walk_away_after_from,
        plan=plan,
        pause=pause,
        documents=documents,
    )


def _letter(facts: LetterFacts, lang: str) -> Letter:
    from repaycli.render.letter import LetterFormat, compose

    title = t("report.letter_to", platform=facts.platform_name or "—")
    return Letter(title, compose(facts, lang=lang, fmt=LetterFormat.TEXT))


def _series_desc(items: Sequence[str]) -> str:
    return t("report.list_sep").join(items)


def single_charts(result: PlanResult) -> list[Chart]:
    """The balance left under each candidate plan, and the limit before and after recovery."""
    found: list[Chart] = []
    shown = [p for p in result.proposals if p.schedule]
    if shown:
        items = [
            t(
                "report.chart.balance_item",
                name=_proposal_label(p),
                total=money(p.total),
                date=p.schedule[-1].due.isoformat(),
            )
            for p in shown
        ]
        found.append(
            charts.line_chart(
                "chart-balance",
                title=t("report.chart.balance_title"),
                desc=t("report.chart.balance_desc", items=_series_desc(items)),
                series=[(_proposal_label(p), remaining(p, result.as_of)) for p in shown],
                label=_label,
            )
        )
    budget = result.affordability
    if budget.limit_after is not None and budget.limit_after_from is not None:
        found.append(limit_chart(budget.limit, budget.limit_after, budget.limit_after_from))
    return found


def limit_chart(before: Decimal, after: Decimal, since: date) -> Chart:
    now, later = t("report.chart.limit_now"), t("report.chart.limit_from", date=since.isoformat())
    return charts.bar_chart(
        "chart-limit",
        title=t("report.chart.limit_title"),
        desc=t(
            "report.chart.limit_desc",
            before=money(before),
            after=money(after),
            date=since.isoformat(),
        ),
        rows=[(now, before, money(before)), (later, after, money(after))],
        label=_label,
    )


def several_charts(result: MultiPlanResult, outcomes: dict[Strategy, Outcome]) -> list[Chart]:
    """Monthly payments stacked under the limit, months to debt-free and the balance left under
    each strategy, and the limit before and after recovery."""
    found: list[Chart] = []
    names = {d.id: d.platform_name for d in result.debts}
    strategy = t(f"debts.strategy.{result.strategy.value}")
    if any(row.total > 0 for row in result.monthly):  # nothing paid: no bars to draw
        months = [row.due for row in result.monthly]
        series = [
            (names[d.id], [row.amounts[d.id] for row in result.monthly]) for d in result.debts
        ]
        items = [
            t(
                "report.chart.stacked_item",
                name=d.platform_name,
                payment=money(d.ask.payment),
                date=d.ask.payoff.isoformat() if d.ask.payoff else "—",
            )
            for d in result.debts
        ]
        shown = min(len(months), charts.MAX_BARS)
        found.append(
            charts.stacked_chart(
                "chart-monthly",
                title=t("report.chart.stacked_title", strategy=strategy),
                desc=t(
                    "report.chart.stacked_desc",
                    n=shown,
                    first=months[0].isoformat(),
                    limit=money(result.monthly[0].capacity),
                    items=_series_desc(items),
                ),
                months=months,
                series=series,
                limit=[row.capacity for row in result.monthly],
                limit_label=t("report.chart.limit_line"),
                label=_label,
            )
        )
    rows = []
    items = []
    horizon = max((s.months or 0 for s in result.compare), default=0)
    for s in result.compare:
        name = t(f"debts.strategy.{s.name.value}")
        if s.months is not None and s.finish is not None:
            note = t(
                "report.chart.months_to",
                months=months_text(s.months),
                date=s.finish.isoformat()[:7],
            )
            if not s.within_term:
                note += t("report.chart.beyond_term")
            rows.append((name, Decimal(s.months), note))
        else:
            note = t("report.chart.never")
            rows.append((name, Decimal(max(horizon, MAX_TERM + 1)), note))
        items.append(f"{name}: {note}")
    if any(s.months is not None for s in result.compare):  # else every bar says never
        found.append(
            charts.bar_chart(
                "chart-debt-free",
                title=t("report.chart.free_title"),
                desc=t("report.chart.free_desc", items=_series_desc(items)),
                rows=rows,
                label=_count,
                horizontal=True,
            )
        )
    lines = []
    for s in result.compare:
        outcome = outcomes[s.name]
        if s.months is None:  # never cleared: no line to draw
            continue
        total = outcome.total_paid
        points = [(result.as_of, total)]
        for m, due in enumerate(outcome.dues):
            total -= sum((column[m] for column in outcome.payments.values()), ZERO)
            points.append((due, total))
        lines.append((t(f"debts.strategy.{s.name.value}"), points))
    if lines:
        found.append(
            charts.line_chart(
                "chart-strategies",
                title=t("report.chart.strategies_title"),
                desc=t("report.chart.strategies_desc", items=_series_desc(items)),
                series=lines,
                label=_label,
            )
        )
    budget = result.affordability
    if budget.limit_after is not None and budget.limit_after_from is not None:
        found.append(limit_chart(budget.limit, budget.limit_after, budget.limit_after_from))
    return found


def single_report(result: PlanResult, *, documents: list[str], timeline: Timeline | None) -> Report:
    from repaycli.render.plan import plan_document

    debt = result.debts[0]
    budget = result.affordability
    card = card_view(card_for_plan(result, say=say_line, describe=describe))
    facts = _facts(
        today=result.as_of,
        platform=debt.platform_name,
        overdue=debt.overdue,
        principal=debt.principal,
        days=debt.days_overdue,
        reason=result.reason,
        recovery=result.recovery,
        income=budget.income,
        expenses=budget.expenses,
        ladder=result.ladder,
        proposals=result.proposals,
        documents=documents,
    )
    return Report(
        lang=get_lang(),
        title=t("report.title", what=debt.platform_name),
        subtitle=t("report.subtitle", date=result.as_of.isoformat()),
        cards=[card],
        charts=single_charts(result),
        document=plan_document(result),
        letters=[_letter(facts, get_lang())],
        timeline=timeline,
    )


def several_report(
    result: MultiPlanResult,
    outcomes: dict[Strategy, Outcome],
    *,
    documents: list[str],
    timeline: Timeline | None,
) -> Report:
    from repaycli.render.multi import multi_document
    from repaycli.render.plan import count_text

    cards = [card_view(c) for c in cards_for_multi(result, say=say_line, describe=describe)]
    budget = result.affordability
    letters = [
        _letter(
            _facts(
                today=result.as_of,
                platform=d.platform_name,
                overdue=d.overdue,
                principal=d.principal,
                days=d.days_overdue,
                reason=result.reason,
                recovery=result.recovery,
                income=budget.income,
                expenses=budget.expenses,
                ladder=d.ladder,
                proposals=d.proposals,
                documents=documents,
            ),
            get_lang(),
        )
        for d in result.debts
    ]
    return Report(
        lang=get_lang(),
        title=t("report.title", what=count_text("debts", len(result.debts))),
        subtitle=t("report.subtitle", date=result.as_of.isoformat()),
        cards=cards,
        charts=several_charts(result, outcomes),
        document=multi_document(result, details=True, compare=True),
        letters=letters,
        timeline=timeline,
    )
