"""What the call screen needs before the call starts, and what it writes when the call ends.

The numbers come from the saved plan (``repaycli plan``'s last result) or from a plan worked out
now from situation flags, through the same call card the ``plan`` command shows
(``core.card``). Offers typed during the call are parsed and evaluated by ``services.offer``,
exactly as ``repaycli offer`` does; the log entry is written by ``services.log``, exactly as
``repaycli log add`` writes it, with the offer checks in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from repaycli.errors import BadInput, RepayError
from repaycli.i18n import get_lang, t

if TYPE_CHECKING:
    from repaycli.core.card import CallCard
    from repaycli.core.models import Platform
    from repaycli.core.offer import Budget, OfferResult, PlanReference
    from repaycli.core.records import LogEntry
    from repaycli.lastplan import SavedPlan
    from repaycli.services.household import LenderView

#: The checklist items to say or ask for during the call, in order (``catalog/checklist.toml``).
DURING_IDS = ("say", "agent", "written", "no_above", "credit_report", "card_plan")


@dataclass(frozen=True)
class Situation:
    """Situation flags like ``plan``'s: with ``overdue`` and ``income`` a plan is worked out now
    (not saved) instead of reading the saved one."""

    overdue: str | None = None
    income: str | None = None
    expenses: str | None = None
    days_overdue: str | None = None
    reason: str | None = None

    @property
    def given(self) -> bool:
        return any(v is not None for v in (self.overdue, self.income, self.expenses))


@dataclass
class CallSetup:
    platform: Platform
    day: date
    card: CallCard | None
    saved: SavedPlan | None
    #: What to say or ask for, in order: (checklist id, text in the user's language).
    steps: list[tuple[str, str]]
    #: Problems met on the way (an unreadable plan): shown, not fatal.
    warnings: list[str] = field(default_factory=list)
    #: Where the numbers came from: "plan" (saved), "household" (the current plan made from
    #: the register), "flags", or None (no numbers).
    source: str | None = None
    #: This lender's part of the household plan (``source == "household"``).
    household: LenderView | None = None

    @property
    def platform_name(self) -> str:
        return self.platform.name(get_lang())

    def budget(self, amount: Decimal | None) -> tuple[Budget, PlanReference | None]:
        """The walk-away line and the plan's proposal to compare an offer of ``amount`` with:
        as ``repaycli offer`` finds them, with a several-debt plan's share for this lender."""
        from repaycli.services.offer import budget_and_plan

        walk = None
        if self.card is not None and self.card.count > 1:
            walk = str(self.card.walk_away.monthly)
        view = self.household
        if view is not None:
            held = view.line if view.line is not None else view.agreed_monthly
            walk = None if held is None else str(held)
        return budget_and_plan(
            day=self.day, amount=amount, income=None, expenses=None, walk_away=walk, plan=self.saved
        )

    def default_amount(self) -> Decimal | None:
        return self.card.overdue if self.card is not None else None


def _cards(text: str) -> list[CallCard]:
    """The call cards of a saved plan (one, or one per lender)."""
    from repaycli.core.card import card_for_plan, cards_for_multi
    from repaycli.core.models import PlanResult
    from repaycli.core.multi import MultiPlanResult
    from repaycli.core.revive import revive_json
    from repaycli.render.plan import describe, say_line

    try:
        return [card_for_plan(revive_json(PlanResult, text), say=say_line, describe=describe)]
    except ValueError:
        pass
    multi = revive_json(MultiPlanResult, text)
    return cards_for_multi(multi, say=say_line, describe=describe)


def _plan_now(platform: Platform, situation: Situation, day: date) -> str:
    """A one-debt plan from the flags, as ``repaycli plan --no-input --no-save`` works it out
    (its JSON)."""
    from repaycli.catalog import load_checklist, load_log_fields
    from repaycli.core.dates import add_months
    from repaycli.core.inputs import parse_int, parse_reason
    from repaycli.core.models import Debt
    from repaycli.core.models import Situation as PlanSituation
    from repaycli.core.money import parse_amount
    from repaycli.core.plan import build_plan
    from repaycli.render.json import to_json
    from repaycli.render.plan import describe, money, walk_away_text

    if situation.overdue is None:
        raise BadInput("err.missing_value", flag="--overdue")
    if situation.income is None:
        raise BadInput("err.missing_value", flag="--income")
    debt = Debt(
        platform=platform,
        overdue=parse_amount(situation.overdue, field="overdue"),
        days_overdue=0
        if situation.days_overdue is None
        else parse_int(situation.days_overdue, field="days_overdue", low=0, high=3650),
    )
    plan_situation = PlanSituation(
        today=day,
        income=parse_amount(situation.income, field="income", allow_zero=True),
        expenses=None
        if situation.expenses is None
        else parse_amount(situation.expenses, field="expenses", allow_zero=True),
        reason=None if situation.reason is None else parse_reason(situation.reason),
        start=add_months(day, 1),
    )
    result = build_plan(
        debt,
        plan_situation,
        lang=get_lang(),
        checklist=load_checklist(),
        log_fields=load_log_fields(),
        describe=describe,
        money=money,
        walk_away=walk_away_text,
    )
    return to_json(result)


def _steps(card: CallCard | None, platform: Platform) -> list[tuple[str, str]]:
    """The "during the call" items in the user's language, with the walk-away line filled in."""
    from repaycli.catalog import load_checklist
    from repaycli.render.plan import money

    lang = get_lang()
    walk = "—"
    if card is not None:
        walk = money(card.walk_away.monthly)
        if card.walk_away.after is not None and card.walk_away.after_from is not None:
            walk += t(
                "plan.walk_away_then",
                date=card.walk_away.after_from.isoformat(),
                amount=money(card.walk_away.after),
            )
    found = {}
    for entry in load_checklist().item:
        if entry.stage != "during" or entry.id not in DURING_IDS:
            continue
        if entry.when_kind and platform.kind not in entry.when_kind:
            continue
        if entry.id == "no_above" and card is None:
            continue
        found[entry.id] = (entry.zh if lang == "zh" else entry.en).format(walk_away=walk)
    return [(i, found[i]) for i in DURING_IDS if i in found]


def prepare(
    platform_name: str | None,
    situation: Situation,
    *,
    day: date,
    use_plan: bool = True,
) -> CallSetup:
    """The platform, its card and the checklist steps for one call."""
    from repaycli.catalog import load_catalogue
    from repaycli.lastplan import SavedPlan, read_last_plan
    from repaycli.paths import last_plan_path, user_platforms_file
    from repaycli.safeload import read_text

    catalogue = load_catalogue(user_platforms_file())
    platform = catalogue.resolve(platform_name) if platform_name is not None else None
    warnings: list[str] = []
    text: str | None = None
    source: str | None = None
    if situation.given:
        if platform is None:
            raise BadInput("err.missing_value", flag="PLATFORM")
        text, source = _plan_now(platform, situation, day), "flags"
    elif use_plan and platform is not None:
        household = _household(platform, warnings, day)
        if household is not None:
            return household
    if text is None and use_plan and not situation.given:
        try:
            if read_last_plan(last_plan_path()) is not None:  # checks version and shape
                text, source = read_text(last_plan_path(), limit=64 * 1024 * 1024), "plan"
        except (RepayError, OSError) as error:
            key = error.key if isinstance(error, RepayError) else "call.plan_unreadable"
            params = error.params if isinstance(error, RepayError) else {}
            warnings.append(t(key, **params))
    card: CallCard | None = None
    saved: SavedPlan | None = None
    if text is not None:
        cards = _pick(_cards(text), platform)
        if not cards and platform is not None and source == "plan":
            warnings.append(t("call.plan_other_platform", platform=platform.name(get_lang())))
            source = None
        elif cards:
            card = cards[0]
            if platform is None:
                platform = catalogue.resolve(card.platform)
            from repaycli.safeload import loads_json

            saved = SavedPlan.model_validate(_one_ladder(loads_json(text)))
    if platform is None:
        raise BadInput("call.err.no_platform")
    return CallSetup(
        platform=platform,
        day=day,
        card=card,
        saved=saved,
        steps=_steps(card, platform),
        warnings=warnings,
        source=source if card is not None else None,
    )


def _household(platform: Platform, warnings: list[str], day: date) -> CallSetup | None:
    """The call set up from the current household plan: this lender's card, its line and the
    household in the warnings; ``None`` when there is no current plan (the saved plan is read
    then, as before). A lender missing from the register is said, with the command adding it."""
    from repaycli import store
    from repaycli.lastplan import SavedPlan
    from repaycli.paths import db_path
    from repaycli.safeload import loads_json
    from repaycli.services.household import current, engine_cards, lender_view, plan_line
    from repaycli.services.register import find_debt

    if not db_path().is_file():
        return None
    with store.opened(read_only=True) as conn:
        plan = current(conn)
        if plan is None:
            return None
        try:
            debt = find_debt(conn, platform.name(get_lang()), None)
        except BadInput as error:
            warnings.append(t(error.key, **error.params))
            return _setup(day, platform, warnings, None, None, None)
    view = lender_view(plan, debt.id)
    if view is None:
        warnings.append(t("household.err.not_in_plan", name=platform.name(get_lang())))
        return _setup(day, platform, warnings, None, None, None)
    warnings.append(plan_line(view, status=False))  # the card says what the status means
    result = plan.household.result
    if view.engine_index is None or result is None:  # agreed: no card to negotiate with
        return _setup(day, platform, warnings, None, None, view)
    card = engine_cards(result)[view.engine_index]
    saved = SavedPlan.model_validate(_one_ladder(loads_json(result)))
    return _setup(day, platform, warnings, card, saved, view)


def _setup(
    day: date,
    platform: Platform,
    warnings: list[str],
    card: CallCard | None,
    saved: SavedPlan | None,
    view: LenderView | None,
) -> CallSetup:
    return CallSetup(
        platform=platform,
        day=day,
        card=card,
        saved=saved,
        steps=_steps(card, platform),
        warnings=warnings,
        source="household" if card is not None or view is not None else None,
        household=view,
    )


def _pick(cards: list[CallCard], platform: Platform | None) -> list[CallCard]:
    if platform is None:
        return cards[:1]
    return [c for c in cards if c.platform == platform.id][:1]


def _one_ladder(data: Any) -> Any:
    """The saved plan as ``lastplan`` reads it; a several-debt plan's ladders are per lender
    (the walk-away line then comes from the card's share)."""
    if isinstance(data, dict) and not isinstance(data.get("ladder"), dict):
        return {**data, "ladder": None}
    return data


# --- the offer box --------------------------------------------------------------------------

#: The offer box's fields, in the order shown; names are ``repaycli offer``'s flags.
OFFER_FIELDS = (
    "amount",
    "periods",
    "payment",
    "fee_rate",
    "annual_rate",
    "first_due",
    "upfront_fee",
)


def evaluate_typed(setup: CallSetup, typed: Mapping[str, str]) -> OfferResult | None:
    """The offer typed so far, evaluated as ``repaycli offer`` would; ``None`` while the amount,
    the periods or the price are still missing; ``BadInput`` for a value ``offer`` refuses."""
    from repaycli.core.money import parse_amount
    from repaycli.services.offer import evaluate_offer, offer_input, parse_periods

    values = {k: (typed.get(k) or "").strip() or None for k in OFFER_FIELDS}
    amount, periods = values["amount"], values["periods"]
    priced = [values[k] for k in ("payment", "fee_rate", "annual_rate") if values[k] is not None]
    if amount is not None:
        parse_amount(amount, field="amount")  # a bad amount is said at once
    if periods is not None:
        parse_periods(periods)
    if amount is None or periods is None or not priced:
        return None
    offer = offer_input(
        amount=amount,
        periods=periods,
        fee_rate=values["fee_rate"],
        annual_rate=values["annual_rate"],
        payment=values["payment"],
        upfront_fee=values["upfront_fee"],
        first_due=values["first_due"],
        day=setup.day,
    )
    budget, reference = setup.budget(offer.amount)
    return evaluate_offer(offer, day=setup.day, budget=budget, plan=reference)


# --- the end of the call ----------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    entry: LogEntry
    agreement_id: int | None
    #: How many offer checks went with the entry.
    offers: int = 0


def finish(
    setup: CallSetup,
    fields: Mapping[str, str | None],
    offers: Sequence[str],
    *,
    clock: datetime,
    agreement_from: OfferResult | None = None,
) -> Saved:
    """Write the log entry and its offer checks (``offer --json`` texts) in one transaction, as
    ``log add`` and ``offer --log`` would; then, given the offer agreed, the agreement, as
    ``agreement add --log`` records it."""
    from repaycli import store
    from repaycli.core.money import to_fen
    from repaycli.services.log import read_fields, record_contact

    given = {**fields, "platform": setup.platform.id}
    values = read_fields(given, clock=clock)
    schedule: list[tuple[date, Decimal]] = []
    if agreement_from is not None:
        from repaycli.services.agreement import check_schedule

        if values.get("outcome") != "agreed":
            raise BadInput("call.err.agreement_not_agreed")
        schedule = [(row.due, row.amount) for row in agreement_from.schedule]
        check_schedule(schedule, today=setup.day)  # before anything is written
    with store.opened() as conn:
        entry = record_contact(conn, values, clock=clock, offer_checks=offers)
        agreement_id = None
        if agreement_from is not None:
            agreement_id = store.add_agreement(
                conn,
                platform=setup.platform.id,
                schedule=[(due, to_fen(amount)) for due, amount in schedule],
                recorded_at=clock,
                contact_id=entry.id,
                source="call",
            )
            from repaycli.services.register import attach_agreement

            attach_agreement(
                conn,
                agreement_id,
                platform=setup.platform.id,
                debt_id=None if setup.household is None else setup.household.debt_id,
                at=clock,
                who="call",
            )
    return Saved(entry, agreement_id, len(offers))


def household_warning(setup: CallSetup, result: OfferResult) -> str | None:
    """An offer above this lender's line, and what it leaves the other lenders."""
    if setup.household is None:
        return None
    from repaycli.services.household import over_share

    return over_share(setup.household, [(row.due, row.amount) for row in result.schedule])


def describe_offer(result: OfferResult) -> str:
    """One line for a kept offer (the offer command's headline)."""
    from repaycli.render.offer import headline

    return headline(result)
