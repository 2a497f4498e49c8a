"""Exports that prove themselves, and fingerprints of the log's head. Pure: no I/O, no clock.

A JSON export carries its entry count, its head hash and a ``seal`` (SHA-256 over the rest of
the document, so an edit to a field the entries' hashes do not cover — ``corrected_by``,
``follow_up_done_at``, ``exported_at`` — is noticed). ``check_export`` re-computes the chain
inside the file, its count, head and seal, and with the log's hashes at hand whether the export
is a prefix of the log or where they part.

A redacted export keeps the salted commitment of each masked field and drops its salt
(``core.evidence``): it verifies end to end, and the masked value cannot be tested by guessing.
An entry written before salted commitments cannot be shown so: a redacted export marks it
``unverifiable`` and leaves out its hashes (and the link to it), instead of giving it away.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from repaycli.core import evidence

EXPORT_SCHEMA_VERSION = 3
#: Exports from before the events were carried (entries only) are still checked.
OLD_EXPORT_VERSIONS = (2,)
#: Hex digits of the head hash a fingerprint carries (80 bits: no one finds a second log).
FINGERPRINT_HEX = 20


# --- fingerprints -------------------------------------------------------------------------------


def bound_head(head: str, events: int, events_head: str) -> str:
    """One hash for all evidence: the log's head bound to the events chain's count and head
    (agreements, payments, closures, offer checks, voids), so a fingerprint covers both."""
    text = f"repaycli.heads.v1\x00{head}\x00{events}\x00{events_head}"
    return evidence.sha256_hex(text.encode("utf-8"))


def fingerprint(count: int, head: str, events: tuple[int, str] | None = None) -> str:
    """A short code for all the evidence: ``7-4-3f2a-9c1b-77d0-e5a4-b3c1`` (log entries,
    events, then the first 20 hex digits of ``bound_head``). Without ``events``, the code of
    before (``7-3f2a-…``: the log's head alone), which ``log verify --fingerprint`` still takes."""
    if events is None:
        digits, prefix = head[:FINGERPRINT_HEX], f"{count}-"
    else:
        digits = bound_head(head, *events)[:FINGERPRINT_HEX]
        prefix = f"{count}-{events[0]}-"
    return prefix + "-".join(digits[i : i + 4] for i in range(0, FINGERPRINT_HEX, 4))


_SEPARATORS = re.compile(r"[-:#\s]+")
_HEX = re.compile(r"^[0-9a-f]{20}$")


def parse_fingerprint(text: str) -> tuple[int, int | None, str] | None:
    """``(entries, events, hex prefix)`` from a fingerprint as printed (any case, full-width,
    spaces instead of dashes); ``events`` is ``None`` in a code from before events were bound
    in. ``None`` when it is not a fingerprint."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if len(cleaned) > 80:
        return None
    parts = [p for p in _SEPARATORS.split(cleaned) if p]
    if len(parts) < 2 or not parts[0].isdigit() or len(parts[0]) > 12:
        return None
    if _HEX.match("".join(parts[1:])):
        return int(parts[0]), None, "".join(parts[1:])
    if parts[1].isdigit() and len(parts[1]) <= 12 and _HEX.match("".join(parts[2:])):
        return int(parts[0]), int(parts[1]), "".join(parts[2:])
    return None


# --- building an export -------------------------------------------------------------------------


def _masked(name: str, value: Any, names: bool = False) -> Any:
    """A field as ``--redact`` shows it (``names``: ``--redact names``, which also hides the
    agent and e-mail addresses)."""
    if name == "attachments":
        return [{**item, "path": evidence.redact(item.get("path"))} for item in value]
    if names and name == "agent":
        return evidence.mask_name(value)
    return evidence.redact_names(value) if names else evidence.redact(value)


def export_entries(
    entries: Iterable[Mapping[str, Any]], *, redact_on: bool
) -> list[dict[str, Any]]:
    """``iter_export_entries`` as a list."""
    return list(iter_export_entries(entries, redact_on=redact_on))


def iter_export_entries(
    entries: Iterable[Mapping[str, Any]], *, redact_on: bool, names: bool = False
) -> Iterator[dict[str, Any]]:
    """Entries (in id order) as an export shows them, one at a time (each a JSON-ready mapping of
    the entry's fields, with ``salts``: ``None`` for a v1 entry).

    Unredacted, every salt is shown. Redacted, a masked field of a v2 entry keeps its masked text
    and its commitment (``withheld``) without its salt; a v1 entry that masking changes — and
    every v1 entry after it, whose hashes would lead back to it — is ``unverifiable``, without
    hashes; the v2 entry after such an entry withholds its ``prev_hash`` the same way.
    """
    hidden_before = False
    for source in entries:
        entry = export_entry(
            source, redact_on=redact_on, hidden_before=hidden_before, names=names
        )
        hidden_before = entry.get("unverifiable") is True
        yield entry


def export_entry(
    source: Mapping[str, Any], *, redact_on: bool, hidden_before: bool, names: bool = False
) -> dict[str, Any]:
    """One entry as an export shows it (``iter_export_entries``); ``hidden_before``: the entry
    before it in the chain is shown ``unverifiable``."""
    entry = dict(source)
    salts = entry.get("salts")
    if not redact_on:
        return entry
    masked = {
        name: _masked(name, entry.get(name), names)
        for name in evidence.WITHHOLDABLE
        if entry.get(name) is not None
    }
    changed = {name for name, value in masked.items() if value != entry.get(name)}
    if salts is None:
        if changed or hidden_before:
            entry.update({name: masked[name] for name in changed})
            entry.update(hash=None, prev_hash=None, unverifiable=True)
        return entry
    shown = dict(salts)
    withheld: dict[str, str] = {}
    hide = set(changed) | ({"prev_hash"} if hidden_before else set())
    for name in sorted(hide):
        withheld[name] = evidence.commitment(name, entry.get(name), salts[name])
        shown.pop(name, None)
        entry[name] = masked[name] if name in masked else None
    entry["salts"] = shown
    entry["withheld"] = withheld
    return entry


def _canonical(document: Mapping[str, Any]) -> bytes:
    body = {key: value for key, value in document.items() if key != "seal"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def seal(document: Mapping[str, Any]) -> str:
    """SHA-256 over the whole export but its ``seal``: an edit anywhere shows."""
    return evidence.sha256_hex(_canonical(document))


class Sealer:
    """``seal`` computed as the entries go by, for an export written one entry at a time:
    ``fields`` is the document without its entries and seal (its ``count`` known beforehand).
    Without ``events`` in ``fields``, the events go by too (``add_event``, after the entries)."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        from hashlib import sha256

        self._streamed_events = "events" not in fields
        text = _canonical({"events": [], **fields, "entries": []}).decode("utf-8")
        marker = '"entries":[]'
        at = text.index(marker) + len(marker) - 1  # keys are sorted: only "count" comes before
        self._rest = text[at:].encode("utf-8")
        if self._streamed_events:  # "events" sorts right after "entries"
            events = '],"events":[]'
            assert text[at:].startswith(events)
            self._rest = text[at + len(events) - 1 :].encode("utf-8")
        self._hash = sha256(text[:at].encode("utf-8"))
        self._first = True
        self._in_events = False

    def add(self, entry: Mapping[str, Any]) -> None:
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self._hash.update((text if self._first else "," + text).encode("utf-8"))
        self._first = False

    def add_event(self, event: Mapping[str, Any]) -> None:
        """The next event (every entry added first)."""
        text = json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if not self._in_events:
            self._hash.update(b'],"events":[')
            self._in_events, self._first = True, True
        self._hash.update((text if self._first else "," + text).encode("utf-8"))
        self._first = False

    def hexdigest(self) -> str:
        done = self._hash.copy()
        if self._streamed_events and not self._in_events:
            done.update(b'],"events":[')
        done.update(self._rest)
        return done.hexdigest()


def _shown_head(entries: Sequence[Mapping[str, Any]], head: str) -> str | None:
    """The head an export may show: none when its last entry could not be shown verifiably (the
    hash would let the masked text be guessed)."""
    if entries and entries[-1].get("unverifiable") is True:
        return None
    return head


def export_fields(
    *,
    exported_at: str,
    redact_on: bool,
    check: evidence.ChainCheck,
    count: int,
    last_unverifiable: bool,
    unverifiable: int,
    events: Sequence[Mapping[str, Any]] = (),
    events_intact: bool = True,
    events_shown: tuple[int, str | None] | None = None,
) -> dict[str, Any]:
    """The JSON export without its entries, events and seal, in the order written
    (``entries``, ``events`` and ``seal`` follow): what a streamed export must know before its
    first entry. ``events``: as ``export_events`` shows them; or, for events streamed after the
    entries, ``events_shown``: their ``events_summary``."""
    n_events, shown_head = events_summary(events) if events_shown is None else events_shown
    head = (None if last_unverifiable and count else check.head) if check.intact else None
    events_head = shown_head if events_intact else None
    code = None
    if head is not None and events_head is not None and (count or n_events):
        code = fingerprint(check.count, head, (n_events, events_head))
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "exported_at": exported_at,
        "redacted": redact_on,
        "intact": check.intact and events_intact,
        "count": count,
        "head_hash": head,
        "events_count": n_events,
        "events_head": events_head,
        "fingerprint": code,
        "unverifiable": unverifiable,
    }


def events_summary(events: Iterable[Mapping[str, Any]]) -> tuple[int, str | None]:
    """How many events an export shows and the head it may state (``_events_head``), in one
    pass that keeps none of them."""
    count, last, hidden = 0, evidence.GENESIS, False
    for event in events:
        count += 1
        hidden = hidden or event.get("unverifiable") is True
        last = str(event["hash"]) if not hidden else last
    return count, None if hidden else last


def _events_head(events: Sequence[Mapping[str, Any]]) -> str | None:
    """The events' head an export may show: none when an event could be shown only masked."""
    if any(e.get("unverifiable") is True for e in events):
        return None
    return str(events[-1]["hash"]) if events else evidence.GENESIS


def _masked_value(value: Any) -> Any:
    if isinstance(value, str):
        return evidence.redact(value)
    if isinstance(value, list):
        return [_masked_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked_value(v) for k, v in value.items()}
    return value


def _bill_accounts_masked(event: Mapping[str, Any]) -> Any:
    """A bill import's body with each counterparty's account masked (the payments' fifth
    field, ``store._bill_import_body``); any other event's body as it is."""
    body = event.get("body")
    if event.get("kind") != "bill_import" or not isinstance(body, dict):
        return body
    from repaycli.core.bills.match import mask_account

    payments = body.get("payments")
    if not isinstance(payments, list):
        return body
    return {
        **body,
        "payments": [
            [*p[:4], mask_account(str(p[4])), *p[5:]]
            if isinstance(p, list) and len(p) > 4 and p[4]
            else p
            for p in payments
        ],
    }


def export_events(
    events: Iterable[Mapping[str, Any]], *, redact_on: bool
) -> list[dict[str, Any]]:
    """``iter_export_events`` as a list."""
    return list(iter_export_events(events, redact_on=redact_on))


def iter_export_events(
    events: Iterable[Mapping[str, Any]], *, redact_on: bool
) -> Iterator[dict[str, Any]]:
    """The events chain as an export shows it, one event at a time. Redacted, an event whose
    body masking changes (a phone number in a void's reason, say) is unsalted, so its hash would
    give the masked value away: from that event on, every event is shown masked,
    ``unverifiable``, without hashes (the later ones' hashes lead back to it)."""
    hiding = False
    for source in events:
        event = dict(source)
        if redact_on:
            masked = _masked_value(_bill_accounts_masked(event))
            hiding = hiding or masked != event.get("body")
            if hiding:
                event.update(body=masked, prev_hash=None, hash=None, unverifiable=True)
        yield event


def export_document(
    entries: Sequence[Mapping[str, Any]],
    *,
    exported_at: str,
    redact_on: bool,
    check: evidence.ChainCheck,
    events: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The JSON export: entries, their count, the head and its fingerprint, and the seal."""
    document: dict[str, Any] = export_fields(
        events=events,
        exported_at=exported_at,
        redact_on=redact_on,
        check=check,
        count=len(entries),
        last_unverifiable=bool(entries) and entries[-1].get("unverifiable") is True,
        unverifiable=sum(1 for e in entries if e.get("unverifiable") is True),
    )
    document["entries"] = list(entries)
    document["events"] = list(events)
    document["seal"] = seal(document)
    return document


# --- checking an export -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportCheck:
    """What ``check_export`` found. ``problem`` is ``None`` when the export proves itself (and
    matches the log, when one was given); else one of:

    - ``changed`` / ``removed``: entry ``entry_id`` is not what was hashed, or is missing;
    - ``count``: the file holds ``count`` entries but says ``stated``;
    - ``head``: its stated head is not the last entry's hash;
    - ``sealed``: something outside the entries' hashes was edited;
    - ``correction``: entry ``entry_id``'s ``corrected_by`` contradicts the entries;
    - ``differs``: the log holds another entry ``entry_id``; ``missing``: the log lacks it;
    - ``done_changed``: entry ``entry_id``'s follow-up closing time differs from the log's;
    - ``done_contradicted``: it differs from the closing in the export's own events;
    - ``event_changed`` / ``event_removed``: event ``entry_id`` of the export's events chain is
      not what was hashed, or is missing; ``events_count``: it holds ``count`` events but says
      ``stated``; ``events_head``: its events head or its fingerprint is not its own;
      ``events_differs``: the database holds another event ``entry_id``; ``events_missing``:
      the database lacks it;
    - ``field_differs`` / ``event_field_differs``: entry (event) ``entry_id``'s ``field`` is not
      what the database holds — a masked or withheld field rewritten, a field added;
    - ``unverifiable`` / ``event_unverifiable``: entry (event) ``entry_id`` is marked
      ``unverifiable`` where the database holds nothing a redacted copy must hide.
    """

    count: int
    head: str
    problem: str | None = None
    entry_id: int | None = None
    stated: int | None = None
    log_count: int | None = None
    unverified: int = 0
    #: Events the export holds (``None``: an export from before events were carried).
    events: int | None = None
    #: Events a redacted export could show only masked, without hashes.
    events_unverified: int = 0
    #: The field of entry / event ``entry_id`` that is not what the database holds
    #: (``field_differs``, ``event_field_differs``).
    field: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


class ExportUnreadable(ValueError):
    """The file is not a repaycli JSON export (the detail says what is missing)."""


#: What ``check_export_stream`` reads: an export's top-level members in the order written, each
#: ``(key, "value", value)``; the ``entries`` and ``events`` lists item by item instead, as
#: ``(key, "begin", None)`` then ``(key, "item", item)`` for each.
Member = tuple[str, str, Any]
#: The lists read item by item.
STREAMED = ("entries", "events")


def check_export(
    document: Any,
    *,
    stored: Iterable[Mapping[str, Any]] | None = None,
    stored_events: Iterable[Mapping[str, Any]] | None = None,
    log_count: int | None = None,
) -> ExportCheck:
    """``check_export_stream`` of an export read whole."""
    if not isinstance(document, Mapping):
        raise ExportUnreadable("not a JSON object")
    return check_export_stream(
        lambda: document_members(document),
        stored=stored,
        stored_events=stored_events,
        log_count=log_count,
    )


def document_members(document: Mapping[str, Any]) -> Iterator[Member]:
    """An export read whole, as ``check_export_stream`` reads it."""
    for key, value in document.items():
        if key in STREAMED and isinstance(value, list):
            yield key, "begin", None
            for item in value:
                yield key, "item", item
        else:
            yield key, "value", value


def check_export_stream(
    members: Callable[[], Iterable[Member]],
    *,
    stored: Iterable[Mapping[str, Any]] | None = None,
    stored_events: Iterable[Mapping[str, Any]] | None = None,
    log_count: int | None = None,
) -> ExportCheck:
    """Check an export on its own, then against the database: with ``stored`` (the database's
    entries in id order, as ``store.iter_log`` reads them, salts included; ``log_count``: how
    many there are, counted from ``stored`` when not given) each entry's hash and closing time,
    then field by field — a field shown masked or withheld must be the database's value masked,
    and ``unverifiable`` is accepted only where the database holds what a redacted copy must
    hide; with ``stored_events`` (``store.iter_events``) each event alike.

    ``members`` gives the export's members (``Member``); it is read once, one entry and one
    event at a time, each compared as it comes with the next one of ``stored`` — nothing is
    kept of an entry but its id where it names a correction or a closing. Only a file whose
    ``count`` comes after its entries, or whose events come before them, is read again (twice)
    for its seal, which hashes the members in the order of their names. Each problem is the one
    the checks below find first, in their order, wherever it is in the file. Raises
    ``ExportUnreadable`` for a file that is not an export."""
    walk = _ExportWalk(stored=stored, stored_events=stored_events)
    walk.feed(members())
    return walk.finish(members, log_count)


class _Seal:
    """``seal`` computed as the members go by, in the order of their names: the count, the
    entries, the events, then the other fields (known at the end)."""

    def __init__(self, count: Any) -> None:
        from hashlib import sha256

        self._hash = sha256(('{"count":' + _dumps(count) + ',"entries":[').encode("utf-8"))
        self._first = True

    def add(self, item: Mapping[str, Any]) -> None:
        text = _dumps(item)
        self._hash.update((text if self._first else "," + text).encode("utf-8"))
        self._first = False

    def events(self) -> None:
        """The events come next (every entry added)."""
        self._hash.update(b'],"events":[')
        self._first = True

    def hexdigest(self, fields: Mapping[str, Any]) -> str:
        self._hash.update(b"]")
        for name in sorted(fields):
            if name not in ("count", "seal"):
                self._hash.update(f",{_dumps(name)}:{_dumps(fields[name])}".encode())
        self._hash.update(b"}")
        return self._hash.hexdigest()


_ENCODER: json.JSONEncoder | None = None


def _dumps(value: Any) -> str:
    """Compact, key-sorted JSON, as ``_canonical`` writes each part of the document."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _ENCODER.encode(value)


class _ExportWalk:
    """What ``check_export_stream`` finds, member by member: per entry and event only what a
    later check needs (a count, a flag, the first problem of each kind, the ids that name a
    correction or a closing)."""

    def __init__(
        self,
        *,
        stored: Iterable[Mapping[str, Any]] | None,
        stored_events: Iterable[Mapping[str, Any]] | None,
    ) -> None:
        self.fields: dict[str, Any] = {}
        self.keys: set[str] = set()
        self.lists: set[str] = set()  # which of STREAMED came as lists
        self.unreadable: str | None = None  # the first entry not as an export writes it
        self.chain = evidence.ChainWalk()
        self.entries = 0
        self.unverifiable = 0
        self.last_unverifiable = False
        self.claims: dict[int, Any] = {}  # entry id → its corrected_by, where it names one
        self.corrector: dict[int, int] = {}  # entry id → the last entry correcting it
        self.done: dict[int, Any] = {}  # entry id → its follow_up_done_at, where it shows one
        self.closed: dict[int, list[Any]] = {}  # entry id → closing times in the events
        self.events_walk = evidence.EventsWalk()
        self.events = 0
        self.events_malformed = False
        self.events_hidden = False
        self.events_last: Any = evidence.GENESIS
        self.seal: _Seal | None = None
        self.seal_later = False  # the file's layout: the seal needs a second reading
        self.stored = None if stored is None else iter(stored)
        self.stored_read = 0
        self.stored_events = None if stored_events is None else iter(stored_events)
        self.differs: tuple[str, int] | None = None  # hash or closing time (the log's anchors)
        self.field: tuple[str, int, str | None] | None = None
        self.events_differs: tuple[str, int] | None = None
        self.event_field: tuple[str, int, str | None] | None = None
        self.hiding = False  # a stored event from which a redacted copy masks every event

    def feed(self, members: Iterable[Member]) -> None:
        entry, event = self.entry, self.event
        for key, kind, value in members:
            if kind == "item":
                if key == "entries":
                    entry(value)
                else:
                    event(value)
            elif kind == "begin":
                self.begin(key)
            else:
                self.keys.add(key)
                if key not in STREAMED:
                    self.fields[key] = value

    def begin(self, key: str) -> None:
        self.keys.add(key)
        self.lists.add(key)
        if key == "events":
            if self.seal is not None:
                self.seal.events()
            elif "entries" not in self.lists:
                self.seal_later = True
        elif "count" in self.fields and "events" not in self.lists:
            self.seal = _Seal(self.fields["count"])
        else:
            self.seal_later = True

    def entry(self, entry: Any) -> None:
        position = self.entries = self.entries + 1
        if self.unreadable is not None:
            if not isinstance(entry, Mapping):
                self.unreadable = "'entries' is not a list of entries"
            return
        if not isinstance(entry, Mapping):
            self.unreadable = "'entries' is not a list of entries"
            return
        entry_id = entry.get("id")
        if type(entry_id) is not int:
            self.unreadable = f"entry {position} has no whole-number id"
            return
        missing = [n for n in _REQUIRED if n not in entry]
        if missing:
            self.unreadable = f"entry {position} has no {', '.join(missing[:3])}"
            return
        chain = self.chain
        chain.add(entry)
        if not chain.intact:
            return  # the export is refused for that whatever follows
        unverifiable = entry.get("unverifiable") is True
        self.unverifiable += unverifiable
        self.last_unverifiable = unverifiable
        target = entry.get("corrects")
        if type(target) is int:
            self.corrector[target] = entry_id
        if entry.get("corrected_by") is not None:
            self.claims[entry_id] = entry.get("corrected_by")
        if entry.get("follow_up_done_at") is not None:
            self.done[entry_id] = entry.get("follow_up_done_at")
        if self.seal is not None:
            self.seal.add(entry)
        if self.stored is not None and (self.differs is None or self.field is None):
            self._compare(entry, position, unverifiable)

    def _compare(self, entry: Mapping[str, Any], position: int, unverifiable: bool) -> None:
        assert self.stored is not None
        kept = next(self.stored, None)
        if kept is None:
            self.differs = self.differs or ("missing", position)
            self.field = self.field or ("missing", position, None)
            return
        self.stored_read += 1
        if self.differs is None and not unverifiable:
            if entry.get("hash") != str(kept.get("hash")):
                self.differs = ("differs", position)
            else:
                shown_done = entry.get("follow_up_done_at")
                if shown_done is not None and shown_done != kept.get("follow_up_done_at"):
                    self.differs = ("done_changed", position)
        if self.field is None:
            differs = _entry_differs(entry, kept)
            if differs is not None:
                self.field = (differs[0], position, differs[1])

    def event(self, event: Any) -> None:
        position = self.events = self.events + 1
        if self.events_malformed or not isinstance(event, Mapping):
            self.events_malformed = True
            return
        self.events_walk.add(event)
        unverifiable = event.get("unverifiable") is True
        self.events_hidden = self.events_hidden or unverifiable
        self.events_last = event.get("hash")
        body = event.get("body")
        if (
            event.get("kind") == "follow_up_done"
            and not unverifiable
            and isinstance(body, Mapping)
            and type(body.get("contact_id")) is int
        ):
            self.closed.setdefault(body["contact_id"], []).append(body.get("done_at"))
        if self.seal is not None:
            self.seal.add(event)
        if self.stored_events is not None and (
            self.events_differs is None or self.event_field is None
        ):
            kept = next(self.stored_events, None)
            if kept is None:
                self.events_differs = self.events_differs or ("events_missing", position)
                self.event_field = self.event_field or ("events_missing", position, None)
                return
            if (
                self.events_differs is None
                and not unverifiable
                and event.get("hash") != str(kept.get("hash"))
            ):
                self.events_differs = ("events_differs", position)
            if self.event_field is None:
                self.hiding, differs = _event_differs(event, kept, self.hiding)
                if differs is not None:
                    self.event_field = (differs[0], position, differs[1])

    def finish(self, members: Callable[[], Iterable[Member]], log_count: int | None) -> ExportCheck:
        """The first problem, in the order of the checks (``ExportCheck``)."""
        if "entries" not in self.lists:
            raise ExportUnreadable("'entries' is not a list of entries")
        if self.unreadable is not None:
            raise ExportUnreadable(self.unreadable)
        chain = self.chain.result()
        ok = ExportCheck(count=chain.count, head=chain.head, unverified=chain.unverified)

        def found(problem: str, **more: Any) -> ExportCheck:
            return replace(ok, problem=problem, **more)

        if not chain.intact:
            return found(chain.problem or "changed", entry_id=chain.entry_id)
        fields = self.fields
        stated = fields.get("count")
        version = fields.get("schema_version")
        if version not in (EXPORT_SCHEMA_VERSION, *OLD_EXPORT_VERSIONS) or type(stated) is not int:
            raise ExportUnreadable("no entry count: not an export made by this version")
        relabelled = False
        if self.keys & set(_EVENT_KEYS):
            # The version never lowers the checks: a file that carries events is checked as one
            # (schema_version set to 2 on such a file skipped every event check), and is refused
            # for its version once every other check has had its say.
            relabelled = version != EXPORT_SCHEMA_VERSION
            version = EXPORT_SCHEMA_VERSION
        if self.keys - _DOCUMENT_KEYS:
            return found("sealed")  # a field no export has: neither disclosed nor committed
        count = self.entries
        if stated != count:
            return found("count", stated=stated, entry_id=count + 1)
        if count and fields.get("head_hash") != (None if self.last_unverifiable else chain.head):
            return found("head")
        events = version == EXPORT_SCHEMA_VERSION
        if events:
            if "events" not in self.lists or self.events_malformed:
                raise ExportUnreadable("'events' is not a list of events")
            chained = self.events_walk.result()
            ok = replace(ok, events=self.events, events_unverified=chained.unverified)
            if not chained.intact:
                return found(chained.problem or "event_changed", entry_id=chained.event_id)
            said = fields.get("events_count")
            if said != self.events:
                return found("events_count", stated=said if type(said) is int else None)
            own_head = None if self.events_hidden else str(self.events_last)
            if fields.get("events_head") != own_head:
                return found("events_head")
            head = fields.get("head_hash")
            code = fields.get("fingerprint")
            if code is not None and (
                head is None
                or fields.get("events_head") is None
                or code != fingerprint(count, head, (self.events, str(own_head)))
            ):
                return found("events_head")
        if self.unverifiable and fields.get("redacted") is not True:
            return found("sealed")
        named = self._correction_contradicted()
        if named is not None:
            return found("correction", entry_id=named)
        if fields.get("seal") != self._seal(members):
            return found("sealed")
        if fields.get("unverifiable", 0) != self.unverifiable or fields.get("intact") is not True:
            return found("sealed")  # what the file says of itself is not what it holds
        named = self._closure_contradicted()
        if named is not None:
            return found("done_contradicted", entry_id=named)
        if self.stored is None:
            return found("sealed") if relabelled else ok
        for first in (self.differs, self.events_differs if events else None):
            if first is not None:
                return found(first[0], entry_id=first[1])
        for field in (self.field, self.event_field if events else None):
            if field is not None:
                return found(field[0], entry_id=field[1], field=field[2])
        if relabelled:
            return found("sealed")
        if log_count is None:
            log_count = self.stored_read + sum(1 for _ in self.stored)
        return replace(ok, log_count=log_count)

    def _correction_contradicted(self) -> int | None:
        """The first entry whose ``corrected_by`` the entries themselves contradict (the export
        is the whole log at one moment, so every correction of an entry in it is in it too)."""
        named = [
            entry_id
            for entry_id in self.claims.keys() | self.corrector.keys()
            if 1 <= entry_id <= self.entries
            and self.claims.get(entry_id) != self.corrector.get(entry_id)
        ]
        return min(named, default=None)

    def _closure_contradicted(self) -> int | None:
        """The first entry whose ``follow_up_done_at`` the export's own (hash-chained) closing
        events contradict: an entry closed in the events shows that closing time. Without this
        a cleared ``follow_up_done_at`` passed once the plain-SHA-256 seal was recomputed."""
        named = [
            entry_id
            for entry_id, times in self.closed.items()
            if 1 <= entry_id <= self.entries and self.done.get(entry_id) not in times
        ]
        return min(named, default=None)

    def _seal(self, members: Callable[[], Iterable[Member]]) -> str:
        """The seal the file's members give: computed as they went by, or (``seal_later``)
        from two more readings, the entries' then the events'."""
        if self.seal is None or self.seal_later:
            seal = _Seal(self.fields.get("count"))
            for key, kind, value in members():
                if key == "entries" and kind == "item":
                    seal.add(value)
            if "events" in self.lists:
                seal.events()
                for key, kind, value in members():
                    if key == "events" and kind == "item":
                        seal.add(value)
            self.seal = seal
        return self.seal.hexdigest(self.fields)


#: What every entry of an export holds.
_REQUIRED = (*evidence.COMMITTED_FIELDS, "hash")


#: Every key an export's document may hold (anything else was added after it was made).
_DOCUMENT_KEYS = frozenset(
    (
        "schema_version",
        "exported_at",
        "redacted",
        "intact",
        "count",
        "head_hash",
        "events_count",
        "events_head",
        "fingerprint",
        "unverifiable",
        "entries",
        "events",
        "seal",
    )
)
#: Keys only an export that carries the events holds.
_EVENT_KEYS = ("events", "events_count", "events_head")
#: What a later entry or closing may set in the log after an export was made: shown ``None``
#: in the export, or the database's value.
_LATER = ("corrected_by", "follow_up_done_at")
_MASK = "*"


def _hides(shown: Any, stored: Any) -> bool:
    """Whether ``shown`` is ``stored`` with some of it masked: the mask repaycli applies now, or
    any mask that only replaces characters with ``*`` (an export made with older rules), in
    text, lists and objects alike. Nothing else may stand in for a stored value."""
    if shown == stored:
        return True
    if isinstance(stored, str):
        if not isinstance(shown, str):
            return False
        if shown in (evidence.redact(stored), evidence.redact_names(stored)):
            return True
        return len(shown) == len(stored) and all(
            a == b or (a == _MASK and b != _MASK) for a, b in zip(shown, stored, strict=True)
        )
    if isinstance(stored, list):
        return (
            isinstance(shown, list)
            and len(shown) == len(stored)
            and all(_hides(a, b) for a, b in zip(shown, stored, strict=True))
        )
    if isinstance(stored, Mapping):
        return (
            isinstance(shown, Mapping)
            and set(shown) == set(stored)
            and all(_hides(shown[k], stored[k]) for k in stored)
        )
    return False


def _entry_differs(entry: Mapping[str, Any], stored: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(problem, field)`` for the first field of an exported entry that is not the stored
    entry's: every field is either shown as stored, or masked where the export says so
    (``withheld`` for a salted entry, ``unverifiable`` for an entry written before salting)."""
    unverifiable = entry.get("unverifiable") is True
    if unverifiable and stored.get("salts") is not None:
        return "unverifiable", "unverifiable"
    if "unverifiable" in entry and not unverifiable:
        return "field_differs", "unverifiable"
    withheld = entry.get("withheld") or {}
    if not isinstance(withheld, Mapping) or (withheld and stored.get("salts") is None):
        return "field_differs", "withheld"
    for name in sorted(set(entry) | set(stored)):
        if name in ("withheld", "unverifiable"):
            continue
        shown, kept = entry.get(name), stored.get(name)
        if name not in entry and kept in (None, False, []):
            continue  # an export from before the field existed
        if name not in stored:
            return "field_differs", name
        if shown == kept:
            continue
        if name in _LATER and shown is None:
            continue
        if name == "salts":
            salts = shown if isinstance(shown, Mapping) else None
            if (
                salts is not None
                and isinstance(kept, Mapping)
                and all(kept.get(k) == v for k, v in salts.items())
                and set(kept) - set(salts) == set(withheld)
            ):
                continue
            return "field_differs", name
        if name in ("hash", "prev_hash") and shown is None:
            if unverifiable or (name == "prev_hash" and name in withheld):
                continue
            return "field_differs", name
        masked = name in withheld or unverifiable
        if masked and name in evidence.WITHHOLDABLE and _hides(shown, kept):
            continue
        return "field_differs", name
    return None


def _event_differs(
    event: Mapping[str, Any], kept: Mapping[str, Any], hiding: bool
) -> tuple[bool, tuple[str, str] | None]:
    """Whether the stored events hide from here on, and ``(problem, field)`` when the exported
    event is not the stored one: shown as stored, or — from the first event whose body masking
    changes on (``hiding``), and only from there — ``unverifiable``, without hashes, with its
    body the stored body masked."""
    body = kept.get("body")
    shown_body = event.get("body")
    hiding = (
        hiding
        or _masked_value(body) != body
        or (event.get("unverifiable") is True and shown_body != body and _hides(shown_body, body))
    )
    unverifiable = event.get("unverifiable") is True
    if unverifiable and not hiding:
        return hiding, ("event_unverifiable", "unverifiable")
    for name in sorted(set(event) | set(kept)):
        shown, value = event.get(name), kept.get(name)
        if name == "unverifiable":
            if name in event and not unverifiable:
                return hiding, ("event_field_differs", name)
            continue
        if name not in kept:
            return hiding, ("event_field_differs", name)
        if shown == value:
            continue
        if unverifiable and name in ("hash", "prev_hash") and shown is None:
            continue
        if unverifiable and name == "body" and _hides(shown, value):
            continue
        return hiding, ("event_field_differs", name)
    return hiding, None
