"""Issue 22: exports that cannot be rewritten. Every field of every entry and event is either
disclosed or committed, and ``log verify --export`` compares what the export shows with the
database — masked and withheld fields included. Each forgery below (the issue's three and every
other kind of edit we could think of) is applied to each JSON export (plain and redacted) of a
database that holds entries from before salting, salted entries, and events a redacted copy must
mask; the seal is recomputed (anyone can), and each is refused, naming the entry or event.

CSV and markdown exports carry no hashes: ``log verify --export`` refuses them in one line
(exit 2), so none of them can pass as checked evidence either."""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from helpers import invoke, run
from repaycli import store
from repaycli.core import evidence, proof
from repaycli.paths import db_path

PHONE = "13912345678"
Doc = dict[str, Any]


def _v1_entries() -> None:
    """Two entries as the schema before salting wrote them (v1 hashes over the plain fields):
    the first holds a mobile number, so a redacted export must show both ``unverifiable``."""
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    store.connect(path, migrate_to=3).close()
    conn = sqlite3.connect(path)
    prev = evidence.GENESIS
    for n, fields in enumerate([{"number": PHONE}, {"notes": "no number here"}], 1):
        row: dict[str, Any] = dict.fromkeys(evidence.HASHED_FIELDS)
        row.update(
            id=n,
            recorded_at="2026-11-01T10:00:00+08:00",
            at=f"2026-11-0{n}T10:00:00+08:00",
            platform="huabei",
            channel="phone",
            outcome="pending",
            attachments=[],
            **fields,
        )
        digest = evidence.entry_hash(row, prev)
        at_utc = datetime.fromisoformat(row["at"]).astimezone(UTC).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO contacts (id, recorded_at, at, at_utc, platform, channel, number, notes,"
            " outcome, attachments, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (n, row["recorded_at"], row["at"], at_utc, "huabei", "phone", row["number"],
             row["notes"], "pending", "[]", prev, digest),
        )  # fmt: skip
        prev = digest
    conn.commit()
    conn.close()


def _ok(*args: str, env: dict[str, str] | None = None) -> None:
    result = invoke(*args, env=env)
    assert result.exit_code == 0, result.output


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Doc]:
    """Entries 1–2 (v1), 3–6 (salted; 3 and 5 hold a mobile number, 4 every text field), an
    agreement, a payment, a closed follow-up, a second payment and a void whose reason holds a
    number (event 5: a redacted export must mask it)."""
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-11-21")
    _v1_entries()
    attachment = tmp_path / "receipt.txt"
    attachment.write_text("paid", encoding="utf-8")
    log = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
           "--at", "2026-11-20 10:00"]  # fmt: skip
    _ok(*log, "--outcome", "pending", "--number", PHONE, "--notes", f"called from {PHONE}")
    _ok(*log, "--outcome", "agreed", "--agent", "Wang 1234", "--ref", "TK-77",
        "--asked", "waive the fees", "--offered", "six months", "--agreed-terms", "6 x 500",
        "--confirmation", "SMS", "--follow-up", "2026-12-01", "--follow-up-action", "pay",
        "--notes", "agreed at last", "--attach", str(attachment),
        # every withholdable text, collection details included (issue 23)
        "--firm", "Acme Collections", "--said", "pay today or else",
        "--third-party", "my sister")  # fmt: skip
    _ok(*log, "--outcome", "pending", "--notes", f"they called back on {PHONE}")
    _ok(*log, "--outcome", "pending", "--notes", "the last one")
    today = {"REPAYCLI_TODAY": "2026-11-21"}
    _ok("agreement", "add", "--platform", "huabei", "--first-due", "2026-12-01", "--total",
        "3000", "--periods", "6", "--no-input", env=today)  # fmt: skip
    _ok("pay", "1", "--amount", "500", env=today)
    _ok("log", "done", "4")
    _ok("pay", "1", "--amount", "5", env=today)
    _ok("pay", "1", "--void", "2", "--reason", f"typed twice, said {PHONE}", env=today)
    made = {}
    for name, extra in (("plain", ()), ("redacted", ("--redact",))):
        result = invoke("log", "export", "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        made[name] = json.loads(result.stdout)
    return made


def _check(tmp_path: Path, document: Doc) -> tuple[int, str, str]:
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = invoke("log", "verify", "--export", str(path))
    return result.exit_code, result.stdout, result.stderr


def test_the_exports_are_what_the_forgeries_start_from(
    exports: dict[str, Doc], tmp_path: Path
) -> None:
    plain, redacted = exports["plain"], exports["redacted"]
    assert [e.get("unverifiable", False) for e in redacted["entries"]] == [
        True, True, False, False, False, False,
    ]  # fmt: skip
    assert redacted["entries"][2]["number"] == "139****5678"
    assert set(redacted["entries"][2]["withheld"]) == {"number", "notes", "prev_hash"}
    assert [e.get("unverifiable", False) for e in redacted["events"]] == [
        False, False, False, False, True,
    ]  # fmt: skip
    assert [e["kind"] for e in plain["events"]] == [
        "agreement", "payment", "follow_up_done", "payment", "void",
    ]  # fmt: skip
    for document in (plain, redacted):
        code, out, err = _check(tmp_path, document)
        assert (code, err) == (0, ""), err
        assert "It matches the log." in out


# --- the forgeries ------------------------------------------------------------------------------


def _entry(document: Doc, entry_id: int) -> dict[str, Any]:
    return next(e for e in document["entries"] if e["id"] == entry_id)


def _withhold_and_rewrite(field: str) -> Callable[[Doc], None]:
    """The issue's first forgery: a field moved to ``withheld`` (its commitment computed with
    the salt the export shows) and its visible text rewritten; the chain still verifies."""

    def forge(document: Doc) -> None:
        entry = _entry(document, 4)
        salt = entry["salts"].pop(field)
        withheld = entry.setdefault("withheld", {})
        withheld[field] = evidence.commitment(field, entry[field], salt)
        entry[field] = (
            [{"path": "forged.png", "size": 1, "sha256": "00"}]
            if field == "attachments"
            else "they waived everything"
        )

    return forge


def _mark_unverifiable(entry_id: int, rewrite: bool) -> Callable[[Doc], None]:
    """The issue's second: an entry marked ``unverifiable`` (no hashes to check) and rewritten."""

    def forge(document: Doc) -> None:
        entry = _entry(document, entry_id)
        entry.update(unverifiable=True, hash=None, prev_hash=None, salts=None)
        entry.pop("withheld", None)
        if rewrite:
            entry["notes"] = "they waived everything"
        document["redacted"] = True  # else an unredacted file with one is refused at once
        document["unverifiable"] = sum(e.get("unverifiable") is True for e in document["entries"])

    return forge


def _rehash_events(document: Doc, first: int) -> None:
    """Re-hash the events chain from event ``first`` on, as anyone can (it is not keyed)."""
    events = document["events"]
    prev = events[first - 2]["hash"] if first > 1 else evidence.GENESIS
    for event in events[first - 1 :]:
        if event.get("unverifiable"):
            break
        event["prev_hash"] = prev
        event["hash"] = prev = evidence.event_hash(event)
    _restate_events_head(document)


def _restate_events_head(document: Doc) -> None:
    head = proof._events_head(document["events"])  # noqa: SLF001 - the export's own rule
    document["events_head"] = head
    if document.get("head_hash") is not None and head is not None:
        document["fingerprint"] = proof.fingerprint(
            len(document["entries"]), document["head_hash"], (len(document["events"]), head)
        )


def _version_two(document: Doc) -> None:
    """The issue's third: ``schema_version`` 2, which skipped every event check, with a
    payment's amount rewritten and the events re-hashed."""
    document["schema_version"] = 2
    document["events"][1]["body"]["amount_fen"] = 5_000_000
    _rehash_events(document, 2)


def _event_unverifiable(first: int, rewrite: bool) -> Callable[[Doc], None]:
    def forge(document: Doc) -> None:
        for event in document["events"][first - 1 :]:
            event.update(unverifiable=True, hash=None, prev_hash=None)
        if rewrite:
            document["events"][first - 1]["body"]["amount_fen"] = 5_000_000
        _restate_events_head(document)
        document["fingerprint"] = None

    return forge


def _event_rewritten(document: Doc) -> None:
    document["events"][1]["body"]["receipt"] = "FORGED"
    _rehash_events(document, 2)


def _entry_rechained(document: Doc) -> None:
    """A disclosed field rewritten with a fresh salt, and every later entry re-hashed: the
    export's own chain holds, the database's hashes do not."""
    entries = document["entries"]
    entry = _entry(document, 4)
    entry["notes"] = "they waived everything"
    entry["salts"]["notes"] = "ab" * 16
    for later in entries[3:]:
        prev = entries[entries.index(later) - 1]["hash"]
        if "prev_hash" not in later["salts"]:
            return
        later["prev_hash"] = prev
        later["hash"] = evidence.recompute(later, prev) if not later.get("withheld") else None
    document["head_hash"] = entries[-1]["hash"]
    _restate_events_head(document)


def _field(entry_id: int, name: str, value: Any) -> Callable[[Doc], None]:
    def forge(document: Doc) -> None:
        _entry(document, entry_id)[name] = value

    return forge


def _top(name: str, value: Any) -> Callable[[Doc], None]:
    def forge(document: Doc) -> None:
        document[name] = value

    return forge


def _event_field(position: int, name: str, value: Any) -> Callable[[Doc], None]:
    def forge(document: Doc) -> None:
        document["events"][position - 1][name] = value

    return forge


def _drop_entry(document: Doc) -> None:
    del document["entries"][3]
    document["count"] -= 1


def _drop_event(document: Doc) -> None:
    del document["events"][1]
    document["events_count"] -= 1


def _append_entry(document: Doc) -> None:
    """An entry the database never held, chained properly with salts of the forger's own."""
    last = document["entries"][-1]
    new = {**copy.deepcopy(last), "id": last["id"] + 1, "notes": "they waived everything"}
    salts = dict.fromkeys(evidence.COMMITTED_FIELDS, "cd" * 16)
    new.update(salts=salts, corrected_by=None, follow_up_done_at=None)
    new.pop("withheld", None)
    new["prev_hash"] = last["hash"]
    new["hash"] = evidence.entry_hash_v2(new, last["hash"], salts)
    document["entries"].append(new)
    document["count"] += 1
    document["head_hash"] = new["hash"]
    _restate_events_head(document)


def _masked_rewritten(document: Doc) -> None:
    """A masked number changed to another masked number (the hash cannot see it)."""
    entry = _entry(document, 3)
    entry["number"] = "139****0000" if entry["number"] == "139****5678" else "13900000000"


def _v1_masked_rewritten(document: Doc) -> None:
    entry = _entry(document, 2)
    entry["notes"] = "they waived everything"


def _masked_event_rewritten(document: Doc) -> None:
    event = document["events"][-1]
    event["body"]["reason"] = "never paid, said 139****0000"


def _label(field: str) -> str:
    """A field as the English message names it (``agreed_terms``: "agreed terms")."""
    from repaycli.i18n import t

    return t("x.{field}", "en", field=field).removeprefix("x.")


#: (label, forgery, formats it applies to, what the refusal must name).
FORGERIES: list[tuple[str, Callable[[Doc], None], tuple[str, ...], str]] = [
    *[
        (f"{field} withheld and rewritten", _withhold_and_rewrite(field), ("plain", "redacted"),
         f"entry #4's {_label(field)}")
        for field in sorted(evidence.WITHHOLDABLE)
    ],  # fmt: skip
    ("salted entry marked unverifiable and rewritten", _mark_unverifiable(4, True),
     ("plain", "redacted"), "entry #4 unverifiable"),
    ("salted entry marked unverifiable", _mark_unverifiable(4, False),
     ("plain", "redacted"), "entry #4 unverifiable"),
    ("unverifiable entry rewritten", _v1_masked_rewritten, ("redacted",),
     f"entry #2's {_label('notes')}"),
    ("entry before salting rewritten", _v1_masked_rewritten, ("plain",), "entry #2 "),
    ("masked number rewritten", _masked_rewritten, ("redacted",), f"entry #3's {_label('number')}"),
    ("number rewritten", _masked_rewritten, ("plain",), "entry #3 "),
    ("schema_version 2 and a payment rewritten", _version_two, ("plain", "redacted"),
     "event #2"),
    ("schema_version 2", _top("schema_version", 2), ("plain",), "seal"),
    ("event marked unverifiable", _event_unverifiable(2, False), ("plain", "redacted"),
     "event #2 unverifiable"),
    ("event marked unverifiable and rewritten", _event_unverifiable(2, True),
     ("plain", "redacted"), "event #2 unverifiable"),
    ("masked event rewritten", _masked_event_rewritten, ("redacted",), "event #5's body"),
    ("event rewritten and re-hashed", _event_rewritten, ("plain", "redacted"), "event #2"),
    ("entry rewritten and re-chained", _entry_rechained, ("plain",), "entry #4"),
    ("entry removed", _drop_entry, ("plain", "redacted"), "#4"),
    ("event removed", _drop_event, ("plain", "redacted"), "event #2"),
    ("entry appended", _append_entry, ("plain",), "entry #7"),
    ("field added to an entry", _field(4, "comment", "a note"), ("plain", "redacted"),
     "entry #4's comment"),
    ("collection flipped", _field(4, "collection", True), ("plain", "redacted"), "entry #4"),
    ("corrected_by set", _field(4, "corrected_by", 5), ("plain", "redacted"), "entry #4"),
    ("closing time changed", _field(4, "follow_up_done_at", "2027-01-01T00:00:00+08:00"),
     ("plain", "redacted"), "entry #4"),
    ("salt changed", _field(5, "salts", {}), ("plain", "redacted"), "entry #5"),
    ("disclosed time changed", _field(5, "at", "2026-01-01T10:00:00+08:00"),
     ("plain", "redacted"), "entry #5"),
    ("field added to an event", _event_field(2, "note", "x"), ("plain", "redacted"),
     "event #2's note"),
    ("event kind changed", _event_field(2, "kind", "void"), ("plain", "redacted"), "event #2"),
    ("event marked verifiable", _event_field(2, "unverifiable", False), ("plain", "redacted"),
     "event #2's unverifiable"),
    ("entry count changed", _top("count", 5), ("plain", "redacted"), "entries"),
    ("head changed", _top("head_hash", "0" * 64), ("plain", "redacted"), "head"),
    ("events count changed", _top("events_count", 3), ("plain", "redacted"), "event"),
    ("fingerprint changed", _top("fingerprint", "6-6-0000-0000-0000-0000-0000"), ("plain",),
     "fingerprint"),
    ("unverifiable count changed", _top("unverifiable", 0), ("redacted",), "seal"),
    ("said to be intact when not", _top("intact", False), ("plain", "redacted"), "seal"),
    ("field added to the document", _top("note", "checked by a lawyer"), ("plain", "redacted"),
     "seal"),
]

CASES = [
    pytest.param(forge, fmt, named, id=f"{label} [{fmt}]")
    for label, forge, formats, named in FORGERIES
    for fmt in formats
]


def test_every_kind_of_edit_is_covered() -> None:
    assert len(FORGERIES) >= 40 and len(CASES) >= 70


@pytest.mark.parametrize(("forge", "fmt", "named"), CASES)
def test_each_forgery_is_refused_naming_the_entry_or_event(
    exports: dict[str, Doc], tmp_path: Path, forge: Callable[[Doc], None], fmt: str, named: str
) -> None:
    document = copy.deepcopy(exports[fmt])
    forge(document)
    document["seal"] = proof.seal(document)  # anyone can recompute the plain SHA-256 seal
    code, out, err = _check(tmp_path, document)
    assert code == 1, (out, err)
    assert err.count("\n") == 1 and err.startswith("Error: "), err
    assert named in err, err


def test_the_three_forgeries_of_the_issue_in_a_real_process(
    exports: dict[str, Doc], tmp_path: Path
) -> None:
    messages = []
    for forge in (_withhold_and_rewrite("agreed_terms"), _mark_unverifiable(4, True),
                  _version_two):  # fmt: skip
        document = copy.deepcopy(exports["redacted"])
        forge(document)
        document["seal"] = proof.seal(document)
        path = tmp_path / "forged.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        done = run("log", "verify", "--export", str(path))
        assert (done.returncode, done.stdout) == (1, "")
        messages.append(done.stderr)
    assert messages == [
        "Error: entry #4's agreed terms in the export is not what the database holds: the export"
        " was edited\n",
        "Error: the export marks entry #4 unverifiable, but the database holds it with salted"
        " commitments: the export was edited\n",
        "Error: the export's events differ from the database's from event #2 on\n",
    ]


def test_csv_and_markdown_exports_are_not_taken_as_checked(
    exports: dict[str, Doc], tmp_path: Path
) -> None:
    for fmt in ("csv", "markdown"):
        path = tmp_path / f"log.{fmt}"
        assert invoke("log", "export", "--format", fmt, "-o", str(path)).exit_code == 0
        result = invoke("log", "verify", "--export", str(path))
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
