"""Agreements, their schedules and payments as tables and lines of text."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from repaycli.core.agreement_lines import AgreementLine
from repaycli.core.records import AgreementView, PaymentView
from repaycli.i18n import t
from repaycli.render.console import make_console, user
from repaycli.render.log import platform_name
from repaycli.render.numbers import money


def _money(value: Decimal) -> str:
    return money(value)


def _state(view: AgreementView | AgreementLine) -> str:
    if view.void_reason is not None:
        return t("void.state")
    if view.finished:
        return t("agreement.state.finished")
    if view.overdue > 0:
        return t("agreement.state.overdue")
    return t("agreement.state.active")


def print_agreements(views: Sequence[AgreementLine]) -> None:
    console = make_console()
    if not views:
        console.print(t("agreement.empty"))
        return
    from rich.text import Text

    from repaycli.render.document import Table as Columns
    from repaycli.render.document import table_renderable

    columns = ("id", "platform", "total", "paid", "balance", "next_due", "overdue", "state")
    names: dict[str, str] = {}  # platform_name reads the catalogue: once a lender, not a row
    rows = [
        [
            str(v.id),
            names.get(v.platform) or names.setdefault(v.platform, platform_name(v.platform)),
            _money(v.total),
            _money(v.paid),
            _money(v.balance),
            v.next_due.isoformat() if v.next_due else "",
            _money(v.overdue) if v.overdue else "",
            _state(v),
        ]
        for v in views
    ]
    headers = [t(f"agreement.col.{col}") for col in columns]
    # amounts and dates are never cut; a narrow screen loses "paid" (total − balance) first
    table = Columns(headers, rows, right={2, 3, 4, 5, 6}, drop=(3,))
    console.print(Text(t("agreement.list_title"), style="bold"))
    console.print(table_renderable(table, console.width))


def print_agreement(view: AgreementView) -> None:
    from repaycli.render.document import paragraph

    console = make_console()
    console.print(
        paragraph(
            t(
                "agreement.summary",
                id=view.id,
                platform=platform_name(view.platform),
                periods=view.periods,
                total=_money(view.total),
                paid=_money(view.paid),
                balance=_money(view.balance),
                state=_state(view),
            ),
            console.width,
        )
    )
    if view.void_reason is not None:
        console.print(user(t("void.agreement_reason", reason=view.void_reason)))
    if view.log_entry is not None:
        console.print(t("agreement.from_log", id=view.log_entry))
    console.print(_schedule_table(view, console.width))
    if view.payments:
        _print_payments(view, console)
    if view.overpaid:
        console.print(t("agreement.overpaid", amount=_money(view.overpaid)))


def _schedule_table(view: AgreementView, width: int) -> Table:
    """The schedule. A due date or an amount is never cut short ('2026-12-…', '¥1,000.…') or
    broken: when the boxed table is wider than the screen (60 columns, or Chinese amounts with
    their 元), it is drawn with blank rules: one space between columns."""
    from rich import box
    from rich.cells import cell_len

    columns = ("n", "due", "amount", "paid_amount", "left", "status")
    heads = [t(f"agreement.col.{col}") for col in columns]
    rows = [
        [
            str(row.n),
            row.due.isoformat(),
            _money(row.amount),
            _money(row.paid),
            _money(row.left),
            t(f"agreement.status.{row.status.value}"),
        ]
        for row in view.schedule
    ]
    natural = 1 + sum(
        max(cell_len(c) for c in column) + 3 for column in zip(heads, *rows, strict=True)
    )
    compact = natural > width
    table = Table(
        title=t("agreement.schedule_title"),
        box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
        padding=(0, 0) if compact else (0, 1),  # the blank rule between columns is the gap
        pad_edge=not compact,
        show_edge=not compact,
    )
    for col, head in zip(columns, heads, strict=True):
        table.add_column(head, no_wrap=col != "status")
    for cells in rows:
        table.add_row(*cells)
    return table


def _print_payments(view: AgreementView, console: Console) -> None:
    """The payments table. A receipt is an order number copied and compared whole: it is never
    cut short ('…') or folded. When the table cannot hold it on one line, the receipts are
    listed under the table instead, one a line."""
    from rich.cells import cell_len

    heads = [t(f"agreement.col.{col}") for col in ("payment", "date", "amount", "applied_to")]
    rows = []
    for p in view.payments:
        parts = ", ".join(f"#{a.n} {_money(a.amount)}" for a in p.allocations)
        if p.excess:
            parts += ("; " if parts else "") + t("agreement.excess", amount=_money(p.excess))
        if p.void_reason is not None:
            parts = t("void.payment_reason", reason=p.void_reason)
        rows.append([str(p.id), p.paid_on.isoformat(), _money(p.amount), parts, p.receipt or ""])
    receipt_head = t("agreement.col.receipt")
    natural = sum(
        max(cell_len(cell) for cell in column) + 3
        for column in zip([*heads, receipt_head], *rows, strict=True)
    )
    below = natural + 1 > console.width and any(row[4] for row in rows)
    paid = Table(title=t("agreement.payments_title"))
    for head in heads:
        paid.add_column(head)
    if not below:
        paid.add_column(receipt_head)
    for row in rows:
        cells: list[str | Text] = [row[0], row[1], row[2], user(row[3])]
        paid.add_row(*cells, *([] if below else [user(row[4])]))
    console.print(paid)
    if below:
        for row in rows:
            if row[4]:
                console.print(Text(f"{heads[0]} #{row[0]} · {receipt_head} ") + user(row[4]))


def print_payment(payment: PaymentView, view: AgreementView) -> None:
    console = make_console()
    console.print(
        t("pay.recorded", id=payment.id, amount=_money(payment.amount), agreement=view.id)
    )
    by_n = {row.n: row for row in view.schedule}
    for a in payment.allocations:
        row = by_n[a.n]
        key = "pay.full" if row.left == 0 else "pay.partial"
        console.print(
            t(key, n=a.n, amount=_money(a.amount), left=_money(row.left), due=row.due.isoformat())
        )
    if payment.excess:
        console.print(t("pay.overpaid", amount=_money(payment.excess)))
    if view.finished:
        console.print(t("pay.finished", agreement=view.id))
    else:
        console.print(t("pay.balance", balance=_money(view.balance), next=str(view.next_due)))
