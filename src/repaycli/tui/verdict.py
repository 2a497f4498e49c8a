"""The offer box's verdict: what ``repaycli offer`` prints, in a few lines for the call."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group
from rich.text import Text

from repaycli.core.offer import LadderPosition, OfferResult
from repaycli.i18n import t
from repaycli.render.numbers import signed_money
from repaycli.render.plan import money as format_money
from repaycli.render.plan import percent


def _pct(value: Decimal) -> str:
    return percent(value)


def verdict_text(result: OfferResult) -> Group:
    """Payment, total, dated APR, the two court lines and the place on the ladder; above the
    walk-away line, a line that says so in words and in reverse video (no colour needed)."""
    from repaycli.tui.call import two_columns

    head: list[Text] = []
    position = result.ladder_position
    above = position is LadderPosition.ABOVE_WALK_AWAY
    if above:
        head.append(Text(t("call.verdict.do_not_agree"), style="bold reverse"))
    payment = t(
        "call.verdict.payment_text",
        payment=format_money(result.payment),
        periods=result.periods,
        first=result.schedule[0].due.isoformat(),
    )
    total = format_money(result.total)
    if result.waived:
        total += t("call.verdict.waived", amount=format_money(result.waived))
    apr = t(
        "call.verdict.apr_text",
        apr=_pct(result.apr_percent),
        compound=_pct(result.apr_compound_percent),
    )
    lines = Text()
    for n, line in enumerate(result.reference_lines):
        key = "call.verdict.line_above" if line.above else "call.verdict.line_below"
        if n:
            lines.append("\n")
        lines.append(
            t(key, line=_pct(line.percent), name=t(f"call.line.{line.id}")),
            style="bold" if line.above else "",
        )
    place = Text()
    if position is None:
        place.append(t("call.verdict.no_line"))
    elif not above:  # above: the first line says it
        place.append(t(f"offer.position.{position.value}"))
    comparison = result.compared_with_plan
    if comparison is not None:
        if place:
            place.append("\n")
        place.append(
            t(
                "call.verdict.compare",
                total_difference=signed_money(comparison.total_difference),
                payment_difference=signed_money(comparison.payment_difference),
            )
        )
    rows = [
        (t("call.verdict.payment"), Text(payment)),
        (t("call.verdict.total"), Text(total)),
        (t("call.verdict.apr"), Text(apr)),
        (t("call.verdict.lines"), lines),
    ]
    if place:
        rows.append((t("call.verdict.position"), place))
    # What `offer` adds in its closing verdict line (above the line, above a reference line, no
    # budget) is said by the rows above: nothing more, so that it fits 80 × 24.
    return Group(*head, two_columns(rows))
