"""The SQLite store: schema and migrations, checks before writing, privacy, the log's chain."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from repaycli import store
from repaycli.errors import BadInput, Failure

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 14, 30, tzinfo=CST)


def schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()
    return [(t, n, s) for t, n, s in rows]


def pragma(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        conn.close()


def contact(**over: object) -> store.NewContact:
    fields: dict[str, object] = {
        "at": NOW,
        "platform": "huabei",
        "channel": "phone",
        "outcome": "pending",
    }
    fields.update(over)
    return store.NewContact(**fields)  # type: ignore[arg-type]


FINAL_OBJECTS = [
    ("index", "agreement_debts_debt"),
    ("index", "allocations_installment"),
    ("index", "bill_payments_import"),
    ("index", "contacts_at"),
    ("index", "contacts_collection"),
    ("index", "contacts_follow_up"),
    ("index", "contacts_platform_at"),
    ("index", "installments_unpaid_due"),
    ("index", "offer_checks_contact"),
    ("index", "payments_agreement"),
    ("table", "agreement_debts"),
    ("table", "agreements"),
    ("table", "allocations"),
    ("table", "bill_imports"),
    ("table", "bill_payments"),
    ("table", "check_ins"),
    ("table", "complaints"),
    ("table", "contacts"),
    ("table", "current_plan"),
    ("table", "events"),
    ("table", "follow_ups_done"),
    ("table", "installments"),
    ("table", "offer_checks"),
    ("table", "payments"),
    ("table", "register_budget"),
    ("table", "register_debts"),
    ("table", "register_history"),
    ("table", "voids"),
    ("trigger", "agreement_debts_no_delete"),
    ("trigger", "agreement_debts_no_update"),
    ("trigger", "bill_imports_no_delete"),
    ("trigger", "bill_imports_no_update"),
    ("trigger", "bill_payments_no_delete"),
    ("trigger", "bill_payments_no_update"),
    ("trigger", "complaints_no_delete"),
    ("trigger", "complaints_no_update"),
    ("trigger", "contacts_no_delete"),
    ("trigger", "contacts_no_update"),
    ("trigger", "events_no_delete"),
    ("trigger", "events_no_update"),
    ("trigger", "offer_checks_no_update"),
    ("trigger", "register_history_no_delete"),
    ("trigger", "register_history_no_update"),
    ("trigger", "voids_no_delete"),
    ("trigger", "voids_no_update"),
]


def test_blank_and_first_schema_migrate_to_the_same_final_schema(tmp_path: Path) -> None:
    blank = tmp_path / "blank.sqlite3"
    store.connect(blank).close()

    old = tmp_path / "old.sqlite3"
    conn = store.connect(old, migrate_to=1)
    assert store.schema_version(conn) == 1
    conn.close()
    assert pragma(old, "user_version") == 1
    assert ("index", "installments_unpaid_due") not in [(t, n) for t, n, _ in schema(old)]
    conn = store.connect(old)
    conn.close()

    assert schema(blank) == schema(old)
    assert sorted((t, n) for t, n, _ in schema(blank)) == FINAL_OBJECTS
    for path in (blank, old):
        assert pragma(path, "user_version") == store.SCHEMA_VERSION == 12
        assert pragma(path, "application_id") == store.APPLICATION_ID


def test_migrations_are_named_and_each_runs_once(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3", migrate_to=0)
    assert store.migrate(conn) == [
        "m001_initial",
        "m002_reminders",
        "m003_offer_checks",
        "m004_salted_commitments",
        "m005_voids",
        "m006_evidence_events",
        "m007_collection_marker",
        "m008_bill_imports",
        "m009_collection_detail",
        "m010_complaints",
        "m011_allocation_index",
        "m012_debt_register",
    ]
    assert store.migrate(conn) == []
    conn.close()


def test_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = store.connect(path)
    store.add_contact(conn, contact(), recorded_at=NOW)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS
    assert Path(f"{path}-wal").exists()
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO installments (agreement_id, n, due, amount_fen) VALUES (99, 1, 'x', 1)"
        )
    conn.close()


def test_file_and_new_directory_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    path = folder / "db.sqlite3"
    conn = store.connect(path)
    store.add_contact(conn, contact(), recorded_at=NOW)
    for target in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, target
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    conn.close()


def test_a_loose_existing_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store.connect(path).close()
    path.chmod(0o644)
    store.connect(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _assert_refused(path: Path, key: str) -> Failure:
    before = path.read_bytes()
    with pytest.raises(Failure) as caught:
        store.connect(path)
    assert caught.value.key == key
    assert path.read_bytes() == before
    return caught.value


def test_not_a_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"hello, this is a text file\n" * 20)
    _assert_refused(path, "err.db_not_repaycli")


def test_another_programs_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (body TEXT)")
    other.execute("INSERT INTO notes VALUES ('mine')")
    other.commit()
    other.close()
    _assert_refused(path, "err.db_not_repaycli")
    assert not Path(f"{path}-wal").exists()


def test_newer_schema_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = store.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.close()
    error = _assert_refused(path, "err.db_newer")
    assert error.params["version"] == store.SCHEMA_VERSION + 1


def test_corrupt_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = store.connect(path)
    for _ in range(50):
        store.add_contact(conn, contact(notes="x" * 500), recorded_at=NOW)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    page = pragma(path, "page_size")
    data[page * 2 : page * 2 + 200] = b"\xff" * 200  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    _assert_refused(path, "err.db_corrupt")


def test_truncated_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 10)
    _assert_refused(path, "err.db_not_repaycli")


def test_the_log_is_append_only(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    store.add_contact(conn, contact(), recorded_at=NOW)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE contacts SET notes = 'edited'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM contacts")
    conn.close()


def _tamper(conn: sqlite3.Connection, sql: str) -> None:
    conn.execute("DROP TRIGGER contacts_no_update")
    conn.execute("DROP TRIGGER contacts_no_delete")
    conn.execute(sql)


def _three(tmp_path: Path) -> sqlite3.Connection:
    conn = store.connect(tmp_path / "db.sqlite3")
    for i in range(3):
        store.add_contact(conn, contact(notes=f"call {i + 1}"), recorded_at=NOW)
    return conn


def test_chain_is_intact_then_names_the_changed_entry(tmp_path: Path) -> None:
    conn = _three(tmp_path)
    check = store.verify_log(conn)
    assert check.intact and check.count == 3
    _tamper(conn, "UPDATE contacts SET offered = 'they waived everything' WHERE id = 2")
    check = store.verify_log(conn)
    assert (check.problem, check.entry_id) == ("changed", 2)


def test_chain_names_a_rewritten_entry_even_with_its_hash_recomputed(tmp_path: Path) -> None:
    conn = _three(tmp_path)
    # salted hashes differ from run to run: change the first digit whatever it is
    _tamper(
        conn,
        "UPDATE contacts SET hash = (CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END)"
        " || substr(hash, 2) WHERE id = 2",
    )
    check = store.verify_log(conn)
    assert (check.problem, check.entry_id) == ("changed", 2)


@pytest.mark.parametrize("removed", [1, 2, 3])
def test_chain_names_the_removed_entry(tmp_path: Path, removed: int) -> None:
    conn = _three(tmp_path)
    _tamper(conn, f"DELETE FROM contacts WHERE id = {removed}")
    check = store.verify_log(conn)
    assert (check.problem, check.entry_id) == ("removed", removed)


def test_each_entry_chains_to_the_previous(tmp_path: Path) -> None:
    conn = _three(tmp_path)
    entries = store.all_contacts(conn)
    assert entries[0].prev_hash == "0" * 64
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert len({e.hash for e in entries}) == 3


def test_a_correction_points_to_its_entry_and_hides_it_from_listings(tmp_path: Path) -> None:
    conn = _three(tmp_path)
    fixed = store.add_contact(conn, contact(corrects=2, notes="call 2, fixed"), recorded_at=NOW)
    assert fixed.corrects == 2
    assert store.get_contact(conn, 2).corrected_by == fixed.id
    assert [e.id for e in store.list_contacts(conn)] == [4, 3, 1]
    with pytest.raises(BadInput) as caught:
        store.add_contact(conn, contact(corrects=2), recorded_at=NOW)
    assert (caught.value.key, caught.value.params) == (
        "err.log_already_corrected",
        {"id": 2, "by": 4},
    )
    assert len(store.all_contacts(conn)) == 4


def test_unknown_ids_are_bad_input(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    with pytest.raises(BadInput, match="err.log_unknown_id"):
        store.get_contact(conn, 7)
    with pytest.raises(BadInput, match="err.log_unknown_id"):
        store.add_contact(conn, contact(corrects=7), recorded_at=NOW)
    with pytest.raises(BadInput, match="err.agreement_unknown_id"):
        store.get_agreement(conn, 3, today=NOW.date())
    with pytest.raises(BadInput, match="err.log_unknown_id"):
        store.add_agreement(
            conn, platform="huabei", schedule=[(NOW.date(), 100)], recorded_at=NOW, contact_id=9
        )
    assert conn.execute("SELECT count(*) FROM agreements").fetchone()[0] == 0


def test_payment_applies_to_earliest_and_records_overpayment(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    first = date(2026, 1, 31)
    schedule = [(first, 100_00), (date(2026, 2, 28), 100_00), (date(2026, 3, 31), 100_00)]
    aid = store.add_agreement(conn, platform="huabei", schedule=schedule, recorded_at=NOW)
    store.add_payment(conn, aid, amount_fen=150_00, paid_on=first, recorded_at=NOW, receipt="R1")
    view = store.get_agreement(conn, aid, today=date(2026, 3, 1))
    assert [(s.n, str(s.paid), s.status.value) for s in view.schedule] == [
        (1, "100.00", "paid"),
        (2, "50.00", "overdue"),
        (3, "0.00", "due"),
    ]
    assert str(view.balance) == "150.00" and str(view.overdue) == "50.00"
    store.add_payment(conn, aid, amount_fen=200_00, paid_on=first, recorded_at=NOW)
    view = store.get_agreement(conn, aid, today=date(2026, 3, 1))
    assert view.finished and str(view.balance) == "0.00" and str(view.overpaid) == "50.00"
    assert [(a.n, str(a.amount)) for a in view.payments[1].allocations] == [
        (2, "50.00"),
        (3, "100.00"),
    ]
    with pytest.raises(BadInput, match="err.agreement_finished"):
        store.add_payment(conn, aid, amount_fen=1, paid_on=first, recorded_at=NOW)
    assert conn.execute("SELECT count(*) FROM payments").fetchone()[0] == 2


def test_reminder_queries_and_their_indexes(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    aid = store.add_agreement(
        conn,
        platform="jiebei",
        schedule=[(date(2026, 11, 20), 500), (date(2026, 12, 20), 500)],
        recorded_at=NOW,
    )
    store.add_payment(conn, aid, amount_fen=200, paid_on=NOW.date(), recorded_at=NOW)
    due = store.due_installments(conn, until=date(2026, 11, 24))
    assert [(d.agreement_id, d.n, str(d.left)) for d in due] == [(aid, 1, "3.00")]

    early = NOW - timedelta(days=2)
    store.add_contact(conn, contact(at=early, follow_up=date(2026, 11, 22)), recorded_at=NOW)
    store.add_contact(
        conn, contact(platform="baitiao", follow_up=date(2026, 11, 23)), recorded_at=NOW
    )
    store.add_contact(conn, contact(at=NOW), recorded_at=NOW)  # a later huabei contact
    opened = store.open_follow_ups(conn, until=date(2026, 11, 30))
    assert [(f.entry_id, f.platform) for f in opened] == [(2, "baitiao")]
    store.close_follow_up(conn, 2, done_at=NOW)
    assert store.open_follow_ups(conn, until=date(2026, 11, 30)) == []

    def plan(sql: str) -> str:
        return " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))

    assert "installments_unpaid_due" in plan(
        "SELECT * FROM installments WHERE paid_fen < amount_fen AND due <= '2026-12-01'"
    )
    assert "contacts_follow_up" in plan(
        "SELECT * FROM contacts WHERE follow_up IS NOT NULL AND follow_up <= '2026-12-01'"
    )
    assert "contacts_platform_at" in plan(
        "SELECT 1 FROM contacts WHERE platform = 'huabei' AND at_utc > '2026-01-01'"
    )


def test_backup_is_a_private_consistent_copy(tmp_path: Path) -> None:
    conn = _three(tmp_path)
    target = tmp_path / "copy.sqlite3"
    store.backup(conn, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = store.connect(target)
    assert store.verify_log(copy).intact and len(store.all_contacts(copy)) == 3
    with pytest.raises(BadInput, match="err.backup_exists"):
        store.backup(conn, target)


def _leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


@pytest.mark.parametrize("damage", ["newer", "corrupt", "foreign"])
def test_a_refused_wal_database_gets_no_wal_or_shm_files(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "db.sqlite3"
    conn = store.connect(path)  # WAL mode, as every repaycli database is
    for _ in range(50):
        store.add_contact(conn, contact(notes="x" * 500), recorded_at=NOW)
    if damage == "newer":
        conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    if damage == "foreign":
        conn.execute("PRAGMA application_id = 7")
    conn.close()  # the last connection checkpoints and removes -wal / -shm
    assert _leftovers(path) == []
    if damage == "corrupt":
        data = bytearray(path.read_bytes())
        page = pragma(path, "page_size")
        data[page * 2 : page * 2 + 200] = b"\xff" * 200
        path.write_bytes(bytes(data))
    key = {"newer": "err.db_newer", "corrupt": "err.db_corrupt", "foreign": "err.db_not_repaycli"}
    _assert_refused(path, key[damage])
    assert _leftovers(path) == []
