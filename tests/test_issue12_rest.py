"""Issue 12, what was left: a killed backup (SIGKILL, no clean-up runs) never blocks or confuses
the next one; contacts logged as collection after an agreement are flagged; one fingerprint and
one export for all evidence (the log and the events of agreements, payments and the rest)."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import add_entry, invoke, run

# --- a killed backup --------------------------------------------------------------------------

#: Runs ``repaycli db backup`` in a child that stops for good once the copy is written and before
#: it is named (``os.link``), after saying so in ``marker``: the test then kills it with SIGKILL.
_STOPPED_BACKUP = """
import os, sys, time
from repaycli import store
marker, target = sys.argv[1], sys.argv[2]
def stop(*args):
    open(marker, "w").close()
    time.sleep(600)
store.os.link = stop
from repaycli.cli import main
sys.argv = ["repaycli", "db", "backup", target]
main()
"""


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_a_backup_killed_by_sigkill_neither_blocks_nor_lingers(tmp_path: Path) -> None:
    add_entry("--notes", "13812345678 is my number")
    folder = tmp_path / "backups"
    folder.mkdir()
    target, marker = folder / "backup.sqlite3", tmp_path / "stopped"
    child = subprocess.Popen(
        [sys.executable, "-c", _STOPPED_BACKUP, str(marker), str(target)], env=os.environ
    )
    try:
        for _ in range(600):  # wait for the copy, not for a time: the marker says it is written
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the backup never reached its naming step"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    left = _partials(folder)
    assert len(left) == 1 and left[0].startswith(".backup.sqlite3.")  # what SIGKILL leaves
    assert not target.exists()

    done = run("db", "backup", str(target))  # the next backup, same name
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Backup written to {target}\n"
    assert done.stderr == (
        "Removed 1 unfinished backup copies that an interrupted backup left in this folder.\n"
    )
    assert _partials(folder) == []  # the copy of the log it held is gone
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT notes FROM contacts").fetchone()[0] == "13812345678 is my number"
    conn.close()
    again = run("db", "backup", str(folder / "second.sqlite3"))
    assert (again.returncode, again.stderr) == (0, "")


def test_a_backup_being_written_is_not_taken_for_a_leftover(tmp_path: Path) -> None:
    add_entry()
    live = tmp_path / ".other.sqlite3.abcd1234.partial"
    live.write_bytes(b"")
    other = tmp_path / ".notes.partial"  # not a name a backup gives: never touched
    other.write_bytes(b"")
    with live.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a running backup holds it
        result = invoke("db", "backup", str(tmp_path / "b.sqlite3"))
        assert result.exit_code == 0, result.output
        assert live.exists() and other.exists()
    result = invoke("db", "backup", str(tmp_path / "c.sqlite3"))
    assert result.exit_code == 0, result.output
    assert not live.exists() and other.exists()


def test_the_journal_a_killed_backup_leaves_goes_with_its_copy(tmp_path: Path) -> None:
    """SQLite writes a ``-journal`` beside the copy; a backup killed at the right moment left
    ``.NAME.xxxxxxxx.partial-journal`` behind for good (review: seen with a real SIGKILL)."""
    add_entry()
    stale = tmp_path / ".old.sqlite3.abcd1234.partial"
    stale.write_bytes(b"")
    (tmp_path / (stale.name + "-journal")).write_bytes(b"\0" * 512)
    orphan = tmp_path / ".gone.sqlite3.zzzz9999.partial-journal"  # its copy already removed
    orphan.write_bytes(b"\0" * 512)
    live = tmp_path / ".live.sqlite3.efgh5678.partial"
    live.write_bytes(b"")
    live_journal = tmp_path / (live.name + "-journal")
    live_journal.write_bytes(b"")
    with live.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a backup running now
        result = invoke("db", "backup", str(tmp_path / "b.sqlite3"))
        assert result.exit_code == 0, result.output
    left = sorted(p.name for p in tmp_path.iterdir() if ".partial" in p.name)
    assert left == [live.name, live_journal.name]


# --- contacts logged as collection after an agreement ----------------------------------------

AGREED = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"]


def _collection_log() -> None:
    for extra in (
        ["--outcome", "agreed", "--at", "2026-11-01 10:00"],
        ["--outcome", "pending", "--collection", "--at", "2026-10-30 10:00"],  # before: fine
        ["--outcome", "pending", "--collection", "--at", "2026-11-03 10:00", "--number", "95188"],
        ["--outcome", "pending", "--at", "2026-11-04 10:00"],  # after, but not collection
    ):
        result = invoke(*AGREED, *extra)
        assert result.exit_code == 0, result.output


def test_collection_is_asked_for_in_both_languages_and_reasked() -> None:
    answers = "\nhuabei\nphone\nmaybe\nyes\n" + "\n" * 5 + "pending\n" + "\n" * 5
    result = invoke("log", "add", input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: collection: maybe is not one of: no, yes" in result.output
    answers = "\nhuabei\nphone\n是\n" + "\n" * 5 + "pending\n" + "\n" * 5
    result = invoke("--lang", "zh", "log", "add", input=answers)
    assert result.exit_code == 0, result.output
    assert "是否为催收（对方联系我催收） [否/是] [否]" in result.output
    answers = "\nhuabei\nphone\n\n" + "\n" * 5 + "pending\n" + "\n" * 5  # Enter: no
    assert invoke("log", "add", input=answers).exit_code == 0
    shown = [json.loads(invoke("log", "show", str(n), "--json").stdout) for n in (1, 2, 3)]
    assert [s["entry"]["collection"] for s in shown] == [True, True, False]


def test_the_marker_is_hashed_listed_exported_and_verified() -> None:
    _collection_log()
    listed = invoke("log", "list").stdout.splitlines()
    assert [line.split("\t")[3] for line in listed[1:]] == [
        "phone", "phone · collection", "phone", "phone · collection",
    ]  # newest first
    exported = json.loads(invoke("log", "export", "--format", "json").stdout)
    assert [e["collection"] for e in exported["entries"]] == [False, True, True, False]
    assert "collection" in exported["entries"][1]["salts"]
    assert "collection" not in exported["entries"][0]["salts"]  # an ordinary entry stays v2
    csv_rows = invoke("log", "export", "--format", "csv").stdout.splitlines()
    assert csv_rows[0].split(",")[5] == "Collection"
    assert [r.split(",")[5] for r in csv_rows[1:]] == ["", "yes", "yes", ""]
    assert invoke("log", "verify").exit_code == 0
    from repaycli.core.proof import check_export

    for entry, flipped in ((0, True), (1, False), (3, True)):  # switched on or off
        copy = json.loads(json.dumps(exported))
        copy["entries"][entry]["collection"] = flipped
        assert check_export(copy).problem == "changed"
        assert check_export(copy).entry_id == entry + 1


@pytest.mark.parametrize(("entry", "value"), [(1, 1), (2, None), (4, 0)])
def test_flipping_the_marker_in_sqlite_is_caught(entry: int, value: int | None) -> None:
    _collection_log()
    from repaycli.paths import db_path

    conn = sqlite3.connect(db_path())
    conn.execute("DROP TRIGGER contacts_no_update")
    conn.execute("UPDATE contacts SET collection = ? WHERE id = ?", (value, entry))
    conn.commit()
    conn.close()
    result = invoke("log", "verify")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: entry #{entry} was changed after it was recorded: the log is not intact\n"
    )


def test_remind_flags_collection_after_an_agreement_and_stays_quiet_otherwise() -> None:
    _collection_log()
    today = {"REPAYCLI_TODAY": "2026-11-20"}
    quiet = run("remind", env=today)  # nothing due: cron gets nothing, flag or not
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    data = json.loads(run("remind", "--json", env=today).stdout)
    assert [c["entry_id"] for c in data["collection_after_agreement"]] == [3]
    assert data["collection_after_agreement"][0]["agreed_entry"] == 1
    made = invoke(
        "agreement", "add", "--platform", "huabei", "--first-due", "2026-11-21",
        "--total", "300", "--periods", "3", "--no-input", env=today,
    )
    assert made.exit_code == 0, made.output
    report = run("remind", env=today)
    assert report.returncode == 0
    lines = report.stdout.splitlines()
    at = lines.index("Collection after an agreement: 1")
    assert lines[at + 1] == (
        "  2026-11-03 10:00  Huabei (Alipay) contacted you to collect (log entry #3)"
        " (agreed in entry #1)"
    )
    zh = run("--lang", "zh", "remind", env=today).stdout
    assert "达成协议后仍被催收：1 次" in zh and "花呗 来催收（日志 #3）（已在 #1 达成协议）" in zh


def test_an_agreement_recorded_without_an_agreed_contact_counts_too() -> None:
    for extra in (["--outcome", "pending", "--collection", "--at", "2026-10-30 10:00"],):
        assert invoke(*AGREED, *extra).exit_code == 0
    today = {"REPAYCLI_TODAY": "2026-11-02"}
    made = invoke(
        "agreement", "add", "--platform", "huabei", "--first-due", "2026-12-01",
        "--total", "300", "--periods", "3", "--no-input", env=today,
    )
    assert made.exit_code == 0, made.output
    data = json.loads(invoke("remind", "--json").stdout)
    assert data["collection_after_agreement"] == []  # logged after the agreement? no: before
    assert invoke(*AGREED, "--outcome", "pending", "--collection").exit_code == 0
    data = json.loads(invoke("remind", "--json").stdout)
    assert [(c["entry_id"], c["agreement_id"]) for c in data["collection_after_agreement"]] == [
        (2, 1)
    ]
    assert invoke("agreement", "void", "1", "--reason", "typed wrong").exit_code == 0
    assert json.loads(invoke("remind", "--json").stdout)["collection_after_agreement"] == []


@pytest.mark.parametrize("kind", ["complaint", "collection"])
def test_the_letters_cite_the_collection_with_its_hash(kind: str) -> None:
    _collection_log()
    entry = json.loads(invoke("log", "show", "3", "--json").stdout)["entry"]
    result = invoke("letter", "--kind", kind, "--format", "text")
    assert result.exit_code == 0, result.output
    text = result.stdout
    at = text.index("Collection after the agreement\n")
    part = text[at:].splitlines()
    assert part[4] == "- #3 3 November 2026, 10:00 (after the agreement in contact #1)"
    assert part[5] == f"  - SHA-256: {entry['hash']}"
    assert "#2 " not in "\n".join(part[:8])  # logged before the agreement
    dispute = invoke("letter", "--kind", "dispute", "--format", "text").stdout
    assert "Collection after the agreement" not in dispute


# --- one fingerprint and one export for all the evidence --------------------------------------


def _db() -> Path:
    from repaycli.paths import db_path

    return db_path()


def _evidence() -> str:
    """A contact, an agreement and two payments; returns the fingerprint taken then."""
    env = {"REPAYCLI_TODAY": "2026-01-10"}
    assert invoke(*AGREED, "--outcome", "agreed", "--number", "13812345678").exit_code == 0
    made = invoke(
        "agreement", "add", "--platform", "huabei", "--first-due", "2026-01-31",
        "--total", "300", "--periods", "3", "--no-input", env=env,
    )
    assert made.exit_code == 0, made.output
    for amount in ("100", "50"):
        paid = invoke("pay", "1", "--amount", amount, "--receipt", "R" + amount, env=env)
        assert paid.exit_code == 0, paid.output
    code = json.loads(invoke("log", "fingerprint", "--json").stdout)
    assert (code["entries"], code["events"]) == (1, 3)
    assert code["fingerprint"].startswith("1-3-")
    return str(code["fingerprint"])


def _rewrite_events(receipt: str) -> None:
    """What someone with the file can do: change payment 1's receipt, re-hash the whole
    events chain so that it is consistent again, and put the trigger back (``log verify`` alone
    cannot see that)."""
    from repaycli.core.evidence import GENESIS, event_hash

    conn = sqlite3.connect(_db())
    conn.row_factory = sqlite3.Row
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'events_no_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE payments SET receipt = ? WHERE id = 1", (receipt,))
    prev = GENESIS
    for row in conn.execute("SELECT * FROM events ORDER BY id").fetchall():
        body = json.loads(row["body"])
        if row["kind"] == "payment" and row["ref"] == 1:
            body["receipt"] = receipt
        event = {**{k: row[k] for k in ("id", "kind", "ref", "recorded_at")}, "body": body}
        event["prev_hash"] = prev
        prev = event_hash(event)
        conn.execute(
            "UPDATE events SET body = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (json.dumps(body, sort_keys=True), event["prev_hash"], prev, row["id"]),
        )
    conn.execute(trigger)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "UPDATE agreements SET total_fen = 1200",
            "agreement 1 is not what was recorded: it was changed behind repaycli's back",
        ),
        (
            "UPDATE installments SET amount_fen = 10 WHERE n = 3",
            "agreement 1 is not what was recorded: it was changed behind repaycli's back",
        ),
        (
            "UPDATE payments SET amount_fen = 1000 WHERE id = 2",
            "payment 2 is not what was recorded: it was changed behind repaycli's back",
        ),
        (
            "UPDATE payments SET receipt = 'R999' WHERE id = 1",
            "payment 1 is not what was recorded: it was changed behind repaycli's back",
        ),
    ],
)
def test_editing_an_agreement_or_payment_in_sqlite_is_caught(sql: str, message: str) -> None:
    _evidence()
    conn = sqlite3.connect(_db())
    conn.execute(sql)
    conn.commit()
    conn.close()
    done = run("log", "verify")  # a real process over the edited file
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: {message}\n")


def test_the_fingerprint_and_the_export_cover_the_events(tmp_path: Path) -> None:
    code = _evidence()
    export = tmp_path / "log.json"
    assert run("log", "export", "--format", "json", "-o", str(export)).returncode == 0
    document = json.loads(export.read_text(encoding="utf-8"))
    assert (document["events_count"], len(document["events"])) == (3, 3)
    assert document["fingerprint"] == code
    ok = run("log", "verify", "--fingerprint", code, "--export", str(export))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-2:] == [
        "The export is intact: 1 entry; its count, head and seal check out. Its 3 events"
        " (agreements, payments, closures, offer checks, voids) form an intact chain, and its"
        " fingerprint covers both. It matches the log.",
        "The evidence as fingerprinted (1 log entry, 3 events) is still inside today's"
        " (log entries in all: 1; events: 3), unchanged.",
    ]
    _rewrite_events("FORGED")
    assert run("log", "verify").returncode == 0  # a consistent rewrite: the chain alone holds
    caught = run("log", "verify", "--fingerprint", code)
    assert (caught.returncode, caught.stderr) == (
        1,
        "Error: the log's first entry or its first 3 events are no longer the ones this"
        " fingerprint was taken of: the evidence was changed\n",
    )
    caught = run("log", "verify", "--export", str(export))
    assert (caught.returncode, caught.stderr) == (
        1, "Error: the export's events differ from the database's from event #2 on\n"
    )


def test_a_fingerprint_taken_earlier_is_checked_at_its_own_length_as_the_log_grows() -> None:
    """``verify --fingerprint`` looks up the entry and the event the code was taken at (by
    position, without reading the whole log): after more contacts and payments it still
    matches, and a rewrite of the events before that point is still caught."""
    code = _evidence()  # 1 entry, 3 events
    env = {"REPAYCLI_TODAY": "2026-01-12"}
    assert invoke(*AGREED, "--outcome", "agreed", "--notes", "later").exit_code == 0
    assert invoke("pay", "1", "--amount", "25", "--receipt", "R25", env=env).exit_code == 0
    body = json.loads(invoke("log", "verify", "--fingerprint", code, "--json").stdout)
    assert body["intact"] is True
    assert body["fingerprint"] == {"count": 1, "events": 3, "matches": True}
    assert (body["entries"], body["events"]["count"]) == (2, 4)
    _rewrite_events("FORGED")
    body = json.loads(invoke("log", "verify", "--fingerprint", code, "--json").stdout)
    assert body["fingerprint"]["matches"] is False
    assert body["intact"] is False


def test_a_fingerprint_taken_before_events_were_bound_still_verifies() -> None:
    _evidence()
    head = json.loads(invoke("log", "fingerprint", "--json").stdout)["head_hash"]
    from repaycli.core.proof import fingerprint

    old = fingerprint(1, head)  # the code of before: ``1-xxxx-…`` over the log's head alone
    assert old.count("-") == 5
    result = invoke("log", "verify", "--fingerprint", old)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "The log as fingerprinted (1 entry) is still inside today's log (1 in all), unchanged."
    )


def _edited(document: dict, change: str) -> dict:  # type: ignore[type-arg]
    copy = json.loads(json.dumps(document))
    if change == "body":
        copy["events"][0]["body"]["total_fen"] = 1200
    elif change == "dropped_last":
        copy["events"] = copy["events"][:-1]
    elif change == "emptied":
        copy["events"], copy["events_count"] = [], 0
    elif change == "count":
        copy["events_count"] = 2
    elif change == "head":
        copy["events_head"] = "0" * 64
    elif change == "fingerprint":
        copy["fingerprint"] = "1-2-0000-0000-0000-0000-0000"
    elif change == "reordered":
        copy["events"][1], copy["events"][2] = copy["events"][2], copy["events"][1]
    return copy  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("body", "the export's event #1 (an agreement, payment, closure, offer check or void) is"
         " not what was hashed: the export was changed"),
        ("dropped_last", "the export says it holds 3 events but it holds another number: events"
         " were removed from it or added to it"),
        ("emptied", "the export's events head or fingerprint is not its own: the export was"
         " changed"),
        ("count", "the export says it holds 2 events but it holds another number: events were"
         " removed from it or added to it"),
        ("head", "the export's events head or fingerprint is not its own: the export was changed"),
        ("fingerprint", "the export's events head or fingerprint is not its own: the export was"
         " changed"),
        ("reordered", "event #2 is missing from the export: the export was changed"),
    ],
)
def test_each_tampering_of_the_events_in_an_export_is_rejected(
    tmp_path: Path, change: str, message: str
) -> None:
    _evidence()
    document = json.loads(invoke("log", "export", "--format", "json").stdout)
    target = tmp_path / "tampered.json"
    target.write_text(json.dumps(_edited(document, change), ensure_ascii=False), encoding="utf-8")
    result = invoke("log", "verify", "--export", str(target))
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")


def test_a_redacted_export_hides_a_number_in_an_event_and_still_verifies(tmp_path: Path) -> None:
    _evidence()
    reason = "paid from 13912345678 by mistake"
    assert invoke("pay", "1", "--void", "2", "--reason", reason).exit_code == 0
    target = tmp_path / "redacted.json"
    made = invoke("log", "export", "--format", "json", "--redact", "-o", str(target))
    assert made.exit_code == 0, made.output
    text = target.read_text(encoding="utf-8")
    assert "13912345678" not in text and "13812345678" not in text
    document = json.loads(text)
    void = document["events"][-1]
    assert void["body"]["reason"] == "paid from 139****5678 by mistake"
    assert (void["hash"], void["unverifiable"]) == (None, True)  # its hash would give it away
    assert [e.get("unverifiable", False) for e in document["events"]] == [False] * 3 + [True]
    assert document["events_head"] is None and document["fingerprint"] is None
    result = invoke("log", "verify", "--export", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith(
        " 1 of its events are shown redacted without their hashes (masking changed them), so"
        " they could not be checked. It matches the log."
    )


def test_a_database_of_the_previous_schema_migrates_and_keeps_verifying() -> None:
    """Schema 6 (before the collection marker) → 7: entries and events keep their hashes, a
    fingerprint of either kind taken before still holds, and collection is logged from then on."""
    from datetime import date, datetime, timedelta, timezone

    from repaycli import store
    from repaycli.core.proof import fingerprint

    path = _db()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = store.connect(path, migrate_to=6)
    assert "collection" not in [r[1] for r in conn.execute("PRAGMA table_info(contacts)")]
    at = datetime(2026, 1, 5, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    new = store.NewContact(at=at, platform="huabei", channel="phone", outcome="agreed")
    entry = store.add_contact(conn, new, recorded_at=at)
    store.add_agreement(
        conn, platform="huabei", schedule=[(date(2026, 2, 1), 10000)], recorded_at=at
    )
    store.add_payment(conn, 1, amount_fen=5000, paid_on=date(2026, 1, 6), recorded_at=at)
    events = store.verify_events(conn)
    assert (events.intact, events.count) == (True, 2)
    old_code = fingerprint(1, entry.hash)
    new_code = fingerprint(1, entry.hash, (2, events.head))
    assert store.schema_version(conn) == 6
    conn.close()

    done = run("log", "verify", "--fingerprint", old_code)  # a real process migrates it
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("SELECT hash, collection FROM contacts").fetchall() == [(entry.hash, None)]
    conn.close()
    assert run("log", "verify", "--fingerprint", new_code).returncode == 0
    assert run(*AGREED, "--outcome", "pending", "--collection").returncode == 0
    assert run("log", "verify", "--fingerprint", new_code).returncode == 0
    data = json.loads(run("remind", "--json").stdout)
    assert [c["entry_id"] for c in data["collection_after_agreement"]] == [2]


def test_verify_of_a_log_without_events_does_not_also_say_there_is_nothing() -> None:
    """Before: 'The log is intact: 1 entries …' followed by 'There is nothing to verify: no log
    entries yet.' when no agreement, payment or closure had been recorded."""
    add_entry()
    result = run("log", "verify")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert result.stdout.startswith("The log is intact: 1 entry, last hash ")
    empty = run("log", "verify", env={"REPAYCLI_HOME": str(_db().parent.parent / "none")})
    nothing = "There is nothing to verify: no log entries yet.\n"
    assert (empty.returncode, empty.stdout) == (0, nothing)
