"""The call log as evidence: a SHA-256 hash chain over its entries, and redaction of personal
numbers (mobile phones, ID cards, bank cards) for copies handed to others. Pure: no I/O."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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


def canonical(entry: Mapping[str, Any], prev_hash: str) -> bytes:
    """The exact bytes hashed: the entry's fields and the previous hash as compact, key-sorted
    UTF-8 JSON (so anyone can recompute it from an export)."""
    body = {name: entry.get(name) for name in HASHED_FIELDS}
    body["prev_hash"] = prev_hash
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def entry_hash(entry: Mapping[str, Any], prev_hash: str) -> str:
    from hashlib import sha256  # loads OpenSSL (~7 ms): only commands that hash pay for it

    return sha256(canonical(entry, prev_hash)).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    """The result of re-computing the chain. ``problem`` is ``None`` when intact, else
    ``changed`` (entry ``entry_id`` is not what was hashed) or ``removed`` (entry ``entry_id`` is
    missing); the store adds ``time_changed`` (its UTC sort time no longer matches ``at``)."""

    count: int
    head: str
    problem: str | None = None
    entry_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(entries: Iterable[Mapping[str, Any]], *, head_id: int | None = None) -> ChainCheck:
    """Re-compute the chain over ``entries`` (in id order, each with ``prev_hash`` and ``hash``),
    read once, one at a time; ``count`` is the number of entries whatever is found.

    Ids run 1, 2, 3 … with no gap, so a removed entry is named by its id; ``head_id`` (the last
    id the store remembers writing) names entries removed from the end.
    """
    prev = GENESIS
    expected = 1
    rest = iter(entries)
    for entry in rest:
        entry_id = int(entry["id"])
        problem: tuple[str, int] | None = None
        if entry_id != expected:
            problem = ("removed", expected)
        elif entry["prev_hash"] != prev:
            # The previous entry was rewritten together with its own hash.
            problem = ("changed", max(expected - 1, 1))
        elif entry_hash(entry, prev) != entry["hash"]:
            problem = ("changed", entry_id)
        if problem is not None:
            count = expected + sum(1 for _ in rest)
            return ChainCheck(count, prev, *problem)
        prev = str(entry["hash"])
        expected += 1
    count = expected - 1
    if head_id is not None and head_id >= expected:
        return ChainCheck(count, prev, "removed", expected)
    return ChainCheck(count, prev)


# --- redaction -------------------------------------------------------------------------------

_SEP = r"[ \-]?"
#: A number counts only when it stands alone: glued to ASCII letters or digits it is part of a
#: reference / ticket number (TK2026100112345678, card16), which is evidence and stays readable.
_ALONE_BEFORE = r"(?<![0-9A-Za-z*])"
_ALONE_AFTER = r"(?![0-9A-Za-z*])"
#: 18-digit (or old 15-digit) resident ID-card numbers; the last character may be X.
_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])(\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx]|\d{15})(?![0-9A-Za-z])"
)
#: Bank-card numbers: 16 to 19 digits, optionally grouped with spaces or hyphens.
_BANK_CARD = re.compile(_ALONE_BEFORE + r"(\d(?:" + _SEP + r"\d){15,18})" + _ALONE_AFTER)
#: Mainland mobile numbers, with an optional +86 / 86 prefix and separators (138 1234 5678).
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z*+])((?:\+?86"
    + _SEP
    + r")?1[3-9]\d"
    + _SEP
    + r"\d{4}"
    + _SEP
    + r"\d{4})"
    + _ALONE_AFTER
)
#: Landlines: a 3- or 4-digit area code starting with 0 (021, (0571)), then 7 or 8 digits.
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z*(])(\(?0\d{2,3}\)?" + _SEP + r")(\d{3,4}" + _SEP + r"\d{4})" + _ALONE_AFTER
)


def _mask_keep_last(match: re.Match[str], keep: int = 4) -> str:
    digits = [c for c in match.group(1) if c.isalnum()]
    return "*" * (len(digits) - keep) + "".join(digits[-keep:])


def _mask_mobile(match: re.Match[str]) -> str:
    digits = "".join(c for c in match.group(1) if c.isdigit())[-11:]
    return f"{digits[:3]}****{digits[-4:]}"


def _mask_landline(match: re.Match[str]) -> str:
    digits = [c for c in match.group(2) if c.isdigit()]
    return match.group(1) + "*" * (len(digits) - 4) + "".join(digits[-4:])


def redact(text: str | None) -> str | None:
    """Mask ID-card and bank-card numbers (all but the last 4), mobile numbers (138****5678) and
    landlines (021-****5678).

    Service numbers (95188, 400-820-8820) are kept: they are the lenders', not the user's; so are
    numbers glued to letters or digits (a reference number is evidence).
    """
    if text is None:
        return None
    text = _ID_CARD.sub(_mask_keep_last, text)
    text = _BANK_CARD.sub(_mask_keep_last, text)
    text = _MOBILE.sub(_mask_mobile, text)
    return _LANDLINE.sub(_mask_landline, text)
