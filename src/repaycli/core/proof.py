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
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


def _entries_of(document: Any) -> list[Mapping[str, Any]]:
    if not isinstance(document, Mapping):
        raise ExportUnreadable("not a JSON object")
    entries = document.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise ExportUnreadable("'entries' is not a list of entries")
    for position, entry in enumerate(entries, 1):
        if type(entry.get("id")) is not int:
            raise ExportUnreadable(f"entry {position} has no whole-number id")
        missing = [n for n in (*evidence.COMMITTED_FIELDS, "hash") if n not in entry]
        if missing:
            raise ExportUnreadable(f"entry {position} has no {', '.join(missing[:3])}")
    return entries


def check_export(
    document: Any,
    *,
    log: Sequence[tuple[str, str | None]] | None = None,
    events_log: Sequence[str] | None = None,
    stored: Iterable[Mapping[str, Any]] | None = None,
    stored_events: Iterable[Mapping[str, Any]] | None = None,
) -> ExportCheck:
    """Check an export on its own, then (``log``: the log's ``(hash, follow_up_done_at)`` in id
    order; ``events_log``: the events' hashes in id order) against the database; with
    ``stored`` (the database's entries in id order, as ``store.iter_log`` reads them, salts
    included) and ``stored_events`` (``store.iter_events``), field by field: a field shown
    masked or withheld must be the database's value masked, and ``unverifiable`` is accepted
    only where the database holds what a redacted copy must hide. Raises ``ExportUnreadable``
    for a file that is not an export."""
    entries = _entries_of(document)
    chain = evidence.verify_chain(entries)
    ok = ExportCheck(count=chain.count, head=chain.head, unverified=chain.unverified)

    def found(problem: str, **more: Any) -> ExportCheck:
        return replace(ok, problem=problem, **more)

    if not chain.intact:
        return found(chain.problem or "changed", entry_id=chain.entry_id)
    stated = document.get("count")
    version = document.get("schema_version")
    if version not in (EXPORT_SCHEMA_VERSION, *OLD_EXPORT_VERSIONS) or type(stated) is not int:
        raise ExportUnreadable("no entry count: not an export made by this version")
    relabelled = False
    if any(key in document for key in _EVENT_KEYS):
        # The version never lowers the checks: a file that carries events is checked as one
        # (schema_version set to 2 on such a file skipped every event check), and is refused
        # for its version once every other check has had its say.
        relabelled = version != EXPORT_SCHEMA_VERSION
        version = EXPORT_SCHEMA_VERSION
    if set(document) - _DOCUMENT_KEYS:
        return found("sealed")  # a field no export has: neither disclosed nor committed
    if stated != len(entries):
        return found("count", stated=stated, entry_id=len(entries) + 1)
    if entries and document.get("head_hash") != _shown_head(entries, chain.head):
        return found("head")
    events: list[Mapping[str, Any]] = []
    if version == EXPORT_SCHEMA_VERSION:
        events = _events_of(document)
        ok = replace(ok, events=len(events))
        chained = evidence.verify_events_chain(events)
        ok = replace(ok, events_unverified=chained.unverified)
        if not chained.intact:
            return found(chained.problem or "event_changed", entry_id=chained.event_id)
        said = document.get("events_count")
        if said != len(events):
            return found("events_count", stated=said if type(said) is int else None)
        if document.get("events_head") != _events_head(events):
            return found("events_head")
        head = document.get("head_hash")
        code = document.get("fingerprint")
        if code is not None and (
            head is None
            or document.get("events_head") is None
            or code != fingerprint(len(entries), head, (len(events), str(_events_head(events))))
        ):
            return found("events_head")
    if any(e.get("unverifiable") is True for e in entries) and document.get("redacted") is not True:
        return found("sealed")
    named = _corrections_contradicted(entries)
    if named is not None:
        return found("correction", entry_id=named)
    if document.get("seal") != seal(document):
        return found("sealed")
    unverifiable = sum(1 for e in entries if e.get("unverifiable") is True)
    if document.get("unverifiable", 0) != unverifiable or document.get("intact") is not True:
        return found("sealed")  # what the file says of itself is not what it holds
    named = _closures_contradicted(entries, events)
    if named is not None:
        return found("done_contradicted", entry_id=named)
    if log is None:
        return found("sealed") if relabelled else ok
    for position, entry in enumerate(entries):
        if position >= len(log):
            return found("missing", entry_id=position + 1)
        log_hash, done_at = log[position]
        if entry.get("unverifiable") is True:
            continue
        if entry.get("hash") != log_hash:
            return found("differs", entry_id=position + 1)
        shown_done = entry.get("follow_up_done_at")
        if shown_done is not None and shown_done != done_at:
            return found("done_changed", entry_id=position + 1)
    if events_log is not None and version == EXPORT_SCHEMA_VERSION:
        for position, event in enumerate(events):
            if position >= len(events_log):
                return found("events_missing", entry_id=position + 1)
            if event.get("unverifiable") is not True and event.get("hash") != events_log[position]:
                return found("events_differs", entry_id=position + 1)
    if stored is not None:
        differs = _entries_differ(entries, stored)
        if differs is not None:
            return found(differs[0], entry_id=differs[1], field=differs[2])
    if stored_events is not None and version == EXPORT_SCHEMA_VERSION:
        differs = _events_differ(events, stored_events)
        if differs is not None:
            return found(differs[0], entry_id=differs[1], field=differs[2])
    if relabelled:
        return found("sealed")
    return replace(ok, log_count=len(log))


def _events_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    events = document.get("events")
    if not isinstance(events, list) or not all(isinstance(e, Mapping) for e in events):
        raise ExportUnreadable("'events' is not a list of events")
    return events


def _closures_contradicted(
    entries: Sequence[Mapping[str, Any]], events: Sequence[Mapping[str, Any]]
) -> int | None:
    """The first entry whose ``follow_up_done_at`` the export's own (hash-chained) closing
    events contradict: an entry closed in the events shows that closing time. Without this a
    cleared ``follow_up_done_at`` passed once the plain-SHA-256 seal was recomputed."""
    closed: dict[int, set[Any]] = {}
    for event in events:
        body = event.get("body")
        if event.get("kind") != "follow_up_done" or event.get("unverifiable") is True:
            continue
        if isinstance(body, Mapping) and type(body.get("contact_id")) is int:
            closed.setdefault(body["contact_id"], set()).add(body.get("done_at"))
    for entry in entries:
        times = closed.get(int(entry["id"]))
        if times is not None and entry.get("follow_up_done_at") not in times:
            return int(entry["id"])
    return None


def _corrections_contradicted(entries: Sequence[Mapping[str, Any]]) -> int | None:
    """The first entry whose ``corrected_by`` the entries themselves contradict (the export is
    the whole log at one moment, so every correction of an entry in it is in it too)."""
    by: dict[int, int] = {}
    for entry in entries:
        target = entry.get("corrects")
        if type(target) is int:
            by[target] = int(entry["id"])
    for entry in entries:
        if entry.get("corrected_by") != by.get(int(entry["id"])):
            return int(entry["id"])
    return None


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


def _entries_differ(
    entries: Sequence[Mapping[str, Any]], stored: Iterable[Mapping[str, Any]]
) -> tuple[str, int, str | None] | None:
    rest = iter(stored)
    for position, entry in enumerate(entries, 1):
        kept = next(rest, None)
        if kept is None:
            return "missing", position, None
        differs = _entry_differs(entry, kept)
        if differs is not None:
            return differs[0], position, differs[1]
    return None


def _events_differ(
    events: Sequence[Mapping[str, Any]], stored: Iterable[Mapping[str, Any]]
) -> tuple[str, int, str | None] | None:
    """The first exported event that is not the database's: shown as stored, or — from the
    first event whose body masking changes on, and only from there — ``unverifiable``, without
    hashes, with its body the stored body masked."""
    rest = iter(stored)
    hiding = False
    for position, event in enumerate(events, 1):
        kept = next(rest, None)
        if kept is None:
            return "events_missing", position, None
        body = kept.get("body")
        shown_body = event.get("body")
        hiding = (
            hiding
            or _masked_value(body) != body
            or (
                event.get("unverifiable") is True
                and shown_body != body
                and _hides(shown_body, body)
            )
        )
        unverifiable = event.get("unverifiable") is True
        if unverifiable and not hiding:
            return "event_unverifiable", position, "unverifiable"
        for name in sorted(set(event) | set(kept)):
            shown, value = event.get(name), kept.get(name)
            if name == "unverifiable":
                if name in event and not unverifiable:
                    return "event_field_differs", position, name
                continue
            if name not in kept:
                return "event_field_differs", position, name
            if shown == value:
                continue
            if unverifiable and name in ("hash", "prev_hash") and shown is None:
                continue
            if unverifiable and name == "body" and _hides(shown, value):
                continue
            return "event_field_differs", position, name
    return None
