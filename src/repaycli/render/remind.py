"""Views of ``repaycli remind``: plain lines for cron and pipes, rich tables on a terminal.

The plain view imports nothing heavy (no rich), so a cron run stays quick; its text has no escape
codes, and text the user typed (an action, a platform name) is shown literally.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from repaycli.core.reminders import ItemKind, Reminder, Reminders
from repaycli.i18n import get_lang, t
from repaycli.render.numbers import money
from repaycli.render.safe import safe_text

PlatformName = Callable[[str], str]


def platform_namer(lang: str | None = None) -> PlatformName:
    """Platform id → its name in the catalogue (in the current language), else the id itself.
    Without a user catalogue the names are read from the shipped file (no pydantic)."""
    from repaycli.catalog import load_catalogue, platform_names
    from repaycli.paths import user_platforms_file

    lang = lang or get_lang()
    user_file = user_platforms_file()
    names = platform_names(lang, user_file)
    if names is None:
        try:
            catalogue = load_catalogue(user_file)
        except Exception:  # a broken user catalogue must not stop the reminders
            return safe_text
        names = {p.id: p.name(lang) for p in catalogue.platforms}
    shown = {pid: safe_text(name) for pid, name in names.items()}  # made once, not per event
    return lambda pid: shown[pid] if pid in shown else safe_text(pid)


def status(item: Reminder) -> str:
    """``3 days overdue`` / ``today`` / ``tomorrow`` / ``in 2 days``."""
    if item.overdue:
        if item.days_overdue == 1:
            return t("remind.one_day_overdue")
        return t("remind.days_overdue", days=item.days_overdue)
    if item.days_left == 0:
        return t("remind.due_today")
    if item.days_left == 1:
        return t("remind.due_tomorrow")
    return t("remind.due_in", days=item.days_left)


#: Message keys (installment, follow-up with action, follow-up without) for a report line and
#: for the shorter calendar summary.
_KEYS = {
    False: ("remind.installment", "remind.follow_up", "remind.follow_up_plain"),
    True: ("remind.ics_installment", "remind.ics_follow_up_action", "remind.ics_follow_up"),
}


def describe(item: Reminder, name: PlatformName, *, calendar: bool = False) -> str:
    """What to do, for which platform, how much (or the action the user wrote down), with any
    control characters in that text made visible."""
    installment, with_action, plain = _KEYS[calendar]
    platform = name(item.platform)
    if item.kind is ItemKind.INSTALLMENT:
        return t(
            installment,
            amount=money(item.amount if item.amount is not None else Decimal(0)),
            platform=platform,
            n=item.installment,
            agreement=item.agreement_id,
        )
    if item.action:
        return t(with_action, platform=platform, entry=item.entry_id, action=safe_text(item.action))
    return t(plain, platform=platform, entry=item.entry_id)


def _width(text: str) -> int:
    from repaycli.render.wrap import width

    return width(text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def _title(kind: str, items: list[Reminder], amount: Decimal, **params: object) -> str:
    """``Overdue: 3 (installments 2,000.00 yuan)``; without the sum when only follow-ups."""
    if any(i.kind is ItemKind.INSTALLMENT for i in items):
        return t(f"remind.{kind}_title", count=len(items), amount=money(amount), **params)
    return t(f"remind.{kind}_title_plain", count=len(items), **params)


def _groups(result: Reminders) -> list[tuple[str, list[Reminder]]]:
    groups: list[tuple[str, list[Reminder]]] = []
    if result.overdue:
        groups.append((_title("overdue", result.overdue, result.overdue_amount), result.overdue))
    if result.upcoming:
        title = _title(
            "upcoming", result.upcoming, result.upcoming_amount, until=result.until.isoformat()
        )
        groups.append((title, result.upcoming))
    return groups


def collection_lines(result: Reminders, name: PlatformName) -> list[str]:
    """Contacts logged as collection after an agreement (art. 70: collection stops), with a
    blank line before; none when there are none."""
    flags = result.collection_after_agreement
    if not flags:
        return []
    lines = ["", t("remind.collection_title", count=len(flags))]
    for flag in flags:
        since = (
            t("remind.collection_since_entry", id=flag.agreed_entry)
            if flag.agreed_entry is not None
            else t("remind.collection_since_agreement", id=flag.agreement_id)
        )
        what = t("remind.collection_item", id=flag.entry_id, platform=name(flag.platform))
        lines.append(f"  {flag.at[:16].replace('T', ' ')}  {safe_text(what)}{since}")
    lines.append("  " + t("remind.collection_hint"))
    return lines


def plain_text(
    result: Reminders, name: PlatformName | None = None, *, cells: int | None = None
) -> str:
    """The report as plain lines; the empty string when nothing is due (cron stays silent).
    With ``cells`` (a known screen width), lines are broken to it by display width."""
    if result.empty:
        return ""
    from repaycli.render.wrap import wrap

    def fit(text: str, indent: str = "") -> list[str]:
        return [indent + text] if cells is None else wrap(text, cells, indent=indent)
    name = name or platform_namer()
    statuses = [status(i) for i in (*result.overdue, *result.upcoming)]
    width = max(_width(s) for s in statuses)
    lines: list[str] = []
    for title, items in _groups(result):
        if lines:
            lines.append("")
        lines += fit(title)
        for item in items:
            when = _pad(status(item), width)
            lines += fit(describe(item, name), f"  {item.due.isoformat()}  {when}  ")
    lines += collection_lines(result, name)
    lines += ["", *fit(t("remind.hint"))]
    return "\n".join(lines) + "\n"


def print_rich(result: Reminders, name: PlatformName | None = None) -> None:
    """The report as tables (on a terminal); prints nothing when nothing is due."""
    if result.empty:
        return
    from rich.table import Table
    from rich.text import Text

    from repaycli.render.console import make_console

    name = name or platform_namer()
    console = make_console()
    for title, items in _groups(result):
        table = Table(title=title, title_justify="left", show_header=True)
        table.add_column(t("remind.col_when"), no_wrap=True)
        table.add_column(t("remind.col_status"), no_wrap=True)
        # Text typed without spaces (Chinese) is one "word" to rich: folded, not cut with "…"
        table.add_column(t("remind.col_what"), overflow="fold")
        for item in items:
            style = "bold red" if item.overdue else ("bold" if item.days_left == 0 else "")
            table.add_row(
                item.due.isoformat(),
                Text(status(item), style=style),
                Text(describe(item, name)),
            )
        console.print(table)
    for line in collection_lines(result, name):
        console.print(Text(line, style="bold red" if line and not line[0].isspace() else ""))
    console.print(Text(t("remind.hint"), style="dim"))
