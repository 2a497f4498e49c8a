"""The call card as plain text: one screen (at most 80 × 24) per lender, the first thing
``repaycli plan`` prints. Plain text by design — no rich, no pydantic of its own — so the
default ``plan`` stays quick to start and reads the same on a terminal, in a pipe or a file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from repaycli.core.card import CallCard, CardStep, HotlineNote
from repaycli.core.schedules import MAX_TERM
from repaycli.i18n import t
from repaycli.render.numbers import money
from repaycli.render.phrases import count_text, months_text
from repaycli.render.wrap import pad, width, wrap

if TYPE_CHECKING:
    from repaycli.core.multi import MultiPlanResult

#: The card is made for this size, whatever the terminal; narrower terminals get narrower lines.
CARD_WIDTH = 80
CARD_HEIGHT = 24


def _walk_away(card: CallCard) -> str:
    line = card.walk_away
    if len(line.steps) > 1:
        return line_steps_text(line.steps)
    text = money(line.monthly)
    if line.after is not None and line.after_from is not None:
        text += t("plan.walk_away_then", date=line.after_from.isoformat(), amount=money(line.after))
    return text


def line_steps_text(steps: tuple[tuple[date, Decimal], ...]) -> str:
    """A walk-away line as a schedule: "from 2027-01 at most 135.29 a month; from 2031-06
    210.00" — a step to zero as "from 2031-10 nothing"."""
    parts = []
    for n, (start, amount) in enumerate(steps):
        month = start.isoformat()[:7]
        if amount <= 0:
            parts.append(t("card.line_none", month=month))
        else:
            key = "card.line_first" if n == 0 else "card.line_next"
            parts.append(t(key, month=month, amount=money(amount)))
    return t("card.line_sep").join(parts)


def _labelled(label: str, text: str, cells: int, label_cells: int) -> list[str]:
    return wrap(text, cells, indent=pad(label, label_cells) + "  ")


def _step_text(step: CardStep | None, opening: CardStep | None) -> str | None:
    if step is None:
        return None
    if opening is not None and step.proposal_id == opening.proposal_id and step is not opening:
        return t("card.same_as_opening")
    return step.text


def card_lines(card: CallCard, cells: int = CARD_WIDTH) -> list[str]:
    """The card's lines, each at most ``cells`` display cells wide."""
    cells = min(cells, CARD_WIDTH)
    if card.count > 1:
        title = t(
            "card.title_of",
            n=card.index,
            count=card.count,
            platform=card.platform_name,
            overdue=money(card.overdue),
        )
    else:
        title = t("card.title", platform=card.platform_name, overdue=money(card.overdue))
    lines = wrap(title, cells)
    if card.hotline_note is HotlineNote.VERIFY_IN_APP and card.hotline:
        lines += wrap(t("card.hotline", hotline=card.hotline), cells)
    else:
        lines += wrap(t("card.take_from_app", platform=card.platform_name), cells)
    lines.append("─" * min(cells, 40))

    hardship = card.hardship
    if card.say:
        lines += wrap(card.say, cells)
    elif hardship is not None:
        # With a walk-away above zero on the card, "I cannot pay anything" would contradict it.
        some = card.walk_away.monthly > 0
        lines += wrap(
            t(
                "card.say_pause_short" if some else "card.say_pause",
                months=months_text(hardship.pause_months),
                date=hardship.write_again.isoformat(),
                limit=money(card.walk_away.monthly),
            ),
            cells,
        )
    elif card.count > 1:
        lines += wrap(t("card.nothing_to_pay"), cells)
    lines.append("")

    labels = [t("card.opening"), t("card.target"), t("card.walk_away")]
    label_cells = max(width(x) for x in labels)
    opening = _step_text(card.opening, None)
    if opening is not None and card.opening is not None:
        opening += t("card.first_due", date=card.opening.first_due.isoformat())
    target = _step_text(card.target, card.opening)
    if opening is not None:
        lines += _labelled(labels[0], opening, cells, label_cells)
    if target is not None:
        lines += _labelled(labels[1], target, cells, label_cells)
    nothing_now = (
        card.walk_away.monthly == 0
        and card.walk_away.after is None
        and not any(amount > 0 for _, amount in card.walk_away.steps)
    )
    # A zero limit with cash that pays something now: the payment from cash, and nothing a month.
    cash_only = nothing_now and card.opening is not None and card.hardship is None
    nothing_now = nothing_now and not cash_only
    if cash_only:
        walk_away = t("card.walk_away_cash_only")
    elif nothing_now:
        walk_away = t("card.walk_away_zero")
    elif len(card.walk_away.steps) > 1:
        walk_away = t("card.walk_away_steps", lines=_walk_away(card))
    else:
        walk_away = t("card.walk_away_value", amount=_walk_away(card))
    lines += _labelled(labels[2], walk_away, cells, label_cells)
    if card.interest_must_stop:
        lines += wrap(t("card.must_stop"), cells, indent="• ")
    if card.reduction_needed is not None and card.reduction_needed > 0:
        lines += wrap(
            t("card.reduction", reduction=money(card.reduction_needed)), cells, indent="• "
        )
    if card.opening is not None and card.opening.periods > MAX_TERM:
        lines += wrap(t("card.long", months=card.opening.periods), cells, indent="• ")
    if hardship is not None and card.nothing_affordable:
        lines += wrap(t("card.needed", needed=money(hardship.needed_payment)), cells, indent="• ")
    if card.deficit is not None:
        lines += wrap(t("card.deficit", deficit=money(card.deficit)), cells, indent="• ")
    if card.hardship_route:
        lines += wrap(t("card.help"), cells, indent="• ")
    lines.append("")

    lines.append(t("card.insist"))
    for item in card.insist:
        key = item.id
        if item.id == "no_above" and (nothing_now or cash_only):
            key = "no_payment" if nothing_now else "no_above_cash"
        elif item.id == "no_above" and len(card.walk_away.steps) > 1:
            key = "no_above_line"  # a line that changes: the one stated above, month by month
        text = t(f"card.insist_item.{key}", walk_away=money(card.walk_away.monthly))
        lines += wrap(text, cells, indent="• ")
    return lines


def card_text(card: CallCard, cells: int = CARD_WIDTH, *, footer: bool = True) -> str:
    lines = card_lines(card, cells)
    if footer:
        lines.append("")
        lines += wrap(t("card.details"), min(cells, CARD_WIDTH))
    return "\n".join(lines) + "\n"


def total_lines(result: MultiPlanResult, cells: int = CARD_WIDTH) -> list[str]:
    """The household ask that comes before the cards of a several-debt plan: what is owed and
    what can be paid, then "with interest stopped, X a month in all clears the whole principal
    Y in N months", then what the contract rates would take — or the hardship route."""
    cells = min(cells, CARD_WIDTH)
    text = t(
        "card.total",
        lenders=count_text("lenders", len(result.debts)),
        overdue=money(result.total_overdue),
        limit=money(result.affordability.limit),
    )
    sep = " " if result.lang == "en" else ""
    return wrap(text + sep + household_text(result), cells)


def household_text(result: MultiPlanResult) -> str:
    """The household ask in words: "with interest stopped, X a month in all clears the whole
    principal Y in N months", then what the contract rates would take — or the hardship route
    with the principal to be waived."""
    house = result.household
    sep = " " if result.lang == "en" else ""
    opening, target = house.opening, house.target
    text = ""
    if house.status.value == "hardship" and not any(s.amount > 0 for s in house.limits):
        text += t("card.total_nothing")
    elif house.status.value == "hardship":
        text += t(
            "card.household_hardship",
            principal=money(house.total_principal),
            reduction=money(house.reduction_needed or Decimal(0)),
        )
    else:
        text += t(
            "card.household_ask",
            monthly=money(opening.monthly),
            months=months_text(opening.months or 0),
            principal=money(house.total_principal),
        )
        if house.status.value == "fits" and target.months is not None:
            text += sep + t(
                "card.household_target",
                months=months_text(target.months),
                paid=money(target.total_paid or Decimal(0)),
            )
        elif target.months is not None:
            text += sep + t("card.household_must_stop", months=months_text(target.months))
        else:
            text += sep + t("card.household_must_stop_never")
    return text


def multi_card_text(result: MultiPlanResult, cards: list[CallCard], cells: int = CARD_WIDTH) -> str:
    """The total line, then each lender's card (separated by a rule), then where the rest is."""
    rule = "═" * min(cells, CARD_WIDTH)
    parts = ["\n".join(total_lines(result, cells))]
    for card in cards:
        parts.append(rule + "\n" + "\n".join(card_lines(card, cells)))
    parts.append(rule + "\n" + "\n".join(wrap(t("card.details_debts"), min(cells, CARD_WIDTH))))
    return "\n".join(parts) + "\n"
