"""``repaycli letter --kind complaint|dispute|collection``: letters built from the call log.

``cli/letter.py`` parses the shared options and hands the non-hardship kinds to ``write``: read
the log (refusing one that is not intact), build the letter's facts, render, write.
"""

from __future__ import annotations

from pathlib import Path

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
) -> None:
    """Write one evidence letter to stdout or ``output``."""
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
            entries = store.list_contacts(conn, latest_only=True)
            collection = store.collection_after_agreement(conn, platform=platform_id)
    problem = state.problem()  # a letter must not quote evidence that no longer holds up
    if problem is not None:
        raise problem
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
    )
    text = compose(letter, markdown=markdown)
    if output is None:
        write_out(text)
        return
    from repaycli.files import write_private

    write_private(output, text.encode("utf-8"), error=BadInput)
    from repaycli.render.safe import safe_text

    typer.echo(t("letter.written", path=safe_text(str(output))), err=True)
