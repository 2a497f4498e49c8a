"""What the report shows, assembled from the plan result the CLI computed (``plan``'s own
functions): the call cards, the plan as a document (``render.plan``/``render.multi``, the same
wording as the terminal), the charts' numbers, the letter (``render.letter``) and the log.

No templates here (``report.page`` draws the page) and no I/O: the log arrives as rows read
afresh on each pass (``Reread``), never held — the page is written as it is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from repaycli.core.allocate import Outcome, Strategy
from repaycli.core.card import CallCard, card_for_plan, cards_for_multi
from repaycli.core.dates import add_months
from repaycli.core.letter import LetterFacts, PauseRequest, proposed_from
from repaycli.core.models import Affordability, DebtSummary, Ladder, PlanResult, Proposal, Reason
from repaycli.core.money import ZERO
from repaycli.core.multi import MultiPlanResult
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
    #: The walk-away line in words ("at most ¥X a month; never agree above it", or its steps).
    walk_away: str
    hardship: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Letter:
    title: str
    text: str


T = TypeVar("T")


@dataclass(frozen=True)
class Reread(Generic[T]):
    """Rows read afresh on each pass and never held (a log of a million entries is drawn one
    entry at a time): ``read(platform)`` gives every lender's rows for ``None``, else that
    lender's. True when there is at least one, as a list is."""

    read: Callable[[str | None], Iterator[T]]
    platform: str | None = None

    def __iter__(self) -> Iterator[T]:
        return self.read(self.platform)

    def __bool__(self) -> bool:
        rows = self.read(self.platform)
        try:
            return next(rows, None) is not None
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    def only(self, platform: str) -> Reread[T]:
        """The same rows, of one lender only."""
        return replace(self, platform=platform)


def nothing(platform: str | None) -> Iterator[T]:
    """No rows (no database yet): ``Reread(nothing)``."""
    return iter(())


@dataclass(frozen=True)
class Timeline:
    """The evidence: the log's entries in the order written (plain dicts, as ``store.iter_log``
    gives them), its fingerprint, and the agreements with their payments. ``problem``: the chain
    is broken (``log verify``)."""

    entries: Reread[Mapping[str, object]]
    fingerprint: str | None
    problem: str | None
    #: Each agreement with its payments (``store.iter_agreement_lines``).
    agreements: Reread[Mapping[str, object]]
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
    #: Each lender as ``--lender`` takes it, with its name: the hand-over pack is made apart.
    lenders: list[tuple[str, str]]
    timeline: Timeline | None = None
    #: The command that writes the pages to hand over (the flags the user gave come after).
    handover_command: str = "repaycli report --handover -o handover.html"


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
    if len(line.steps) > 1:  # a lender's line that changes: every step of it
        from repaycli.render.card import line_steps_text

        return CardView(
            card,
            t("card.walk_away_steps", lines=line_steps_text(line.steps)),
            hardship_blocks(card.hardship, card.nothing_affordable)
            if card.hardship is not None and card.hardship_route
            else [],
        )
    walk_away = t("plan.walk_away_value", amount=walk_away)
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
    if chosen is not None:  # longer than 60 months too: the letter says so and asks for it
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
            interest_free=bool(chosen.interest_free),
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
        desc = t(  # the plan's real length; only a plan longer than the chart says it is cut
            "report.chart.stacked_desc" if shown == len(months) else "report.chart.stacked_cut",
            n=len(months),
            shown=shown,
            first=months[0].isoformat(),
            limit=money(result.monthly[0].capacity),
            items=_series_desc(items),
        )
        found.append(
            charts.stacked_chart(
                "chart-monthly",
                title=t("report.chart.stacked_title", strategy=strategy),
                desc=desc,
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


def single_report(result: PlanResult, *, timeline: Timeline | None) -> Report:
    """The user's own pack: the card with the walk-away line and what to say, the charts and
    the plan. The letter goes in the pack handed over (``single_handover``)."""
    from repaycli.render.plan import plan_document

    debt = result.debts[0]
    card = card_view(card_for_plan(result, say=say_line, describe=describe))
    return Report(
        lang=get_lang(),
        title=t("report.title", what=debt.platform_name),
        subtitle=t("report.subtitle", date=result.as_of.isoformat()),
        cards=[card],
        charts=single_charts(result),
        document=plan_document(result),
        lenders=[],
        timeline=timeline,
    )


def several_report(
    result: MultiPlanResult,
    outcomes: dict[Strategy, Outcome],
    *,
    timeline: Timeline | None,
) -> Report:
    from repaycli.render.multi import multi_document
    from repaycli.render.plan import count_text

    cards = [card_view(c) for c in cards_for_multi(result, say=say_line, describe=describe)]
    return Report(
        lang=get_lang(),
        title=t("report.title", what=count_text("debts", len(result.debts))),
        subtitle=t("report.subtitle", date=result.as_of.isoformat()),
        cards=cards,
        charts=several_charts(result, outcomes),
        document=multi_document(result, details=True, compare=True),
        lenders=[(d.id, d.platform_name) for d in result.debts],
        timeline=timeline,
    )


# --- the pack handed to the lender -----------------------------------------------------------


@dataclass(frozen=True)
class LenderPack:
    """What one lender is given: the debt, the budget, what is proposed (with its schedule),
    the letter and the contacts with that lender. Nothing of the user's own side of the
    negotiation: no walk-away line, no opening/target ladder, no script, no private notes."""

    platform: str
    name: str
    situation: list[tuple[str, str]]
    budget: list[tuple[str, str]]
    proposal: str
    schedule: list[tuple[str, str, str]]
    letter: Letter
    timeline: Timeline | None


@dataclass(frozen=True)
class HandOver:
    lang: str
    title: str
    subtitle: str
    lenders: list[LenderPack]


def local_stamp(stamp: str) -> str:
    """A stored time (ISO 8601, often UTC: ``2026-12-06T21:21:44+00:00``) as people read it:
    in this computer's time zone, to the minute (``2026-12-07 05:21``)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def _debt_pairs(
    debt: DebtSummary, reason: Reason | None, recovery: date | None
) -> list[tuple[str, str]]:
    rows = [(t("report.handover.overdue"), money(debt.overdue))]
    for label, value, estimated in (
        ("principal", debt.principal, debt.principal_estimated),
        ("interest", debt.interest_due, debt.interest_estimated),
        ("penalty", debt.penalty, debt.penalty_estimated),
    ):
        if not estimated and value > 0:  # an estimate is the user's guess: the lender knows
            rows.append((t(f"report.handover.{label}"), money(value)))
    if debt.days_overdue:
        rows.append(
            (t("report.handover.days"), t("report.handover.days_value", days=debt.days_overdue))
        )
    if reason is not None:
        rows.append((t("report.handover.reason"), t(f"reason.{reason.value}")))
    if recovery is not None:
        rows.append((t("report.handover.recovery"), recovery.isoformat()))
    return rows


def _budget_pairs(budget: Affordability) -> list[tuple[str, str]]:
    """Income, essential expenses and what is left: the facts of the hardship. Not the share
    of it the user would pay, nor the limit: that is the walk-away line."""
    rows = [(t("report.handover.income"), money(budget.income))]
    if budget.expenses is not None:
        rows.append((t("report.handover.expenses"), money(budget.expenses)))
        if budget.deficit is not None:
            rows.append((t("report.handover.deficit"), money(budget.deficit)))
        else:
            rows.append((t("report.handover.left"), money(budget.disposable)))
    if budget.income_after is not None and budget.limit_after_from is not None:
        rows.append(
            (
                t("report.handover.income_after", date=budget.limit_after_from.isoformat()),
                money(budget.income_after),
            )
        )
    return rows


def _lender_pack(
    *,
    today: date,
    debt: DebtSummary,
    others: list[DebtSummary],
    reason: Reason | None,
    recovery: date | None,
    budget: Affordability,
    ladder: Ladder,
    proposals: Sequence[Proposal],
    documents: list[str],
    timeline: Timeline | None,
) -> LenderPack:
    from repaycli.render.letter import pause_sentence, plan_sentence

    facts = _facts(
        today=today,
        platform=debt.platform_name,
        overdue=debt.overdue,
        principal=debt.principal,
        days=debt.days_overdue,
        reason=reason,
        recovery=recovery,
        income=budget.income,
        expenses=budget.expenses,
        ladder=ladder,
        proposals=proposals,
        documents=documents,
    ).model_copy(update={"disclose_limit": False})
    situation = _debt_pairs(debt, reason, recovery)
    if others:
        total = sum((d.overdue for d in others), ZERO)
        situation.append(
            (
                t("report.handover.others"),
                t("report.handover.others_value", n=len(others), total=money(total)),
            )
        )
    schedule: list[tuple[str, str, str]] = []
    if facts.plan is not None:
        proposal = plan_sentence(facts.plan, facts)
        schedule = [(str(r.n), r.due.isoformat(), money(r.amount)) for r in facts.plan.schedule]
    elif facts.pause is not None:
        proposal = pause_sentence(facts.pause, facts.limit)
    else:
        proposal = t("report.handover.no_plan")
    mine = None
    if timeline is not None:
        mine = Timeline(
            entries=timeline.entries.only(debt.platform),
            fingerprint=timeline.fingerprint,
            problem=timeline.problem,
            agreements=timeline.agreements.only(debt.platform),
            names=timeline.names,
        )
    return LenderPack(
        platform=debt.platform,
        name=debt.platform_name,
        situation=situation,
        budget=_budget_pairs(budget),
        proposal=proposal,
        schedule=schedule,
        letter=_letter(facts, get_lang()),
        timeline=mine,
    )


def _handover(as_of: date, packs: list[LenderPack]) -> HandOver:
    title = (
        t("report.handover.title", platform=packs[0].name)
        if len(packs) == 1
        else t("report.handover.all_title", n=len(packs))
    )
    return HandOver(
        lang=get_lang(),
        title=title,
        subtitle=t("report.handover.subtitle", date=as_of.isoformat()),
        lenders=packs,
    )


def single_handover(
    result: PlanResult, *, documents: list[str], timeline: Timeline | None
) -> HandOver:
    pack = _lender_pack(
        today=result.as_of,
        debt=result.debts[0],
        others=[],
        reason=result.reason,
        recovery=result.recovery,
        budget=result.affordability,
        ladder=result.ladder,
        proposals=result.proposals,
        documents=documents,
        timeline=timeline,
    )
    return _handover(result.as_of, [pack])


def several_handover(
    result: MultiPlanResult,
    *,
    lender: str | None,
    documents: list[str],
    timeline: Timeline | None,
) -> HandOver:
    """Every lender's pages (each starting a new page), or only ``lender``'s (a debt id)."""
    packs = [
        _lender_pack(
            today=result.as_of,
            debt=d,
            others=[o for o in result.debts if o.id != d.id],
            reason=result.reason,
            recovery=result.recovery,
            budget=result.affordability,
            ladder=d.ladder,
            proposals=d.proposals,
            documents=documents,
            timeline=timeline,
        )
        for d in result.debts
        if lender is None or d.id == lender
    ]
    return _handover(result.as_of, packs)
