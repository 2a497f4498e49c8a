"""``repaycli letter --kind complaint|dispute|collection``: letters built from the call log.

``cli/letter.py`` parses the shared options and hands the non-hardship kinds to ``write``: read
the log (refusing one that is not intact), build the letter's facts, render, write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from repaycli.cli.common import have_database, today, write_out
from repaycli.errors import BadInput
from repaycli.i18n import t


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
    the only one in the log, or the one the user picks (``--no-input``: refused, naming them)."""
    from repaycli import store
    from repaycli.cli.log import parse_platform, parse_text
    from repaycli.core.evidence_letters import LetterKind, build
    from repaycli.render.evidence_letters import compose
    from repaycli.services.evidence import EMPTY, evidence_state

    platform_id = parse_platform(platform) if platform is not None else None
    told = parse_text("details")(details) or None if details is not None else None
    if output is not None:
        from repaycli.files import check_target

        check_target(output, force=force)
    entries, collection, state = [], [], EMPTY
    if have_database():
        with store.opened(read_only=True) as conn, store.snapshot(conn):
            state = evidence_state(conn)
            if platform_id is None:
                platform_id = _one_lender(_lenders(conn), no_input=no_input)
            # Only the lender's entries are quoted: the rest of the log is never held, nor the
            # salts of the quoted ones (a letter shows no hashes of fields).
            if platform_id is not None:
                from repaycli.core.records import LogEntry

                entries = [
                    LogEntry.model_validate(e)
                    for e in store.iter_contacts(conn, platform=platform_id, latest_only=True)
                ]
            collection = store.collection_after_agreement(conn, platform=platform_id)
    problem = state.problem()  # a letter must not quote evidence that no longer holds up
    if problem is not None:
        raise problem
    from repaycli.services.collection import conduct_flags, platform_kinds

    flags = conduct_flags((e.model_dump(mode="json") for e in entries), platform=platform_id)
    kind_of = platform_kinds().get(platform_id, "other") if platform_id else None
    check, code = state.log, state.fingerprint
    letter = build(
        LetterKind(kind),
        entries,
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
    text = compose(letter, markdown=markdown)
    if output is None:
        write_out(text)
        return
    from repaycli.files import write_private

    write_private(output, text.encode("utf-8"), error=BadInput)
    from repaycli.render.safe import safe_text

    typer.echo(t("letter.written", path=safe_text(str(output))), err=True)


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
