"""The application letter as markdown or plain text, from its facts and the language's template."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from typing import TYPE_CHECKING

from repaycli.core.money import format_money
from repaycli.i18n import t
from repaycli.render.plan import months_text
from repaycli.render.safe import markdown_text, safe_text

if TYPE_CHECKING:  # pydantic-backed; ``cli.letter`` loads this module at start-up for LetterFormat
    from repaycli.core.letter import LetterFacts, PauseRequest, ProposedPlan

PLAN_KINDS = (
    "pay_now",
    "lump_sum",
    "partial_lump_sum",
    "principal_only",
    "penalty_waived",
    "installments",
    "card_personalised",
    "stepped",
    "deferral",
)


class LetterFormat(StrEnum):
    MARKDOWN = "markdown"
    TEXT = "text"


def load_template(lang: str) -> str:
    folder = resources.files("repaycli.catalog").joinpath("letters")
    return folder.joinpath(f"{lang}.md").read_text(encoding="utf-8")


def _money(value: Decimal) -> str:
    return format_money(value)


def _day(value: date | None, placeholder: str) -> str:
    return value.isoformat() if value is not None else t(placeholder)


def _debt(facts: LetterFacts, platform: str) -> str:
    parts = t("letter.debt.overdue", platform=platform, overdue=_money(facts.overdue))
    if facts.principal is not None and facts.principal != facts.overdue:
        parts += t("letter.debt.principal", principal=_money(facts.principal))
    if facts.days_overdue:
        parts += t("letter.debt.days", days=facts.days_overdue)
    return parts + t("letter.debt.end")


def _hardship(facts: LetterFacts, user: str) -> str:
    since = (
        t("letter.hardship.since", date=facts.since.isoformat())
        if facts.since is not None
        else t("letter.hardship.since_unknown")
    )
    reason = t(f"letter.reason.{facts.reason.value}") if facts.reason else t("letter.reason.none")
    text = t("letter.hardship.text", since=since, reason=reason)
    parts = [text, user if facts.details else t("letter.hardship.details_placeholder")]
    if facts.recovery is not None:
        parts.append(t("letter.hardship.recovery", date=facts.recovery.isoformat()))
    return t("letter.sep").join(parts)


def _finances(facts: LetterFacts) -> str:
    income = _money(facts.income) if facts.income is not None else t("letter.finances.income_ph")
    expenses = (
        _money(facts.expenses) if facts.expenses is not None else t("letter.finances.expenses_ph")
    )
    disposable = facts.disposable
    spare = _money(disposable) if disposable is not None else t("letter.finances.disposable_ph")
    deficit = facts.deficit
    if deficit is not None:
        text = t(
            "letter.finances.deficit", income=income, expenses=expenses, deficit=_money(deficit)
        )
    else:
        text = t("letter.finances.text", income=income, expenses=expenses, disposable=spare)
    # What can be kept up is the limit (the walk-away line), not all that is left: a letter that
    # offers everything leaves nothing to negotiate with and nothing for the unexpected.
    if facts.limit is not None and facts.limit <= 0:
        return t("letter.sep").join([text, t("letter.finances.no_capacity")])
    limit = _money(facts.limit) if facts.limit is not None else t("letter.finances.limit_ph")
    return t("letter.sep").join([text, t("letter.finances.limit", limit=limit)])


def pause_sentence(pause: PauseRequest) -> str:
    return t(
        "letter.plan.pause", months=months_text(pause.months), date=pause.write_again.isoformat()
    )


def plan_sentence(plan: ProposedPlan, facts: LetterFacts | None = None) -> str:
    kind = plan.kind if plan.kind in PLAN_KINDS else "installments"
    if plan.periods == 1 and kind not in ("lump_sum", "pay_now", "partial_lump_sum"):
        kind = "single"
    text = t(
        f"letter.plan.{kind}",
        periods=plan.periods,
        payment=_money(plan.payment),
        payment_after=_money(plan.payment_after or plan.payment),
        total=_money(plan.total),
        down=_money(plan.down_payment),
        waived=_money(plan.waived),
        first=_day(plan.first_due, "letter.plan.date_ph"),
        last=_day(plan.last_due, "letter.plan.date_ph"),
        months=months_text(plan.deferral_months),
    )
    parts = [text]
    if plan.periods > 1 and plan.last_amount != plan.payment:
        parts.append(t("letter.plan.last_amount", amount=_money(plan.last_amount)))
    fits = None if facts is None else facts.fits
    if fits is True:
        parts.append(t("letter.plan.affordable"))
    elif fits is False and facts is not None and facts.limit is not None:
        # Never claim a plan the budget cannot keep up: say so, and ask for one it can.
        parts.append(t("letter.plan.above_limit", limit=_money(facts.limit)))
    return t("letter.sep").join(parts)


def _asks(facts: LetterFacts) -> str:
    if facts.plan is None and facts.pause is not None:
        return t(
            "letter.asks.pause",
            months=months_text(facts.pause.months),
            date=facts.pause.write_again.isoformat(),
        )
    return t("letter.asks.plan")


def _commitment(facts: LetterFacts) -> str:
    if facts.plan is None and facts.pause is not None:
        return t("letter.commitment.pause", date=facts.pause.write_again.isoformat())
    return t("letter.commitment.plan")


def _documents(facts: LetterFacts) -> str:
    lines = [f"{i}. {doc}" for i, doc in enumerate(facts.documents, 1)]
    lines.append(f"{len(lines) + 1}. {t('letter.documents.other')}")
    return "\n".join(lines)


def compose(facts: LetterFacts, *, lang: str, fmt: LetterFormat) -> str:
    """The finished letter. Text that came from the user (or an editable file) is escaped for the
    format: markdown cannot gain links or headings from it, and no control character survives."""
    from repaycli.core.letter import fill_template

    def clean(text: str) -> str:
        return markdown_text(text) if fmt is LetterFormat.MARKDOWN else safe_text(text)

    platform = clean(facts.platform_name) if facts.platform_name else t("letter.platform_ph")
    details = clean(facts.details) if facts.details else ""
    values = {
        "title": t("letter.title"),
        "platform": platform,
        "date": facts.today.isoformat(),
        "debt": _debt(facts, platform),
        "hardship": _hardship(facts, details),
        "finances": _finances(facts),
        "plan": plan_sentence(facts.plan, facts)
        if facts.plan is not None
        else pause_sentence(facts.pause)
        if facts.pause is not None
        else t("letter.plan.none"),
        "documents": _documents(facts),
        "asks": _asks(facts),
        "commitment": _commitment(facts),
    }
    text = fill_template(load_template(lang), values)
    if fmt is LetterFormat.TEXT:
        text = to_plain(text)
    return text


def to_plain(markdown: str) -> str:
    """The letter without markdown marks: headings become plain lines."""
    lines: list[str] = []
    for line in markdown.splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            line = heading.group(2)
        lines.append(line)
    return "\n".join(lines) + "\n"
