"""One household, one plan: the current plan made from the debt register, and each lender's part
of it for the commands that are about one lender (``call``, ``offer``, ``letter``, ``report``).

Agreements are commitments: their unpaid installments come off the limit first
(``core.register.limit_schedule``) and only what is left is shared among the debts still being
negotiated. The several-debt engine is called in one place, ``engine_plan``: it hands the engine
that schedule whole (``limits=``: ``core.household`` negotiates every lender inside its share of
it), and it alone reads the engine's result; everything else here reads the ``EngineAnswer`` it
returns: each lender's line as the schedule it is, and whether the household fits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from repaycli.core.money import ZERO
from repaycli.core.record import Field, Model
from repaycli.core.register import (
    Budget,
    Commitment,
    CurrentPlan,
    Dated,
    LimitSchedule,
    LimitStep,
    Overcommitted,
    RegisterDebt,
)
from repaycli.errors import BadInput

if TYPE_CHECKING:
    from repaycli.core.card import CallCard
    from repaycli.core.models import Catalogue, Debt, Situation
    from repaycli.core.multi import MultiPlanResult
    from repaycli.lastplan import SavedPlan
    from repaycli.render.document import Document

#: How many months of commitments the limit schedule covers (agreements are at most 120).
HORIZON = 121


class EngineLender(Model):
    """One lender's part of the engine's plan: its walk-away line as a schedule of (from-date,
    amount), and what it is paid on each due date."""

    lines: list[LimitStep]
    payments: list[Dated]


class EngineAnswer(Model):
    #: The engine's result as JSON (what the renderers and the call cards read).
    result: str
    lenders: list[EngineLender]
    #: The engine's due dates, month by month.
    dues: list[date]
    #: ``core.household.Status``: fits, interest_must_stop or hardship.
    status: str


class Lender(Model):
    """A debt of the household and its line in the current plan."""

    debt_id: int
    platform: str
    name: str
    status: str
    balance: Decimal
    #: Walk-away line, from-date and amount (empty for an agreed or paid-off debt).
    lines: list[LimitStep] = Field(default_factory=list)
    #: Agreed installment in force now (agreed debts), else ``None``.
    agreed_monthly: Decimal | None = None
    payments: list[Dated] = Field(default_factory=list)
    #: Its place in the engine's plan (``None`` when it is not shared: agreed).
    engine_index: int | None = None

    def line_on(self, day: date) -> Decimal | None:
        found = None
        for step in self.lines:
            if step.start <= day:
                found = step.amount
        if found is None and self.lines:
            found = self.lines[0].amount
        return found


class Household(Model):
    """The current plan: the limit, what the agreements take, and each lender's line."""

    as_of: date
    start: date
    version: int
    limit: Decimal
    limit_after: Decimal | None
    limit_after_from: date | None
    left: LimitSchedule
    lenders: list[Lender]
    over: list[Overcommitted]
    #: The engine's result JSON (``None`` when no debt is left to share the limit).
    result: str | None = None
    #: ``core.household.Status`` of the shared debts (``None``: nothing shared, or a plan saved
    #: before the engine said it).
    status: str | None = None

    def limit_on(self, day: date) -> Decimal:
        if self.limit_after is not None and self.limit_after_from is not None:
            if day >= self.limit_after_from:
                return self.limit_after
        return self.limit

    def lender(self, debt_id: int) -> Lender:
        return next(x for x in self.lenders if x.debt_id == debt_id)

    def agreed_on(self, day: date) -> Decimal:
        """The agreed installments falling in the plan month of ``day``."""
        from repaycli.core.register import month_index

        m = month_index(self.start, day)
        return self.left.committed[m] if m < len(self.left.committed) else ZERO


# --- the engine, in one place -----------------------------------------------------------------


def engine_plan(
    debts: Sequence[Debt], situation: Situation, schedule: LimitSchedule
) -> EngineAnswer:
    """The several-debt engine's plan of ``debts`` sharing the limit ``schedule``: the whole
    schedule is the engine's limit (``limits=``), so each lender's line is its share of what the
    agreements leave in every month, however often that changes. With nothing agreed the
    schedule is the situation's own limit and the engine is given that, as ``plan --debts``."""
    from repaycli.catalog import load_checklist, load_log_fields
    from repaycli.core.multi import build_multi_plan
    from repaycli.i18n import get_lang
    from repaycli.render.json import to_json
    from repaycli.render.numbers import money
    from repaycli.render.phrases import describe

    result: MultiPlanResult = build_multi_plan(
        debts,
        situation,
        lang=get_lang(),
        checklist=load_checklist(),
        log_fields=load_log_fields(),
        describe=describe,
        money=money,
        limits=engine_limits(schedule),
    )
    lenders = []
    for plan in result.debts:
        lines = [LimitStep(start=step.start, amount=step.amount) for step in plan.lines]
        payments = [
            Dated(on=row.due, amount=row.amounts.get(plan.id, ZERO)) for row in result.monthly
        ]
        lenders.append(EngineLender(lines=lines, payments=payments))
    return EngineAnswer(
        result=to_json(result),
        lenders=lenders,
        dues=[row.due for row in result.monthly],
        status=result.household.status.value,
    )


def engine_limits(schedule: LimitSchedule) -> list[tuple[date, Decimal]] | None:
    """The limit the engine is given: ``None`` (the situation's own, now and after recovery)
    when no agreement takes anything off it, else every step of the schedule."""
    if not any(schedule.committed):
        return None
    return [(step.start, step.amount) for step in schedule.steps]


def engine_report(conn: sqlite3.Connection, plan: InForce) -> tuple[MultiPlanResult, Any]:
    """The current plan's engine result and each strategy's allocation (the report's charts),
    for the same debts and limit the plan was made with."""
    from repaycli import store_register
    from repaycli.catalog import load_catalogue
    from repaycli.core.multi import MultiPlanResult, strategy_outcomes
    from repaycli.core.revive import revive_json
    from repaycli.paths import user_platforms_file

    household = plan.household
    if household.result is None:
        raise BadInput("household.nothing_shared")
    catalogue = load_catalogue(user_platforms_file())
    shared = [d for d in store_register.list_debts(conn) if d.shared]
    situation = situation_of(store_register.get_budget(conn), household.as_of)
    outcomes = strategy_outcomes(
        [debt_of(d, catalogue) for d in shared], situation, limits=engine_limits(household.left)
    )
    return revive_json(MultiPlanResult, household.result), outcomes


def engine_text(result: str, *, columns: int) -> str:
    """The engine's plan shown by the engine's own renderer: each lender's call card."""
    from repaycli.core.card import cards_for_multi
    from repaycli.core.multi import MultiPlanResult
    from repaycli.core.revive import revive_json
    from repaycli.render.card import multi_card_text
    from repaycli.render.phrases import describe, say_line

    several = revive_json(MultiPlanResult, result)
    made = cards_for_multi(several, say=say_line, describe=describe)
    return multi_card_text(several, made, columns)


def engine_document(result: str, *, details: bool) -> Document:
    """The engine's plan as the full report (``--details``, ``--format markdown``)."""
    from repaycli.core.multi import MultiPlanResult
    from repaycli.core.revive import revive_json
    from repaycli.render.multi import multi_document

    return multi_document(revive_json(MultiPlanResult, result), details=details)


def engine_cards(result: str) -> list[CallCard]:
    """The call card of each lender in the engine's plan, in the plan's order."""
    from repaycli.core.card import cards_for_multi
    from repaycli.core.multi import MultiPlanResult
    from repaycli.core.revive import revive_json
    from repaycli.render.phrases import describe, say_line

    return cards_for_multi(revive_json(MultiPlanResult, result), say=say_line, describe=describe)


# --- the register as the engine's input --------------------------------------------------------


def situation_of(budget: Budget, day: date) -> Situation:
    from repaycli.core.dates import add_months
    from repaycli.core.models import Reason
    from repaycli.core.models import Situation as Sit

    if budget.income is None:
        raise BadInput("register.err.no_income")
    share = budget.limit_share
    recovery = budget.recovery if budget.recovery is not None and budget.recovery > day else None
    return Sit(
        today=day,
        income=budget.income,
        expenses=budget.expenses,
        reason=None if budget.reason is None else Reason(budget.reason),
        recovery=recovery,
        income_after=budget.income_after if recovery is not None else None,
        start=add_months(day, 1),
        share_of_disposable=share or Decimal(50),
        share_of_income=share or Decimal(30),
    )


def debt_of(debt: RegisterDebt, catalogue: Catalogue) -> Debt:
    """The register's debt as the engine takes it: what is still owed, its parts when nothing
    has been paid yet."""
    from repaycli.core.models import Debt as CoreDebt

    fresh = debt.paid == 0
    principal = debt.principal
    if principal is not None and principal > debt.balance:
        principal = debt.balance
    return CoreDebt(
        platform=catalogue.resolve(debt.platform),
        overdue=debt.balance,
        principal=principal,
        interest_due=debt.interest if fresh else None,
        penalty=debt.penalty if fresh else None,
        days_overdue=debt.days_overdue,
        annual_rate=debt.annual_rate,
        penalty_rate_daily=debt.penalty_rate,
    )


def plan_household(
    debts: Sequence[RegisterDebt],
    budget: Budget,
    commitments: Sequence[Commitment],
    *,
    day: date,
    version: int,
    catalogue: Catalogue,
) -> Household:
    """The household's plan: the agreements' installments off the limit, the rest shared."""
    from repaycli.core.register import limit_schedule
    from repaycli.core.situation import affordability

    situation = situation_of(budget, day)
    real = affordability(situation)
    active = [c for c in commitments if any(a > p for _, a, p in c.installments)]
    left = limit_schedule(real.limit_on, active, start=situation.start, months=HORIZON)
    shared = [d for d in debts if d.shared]
    answer = (
        engine_plan([debt_of(d, catalogue) for d in shared], situation, left) if shared else None
    )
    lang_name = _namer(catalogue)
    lenders: list[Lender] = []
    engine = dict(zip((d.id for d in shared), answer.lenders if answer else [], strict=True))
    index = {d.id: n for n, d in enumerate(shared)}
    for debt in debts:
        if debt.cleared:
            continue
        found = engine.get(debt.id)
        agreed = None
        if debt.agreements:
            agreed = sum(
                (c.left_on(_next_due(c, day)) for c in active if c.debt_id == debt.id), ZERO
            )
        lenders.append(
            Lender(
                debt_id=debt.id,
                platform=debt.platform,
                name=lang_name(debt.platform),
                status=debt.status,
                balance=debt.balance,
                lines=found.lines if found else [],
                agreed_monthly=agreed,
                payments=found.payments if found else [],
                engine_index=index.get(debt.id),
            )
        )
    return Household(
        as_of=day,
        start=situation.start,
        version=version,
        limit=real.limit,
        limit_after=real.limit_after,
        limit_after_from=real.limit_after_from,
        left=left,
        lenders=lenders,
        over=left.over,
        result=answer.result if answer else None,
        status=answer.status if answer else None,
    )


def _next_due(commitment: Commitment, day: date) -> date:
    """The first installment still (partly) unpaid."""
    for due, amount, paid in commitment.installments:
        if amount > paid:
            return due
    return commitment.installments[-1][0]


def _namer(catalogue: Catalogue) -> _Name:
    return _Name(catalogue)


class _Name:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def __call__(self, platform: str) -> str:
        from repaycli.i18n import get_lang

        try:
            return self.catalogue.resolve(platform).name(get_lang())
        except BadInput:
            return platform


# --- reading and writing the register and the current plan -------------------------------------


def register_from_last_plan(conn: sqlite3.Connection, *, at: datetime) -> int:
    """A register still empty takes the debts and budget of the plan saved last
    (``last-plan.json``) by a repaycli older than the register, once; the number of debts
    taken. A plan saved by this repaycli keeps its inputs beside it (``plan_inputs``): that one
    stays a one-debt plan that ``plan --details`` shows again, and a bare ``plan`` asks."""
    from repaycli import store_register
    from repaycli.errors import RepayError
    from repaycli.paths import data_dir, last_plan_path
    from repaycli.plan_inputs import FILE_NAME

    if store_register.list_debts(conn) or store_register.version(conn) > 0:
        return 0
    if not last_plan_path().is_file():  # reading it loads pydantic: only when there is one
        return 0
    if (data_dir() / FILE_NAME).is_file():
        return 0
    from repaycli.lastplan import read_last_plan

    try:
        saved = read_last_plan(last_plan_path())
    except RepayError:
        return 0
    if saved is None or not saved.debts:
        return 0
    who = "last-plan.json"
    for debt in saved.debts:
        store_register.add_debt(
            conn,
            {
                "platform": debt.platform,
                "overdue": debt.overdue,
                "principal": debt.principal,
                "days_overdue": debt.days_overdue,
            },
            who=who,
            at=at,
        )
    money = saved.affordability
    if money is not None and money.income is not None:
        store_register.set_budget(
            conn,
            {"income": money.income, "expenses": money.expenses, "recovery": saved.recovery},
            who=who,
            at=at,
        )
    return len(saved.debts)


def household_json(household: Household) -> str:
    from repaycli.render.json import to_json

    return to_json(household.model_copy(update={"result": None}))


def make_current_plan(
    conn: sqlite3.Connection, *, day: date, at: datetime, source: str
) -> Household:
    """Plan the register and keep the result as the current plan."""
    from repaycli import store_register
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    debts = store_register.list_debts(conn)
    if not debts:
        raise BadInput("register.err.empty")
    catalogue = load_catalogue(user_platforms_file())
    version = store_register.version(conn)
    household = plan_household(
        debts,
        store_register.get_budget(conn),
        store_register.commitments(conn),
        day=day,
        version=version,
        catalogue=catalogue,
    )
    store_register.save_current_plan(
        conn,
        result=household.result or "",
        household=household_json(household),
        as_of=day,
        made_at=at,
        version=version,
        source=source,
    )
    return household


def load_household(plan: CurrentPlan) -> Household:
    from repaycli.core.revive import revive_json

    household = revive_json(Household, plan.household)
    return household.model_copy(update={"result": plan.result or None})


class InForce(Model):
    """The current plan as a command finds it: the plan, and whether the register changed
    since it was made."""

    household: Household
    made_at: str
    stale: bool


def current(conn: sqlite3.Connection) -> InForce | None:
    from repaycli import store_register

    plan = store_register.current_plan(conn)
    if plan is None:
        return None
    return InForce(
        household=load_household(plan),
        made_at=plan.made_at,
        stale=store_register.version(conn) > plan.version,
    )


# --- one lender's view of the household -------------------------------------------------------


class LenderView(Model):
    """What a command about one lender needs of the household plan."""

    debt_id: int
    name: str
    as_of: date
    stale: bool
    status: str
    #: Its walk-away line in force at the first due date (``None``: agreed, not shared).
    line: Decimal | None
    lines: list[LimitStep]
    agreed_monthly: Decimal | None
    limit: Decimal
    #: Agreed installments (all agreements) in the first month.
    agreed_now: Decimal
    others: list[str]
    #: How many debts the household plan covers, and what they owe together.
    count: int
    total: Decimal = ZERO
    names: list[str] = Field(default_factory=list)
    engine_index: int | None
    #: ``core.household.Status`` of the household plan (``None``: not said).
    household_status: str | None = None

    def line_on(self, day: date) -> Decimal | None:
        """Its walk-away line in force on ``day`` (``None``: agreed, not shared)."""
        if self.line is None:
            return None
        found = self.lines[0].amount if self.lines else self.line
        for step in self.lines:
            if step.start <= day:
                found = step.amount
        return found


def lender_view(plan: InForce, debt_id: int) -> LenderView | None:
    household = plan.household
    found = [x for x in household.lenders if x.debt_id == debt_id]
    if not found:
        return None
    from repaycli.render.register import platform_name  # in the language of this command

    lender = found[0]
    others = [
        platform_name(x.platform)
        for x in household.lenders
        if x.debt_id != debt_id and x.agreed_monthly is None
    ]
    return LenderView(
        debt_id=debt_id,
        name=platform_name(lender.platform),
        as_of=household.as_of,
        stale=plan.stale,
        status=lender.status,
        line=lender.line_on(household.start) if lender.lines else None,
        lines=lender.lines,
        agreed_monthly=lender.agreed_monthly,
        limit=household.limit_on(household.start),
        agreed_now=household.agreed_on(household.start),
        others=others,
        count=len(household.lenders),
        total=sum((x.balance for x in household.lenders), ZERO),
        names=[platform_name(x.platform) for x in household.lenders],
        engine_index=lender.engine_index,
        household_status=household.status,
    )


def _join(names: Sequence[str]) -> str:
    from repaycli.i18n import t

    if len(names) <= 1:
        return "".join(names)
    return t("household.join_list", first=t("household.join").join(names[:-1]), last=names[-1])


def plan_line(view: LenderView, *, status: bool = True) -> str:
    """Which plan the numbers come from, and this lender's part of the household: its line in
    force, or its schedule when it changes; with ``status``, when the household plan needs
    interest stopped or takes the hardship route (``call`` leaves that to the card, which says
    it)."""
    from repaycli.i18n import t
    from repaycli.render.numbers import money

    if view.line is None:
        text = t(
            "household.lender_agreed",
            date=view.as_of.isoformat(),
            name=view.name,
            monthly=money(view.agreed_monthly or ZERO),
            limit=money(view.limit),
        )
    else:
        rest = view.limit - view.agreed_now - view.line
        text = t(
            "household.lender_line" if len(view.lines) <= 1 else "household.lender_lines",
            date=view.as_of.isoformat(),
            n=view.count,
            limit=money(view.limit),
            name=view.name,
            line=money(view.line),
            lines=lines_text(view.lines),
            rest=money(max(rest, ZERO)),
        )
        if not status:
            pass
        elif view.household_status == "interest_must_stop":
            text += t("household.must_stop")
        elif view.household_status == "hardship":
            text += t("household.hardship")
    if view.stale:
        text += t("household.stale")
    return text


def lines_text(lines: Sequence[LimitStep], lang: str | None = None) -> str:
    """A lender's line as its schedule: "2027-01 起每月最多 135.29 元；2031-06 起 210.00 元"."""
    from repaycli.i18n import t
    from repaycli.render.numbers import money

    parts = []
    for n, step in enumerate(lines):
        month = step.start.isoformat()[:7]
        if step.amount <= 0:
            parts.append(t("card.line_none", lang, month=month))
        else:
            key = "card.line_first" if n == 0 else "card.line_next"
            parts.append(t(key, lang, month=month, amount=money(step.amount, lang)))
    return t("card.line_sep", lang).join(parts)


def over_share(
    view: LenderView,
    payment: Decimal | Sequence[tuple[date, Decimal]],
    *,
    what: str = "offer",
) -> str | None:
    """The household warning for an offer above this lender's line: what it leaves the others
    (``None`` when it is within the line). ``payment`` is one amount a month, or the offer's
    schedule (due date, amount): each installment is held to the line in force on its date, or
    the line now when that is more (a line's last, lower steps are the remainder that clears the
    household plan, not a cap on a plan of another shape), and the one furthest above is
    named."""
    from repaycli.i18n import t
    from repaycli.render.numbers import money

    line = view.line if view.line is not None else view.agreed_monthly
    if line is None:
        return None
    if not isinstance(payment, Decimal):
        rows = [(amount, max(line, view.line_on(due) or line)) for due, amount in payment]
        if not rows:
            return None
        payment, line = max(rows, key=lambda row: row[0] - row[1])
    if payment <= line:
        return None
    left = view.limit - view.agreed_now - payment
    if view.line is None:
        left += view.agreed_monthly or ZERO
    if left < 0:
        return t(
            f"household.{what}.over_limit",
            offer=money(payment),
            name=view.name,
            line=money(line),
            limit=money(view.limit),
            excess=money(-left),
        )
    if not view.others:
        return t(
            f"household.{what}.over_line", offer=money(payment), name=view.name, line=money(line)
        )
    return t(
        f"household.{what}.over_share",
        offer=money(payment),
        name=view.name,
        line=money(line),
        others=_join(view.others),
        left=money(left),
    )


def view_for(
    conn: sqlite3.Connection, platform: str | None, debt_id: int | None
) -> LenderView | None:
    """The current plan's view of the lender a command is about; ``None`` when there is no
    current plan. A lender not in the register is an error that names the command adding it."""
    from repaycli.services.register import find_debt

    plan = current(conn)
    if plan is None:
        return None
    debt = find_debt(conn, platform, debt_id)
    view = lender_view(plan, debt.id)
    if view is None:  # paid off, or added after the plan was made
        from repaycli.render.register import platform_name

        raise BadInput("household.err.not_in_plan", name=platform_name(debt.platform))
    return view


def household_for_offer(platform: str | None, debt_id: int | None) -> LenderView | None:
    """``offer --platform``: the lender's view of the current plan (``None`` without one)."""
    from repaycli import store
    from repaycli.cli.common import have_database

    if not have_database():
        from repaycli.services.log import parse_platform

        name = platform or "?"
        raise BadInput("register.err.lender_missing", name=name, id=parse_platform(name))
    with store.opened(read_only=True) as conn:
        return view_for(conn, platform, debt_id)


def letter_plan(
    platform: str, lang: str
) -> tuple[SavedPlan, str, list[tuple[date, Decimal]]] | None:
    """``letter --platform X``: X's part of the current plan as the letter reads a saved plan
    (X's debt, proposals and ladder; its line as the limit), the whole picture told to X (how
    many debts, the total budget, X's share and why), and X's line as its schedule (from-date,
    amount). ``None`` without a current plan."""
    import json

    from repaycli import store
    from repaycli.lastplan import SavedPlan
    from repaycli.paths import db_path

    if not db_path().is_file():
        return None
    with store.opened(read_only=True) as conn:
        plan = current(conn)
        view = view_for(conn, platform, None)
    if plan is None or view is None:
        return None
    result = plan.household.result
    if view.engine_index is None or result is None or view.line is None:
        raise BadInput("household.err.agreed_letter", name=view.name)
    data = json.loads(result)
    debt = data["debts"][view.engine_index]
    budget = dict(data.get("affordability") or {})
    budget["limit"] = str(view.line)
    # The engine negotiated this lender inside its line: its proposals and ladder are the
    # letter's, as they are. The letter checks each payment against the line in force on its
    # date (``lines``); its text names the line now and the last it rises to.
    ladder = dict(debt["ladder"]) if isinstance(debt.get("ladder"), dict) else None
    later = [x for x in view.lines[1:] if x.amount > 0]
    if ladder is not None and later and later[-1].amount != view.line:
        ladder["walk_away_after"] = str(later[-1].amount)
        ladder["walk_away_after_from"] = later[-1].start.isoformat()
    saved = SavedPlan.model_validate(
        {
            "as_of": data.get("as_of"),
            "reason": data.get("reason"),
            "recovery": data.get("recovery"),
            "debts": [debt],
            "affordability": budget,
            "proposals": debt.get("proposals", []),
            "ladder": ladder,
        }
    )
    return saved, picture(view, lang), [(x.start, x.amount) for x in view.lines]


def picture(view: LenderView, lang: str) -> str:
    """The household told to one lender, as debt charities write to each creditor."""
    from repaycli.i18n import t
    from repaycli.render.numbers import money

    text = t(
        "household.letter",
        lang,
        n=view.count,
        names=t("household.join", lang).join(view.names),
        total=money(view.total, lang),
        limit=money(view.limit, lang),
        line=money(view.line or ZERO, lang),
    )
    if len(view.lines) > 1:
        text += t("household.letter_lines", lang, lines=lines_text(view.lines, lang))
    if view.agreed_now > 0:
        text += t("household.letter_agreed", lang, agreed=money(view.agreed_now, lang))
    return text


def which_plan(platform: str) -> str:
    """The line a command prints to say which plan its numbers for ``platform`` come from."""
    from repaycli import store

    with store.opened(read_only=True) as conn:
        view = view_for(conn, platform, None)
    return "" if view is None else plan_line(view)


def agreement_warning(
    conn: sqlite3.Connection, debt_id: int, schedule: Sequence[tuple[date, Decimal]]
) -> str | None:
    """An agreement paying ``schedule`` (due date, amount) recorded for ``debt_id``: above its
    line in force in the current plan, the household warning (what it leaves the others);
    else ``None``."""
    plan = current(conn)
    if plan is None:
        return None
    view = lender_view(plan, debt_id)
    return None if view is None else over_share(view, schedule, what="agreement")
