"""``repaycli offer`` on a terminal (rich) or as plain text when piped."""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.models import Installment
from repaycli.core.offer import OfferResult, Terms
from repaycli.i18n import t
from repaycli.render.console import make_console
from repaycli.render.document import Block, Pairs, Para, print_blocks
from repaycli.render.numbers import money, percent, share
from repaycli.render.phrases import count_text


def _pct(value: Decimal) -> str:
    return percent(value)


def _rate(value: Decimal) -> str:
    return share(value)


def _yuan(value: Decimal) -> str:
    return money(value)


def headline(result: OfferResult) -> str:
    """One line saying what was offered."""
    params = {
        "amount": money(result.principal),
        "periods": result.periods,
        "periods_text": count_text("periods", result.periods),
        "payments_text": count_text("payments", result.periods),
    }
    if result.terms is Terms.FEE_RATE and result.fee_rate_percent is not None:
        return t("offer.headline.fee_rate", rate=_rate(result.fee_rate_percent), **params)
    if result.terms is Terms.ANNUAL_RATE and result.annual_rate_percent is not None:
        return t("offer.headline.annual_rate", rate=_rate(result.annual_rate_percent), **params)
    return t("offer.headline.payment", payment=money(result.payment), **params)


def _installments(schedule: list[Installment]) -> str:
    first, last = schedule[0], schedule[-1]
    text = t(
        "offer.installments",
        count=len(schedule),
        amount=money(first.amount),
        first=first.due.isoformat(),
        last=last.due.isoformat(),
    )
    if last.amount != first.amount:
        text += t("offer.installments_last", amount=money(last.amount))
    return text


def _yes_no(flag: bool) -> str:
    return t("offer.above") if flag else t("offer.not_above")


def verdict(result: OfferResult) -> str:
    line = _pct(result.court_line_percent)
    if result.above_walk_away and result.walk_away_monthly == 0 and not result.walk_away_after:
        return t("offer.verdict.no_capacity")
    if result.above_walk_away:
        text = t("offer.verdict.above_walk_away")
        if result.above_court_line:  # worth saying too: it is what to push back on
            text += t("offer.verdict.sep") + t(
                "offer.verdict.also_court_line", apr=_pct(result.apr_percent), line=line
            )
        return text
    if result.above_court_line:
        return t("offer.verdict.above_court_line", line=line)
    if result.above_lpr_multiple:
        return t("offer.verdict.above_lpr_multiple")
    if result.above_walk_away is None:
        return t("offer.verdict.no_budget")
    return t("offer.verdict.ok")


def print_offer(result: OfferResult) -> None:
    rows: list[tuple[str, str]] = []

    def row(label: str, value: str) -> None:
        rows.append((label, value))

    row(t("offer.row.payment"), _yuan(result.payment))
    row(t("offer.row.schedule"), _installments(result.schedule))
    if result.upfront_fee:
        row(
            t("offer.row.upfront_fee"),
            t(
                "offer.upfront_fee",
                fee=money(result.upfront_fee),
                received=money(result.received),
            ),
        )
    row(t("offer.row.total"), _yuan(result.total))
    if result.waived:
        row(t("offer.row.waived"), t("offer.waived", amount=money(result.waived)))
    if not result.settlement:
        row(
            t("offer.row.cost"),
            t("offer.cost", amount=money(result.cost), percent=_pct(result.cost_percent)),
        )
    if result.settlement:
        # Less to pay than was received: money saved, not a negative APR.
        row(
            t("offer.row.saved"),
            t("offer.saved", amount=money(result.saved), percent=_pct(result.saved_percent)),
        )
    else:
        row(t("offer.row.apr"), _pct(result.apr_percent))
        row(t("offer.row.apr_compound"), _pct(result.apr_compound_percent))
    if result.paid_from_cash > 0:
        row(t("offer.row.from_cash"), t("offer.from_cash", amount=money(result.paid_from_cash)))
    if result.share_percent is not None:
        row(t("offer.row.share"), _pct(result.share_percent))
    if result.walk_away_monthly is not None and result.above_walk_away is not None:
        key = "offer.walk_away.above" if result.above_walk_away else "offer.walk_away.within"
        amount = money(result.walk_away_monthly)
        if result.walk_away_after is not None and result.walk_away_after_from is not None:
            amount += t(
                "offer.walk_away.then",
                date=result.walk_away_after_from.isoformat(),
                amount=money(result.walk_away_after),
            )
        row(t("offer.row.walk_away"), t(key, amount=amount))
    else:
        row(t("offer.row.walk_away"), t("offer.walk_away.unknown"))
    if result.ladder_position is not None:
        row(t("offer.row.position"), t(f"offer.position.{result.ladder_position.value}"))
    row(
        t("offer.row.lpr_multiple", line=_pct(result.lpr_multiple_percent)),
        _yes_no(result.above_lpr_multiple),
    )
    row(
        t("offer.row.court_line", line=_pct(result.court_line_percent)),
        _yes_no(result.above_court_line),
    )
    blocks: list[Block] = [Para(headline(result)), Pairs(rows)]
    comparison = result.compared_with_plan
    if comparison is not None:
        compare = t(
            "offer.compare" if comparison.target else "offer.compare_opening",
            payment=money(comparison.payment),
            total=money(comparison.total),
            payment_difference=_more_or_less(comparison.payment_difference),
            total_difference=_more_or_less(comparison.total_difference),
        )
        blocks.append(Para(compare))
    blocks.append(Para(verdict(result)))
    notes = [
        t(
            "offer.note.lpr",
            line=_pct(result.lpr_multiple_percent),
            lpr=_pct(result.lpr_percent),
            date=result.lpr_effective.isoformat(),
        )
    ]
    if result.lpr_before_table:
        notes.append(
            t(
                "offer.note.lpr_before_table",
                today=result.as_of.isoformat(),
                date=result.lpr_effective.isoformat(),
            )
        )
    notes += [t("offer.note.court_line", line=_pct(result.court_line_percent)), t("offer.note.apr")]
    if result.terms is Terms.FEE_RATE:
        notes.append(t("offer.note.fee_rate"))
    blocks += [Para(note) for note in notes]
    print_blocks(blocks, make_console())


def _more_or_less(difference: Decimal) -> str:
    """A difference in words ("432.96 元 less"): a bare "-432.96" reads as a payment of minus."""
    if not difference:
        return t("offer.diff.same")
    key = "offer.diff.more" if difference > 0 else "offer.diff.less"
    return t(key, amount=money(abs(difference)))
