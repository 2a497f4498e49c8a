"""The offer box's verdict: what ``repaycli offer`` prints, in a few lines for the call."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text

from repaycli.core.offer import LadderPosition, OfferResult
from repaycli.i18n import t
from repaycli.render.offer import verdict
from repaycli.render.plan import money as format_money


def _pct(value: Decimal) -> str:
    return f"{value:.2f}%"


def verdict_text(result: OfferResult) -> Text:
    """Payment, total, dated APR, the two court lines and the place on the ladder; above the
    walk-away line, a line that says so in words and in reverse video (no colour needed)."""
    text = Text()
    position = result.ladder_position
    if position is LadderPosition.ABOVE_WALK_AWAY:
        text.append(t("call.verdict.do_not_agree"), style="bold reverse")
        text.append("\n")
    text.append(t("call.verdict.payment"), style="bold")
    text.append(
        t(
            "call.verdict.payment_text",
            payment=format_money(result.payment),
            periods=result.periods,
            first=result.schedule[0].due.isoformat(),
        )
    )
    text.append("\n")
    text.append(t("call.verdict.total"), style="bold")
    text.append(t("call.verdict.total_text", total=format_money(result.total)))
    if result.waived:
        text.append(t("call.verdict.waived", amount=format_money(result.waived)))
    text.append("\n")
    text.append(t("call.verdict.apr"), style="bold")
    text.append(
        t(
            "call.verdict.apr_text",
            apr=_pct(result.apr_percent),
            compound=_pct(result.apr_compound_percent),
        )
    )
    text.append("\n")
    text.append(t("call.verdict.lines"), style="bold")
    for n, line in enumerate(result.reference_lines):
        key = "call.verdict.line_above" if line.above else "call.verdict.line_below"
        if n:
            text.append(t("call.verdict.sep"))
        text.append(
            t(key, line=_pct(line.percent), name=t(f"call.line.{line.id}")),
            style="bold" if line.above else "",
        )
    text.append("\n")
    text.append(t("call.verdict.position"), style="bold")
    if position is None:
        text.append(t("call.verdict.no_line"))
    else:
        text.append(
            t(f"offer.position.{position.value}"),
            style="bold" if position is LadderPosition.ABOVE_WALK_AWAY else "",
        )
    comparison = result.compared_with_plan
    if comparison is not None:
        text.append("\n")
        text.append(
            t(
                "call.verdict.compare",
                total_difference=f"{comparison.total_difference:+,.2f}",
                payment_difference=f"{comparison.payment_difference:+,.2f}",
            )
        )
    if position is not LadderPosition.ABOVE_WALK_AWAY:  # else the first line says it all
        text.append("\n")
        text.append(verdict(result))
    return text
