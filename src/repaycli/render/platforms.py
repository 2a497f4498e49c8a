"""The platform catalogue as a table."""

from __future__ import annotations

from rich.text import Text

from repaycli.core.models import Catalogue
from repaycli.i18n import get_lang, t
from repaycli.render.console import make_console
from repaycli.render.document import Table, paragraph, table_renderable
from repaycli.render.numbers import daily_percent, percent


def print_platforms(catalogue: Catalogue) -> None:
    lang = get_lang()
    mark = t("platforms.unconfirmed_mark")

    def marked(value: str, figure: str, unconfirmed: list[str]) -> str:
        return value + (mark if figure in unconfirmed else "")

    rows = [
        [
            p.id,
            p.name(lang),
            t(f"kind.{p.kind.value}"),
            marked(p.hotline or t("platforms.no_hotline"), "hotline", p.unconfirmed),
            "/".join(str(n) for n in p.periods),
            marked(percent(p.annual_rate * 100), "annual_rate", p.unconfirmed),
            marked(daily_percent(p.penalty_rate_daily * 100), "penalty_rate_daily", p.unconfirmed),
        ]
        for p in catalogue.platforms
    ]
    headers = [
        t(f"platforms.col.{c}")
        for c in ("id", "name", "kind", "hotline", "periods", "annual_rate", "penalty")
    ]
    console = make_console()
    console.print(Text(t("platforms.title"), style="bold"))
    # names and hotlines never break (工商银行信用卡, "see the app *"); at 80 columns the daily
    # penalty (the same default on every row) and then the kind make room, so it stays a table
    table = Table(headers, rows, right={5, 6}, whole={1, 3}, drop=(6, 2))
    console.print(table_renderable(table, console.width))
    console.print(paragraph(t("platforms.footer"), console.width))  # the command kept whole
