"""The platform catalogue as a table."""

from __future__ import annotations

from rich.table import Table

from repaycli.core.models import Catalogue
from repaycli.i18n import get_lang, t
from repaycli.render.console import make_console


def print_platforms(catalogue: Catalogue) -> None:
    lang = get_lang()
    table = Table(title=t("platforms.title"), show_lines=False)
    for column in ("id", "name", "kind", "hotline", "periods", "annual_rate", "penalty"):
        table.add_column(t(f"platforms.col.{column}"))
    for platform in catalogue.platforms:
        mark = t("platforms.unconfirmed_mark")
        table.add_row(
            platform.id,
            platform.name(lang),
            t(f"kind.{platform.kind.value}"),
            (platform.hotline or t("platforms.no_hotline"))
            + (mark if "hotline" in platform.unconfirmed else ""),
            "/".join(str(p) for p in platform.periods),
            f"{platform.annual_rate * 100:.2f}%"
            + (mark if "annual_rate" in platform.unconfirmed else ""),
            f"{platform.penalty_rate_daily * 100:.3f}%"
            + (mark if "penalty_rate_daily" in platform.unconfirmed else ""),
        )
    console = make_console()
    console.print(table)
    console.print(t("platforms.footer"))
