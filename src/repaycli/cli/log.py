"""``repaycli log``: record contacts with lenders (append-only, hash-chained) and export them."""

from __future__ import annotations

import bisect
import hashlib
import io
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, nullcontext
from datetime import date, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TextIO

import typer

from repaycli.cli.common import (
    JsonOption,
    LangOption,
    NoInputOption,
    StdoutWriter,
    ask,
    command_lang,
    forget_input_ended,
    have_database,
    input_ended,
    now,
    read_answer,
    today,
    write_out,
    write_wrapped,
)
from repaycli.errors import BadInput, Failure
from repaycli.files import private_file
from repaycli.i18n import t
from repaycli.render import TextSink
from repaycli.services.log import MAX_TEXT as MAX_TEXT  # re-exported for other commands
from repaycli.services.log import choice_words, field_parser, parse_choice
from repaycli.services.log import parse_platform as parse_platform
from repaycli.services.log import parse_text as parse_text

JSON_SCHEMA_VERSION = 1
#: The largest number SQLite takes: a larger ``--limit`` means "all" (it overflowed before).
SQLITE_MAX_INT = 2**63 - 1

log_app = typer.Typer(
    name="log",
    help="The call log: every contact with a lender, kept as evidence (append-only).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "markdown"


def flag_of(name: str) -> str:
    return "--" + name.replace("_", "-")


# --- parsing one field ------------------------------------------------------------------------


def parse_attachment(value: str) -> dict[str, Any]:
    """A file named as evidence: its absolute path, size and SHA-256 now (it is not copied)."""
    path = Path(value).expanduser()
    try:
        path = path.resolve(strict=True)
        if not path.is_file():
            raise IsADirectoryError(21, "not a file")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        size = path.stat().st_size
    except OSError as exc:
        raise BadInput("err.file_read", path=value, detail=exc.strerror or str(exc)) from exc
    return {"path": str(path), "size": size, "sha256": digest.hexdigest()}


def _as_default(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def gather(
    given: dict[str, str | None],
    *,
    no_input: bool,
    clock: datetime,
    base: dict[str, Any] | None,
    direction: str | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Every log-template field: from its flag, else asked (``base``: the entry being corrected,
    whose values become the defaults; ``skip``: fields not asked, left empty unless given). An
    incoming contact (``direction``, or a collector's channel) asks for their number, not the
    one dialled, and is collection unless told otherwise."""
    from repaycli.catalog import load_log_fields
    from repaycli.services.collection import is_incoming

    values: dict[str, Any] = {}
    for spec in load_log_fields():
        if spec.name in skip and given.get(spec.name) is None:
            values[spec.name] = None
            continue
        incoming = is_incoming(values.get("channel"), direction)
        parse = field_parser(spec, clock, values)
        raw = given.get(spec.name)
        if raw is not None:
            values[spec.name] = parse(raw) if (raw.strip() or spec.required) else None
            if spec.required and values[spec.name] in (None, ""):
                raise BadInput("err.log_empty", field=spec.name)
            continue
        default = _as_default(base.get(spec.name)) if base else None
        if spec.name == "at" and default is None:
            default = t("time.now")
        elif spec.name == "collection" and default is None:
            default = t("collection.yes" if incoming else "collection.no")
        label = t(f"logfield.{spec.name}")
        if spec.name == "number" and incoming:
            label = t("logfield.number_in")
        if spec.choices:
            label += " [" + choice_words(spec.name, spec.choices, "/") + "]"
        answer = ask(
            label,
            parse,
            flag=flag_of(spec.name),
            no_input=no_input,
            optional=not spec.required and default is None,
            default=default,
        )
        values[spec.name] = answer if answer != "" else None
    return values


# --- commands ---------------------------------------------------------------------------------


def _text_opt(name: str, help_text: str) -> Any:
    return typer.Option(flag_of(name), help=help_text)


@log_app.command("add")
def add(
    *,
    platform: Annotated[
        str | None, _text_opt("platform", "Platform id or name (huabei, 花呗, 借呗 …).")
    ] = None,
    channel: Annotated[
        str | None,
        _text_opt("channel", "phone, app_chat, online_chat, email, letter or in_person."),
    ] = None,
    collection: Annotated[
        bool | None,
        typer.Option(
            "--collection/--not-collection",
            help="They contacted me to collect (the lender or its agent): flagged after an "
            "agreement.",
        ),
    ] = None,
    at: Annotated[
        str | None, _text_opt("at", "When: 2026-11-21 14:30, today, -1d (default now).")
    ] = None,
    number: Annotated[str | None, _text_opt("number", "The number dialled.")] = None,
    agent: Annotated[str | None, _text_opt("agent", "Agent name or staff ID.")] = None,
    ref: Annotated[str | None, _text_opt("ref", "Reference / ticket number.")] = None,
    asked: Annotated[str | None, _text_opt("asked", "What I asked for.")] = None,
    offered: Annotated[str | None, _text_opt("offered", "What they offered.")] = None,
    outcome: Annotated[
        str | None,
        _text_opt("outcome", "no_answer, refused, pending, callback_promised or agreed."),
    ] = None,
    agreed_terms: Annotated[str | None, _text_opt("agreed_terms", "The terms agreed.")] = None,
    confirmation: Annotated[
        str | None, _text_opt("confirmation", "Written confirmation, and where it is.")
    ] = None,
    follow_up: Annotated[
        str | None, _text_opt("follow_up", "Follow-up date (+3d, 2026-12-01).")
    ] = None,
    follow_up_action: Annotated[
        str | None, _text_opt("follow_up_action", "What to do on the follow-up date.")
    ] = None,
    notes: Annotated[str | None, _text_opt("notes", "Notes (kept exactly as typed).")] = None,
    direction: Annotated[
        str | None, _text_opt("direction", "incoming (they contacted me) or outgoing.")
    ] = None,
    firm: Annotated[str | None, _text_opt("firm", "The firm they say they are from.")] = None,
    claims: Annotated[
        str | None, _text_opt("claims", "They claim to be: lender, agency, lawyer or court.")
    ] = None,
    threat: Annotated[
        list[str] | None,
        typer.Option("--threat", help="A threat made (third_party, arrest …); may be repeated."),
    ] = None,
    said: Annotated[str | None, _text_opt("said", "What was said: an SMS pasted as it is.")] = None,
    third_party: Annotated[
        str | None, _text_opt("third_party", "The third party they contacted (妹妹, 单位 …).")
    ] = None,
    attach: Annotated[
        list[str] | None,
        typer.Option("--attach", help="A file to cite (recorded with its SHA-256, not copied)."),
    ] = None,
    corrects: Annotated[
        int | None,
        typer.Option("--corrects", help="Id of the entry this one corrects (no edits: append)."),
    ] = None,
    no_input: NoInputOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Record one contact with a lender; asks for the call-log fields no flag gave."""
    command_lang(lang)
    from repaycli import store
    from repaycli.core.records import Attachment
    from repaycli.services.log import record_contact

    clock = now()
    given = {
        "platform": platform,
        "channel": channel,
        "collection": None if collection is None else ("yes" if collection else "no"),
        "at": at,
        "number": number,
        "agent": agent,
        "ref": ref,
        "asked": asked,
        "offered": offered,
        "outcome": outcome,
        "agreed_terms": agreed_terms,
        "confirmation": confirmation,
        "follow_up": follow_up,
        "follow_up_action": follow_up_action,
        "notes": notes,
    }
    from repaycli.services.collection import complete_detail, read_detail

    detail = read_detail(
        {
            "direction": direction,
            "firm": firm,
            "claims": claims,
            "threats": ",".join(threat) if threat else None,
            "said": said,
            "third_party": third_party,
        }
    )
    files = [Attachment.model_validate(parse_attachment(p)) for p in attach or []]
    with store.opened() as conn:
        base: dict[str, Any] | None = None
        if corrects is not None:
            original = store.get_contact(conn, corrects)
            if original.corrected_by is not None:
                raise BadInput("err.log_already_corrected", id=corrects, by=original.corrected_by)
            base = original.model_dump()
            base["at"] = original.at
            base["collection"] = "yes" if original.collection else "no"
            if not files:
                files = list(original.attachments)
        if base is not None:
            for name, value in detail.items():
                if value is None:
                    detail[name] = base.get(name)
        forget_input_ended()
        values = gather(
            given, no_input=no_input, clock=clock, base=base, direction=detail["direction"]
        )
        if input_ended():  # the answers stopped half-way: nothing is recorded
            raise BadInput("harden.err.input_ended_nothing_written")
        values = complete_detail({**values, **detail})
        entry = record_contact(conn, values, clock=clock, attachments=files, corrects=corrects)
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "entry": entry}))
        return
    if entry.corrects is not None:
        write_out(t("log.added_correction", id=entry.id, corrects=entry.corrects))
    else:
        write_out(t("log.added", id=entry.id))


@log_app.command("list")
def list_(
    *,
    platform: Annotated[str | None, typer.Option("--platform", help="Only this platform.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date (inclusive).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Up to this date (inclusive).")
    ] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help="Only this outcome.")] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most N entries (the newest).")
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """List contacts, newest first (corrected entries show their latest version).

    On a terminal: a table a page at a time. Piped or redirected: a header line, then one line
    per entry with tab-separated cells.
    """
    command_lang(lang)
    from repaycli import store
    from repaycli.catalog import load_log_fields
    from repaycli.core.dates import parse_date

    day = today()
    platform_id = parse_platform(platform) if platform is not None else None

    def back(text: str | None, field: str) -> date | None:  # 12月1日 is the last one, not the next
        return None if text is None else parse_date(text, today=day, field=field, prefer="past")

    since_day, until_day = back(since, "since"), back(until, "until")
    outcome_id = None
    if outcome is not None:
        spec = next(f for f in load_log_fields() if f.name == "outcome")
        outcome_id = parse_choice("outcome", spec.choices)(outcome)
    filtered = any(v is not None for v in (platform, since, until, outcome))
    with ExitStack() as stack:
        entries: Iterator[dict[str, Any]] = iter(())
        if have_database():
            conn = stack.enter_context(store.opened(read_only=True))
            entries = store.iter_contacts(
                conn,
                platform=platform_id,
                since=since_day,
                until=until_day,
                outcome=outcome_id,
                limit=None if limit is None else min(limit, SQLITE_MAX_INT),  # 10**30: all
            )
        if json_out:
            from repaycli.render.json import write_json_stream

            out = StdoutWriter()
            head = {"schema_version": JSON_SCHEMA_VERSION}
            write_json_stream(head, "entries", entries, out)
            out.write("\n")
            out.flush()
            return
        from repaycli.render.remind import platform_namer

        name_of = platform_namer()
        if sys.stdout.isatty():
            from repaycli.render.log import print_list

            rows = shutil.get_terminal_size().lines
            more = _more if sys.stdin.isatty() else None
            print_list(
                entries,
                filtered=filtered,
                name_of=name_of,
                page_rows=max(PAGE_MIN, (rows - 6) // 2),
                more=more,
                screen_lines=rows - 1 if more is not None else None,  # a line for the prompt
            )
            return
        from repaycli.render.log import write_list_plain

        out = StdoutWriter()
        write_list_plain(entries, out, filtered=filtered, name_of=name_of)
        out.flush()


#: The fewest entries a terminal page of ``log list`` shows (each takes two lines or more).
PAGE_MIN = 5


def _more() -> bool:
    """The pager's prompt between two pages of ``log list``: go on unless ``q`` or end of input."""
    answer = read_answer(t("log.more"))
    return answer is not None and answer.strip().lower() not in ("q", "quit", "退出")


@log_app.command("show")
def show(
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's id.")],
    *,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Show one entry in full, with its hash and any correction."""
    command_lang(lang)
    from repaycli import store

    if not have_database():
        raise BadInput("err.log_unknown_id", id=entry_id)
    with store.opened(read_only=True) as conn:
        entry = store.get_contact(conn, entry_id)
        checks = store.offer_checks(conn, entry_id)
    if json_out:
        from repaycli.render.json import to_json

        payload = {"schema_version": JSON_SCHEMA_VERSION, "entry": entry, "offer_checks": checks}
        write_out(to_json(payload))
        return
    from repaycli.render.log import print_entry, print_offer_checks

    print_entry(entry)
    print_offer_checks(checks)


@log_app.command("done")
def done(
    entry_id: Annotated[
        int, typer.Argument(metavar="ID", help="The entry whose follow-up is done.")
    ],
    *,
    lang: LangOption = None,
) -> None:
    """Close an entry's follow-up (it stops appearing in reminders)."""
    command_lang(lang)
    from repaycli import store

    if not have_database():
        raise BadInput("err.log_unknown_id", id=entry_id)
    with store.opened() as conn:
        closed = store.close_follow_up(conn, entry_id, done_at=now())
    if closed.id != entry_id:  # entry_id was corrected: its latest version carries the follow-up
        write_out(t("log.done_latest", id=closed.id, asked=entry_id))
    else:
        write_out(t("log.done", id=entry_id))


@log_app.command("export")
def export(
    *,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="csv, json or markdown.")
    ] = ExportFormat.MARKDOWN,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    redact_on: Annotated[
        bool, typer.Option("--redact", help="Mask phone, ID-card and bank-card numbers.")
    ] = False,
    redact_names: Annotated[
        bool,
        typer.Option("--redact-names", help="Also mask agents and e-mail addresses."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --output file.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Export the whole log in order, with its hashes, ready to attach to a complaint."""
    command_lang(lang)
    redact_on = redact_on or redact_names
    if output is not None:
        from repaycli.files import check_target

        check_target(output, force=force)
    from repaycli import store
    from repaycli.core import proof
    from repaycli.core.evidence import GENESIS, ChainCheck
    from repaycli.render.remind import platform_namer

    name_of = platform_namer()
    stamp = now().isoformat(timespec="seconds")
    with ExitStack() as stack:
        entries: Iterator[dict[str, Any]] = iter(())
        check, total = ChainCheck(count=0, head=GENESIS), 0
        plan = _Hidden()
        events: Callable[[], Iterator[dict[str, Any]]] = partial(iter, [])
        events_intact = True
        if have_database():
            conn = stack.enter_context(store.opened(read_only=True))
            stack.enter_context(store.snapshot(conn))  # the chains and the rows of one moment
            if fmt is not ExportFormat.CSV:  # JSON and markdown name the chain's head
                check = store.verify_log(conn)
                total = store.count_log(conn)
                if redact_on:
                    plan = _Hidden.of(conn, names=redact_names)
            if fmt is ExportFormat.JSON:  # all the evidence: the events chain too, read twice
                # (its count and head come before the entries, the events after): none kept
                events = partial(_export_events, conn, redact_on)
                events_intact = store.verify_events(conn).intact
            entries = store.iter_log(conn, by_time=fmt is ExportFormat.MARKDOWN)
        if fmt is ExportFormat.MARKDOWN:  # in the order the contacts happened, not the chain's
            entries = (
                proof.export_entry(
                    e, redact_on=redact_on, hidden_before=plan.before(e["id"]), names=redact_names
                )
                for e in entries
            )
        else:
            entries = proof.iter_export_entries(entries, redact_on=redact_on, names=redact_names)
        out: TextSink
        if output is None:
            out = StdoutWriter()
        else:
            handle = stack.enter_context(private_file(output))
            if fmt is ExportFormat.CSV:
                handle.write(b"\xef\xbb\xbf")  # spreadsheets then read the file as UTF-8
            out = _text(handle, stack)
        if fmt is ExportFormat.CSV:
            from repaycli.render.log import write_csv

            count = write_csv(entries, out, name_of=name_of)
        elif fmt is ExportFormat.JSON:
            from repaycli.render.json import write_json_stream

            fields = proof.export_fields(
                exported_at=stamp,
                redact_on=redact_on,
                check=check,
                count=total,
                last_unverifiable=plan.last,
                unverifiable=plan.count,
                events_shown=proof.events_summary(events()),
                events_intact=events_intact,
            )
            sealer = proof.Sealer(fields)

            def sealed(
                items: Iterator[dict[str, Any]], add: Callable[[dict[str, Any]], None]
            ) -> Iterator[dict[str, Any]]:
                for item in items:
                    add(item)
                    yield item

            count = write_json_stream(
                fields,
                "entries",
                sealed(entries, sealer.add),
                out,
                tail=lambda: {
                    "events": sealed(events(), sealer.add_event),
                    "seal": sealer.hexdigest,
                },
            )
            if output is None:
                out.write("\n")
        else:
            from repaycli.render.log import write_markdown

            count = write_markdown(
                ({**e, "hash": e["hash"] or ""} for e in entries),
                out,
                count=total,
                exported_at=stamp,
                head="" if plan.last else check.head,
                redact_on=redact_on,
                name_of=name_of,
            )
        out.flush()
    if output is not None:
        from repaycli.render.safe import safe_text

        shown = safe_text(str(output))
        typer.echo(t("log.exported", count=count, path=shown), err=True)


def _export_events(conn: Any, redact_on: bool) -> Iterator[dict[str, Any]]:
    """The events as a JSON export shows them, read from the database one at a time."""
    from repaycli import store
    from repaycli.core import proof

    return proof.iter_export_events(store.iter_events(conn), redact_on=redact_on)


class _Hidden:
    """Where a redacted export cannot show entries verifiably (``core.proof``), found in one
    pass over the chain before the export is written: the runs of entry ids whose previous
    entry is shown ``unverifiable`` (a few runs, however long the log), how many entries are,
    and whether the last one is."""

    def __init__(self) -> None:
        self.runs: list[tuple[int, int]] = []
        self.count = 0
        self.last = False

    @classmethod
    def of(cls, conn: Any, *, names: bool = False) -> _Hidden:
        from repaycli import store
        from repaycli.core import proof

        found = cls()
        if not store.has_unsalted(conn):  # only entries from before salting can be hidden
            return found
        previous = False
        entries = proof.iter_export_entries(store.iter_log(conn), redact_on=True, names=names)
        for entry in entries:
            entry_id = int(entry["id"])
            if previous:
                if found.runs and found.runs[-1][1] == entry_id - 1:
                    found.runs[-1] = (found.runs[-1][0], entry_id)
                else:
                    found.runs.append((entry_id, entry_id))
            previous = entry.get("unverifiable") is True
            found.count += previous
        found.last = previous
        return found

    def before(self, entry_id: int) -> bool:
        """Whether the entry before ``entry_id`` in the chain is shown ``unverifiable``."""
        at = bisect.bisect_right(self.runs, entry_id, key=lambda run: run[0]) - 1
        return at >= 0 and self.runs[at][0] <= entry_id <= self.runs[at][1]


def _text(handle: BinaryIO, stack: ExitStack) -> TextIO:
    """A UTF-8 text writer over ``handle`` (line ends as written), flushed and let go of — not
    closed — when ``stack`` ends, so that the file's writer can still sync and rename it."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=False)

    def release() -> None:
        text.flush()
        text.detach()

    stack.callback(release)
    return text


@log_app.command("verify")
def verify(
    *,
    export_file: Annotated[
        Path | None,
        typer.Option(
            "--export", help="Also check a JSON export: on its own, and against the database."
        ),
    ] = None,
    fingerprint_code: Annotated[
        str | None,
        typer.Option(
            "--fingerprint", help="Check that the log a fingerprint was taken of is unchanged."
        ),
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Re-compute the hash chain; name the first entry changed or removed (exit 1)."""
    command_lang(lang)
    from repaycli import store
    from repaycli.core import proof
    from repaycli.core.evidence import GENESIS, ChainCheck

    wanted = None
    if fingerprint_code is not None:
        wanted = proof.parse_fingerprint(fingerprint_code)
        if wanted is None:
            raise BadInput("err.fingerprint_bad", value=fingerprint_code[:40])
    given = _ExportFile(export_file) if export_file is not None else None
    check, events = ChainCheck(count=0, head=GENESIS), store.EventCheck(count=0)
    head_at: str | None = None  # the fingerprint's entry and event, by position
    event_head_at: str | None = None
    found: Any = None
    with given if given is not None else nullcontext():
        if have_database():
            with store.opened(read_only=True) as conn, store.snapshot(conn):
                check = store.verify_log(conn)
                events = store.verify_events(conn)
                if given is not None:
                    # compared with every entry and event, field by field, in the same snapshot:
                    # the file and the database read side by side, an entry (event) at a time
                    found = given.check(
                        stored=store.iter_log(conn) if check.intact else None,
                        stored_events=(
                            store.iter_events(conn) if check.intact and events.intact else None
                        ),
                        log_count=check.count,
                    )
                if wanted is not None:  # a fingerprint needs two hashes, not the whole log's
                    head_at = store.contact_hash_at(conn, wanted[0])
                    event_head_at = store.event_hash_at(conn, wanted[1] or 0)
        if given is not None and found is None:
            found = given.check()
    body: dict[str, Any] = {
        "schema_version": JSON_SCHEMA_VERSION,
        "intact": check.intact,
        "entries": check.count,
        "head_hash": check.head if check.intact else None,
        "problem": check.problem,
        "entry_id": check.entry_id,
    }
    body["events"] = {
        "intact": events.intact,
        "count": events.count,
        "problem": events.problem,
        "event_id": events.event_id,
        "kind": events.kind,
        "ref": events.ref,
        "name": events.name,
    }
    lines: list[str] = []
    failure: Failure | None = None
    if not check.intact:
        failure = Failure(f"log.verify_{check.problem}", id=check.entry_id)
    elif not events.intact:
        what = t(f"evidence.kind.{events.kind}") if events.kind else ""
        failure = Failure(
            f"evidence.{events.problem}",
            id=events.event_id,
            what=what,
            ref=events.ref,
            name=events.name,
        )
    elif check.count:
        lines.append(t("log.verify_ok", count=check.count, head=check.head))
    if failure is None and events.count:
        lines.append(t("evidence.events_ok", count=events.count))
    if failure is None and not lines and export_file is None and wanted is None:
        lines.append(t("log.verify_nothing"))
    if found is not None:
        body["export"] = _export_body(found)
        if not found.intact:
            failure = failure or Failure(
                f"evidence.export_{found.problem}",
                id=found.entry_id,
                count=found.count,
                stated=found.stated,
                field=found.field,
            )
        else:
            lines.append(_export_ok(found))
    if wanted is not None and failure is None:
        count, n_events, prefix = wanted
        head = GENESIS if count == 0 else None
        if count > 0 and head_at is not None:
            head = head_at
        if n_events is None:  # a code from before events were bound in: the log's head only
            matches = count > 0 and head is not None and head.startswith(prefix)
        else:
            event_head = GENESIS if n_events == 0 else None
            if n_events > 0 and event_head_at is not None:
                event_head = event_head_at
            matches = (
                head is not None
                and event_head is not None
                and proof.bound_head(head, n_events, event_head).startswith(prefix)
            )
        body["fingerprint"] = {"count": count, "events": n_events, "matches": matches}
        if count > check.count:
            failure = Failure("evidence.fingerprint_longer", count=count, have=check.count)
        elif n_events is not None and n_events > events.count:
            failure = Failure(
                "evidence.fingerprint_events_longer", count=n_events, have=events.count
            )
        elif not matches:
            key = "fingerprint_differs" if n_events is None else "fingerprint_all_differs"
            failure = Failure(
                f"evidence.{key}",
                count=count,
                events=n_events,
            )
        elif n_events is None:
            lines.append(t("evidence.fingerprint_ok", count=count, total=check.count))
        else:
            lines.append(
                t(
                    "evidence.fingerprint_all_ok",
                    count=count,
                    total=check.count,
                    events=n_events,
                    events_total=events.count,
                )
            )
    if json_out:
        from repaycli.render.json import to_json

        body["intact"] = failure is None
        write_out(to_json(body))
        if failure is not None:
            raise typer.Exit(1)
        return
    if failure is not None:
        raise failure
    write_wrapped("\n".join(lines))


def _export_body(found: Any) -> dict[str, Any]:
    return {
        "intact": found.intact,
        "entries": found.count,
        "problem": found.problem,
        "entry_id": found.entry_id,
        "stated_count": found.stated,
        "log_entries": found.log_count,
        "unverifiable": found.unverified,
        "events": found.events,
        "field": found.field,
    }


def _export_ok(found: Any) -> str:
    text = t("evidence.export_ok", count=found.count)
    if found.events:
        text += " " + t("evidence.export_events_ok", count=found.events)
    if found.events_unverified:
        text += " " + t("evidence.export_events_unverified", count=found.events_unverified)
    if found.log_count is not None:
        if found.log_count == found.count:
            text += " " + t("evidence.export_whole_log")
        else:
            text += " " + t("evidence.export_prefix", count=found.count, total=found.log_count)
    if found.unverified:
        text += " " + t("evidence.export_unverified", count=found.unverified)
    return text


class _ExportFile:
    """A JSON export on disk, as ``proof.check_export_stream`` reads it: one member, one entry
    and one event at a time, never the whole file (a log of a million entries makes a 2 GB file).
    A pipe (``/dev/stdin``, ``<(zcat …)``, a FIFO) is read too: an export in the writer's order
    is read once; one whose seal needs a second reading (its count after its entries, or its
    events before them) is refused from a pipe, which cannot be read again.
    One line, exit 2, for a file that cannot be read or is not an export."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reads = 0
        self._start = 0  # bytes of a pipe read before ``_head``
        self._head = b""  # a pipe's bytes read to find its first one, given again
        try:
            fd = os.open(path, os.O_RDONLY)  # a FIFO: waits, as 'cat' does, for its writer
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                os.close(fd)
                raise BadInput("export_stream.err.folder", path=str(path))
            self._handle = os.fdopen(fd, "rb")
            self.regular = stat.S_ISREG(mode)
            self._stamp = self._stat()
            first = self._first_byte()
        except OSError as exc:
            detail = exc.strerror or str(exc)
            raise BadInput("err.log_export_unreadable", path=str(path), detail=detail) from exc
        if first != b"{":  # a CSV or markdown export has no hashes to compare
            self._handle.close()
            raise BadInput("err.log_export_not_json", path=str(path))

    def __enter__(self) -> _ExportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def _stat(self) -> tuple[int, ...]:
        """What changes when the file is written: ``st_ctime_ns`` too, which, unlike the
        modification time, ``utime`` cannot set back (an edit in place, the size kept)."""
        found = os.fstat(self._handle.fileno())
        return (
            found.st_mode,
            found.st_dev,
            found.st_ino,
            found.st_size,
            found.st_mtime_ns,
            found.st_ctime_ns,
        )

    def _first_byte(self) -> bytes:
        """The first byte that is not white space, after a byte-order mark an editor added.
        A pipe's bytes from there on are kept to be given again (white space before: only
        counted)."""
        start = True
        while chunk := self._handle.read(64 * 1024):
            skipped = 0
            if start:
                start = False
                if chunk.startswith(b"\xef\xbb\xbf"):
                    skipped = 3
            text = chunk[skipped:].lstrip(b" \t\r\n")
            if text:
                if not self.regular:
                    self._head = text
                    self._start += len(chunk) - len(text)
                return text[:1]
            self._start += len(chunk)
        return b""

    def members(self) -> Iterator[tuple[str, str, Any]]:
        """The export's members, read from its start (``jsonstream.members``)."""
        from repaycli.core import proof
        from repaycli.jsonstream import StreamError, members

        self._reads += 1
        if not self.regular:
            if self._reads > 1:
                raise BadInput("export_stream.err.read_twice", path=str(self.path))
            return members(
                _Replayed(self._head, self._handle), streamed=proof.STREAMED, start=self._start
            )
        if self._stat() != self._stamp:
            raise StreamError("it changed while it was read", "changed")
        self._handle.seek(0)
        return members(self._handle, streamed=proof.STREAMED)

    def check(self, **against: Any) -> Any:
        """``proof.check_export_stream`` over the file; one line for what it cannot read."""
        from repaycli.core import proof
        from repaycli.jsonstream import StreamError

        try:
            return proof.check_export_stream(self.members, **against)
        except StreamError as exc:
            detail = str(exc)[:200]
            if exc.reason is not None:
                detail = t(f"export_stream.{exc.reason}", **exc.params)
            raise BadInput("err.log_export_unreadable", path=str(self.path), detail=detail) from exc
        except proof.ExportUnreadable as exc:
            detail = str(exc)[:200]
            raise BadInput("err.log_export_unreadable", path=str(self.path), detail=detail) from exc
        except OSError as exc:
            detail = exc.strerror or str(exc)
            raise BadInput("err.log_export_unreadable", path=str(self.path), detail=detail) from exc


class _Replayed:
    """A pipe read from its start again: the bytes already taken from it, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def read(self, size: int = -1, /) -> bytes:
        if self._head:
            given = self._head if size < 0 else self._head[:size]
            self._head = self._head[len(given) :]
            return given
        return self._rest.read(size)


@log_app.command("fingerprint")
def fingerprint(
    *,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """A short code for the log as it is now: keep it elsewhere, quote it in a letter; later,
    'log verify --fingerprint CODE' shows that this log is still inside the log, unchanged."""
    command_lang(lang)
    from repaycli import store
    from repaycli.services.evidence import EMPTY, evidence_state

    state = EMPTY
    if have_database():
        with store.opened(read_only=True) as conn, store.snapshot(conn):
            state = evidence_state(conn)
    problem = state.problem()
    if problem is not None:
        raise problem
    code = state.fingerprint
    if code is None:
        raise BadInput("evidence.fingerprint_empty")
    check, events = state.log, state.events
    if json_out:
        from repaycli.render.json import to_json

        body = {
            "schema_version": JSON_SCHEMA_VERSION,
            "fingerprint": code,
            "entries": check.count,
            "head_hash": check.head,
            "events": events.count,
            "events_head": events.head,
        }
        write_out(to_json(body))
        return
    write_wrapped(t("evidence.fingerprint_all", code=code, count=check.count, events=events.count))


@log_app.command("collection")
def collection_form(
    *,
    platform: Annotated[
        str | None, _text_opt("platform", "The lender they collect for (花呗, 借呗 …).")
    ] = None,
    channel: Annotated[
        str | None,
        _text_opt("channel", "sms (default), wechat, call_in, visit, letter or third_party."),
    ] = None,
    at: Annotated[str | None, _text_opt("at", "When (default now).")] = None,
    number: Annotated[str | None, _text_opt("number", "Their number.")] = None,
    agent: Annotated[str | None, _text_opt("agent", "The collector's name.")] = None,
    firm: Annotated[str | None, _text_opt("firm", "The firm they say they are from.")] = None,
    claims: Annotated[
        str | None, _text_opt("claims", "They claim to be: lender, agency, lawyer or court.")
    ] = None,
    said: Annotated[str | None, _text_opt("said", "The message, pasted as it is.")] = None,
    threat: Annotated[
        list[str] | None,
        typer.Option("--threat", help="A threat made (third_party, arrest …); may be repeated."),
    ] = None,
    third_party: Annotated[
        str | None, _text_opt("third_party", "The third party they contacted (妹妹, 单位 …).")
    ] = None,
    asked: Annotated[
        str | None, _text_opt("asked", "What I ask of them (请停止联系我家人).")
    ] = None,
    attach: Annotated[
        list[str] | None,
        typer.Option("--attach", help="A screenshot or recording (recorded with its SHA-256)."),
    ] = None,
    no_input: NoInputOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Log a collector's message or call in a few prompts: lender, channel, time, their
    number, the text as pasted, the threats."""
    command_lang(lang)
    from repaycli import store
    from repaycli.core.conduct import THREATS
    from repaycli.core.records import Attachment
    from repaycli.services.collection import DETAIL_PARSERS, complete_detail, parse_threats
    from repaycli.services.log import record_contact

    clock = now()
    files = [Attachment.model_validate(parse_attachment(p)) for p in attach or []]
    given: dict[str, str | None] = {
        "platform": platform,
        "channel": channel if channel is not None else "sms",
        "at": at,
        "number": number,
        "agent": agent,
        "asked": asked,
        "collection": "yes",
    }
    skip = frozenset(
        ("ref", "offered", "outcome", "agreed_terms", "confirmation", "follow_up")
        + ("follow_up_action", "notes", "agent", "asked")
    )
    with store.opened() as conn:
        forget_input_ended()
        values = gather(
            {**given, "outcome": "received"},
            no_input=no_input,
            clock=clock,
            base=None,
            direction="incoming",
            skip=skip,
        )
        detail: dict[str, Any] = {
            "direction": "incoming",
            "firm": DETAIL_PARSERS["firm"](firm) or None if firm else None,
            "claims": DETAIL_PARSERS["claims"](claims) if claims else None,
            "third_party": DETAIL_PARSERS["third_party"](third_party) or None
            if third_party
            else None,
        }
        if said is None:
            said = ask(
                t("logfield.said"),
                parse_text("said"),
                flag="--said",
                no_input=no_input,
                optional=True,
            )
        detail["said"] = DETAIL_PARSERS["said"](said) or None if said else None
        if threat:
            threats: list[str] | None = parse_threats(",".join(threat))
        elif no_input:
            threats = None
        else:
            typer.echo(
                "\n".join(
                    t("collection_form.threat_line", n=n, label=t(f"threat.{name}"))
                    for n, name in enumerate(THREATS, start=1)
                ),
                err=True,
            )
            threats = ask(
                t("collection_form.threats"),
                parse_threats,
                flag="--threat",
                no_input=no_input,
                optional=True,
            )
        detail["threats"] = threats or None
        if input_ended():  # the answers stopped half-way: nothing is recorded
            raise BadInput("harden.err.input_ended_nothing_written")
        values = complete_detail({**values, **detail})
        values["outcome"] = "threatened" if detail["threats"] else "received"
        entry = record_contact(conn, values, clock=clock, attachments=files)
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "entry": entry}))
        return
    from repaycli.render.remind import platform_namer

    write_out(
        t(
            "collection_form.added",
            id=entry.id,
            channel=t(f"channel.{entry.channel}"),
            platform=platform_namer()(entry.platform),
        )
    )


@log_app.command("conduct")
def conduct(
    *,
    platform: Annotated[str | None, typer.Option("--platform", help="Only this lender.")] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Check the collection in the log against the conduct rules: contact at night, too many
    calls, third parties, threats, personal accounts — each flag with its entries and rule."""
    command_lang(lang)
    from repaycli import store
    from repaycli.i18n import get_lang
    from repaycli.render.remind import platform_namer
    from repaycli.services.collection import flag_json, log_conduct

    platform_id = parse_platform(platform) if platform is not None else None
    flags: list[Any] = []
    collected = False
    if have_database():
        with store.opened(read_only=True) as conn:
            flags, collected = log_conduct(conn, platform=platform_id)
    if json_out:
        from repaycli.cli.common import StdoutWriter
        from repaycli.render.json import write_json_stream

        lang_now = get_lang()
        out = StdoutWriter()
        head = {"schema_version": JSON_SCHEMA_VERSION}
        write_json_stream(head, "flags", (flag_json(f, lang_now) for f in flags), out)
        out.write("\n")
        out.flush()
        return
    from repaycli.cli.common import StdoutWriter
    from repaycli.render.conduct import iter_conduct_lines
    from repaycli.render.wrap import wrap

    cells = max(40, shutil.get_terminal_size().columns)  # COLUMNS, else the terminal's, else 80
    out = StdoutWriter()
    for line in iter_conduct_lines(flags, collected, name_of=platform_namer()):
        lead = " " * (len(line) - len(line.lstrip(" ")))
        for part in wrap(line, cells, subsequent=lead + "  "):
            out.write(part + "\n")
    out.flush()


class ComplaintKind(StrEnum):
    COMPLAINT = "complaint"
    DISPUTE = "dispute"


@log_app.command("complaint")
def complaint(
    *,
    platform: Annotated[
        str, typer.Option("--platform", help="The lender the complaint was sent to.")
    ],
    kind: Annotated[
        ComplaintKind,
        typer.Option("--kind", help="complaint (15 days to answer) or dispute (征信, 20 days)."),
    ] = ComplaintKind.COMPLAINT,
    sent: Annotated[
        str, typer.Option("--sent", help="When it was sent (default today).")
    ] = "today",
    ref: Annotated[
        str | None, typer.Option("--ref", help="The reference number it was given.")
    ] = None,
    complex_case: Annotated[
        bool, typer.Option("--complex", help="A complex case: 30 days to answer.")
    ] = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Record a complaint or a 征信 dispute as sent: its reference and answer deadline, which
    'repaycli remind' then watches."""
    command_lang(lang)
    from repaycli import store
    from repaycli.core.dates import parse_date
    from repaycli.render.remind import platform_namer
    from repaycli.services.collection import record_complaint

    platform_id = parse_platform(platform)
    day = today()
    # sent, so already past: 12月1日 on 7 December is last week's, not next year's
    sent_on = parse_date(sent, today=day, field="sent", prefer="past")
    if sent_on > day:
        raise BadInput("err.sent_future", value=sent)
    reference = parse_text("ref")(ref) or None if ref is not None else None
    with store.opened() as conn:
        row = record_complaint(
            conn,
            platform=platform_id,
            kind=kind.value,
            sent_on=sent_on,
            reference=reference,
            complex_case=complex_case,
            recorded_at=now(),
        )
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "complaint": row}))
        return
    write_out(
        t(
            "complaint.recorded",
            id=row["id"],
            kind=t(f"complaint.kind_{row['kind']}"),
            platform=platform_namer()(platform_id),
            sent=row["sent_on"],
            due=row["answer_due"],
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
