"""Assembles a whole plan for one debt: situation, cost of waiting, proposals, ladder, checklist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from repaycli.core.balance import breakdown_of
from repaycli.core.checklist import ChecklistSource, compose_checklist
from repaycli.core.ladder import negotiate
from repaycli.core.models import (
    Affordability,
    Checklist,
    Debt,
    DebtSummary,
    Ladder,
    LogField,
    LogTemplate,
    PlanResult,
    Proposal,
    Situation,
)
from repaycli.core.proposals import proposals_for
from repaycli.core.rates import HUNDRED
from repaycli.core.record import Model
from repaycli.core.situation import affordability, cost_of_waiting


def summarise(debt: Debt, lang: str) -> DebtSummary:
    parts = breakdown_of(debt)
    return DebtSummary(
        platform=debt.platform.id,
        platform_name=debt.platform.name(lang),
        kind=debt.platform.kind,
        hotline=debt.platform.hotline,
        overdue=debt.overdue,
        principal=parts.principal,
        principal_estimated=parts.principal_estimated,
        interest_due=parts.interest,
        interest_estimated=parts.interest_estimated,
        penalty=parts.penalty,
        penalty_estimated=parts.penalty_estimated,
        days_overdue=debt.days_overdue,
        annual_rate_percent=(debt.contract_rate * HUNDRED).quantize(Decimal("0.01")),
        penalty_rate_daily_percent=(debt.penalty_rate * HUNDRED).quantize(Decimal("0.0001")),
        unconfirmed=[
            name
            for name in debt.platform.unconfirmed
            if not (name == "annual_rate" and debt.annual_rate is not None)
            and not (name == "penalty_rate_daily" and debt.penalty_rate_daily is not None)
        ],
    )


class Worked(Model):
    """The engine's answer for one debt: the limits, the proposals and the ladder."""

    budget: Affordability
    proposals: list[Proposal]
    ladder: Ladder

    def proposal(self, proposal_id: str | None) -> Proposal | None:
        return next((p for p in self.proposals if p.id == proposal_id), None)


def work_out(debt: Debt, situation: Situation, budget: Affordability | None = None) -> Worked:
    """Proposals and ladder for one debt: the one rule ``plan``, ``letter`` and ``offer`` share."""
    if budget is None:
        budget = affordability(situation)
    proposals, ladder = negotiate(proposals_for(debt, situation, budget), budget, debt, situation)
    return Worked(budget=budget, proposals=proposals, ladder=ladder)


def build_plan(
    debt: Debt,
    situation: Situation,
    *,
    lang: str,
    checklist: ChecklistSource,
    log_fields: Sequence[LogField],
    describe: Callable[[Proposal], str],
    money: Callable[[Decimal], str],
    budget: Affordability | None = None,
    walk_away: Callable[[Ladder], str] | None = None,
) -> PlanResult:
    """The whole plan. ``describe`` and ``money`` word a proposal and an amount for the checklist
    (they live with the renderers, which own the wording). ``budget`` replaces the affordability
    worked out from the situation (a several-debt plan gives each debt its share)."""
    worked = work_out(debt, situation, budget)
    budget, proposals, ladder = worked.budget, worked.proposals, worked.ladder
    summary = summarise(debt, lang)
    return PlanResult(
        as_of=situation.today,
        lang=lang,
        reason=situation.reason,
        recovery=situation.recovery,
        cash=situation.cash,
        debts=[summary],
        affordability=budget,
        cost_of_waiting=cost_of_waiting(debt),
        proposals=proposals,
        ladder=ladder,
        checklist=checklist_for(
            debt,
            situation,
            worked,
            lang=lang,
            source=checklist,
            describe=describe,
            money=money,
            walk_away=walk_away,
        ),
        log_template=LogTemplate(fields=list(log_fields)),
    )


def checklist_for(
    debt: Debt,
    situation: Situation,
    worked: Worked,
    *,
    lang: str,
    source: ChecklistSource,
    describe: Callable[[Proposal], str],
    money: Callable[[Decimal], str],
    walk_away: Callable[[Ladder], str] | None = None,
) -> Checklist:
    """The call checklist for one debt and its ladder (one lender's part of a several-debt
    plan too)."""
    budget, ladder = worked.budget, worked.ladder
    by_id = {p.id: p for p in worked.proposals}
    none = "—"
    conditions = {
        "has_hotline" if debt.platform.hotline else "no_hotline",
        "hardship" if ladder.nothing_affordable else "affordable",
    }
    if situation.cash is not None:
        conditions.add("has_cash")
    if situation.recovery is not None:
        conditions.add("has_recovery")
    parts = breakdown_of(debt)
    if parts.principal_estimated and debt.days_overdue > 0:
        conditions.add("estimated_principal")
    hardship = ladder.hardship
    if budget.deficit is not None:
        conditions.add("deficit")
    values = {
        "platform": debt.platform.name(lang),
        "hotline": debt.platform.hotline or none,
        "opening": describe(by_id[ladder.opening]) if ladder.opening else none,
        "target": describe(by_id[ladder.target]) if ladder.target else none,
        "walk_away": walk_away(ladder) if walk_away else money(ladder.walk_away_monthly),
        "needed": money(hardship.needed_payment) if hardship else none,
        "needed_periods": str(hardship.needed_periods) if hardship else none,
        "pause": str(hardship.pause_months) if hardship else none,
        "write_again": hardship.write_again.isoformat() if hardship else none,
        "deficit": money(budget.deficit) if budget.deficit is not None else none,
    }
    return compose_checklist(
        source,
        lang=lang,
        kind=debt.platform.kind,
        reason=situation.reason,
        conditions=conditions,
        values=values,
    )
