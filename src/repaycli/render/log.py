"""The call log as a table, one entry in full, and exports (CSV, JSON, markdown timeline).

Every text a user typed goes through ``user()`` / ``safe_text`` / ``markdown_text`` /
``csv_cell``: it is shown exactly, never read as markup, escapes or formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text

from repaycli.core.evidence import TEXT_FIELDS, redact
from repaycli.core.export import csv_cell
from repaycli.core.records import LogEntry
from repaycli.i18n import get_lang, t
from repaycli.render.console import make_console, user
from repaycli.render.safe import markdown_text, one_line, safe_text

#: Text fields in the order they are shown (after time, platform, channel and outcome).
DETAIL_FIELDS = (
    "number",
    "agent",
    "ref",
    "asked",
    "offered",
    "agreed_terms",
    "confirmation",
    "follow_up",
    "follow_up_action",
    "notes",
)
EXPORT_FIELDS = (
    "id",
    "at",
    "platform",
    "channel",
    "outcome",
    *DETAIL_FIELDS,
    "attachments",
    "corrects",
    "corrected_by",
    "recorded_at",
    "prev_hash",
    "hash",
)


def platform_name(platform_id: str) -> str:
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    try:
        return load_catalogue(user_platforms_file()).get(platform_id).name(get_lang())
    except Exception:  # an id the user's catalogue no longer has: show the id
        return platform_id


def when(stamp: str) -> str:
    """``2026-11-21T14:30:00+08:00`` → ``2026-11-21 14:30``."""
    return stamp[:16].replace("T", " ")


def redacted(entry: LogEntry) -> LogEntry:
    changes: dict[str, object] = {name: redact(getattr(entry, name)) for name in TEXT_FIELDS}
    changes["attachments"] = [
        a.model_copy(update={"path": redact(a.path)}) for a in entry.attachments
    ]
    return entry.model_copy(update=changes)


def field_value(entry: LogEntry, name: str) -> str:
    """One field as plain text (labels for channel and outcome, ids as numbers)."""
    value = getattr(entry, name)
    if value is None:
        return ""
    if name == "channel":
        return t(f"channel.{value}")
    if name == "outcome":
        return t(f"outcome.{value}")
    if name == "platform":
        return platform_name(str(value))
    if name == "attachments":
        return "; ".join(f"{a.path} (sha256 {a.sha256})" for a in entry.attachments)
    return str(value)


def _label(name: str) -> str:
    return t(f"logfield.{name}") if name in _LOGFIELDS else t(f"log.col.{name}")


_LOGFIELDS = {"at", "platform", "channel", "outcome", *DETAIL_FIELDS}


def print_list(entries: Sequence[LogEntry], *, filtered: bool = False) -> None:
    console = make_console()
    if not entries:
        console.print(t("log.no_match") if filtered else t("log.empty"))
        return
    table = Table(title=t("log.list_title"))
    for column in ("id", "at", "platform", "channel", "outcome", "offered", "follow_up", "notes"):
        table.add_column(_label(column), overflow="fold")  # narrow: wrap, never cut
    for entry in entries:
        ident = Text(str(entry.id))
        if entry.corrects is not None:
            ident.append(" " + t("log.corrects_mark", id=entry.corrects))
        table.add_row(
            ident,
            when(entry.at),
            user(field_value(entry, "platform")),
            field_value(entry, "channel"),
            field_value(entry, "outcome"),
            Text(one_line(entry.offered or "")),
            field_value(entry, "follow_up"),
            Text(one_line(entry.notes or "")),
        )
    console.print(table)


def print_entry(entry: LogEntry) -> None:
    console = make_console()
    table = Table(title=t("log.entry_title", id=entry.id), show_header=False)
    table.add_column("")
    table.add_column("", overflow="fold")  # long text and file hashes wrap, never cut
    rows: list[tuple[str, str]] = [
        (_label("at"), when(entry.at)),
        (_label("platform"), field_value(entry, "platform")),
        (_label("channel"), field_value(entry, "channel")),
        (_label("outcome"), field_value(entry, "outcome")),
    ]
    rows += [(_label(n), field_value(entry, n)) for n in DETAIL_FIELDS if getattr(entry, n)]
    rows += [(_label("attachments"), f"{a.path}  sha256 {a.sha256}") for a in entry.attachments]
    if entry.corrects is not None:
        rows.append((_label("corrects"), f"#{entry.corrects}"))
    if entry.follow_up_done_at:
        rows.append((_label("follow_up_done_at"), when(entry.follow_up_done_at)))
    rows.append((_label("recorded_at"), when(entry.recorded_at)))
    for label, value in rows:
        table.add_row(label, Text(safe_text(value, keep_newlines=True)))
    console.print(table)
    # The hash is evidence to compare and copy: whole, on one line (the terminal may wrap it).
    console.print(f"{_label('hash')}: {entry.hash}", soft_wrap=True)
    if entry.corrected_by is not None:
        console.print(t("log.superseded", id=entry.id, by=entry.corrected_by))


def print_offer_checks(checks: Sequence[Mapping[str, Any]]) -> None:
    """One line per offer evaluated during this contact (``offer --log``)."""
    console = make_console()
    for check in checks:
        data = check["evaluation"]
        console.print(
            t(
                "log.offer_check",
                at=when(str(check["checked_at"])),
                periods=data.get("periods", "?"),
                payment=data.get("payment", "?"),
                total=data.get("total", "?"),
                apr=data.get("apr_percent", "?"),
            )
        )


def export_csv(entries: Sequence[LogEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(_label(name)) for name in EXPORT_FIELDS])
    for entry in entries:
        writer.writerow(
            [
                csv_cell(safe_text(field_value(entry, name), keep_newlines=True, keep_tabs=True))
                for name in EXPORT_FIELDS
            ]
        )
    return buffer.getvalue()


def export_markdown(
    entries: Sequence[LogEntry], *, exported_at: str, head: str, redact_on: bool
) -> str:
    lines = [f"# {t('log.md_title')}", ""]
    lines.append(t("log.md_meta", when=when(exported_at), count=len(entries), head=head))
    if redact_on:
        lines += ["", t("log.md_redacted")]
    ordered = sorted(entries, key=lambda e: (datetime.fromisoformat(e.at), e.id))
    md: Callable[[str], str] = markdown_text
    for entry in ordered:
        title = " — ".join(
            [
                when(entry.at),
                md(field_value(entry, "platform")),
                field_value(entry, "channel"),
                field_value(entry, "outcome"),
            ]
        )
        lines += ["", f"## {title} (#{entry.id})", ""]
        if entry.corrects is not None:
            lines.append(f"- {t('log.md_corrects', id=entry.corrects)}")
        if entry.corrected_by is not None:
            lines.append(f"- {t('log.md_corrected_by', id=entry.corrected_by)}")
        for name in DETAIL_FIELDS:
            value = field_value(entry, name)
            if value:
                # a markdown line break inside the list item for each line the user typed
                parts = value.replace("\r\n", "\n").split("\n")
                lines.append(f"- **{_label(name)}**: " + "  \n  ".join(md(p) for p in parts))
        for a in entry.attachments:
            lines.append(f"- **{_label('attachments')}**: {md(a.path)} (sha256 `{a.sha256}`)")
        lines.append(f"- {_label('hash')}: `{entry.hash}`")
    return "\n".join(lines) + "\n"
