"""Issue 12: redaction that reveals nothing and still verifies, exports that prove themselves,
and fingerprints of the log's head."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import add_entry, restore_triggers, run, run_in_process
from repaycli import store
from repaycli.core import evidence, proof
from repaycli.paths import db_path

PHONE = "13912345678"


def export_json(*extra: str) -> dict[str, Any]:
    code, out, err = run_in_process("log", "export", "--format", "json", *extra)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def save(tmp_path: Path, data: dict[str, Any], name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def verify_export(path: Path) -> tuple[int, str, str]:
    return run_in_process("log", "verify", "--export", str(path))


def _tamper(sql: str, params: tuple[Any, ...] = ()) -> None:
    conn = sqlite3.connect(db_path())
    conn.execute("DROP TRIGGER IF EXISTS contacts_no_update")
    conn.execute("DROP TRIGGER IF EXISTS contacts_no_delete")
    conn.execute(sql, params)
    restore_triggers(conn)
    conn.commit()
    conn.close()


# --- redaction that reveals nothing -----------------------------------------------------------


def _old_attack(entry: dict[str, Any]) -> str | None:
    """The brute force the issue reported: try every number behind 139****5678 against the hash
    (v1: over the plain fields) and against each withheld commitment with an empty salt."""
    masked = entry["number"]
    assert masked == "139****5678"
    for guess in range(10_000):
        candidate = f"139{guess:04d}5678"
        trial = {**entry, "number": candidate}
        if entry.get("prev_hash") and evidence.entry_hash(trial, entry["prev_hash"]) == entry.get(
            "hash"
        ):
            return candidate
        unsalted = evidence.commitment("number", candidate, "")
        if unsalted in (entry.get("withheld") or {}).values():
            return candidate
    return None


def test_masked_phone_cannot_be_recovered_from_a_redacted_export(tmp_path: Path) -> None:
    add_entry("--number", PHONE, "--notes", f"they called {PHONE} twice")
    data = export_json("--redact")
    text = json.dumps(data, ensure_ascii=False)
    assert PHONE not in text
    (entry,) = data["entries"]
    assert entry["number"] == "139****5678" and "number" not in entry["salts"]
    assert set(entry["withheld"]) == {"number", "notes"}
    assert _old_attack(entry) is None
    # The same attack on a v1-style hash over plain fields finds the number at once: the test
    # is able to fail.
    plain = {**entry, "number": PHONE}
    plain["hash"] = evidence.entry_hash(plain, entry["prev_hash"])
    plain["number"] = "139****5678"
    assert _old_attack(plain) == PHONE
    # ... and the redacted export still verifies end to end, against the database too.
    code, out, err = verify_export(save(tmp_path, data))
    assert (code, err) == (0, ""), err
    assert out.splitlines()[-1] == (
        "The export is intact: 1 entry; its count, head and seal check out. It matches the log."
    )


def _v1_database(entries: list[dict[str, Any]]) -> None:
    """A database as the previous schema wrote it: v1 hashes over the plain fields."""
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    store.connect(path, migrate_to=3).close()
    conn = sqlite3.connect(path)
    prev = evidence.GENESIS
    for n, fields in enumerate(entries, 1):
        row: dict[str, Any] = dict.fromkeys(evidence.HASHED_FIELDS)
        row.update(
            id=n,
            recorded_at="2026-11-01T10:00:00+08:00",
            at=f"2026-11-0{n}T10:00:00+08:00",
            platform="huabei",
            channel="phone",
            outcome="pending",
            attachments=[],
        )
        row.update(fields)
        digest = evidence.entry_hash(row, prev)
        conn.execute(
            "INSERT INTO contacts (id, recorded_at, at, at_utc, platform, channel, number, notes,"
            " outcome, attachments, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                n,
                row["recorded_at"],
                row["at"],
                datetime.fromisoformat(row["at"]).astimezone(UTC).isoformat(timespec="seconds"),
                "huabei",
                "phone",
                row["number"],
                row["notes"],
                "pending",
                "[]",
                prev,
                digest,
            ),
        )
        prev = digest
    conn.commit()
    conn.close()


def test_entries_written_before_salting_stay_verifiable_and_are_never_shown_guessable(
    tmp_path: Path,
) -> None:
    _v1_database([{"number": PHONE}, {"notes": "no number here"}])
    add_entry("--notes", "after the upgrade")  # migrates, then writes a v2 entry
    assert run_in_process("log", "verify")[:2][0] == 0
    full = export_json()
    assert [e["salts"] is None for e in full["entries"]] == [True, True, False]
    assert verify_export(save(tmp_path, full, "full.json"))[0] == 0
    data = export_json("--redact")
    first, second, third = data["entries"]
    # entry 1 is masked; entry 2's hashes would lead back to it; entry 3 withholds the link.
    assert (
        first["unverifiable"] is True and first["hash"] is None and first["number"] == "139****5678"
    )
    assert second["unverifiable"] is True and second["hash"] is None
    assert third["prev_hash"] is None and "prev_hash" in third["withheld"]
    assert PHONE not in json.dumps(data) and data["unverifiable"] == 2
    code, out, err = verify_export(save(tmp_path, data))
    assert code == 0, err
    assert out.splitlines()[-1].endswith(
        "2 entries written before salted hashes are shown redacted without their hashes, so"
        " they could not be checked."
    )
    markdown = run_in_process("log", "export", "--redact")[1]
    v1_hashes = [e["hash"] for e in full["entries"][:2]]
    assert PHONE not in markdown and not any(h in markdown for h in v1_hashes)


# --- exports that prove themselves ------------------------------------------------------------


@pytest.fixture()
def seven(tmp_path: Path) -> dict[str, Any]:
    """Seven entries, the last a correction of #6, #3's follow-up closed; its JSON export."""
    for n in range(5):
        add_entry("--notes", f"call {n}", *(("--follow-up", "+3d") if n == 2 else ()))
    add_entry("--notes", "call 5")
    assert run_in_process("log", "done", "3")[0] == 0
    code, _, err = run_in_process(
        "log", "add", "--no-input", "--corrects", "6", "--notes", "call 5, corrected"
    )
    assert code == 0, err
    return export_json()


def _edit(data: dict[str, Any], change: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(data))
    change(copy)
    return copy


def _drop_last_and_fix_count(d: dict[str, Any]) -> None:
    del d["entries"][-2:]
    d["count"] = 5


def _drop_correction_and_clear(d: dict[str, Any]) -> None:
    d["entries"].pop()
    d["entries"][-1]["corrected_by"] = None


TAMPERINGS = [
    (
        "drop the last entries",
        lambda d: d["entries"].__delitem__(slice(-2, None)),
        "the export says it holds 7 entries but it holds 5: entries were removed from it or"
        " added to it",
    ),
    (
        "no entries at all",
        lambda d: d.update(entries=[]),
        "the export says it holds 7 entries but it holds 0: entries were removed from it or"
        " added to it",
    ),
    (
        "drop the last entries and fix the count",
        _drop_last_and_fix_count,
        "the export's head hash is not the hash of its last entry: the export was changed",
    ),
    (
        "delete the correction and clear the corrected_by it left",
        _drop_correction_and_clear,
        "the export says it holds 7 entries but it holds 6: entries were removed from it or"
        " added to it",
    ),
    (
        "edit corrected_by",
        lambda d: d["entries"][5].update(corrected_by=None),
        "entry #6's corrected_by does not match the corrections in the export: the export was"
        " edited",
    ),
    (
        "edit follow_up_done_at",
        lambda d: d["entries"][2].update(follow_up_done_at=None),
        "the export was edited after it was made (its seal does not match): a field outside the"
        " entries' hashes, such as exported_at, corrected_by or follow_up_done_at, was changed",
    ),
    (
        "edit head_hash",
        lambda d: d.update(head_hash="0" * 64),
        "the export's head hash is not the hash of its last entry: the export was changed",
    ),
    (
        "edit exported_at",
        lambda d: d.update(exported_at="2020-01-01T00:00:00+08:00"),
        "the export was edited after it was made (its seal does not match): a field outside the"
        " entries' hashes, such as exported_at, corrected_by or follow_up_done_at, was changed",
    ),
    (
        "edit an entry's text",
        lambda d: d["entries"][3].update(notes="they waived everything"),
        "the export's entry #4 is not what was hashed: the export was changed",
    ),
    (
        "edit an entry's prev_hash only",
        lambda d: d["entries"][3].update(prev_hash="f" * 64),
        "the export's entry #4 is not what was hashed: the export was changed",
    ),
]


@pytest.mark.parametrize(("name", "change", "message"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_verify_export_rejects_each_tampering(
    tmp_path: Path, seven: dict[str, Any], name: str, change: Any, message: str
) -> None:
    assert verify_export(save(tmp_path, seven, "good.json"))[0] == 0
    code, out, err = verify_export(save(tmp_path, _edit(seven, change)))
    assert (code, out, err) == (1, "", f"Error: {message}\n"), name


@pytest.mark.parametrize("done_at", [None, "2026-01-01T00:00:00+00:00"])
def test_a_resealed_export_with_its_closing_time_edited_is_rejected(
    tmp_path: Path, seven: dict[str, Any], done_at: str | None
) -> None:
    """The seal is a plain SHA-256 anyone can recompute; the follow-up closing time an export
    shows must still agree with the closing event in its own chain (review: clearing it and
    resealing passed, even with the database at hand)."""
    assert seven["entries"][2]["follow_up_done_at"] is not None

    def change(d: dict[str, Any]) -> None:
        d["entries"][2]["follow_up_done_at"] = done_at
        d["seal"] = proof.seal(d)

    code, out, err = verify_export(save(tmp_path, _edit(seven, change)))
    assert (code, out) == (1, "")
    assert err == (
        "Error: entry #3's follow-up closing time does not match the closing recorded in the"
        " export's events: the export was edited\n"
    )
    assert verify_export(save(tmp_path, seven, "untouched.json"))[0] == 0


def test_a_rehashed_entry_is_blamed_not_its_successor(
    tmp_path: Path, seven: dict[str, Any]
) -> None:
    """Entry 4 rewritten with a fresh hash: entry 5 still points at the old one, and the entry to
    blame is 4 (before, a prev_hash edit blamed the entry before the changed one)."""

    def rewrite(d: dict[str, Any]) -> None:
        e = d["entries"][3]
        e["notes"] = "they waived everything"
        e["salts"]["notes"] = "00" * 16
        e["hash"] = evidence.entry_hash_v2(e, e["prev_hash"], e["salts"])

    code, _, err = verify_export(save(tmp_path, _edit(seven, rewrite)))
    assert (code, err) == (
        1,
        "Error: the export's entry #4 is not what was hashed: the export was changed\n",
    )


def test_export_is_checked_against_the_log_as_a_prefix(
    tmp_path: Path, seven: dict[str, Any]
) -> None:
    path = save(tmp_path, seven)
    add_entry("--notes", "a later call")
    code, out, err = verify_export(path)
    assert code == 0, err
    assert out.splitlines()[-1] == (
        "The export is intact: 7 entries; its count, head and seal check out. Its 1 event"
        " (an agreement, payment, closure, offer check or void) forms an intact chain, and its"
        " fingerprint covers both. It matches the first 7 of the log's 8 entries (the others"
        " were written after it)."
    )
    assert out.startswith("The log is intact: 8 entries, last hash ")
    # The database rewritten from entry 5 on, consistently (chain intact): the export names 5.
    _rewrite_chain_from(5, "notes", "rewritten")
    assert run_in_process("log", "verify")[2] == ""  # the database alone cannot tell
    code, out, err = verify_export(path)
    assert (code, err) == (1, "Error: the export differs from the log from entry #5 on\n")


def _rewrite_chain_from(first: int, field: str, value: str) -> None:
    """Rewrite entry ``first``'s ``field`` and re-hash every entry from there on, as someone with
    the database in hand could: the chain stays intact."""
    conn = sqlite3.connect(db_path())
    conn.row_factory = sqlite3.Row
    conn.execute("DROP TRIGGER contacts_no_update")
    rows = conn.execute("SELECT * FROM contacts ORDER BY id").fetchall()
    prev = rows[first - 2]["hash"] if first > 1 else evidence.GENESIS
    for row in rows[first - 1 :]:
        data = {k: row[k] for k in row.keys()}
        if data["id"] == first:
            data[field] = value
        data["attachments"] = json.loads(data["attachments"])
        salts = json.loads(data["salts"])
        digest = evidence.entry_hash_v2(data, prev, salts)
        conn.execute(
            f"UPDATE contacts SET {field} = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (data[field], prev, digest, data["id"]),
        )
        prev = digest
    restore_triggers(conn)
    conn.commit()
    conn.close()


def test_export_names_an_entry_the_log_lost(tmp_path: Path, seven: dict[str, Any]) -> None:
    path = save(tmp_path, seven)
    _tamper("DELETE FROM contacts WHERE id >= 6")
    _tamper("UPDATE sqlite_sequence SET seq = 5 WHERE name = 'contacts'")
    assert run_in_process("log", "verify")[0] == 0
    code, _, err = verify_export(path)
    assert (code, err) == (
        1,
        "Error: the export holds entry #6, which the log does not: entries were removed from the"
        " log\n",
    )


# --- fingerprints -----------------------------------------------------------------------------


def test_fingerprint_then_verify_it_later() -> None:
    add_entry("--notes", "first")
    add_entry("--notes", "second")
    code, out, err = run_in_process("log", "fingerprint", "--json")
    assert code == 0, err
    body = json.loads(out)
    code = body["fingerprint"]
    assert re.fullmatch(r"2-0-[0-9a-f]{4}(-[0-9a-f]{4}){4}", code)
    bound = proof.bound_head(body["head_hash"], 0, "0" * 64)  # no events yet
    assert bound.startswith(code[4:].replace("-", ""))
    add_entry("--notes", "third")
    result = run_in_process("log", "verify", "--fingerprint", code.upper().replace("-", " ", 1))
    assert result[0] == 0, result[2]
    assert result[1].splitlines()[-1] == (
        "The evidence as fingerprinted (2 log entries, 0 events) is still inside today's"
        " (3 entries, 0 events), unchanged."
    )
    # Rewritten from entry 2 with every hash recomputed: the log alone looks intact, the
    # fingerprint kept elsewhere does not match.
    _rewrite_chain_from(2, "notes", "rewritten")
    assert run_in_process("log", "verify")[0] == 0
    assert run_in_process("log", "verify", "--fingerprint", code) == (
        1,
        "",
        "Error: the log's first 2 entries or its first 0 events are no longer the ones this"
        " fingerprint was taken of: the evidence was changed\n",
    )
    assert run_in_process("log", "verify", "--fingerprint", "9-" + code[2:]) == (
        1,
        "",
        "Error: the fingerprint names 9 entries but the log holds only 3: entries were removed\n",
    )


def test_fingerprint_errors() -> None:
    assert run_in_process("log", "fingerprint") == (
        2,
        "",
        "Error: there is nothing to fingerprint: no log entries yet\n",
    )
    assert run_in_process("log", "verify", "--fingerprint", "x" * 10_000) == (
        2,
        "",
        "Error: '" + "x" * 40 + "' is not a fingerprint; it looks like 7-4-3f2a-9c1b-77d0-e5a4-b3c1"
        " (printed by 'repaycli log fingerprint')\n",
    )


def test_fingerprint_real_subprocess_in_chinese() -> None:
    add_entry("--notes", "first")
    result = run("log", "fingerprint", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("全部证据的指纹（1 条日志记录，0 条协议、还款、跟进关闭、方案核算和作废记录）：1-0-")
    code = first.rsplit("：", 1)[1]
    checked = run("log", "verify", "--fingerprint", code)
    assert checked.returncode == 0 and "unchanged" in checked.stdout


# --- invariants (pure) -------------------------------------------------------------------------

_texts = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from([PHONE, "6222 0212 3456 7890 123", "110101199003071234", "021-12345678"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"number": _texts, "notes": _texts}), min_size=1, max_size=5))
def test_any_redacted_export_of_salted_entries_verifies(fields: list[dict[str, Any]]) -> None:
    prev, entries = evidence.GENESIS, []
    for n, extra in enumerate(fields, 1):
        entry: dict[str, Any] = dict.fromkeys(evidence.HASHED_FIELDS)
        entry.update(id=n, at="2026-11-01T10:00:00+08:00", platform="huabei", attachments=[])
        entry.update(extra)
        salts = {
            name: hashlib.sha256(f"{n}{name}".encode()).hexdigest()[:32]
            for name in evidence.COMMITTED_FIELDS
        }
        entry.update(prev_hash=prev, salts=salts)
        entry["hash"] = evidence.entry_hash_v2(entry, prev, salts)
        prev = entry["hash"]
        entries.append(entry)
    for redact_on in (False, True):
        shown = proof.export_entries(entries, redact_on=redact_on)
        check = evidence.verify_chain(shown)
        assert check.intact and check.head == prev
        for original, out in zip(entries, shown, strict=True):
            for name in out.get("withheld", {}):
                assert name not in out["salts"]
                if original[name] is not None and name in ("number", "notes"):
                    assert out[name] == evidence.redact(original[name])


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(evidence.COMMITTED_FIELDS),
    value=st.one_of(
        st.none(),
        st.text(),
        st.integers(min_value=-(2**63), max_value=2**63),
        st.lists(st.fixed_dictionaries({"path": st.text(), "size": st.integers(0, 10**9)})),
    ),
)
def test_field_json_matches_the_encoder(name: str, value: Any) -> None:
    """The fast path of a commitment's bytes is exactly the compact, key-sorted JSON."""
    expected = json.dumps(
        [name, value], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
    assert evidence._field_json(name, value) == expected
