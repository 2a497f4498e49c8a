"""``repaycli letter --kind complaint|dispute|collection``: letters built from the call log.

``cli/letter.py`` parses the shared options and hands the non-hardship kinds to ``write``: read
the log (refusing one that is not intact), build the letter's facts, render, write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from repaycli.cli.common import have_database, today
from repaycli.errors import BadInput
from repaycli.i18n import t

if TYPE_CHECKING:
    from repaycli.core.records import LogEntry


def parse_kind(value: str) -> str:
    from repaycli.core.evidence_letters import LetterKind

    wanted = value.strip().lower()
    choices = [k.value for k in LetterKind]
    if wanted not in choices:
        raise BadInput("err.choice", field="kind", value=value, choices=", ".join(choices))
    return wanted


def write(
    kind: str,
    *,
    platform: str | None,
    details: str | None,
    markdown: bool,
    output: Path | None,
    force: bool,
    no_input: bool = False,
) -> None:
    """Write one evidence letter to stdout or ``output``: about one lender — the one named,
    the only one in the log, or the one the user picks (``--no-input``: refused, naming them).
    The lender's entries are read in one snapshot: once for what the letter says of them all
    (``TimelineFacts``, the conduct check), then again as the letter is written, each quoted as
    it is read — a lender's contacts are never held (issue 22: 790 MB at 100,000 entries)."""
    from contextlib import ExitStack

    from repaycli import store
    from repaycli.cli.log import parse_platform, parse_text
    from repaycli.core.evidence_letters import LetterKind, TimelineFacts, after_agreement, build
    from repaycli.core.records import LogEntry
    from repaycli.render.evidence_letters import write_letter
    from repaycli.services.collection import conduct_flags, platform_kinds
    from repaycli.services.evidence import EMPTY, evidence_state

    platform_id = parse_platform(platform) if platform is not None else None
    told = parse_text("details")(details) or None if details is not None else None
    if output is not None:
        from repaycli.files import check_target

        check_target(output, force=force)
    with ExitStack() as stack:
        conn = None
        state, facts, collection, checked = EMPTY, TimelineFacts(), [], []
        if have_database():
            conn = stack.enter_context(store.opened(read_only=True))
            stack.enter_context(store.snapshot(conn))
            state = evidence_state(conn)
            if platform_id is None:
                platform_id = _one_lender(_lenders(conn), no_input=no_input)
        problem = state.problem()  # a letter must not quote evidence that no longer holds up
        if problem is not None:
            raise problem
        if conn is not None:
            # Only the lender's entries are quoted: the rest of the log is never read, nor the
            # salts of the quoted ones (a letter shows no hashes of fields).
            if platform_id is not None:
                from repaycli.core.conduct import is_collection

                for e in _entries(conn, platform_id):
                    facts.add(e)
                    if is_collection(e):  # what the conduct check reads of it
                        checked.append({k: e.get(k) for k in _CHECKED})
            collection = store.collection_after_agreement(conn, platform=platform_id)
        lender = platform_id

        def timeline() -> Iterator[LogEntry]:
            if conn is None or lender is None:
                return iter(())
            return (LogEntry.model_validate(e) for e in _entries(conn, lender))

        agreed = LogEntry.model_validate(facts.agreed) if facts.agreed is not None else None
        flags = conduct_flags(checked, platform=platform_id)
        kind_of = platform_kinds().get(platform_id, "other") if platform_id else None
        check, code = state.log, state.fingerprint
        letter = build(
            LetterKind(kind),
            timeline=_Again(timeline),
            facts=facts,
            agreed=agreed,
            after=_Again(lambda: after_agreement(timeline(), agreed) if agreed else iter(())),
            day=today(),
            platform=platform_id,
            count=check.count,
            head=check.head,
            details=told,
            collection=collection,
            fingerprint_code=code,
            flags=flags,
            platform_kind=kind_of,
        )
        if output is None:
            from repaycli.cli.common import StdoutWriter

            out = StdoutWriter()
            write_letter(letter, out, markdown=markdown)
            out.flush()
            return
        from repaycli.cli.log import _text
        from repaycli.files import private_file

        handle = stack.enter_context(private_file(output, error=BadInput))
        write_letter(letter, _text(handle, stack), markdown=markdown)
    from repaycli.render.safe import safe_text

    typer.echo(t("letter.written", path=safe_text(str(output))), err=True)


#: The fields of an entry the conduct check reads (``core.conduct.check``).
_CHECKED = ("id", "at", "platform", "channel", "collection", "direction", "third_party", "threats")


def _entries(conn: Any, platform: str) -> Iterator[dict[str, Any]]:
    """The lender's latest entries, oldest first (by time, then id), as the store streams them."""
    from repaycli import store

    return store.iter_contacts(conn, platform=platform, latest_only=True, oldest_first=True)


class _Again:
    """An iterable read afresh each time it is iterated (from the store, in the snapshot)."""

    def __init__(self, make: Callable[[], Iterator[LogEntry]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[LogEntry]:
        return self._make()


def _lenders(conn: Any) -> list[str]:
    """The lenders of the log's latest entries, in the order they first appear in it, read in
    one streamed pass (the entries are not kept)."""
    from repaycli import store

    first: dict[str, int] = {}
    for entry in store.iter_contacts(conn, latest_only=True):
        first[entry["platform"]] = min(entry["id"], first.get(entry["platform"], entry["id"]))
    return sorted(first, key=first.__getitem__)


def _one_lender(ids: list[str], *, no_input: bool) -> str | None:
    """The lender a letter is about when none was named: the only one in the log; with
    several, the one the user picks (refused under ``--no-input``, naming them)."""
    from repaycli.cli.common import ask
    from repaycli.cli.log import parse_platform
    from repaycli.render.log import platform_name

    if len(ids) <= 1:
        return ids[0] if ids else None
    names = t("list_sep").join(platform_name(i) for i in ids)
    if no_input:
        raise BadInput("err.letter_several_platforms", names=names)
    chosen = ask(
        t("complaint.which_platform", names=names), parse_platform, flag="--platform",
        no_input=no_input,
    )  # fmt: skip
    return chosen
