"""Letters built from the call log (``letter --kind complaint|dispute|collection``). Pure: the
facts of a letter from entries and a chain check handed in; no I/O, no clock.

Every contact in the timeline carries its entry id and full hash, and the letter carries the
log's fingerprint, so whoever receives it can ask for the records and check them — and the user
can show the letter was written from an unchanged log. A contact the conduct check flags
(``core.conduct``) is cited with the rule it breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from repaycli.core.conduct import Flag
from repaycli.core.due import CollectionAfterAgreement
from repaycli.core.proof import fingerprint
from repaycli.core.records import LogEntry


class LetterKind(StrEnum):
    HARDSHIP = "hardship"
    COMPLAINT = "complaint"
    DISPUTE = "dispute"
    COLLECTION = "collection"


#: The kinds built here (``hardship`` is the negotiation letter of ``core.letter``).
EVIDENCE_KINDS = (LetterKind.COMPLAINT, LetterKind.DISPUTE, LetterKind.COLLECTION)


@dataclass(frozen=True)
class EvidenceLetter:
    kind: LetterKind
    day: date
    platform: str | None
    #: Latest versions of the contacts, oldest first.
    timeline: tuple[LogEntry, ...]
    #: Contacts logged after the first one whose outcome was ``agreed`` (art. 70: once a
    #: personalised plan is signed, collection must stop unless it is broken).
    after_agreement: tuple[LogEntry, ...]
    agreed: LogEntry | None
    fingerprint: str | None
    entries: int
    details: str | None
    #: Contacts logged as collection after an agreement (the store's
    #: ``collection_after_agreement``), each cited with its entry's hash.
    collection: tuple[CollectionAfterAgreement, ...] = ()
    #: The conduct check's flags on the lender's entries (``core.conduct``).
    flags: tuple[Flag, ...] = ()
    #: The lender's kind in the catalogue (``credit_card`` …), ``None`` for no one lender.
    platform_kind: str | None = None

    def flags_of(self, entry_id: int) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if entry_id in f.entry_ids)

    @property
    def asks(self) -> tuple[str, ...]:
        """What the user asked of the lender, as logged (``asked``), each once, in order."""
        return tuple(dict.fromkeys(e.asked.strip() for e in self.timeline if e.asked))


def build(
    kind: LetterKind,
    entries: Sequence[LogEntry],
    *,
    day: date,
    platform: str | None,
    count: int,
    head: str,
    details: str | None = None,
    collection: Sequence[CollectionAfterAgreement] = (),
    fingerprint_code: str | None = None,
    flags: Sequence[Flag] = (),
    platform_kind: str | None = None,
) -> EvidenceLetter:
    """The facts of one letter: ``entries`` are the log's latest versions (any order), kept for
    ``platform`` when given; ``count`` / ``head`` are the intact log's (for its fingerprint)."""
    chosen = [e for e in entries if platform is None or e.platform == platform]
    timeline = tuple(sorted(chosen, key=lambda e: (datetime.fromisoformat(e.at), e.id)))
    agreed = next((e for e in timeline if e.outcome == "agreed"), None)
    # Only that lender's later contacts: an agreement with one does not bind another.
    after = tuple(
        e
        for e in timeline
        if agreed is not None
        and e.platform == agreed.platform
        and datetime.fromisoformat(e.at) > datetime.fromisoformat(agreed.at)
    )
    return EvidenceLetter(
        kind=kind,
        day=day,
        platform=platform,
        timeline=timeline,
        after_agreement=after,
        agreed=agreed,
        fingerprint=fingerprint_code or (fingerprint(count, head) if count else None),
        entries=count,
        details=details,
        collection=tuple(c for c in collection if platform is None or c.platform == platform),
        flags=tuple(f for f in flags if platform is None or f.platform == platform),
        platform_kind=platform_kind,
    )
