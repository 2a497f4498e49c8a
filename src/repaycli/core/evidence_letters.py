"""Letters built from the call log (``letter --kind complaint|dispute|collection``). Pure: the
facts of a letter from entries and a chain check handed in; no I/O, no clock.

Every contact in the timeline carries its entry id and full hash, and the letter carries the
log's fingerprint, so whoever receives it can ask for the records and check them — and the user
can show the letter was written from an unchanged log. A contact the conduct check flags
(``core.conduct``) is cited with the rule it breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

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


class TimelineFacts:
    """What a letter tells of its whole timeline before quoting it, gathered in one pass over
    the lender's latest entries, oldest first, as the store streams them (plain dicts): how many,
    the first agreed one, how many came after it, what the user asked, the files named. The
    timeline itself is read again when it is written, so a long log is never held."""

    def __init__(self) -> None:
        self.count = 0
        #: The first entry whose outcome is ``agreed`` (as the store gave it), and the number of
        #: later entries of that lender (art. 70: once a plan is signed, collection must stop).
        self.agreed: Mapping[str, Any] | None = None
        self.after = 0
        self._agreed_at: datetime | None = None
        self._asks: dict[str, None] = {}
        self._files: dict[str, tuple[str, str]] = {}

    def add(self, entry: Mapping[str, Any]) -> None:
        self.count += 1
        if self.agreed is None:
            if entry["outcome"] == "agreed":
                self.agreed, self._agreed_at = entry, datetime.fromisoformat(entry["at"])
        elif (
            entry["platform"] == self.agreed["platform"]
            and self._agreed_at is not None
            and datetime.fromisoformat(entry["at"]) > self._agreed_at
        ):
            self.after += 1
        if entry["asked"]:
            self._asks[entry["asked"].strip()] = None
        for a in entry["attachments"] or ():
            self._files[a["sha256"]] = (a["path"], a["sha256"])  # the first place, the last name

    @property
    def asks(self) -> tuple[str, ...]:
        """What the user asked of the lender, as logged (``asked``), each once, in order."""
        return tuple(self._asks)

    @property
    def attachments(self) -> tuple[tuple[str, str], ...]:
        """The files named in the timeline, each once (by SHA-256): (path, sha256)."""
        return tuple(self._files.values())


def after_agreement(timeline: Iterable[LogEntry], agreed: LogEntry) -> Iterator[LogEntry]:
    """The contacts of ``timeline`` logged after ``agreed``, with the same lender only: an
    agreement with one does not bind another."""
    since = datetime.fromisoformat(agreed.at)
    for e in timeline:
        if e.platform == agreed.platform and datetime.fromisoformat(e.at) > since:
            yield e


@dataclass(frozen=True)
class EvidenceLetter:
    kind: LetterKind
    day: date
    platform: str | None
    #: Latest versions of the contacts, oldest first: iterated once, when the letter is written
    #: (the store's stream; ``facts`` tells what the letter says of them before).
    timeline: Iterable[LogEntry]
    #: Contacts logged after the first one whose outcome was ``agreed`` (art. 70: once a
    #: personalised plan is signed, collection must stop unless it is broken); iterated once.
    after_agreement: Iterable[LogEntry]
    agreed: LogEntry | None
    fingerprint: str | None
    entries: int
    details: str | None
    facts: TimelineFacts
    #: Contacts logged as collection after an agreement (the store's
    #: ``collection_after_agreement``), each cited with its entry's hash.
    collection: tuple[CollectionAfterAgreement, ...] = ()
    #: The conduct check's flags on the lender's entries (``core.conduct``).
    flags: tuple[Flag, ...] = ()
    #: The lender's kind in the catalogue (``credit_card`` …), ``None`` for no one lender.
    platform_kind: str | None = None

    @cached_property
    def _flags_by_entry(self) -> dict[int, tuple[Flag, ...]]:
        found: dict[int, list[Flag]] = {}
        for flag in self.flags:
            for entry_id in dict.fromkeys(flag.entry_ids):
                found.setdefault(entry_id, []).append(flag)
        return {k: tuple(v) for k, v in found.items()}

    def flags_of(self, entry_id: int) -> tuple[Flag, ...]:
        return self._flags_by_entry.get(entry_id, ())

    @property
    def asks(self) -> tuple[str, ...]:
        """What the user asked of the lender, as logged (``asked``), each once, in order."""
        return self.facts.asks


def build(
    kind: LetterKind,
    *,
    timeline: Iterable[LogEntry],
    facts: TimelineFacts,
    agreed: LogEntry | None,
    after: Iterable[LogEntry],
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
    """The facts of one letter: ``timeline`` the lender's latest entries, oldest first (by time,
    then id), ``facts`` gathered from them, ``agreed`` the first agreed one (``facts.agreed``),
    ``after`` the later ones (``after_agreement``); ``count`` / ``head`` are the intact log's
    (for its fingerprint)."""
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
        facts=facts,
        collection=tuple(c for c in collection if platform is None or c.platform == platform),
        flags=tuple(f for f in flags if platform is None or f.platform == platform),
        platform_kind=platform_kind,
    )
