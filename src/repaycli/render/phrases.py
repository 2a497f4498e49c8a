"""How the screens word a proposal, a count, the walk-away line and what to say: plain strings,
shared by the full report (rich), the call card (no rich) and the letter."""

from __future__ import annotations

from repaycli.core.models import Basis, Ladder, Proposal, ProposalKind
from repaycli.i18n import t
from repaycli.render.numbers import money, percent


def count_text(noun: str, count: int) -> str:
    """``1 month``, ``3 months`` / ``3 个月`` (nouns in the ``count`` catalogue section)."""
    return t(f"count.{noun}_one") if count == 1 else t(f"count.{noun}_many", n=count)


def months_text(count: int) -> str:
    return count_text("months", count)


def yes_no(value: bool) -> str:
    return t("yes") if value else t("no")


def _key(proposal: Proposal) -> str:
    free = proposal.interest_free and proposal.kind in (
        ProposalKind.INSTALLMENTS,
        ProposalKind.CARD_PERSONALISED,
    )
    return proposal.kind.value + ("_free" if free else "")


def _describe_key(proposal: Proposal) -> str:
    """``_key``, and the interest-stopped wording of a stepped plan or one after a pause."""
    free = proposal.interest_free and proposal.kind in (ProposalKind.STEPPED, ProposalKind.DEFERRAL)
    key = _key(proposal)
    after = proposal.payment_after
    if proposal.kind is ProposalKind.DEFERRAL and after is not None and after != proposal.payment:
        key = "deferral_stepped"  # a pause, then a payment that rises (a lender's line opening)
    return key + ("_free" if free else "")


def _waiver(proposal: Proposal) -> str:
    """What the lender gives up, in words ("" when nothing is waived)."""
    if proposal.waived <= 0:
        return ""
    if proposal.basis is Basis.WITHOUT_PENALTY:
        key = "penalty"
    elif proposal.kind is ProposalKind.LUMP_SUM:
        key = "rest"
    else:
        key = "interest_penalty"
    return t(f"waiver.{key}", waived=money(proposal.waived))


def describe(proposal: Proposal) -> str:
    """A short phrase for a proposal, used in the ladder, the checklist and the letter."""
    after_from = next(
        (i.due for i in proposal.schedule if i.amount == proposal.payment_after), None
    )
    values = {
        "periods": proposal.periods,
        "payment": money(proposal.payment),
        "payment_after": money(proposal.payment_after or proposal.payment),
        "after_from": after_from.isoformat() if after_from else "—",
        "total": money(proposal.total),
        "balance": money(proposal.balance),
        "waived": money(proposal.waived),
        "down": money(proposal.down_payment),
        "rate": percent(proposal.annual_rate_percent),
        "months": months_text(proposal.deferral_months),
        "periods_text": count_text("periods", proposal.periods),
        "waiver": _waiver(proposal),
    }
    if proposal.kind is ProposalKind.PARTIAL_LUMP_SUM:
        later = [i.amount for i in proposal.schedule[1:]]
        values["payment"] = money(later[0] if later else proposal.payment)
        values["periods"] = len(later)
        values["periods_text"] = count_text("periods", len(later))
    return t(f"describe.{_describe_key(proposal)}", **values)


def short_kind(proposal: Proposal) -> str:
    """The kind of a proposal in a word or two, for tables."""
    return t(f"short.{_key(proposal)}")


def walk_away_text(ladder: Ladder) -> str:
    """The walk-away line in words: the limit now and, after recovery, the limit then."""
    text = money(ladder.walk_away_monthly)
    after = ladder.walk_away_after
    if after is not None and after != ladder.walk_away_monthly and ladder.walk_away_after_from:
        text += t(
            "plan.walk_away_then",
            date=ladder.walk_away_after_from.isoformat(),
            amount=money(after),
        )
    return text


def say_line(proposal: Proposal) -> str:
    """What to say for the opening ask, in the user's own voice (with the later payment when
    it changes: a stepped plan, a share that grows)."""
    text = _say(proposal)
    after = proposal.payment_after
    if after is not None and after != proposal.payment:
        since = next((i.due for i in proposal.schedule if i.amount == after), None)
        if since is not None:
            text += t("plan.say_then", payment=money(after), date=since.isoformat())
    return text


def _say(proposal: Proposal) -> str:
    if proposal.deferral_months:
        return t(
            "plan.say_defer",
            months=months_text(proposal.deferral_months),
            payment=money(proposal.payment),
            periods=proposal.periods,
            periods_text=months_text(proposal.periods),
        )
    if proposal.down_payment > 0:
        later = [i.amount for i in proposal.schedule[1:]]
        return t(
            "plan.say_partial",
            down=money(proposal.down_payment),
            payment=money(later[0] if later else proposal.payment),
            periods=len(later),
            periods_text=months_text(len(later)),
        )
    if proposal.periods == 1:
        return t(
            "plan.say_one", total=money(proposal.total), date=proposal.schedule[0].due.isoformat()
        )
    return t(
        "plan.say",
        payment=money(proposal.payment),
        periods=proposal.periods,
        periods_text=months_text(proposal.periods),
    )
