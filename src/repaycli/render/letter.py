"""The application letter as plain text (the default: it can be pasted into an app's chat, an
e-mail or a word processor and sent as it is) or markdown, from its facts and the language's
template.

Plain text is not hard-wrapped: each paragraph is one line, so whatever shows it — a phone's
chat box, an e-mail, a word processor, a printer driver — flows it to its own width. A letter
wrapped at 80 columns would arrive in a phone chat as ragged half-lines.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from repaycli.catalog import HERE
from repaycli.i18n import get_lang, t
from repaycli.render import letter_words as words
from repaycli.render.safe import markdown_text, safe_text

if TYPE_CHECKING:  # pydantic-backed; ``cli.letter`` loads this module at start-up for LetterFormat
    from datetime import date

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
#: The kinds that ask the lender to give up interest and penalties (``waived``), and the one
#: that gives up only the penalty and fees.
_WAIVE_ALL = ("lump_sum", "partial_lump_sum", "principal_only")
_WAIVE_PENALTY = ("penalty_waived", "stepped", "deferral")


class LetterFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"


def load_template(lang: str) -> str:
    return (HERE / "letters" / f"{lang}.md").read_text(encoding="utf-8")


def _money(value: Decimal) -> str:
    return words.amount(value)


def _day(value: date | None, placeholder: str = "letter.plan.date_ph") -> str:
    return words.day(value) if value is not None else t(placeholder)


def _debt(facts: LetterFacts, platform: str) -> str:
    parts = t("letter.debt.overdue", platform=platform, overdue=_money(facts.overdue))
    if facts.principal is not None and facts.principal != facts.overdue:
        parts += t("letter.debt.principal", principal=_money(facts.principal))
    if facts.days_overdue:
        parts += t("letter.debt.days", days=facts.days_overdue)
    return parts + t("letter.debt.end")


def _hardship(facts: LetterFacts, user: str) -> str:
    since = (
        t("letter.hardship.since", date=words.day(facts.since))
        if facts.since is not None
        else t("letter.hardship.since_unknown")
    )
    reason = t(f"letter.reason.{facts.reason.value}") if facts.reason else t("letter.reason.none")
    text = t("letter.hardship.text", since=since, reason=reason)
    parts = [text, user if user else t("letter.hardship.details_placeholder")]
    if facts.recovery is not None:
        parts.append(t("letter.hardship.recovery", date=words.day(facts.recovery)))
    return t("letter.sep").join(parts)


def _finances(facts: LetterFacts) -> str:
    income = _money(facts.income) if facts.income is not None else t("letter.finances.income_ph")
    expenses = (
        _money(facts.expenses) if facts.expenses is not None else t("letter.finances.expenses_ph")
    )
    disposable = facts.disposable
    spare = _money(disposable) if disposable is not None else t("letter.finances.disposable_ph")
    deficit = facts.deficit
    if facts.income is not None and facts.income <= 0:
        # No income: say so, rather than write an income of nothing.
        text = (
            t("letter.finances.no_income", expenses=expenses)
            if facts.expenses is None or facts.expenses > 0
            else t("letter.finances.no_income_no_expenses")
        )
    elif facts.expenses is not None and facts.expenses <= 0:
        text = t("letter.finances.income_only", income=income)
    elif deficit is not None:
        text = t(
            "letter.finances.deficit", income=income, expenses=expenses, deficit=_money(deficit)
        )
    elif disposable is not None and disposable <= 0:
        text = t("letter.finances.nothing_left", income=income, expenses=expenses)
    else:
        text = t("letter.finances.text", income=income, expenses=expenses, disposable=spare)
    # What can be kept up is the limit (the walk-away line), not all that is left: a letter that
    # offers everything leaves nothing to negotiate with and nothing for the unexpected.
    if facts.limit is not None and facts.limit <= 0:
        return t("letter.sep").join([text, t("letter.finances.no_capacity")])
    if not facts.disclose_limit:  # handed to the lender: the plan below says what is offered
        return text
    limit = _money(facts.limit) if facts.limit is not None else t("letter.finances.limit_ph")
    parts = [text, t("letter.finances.limit", limit=limit)]
    if _limit_changes(facts):
        assert facts.limit_after is not None and facts.limit_after_from is not None
        parts.append(
            t(
                "letter.finances.limit_after",
                date=words.day(facts.limit_after_from),
                limit=_money(facts.limit_after),
            )
        )
    return t("letter.sep").join(parts)


def _limit_changes(facts: LetterFacts) -> bool:
    """Whether a second, higher limit applies from the recovery date (``plan --income-after``).
    A limit that changes without a recovery date (a several-debt share growing when another
    debt is cleared) is no recovery: the letter does not announce one."""
    return (
        facts.recovery is not None
        and facts.limit is not None
        and facts.limit_after is not None
        and facts.limit_after_from is not None
        and facts.limit_after > facts.limit
    )


def pause_sentence(pause: PauseRequest, limit: Decimal | None = None) -> str:
    """The pause asked for. With some money each month (the finances paragraph has just named
    it), the letter says that it is too little, not that nothing at all can be paid."""
    key = "letter.plan.pause_short" if limit is not None and limit > 0 else "letter.plan.pause"
    return t(key, months=words.months(pause.months), date=words.day(pause.write_again))


def _waiver(plan: ProposedPlan, kind: str) -> str:
    """The clause asking the lender to give up what the plan leaves unpaid, with its amount;
    nothing when nothing is given up (a plan never asks to waive ¥0.00)."""
    if plan.waived <= 0:
        return ""
    if kind in _WAIVE_PENALTY:
        return t("letter.plan.waive_penalty", amount=_money(plan.waived))
    if kind not in _WAIVE_ALL:  # a plan of the user's own that pays less than the balance
        return t("letter.plan.waive_rest", amount=_money(plan.waived))
    return t("letter.plan.waive_all", amount=_money(plan.waived))


def step_date(plan: ProposedPlan) -> date | None:
    """The first due date on which a stepped plan pays its second amount."""
    rows = plan.schedule[1:] if plan.down_payment > 0 else plan.schedule
    if plan.payment_after is None:
        return None
    return next((row.due for row in rows if row.amount == plan.payment_after), None)


def plan_sentence(plan: ProposedPlan, facts: LetterFacts | None = None) -> str:
    from repaycli.core.letter import MAX_PERIODS

    kind = plan.kind if plan.kind in PLAN_KINDS else "installments"
    if plan.periods == 1 and kind not in ("lump_sum", "pay_now", "partial_lump_sum"):
        kind = "single"
    key = f"letter.plan.{kind}"
    step = step_date(plan) if kind == "stepped" else None
    if step is not None and (facts is None or facts.recovery is None):
        key = "letter.plan.stepped_from"  # a share that grows, not an income that recovers
    text = t(
        key,
        step=_day(step),
        periods=plan.periods,
        payment=_money(plan.payment),
        payment_after=_money(plan.payment_after or plan.payment),
        total=_money(plan.total),
        down=_money(plan.down_payment),
        first=_day(plan.first_due),
        last=_day(plan.last_due),
        months=words.months(plan.deferral_months),
        waiver=_waiver(plan, plan.kind),
        free=t("letter.plan.interest_free") if plan.interest_free else "",
    )
    parts = [text]
    if plan.periods > 1 and plan.last_amount != plan.payment and kind != "stepped":
        parts.append(t("letter.plan.last_amount", amount=_money(plan.last_amount)))
    regular = plan.schedule[1:-1] if plan.down_payment > 0 else plan.schedule[:-1]
    if kind == "stepped" and len({row.amount for row in regular}) > 2:  # more steps than two
        parts.append(t("letter.plan.steps_rise", largest=_money(plan.largest)))
    if plan.periods > MAX_PERIODS:  # longer than a lender usually agrees: say so, ask for it
        parts.append(t("letter.plan.beyond_term", high=MAX_PERIODS))
    fits = None if facts is None else facts.fits
    if fits is True:
        after = facts is not None and _limit_changes(facts) and plan.largest > (facts.limit or 0)
        parts.append(t("letter.plan.affordable_after" if after else "letter.plan.affordable"))
    elif fits is False and facts is not None and facts.limit is not None and facts.disclose_limit:
        # Never claim a plan the budget cannot keep up: say so, and ask for one it can.
        parts.append(t("letter.plan.above_limit", limit=_money(facts.limit)))
    return t("letter.sep").join(parts)


def _asks(facts: LetterFacts) -> str:
    if facts.plan is None and facts.pause is not None:
        return t(
            "letter.asks.pause",
            months=words.months(facts.pause.months),
            date=words.day(facts.pause.write_again),
        )
    plan = facts.plan
    if plan is not None and plan.total > facts.overdue - plan.waived:
        # The plan itself carries interest: asking to freeze it would contradict the plan.
        return t("letter.asks.plan_interest")
    return t("letter.asks.plan")


def _commitment(facts: LetterFacts) -> str:
    if facts.plan is None and facts.pause is not None:
        return t("letter.commitment.pause", date=words.day(facts.pause.write_again))
    return t("letter.commitment.plan")


def _documents(facts: LetterFacts) -> str:
    lines = [f"{i}. {doc}" for i, doc in enumerate(facts.documents, 1)]
    lines.append(f"{len(lines) + 1}. {t('letter.documents.other')}")
    return "\n".join(lines)


def compose(facts: LetterFacts, *, lang: str | None = None, fmt: LetterFormat) -> str:
    """The finished letter. Text that came from the user (or an editable file) is escaped for the
    format: markdown cannot gain links or headings from it, and no control character survives;
    the user's account of what happened gets its closing full stop."""
    from repaycli.core.letter import fill_template

    language = lang or get_lang()

    def clean(text: str) -> str:
        return markdown_text(text) if fmt is LetterFormat.MARKDOWN else safe_text(text)

    platform = clean(facts.platform_name) if facts.platform_name else t("letter.platform_ph")
    told = " ".join(facts.details.split()) if facts.details else ""
    details = clean(words.closed(told, language)) if told else ""
    values = {
        "title": t("letter.title"),
        "platform": platform,
        "date": words.day(facts.today),
        "debt": _debt(facts, platform),
        "hardship": _hardship(facts, details),
        "finances": _finances(facts)
        + (t("letter.sep") + clean(facts.household) if facts.household else ""),
        "plan": plan_sentence(facts.plan, facts)
        if facts.plan is not None
        else pause_sentence(facts.pause, facts.limit)
        if facts.pause is not None
        else t("letter.plan.none"),
        "documents": _documents(facts),
        "asks": _asks(facts),
        "commitment": _commitment(facts),
    }
    text = fill_template(load_template(language), values)
    if fmt is LetterFormat.TEXT:
        text = to_plain(text)
    else:
        text = hard_breaks(text)
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


def hard_breaks(markdown: str) -> str:
    """Markdown with a hard line break (a trailing backslash) inside each block of short lines
    (the sender's details, the closing), so a renderer keeps them on their own lines instead of
    running them into one paragraph. Numbered lists keep their own breaks."""
    lines = markdown.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        joins = (
            line.strip()
            and following.strip()
            and not line.startswith("#")
            and not re.match(r"^\d+\.\s", following)
        )
        out.append(line + "\\" if joins else line)
    return "\n".join(out) + "\n"
