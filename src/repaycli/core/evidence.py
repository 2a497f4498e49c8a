"""The call log as evidence: a SHA-256 hash chain over its entries, and redaction of personal
numbers (mobile phones, ID cards, bank cards) for copies handed to others. Pure: no I/O.

Two kinds of entry share the chain:

- **v1** (written before salted commitments): the hash covers the fields themselves
  (``canonical``). A copy that masks a field and keeps the hash gives the masked value away (a
  masked mobile has only 10⁴ candidates), so such an entry is never shown both redacted and
  verifiable.
- **v2**: each field, ``prev_hash`` included, is committed with its own random salt
  (``commitment``: SHA-256 over a domain tag, the salt and the field as JSON) and the entry's
  hash covers the commitments only (``sealed_hash``), as selective-disclosure formats do. A
  redacted copy keeps a masked field's commitment and drops its salt: the chain still
  verifies, and without the 128-bit salt no candidate value can be tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from repaycli.core.record import Model

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64

#: The free-text fields a user types into an entry (stored as typed; masked by ``--redact``).
TEXT_FIELDS = (
    "number",
    "agent",
    "ref",
    "asked",
    "offered",
    "agreed_terms",
    "confirmation",
    "follow_up_action",
    "notes",
)

#: The fields an entry's hash covers, in this order (the JSON is also key-sorted).
HASHED_FIELDS = (
    "id",
    "recorded_at",
    "at",
    "platform",
    "channel",
    "number",
    "agent",
    "ref",
    "asked",
    "offered",
    "outcome",
    "agreed_terms",
    "confirmation",
    "follow_up",
    "follow_up_action",
    "notes",
    "attachments",
    "corrects",
)


#: What a v2 entry commits to, each field with its own salt.
COMMITTED_FIELDS = (*HASHED_FIELDS, "prev_hash")
#: What an entry logged as collection (by the lender or its agent) commits to: the v2 fields and
#: ``collection`` (``true``), under ``"v": 3``. An entry that is not collection stays v2, so the
#: entries and exports written before the marker existed are unchanged; turning the marker on
#: or off changes the hash either way.
COLLECTION_FIELDS = (*COMMITTED_FIELDS, "collection")
#: What arrives from a collector, beyond the call-log fields (``log collection``): the direction,
#: the firm and what it claims to be, the threats (a list of ids), the text as it arrived and the
#: third party contacted. Stored in columns of their own (schema 9), ``None`` when not given.
DETAIL_FIELDS = ("direction", "firm", "claims", "threats", "said", "third_party")
#: The free-text ones among them (masked by ``--redact``).
DETAIL_TEXT = ("firm", "said", "third_party")
#: What an entry with any detail commits to, under ``"v": 4``: the v3 fields (``collection``
#: committed true or false) and every detail field. Entries without detail keep v2 or v3.
DETAIL_COMMITTED = (*COLLECTION_FIELDS, *DETAIL_FIELDS)
#: The fields a redacted copy may withhold (commitment without salt); ``prev_hash`` only after an
#: entry that could not be shown.
WITHHOLDABLE = frozenset((*TEXT_FIELDS, *DETAIL_TEXT, "attachments"))
SALT_BYTES = 16
_FIELD_TAG = b"repaycli.field.v2\x00"


def canonical(entry: Mapping[str, Any], prev_hash: str) -> bytes:
    """The exact bytes hashed: the entry's fields and the previous hash as compact, key-sorted
    UTF-8 JSON (so anyone can recompute it from an export)."""
    body = {name: entry.get(name) for name in HASHED_FIELDS}
    body["prev_hash"] = prev_hash
    return _json(body)


def entry_hash(entry: Mapping[str, Any], prev_hash: str) -> str:
    return sha256_hex(canonical(entry, prev_hash))


_SHA256: Callable[[bytes], Any] | None = None


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` in hex. hashlib loads OpenSSL (~7 ms), so it is imported on the first
    hash: only commands that hash pay for it, and only once however many fields they hash."""
    global _SHA256
    if _SHA256 is None:
        from hashlib import sha256

        _SHA256 = sha256
    return str(_SHA256(data).hexdigest())


#: One encoder for every commitment (``json.dumps`` with options builds a new one per call,
#: which was most of the cost of verifying a long log), and the encoder's string quoting. Both
#: are made on first use, like ``_SHA256``: ``remind`` loads this module and never hashes, and
#: ``json`` costs 3 ms to import.
_ENCODE: Callable[[Any], str] | None = None
_QUOTE: Callable[[str], str] | None = None


def _load_json() -> tuple[Callable[[Any], str], Callable[[str], str]]:
    global _ENCODE, _QUOTE
    import json

    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    _ENCODE, _QUOTE = encoder.encode, json.encoder.encode_basestring
    return _ENCODE, _QUOTE


def _json(value: Any) -> bytes:
    return (_ENCODE or _load_json()[0])(value).encode("utf-8")


def _field_json(name: str, value: Any) -> bytes:
    """``_json([name, value])``, built directly for text, whole numbers and null (the encoder's
    own string escaping, so the bytes are the same; ``test_field_json_matches_the_encoder``)."""
    quote = _QUOTE or _load_json()[1]
    if value is None:
        tail = "null"
    elif type(value) is str:
        tail = quote(value)
    elif type(value) is int:
        tail = int.__repr__(value)
    else:
        return _json([name, value])
    return ("[" + quote(name) + "," + tail + "]").encode("utf-8")


def commitment(name: str, value: Any, salt: str) -> str:
    """The salted commitment to one field: without ``salt`` (hex) no guess can be checked."""
    return sha256_hex(_FIELD_TAG + bytes.fromhex(salt) + _field_json(name, value))


def committed_fields(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields a salted entry commits to: ``DETAIL_COMMITTED`` for an entry with any detail
    field, ``COLLECTION_FIELDS`` for a contact logged as collection, else ``COMMITTED_FIELDS``."""
    if any(entry.get(name) is not None for name in DETAIL_FIELDS):
        return DETAIL_COMMITTED
    return COLLECTION_FIELDS if entry.get("collection") is True else COMMITTED_FIELDS


def commitments(entry: Mapping[str, Any], salts: Mapping[str, str]) -> dict[str, str]:
    """Every committed field's commitment (``entry`` carries ``prev_hash`` among its fields)."""
    return {
        name: commitment(name, entry.get(name), salts[name]) for name in committed_fields(entry)
    }


def sealed_hash(commits: Mapping[str, str]) -> str:
    """A v2 (v3 with ``collection``) entry's hash: over its field commitments only, never over
    a value."""
    names: tuple[str, ...]
    if "said" in commits:
        names, version = DETAIL_COMMITTED, 4
    elif "collection" in commits:
        names, version = COLLECTION_FIELDS, 3
    else:
        names, version = COMMITTED_FIELDS, 2
    body = {"v": version, "commitments": {name: commits[name] for name in names}}
    return sha256_hex(_json(body))


def entry_hash_v2(entry: Mapping[str, Any], prev_hash: str, salts: Mapping[str, str]) -> str:
    return sealed_hash(commitments({**entry, "prev_hash": prev_hash}, salts))


class _Unreadable(Exception):
    """An entry whose salts or commitments are not what the format allows."""


def _v2_hash(entry: Mapping[str, Any], prev_known: bool) -> tuple[str, bool]:
    """A v2 entry's hash recomputed from what it discloses, and whether its ``prev_hash`` is
    disclosed. Raises ``_Unreadable`` for a field neither disclosed nor allowed to be withheld."""
    salts, withheld = entry.get("salts"), entry.get("withheld") or {}
    if not isinstance(salts, Mapping) or not isinstance(withheld, Mapping):
        raise _Unreadable
    commits: dict[str, str] = {}
    for name in committed_fields(entry):
        salt = salts.get(name)
        if isinstance(salt, str):
            try:
                commits[name] = commitment(name, entry.get(name), salt)
            except (ValueError, TypeError) as exc:
                raise _Unreadable from exc
            continue
        kept = withheld.get(name)
        allowed = name in WITHHOLDABLE or (name == "prev_hash" and not prev_known)
        if not isinstance(kept, str) or not allowed:
            raise _Unreadable
        commits[name] = kept
    return sealed_hash(commits), isinstance(salts.get("prev_hash"), str)


def recompute(entry: Mapping[str, Any], prev_hash: str) -> str:
    """An entry's hash from its fields (v1) or its salted commitments (v2), with ``prev_hash``."""
    salts = entry.get("salts")
    if salts is None:
        return entry_hash(entry, prev_hash)
    return entry_hash_v2(entry, prev_hash, salts)


class ChainCheck(Model):
    """The result of re-computing the chain. ``problem`` is ``None`` when intact, else
    ``changed`` (entry ``entry_id`` is not what was hashed) or ``removed`` (entry ``entry_id`` is
    missing); the store adds ``time_changed`` (its UTC sort time no longer matches ``at``)."""

    count: int
    head: str
    problem: str | None = None
    entry_id: int | None = None
    #: Entries a redacted copy could not show verifiably (v1 entries with masked text).
    unverified: int = 0

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(entries: Iterable[Mapping[str, Any]], *, head_id: int | None = None) -> ChainCheck:
    """Re-compute the chain over ``entries`` (in id order, each with ``prev_hash`` and ``hash``;
    a v2 entry also with ``salts``, and in a redacted copy ``withheld`` commitments), read once,
    one at a time; ``count`` is the number of entries whatever is found.

    Ids run 1, 2, 3 … with no gap, so a removed entry is named by its id; ``head_id`` (the last
    id the store remembers writing) names entries removed from the end. An entry marked
    ``unverifiable`` (a v1 entry a redacted copy had to mask) is counted, not checked, and the
    link after it cannot be checked either.
    """
    walk = ChainWalk()
    for entry in entries:
        walk.add(entry)
    return walk.result(head_id=head_id)


class ChainWalk:
    """``verify_chain`` given the entries one at a time (``add``), for a reader that has other
    uses for each entry as it goes by; ``result`` once every entry is added."""

    def __init__(self) -> None:
        self._prev: str | None = GENESIS
        self._expected = 1
        self._unverified = 0
        self._problem: tuple[str, int] | None = None
        self._after = 0  # entries added after the problem (counted, not checked)

    @property
    def intact(self) -> bool:
        """No problem among the entries added so far."""
        return self._problem is None

    def add(self, entry: Mapping[str, Any]) -> None:
        if self._problem is not None:
            self._after += 1
            return
        expected = self._expected
        entry_id = entry.get("id")
        if type(entry_id) is not int or entry_id != expected:
            self._problem = ("removed", expected)
            return
        if entry.get("unverifiable") is True and entry.get("salts") is None:
            self._unverified += 1
            self._prev, self._expected = None, expected + 1
            return
        own: str | None
        try:
            if entry.get("salts") is None:
                # entries from before salting cannot carry the collection marker
                if entry.get("collection", False) is not False or any(
                    entry.get(name) is not None for name in DETAIL_FIELDS
                ):
                    raise _Unreadable
                own = entry_hash(entry, str(entry.get("prev_hash")))
                shown_prev = True
            else:
                if type(entry.get("collection", False)) is not bool:
                    raise _Unreadable
                own, shown_prev = _v2_hash(entry, self._prev is not None)
        except _Unreadable:
            own, shown_prev = None, False
        if own is None or own != entry.get("hash"):
            self._problem = ("changed", entry_id)
        elif self._prev is not None and shown_prev and entry.get("prev_hash") != self._prev:
            # This entry is as hashed, so the one before it was rewritten with its own hash.
            self._problem = ("changed", max(expected - 1, 1))
        else:
            self._prev = str(entry["hash"])
            self._expected = expected + 1

    def result(self, *, head_id: int | None = None) -> ChainCheck:
        head, unverified = self._prev or "", self._unverified
        if self._problem is not None:
            return ChainCheck(
                count=self._expected + self._after,
                head=head,
                problem=self._problem[0],
                entry_id=self._problem[1],
                unverified=unverified,
            )
        count = self._expected - 1
        if head_id is not None and head_id >= self._expected:
            return ChainCheck(
                count=count,
                head=head,
                problem="removed",
                entry_id=self._expected,
                unverified=unverified,
            )
        return ChainCheck(count=count, head=head, unverified=unverified)


# --- the events chain: agreements, payments, closures, offer checks and voids ----------------


def event_hash(event: Mapping[str, Any]) -> str:
    """An event's hash: over its id, kind, ref, time, body and the previous event's hash, as
    compact key-sorted UTF-8 JSON (the store's ``events`` rows; an export's ``events``)."""
    body = {k: event.get(k) for k in ("id", "kind", "ref", "recorded_at", "body", "prev_hash")}
    return sha256_hex(_json(body))


class EventsCheck(Model):
    """The events chain re-computed: ``problem`` ``None``, ``event_changed`` or
    ``event_removed`` (event ``event_id``); ``unverified``: events a redacted copy could show
    only masked."""

    count: int
    head: str
    problem: str | None = None
    event_id: int | None = None
    unverified: int = 0

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_events_chain(events: Iterable[Mapping[str, Any]]) -> EventsCheck:
    """Re-compute the events chain (in id order, ids 1, 2, 3 … with no gap). An event marked
    ``unverifiable`` (its body masked in a redacted copy) is counted, not checked; once one is,
    every later one is too (their hashes lead back to it)."""
    walk = EventsWalk()
    for event in events:
        if not walk.add(event):
            break
    return walk.result()


class EventsWalk:
    """``verify_events_chain`` given the events one at a time (``add``, which says whether the
    chain still holds: the events after a break are not looked at)."""

    def __init__(self) -> None:
        self._prev, self._expected, self._unverified = GENESIS, 1, 0
        self._problem: tuple[str, int] | None = None

    def add(self, event: Mapping[str, Any]) -> bool:
        if self._problem is not None:
            return False
        expected = self._expected
        if type(event.get("id")) is not int or event.get("id") != expected:
            self._problem = ("event_removed", expected)
        elif event.get("unverifiable") is True or self._unverified:
            if event.get("unverifiable") is not True or event.get("hash") is not None:
                self._problem = ("event_changed", expected)
            else:
                self._unverified += 1
                self._expected = expected + 1
        elif event_hash(event) != event.get("hash"):
            self._problem = ("event_changed", expected)
        elif event.get("prev_hash") != self._prev:
            self._problem = ("event_changed", max(expected - 1, 1))
        else:
            self._prev, self._expected = str(event["hash"]), expected + 1
        return self._problem is None

    def result(self) -> EventsCheck:
        problem, event_id = self._problem or (None, None)
        return EventsCheck(
            count=self._expected - 1,
            head=self._prev,
            problem=problem,
            event_id=event_id,
            unverified=self._unverified,
        )


# --- redaction -------------------------------------------------------------------------------

#: The patterns below are compiled when first used (``_maskers``): ``remind`` and the
#: other commands that never redact load this module without paying for them.

#: Between groups of digits: up to three of space, tab, no-break and thin spaces, hyphens and
#: dashes, dot, slash and underscore (138 1234 5678, 138  1234  5678, 138 - 1234 - 5678,
#: 138/1234/5678, 138_1234_5678, with U+00A0 between the groups).
_SEP = r"[ \t\u00a0\u2007\u2009\u202f\-\u2010-\u2015./_]{0,3}"
#: A number counts only when it stands alone: glued to ASCII letters or digits it is part of a
#: reference / ticket number (TK2026100112345678, card16), which is evidence and stays readable.
_ALONE_BEFORE = r"(?<![0-9A-Za-z*])"
_ALONE_AFTER = r"(?![0-9A-Za-z*])"
#: 18-digit (or old 15-digit) resident ID-card numbers, in any grouping (110101-19900307-123X,
#: 1101 0119 9003 0712 3X); the last character may be X. ``_mask_id`` checks the birth date.
_ID_CARD = (
    r"(?<![0-9A-Za-z*])(\d(?:" + _SEP + r"\d){16}" + _SEP + r"[\dXx]|\d{15})(?![0-9A-Za-z*])"
)
#: Bank-card numbers: 16 to 19 digits, optionally grouped (``_mask_card`` decides which runs
#: are cards: also runs glued to letters, which only a Luhn check turns into a card).
_BANK_CARD = r"(?<![0-9*])(\d(?:" + _SEP + r"\d){15,18})(?![0-9*])"
#: Mainland mobile numbers, with an optional +86 / 86 prefix and separators (138 1234 5678).
#: Also glued to letters (Tel13812345678, 微信wx13812345678, 13812345678x): 1[3-9] and nine
#: more digits are a mobile wherever they stand, but never inside a longer run of digits (an
#: order number of 12 or more digits stays readable, as does a card left by ``_mask_card``).
_MOBILE = (
    r"(?<![0-9*+])((?:\+?86"
    + _SEP
    + r")?1[3-9]\d"
    + _SEP
    + r"\d{4}"
    + _SEP
    + r"\d{4})"
    + r"(?![0-9*])"
)
#: Landlines: a 3- or 4-digit area code starting with 0 (021, (0571)), or +86 and the area code
#: without its 0 (+86-21), then 7 or 8 digits.
_LANDLINE = (
    r"(?<![0-9A-Za-z*(+])((?:\+?86"
    + _SEP
    + r"\(?0?[1-9]\d{1,2}\)?|\(?0[12]\d\)?|\(?0[3-9]\d{2}\)?)"
    + _SEP
    + r")(\d{3,4}"
    + _SEP
    + r"\d{4})"
    + _ALONE_AFTER
)
#: Full-width digits and signs (１３８…, ＋８６) read as their ASCII forms, one for one, so that a
#: match found in the translated text masks the same span of the original.
_WIDE = str.maketrans(
    {chr(0xFF10 + n): str(n) for n in range(10)}
    | {"＋": "+", "－": "-", "．": ".", "（": "(", "）": ")", "\u3000": " ", "Ｘ": "X", "ｘ": "x"}
)


def _mask_keep_last(match: re.Match[str], keep: int = 4) -> str:
    digits = [c for c in match.group(1) if c.isalnum()]
    return "*" * (len(digits) - keep) + "".join(digits[-keep:])


def _mask_id(match: re.Match[str]) -> str:
    """An ID-card number (a birth date where it belongs: 19xx or 20xx, month 01 to 12): all but
    the last 4 hidden. Any other 18 digits are left to the bank-card pattern."""
    chars = [c for c in match.group(1) if c.isalnum()]
    year, month = "".join(chars[6:8]), "".join(chars[10:12])
    if len(chars) == 18 and (year not in ("19", "20") or not "01" <= month <= "12"):
        return match.group(0)
    return _mask_keep_last(match)


def _luhn(digits: str) -> bool:
    """The Luhn check every bank card's number passes (its last digit checks the others)."""
    total = 0
    for n, char in enumerate(reversed(digits)):
        value = int(char) * (2 if n % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


#: How cards are printed: one run, groups of four (the last 1 to 4), or six then the rest.
_CARD_GROUPS = re.compile(r"^(?:\d+|(?:\d{4} )+\d{1,4}|\d{6} \d+)$")


def _mask_card(match: re.Match[str]) -> str:
    """A run of 16 to 19 digits as a card: all but the last 4 hidden. Standing alone it is a
    card when it is one run or grouped as cards are printed; glued to letters (a reference
    number such as TK2026100112345678, which is evidence) or grouped otherwise (two dates,
    ``2026-11-21 - 2026-11-22``) only when it passes the Luhn check."""
    text, start, end = match.string, match.start(1), match.end(1)
    digits = "".join(c for c in match.group(1) if c.isdigit())
    glued = (start > 0 and _is_letter(text[start - 1])) or (
        end < len(text) and _is_letter(text[end])
    )
    grouped = re.sub(r"\D+", " ", match.group(1))
    if glued and " " in grouped:  # "card16 6225…": the card is what follows the glued group
        head = re.match(r"\d+\D+", match.group(1))
        assert head is not None
        rest = match.group(1)[head.end() :]
        return head.group(0) + re.sub(_BANK_CARD, _mask_card, rest)
    if (glued or not _CARD_GROUPS.match(grouped)) and not _luhn(digits):
        return match.group(0)
    return "*" * (len(digits) - 4) + digits[-4:]


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _mask_mobile(match: re.Match[str]) -> str:
    digits = "".join(c for c in match.group(1) if c.isdigit())[-11:]
    return f"{digits[:3]}****{digits[-4:]}"


def _mask_landline(match: re.Match[str]) -> str:
    """The area code, then the local number with at least 4 digits hidden (a 7-digit number
    keeps its last 3): 02161234567 is 021 and 61234567, never 0216 and ***4567."""
    digits = [c for c in match.group(2) if c.isdigit()]
    keep = min(4, len(digits) - 4)
    return match.group(1) + "*" * (len(digits) - keep) + "".join(digits[len(digits) - keep :])


#: An e-mail address: its local part is masked but for its first character; the domain stays.
_EMAIL = (
    r"(?<![\w.%+-])([A-Za-z0-9])([A-Za-z0-9._%+-]*)"
    r"(@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)


def redact_names(text: str | None) -> str | None:
    """``--redact names``: the numbers as :func:`redact` masks them, and e-mail addresses
    (``l*****@example.com``)."""
    text = redact(text)
    if text is None:
        return None
    return re.sub(_EMAIL, lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def mask_name(text: str | None) -> str | None:
    """An agent's name or number hidden whole, one ``*`` a character (spaces kept)."""
    if text is None:
        return None
    return "".join(c if c.isspace() else "*" for c in text)


def redact(text: str | None) -> str | None:
    """Mask ID-card and bank-card numbers (all but the last 4), mobile numbers (138****5678) and
    landlines (021-****5678), typed with full-width digits or grouped with up to three spaces
    (no-break ones too), hyphens, dashes, dots, slashes or underscores.

    Service numbers (95188, 400-820-8820) are kept: they are the lenders', not the user's; so are
    numbers glued to letters or digits (a reference number is evidence), except 16 to 19 digits
    that pass the Luhn check of a bank card (``_mask_card``) and mobiles (Tel13812345678: eleven
    digits from 1[3-9] that are not part of a longer run of digits).
    """
    if text is None:
        return None
    for pattern, mask in _maskers():
        text = _masked_by(pattern, mask, text)
    return text


Mask = Callable[[re.Match[str]], str]


@cache
def _maskers() -> tuple[tuple[re.Pattern[str], Mask], ...]:
    """Each pattern, compiled once, with its mask, in the order they are applied."""
    return (
        (re.compile(_ID_CARD), _mask_id),
        (re.compile(_BANK_CARD), _mask_card),
        (re.compile(_MOBILE), _mask_mobile),
        (re.compile(_LANDLINE), _mask_landline),
    )


def _masked_by(pattern: re.Pattern[str], mask: Mask, text: str) -> str:
    """``pattern.sub(mask, text)``, matched on the text with full-width digits read as ASCII."""
    plain = text.translate(_WIDE)
    if plain == text:
        return pattern.sub(mask, text)
    out, last = [], 0
    for match in pattern.finditer(plain):
        out += [text[last : match.start()], mask(match)]
        last = match.end()
    out.append(text[last:])
    return "".join(out)
