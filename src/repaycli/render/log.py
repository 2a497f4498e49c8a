"""The call log as a table, one entry in full, and exports (CSV, JSON, markdown timeline).

rich is imported only by the terminal views: piped lines and exports are written without it.

Every text a user typed goes through ``user()`` / ``safe_text`` / ``markdown_text`` /
``csv_cell``: it is shown exactly, never read as markup, escapes or formulas.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from repaycli.core.evidence import TEXT_FIELDS, redact
from repaycli.core.export import csv_cell
from repaycli.i18n import get_lang, t
from repaycli.render import TextSink
from repaycli.render.remind import PlatformName, platform_namer
from repaycli.render.safe import markdown_text, one_line, safe_text

if TYPE_CHECKING:
    from rich.console import RenderableType

    from repaycli.core.records import LogEntry

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
    "collection",
    *DETAIL_FIELDS,
    "attachments",
    "corrects",
    "corrected_by",
    "recorded_at",
    "prev_hash",
    "hash",
)


Row = Mapping[str, Any]


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


def redacted(entry: Row) -> dict[str, Any]:
    """An entry (as the store streams it) with personal numbers masked."""
    changed = dict(entry)
    for name in TEXT_FIELDS:
        changed[name] = redact(entry.get(name))
    changed["attachments"] = [{**a, "path": redact(a["path"])} for a in entry["attachments"]]
    return changed


def field_value(entry: Row, name: str, name_of: PlatformName) -> str:
    """One field as plain text (labels for channel and outcome, ids as numbers)."""
    value = entry.get(name)
    if value is None:
        return ""
    if name == "channel":
        return t(f"channel.{value}")
    if name == "outcome":
        return t(f"outcome.{value}")
    if name == "platform":
        return name_of(str(value))
    if name == "attachments":
        return "; ".join(f"{a['path']} (sha256 {a['sha256']})" for a in value)
    return str(value)


def channel_text(entry: Row, name_of: PlatformName) -> str:
    """The channel, marked when the contact was logged as collection (``log add --collection``)."""
    shown = field_value(entry, "channel", name_of)
    return shown + " · " + t("collection.mark") if entry.get("collection") else shown


def _label(name: str) -> str:
    return t(f"logfield.{name}") if name in _LOGFIELDS else t(f"log.col.{name}")


_LOGFIELDS = {"at", "platform", "channel", "outcome", *DETAIL_FIELDS}
#: The columns of ``log list``.
LIST_COLUMNS = ("id", "at", "platform", "channel", "outcome", "offered", "follow_up", "notes")


def _list_cells(entry: Row, name_of: PlatformName) -> list[str]:
    """One entry's ``log list`` cells as safe one-line text (as ``field_value`` gives them, with
    the labels looked up once per run: 100,000 lines spent a third of their time there)."""
    ident = str(entry["id"])
    if entry["corrects"] is not None:
        ident += " " + t("log.corrects_mark", id=entry["corrects"])
    lang = get_lang()
    follow_up, platform = entry["follow_up"], entry["platform"]
    return [
        ident,
        entry["at"][:16].replace("T", " "),  # ``when``
        "" if platform is None else safe_text(name_of(str(platform))),
        _choice_label(lang, "channel", entry["channel"])
        + (" · " + t("collection.mark") if entry.get("collection") else ""),
        _choice_label(lang, "outcome", entry["outcome"]),
        one_line(entry["offered"] or ""),
        "" if follow_up is None else str(follow_up),
        one_line(entry["notes"] or ""),
    ]


@cache
def _choice_label(lang: str, kind: str, value: str | None) -> str:
    """``field_value`` of a channel or an outcome, in ``lang``."""
    return "" if value is None else t(f"{kind}.{value}", lang)


def _list_table(entries: Iterable[Row], name_of: PlatformName, width: int) -> RenderableType:
    """The page as a table by display width: ids, times and dates whole, text wrapped at CJK and
    word boundaries, never cut; on a narrow screen the notes go first."""
    from rich.console import Group
    from rich.text import Text

    from repaycli.render.document import Table, table_renderable

    # the short label over a narrow column: "对方给出的方案" would break mid-word at 80 columns
    headers = [t("log.col.offered_short") if c == "offered" else _label(c) for c in LIST_COLUMNS]
    rows = [_list_cells(entry, name_of) for entry in entries]
    table = Table(headers, rows, whole={1, 6}, drop=(LIST_COLUMNS.index("notes"),))
    return Group(Text(t("log.list_title"), style="bold"), table_renderable(table, width))


def print_list(
    entries: Iterable[Row],
    *,
    filtered: bool = False,
    name_of: PlatformName | None = None,
    page_rows: int | None = None,
    more: Callable[[], bool] | None = None,
    screen_lines: int | None = None,
) -> None:
    """The log as rich tables on a terminal, ``page_rows`` entries a table; after each full page
    ``more()`` says whether to go on (a pager's prompt). Entries are read a page at a time.

    With ``screen_lines``, a page whose entries wrap onto more lines than that (long notes in a
    narrow column) is cut short, so that its top has not scrolled away when the prompt asks; the
    entries left out open the next page."""
    from repaycli.render.console import make_console

    console = make_console()
    name_of = name_of or platform_namer()
    rows: Iterator[Row] = iter(entries)
    page = list(islice(rows, page_rows))
    if not page:
        console.print(t("log.no_match") if filtered else t("log.empty"))
        return
    while page:
        last = page_rows is None or len(page) < page_rows
        table = _list_table(page, name_of, console.width)
        while screen_lines is not None and len(page) > 1:
            height = len(console.render_lines(table, console.options, pad=False))
            if height <= screen_lines:
                break
            keep = max(1, min(len(page) - 1, len(page) * screen_lines // height))
            rows, page, last = chain(page[keep:], rows), page[:keep], False
            table = _list_table(page, name_of, console.width)
        console.print(table)
        if last:
            return
        page = list(islice(rows, page_rows))
        if page and more is not None and not more():
            return


def write_list_plain(
    entries: Iterable[Row], out: TextSink, *, filtered: bool = False, name_of: PlatformName
) -> int:
    """The log for a pipe or a file: a header line, then one line per entry, cells separated by
    tabs (text the user typed has its tabs and line breaks made visible). Returns the count."""
    count = 0
    for entry in entries:
        if not count:
            out.write("\t".join(_label(c) for c in LIST_COLUMNS) + "\n")
        out.write("\t".join(_list_cells(entry, name_of)) + "\n")
        count += 1
    if not count:
        out.write((t("log.no_match") if filtered else t("log.empty")) + "\n")
    return count


def print_entry(entry: LogEntry) -> None:
    from rich.table import Table
    from rich.text import Text

    from repaycli.render.console import make_console

    console = make_console()
    row = entry.model_dump(mode="json")
    name_of = platform_namer()
    table = Table(title=t("log.entry_title", id=entry.id), show_header=False)
    table.add_column("")
    table.add_column("", overflow="fold")  # long text and file hashes wrap, never cut
    rows: list[tuple[str, str]] = [
        (_label("at"), when(entry.at)),
        (_label("platform"), field_value(row, "platform", name_of)),
        (_label("channel"), channel_text(row, name_of)),
        (_label("outcome"), field_value(row, "outcome", name_of)),
    ]
    theirs = entry.direction == "incoming" or entry.collection  # their number, not one dialled
    rows += [
        (
            t("logfield.number_in") if n == "number" and theirs else _label(n),
            field_value(row, n, name_of),
        )
        for n in DETAIL_FIELDS
        if row.get(n)
    ]
    rows += collection_rows(entry)
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
    # Where the label and the hash do not fit one line (Chinese at 80 columns), the hash starts
    # its own line rather than losing its last character to the next one.
    from rich.cells import cell_len

    line = f"{_label('hash')}: {entry.hash}"
    if cell_len(line) > console.width:
        line = f"{_label('hash')}:\n{entry.hash}"
    console.print(line, soft_wrap=True)
    if entry.corrected_by is not None:
        console.print(t("log.superseded", id=entry.id, by=entry.corrected_by))


def collection_rows(entry: LogEntry) -> list[tuple[str, str]]:
    """What a collector sent (``log collection``), as labelled rows: only what was given."""
    rows: list[tuple[str, str]] = []
    if entry.direction:
        rows.append((t("logfield.direction"), t(f"direction.{entry.direction}")))
    if entry.firm:
        rows.append((t("logfield.firm"), entry.firm))
    if entry.claims:
        rows.append((t("logfield.claims"), t(f"claims.{entry.claims}")))
    if entry.threats:
        shown = t("list_sep").join(t(f"threat.{x}") for x in entry.threats)
        rows.append((t("logfield.threats"), shown))
    if entry.said:
        rows.append((t("logfield.said"), entry.said))
    if entry.third_party:
        rows.append((t("logfield.third_party"), entry.third_party))
    return rows


def _stored_money(value: object) -> str:
    """An amount kept in an offer check's JSON (a decimal string), as the screen writes money."""
    from decimal import Decimal, InvalidOperation

    from repaycli.render.numbers import money

    try:
        return money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return "?"


def _stored_percent(value: object) -> str:
    from decimal import Decimal, InvalidOperation

    from repaycli.render.numbers import percent

    try:
        return percent(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return "?"


def print_offer_checks(checks: Sequence[Mapping[str, Any]]) -> None:
    """One line per offer evaluated during this contact (``offer --log``)."""
    from repaycli.render.console import make_console

    console = make_console()
    for check in checks:
        data = check["evaluation"]
        console.print(
            t(
                "log.offer_check",
                at=when(str(check["checked_at"])),
                periods=data.get("periods", "?"),
                payment=_stored_money(data.get("payment")),
                total=_stored_money(data.get("total")),
                apr=_stored_percent(data.get("apr_percent")),
            )
        )


def write_csv(entries: Iterable[Row], out: TextSink, *, name_of: PlatformName) -> int:
    """The log as CSV (header first, CRLF lines, formula-safe cells), written row by row;
    returns the number of entries."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(_label(name)) for name in EXPORT_FIELDS])
    labelled = {"channel", "outcome", "platform"}
    labels: dict[tuple[str, Any], str] = {}  # each channel, outcome and platform: looked up once
    count = 0
    for entry in entries:
        row: list[str] = []
        for name in EXPORT_FIELDS:
            value = entry[name]
            if name in labelled and value is not None:
                key = (name, value)
                if key not in labels:
                    labels[key] = field_value(entry, name, name_of)
                value = labels[key]
            elif name == "attachments":
                value = field_value(entry, name, name_of)
            elif name == "collection":
                value = t("collection.yes") if value else None
            if value is None or value == "":
                row.append("")
                continue
            text = str(value)
            if not text.isprintable():
                text = safe_text(text, keep_newlines=True, keep_tabs=True)
            row.append(csv_cell(text))
        writer.writerow(row)
        count += 1
    return count


def write_markdown(
    entries: Iterable[Row],
    out: TextSink,
    *,
    count: int,
    exported_at: str,
    head: str,
    redact_on: bool,
    name_of: PlatformName,
) -> int:
    """The log as a markdown timeline, ``entries`` in the order the contacts happened, written
    entry by entry; ``count`` (shown in the heading) is known beforehand. Returns the count."""
    lines = [f"# {t('log.md_title')}", ""]
    lines.append(t("log.md_meta", when=when(exported_at), count=count, head=head))
    if redact_on:
        lines += ["", t("log.md_redacted")]
    out.write("\n".join(lines) + "\n")
    md: Callable[[str], str] = markdown_text
    written = 0
    for entry in entries:
        title = " — ".join(
            [
                when(entry["at"]),
                md(field_value(entry, "platform", name_of)),
                channel_text(entry, name_of),
                field_value(entry, "outcome", name_of),
            ]
        )
        lines = ["", f"## {title} (#{entry['id']})", ""]
        if entry["corrects"] is not None:
            lines.append(f"- {t('log.md_corrects', id=entry['corrects'])}")
        if entry["corrected_by"] is not None:
            lines.append(f"- {t('log.md_corrected_by', id=entry['corrected_by'])}")
        for name in DETAIL_FIELDS:
            value = field_value(entry, name, name_of)
            if value:
                # a markdown line break inside the list item for each line the user typed
                parts = value.replace("\r\n", "\n").split("\n")
                lines.append(f"- **{_label(name)}**: " + "  \n  ".join(md(p) for p in parts))
        for a in entry["attachments"]:
            lines.append(f"- **{_label('attachments')}**: {md(a['path'])} (sha256 `{a['sha256']}`)")
        lines.append(f"- {_label('hash')}: `{entry['hash']}`")
        out.write("\n".join(lines) + "\n")
        written += 1
    return written
