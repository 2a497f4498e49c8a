"""What ``pay --import`` did, as lines of text that read well at 80 columns."""

from __future__ import annotations

from repaycli.core.bills.match import Ambiguous, Matching, Unplaced
from repaycli.core.bills.rows import BillRow
from repaycli.i18n import t
from repaycli.render.log import platform_name
from repaycli.render.numbers import money
from repaycli.render.safe import safe_text
from repaycli.services.bills import ImportResult


def _row(row: BillRow) -> str:
    who = safe_text(row.counterparty or row.item or row.category)
    return f"{row.at:%Y-%m-%d}  {money(row.amount)}  {who}"


def _unplaced(item: Unplaced) -> str:
    names = ", ".join(platform_name(p) for p in item.platforms)
    reason = t(f"bills.why.{item.why.value}", platforms=names)
    return f"  {_row(item.row)} — {reason}"


def ambiguous_lines(items: list[Ambiguous]) -> list[str]:
    lines = []
    for item in items:
        order = t("bills.order_ref", order=safe_text(item.row.order_no))
        lines.append(f"  {_row(item.row)}  {order}")
        for c in item.candidates:
            lines.append(
                "    "
                + t(
                    "bills.candidate",
                    agreement=c.agreement_id,
                    platform=platform_name(c.platform),
                    n=c.n,
                    due=c.due.isoformat(),
                    amount=money(c.left),
                )
            )
    return lines


def matching_lines(matching: Matching, *, recorded: bool) -> list[str]:
    lines: list[str] = []
    if matching.matched:
        lines.append(t("bills.matched_title" if recorded else "bills.would_match_title"))
        for m in matching.matched:
            lines.append(f"  {_row(m.row)}")
            lines.append(
                "    "
                + t(
                    "bills.placed" if m.last == m.n else "bills.placed_many",
                    agreement=m.agreement_id,
                    platform=platform_name(m.platform),
                    n=m.n,
                    last=m.last,
                    due=m.due.isoformat(),
                    receipt=safe_text(m.row.order_no),
                )
            )
    if matching.ambiguous:
        lines.append(t("bills.ambiguous_title"))
        lines += ambiguous_lines(matching.ambiguous)
    if matching.unplaced:
        lines.append(t("bills.unplaced_title"))
        lines += [_unplaced(u) for u in matching.unplaced]
    if matching.already:
        lines.append(t("bills.already", count=len(matching.already)))
    return lines


def import_text(result: ImportResult) -> str:
    lines = [
        t(
            "bills.summary",
            file=safe_text(result.file),
            source=t(f"bills.source.{result.source}"),
            rows=result.rows,
            repayments=result.repayments,
        ),
        t("bills.sha256", sha256=result.sha256),
    ]
    lines += matching_lines(result.matching, recorded=result.import_id is not None)
    if result.import_id is not None:
        lines.append(t("bills.recorded", count=len(result.recorded), id=result.import_id))
    else:
        lines.append(t("bills.nothing_new"))
    if result.still_due:
        lines.append(t("bills.still_due_title"))
        for d in result.still_due:
            lines.append(
                "  "
                + t(
                    "bills.still_due",
                    agreement=d.agreement_id,
                    platform=platform_name(d.platform),
                    n=d.n,
                    due=d.due.isoformat(),
                    amount=money(d.left),
                )
            )
    return folded(lines)


def folded(lines: list[str], cells: int | None = None) -> str:
    """Each line broken at the screen's width, its continuation indented under its text."""
    from repaycli.render.console import make_console
    from repaycli.render.wrap import wrap

    room = cells or make_console().width
    out: list[str] = []
    for line in lines:
        lead = line[: len(line) - len(line.lstrip(" "))]
        out += wrap(line.lstrip(" "), room, indent=lead, subsequent=lead + "  ")
    return "\n".join(out)
