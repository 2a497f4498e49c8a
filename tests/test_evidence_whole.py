"""Issue 22: the database checked whole. Every kind of edit someone with the file can make —
each table × insert / update (column by column) / delete / drop, triggers and indexes dropped,
replaced or added — is refused by ``log verify`` (exit 1), naming what is wrong; the indexes the
checks need are used (``EXPLAIN QUERY PLAN``) and the checks grow linearly with the data."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import invoke, restore_triggers, run
from repaycli import store
from repaycli.paths import db_path

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 14, 30, tzinfo=CST)


def _contact(**over: object) -> store.NewContact:
    fields: dict[str, object] = {
        "at": NOW,
        "platform": "huabei",
        "channel": "phone",
        "outcome": "pending",
    }
    fields.update(over)
    return store.NewContact(**fields)  # type: ignore[arg-type]


def build_evidence(path: Path) -> None:
    """Three entries (the first closed), two agreements, three payments (one voided), an offer
    check: every table holds rows, every kind of event is there.

    Payment 1 (600 yuan) pays installment 1 of agreement 1 and 100 yuan of installment 2;
    payment 2 (10 yuan) is voided (void 1); payment 3 pays 100 yuan of agreement 2."""
    conn = store.connect(path)
    for n in range(3):
        store.add_contact(
            conn, _contact(notes=f"call {n + 1}", follow_up=date(2026, 12, 1)), recorded_at=NOW
        )
    store.close_follow_up(conn, 1, done_at=NOW)
    schedule = [(date(2026, 12, 1), 50000), (date(2027, 1, 1), 50000), (date(2027, 2, 1), 50000)]
    store.add_agreement(conn, platform="huabei", schedule=schedule, recorded_at=NOW, contact_id=1)
    schedule = [(date(2026, 12, 5), 30000), (date(2027, 1, 5), 30000)]
    store.add_agreement(conn, platform="jiebei", schedule=schedule, recorded_at=NOW)
    store.add_payment(conn, 1, amount_fen=60000, paid_on=NOW.date(), recorded_at=NOW, receipt="R1")
    store.add_payment(conn, 1, amount_fen=1000, paid_on=NOW.date(), recorded_at=NOW)
    store.void_payment(conn, 1, 2, reason="typed twice", recorded_at=NOW)
    store.add_payment(conn, 2, amount_fen=10000, paid_on=NOW.date(), recorded_at=NOW)
    store.add_offer_check(conn, 2, '{"verdict": "fair"}', checked_at=NOW)
    conn.close()


@pytest.fixture(scope="module")
def evidence_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evidence") / "repaycli.sqlite3"
    build_evidence(path)
    return path


@pytest.fixture
def evidence(evidence_db: Path) -> Iterator[Path]:
    target = db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(evidence_db, target)
    yield target


#: Events in the fixture, in order: agreement 1, agreement 2, payment 1, payment 2, void 1,
#: payment 3, offer check 1 (the closing of entry 1 comes first: event 1).
EVENTS = 8

E2 = "entry #2"
ALLOCATE = "INSERT INTO allocations (payment_id, agreement_id, n, amount_fen) VALUES"
A1 = "agreement 1 is not what was recorded"

#: (label, statements, what the one-line refusal must name). The triggers are dropped before and
#: put back after each data edit, as a careful forger would: only the data can give it away.
DATA_EDITS: list[tuple[str, list[str], str]] = [
    # contacts: every column of entry 2
    *[
        (f"contacts.{column}", [f"UPDATE contacts SET {column} = {value} WHERE id = 2"], E2)
        for column, value in [
            ("recorded_at", "'2026-01-01T00:00:00+08:00'"),
            ("at", "'2026-01-01T00:00:00+08:00'"),
            ("at_utc", "'2020-01-01T00:00:00+00:00'"),
            ("platform", "'jiebei'"),
            ("channel", "'email'"),
            ("number", "'13812345678'"),
            ("agent", "'Mr Wang'"),
            ("ref", "'T-1'"),
            ("asked", "'everything'"),
            ("offered", "'nothing'"),
            ("outcome", "'agreed'"),
            ("agreed_terms", "'waived'"),
            ("confirmation", "'SMS'"),
            ("follow_up", "'2027-01-01'"),
            ("follow_up_action", "'call back'"),
            ("notes", "'they waived everything'"),
            ("attachments", """'[{"path":"x.png","sha256":"00","size":1}]'"""),
            ("corrects", "1"),
            ("prev_hash", "'" + "1" * 64 + "'"),
            ("hash", "'" + "f" * 64 + "'"),
            ("salts", "'{}'"),
            ("collection", "1"),
        ]
    ],
    ("contacts.id", ["UPDATE contacts SET id = 10 WHERE id = 2"], E2),
    (
        "contacts insert",
        [
            "INSERT INTO contacts (id, recorded_at, at, at_utc, platform, channel, outcome,"
            " prev_hash, hash) SELECT 4, recorded_at, at, at_utc, platform, channel, 'agreed',"
            " hash, '" + "e" * 64 + "' FROM contacts WHERE id = 3",
        ],
        "entry #4 ",
    ),
    ("contacts delete", ["DELETE FROM contacts WHERE id = 2"], E2),
    ("contacts delete last", ["DELETE FROM contacts WHERE id = 3"], "entry #3 "),
    # agreements
    *[
        (f"agreements.{column}", [f"UPDATE agreements SET {column} = {value} WHERE id = 1"], A1)
        for column, value in [
            ("recorded_at", "'2026-01-01T00:00:00+08:00'"),
            ("platform", "'jiebei'"),
            ("total_fen", "100000"),
            ("periods", "2"),
            ("first_due", "'2027-01-01'"),
            ("contact_id", "2"),
            ("source", "'forged'"),
        ]
    ],
    ("agreements.id", ["UPDATE agreements SET id = 9 WHERE id = 2"], "agreement 2 "),
    (
        "agreements insert",
        [
            "INSERT INTO agreements (recorded_at, platform, total_fen, periods, first_due)"
            " VALUES ('2026-11-21T14:30:00+08:00', 'huabei', 100, 1, '2026-12-01')",
        ],
        "agreement 3 was never recorded",
    ),
    ("agreements delete", ["DELETE FROM agreements WHERE id = 2"], "agreement 2 was recorded but"),
    # installments
    *[
        (
            f"installments.{column}",
            [f"UPDATE installments SET {column} = {value} WHERE agreement_id = 1 AND n = 3"],
            A1,
        )
        for column, value in [
            ("due", "'2030-01-01'"),
            ("amount_fen", "1"),
            ("n", "4"),
            ("agreement_id", "2"),
        ]
    ],
    (
        "installments.paid_fen",
        ["UPDATE installments SET paid_fen = 50000 WHERE agreement_id = 1 AND n = 3"],
        "agreement 1's paid amounts",
    ),
    (
        "installments insert",
        [
            "INSERT INTO installments (agreement_id, n, due, amount_fen)"
            " VALUES (1, 4, '2027-03-01', 9)"
        ],
        A1,
    ),
    (
        "installments insert orphan",
        [
            "INSERT INTO installments (agreement_id, n, due, amount_fen)"
            " VALUES (99, 1, '2026-12-01', 9)"
        ],
        "agreement 99",
    ),
    ("installments delete", ["DELETE FROM installments WHERE agreement_id = 1 AND n = 3"], A1),
    # payments
    *[
        (
            f"payments.{column}",
            [f"UPDATE payments SET {column} = {value} WHERE id = 1"],
            "payment 1 is not what was recorded",
        )
        for column, value in [
            ("agreement_id", "2"),
            ("recorded_at", "'2026-01-01T00:00:00+08:00'"),
            ("paid_on", "'2026-01-01'"),
            ("amount_fen", "90000"),
            ("excess_fen", "5"),
            ("receipt", "'FORGED'"),
        ]
    ],
    ("payments.id", ["UPDATE payments SET id = 9 WHERE id = 3"], "payment 3 "),
    (
        "payments insert",
        [
            "INSERT INTO payments (agreement_id, recorded_at, paid_on, amount_fen)"
            " VALUES (1, '2026-11-21T14:30:00+08:00', '2026-11-21', 100)",
        ],
        "payment 4 was never recorded",
    ),
    ("payments delete", ["DELETE FROM payments WHERE id = 3"], "payment 3 was recorded but"),
    # allocations
    (
        "allocations.amount_fen",
        [
            "UPDATE allocations SET amount_fen = 20000 WHERE payment_id = 1 AND n = 2",
            "UPDATE installments SET paid_fen = 20000 WHERE agreement_id = 1 AND n = 2",
        ],
        "payment 1 is not what was recorded",
    ),
    (
        "allocations.n",
        [
            "UPDATE allocations SET n = 3 WHERE payment_id = 1 AND n = 2",
        ],
        "payment 1 is not what was recorded",
    ),
    (
        "allocations.payment_id",
        [
            "UPDATE allocations SET payment_id = 3 WHERE payment_id = 1 AND n = 2",
        ],
        "payment 1 is not what was recorded",
    ),
    (
        "allocations.agreement_id",
        [  # moved to agreement 2 (same n: the payment's body is
            # unchanged), paid amounts fixed up to match
            "UPDATE allocations SET agreement_id = 2 WHERE payment_id = 1 AND n = 2",
            "UPDATE installments SET paid_fen = 0 WHERE agreement_id = 1 AND n = 2",
            "UPDATE installments SET paid_fen = 10000 WHERE agreement_id = 2 AND n = 2",
        ],
        "payment 1, which does not exist or belongs to another agreement",
    ),
    (
        "allocations insert phantom",
        [  # the issue's phantom row, paid amount fixed up
            f"{ALLOCATE} (99, 1, 3, 20000)",
            "UPDATE installments SET paid_fen = 20000 WHERE agreement_id = 1 AND n = 3",
        ],
        "payment 99",
    ),
    (
        "allocations insert phantom unpaid",
        [
            f"{ALLOCATE} (99, 1, 3, 20000)",
        ],
        "agreement 1's paid amounts",
    ),
    (
        "allocations insert on a payment",
        [
            f"{ALLOCATE} (1, 1, 3, 20000)",
            "UPDATE installments SET paid_fen = 20000 WHERE agreement_id = 1 AND n = 3",
        ],
        "payment 1 is not what was recorded",
    ),
    (
        "allocations delete",
        [
            "DELETE FROM allocations WHERE payment_id = 1 AND n = 2",
            "UPDATE installments SET paid_fen = 0 WHERE agreement_id = 1 AND n = 2",
        ],
        "payment 1 is not what was recorded",
    ),
    # follow_ups_done
    (
        "follow_ups_done.done_at",
        ["UPDATE follow_ups_done SET done_at = '2027-01-01T00:00:00'"],
        "the follow-up closing of entry 1 is not",
    ),
    (
        "follow_ups_done.contact_id",
        ["UPDATE follow_ups_done SET contact_id = 2"],
        "the follow-up closing of entry 1 was recorded but",
    ),
    (
        "follow_ups_done insert",
        [
            "INSERT INTO follow_ups_done (contact_id, done_at)"
            " VALUES (3, '2026-11-21T14:30:00+08:00')"
        ],
        "the follow-up closing of entry 3 was never",
    ),
    (
        "follow_ups_done delete",
        ["DELETE FROM follow_ups_done"],
        "the follow-up closing of entry 1 was recorded but",
    ),
    # offer_checks
    *[
        (
            f"offer_checks.{column}",
            [f"UPDATE offer_checks SET {column} = {value}"],
            "offer check 1 is not",
        )
        for column, value in [
            ("contact_id", "3"),
            ("checked_at", "'2027-01-01T00:00:00+08:00'"),
            ("evaluation", "'{}'"),
        ]
    ],
    ("offer_checks.id", ["UPDATE offer_checks SET id = 5"], "offer check 1 was recorded but"),
    (
        "offer_checks insert",
        [
            "INSERT INTO offer_checks (contact_id, checked_at, evaluation)"
            " VALUES (1, '2026-11-21T14:30:00+08:00', '{}')"
        ],
        "offer check 2 was never",
    ),
    ("offer_checks delete", ["DELETE FROM offer_checks"], "offer check 1 was recorded but"),
    # voids
    *[
        (f"voids.{column}", [f"UPDATE voids SET {column} = {value}"], "void 1 is not")
        for column, value in [
            ("kind", "'agreement'"),
            ("target_id", "3"),
            ("reason", "'never paid'"),
            ("recorded_at", "'2027-01-01T00:00:00+08:00'"),
        ]
    ],
    (
        "voids insert",
        [
            "INSERT INTO voids (kind, target_id, reason, recorded_at)"
            " VALUES ('payment', 1, 'x', '2026-11-21T14:30:00+08:00')"
        ],
        "void 2 was never",
    ),
    ("voids delete", ["DELETE FROM voids"], "void 1 was recorded but"),
    # events: every column of event 2, an event added, removed, all removed
    *[
        (f"events.{column}", [f"UPDATE events SET {column} = {value} WHERE id = 2"], "event #2 ")
        for column, value in [
            ("kind", "'bogus'"),
            ("ref", "7"),
            ("recorded_at", "'2027-01-01T00:00:00+08:00'"),
            ("body", "replace(body, '50000', '5000')"),
            ("prev_hash", "'" + "1" * 64 + "'"),
            ("hash", "'" + "f" * 64 + "'"),
        ]
    ],
    ("events.id", [f"UPDATE events SET id = 20 WHERE id = {EVENTS}"], f"event #{EVENTS} "),
    (
        "events insert",
        [
            "INSERT INTO events (kind, ref, recorded_at, body, prev_hash, hash)"
            " VALUES ('payment', 9, '2026-11-21T14:30:00+08:00', '{}', 'x', 'y')"
        ],
        f"event #{EVENTS + 1} ",
    ),
    ("events delete", ["DELETE FROM events WHERE id = 3"], "event #3 "),
    ("events delete last", [f"DELETE FROM events WHERE id = {EVENTS}"], f"event #{EVENTS} "),
    (
        "events delete all",
        ["DELETE FROM events", "DELETE FROM sqlite_sequence WHERE name = 'events'"],
        "agreement 1 was never recorded",
    ),
    (
        "sqlite_sequence contacts",
        ["UPDATE sqlite_sequence SET seq = 9 WHERE name = 'contacts'"],
        "entry #4 ",
    ),
    (
        "sqlite_sequence events",
        ["UPDATE sqlite_sequence SET seq = 20 WHERE name = 'events'"],
        f"event #{EVENTS + 1} ",
    ),
]

TABLES = (
    "contacts", "agreements", "installments", "payments", "allocations", "follow_ups_done",
    "offer_checks", "voids", "events",
)  # fmt: skip


def _schema_objects(kind: str) -> list[str]:
    return sorted(name for k, name in store.expected_schema() if k == kind)


#: Edits to the schema itself: nothing restored after.
SCHEMA_EDITS: list[tuple[str, list[str], str]] = [
    *[(f"drop table {t}", [f"DROP TABLE {t}"], f"table {t} is missing") for t in TABLES],
    *[
        (f"drop trigger {t}", [f"DROP TRIGGER {t}"], f"trigger {t} is missing")
        for t in _schema_objects("trigger")
    ],
    *[
        (f"drop index {i}", [f"DROP INDEX {i}"], f"index {i} is missing")
        for i in _schema_objects("index")
    ],
    (
        "trigger replaced",
        [
            "DROP TRIGGER events_no_update",
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT 1; END",
        ],
        "trigger events_no_update is not what repaycli made",
    ),
    (
        "trigger added",
        [
            "CREATE TRIGGER inflate AFTER INSERT ON payments BEGIN"
            " UPDATE installments SET paid_fen = amount_fen"
            " WHERE agreement_id = NEW.agreement_id; END",
        ],
        "trigger inflate repaycli never made",
    ),
    ("table added", ["CREATE TABLE notes (x)"], "table notes repaycli never made"),
]


def _edit(path: Path, statements: list[str], *, careful: bool) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    if careful:
        for name in _schema_objects("trigger"):
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for sql in statements:
        conn.execute(sql)
    if careful:
        restore_triggers(conn)
    conn.execute("COMMIT")
    conn.close()


def test_the_fixture_is_intact_and_holds_every_kind_of_record(evidence: Path) -> None:
    result = invoke("log", "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        result.stdout.splitlines()[0],
        f"Agreements, payments, closures, offer checks and voids: {EVENTS} events, each record"
        " as recorded.",
    ]
    conn = sqlite3.connect(evidence)
    for table in TABLES:
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    conn.close()


def test_there_are_at_least_sixty_kinds_of_edit() -> None:
    assert len(DATA_EDITS) + len(SCHEMA_EDITS) >= 60
    assert len({label for label, _, _ in DATA_EDITS + SCHEMA_EDITS}) == len(
        DATA_EDITS + SCHEMA_EDITS
    )


@pytest.mark.parametrize(
    ("label", "statements", "named"), DATA_EDITS, ids=[e[0] for e in DATA_EDITS]
)
def test_every_data_edit_is_refused_naming_what(
    evidence: Path, label: str, statements: list[str], named: str
) -> None:
    _edit(evidence, statements, careful=True)
    result = invoke("log", "verify")
    assert result.exit_code == 1, (label, result.output)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert named in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("label", "statements", "named"), SCHEMA_EDITS, ids=[e[0] for e in SCHEMA_EDITS]
)
def test_every_schema_edit_is_refused_naming_what(
    evidence: Path, label: str, statements: list[str], named: str
) -> None:
    _edit(evidence, statements, careful=False)
    result = invoke("log", "verify")
    assert result.exit_code == 1, (label, result.output)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert named in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("statements", "careful", "message"),
    [
        (
            ["DROP TABLE events"],
            False,
            "Error: the database's table events is missing: it was removed behind repaycli's"
            " back, and the evidence cannot be trusted\n",
        ),
        (
            [
                "INSERT INTO allocations (payment_id, agreement_id, n, amount_fen)"
                " VALUES (99, 1, 3, 20000)",
                "UPDATE installments SET paid_fen = 20000 WHERE agreement_id = 1 AND n = 3",
            ],
            True,
            "Error: money is put on an installment by payment 99, which does not exist or"
            " belongs to another agreement: it was added behind repaycli's back\n",
        ),
    ],
)
def test_the_issues_two_misses_in_a_real_process_and_against_a_fingerprint(
    evidence: Path, statements: list[str], careful: bool, message: str
) -> None:
    """The events table dropped ("The log is intact" before) and a phantom allocation (passed
    verify and a fingerprint taken before): refused by a real ``repaycli`` process."""
    taken = run("log", "fingerprint", "--json")
    assert taken.returncode == 0, taken.stderr
    code = json.loads(taken.stdout)["fingerprint"]
    _edit(evidence, statements, careful=careful)
    for args in (("log", "verify"), ("log", "verify", "--fingerprint", code)):
        done = run(*args)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", message)
    fingerprint = run("log", "fingerprint")
    assert (fingerprint.returncode, fingerprint.stderr) == (1, message)


def test_in_chinese_the_schema_refusal_reads_well(evidence: Path) -> None:
    _edit(evidence, ["DROP TRIGGER contacts_no_update"], careful=False)
    result = invoke("log", "verify", env={"REPAYCLI_LANG": "zh"})
    assert result.exit_code == 1
    assert result.stderr == (
        "错误：数据库中的 trigger contacts_no_update 不见了：它在 repaycli 之外被删除，证据不可信\n"
    )


# --- indexes the checks use, and growth that is linear ----------------------------------------


def _plan(conn: sqlite3.Connection, sql: str) -> str:
    params = (1,) * sql.count("?")
    return " | ".join(str(r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_checks_seek_through_indexes(evidence: Path) -> None:
    conn = sqlite3.connect(evidence)
    paid = _plan(conn, store.PAID_CHECK)
    assert "SEARCH a USING INDEX allocations_installment (agreement_id=? AND n=?)" in paid
    assert "SEARCH v USING COVERING INDEX sqlite_autoindex_voids_1" in paid
    assert "SEARCH p USING INTEGER PRIMARY KEY" in _plan(conn, store.ALLOCATION_CHECK)
    assert "SEARCH g USING INTEGER PRIMARY KEY" in _plan(conn, store.INSTALLMENT_CHECK)
    unrecorded = _plan(conn, store.unrecorded_check("payments", "id"))
    assert "SEARCH e USING COVERING INDEX sqlite_autoindex_events_2 (kind=? AND ref=?)" in (
        unrecorded
    )
    # agreement show / list: an agreement's allocations by agreement, not every allocation
    shown = _plan(conn, "SELECT payment_id, n, amount_fen FROM allocations WHERE agreement_id = ?")
    assert "SEARCH allocations USING INDEX allocations_installment (agreement_id=?)" in shown
    conn.close()


def test_the_index_migration_keeps_every_row(tmp_path: Path) -> None:
    """A database of the schema before (7) gains the index and keeps every row and hash."""
    old = tmp_path / "old.sqlite3"
    conn = store.connect(old, migrate_to=store.SCHEMA_VERSION - 1)
    store.add_agreement(conn, platform="huabei", schedule=[(date(2026, 12, 1), 500)],
                        recorded_at=NOW)  # fmt: skip
    store.add_payment(conn, 1, amount_fen=200, paid_on=NOW.date(), recorded_at=NOW)
    store.add_contact(conn, _contact(notes="before"), recorded_at=NOW)
    before = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    conn.close()
    conn = store.connect(old)
    assert store.schema_version(conn) == store.SCHEMA_VERSION
    assert {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES} == before
    assert "allocations_installment" in {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert store.verify_events(conn).intact and store.verify_log(conn).intact
    conn.close()


def _steps(path: Path) -> int:
    """SQLite virtual-machine steps ``verify_events`` takes on ``path``: a measure of work that
    does not depend on how loaded the machine is."""
    conn = store.connect(path)
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn.set_progress_handler(count, 100)
    assert store.verify_events(conn).intact
    conn.close()
    return steps


def _agreements(path: Path, count: int) -> None:
    conn = store.connect(path)
    for n in range(count):
        store.add_agreement(
            conn,
            platform="huabei",
            schedule=[(date(2026, 12, 1), 5000), (date(2027, 1, 1), 5000)],
            recorded_at=NOW,
        )
        store.add_payment(conn, n + 1, amount_fen=6000, paid_on=NOW.date(), recorded_at=NOW)
    conn.close()


def test_verify_events_grows_linearly_with_the_agreements(tmp_path: Path) -> None:
    """Four times the agreements, about four times the work (it was sixteen: every allocation
    read once per installment)."""
    small, large = tmp_path / "small.sqlite3", tmp_path / "large.sqlite3"
    _agreements(small, 60)
    _agreements(large, 240)
    ratio = _steps(large) / _steps(small)
    assert 3.0 < ratio < 5.0, ratio
