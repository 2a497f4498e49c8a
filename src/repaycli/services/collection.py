"""What arrives from collectors: reading the detail fields (direction, firm and what it claims
to be, threats, the text as pasted, the third party contacted), the quick form's defaults, the
conduct check over the log, and complaints sent with their answer deadlines."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from repaycli.core.conduct import INCOMING_CHANNELS, THREATS
from repaycli.errors import BadInput
from repaycli.services.log import parse_choice, parse_text

if TYPE_CHECKING:
    import sqlite3

    from repaycli.core.conduct import Flag

DIRECTIONS = ("incoming", "outgoing")
CLAIMS = ("lender", "agency", "lawyer", "court", "other")
#: Days to answer (FACTS.md): a complaint to a bank or insurer 15, a complex one 30
#: (银行业保险业消费投诉处理管理办法, S); a 征信 dispute 20 (征信业管理条例 art. 25, P).
ANSWER_DAYS = {("complaint", False): 15, ("complaint", True): 30, ("dispute", False): 20}
#: Where to turn once the answer is late, quoting the reference.
NEXT_STEP = {"complaint": "12378", "dispute": "12363"}


def parse_threats(value: str) -> list[str]:
    """Threats as ids, labels, words (``家人``) or their numbers in the checklist (``1,3``),
    separated by commas, spaces or 、; empty: none."""
    one = parse_choice("threat", list(THREATS))
    found: list[str] = []
    for part in re.split(r"[,，、;；\s]+", value.strip()):
        if not part:
            continue
        if part.isdigit() and 1 <= int(part) <= len(THREATS):
            found.append(THREATS[int(part) - 1])
        elif part.isdigit():
            raise BadInput("err.choice", field="threats", value=part, choices=f"1–{len(THREATS)}")
        else:
            found.append(one(part))
    return list(dict.fromkeys(found))


#: The detail fields, each with how its text is read.
DETAIL_PARSERS: dict[str, Callable[[str], Any]] = {
    "direction": parse_choice("direction", list(DIRECTIONS)),
    "firm": parse_text("firm"),
    "claims": parse_choice("claims", list(CLAIMS)),
    "threats": parse_threats,
    "said": parse_text("said"),
    "third_party": parse_text("third_party"),
}


def read_detail(given: Mapping[str, str | None]) -> dict[str, Any]:
    """The detail fields given as text (``None``: not given), read."""
    values: dict[str, Any] = {}
    for name, parse in DETAIL_PARSERS.items():
        raw = given.get(name)
        if raw is None or not raw.strip():
            values[name] = None
            continue
        value = parse(raw)
        values[name] = value if value not in ("", []) else None
    return values


def complete_detail(values: dict[str, Any]) -> dict[str, Any]:
    """Defaults that follow from the rest: a collector's channel is incoming, and an incoming
    contact is collection unless told otherwise."""
    channel = values.get("channel")
    if values.get("direction") is None and channel in INCOMING_CHANNELS:
        values["direction"] = "incoming"
    if values.get("collection") is None and values.get("direction") == "incoming":
        values["collection"] = "yes"
    return values


def is_incoming(channel: str | None, direction: str | None = None) -> bool:
    """Whether the number asked for is theirs (an incoming contact), not the one dialled."""
    return direction == "incoming" or channel in INCOMING_CHANNELS


# --- the conduct check over the log -----------------------------------------------------------


def latest_entries(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every collection entry's latest version (a corrected entry is replaced by its
    correction), oldest first, one plain dict at a time: the connection must stay open while it
    is read."""
    from repaycli import store

    return store.iter_contacts(conn, latest_only=True, oldest_first=True, collection_only=True)


def log_conduct(
    conn: sqlite3.Connection, *, platform: str | None = None
) -> tuple[list[Flag], bool]:
    """The conduct check over the whole log, streamed a day at a time, and whether the log
    holds any collection at all (``log conduct`` says so rather than "nothing found")."""
    seen = False

    def counted(entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal seen
        for entry in entries:
            seen = True
            yield entry

    flags = conduct_flags(counted(latest_entries(conn)), platform=platform, in_time_order=True)
    return flags, seen


def platform_kinds() -> dict[str, str]:
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    return {p.id: str(p.kind) for p in load_catalogue(user_platforms_file()).platforms}


def conduct_flags(
    entries: Iterable[Mapping[str, Any]],
    *,
    platform: str | None = None,
    in_time_order: bool = False,
) -> list[Flag]:
    """``core.conduct.check`` with the catalogue's kinds and rules; ``in_time_order``: the
    entries come oldest first (``latest_entries``)."""
    from repaycli.catalog import load_conduct_rules
    from repaycli.core.conduct import check

    chosen = (e for e in entries if platform is None or e["platform"] == platform)
    return check(
        chosen, kinds=platform_kinds(), rules=load_conduct_rules(), in_time_order=in_time_order
    )


def flag_json(flag: Flag, lang: str) -> dict[str, Any]:
    """A flag as ``log conduct --json`` and ``remind --json`` show it."""
    return {
        "kind": flag.kind,
        "platform": flag.platform,
        "day": flag.day.isoformat(),
        "entries": list(flag.entry_ids),
        "detail": flag.detail,
        "rules": [
            {
                "id": c.rule.id,
                "text": c.rule.text[lang],
                "source": c.rule.source[lang],
                "date": c.rule.date or None,
                "confidence": c.rule.confidence,
                "applies": c.applies,
                "applies_to": c.rule.who[lang],
            }
            for c in flag.citations
        ],
    }


# --- complaints and disputes sent -------------------------------------------------------------


def answer_due(kind: str, sent_on: date, *, complex_case: bool) -> date:
    days = ANSWER_DAYS[(kind, complex_case and kind == "complaint")]
    return sent_on + timedelta(days=days)


def record_complaint(
    conn: sqlite3.Connection,
    *,
    platform: str,
    kind: str,
    sent_on: date,
    reference: str | None,
    complex_case: bool,
    recorded_at: Any,
) -> dict[str, Any]:
    from repaycli import store_complaints

    due = answer_due(kind, sent_on, complex_case=complex_case)
    return store_complaints.add_complaint(
        conn,
        platform=platform,
        kind=kind,
        sent_on=sent_on,
        reference=reference,
        complex_case=complex_case,
        answer_due=due,
        recorded_at=recorded_at,
    )


def complaint_lines(
    complaints: Sequence[Mapping[str, Any]], *, today: date, name_of: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Each complaint's state on ``today``: ``due`` (not yet past) or ``overdue``, with the next
    step: 12378 (NFRA) for a complaint; for a 征信 dispute the local PBoC branch (征信业管理条例
    art. 26), reached on 12363."""
    rows = []
    for c in complaints:
        due = date.fromisoformat(str(c["answer_due"]))
        rows.append(
            {
                "id": c["id"],
                "kind": c["kind"],
                "platform": c["platform"],
                "platform_name": name_of(str(c["platform"])),
                "sent_on": c["sent_on"],
                "reference": c["reference"],
                "answer_due": due.isoformat(),
                "overdue": today > due,
                "next_step": NEXT_STEP[str(c["kind"])] if today > due else None,
            }
        )
    return rows
