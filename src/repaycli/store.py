"""The one module that touches SQLite: connect, check, migrate, and plain read/write functions.

- One file (``paths.db_path()``), private to the user (file 0600, new directory 0700); WAL set
  once per connection outside any transaction; foreign keys on; a busy timeout so a person and
  cron can write at once.
- ``PRAGMA application_id`` marks the file as repaycli's and ``PRAGMA user_version`` holds the
  schema version. ``MIGRATIONS`` is an append-only list of named functions; each runs with its
  version bump in one ``BEGIN IMMEDIATE`` transaction.
- Before anything is written (even before WAL is switched on) the file is opened read-only and
  checked: corrupt, not repaycli's, or from a newer repaycli → ``Failure``, file untouched. The
  whole-file ``quick_check`` runs only where it is cheap (a small file) or before a migration; in
  a large file a damaged page is reported when a command reads it (SQLite raises
  ``SQLITE_CORRUPT``, which ``opened`` turns into a one-line ``Failure``).
- Amounts are integer fen; times ISO 8601 with their UTC offset (``at_utc`` is the same instant
  in UTC, for ordering); dates ISO. Every multi-statement write is one transaction.
- The call log is append-only (triggers refuse UPDATE and DELETE) and hash-chained
  (``core.evidence``); ``AUTOINCREMENT`` keeps the highest id ever written, so an entry removed
  from the end is noticed.
"""

from __future__ import annotations

# ``json`` is imported in the functions that read or write JSON columns: ``remind``, run from
# cron, reads none, and the import costs it 3 ms of a start-up budget of a few dozen.
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from repaycli.core import evidence, ledger
from repaycli.core.due import CollectionAfterAgreement, DueInstallment, OpenFollowUp
from repaycli.core.money import from_fen
from repaycli.core.record import Model
from repaycli.errors import BadInput, Failure

if TYPE_CHECKING:  # pydantic models: imported where built, so ``remind`` does without pydantic
    from repaycli.core.records import (
        AgreementView,
        Allocation,
        Attachment,
        LogEntry,
    )

#: 'RPAY': written to the header by the first migration, so a foreign database is recognised.
APPLICATION_ID = 0x52504159
BUSY_TIMEOUT_MS = 30_000
_MAGIC = b"SQLite format 3\x00"
#: Files up to this size get ``PRAGMA quick_check`` on every open (about 2 ms per MB); larger
#: ones only before a migration, so that cron's ``remind`` on a long history starts quickly.
QUICK_CHECK_MAX_BYTES = 4 * 1024 * 1024

#: Written into the migrations' CHECKs: ``log verify`` compares every database's schema with
#: what the migrations build now (``check_schema``), so changing these (or any shipped migration)
#: would make every existing database fail it. A new channel needs a migration of its own.
#: The channels and outcomes of the first schema (its CHECK constraints; never change these).
_CHANNELS_V1 = ("phone", "app_chat", "online_chat", "email", "letter", "in_person")
_OUTCOMES_V1 = ("no_answer", "refused", "pending", "callback_promised", "agreed")
#: Since schema 9: what arrives from collectors (SMS, WeChat, an incoming call, a visit, contact
#: with a third party) and the outcomes that fit it (a threat; a message only received).
CHANNELS = (*_CHANNELS_V1, "sms", "wechat", "call_in", "visit", "third_party")
OUTCOMES = (*_OUTCOMES_V1, "threatened", "received")
#: The directions a contact can take (``direction``, schema 9).
DIRECTIONS = ("incoming", "outgoing")

Migration = Callable[[sqlite3.Connection], None]


# --- migrations (append only: never edit one that has shipped) --------------------------------


def _m001_initial(conn: sqlite3.Connection) -> None:
    """Call log, agreements with their installments, payments and where each payment went."""
    checks_channel = ", ".join(f"'{c}'" for c in _CHANNELS_V1)
    checks_outcome = ", ".join(f"'{o}'" for o in _OUTCOMES_V1)
    statements = [
        f"PRAGMA application_id = {APPLICATION_ID}",
        f"""CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    at TEXT NOT NULL,
    at_utc TEXT NOT NULL,
    platform TEXT NOT NULL CHECK (platform <> ''),
    channel TEXT NOT NULL CHECK (channel IN ({checks_channel})),
    number TEXT,
    agent TEXT,
    ref TEXT,
    asked TEXT,
    offered TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ({checks_outcome})),
    agreed_terms TEXT,
    confirmation TEXT,
    follow_up TEXT,
    follow_up_action TEXT,
    notes TEXT,
    attachments TEXT NOT NULL DEFAULT '[]',
    corrects INTEGER UNIQUE REFERENCES contacts(id),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
)""",
        """CREATE TRIGGER contacts_no_update BEFORE UPDATE ON contacts
BEGIN SELECT RAISE(ABORT, 'the call log is append-only'); END""",
        """CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN SELECT RAISE(ABORT, 'the call log is append-only'); END""",
        """CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    platform TEXT NOT NULL CHECK (platform <> ''),
    total_fen INTEGER NOT NULL CHECK (total_fen > 0),
    periods INTEGER NOT NULL CHECK (periods >= 1),
    first_due TEXT NOT NULL,
    contact_id INTEGER REFERENCES contacts(id),
    source TEXT
)""",
        """CREATE TABLE installments (
    agreement_id INTEGER NOT NULL REFERENCES agreements(id),
    n INTEGER NOT NULL CHECK (n >= 1),
    due TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
    PRIMARY KEY (agreement_id, n)
) WITHOUT ROWID""",
        """CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements(id),
    recorded_at TEXT NOT NULL,
    paid_on TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    excess_fen INTEGER NOT NULL DEFAULT 0 CHECK (excess_fen >= 0),
    receipt TEXT
)""",
        """CREATE TABLE allocations (
    payment_id INTEGER NOT NULL REFERENCES payments(id),
    agreement_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    PRIMARY KEY (payment_id, n),
    FOREIGN KEY (agreement_id, n) REFERENCES installments(agreement_id, n)
) WITHOUT ROWID""",
        "CREATE INDEX payments_agreement ON payments(agreement_id)",
    ]
    for sql in statements:
        conn.execute(sql)


def _m002_reminders(conn: sqlite3.Connection) -> None:
    """What ``repaycli remind`` asks: unpaid installments by due date, follow-ups by date, later
    contacts with the same platform, corrections; and follow-ups closed with ``log done``."""
    statements = [
        """CREATE TABLE follow_ups_done (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts(id),
    done_at TEXT NOT NULL
)""",
        "CREATE INDEX installments_unpaid_due ON installments(due) WHERE paid_fen < amount_fen",
        "CREATE INDEX contacts_follow_up ON contacts(follow_up) WHERE follow_up IS NOT NULL",
        "CREATE INDEX contacts_platform_at ON contacts(platform, at_utc)",
        "CREATE INDEX contacts_at ON contacts(at_utc)",
    ]
    for sql in statements:
        conn.execute(sql)


def _m003_offer_checks(conn: sqlite3.Connection) -> None:
    """Offers evaluated with ``repaycli offer --log ID``, kept beside the contact they were heard
    in (the log itself stays append-only and unchanged)."""
    conn.execute(
        """CREATE TABLE offer_checks (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    checked_at TEXT NOT NULL,
    evaluation TEXT NOT NULL
)"""
    )
    conn.execute("CREATE INDEX offer_checks_contact ON offer_checks(contact_id)")
    conn.execute(
        """CREATE TRIGGER offer_checks_no_update BEFORE UPDATE ON offer_checks
BEGIN SELECT RAISE(ABORT, 'offer checks are append-only'); END"""
    )


def _m004_salted_commitments(conn: sqlite3.Connection) -> None:
    """Entries from now on commit each field with its own random salt (``core.evidence``), kept
    in ``salts`` (JSON, field → hex); earlier entries keep ``salts`` NULL and their v1 hash."""
    conn.execute("ALTER TABLE contacts ADD COLUMN salts TEXT")


def _m005_voids(conn: sqlite3.Connection) -> None:
    """Mistaken agreements and payments are put right by an appended void with its reason, never
    by editing them (``agreement void``, ``pay --void``); a void is itself append-only."""
    conn.execute(
        """CREATE TABLE voids (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('agreement', 'payment')),
    target_id INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (trim(reason) <> ''),
    recorded_at TEXT NOT NULL,
    UNIQUE (kind, target_id)
)"""
    )
    for action in ("UPDATE", "DELETE"):
        conn.execute(
            f"""CREATE TRIGGER voids_no_{action.lower()} BEFORE {action} ON voids
BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END"""
        )


def _m006_evidence_events(conn: sqlite3.Connection) -> None:
    """Agreements, payments, follow-up closures, offer checks and voids become events in a hash
    chain of their own (append-only), so an edit to any of them shows in ``log verify``. Records
    written before are entered as they stand now, in the order they were written."""
    conn.execute(
        """CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    UNIQUE (kind, ref)
)"""
    )
    for action in ("UPDATE", "DELETE"):
        conn.execute(
            f"""CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events
BEGIN SELECT RAISE(ABORT, 'the evidence events are append-only'); END"""
        )
    records = sorted(_records(conn), key=lambda r: (r[3], _KIND_ORDER.index(r[0]), r[1]))
    for kind, ref, body, recorded_at in records:
        _append_event(conn, kind, ref, body, recorded_at)


def _m007_collection_marker(conn: sqlite3.Connection) -> None:
    """A contact can be logged as collection (by the lender or its agent, incoming): ``1`` in
    ``collection``, committed in the entry's hash (``core.evidence.COLLECTION_FIELDS``); ``NULL``
    for every other entry, so entries written before keep their hashes."""
    conn.execute("ALTER TABLE contacts ADD COLUMN collection INTEGER")
    # ``remind`` asks on every run; most logs hold none, so this index is all it reads.
    conn.execute(
        "CREATE INDEX contacts_collection ON contacts(at_utc) WHERE collection IS NOT NULL"
    )


def _m008_bill_imports(conn: sqlite3.Connection) -> None:
    """Bills imported with ``pay --import``: each file's SHA-256 (``bill_imports``, an event in
    the chain), and each payment it recorded under its order number (``bill_payments``, the
    order number unique: importing a bill twice records nothing new). Neither is edited."""
    statements = [
        """CREATE TABLE bill_imports (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    source TEXT NOT NULL,
    layout TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    rows INTEGER NOT NULL CHECK (rows >= 0)
)""",
        """CREATE TABLE bill_payments (
    order_no TEXT PRIMARY KEY CHECK (order_no <> ''),
    import_id INTEGER NOT NULL REFERENCES bill_imports(id),
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments(id),
    paid_at TEXT NOT NULL,
    counterparty TEXT NOT NULL,
    counterparty_account TEXT NOT NULL
)""",
        "CREATE INDEX bill_payments_import ON bill_payments(import_id)",
    ]
    for sql in statements:
        conn.execute(sql)
    for table in ("bill_imports", "bill_payments"):
        for action in ("UPDATE", "DELETE"):
            conn.execute(
                f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
BEGIN SELECT RAISE(ABORT, 'imported bills are append-only'); END"""
            )


def _m009_collection_detail(conn: sqlite3.Connection) -> None:
    """What arrives from collectors: the channels ``sms``, ``wechat``, ``call_in``, ``visit`` and
    ``third_party``, the outcomes ``threatened`` and ``received``, and the columns of
    ``evidence.DETAIL_FIELDS`` (committed in an entry's hash only when one is given, so every
    entry written before keeps its hash). SQLite cannot widen a CHECK constraint in place: the
    table is rebuilt (SQLite's documented twelve steps, ``migrate`` turning foreign keys off)
    from its own definition with the two CHECKs widened and the columns added — so columns an
    earlier migration added come along — every row copied with its id, hash and salts, the id
    counter kept, its indexes and triggers made again as they were."""
    checks_channel = ", ".join(f"'{c}'" for c in CHANNELS)
    checks_outcome = ", ".join(f"'{o}'" for o in OUTCOMES)
    checks_direction = ", ".join(f"'{d}'" for d in DIRECTIONS)
    sql = str(
        conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contacts'"
        ).fetchone()[0]
    )
    widened, found = re.subn(
        r"CHECK \(channel IN \([^)]*\)\)", f"CHECK (channel IN ({checks_channel}))", sql
    )
    widened, found_too = re.subn(
        r"CHECK \(outcome IN \([^)]*\)\)", f"CHECK (outcome IN ({checks_outcome}))", widened
    )
    head = re.match(r'CREATE TABLE "?contacts"? \(', widened)
    if found != 1 or found_too != 1 or head is None or not widened.rstrip().endswith(")"):
        raise Failure("err.db_corrupt", path="?")
    added = ",\n    ".join(
        [
            f"direction TEXT CHECK (direction IN ({checks_direction}))",
            *(f"{name} TEXT" for name in evidence.DETAIL_FIELDS if name != "direction"),
        ]
    )
    body = widened[head.end() : widened.rstrip().rfind(")")].rstrip()
    conn.execute(f"CREATE TABLE contacts_v8 ({body},\n    {added}\n)")
    kept = [
        str(r[0])
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'contacts'"
            " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
        )
    ]
    old_columns = [str(r[1]) for r in conn.execute("PRAGMA table_info(contacts)")]
    columns = ", ".join(old_columns)
    conn.execute(f"INSERT INTO contacts_v8 ({columns}) SELECT {columns} FROM contacts ORDER BY id")
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'contacts'").fetchone()
    conn.execute("DROP TABLE contacts")
    conn.execute("ALTER TABLE contacts_v8 RENAME TO contacts")
    if seq is not None:
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'contacts'", (seq[0],))
    for statement in kept:
        conn.execute(statement)
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        raise Failure("err.db_corrupt", path="?")


def _m010_complaints(conn: sqlite3.Connection) -> None:
    """Complaints and 征信 disputes sent (``log complaint``): when, to whom, their reference and
    the day the answer is due; each an event in the evidence chain (append-only)."""
    conn.execute(
        """CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    platform TEXT NOT NULL CHECK (platform <> ''),
    kind TEXT NOT NULL CHECK (kind IN ('complaint', 'dispute')),
    sent_on TEXT NOT NULL,
    reference TEXT,
    complex INTEGER NOT NULL DEFAULT 0 CHECK (complex IN (0, 1)),
    answer_due TEXT NOT NULL
)"""
    )
    for action in ("UPDATE", "DELETE"):
        conn.execute(
            f"""CREATE TRIGGER complaints_no_{action.lower()} BEFORE {action} ON complaints
BEGIN SELECT RAISE(ABORT, 'complaints are append-only'); END"""
        )


def _m011_allocation_index(conn: sqlite3.Connection) -> None:
    """Where each installment's money came from, by installment: ``log verify``'s paid check and
    ``agreement show`` read allocations by ``(agreement_id, n)``, which the primary key
    ``(payment_id, n)`` cannot serve (every allocation was read once per installment: 204 s
    for ``log verify`` at 10,000 agreements)."""
    conn.execute("CREATE INDEX allocations_installment ON allocations(agreement_id, n)")


def _m012_debt_register(conn: sqlite3.Connection) -> None:
    """The debt register (``store_register``): one row per lender debt and the household budget,
    every change kept in ``register_history`` (append-only, hash-chained like the events); which
    debt each agreement belongs to (``agreement_debts``, append-only: ``agreements`` rows are
    hashed whole in the events, so they get no new column); and the current plan. Each agreement
    recorded before becomes an agreed debt of its own, so nothing is lost."""
    from repaycli.store_register import create_register

    create_register(conn)


MIGRATIONS: tuple[Migration, ...] = (
    _m001_initial,
    _m002_reminders,
    _m003_offer_checks,
    _m004_salted_commitments,
    _m005_voids,
    _m006_evidence_events,
    _m007_collection_marker,
    _m008_bill_imports,
    _m009_collection_detail,
    _m010_complaints,
    _m011_allocation_index,
    _m012_debt_register,
)
SCHEMA_VERSION = len(MIGRATIONS)


# --- connecting and checking ------------------------------------------------------------------


def _ro_uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only URI. ``immutable=1`` also skips locking and the -wal / -shm files, so SQLite
    creates nothing beside the file (it reads the main file only, as of the last checkpoint)."""
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    return f"file:{quote(str(path.resolve()))}?{flags}"


def _identity(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """``application_id``, ``user_version`` and the number of schema objects, read in ONE
    statement (one read transaction). Read one by one, a first run in another process could
    commit between them: application_id 0 from before, version 1 from after — and a new
    database was refused as "not a repaycli database"."""
    row = conn.execute(
        "SELECT (SELECT application_id FROM pragma_application_id),"
        " (SELECT user_version FROM pragma_user_version),"
        " (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def _check_header(path: Path) -> None:
    """Refuse another program's database or a newer repaycli's from the main file alone, opened
    immutable so that refusing it leaves no -wal / -shm behind. Anything this cannot read is left
    to the full check (a writer checkpointing at this moment is not damage)."""
    try:
        conn = sqlite3.connect(_ro_uri(path, immutable=True), uri=True)
    except sqlite3.Error:
        return
    try:
        app_id, version, tables = _identity(conn)
    except sqlite3.Error:
        return
    finally:
        conn.close()
    if app_id != APPLICATION_ID and (app_id != 0 or version != 0 or tables):
        raise Failure("err.db_not_repaycli", path=str(path))
    if version > SCHEMA_VERSION:
        raise Failure("err.db_newer", path=str(path), version=version, ours=SCHEMA_VERSION)


def _remove_new_sidecars(path: Path, existed: set[str]) -> None:
    """After refusing a file: remove the -wal / -shm our read-only look created (an empty -wal
    and its index), so the refused database's folder is as it was."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    try:
        if "-wal" not in existed and wal.exists() and wal.stat().st_size == 0:
            wal.unlink()
        if "-shm" not in existed and "-wal" not in existed and not wal.exists():
            shm.unlink(missing_ok=True)
    except OSError:
        pass


def check_file(path: Path) -> int:
    """Check an existing database without writing to it; return its schema version.

    Raises ``Failure`` when the file is unreadable, corrupt, not repaycli's, or newer than this
    program. An empty file (being created by another process) counts as version 0. The header,
    ``application_id``, ``user_version`` and the schema are read on every open; the page-by-page
    ``quick_check`` only when the file is small or about to be migrated.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block every command
            raise Failure("err.db_not_file", path=str(path))
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise Failure("err.db_unreadable", path=str(path), detail=exc.strerror or str(exc)) from exc
    if not header:
        return 0
    if not header.startswith(_MAGIC) or len(header) < 100:
        raise Failure("err.db_not_repaycli", path=str(path))
    _check_header(path)
    existed = {s for s in ("-wal", "-shm") if Path(f"{path}{s}").exists()}
    try:
        return _check_open(path)
    except Failure:
        _remove_new_sidecars(path, existed)
        raise


def _check_open(path: Path) -> int:
    """``check_file``'s full look, through SQLite with its locks (it sees a live -wal)."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise Failure("err.db_unreadable", path=str(path), detail=str(exc)) from exc
    try:
        app_id, version, tables = _identity(conn)
        if app_id != APPLICATION_ID and (app_id != 0 or version != 0 or tables):
            raise Failure("err.db_not_repaycli", path=str(path))
        if version > SCHEMA_VERSION:
            raise Failure("err.db_newer", path=str(path), version=version, ours=SCHEMA_VERSION)
        conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        if version < SCHEMA_VERSION or path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if result != "ok":
                raise Failure("err.db_corrupt", path=str(path))
        return version
    except sqlite3.OperationalError as exc:
        # I/O error, no room for the -shm file, locked, read-only: the file may be fine, so
        # do not call it damaged (SQLITE_CORRUPT / NOTADB arrive as plain DatabaseError).
        raise Failure("err.db_unreadable", path=str(path), detail=str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise Failure("err.db_corrupt", path=str(path)) from exc
    finally:
        conn.close()


def _create_private(path: Path) -> None:
    """The data directory (0700 when created) and an empty database file with mode 0600."""
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True, mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)
        except OSError as exc:
            raise Failure("err.db_unwritable", path=str(folder), detail=str(exc)) from exc
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise Failure("err.db_unwritable", path=str(path), detail=exc.strerror or "") from exc


def _make_private(path: Path) -> None:
    """Owner-only modes on the database and its -wal / -shm files (they follow the file's mode
    when SQLite creates them, but an older file may have been created looser)."""
    for suffix in ("", "-wal", "-shm"):
        target = Path(str(path) + suffix)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
            if mode & 0o077:
                os.chmod(target, mode & 0o600)
        except OSError:
            continue


def _retry(action: Callable[[], Any]) -> Any:
    """Run a statement that SQLite may refuse with 'locked' while another process holds a lock
    the busy handler does not wait for (switching to WAL, WAL recovery)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def connect(path: Path | None = None, *, migrate_to: int | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the database, check it and bring its schema up to date.

    ``migrate_to`` stops at an older schema version (tests build old databases with it).
    """
    from repaycli.paths import db_path

    path = path or db_path()
    if path.exists():
        check_file(path)
    else:
        _create_private(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise Failure("err.db_unreadable", path=str(path), detail=str(exc)) from exc
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = _retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        if str(mode).lower() != "wal":  # pragma: no cover - e.g. a filesystem without shm
            raise Failure("err.db_unwritable", path=str(path), detail=f"journal_mode={mode}")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, target=migrate_to, path=path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise Failure("err.db_failed", path=str(path), detail=str(exc)) from exc
    except BaseException:
        conn.close()
        raise
    _make_private(path)
    return conn


def _connect_read_only(path: Path, cause: Failure) -> sqlite3.Connection:
    """A database on read-only media (or in a folder that refuses the -wal / -shm files): read
    it without writing, when its schema is current; else re-raise ``cause``."""
    for immutable in (False, True):
        try:
            conn = sqlite3.connect(_ro_uri(path, immutable=immutable), uri=True)
        except sqlite3.Error:
            continue
        try:
            conn.row_factory = sqlite3.Row
            version = schema_version(conn)
            conn.execute("SELECT count(*) FROM contacts").fetchone()
        except sqlite3.Error:
            conn.close()
            continue
        if version != SCHEMA_VERSION:
            conn.close()
            raise cause
        return conn
    raise cause


@contextmanager
def opened(path: Path | None = None, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """``connect`` for one command: closes the connection after, and turns an SQLite error met
    on the way (disk full, I/O error) into a one-line ``Failure``. ``read_only`` (commands that
    only read): a database that cannot be opened for writing is read as it is."""
    try:
        conn = connect(path)
    except Failure as failure:
        where = path or _default_path()
        if not read_only or failure.key not in _READ_ONLY_FALLBACK or not where.is_file():
            raise
        conn = _connect_read_only(where, failure)
    try:
        yield conn
    except sqlite3.Error as exc:
        raise Failure("err.db_failed", path=str(path or _default_path()), detail=str(exc)) from exc
    finally:
        conn.close()


#: Refusals that may only mean "this medium is read-only" (not a foreign or damaged file).
_READ_ONLY_FALLBACK = {"err.db_unreadable", "err.db_unwritable", "err.db_failed"}


def _default_path() -> Path:
    from repaycli.paths import db_path

    return db_path()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE``: take the write lock up front so two writers
    queue on the busy timeout instead of failing half-way)."""
    _retry(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Every read inside sees the database as of one moment: one read transaction (on a WAL
    database, one snapshot; writers go on writing beside it and are not seen). Checks and
    exports read many statements; read one by one, a payment recorded between the events and
    the installments made ``log verify`` cry tampering, and an export fail its own check."""
    conn.execute("BEGIN")  # deferred: the snapshot is taken by the first read, just below
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written: ending it releases the snapshot


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlite3.Connection, *, target: int | None = None, path: Path | None = None
) -> list[str]:
    """Apply the outstanding migrations, each with its version bump in one transaction; return
    the names applied. Safe when several processes start at once (the version is re-read under
    the write lock)."""
    target = SCHEMA_VERSION if target is None else target
    where = str(path) if path is not None else "?"
    # A table rebuilt (``_m009``) is dropped and renamed: SQLite's procedure turns foreign keys
    # off around the transaction (they cannot change inside one) and checks them before commit.
    keys_on = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    try:
        if keys_on and schema_version(conn) < target:
            conn.execute("PRAGMA foreign_keys = OFF")
        applied = _migrate_steps(conn, target, where)
    finally:
        if keys_on:
            conn.execute("PRAGMA foreign_keys = ON")
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise Failure("err.db_newer", path=where, version=current, ours=SCHEMA_VERSION)
    return applied


def _migrate_steps(conn: sqlite3.Connection, target: int, where: str) -> list[str]:
    applied: list[str] = []
    for version, step in enumerate(MIGRATIONS[:target], start=1):
        if schema_version(conn) >= version:
            continue
        with transaction(conn):
            current = schema_version(conn)
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            if current == 0 and version == 1:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise Failure("err.db_not_repaycli", path=where)
            elif app_id != APPLICATION_ID:
                raise Failure("err.db_not_repaycli", path=where)
            if current >= version:
                continue
            step(conn)
            conn.execute(f"PRAGMA user_version = {version}")
            applied.append(step.__name__.lstrip("_"))
    return applied


def backup(conn: sqlite3.Connection, target: Path) -> int:
    """A consistent copy of the whole database (``VACUUM INTO``), private to the user; returns
    how many copies left by killed backups were removed first.

    The copy is written to a hidden temporary file beside ``target`` and linked to its name only
    when complete (``os.link`` never replaces a file), so a backup killed half-way leaves no
    broken file under the name. The temporary file is held under an exclusive ``flock`` while it
    is written; one that nobody holds was left by a backup killed before it could remove it
    (SIGKILL runs no clean-up), and the next backup into that folder removes it."""
    if os.path.lexists(target):
        raise BadInput("err.backup_exists", path=str(target))
    from repaycli.files import SIDE_FILES, new_partial, remove_stale_partials

    removed = remove_stale_partials(target.parent)
    tmp: str | None = None
    fd: int | None = None
    try:
        fd, tmp = new_partial(target)
        conn.execute("VACUUM INTO ?", (tmp,))
        os.link(tmp, target)
    except FileExistsError:
        raise BadInput("err.backup_exists", path=str(target)) from None
    except OSError as exc:
        raise Failure("err.file_write", path=str(target), detail=exc.strerror or "") from exc
    except sqlite3.Error as exc:
        raise Failure("err.file_write", path=str(target), detail=str(exc)) from exc
    finally:
        if tmp is not None:
            for path in (tmp, *(tmp + side for side in SIDE_FILES)):
                Path(path).unlink(missing_ok=True)
        if fd is not None:
            os.close(fd)
    return removed


# --- the call log -----------------------------------------------------------------------------


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _hashed_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's fields the way the hash covers them (attachments as a list of objects)."""
    import json

    data = {name: row[name] for name in evidence.HASHED_FIELDS if name != "attachments"}
    data["attachments"] = json.loads(row["attachments"])
    data["collection"] = row["collection"] is not None
    for name in evidence.DETAIL_FIELDS:
        data[name] = _detail_value(name, row[name])
    return data


def _detail_value(name: str, stored: Any) -> Any:
    """A detail column as the hash covers it: ``threats`` a list of ids (JSON in the column)."""
    import json

    if name == "threats" and stored is not None:
        return json.loads(stored)
    return stored


def _salts(text: str | None) -> dict[str, Any] | None:
    """A row's salts (``None``: a v1 entry); unreadable salts read as none given (the entry then
    fails its check instead of crashing it)."""
    import json

    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class NewContact(Model):
    """A contact to log; ``at`` must be aware (carry its UTC offset)."""

    at: datetime
    platform: str
    channel: str
    outcome: str
    number: str | None = None
    agent: str | None = None
    ref: str | None = None
    asked: str | None = None
    offered: str | None = None
    agreed_terms: str | None = None
    confirmation: str | None = None
    follow_up: date | None = None
    follow_up_action: str | None = None
    notes: str | None = None
    attachments: Sequence[Attachment] = ()
    corrects: int | None = None
    #: Collection by the lender or its agent (they contacted the user), committed in the hash.
    collection: bool = False
    #: What arrived from a collector (``evidence.DETAIL_FIELDS``; schema 9).
    direction: str | None = None
    firm: str | None = None
    claims: str | None = None
    threats: Sequence[str] | None = None
    said: str | None = None
    third_party: str | None = None


def add_contact(
    conn: sqlite3.Connection,
    new: NewContact,
    *,
    recorded_at: datetime,
    offer_checks: Sequence[str] = (),
) -> LogEntry:
    """Append one entry to the log, chained to the previous entry's hash; return it. Offer
    evaluations made during the contact (``offer --json`` text) are attached to it in the same
    transaction (the call screen's end of call: all of it or nothing)."""
    import json

    if new.at.tzinfo is None or recorded_at.tzinfo is None:
        raise ValueError("times must carry their UTC offset")
    if new.channel not in CHANNELS:
        raise BadInput(
            "err.choice", field="channel", value=new.channel, choices=", ".join(CHANNELS)
        )
    if new.outcome not in OUTCOMES:
        raise BadInput(
            "err.choice", field="outcome", value=new.outcome, choices=", ".join(OUTCOMES)
        )
    with transaction(conn):
        if new.corrects is not None:
            target = _contact_row(conn, new.corrects)
            later = conn.execute(
                "SELECT id FROM contacts WHERE corrects = ?", (new.corrects,)
            ).fetchone()
            if later is not None:
                raise BadInput("err.log_already_corrected", id=target["id"], by=later["id"])
        last = conn.execute("SELECT id, hash FROM contacts ORDER BY id DESC LIMIT 1").fetchone()
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'contacts'").fetchone()
        next_id = max(last["id"] if last else 0, seq["seq"] if seq else 0) + 1
        prev_hash = last["hash"] if last else evidence.GENESIS
        row: dict[str, Any] = {
            "id": next_id,
            "recorded_at": recorded_at.isoformat(timespec="seconds"),
            "at": new.at.isoformat(timespec="seconds"),
            "platform": new.platform,
            "channel": new.channel,
            "outcome": new.outcome,
            "follow_up": new.follow_up.isoformat() if new.follow_up else None,
            "corrects": new.corrects,
        }
        for name in evidence.TEXT_FIELDS:
            if name not in row:
                row[name] = getattr(new, name)
        attachments = [a.model_dump() for a in new.attachments]
        row["attachments"] = json.dumps(attachments, ensure_ascii=False, sort_keys=True)
        import secrets  # imports hashlib (OpenSSL): only a command that writes an entry pays

        detail = {name: getattr(new, name) for name in evidence.DETAIL_FIELDS}
        if detail["threats"] is not None:
            detail["threats"] = sorted(set(detail["threats"]))
        if new.direction is not None and new.direction not in DIRECTIONS:
            raise BadInput(
                "err.choice",
                field="direction",
                value=new.direction,
                choices=", ".join(DIRECTIONS),
            )
        hashed = {**row, "attachments": attachments, "collection": new.collection, **detail}
        salts = {
            name: secrets.token_hex(evidence.SALT_BYTES)
            for name in evidence.committed_fields(hashed)
        }
        digest = evidence.entry_hash_v2(hashed, prev_hash, salts)
        if new.collection:
            row["collection"] = 1
        for name, value in detail.items():
            if value is not None:
                row[name] = json.dumps(value) if name == "threats" else value
        row.update(
            at_utc=_utc(new.at),
            prev_hash=prev_hash,
            hash=digest,
            salts=json.dumps(salts, sort_keys=True),
        )
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        conn.execute(f"INSERT INTO contacts ({columns}) VALUES ({marks})", row)
        for evaluation in offer_checks:
            _insert_offer_check(conn, next_id, evaluation, recorded_at)
    return get_contact(conn, next_id)


#: The range of an SQLite INTEGER (a row id); a number outside it names no row.
_ROWID_MIN, _ROWID_MAX = -(2**63), 2**63 - 1


def _is_rowid(value: int) -> bool:
    """Whether ``value`` can be bound as an SQLite INTEGER (else sqlite3 raises OverflowError)."""
    return _ROWID_MIN <= value <= _ROWID_MAX


def _contact_row(conn: sqlite3.Connection, entry_id: int) -> sqlite3.Row:
    if not _is_rowid(entry_id):
        raise BadInput("err.log_unknown_id", id=entry_id)
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM contacts WHERE id = ?", (entry_id,)
    ).fetchone()
    if row is None:
        raise BadInput("err.log_unknown_id", id=entry_id)
    return row


_ENTRY_SELECT = """SELECT c.*,
    (SELECT n.id FROM contacts n WHERE n.corrects = c.id) AS corrected_by,
    d.done_at AS follow_up_done_at
FROM contacts c LEFT JOIN follow_ups_done d ON d.contact_id = c.id"""


def _entry(row: sqlite3.Row) -> LogEntry:
    import json

    from repaycli.core.records import LogEntry

    data = {key: row[key] for key in row.keys() if key != "at_utc"}
    data["attachments"] = json.loads(row["attachments"])
    data["collection"] = data.get("collection") is not None  # no column before schema 7
    for name in evidence.DETAIL_FIELDS:
        data[name] = _detail_value(name, data.get(name))  # no columns before schema 9
    if "salts" in data:
        data["salts"] = _salts(data["salts"])
    return LogEntry.model_validate(data)


def get_contact(conn: sqlite3.Connection, entry_id: int) -> LogEntry:
    if not _is_rowid(entry_id):
        raise BadInput("err.log_unknown_id", id=entry_id)
    row = conn.execute(f"{_ENTRY_SELECT} WHERE c.id = ?", (entry_id,)).fetchone()
    if row is None:
        raise BadInput("err.log_unknown_id", id=entry_id)
    return _entry(row)


def list_contacts(
    conn: sqlite3.Connection,
    *,
    platform: str | None = None,
    since: date | None = None,
    until: date | None = None,
    outcome: str | None = None,
    latest_only: bool = True,
) -> list[LogEntry]:
    """Entries newest first (by when the contact happened); ``latest_only`` hides entries that
    a later correction replaces. ``since``/``until`` are inclusive local dates."""
    clause, params = _contact_filter(
        platform=platform, since=since, until=until, outcome=outcome, latest_only=latest_only
    )
    rows = conn.execute(f"{_ENTRY_SELECT}{clause} ORDER BY c.at_utc DESC, c.id DESC", params)
    return [_entry(row) for row in rows]


def all_contacts(conn: sqlite3.Connection) -> list[LogEntry]:
    """The whole log in the order it was written (corrections included), for export."""
    return [_entry(row) for row in conn.execute(f"{_ENTRY_SELECT} ORDER BY c.id")]


def log_anchors(conn: sqlite3.Connection) -> list[tuple[str, str | None]]:
    """Each entry's hash and follow-up closing time, in id order: what an export is compared
    with (``core.proof.check_export``)."""
    rows = conn.execute(
        "SELECT c.hash, d.done_at FROM contacts c"
        " LEFT JOIN follow_ups_done d ON d.contact_id = c.id ORDER BY c.id"
    )
    return [(str(r["hash"]), r["done_at"]) for r in rows]


def contact_hash_at(conn: sqlite3.Connection, n: int) -> str | None:
    """The hash of the ``n``-th entry in id order (1: the first); ``None`` when there is none."""
    if n < 1:
        return None
    row = conn.execute("SELECT hash FROM contacts ORDER BY id LIMIT 1 OFFSET ?", (n - 1,))
    found = row.fetchone()
    return None if found is None else str(found[0])


def verify_log(conn: sqlite3.Connection) -> evidence.ChainCheck:
    """Re-compute the hash chain over the rows as stored; then check that each row's ``at_utc``
    (not hashed, but what ordering and reminders use) is its hashed ``at`` in UTC (problem
    ``time_changed``). One pass over the rows in id order, in memory that does not grow with the
    log: a broken chain is reported before a changed sort time, wherever each is. Without a
    ``contacts`` table there is no chain to compute: ``verify_events`` names the missing table."""
    if "contacts" not in _tables(conn):
        return evidence.ChainCheck(count=0, head=evidence.GENESIS)
    rows = conn.execute(
        "SELECT id, prev_hash, hash, at_utc, salts, collection, "
        + ", ".join(n for n in (*evidence.HASHED_FIELDS, *evidence.DETAIL_FIELDS) if n != "id")
        + " FROM contacts ORDER BY id"
    )
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'contacts'").fetchone()
    time_changed: list[int] = []

    def entries() -> Iterator[dict[str, Any]]:
        for row in rows:
            if not time_changed and row["at_utc"] != _expected_utc(row["at"]):
                time_changed.append(int(row["id"]))
            yield {
                **_hashed_view(row),
                "prev_hash": row["prev_hash"],
                "hash": row["hash"],
                "salts": _salts(row["salts"]),
            }

    check = evidence.verify_chain(entries(), head_id=int(seq["seq"]) if seq else None)
    if check.intact and time_changed:
        return evidence.ChainCheck(
            count=check.count, head=check.head, problem="time_changed", entry_id=time_changed[0]
        )
    return check


def _expected_utc(at: Any) -> str | None:
    try:
        return _utc(datetime.fromisoformat(at))
    except (TypeError, ValueError):
        return None


def close_follow_up(conn: sqlite3.Connection, entry_id: int, *, done_at: datetime) -> LogEntry:
    """Mark an entry's follow-up as done (``repaycli log done ID``) and return the entry closed.

    A corrected entry's follow-up is the one its latest correction carries (that is what
    ``remind`` shows), so that latest version is the one closed."""
    with transaction(conn):
        row = _contact_row(conn, entry_id)
        while True:
            later = conn.execute(
                "SELECT id FROM contacts WHERE corrects = ?", (row["id"],)
            ).fetchone()
            if later is None:
                break
            row = _contact_row(conn, later["id"])
        if row["follow_up"] is None:
            raise BadInput("err.log_no_follow_up", id=row["id"])
        added = conn.execute(
            "INSERT OR IGNORE INTO follow_ups_done (contact_id, done_at) VALUES (?, ?)",
            (row["id"], done_at.isoformat(timespec="seconds")),
        )
        if added.rowcount:
            _record_event(conn, "follow_up_done", int(row["id"]), done_at)
    return get_contact(conn, row["id"])


def open_follow_ups(conn: sqlite3.Connection, *, until: date) -> list[OpenFollowUp]:
    """Follow-ups due on or before ``until`` that are still open: not closed with ``log done``,
    not replaced by a correction, and with no later contact logged with the same platform."""
    rows = conn.execute(
        """SELECT c.id, c.platform, c.follow_up, c.follow_up_action FROM contacts c
WHERE c.follow_up IS NOT NULL AND c.follow_up <= ?
  AND NOT EXISTS (SELECT 1 FROM follow_ups_done d WHERE d.contact_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM contacts n WHERE n.corrects = c.id)
  AND NOT EXISTS (SELECT 1 FROM contacts l WHERE l.platform = c.platform AND l.at_utc > c.at_utc
                  AND (l.corrects IS NULL OR l.corrects <> c.id))
ORDER BY c.follow_up, c.id""",
        (until.isoformat(),),
    )
    return _follow_ups(rows)


def _follow_ups(rows: Iterable[sqlite3.Row]) -> list[OpenFollowUp]:
    return [
        OpenFollowUp(
            entry_id=r["id"],
            platform=r["platform"],
            follow_up=date.fromisoformat(r["follow_up"]),
            action=r["follow_up_action"],
        )
        for r in rows
    ]


def collection_after_agreement(
    conn: sqlite3.Connection, *, platform: str | None = None
) -> list[CollectionAfterAgreement]:
    """Contacts logged as collection after an agreement with the same platform (latest versions
    of entries only; ``platform``: that platform only), oldest first. The agreement is the first
    contact logged as ``agreed`` before it, else the first agreement recorded (not void) before
    it — dated by the contact it cites, else by when it was recorded."""
    where = "" if platform is None else " AND c.platform = ?"
    params: tuple[Any, ...] = () if platform is None else (platform,)
    rows = conn.execute(
        f"""SELECT c.id, c.platform, c.at, c.at_utc, c.hash,
    (SELECT a.id FROM contacts a WHERE a.platform = c.platform AND a.outcome = 'agreed'
       AND a.at_utc < c.at_utc
       AND NOT EXISTS (SELECT 1 FROM contacts n WHERE n.corrects = a.id)
     ORDER BY a.at_utc, a.id LIMIT 1) AS agreed_entry
FROM contacts c
WHERE c.collection IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM contacts n WHERE n.corrects = c.id){where}
ORDER BY c.at_utc, c.id""",
        params,
    ).fetchall()
    found: list[CollectionAfterAgreement] = []
    for row in rows:
        agreement_id = None
        if row["agreed_entry"] is None:
            agreement_id = _agreement_before(conn, str(row["platform"]), str(row["at_utc"]))
            if agreement_id is None:
                continue
        found.append(
            CollectionAfterAgreement(
                entry_id=int(row["id"]),
                platform=str(row["platform"]),
                at=str(row["at"]),
                hash=str(row["hash"]),
                agreed_entry=row["agreed_entry"],
                agreement_id=agreement_id,
            )
        )
    return found


def _agreement_before(conn: sqlite3.Connection, platform: str, at_utc: str) -> int | None:
    """The first agreement with ``platform`` (not void) made before ``at_utc``."""
    rows = conn.execute(
        """SELECT g.id, g.recorded_at, c.at_utc AS cited FROM agreements g
LEFT JOIN contacts c ON c.id = g.contact_id
WHERE g.platform = ?
  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.kind = 'agreement' AND v.target_id = g.id)
ORDER BY g.id""",
        (platform,),
    ).fetchall()
    for row in rows:
        made = row["cited"] or _expected_utc(row["recorded_at"])
        if made is not None and made < at_utc:
            return int(row["id"])
    return None


# --- agreements and payments ------------------------------------------------------------------


def add_agreement(
    conn: sqlite3.Connection,
    *,
    platform: str,
    schedule: Sequence[tuple[date, int]],
    recorded_at: datetime,
    contact_id: int | None = None,
    source: str | None = None,
) -> int:
    """Store an agreement and its installments (due date, amount in fen) in one transaction."""
    if not schedule:
        raise ValueError("an agreement needs at least one installment")
    total = sum(fen for _, fen in schedule)
    with transaction(conn):
        if contact_id is not None:
            _contact_row(conn, contact_id)
        cursor = conn.execute(
            "INSERT INTO agreements (recorded_at, platform, total_fen, periods, first_due,"
            " contact_id, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                recorded_at.isoformat(timespec="seconds"),
                platform,
                total,
                len(schedule),
                schedule[0][0].isoformat(),
                contact_id,
                source,
            ),
        )
        agreement_id = int(cursor.lastrowid or 0)
        conn.executemany(
            "INSERT INTO installments (agreement_id, n, due, amount_fen) VALUES (?, ?, ?, ?)",
            [(agreement_id, n, due.isoformat(), fen) for n, (due, fen) in enumerate(schedule, 1)],
        )
        _record_event(conn, "agreement", agreement_id, recorded_at)
    return agreement_id


def _agreement_row(conn: sqlite3.Connection, agreement_id: int) -> sqlite3.Row:
    if not _is_rowid(agreement_id):
        raise BadInput("err.agreement_unknown_id", id=agreement_id)
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM agreements WHERE id = ?", (agreement_id,)
    ).fetchone()
    if row is None:
        raise BadInput("err.agreement_unknown_id", id=agreement_id)
    return row


def get_agreement(conn: sqlite3.Connection, agreement_id: int, *, today: date) -> AgreementView:
    """An agreement with its schedule (status as of ``today``), payments and balance."""
    from repaycli.core.records import AgreementView, Allocation, InstallmentView, PaymentView

    head = _agreement_row(conn, agreement_id)
    parts = conn.execute(
        "SELECT n, due, amount_fen, paid_fen FROM installments WHERE agreement_id = ? ORDER BY n",
        (agreement_id,),
    ).fetchall()
    allocs: dict[int, list[Allocation]] = {}
    for a in conn.execute(
        "SELECT payment_id, n, amount_fen FROM allocations WHERE agreement_id = ?"
        " ORDER BY payment_id, n",
        (agreement_id,),
    ):
        allocs.setdefault(a["payment_id"], []).append(
            Allocation(n=a["n"], amount=from_fen(a["amount_fen"]))
        )
    payments = []
    for p in conn.execute(
        "SELECT * FROM payments WHERE agreement_id = ? ORDER BY id", (agreement_id,)
    ):
        mine = allocs.get(p["id"], [])
        payments.append(
            PaymentView(
                id=p["id"],
                agreement_id=agreement_id,
                paid_on=date.fromisoformat(p["paid_on"]),
                amount=from_fen(p["amount_fen"]),
                applied=from_fen(p["amount_fen"] - p["excess_fen"]),
                excess=from_fen(p["excess_fen"]),
                receipt=p["receipt"],
                recorded_at=p["recorded_at"],
                allocations=mine,
                void_reason=_void_of(conn, "payment", p["id"]),
            )
        )
    schedule = []
    for part in parts:
        due = date.fromisoformat(part["due"])
        schedule.append(
            InstallmentView(
                n=part["n"],
                due=due,
                amount=from_fen(part["amount_fen"]),
                paid=from_fen(part["paid_fen"]),
                left=from_fen(part["amount_fen"] - part["paid_fen"]),
                status=ledger.status(
                    amount_fen=part["amount_fen"], paid_fen=part["paid_fen"], due=due, today=today
                ),
            )
        )
    paid_fen = sum(part["paid_fen"] for part in parts)
    balance_fen = head["total_fen"] - paid_fen
    unpaid = [s for s in schedule if s.status != ledger.InstallmentStatus.PAID]
    overdue = [s.left for s in schedule if s.status == ledger.InstallmentStatus.OVERDUE]
    return AgreementView(
        id=head["id"],
        recorded_at=head["recorded_at"],
        platform=head["platform"],
        total=from_fen(head["total_fen"]),
        periods=head["periods"],
        first_due=date.fromisoformat(head["first_due"]),
        log_entry=head["contact_id"],
        source=head["source"],
        paid=from_fen(paid_fen),
        balance=from_fen(balance_fen),
        overpaid=sum((p.excess for p in payments if p.void_reason is None), from_fen(0)),
        finished=balance_fen == 0,
        next_due=unpaid[0].due if unpaid else None,
        overdue=sum(overdue, from_fen(0)),
        schedule=schedule,
        payments=payments,
        void_reason=_void_of(conn, "agreement", agreement_id),
    )


def list_agreements(conn: sqlite3.Connection, *, today: date) -> list[AgreementView]:
    return list(iter_agreements(conn, today=today))


def iter_agreements(conn: sqlite3.Connection, *, today: date) -> Iterator[AgreementView]:
    """``list_agreements`` one at a time (each read through its indexes), in id order."""
    ids = [int(r[0]) for r in conn.execute("SELECT id FROM agreements ORDER BY id")]
    for agreement_id in ids:
        yield get_agreement(conn, agreement_id, today=today)


#: One agreement's rows as ``iter_agreement_rows`` reads them: the agreement's row (a dict), its
#: installments ``(n, due, amount_fen, paid_fen)`` by ``n``, its payments (dicts, by id, each with
#: its ``void_reason``), each payment's allocations ``(n, amount_fen)`` by payment id, and the
#: agreement's own void reason.
AgreementRows = tuple[
    dict[str, Any],
    list[tuple[Any, ...]],
    list[dict[str, Any]],
    dict[Any, list[tuple[Any, Any]]],
    "str | None",
]


def iter_agreement_rows(conn: sqlite3.Connection) -> Iterator[AgreementRows]:
    """Every agreement's rows (``AgreementRows``), in id order, one agreement at a time: what
    ``iter_agreements`` reads, as plain rows (no models built). Each table is read once, in the
    agreements' order, beside the others (a merge on the agreement id), so the time is one pass
    over each table and the memory one agreement's rows (and the voids, which are few)."""
    voids = {
        (str(k), t): str(r)
        for k, t, r in _stream(conn, "SELECT kind, target_id, reason FROM voids")
    }
    parts = _Groups(
        _stream(conn, "SELECT agreement_id, n, due, amount_fen, paid_fen FROM installments"
                " ORDER BY agreement_id, n")
    )  # fmt: skip
    payments = _Groups(
        _stream(conn, "SELECT agreement_id, id, paid_on, amount_fen, excess_fen, receipt,"
                " recorded_at FROM payments ORDER BY agreement_id, id")
    )  # fmt: skip
    allocations = _Groups(
        _stream(conn, "SELECT agreement_id, payment_id, n, amount_fen FROM allocations"
                " ORDER BY agreement_id, payment_id, n")
    )  # fmt: skip
    heads = _stream(
        conn,
        "SELECT id, recorded_at, platform, total_fen, periods, first_due, contact_id, source"
        " FROM agreements ORDER BY id",
    )
    names = ("id", "recorded_at", "platform", "total_fen", "periods", "first_due", "contact_id",
             "source")  # fmt: skip
    for row in heads:
        agreement_id = row[0]
        allocs: dict[Any, list[tuple[Any, Any]]] = {}
        for _, payment_id, n, fen in allocations.take(agreement_id):
            allocs.setdefault(payment_id, []).append((n, fen))
        paid = [
            {
                "id": p[1],
                "paid_on": p[2],
                "amount_fen": p[3],
                "excess_fen": p[4],
                "receipt": p[5],
                "recorded_at": p[6],
                "void_reason": voids.get(("payment", p[1])),
            }
            for p in payments.take(agreement_id)
        ]
        yield (
            dict(zip(names, row, strict=True)),
            [r[1:] for r in parts.take(agreement_id)],
            paid,
            allocs,
            voids.get(("agreement", agreement_id)),
        )


class _Groups:
    """Rows ordered by their first column, handed out one key's group at a time, for keys asked
    in increasing order (the groups of keys never asked are skipped)."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        from itertools import groupby

        self._groups = groupby(rows, key=lambda r: r[0])
        self._next = next(self._groups, None)

    def take(self, key: Any) -> list[tuple[Any, ...]]:
        while self._next is not None and self._next[0] < key:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != key:
            return []
        rows = list(self._next[1])
        self._next = next(self._groups, None)
        return rows


def iter_agreement_lines(
    conn: sqlite3.Connection, *, platform: str | None = None
) -> Iterator[dict[str, Any]]:
    """Each agreement as the report's timeline shows it — its terms, paid, balance, void and its
    payments with theirs — in id order (with ``platform``, that lender's only). ``get_agreement``
    reads five statements per agreement; this reads three ordered ones for all and merges them,
    holding one agreement at a time. Keys: ``id platform total periods first_due paid balance
    void_reason payments`` (each ``id paid_on amount receipt void_reason``)."""
    where, params = ("", ()) if platform is None else (" WHERE a.platform = ?", (platform,))
    heads = _stream(
        conn,
        "SELECT a.id, a.platform, a.total_fen, a.periods, a.first_due, v.reason FROM agreements a"
        " LEFT JOIN voids v ON v.kind = 'agreement' AND v.target_id = a.id"
        f"{where} ORDER BY a.id",
        params,
    )
    parts = _stream(
        conn, "SELECT agreement_id, paid_fen FROM installments ORDER BY agreement_id, n"
    )
    payments = _stream(
        conn,
        "SELECT p.agreement_id, p.id, p.paid_on, p.amount_fen, p.receipt, v.reason FROM payments p"
        " LEFT JOIN voids v ON v.kind = 'payment' AND v.target_id = p.id"
        " ORDER BY p.agreement_id, p.id",
    )
    part = next(parts, None)
    pay = next(payments, None)
    for agreement_id, lender, total_fen, periods, first_due, void in heads:
        paid_fen = 0
        while part is not None and part[0] < agreement_id:  # a lender's that is not shown
            part = next(parts, None)
        while part is not None and part[0] == agreement_id:
            paid_fen += part[1]
            part = next(parts, None)
        mine = []
        while pay is not None and pay[0] < agreement_id:
            pay = next(payments, None)
        while pay is not None and pay[0] == agreement_id:
            mine.append(
                {
                    "id": pay[1],
                    "paid_on": date.fromisoformat(pay[2]),
                    "amount": from_fen(pay[3]),
                    "receipt": pay[4],
                    "void_reason": None if pay[5] is None else str(pay[5]),
                }
            )
            pay = next(payments, None)
        yield {
            "id": agreement_id,
            "platform": lender,
            "total": from_fen(total_fen),
            "periods": periods,
            "first_due": date.fromisoformat(first_due),
            "paid": from_fen(paid_fen),
            "balance": from_fen(total_fen - paid_fen),
            "void_reason": None if void is None else str(void),
            "payments": mine,
        }


def add_payment(
    conn: sqlite3.Connection,
    agreement_id: int,
    *,
    amount_fen: int,
    paid_on: date,
    recorded_at: datetime,
    receipt: str | None = None,
) -> int:
    """Record a payment and apply it to the earliest unpaid installments, all in one
    transaction; an amount beyond the balance is kept as an overpayment. A finished agreement
    takes no more payments."""
    with transaction(conn):
        return insert_payment(
            conn,
            agreement_id,
            amount_fen=amount_fen,
            paid_on=paid_on,
            recorded_at=recorded_at,
            receipt=receipt,
        )


def insert_payment(
    conn: sqlite3.Connection,
    agreement_id: int,
    *,
    amount_fen: int,
    paid_on: date,
    recorded_at: datetime,
    receipt: str | None = None,
) -> int:
    """``add_payment`` inside the caller's transaction (``pay --import`` records a bill's
    payments and the bill itself in one)."""
    if amount_fen <= 0:
        raise BadInput("err.amount_zero", field="amount")
    _agreement_row(conn, agreement_id)
    if _void_of(conn, "agreement", agreement_id) is not None:
        raise BadInput("err.agreement_voided", id=agreement_id)
    owed = [
        ledger.Owed(n=r["n"], amount_fen=r["amount_fen"], paid_fen=r["paid_fen"])
        for r in conn.execute(
            "SELECT n, amount_fen, paid_fen FROM installments WHERE agreement_id = ?",
            (agreement_id,),
        )
    ]
    if sum(o.left_fen for o in owed) == 0:
        raise BadInput("err.agreement_finished", id=agreement_id)
    result = ledger.apply_payment(owed, amount_fen)
    cursor = conn.execute(
        "INSERT INTO payments (agreement_id, recorded_at, paid_on, amount_fen, excess_fen,"
        " receipt) VALUES (?, ?, ?, ?, ?, ?)",
        (
            agreement_id,
            recorded_at.isoformat(timespec="seconds"),
            paid_on.isoformat(),
            amount_fen,
            result.excess_fen,
            receipt,
        ),
    )
    payment_id = int(cursor.lastrowid or 0)
    for n, fen in result.allocations:
        conn.execute(
            "INSERT INTO allocations (payment_id, agreement_id, n, amount_fen) VALUES (?, ?, ?, ?)",
            (payment_id, agreement_id, n, fen),
        )
        conn.execute(
            "UPDATE installments SET paid_fen = paid_fen + ? WHERE agreement_id = ? AND n = ?",
            (fen, agreement_id, n),
        )
    _record_event(conn, "payment", payment_id, recorded_at)
    return payment_id


def _void_of(conn: sqlite3.Connection, kind: str, target_id: int) -> str | None:
    """The reason ``kind`` ``target_id`` was voided, or ``None``."""
    row = conn.execute(
        "SELECT reason FROM voids WHERE kind = ? AND target_id = ?", (kind, target_id)
    ).fetchone()
    return None if row is None else str(row["reason"])


def void_agreement(
    conn: sqlite3.Connection, agreement_id: int, *, reason: str, recorded_at: datetime
) -> None:
    """Void a mistaken agreement: it stays on record, marked void with ``reason``; ``remind``
    and ``pay`` ignore it from now on."""
    with transaction(conn):
        _agreement_row(conn, agreement_id)
        if _void_of(conn, "agreement", agreement_id) is not None:
            raise BadInput("err.agreement_voided", id=agreement_id)
        cursor = conn.execute(
            "INSERT INTO voids (kind, target_id, reason, recorded_at)"
            " VALUES ('agreement', ?, ?, ?)",
            (agreement_id, reason, recorded_at.isoformat(timespec="seconds")),
        )
        _record_event(conn, "void", int(cursor.lastrowid or 0), recorded_at)


def void_payment(
    conn: sqlite3.Connection,
    agreement_id: int,
    payment_id: int,
    *,
    reason: str,
    recorded_at: datetime,
) -> None:
    """Void a mistaken payment of ``agreement_id`` in one transaction: what it paid on each
    installment is owed again, and the payment stays on record, marked void with ``reason``."""
    with transaction(conn):
        _agreement_row(conn, agreement_id)
        found = conn.execute(
            "SELECT id FROM payments WHERE id = ? AND agreement_id = ?",
            (payment_id, agreement_id) if _is_rowid(payment_id) else (0, 0),
        ).fetchone()
        if found is None:
            raise BadInput("err.payment_unknown_id", id=payment_id, agreement=agreement_id)
        if _void_of(conn, "payment", payment_id) is not None:
            raise BadInput("err.payment_voided", id=payment_id)
        for a in conn.execute(
            "SELECT n, amount_fen FROM allocations WHERE payment_id = ?", (payment_id,)
        ).fetchall():
            conn.execute(
                "UPDATE installments SET paid_fen = paid_fen - ? WHERE agreement_id = ? AND n = ?",
                (a["amount_fen"], agreement_id, a["n"]),
            )
        cursor = conn.execute(
            "INSERT INTO voids (kind, target_id, reason, recorded_at) VALUES ('payment', ?, ?, ?)",
            (payment_id, reason, recorded_at.isoformat(timespec="seconds")),
        )
        _record_event(conn, "void", int(cursor.lastrowid or 0), recorded_at)


def due_installments(conn: sqlite3.Connection, *, until: date) -> list[DueInstallment]:
    """Unpaid (or partly paid) installments due on or before ``until`` — overdue ones included —
    earliest first. Uses the partial index ``installments_unpaid_due``."""
    rows = _stream(
        conn,
        """SELECT i.agreement_id, a.platform, i.n, i.due, i.amount_fen - i.paid_fen AS left_fen
FROM installments i JOIN agreements a ON a.id = i.agreement_id
WHERE i.paid_fen < i.amount_fen AND i.due <= ?
  AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.kind = 'agreement' AND v.target_id = a.id)
ORDER BY i.due, i.agreement_id, i.n""",
        (until.isoformat(),),
    )
    # ``remind --ics --all``: thousands of rows, far fewer days and amounts, each converted once
    days: dict[str, date] = {}
    amounts: dict[int, Decimal] = {}
    return [
        DueInstallment(
            agreement_id=agreement_id,
            platform=platform,
            n=n,
            due=days.get(due) or days.setdefault(due, date.fromisoformat(due)),
            left=amounts.get(left_fen) or amounts.setdefault(left_fen, from_fen(left_fen)),
        )
        for agreement_id, platform, n, due, left_fen in rows
    ]


# --- offers evaluated during a contact ----------------------------------------------------------


def add_offer_check(
    conn: sqlite3.Connection, entry_id: int, evaluation_json: str, *, checked_at: datetime
) -> int:
    """Attach an offer evaluation (``offer --json`` output) to log entry ``entry_id``."""
    with transaction(conn):
        get_contact(conn, entry_id)
        return _insert_offer_check(conn, entry_id, evaluation_json, checked_at)


def _insert_offer_check(
    conn: sqlite3.Connection, entry_id: int, evaluation_json: str, checked_at: datetime
) -> int:
    """One offer check and its event, inside the caller's transaction."""
    cursor = conn.execute(
        "INSERT INTO offer_checks (contact_id, checked_at, evaluation) VALUES (?, ?, ?)",
        (entry_id, checked_at.isoformat(timespec="seconds"), evaluation_json),
    )
    _record_event(conn, "offer_check", int(cursor.lastrowid or 0), checked_at)
    return int(cursor.lastrowid or 0)


def offer_checks(conn: sqlite3.Connection, entry_id: int) -> list[dict[str, Any]]:
    """The offer evaluations attached to an entry, oldest first."""
    import json

    rows = conn.execute(
        "SELECT id, checked_at, evaluation FROM offer_checks WHERE contact_id = ? ORDER BY id",
        (entry_id,),
    ).fetchall()
    return [
        {
            "id": row["id"],
            "checked_at": row["checked_at"],
            "evaluation": json.loads(row["evaluation"]),
        }
        for row in rows
    ]


def open_follow_ups_latest(conn: sqlite3.Connection, *, until: date) -> list[OpenFollowUp]:
    """The same rows as ``open_follow_ups``, found without visiting every follow-up ever logged
    (for ``repaycli remind`` on a long history).

    A follow-up is closed by any later contact with the same platform, so an open one belongs to
    its platform's latest contact (a later correction of it would have replaced it anyway). The
    query walks the distinct platforms through ``contacts_platform_at`` (one index seek each), takes
    each platform's latest contacts, and keeps those with an open follow-up due by ``until``: its
    cost grows with the number of platforms, not with the log.
    """
    rows = conn.execute(
        """WITH RECURSIVE platforms(name) AS (
    SELECT min(platform) FROM contacts
    UNION ALL
    SELECT (SELECT min(platform) FROM contacts WHERE platform > name) FROM platforms
    WHERE name IS NOT NULL
), latest(platform, at_utc) AS (
    SELECT name, (SELECT max(at_utc) FROM contacts WHERE platform = name) FROM platforms
    WHERE name IS NOT NULL
)
SELECT c.id, c.platform, c.follow_up, c.follow_up_action
FROM latest JOIN contacts c ON c.platform = latest.platform AND c.at_utc = latest.at_utc
WHERE c.follow_up IS NOT NULL AND c.follow_up <= ?
  AND NOT EXISTS (SELECT 1 FROM follow_ups_done d WHERE d.contact_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM contacts n WHERE n.corrects = c.id)
ORDER BY c.follow_up, c.id""",
        (until.isoformat(),),
    )
    return _follow_ups(rows)


# --- evidence events: agreements, payments, closures, offer checks and voids in a chain --------

#: Event kinds, in the order records of the same second were written.
_KIND_ORDER = (
    "agreement",
    "payment",
    "follow_up_done",
    "offer_check",
    "void",
    "bill_import",
    "complaint",
)


def _agreement_body(conn: sqlite3.Connection, agreement_id: int) -> dict[str, Any]:
    head = conn.execute("SELECT * FROM agreements WHERE id = ?", (agreement_id,)).fetchone()
    parts = conn.execute(
        "SELECT n, due, amount_fen FROM installments WHERE agreement_id = ? ORDER BY n",
        (agreement_id,),
    ).fetchall()
    body = {key: head[key] for key in head.keys()}
    body["schedule"] = [[p["n"], p["due"], p["amount_fen"]] for p in parts]
    return body


def _payment_body(conn: sqlite3.Connection, payment_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM payments WHERE id = ?", (payment_id,)).fetchone()
    allocs = conn.execute(
        "SELECT n, amount_fen FROM allocations WHERE payment_id = ? ORDER BY n", (payment_id,)
    ).fetchall()
    body = {key: row[key] for key in row.keys()}
    body["allocations"] = [[a["n"], a["amount_fen"]] for a in allocs]
    return body


def _bill_import_body(conn: sqlite3.Connection, import_id: int) -> dict[str, Any]:
    """A bill import: the file's name, size and SHA-256, and each payment it recorded with its
    order number, counterparty and the counterparty's account (masked in redacted exports)."""
    body = _row_body(conn, "bill_imports", "id", import_id)
    body["payments"] = [
        [r["order_no"], r["payment_id"], r["paid_at"], r["counterparty"], r["counterparty_account"]]
        for r in conn.execute(
            "SELECT * FROM bill_payments WHERE import_id = ? ORDER BY payment_id", (import_id,)
        )
    ]
    return body


def _row_body(conn: sqlite3.Connection, table: str, key: str, ref: int) -> dict[str, Any]:
    row = conn.execute(f"SELECT * FROM {table} WHERE {key} = ?", (ref,)).fetchone()
    return {k: row[k] for k in row.keys()}


def _body(conn: sqlite3.Connection, kind: str, ref: int) -> dict[str, Any]:
    """A record as it stands now, as its event holds it."""
    if kind == "agreement":
        return _agreement_body(conn, ref)
    if kind == "payment":
        return _payment_body(conn, ref)
    if kind == "follow_up_done":
        return _row_body(conn, "follow_ups_done", "contact_id", ref)
    if kind == "offer_check":
        return _row_body(conn, "offer_checks", "id", ref)
    if kind == "bill_import":
        return _bill_import_body(conn, ref)
    if kind == "complaint":
        return _row_body(conn, "complaints", "id", ref)
    return _row_body(conn, "voids", "id", ref)


def _records(conn: sqlite3.Connection) -> Iterator[tuple[str, int, dict[str, Any], str]]:
    """Every record as (kind, ref, body, recorded_at)."""
    sources: tuple[tuple[str, str], ...] = (
        ("agreement", "SELECT id AS ref, recorded_at FROM agreements"),
        ("payment", "SELECT id AS ref, recorded_at FROM payments"),
        ("follow_up_done", "SELECT contact_id AS ref, done_at AS recorded_at FROM follow_ups_done"),
        ("offer_check", "SELECT id AS ref, checked_at AS recorded_at FROM offer_checks"),
        ("void", "SELECT id AS ref, recorded_at FROM voids"),
        ("complaint", "SELECT id AS ref, recorded_at FROM complaints"),
    )
    if "bill_imports" in _tables(conn):  # from ``_m008_bill_imports`` on
        sources += (("bill_import", "SELECT id AS ref, recorded_at FROM bill_imports"),)
    tables = _tables(conn)
    for kind, sql in sources:
        if kind == "complaint" and "complaints" not in tables:  # before schema 10
            continue
        for row in conn.execute(sql).fetchall():
            yield kind, int(row["ref"]), _body(conn, kind, int(row["ref"])), str(row["recorded_at"])


_event_hash = evidence.event_hash


def _append_event(
    conn: sqlite3.Connection, kind: str, ref: int, body: Mapping[str, Any], recorded_at: str
) -> None:
    """Chain one event to the last (inside the caller's transaction)."""
    import json

    last = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
    event: dict[str, Any] = {
        "id": max(last["id"] if last else 0, seq["seq"] if seq else 0) + 1,
        "kind": kind,
        "ref": ref,
        "recorded_at": recorded_at,
        "body": dict(body),
        "prev_hash": last["hash"] if last else evidence.GENESIS,
    }
    event["hash"] = _event_hash(event)
    conn.execute(
        "INSERT INTO events (id, kind, ref, recorded_at, body, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            event["id"],
            kind,
            ref,
            recorded_at,
            json.dumps(event["body"], ensure_ascii=False, sort_keys=True),
            event["prev_hash"],
            event["hash"],
        ),
    )


def _record_event(conn: sqlite3.Connection, kind: str, ref: int, recorded_at: datetime) -> None:
    _append_event(
        conn, kind, ref, _body(conn, kind, ref), recorded_at.isoformat(timespec="seconds")
    )


class EventCheck(Model):
    """``problem``: ``None``; ``event_changed`` / ``event_removed`` (event ``event_id``);
    ``record_changed`` (``kind`` ``ref`` is not what its event holds); ``record_removed`` (an
    event's record is gone); ``record_unrecorded``
    (a record with no event); ``paid_changed`` (an installment's paid amount is not what its
    payments add up to; ``ref``: the agreement); ``allocation_orphan`` (money put on an
    installment by payment ``ref``, which does not exist or belongs to another agreement);
    ``installment_orphan`` (an installment of agreement ``ref``, which does not exist);
    ``schema_missing`` / ``schema_changed`` / ``schema_added`` (the table, trigger or index
    ``name`` is gone, altered, or not repaycli's)."""

    count: int
    problem: str | None = None
    event_id: int | None = None
    kind: str | None = None
    ref: int | None = None
    #: The schema object a ``schema_*`` problem names (``"trigger events_no_update"``).
    name: str | None = None
    #: The last event's hash (``GENESIS`` with none): with the log's head, the fingerprint's.
    head: str = evidence.GENESIS

    @property
    def intact(self) -> bool:
        return self.problem is None


#: The tables every check reads: without one of them nothing else can be checked.
_EVIDENCE_TABLES = (
    "contacts",
    "agreements",
    "installments",
    "payments",
    "allocations",
    "follow_ups_done",
    "offer_checks",
    "voids",
    "events",
    "bill_imports",
    "bill_payments",
    "complaints",
)
_SCHEMA_CACHE: dict[int, dict[tuple[str, str], str]] = {}


def expected_schema(version: int = SCHEMA_VERSION) -> dict[tuple[str, str], str]:
    """Every table, index and trigger the migrations up to ``version`` make, ``(type, name)`` →
    its SQL (spaces normalised): built once per process in an in-memory database by the same
    migrations that built the user's file, so the two can be compared."""
    found = _SCHEMA_CACHE.get(version)
    if found is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            migrate(conn, target=version)
            found = _schema_of(conn)
        finally:
            conn.close()
        _SCHEMA_CACHE[version] = found
    return found


def _schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {(str(r[0]), str(r[1])): " ".join(str(r[2] or "").split()) for r in rows}


def check_schema(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """``(problem, "type name")`` for the first table, index or trigger that is missing
    (``schema_missing``), altered (``schema_changed``: a CHECK or a trigger's action rewritten)
    or added (``schema_added``: a trigger of someone else's can rewrite what is written); ``None``
    when the schema is exactly what repaycli's migrations make. Tables first, then triggers."""
    have = _schema_of(conn)
    want = expected_schema(schema_version(conn))
    order = {"table": 0, "trigger": 1, "index": 2, "view": 3}
    for key in sorted(want, key=lambda k: (order.get(k[0], 9), k[1])):
        if key not in have:
            return "schema_missing", f"{key[0]} {key[1]}"
        if have[key] != want[key]:
            return "schema_changed", f"{key[0]} {key[1]}"
    for key in sorted(have, key=lambda k: (order.get(k[0], 9), k[1])):
        if key not in want:
            return "schema_added", f"{key[0]} {key[1]}"
    return None


def _chain_events(conn: sqlite3.Connection) -> EventCheck:
    """The events chain re-computed, one row at a time (``count``: rows read)."""
    import json

    prev, expected, count = evidence.GENESIS, 1, 0
    problem: tuple[str, int] | None = None
    for row in conn.execute("SELECT * FROM events ORDER BY id"):
        count += 1
        if problem is not None:
            continue
        if row["id"] != expected:
            problem = ("event_removed", expected)
            continue
        try:
            event = {k: row[k] for k in row.keys()}
            event["body"] = json.loads(row["body"])
        except ValueError:
            problem = ("event_changed", row["id"])
            continue
        if _event_hash(event) != row["hash"]:
            problem = ("event_changed", row["id"])
        elif row["prev_hash"] != prev:
            problem = ("event_changed", max(expected - 1, 1))
        else:
            prev, expected = row["hash"], expected + 1
    if problem is not None:
        return EventCheck(count=count, problem=problem[0], event_id=problem[1])
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
    if seq is not None and seq["seq"] >= expected:
        return EventCheck(count=count, problem="event_removed", event_id=expected)
    return EventCheck(count=count, head=prev)


#: Each kind of record: its table, key and ``recorded_at`` column (what ``_records`` reads).
_SOURCES = (
    ("agreement", "agreements", "id", "recorded_at"),
    ("payment", "payments", "id", "recorded_at"),
    ("follow_up_done", "follow_ups_done", "contact_id", "done_at"),
    ("offer_check", "offer_checks", "id", "checked_at"),
    ("void", "voids", "id", "recorded_at"),
    ("bill_import", "bill_imports", "id", "recorded_at"),
    ("complaint", "complaints", "id", "recorded_at"),
)


def _record_exists(
    conn: sqlite3.Connection, kind: str, ref: int, sources: Sequence[tuple[str, str, str, str]]
) -> bool:
    for name, table, key, _ in sources:
        if name == kind:
            found = conn.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", (ref,)).fetchone()
            return found is not None
    return False


#: An installment whose paid amount is not what its payments (not voided) put on it: one seek in
#: ``allocations_installment`` per installment (a test reads the plan).
PAID_CHECK = """SELECT i.agreement_id FROM installments i
WHERE i.paid_fen <> (SELECT coalesce(sum(a.amount_fen), 0) FROM allocations a
    WHERE a.agreement_id = i.agreement_id AND a.n = i.n
      AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.kind = 'payment'
                      AND v.target_id = a.payment_id))
LIMIT 1"""
#: Money put on an installment by a payment that does not exist, or that belongs to another
#: agreement (a phantom ``allocations`` row shows an installment as paid).
ALLOCATION_CHECK = """SELECT a.payment_id FROM allocations a
LEFT JOIN payments p ON p.id = a.payment_id
WHERE p.id IS NULL OR p.agreement_id IS NOT a.agreement_id ORDER BY a.payment_id LIMIT 1"""
#: An installment of an agreement that does not exist (``remind`` would show it as due).
INSTALLMENT_CHECK = """SELECT i.agreement_id FROM installments i
WHERE NOT EXISTS (SELECT 1 FROM agreements g WHERE g.id = i.agreement_id) LIMIT 1"""


def unrecorded_check(table: str, key: str) -> str:
    """The first record of ``table`` with no event (one seek in ``events(kind, ref)`` each)."""
    return (
        f"SELECT {key} FROM {table} r WHERE NOT EXISTS (SELECT 1 FROM events e"
        f" WHERE e.kind = ? AND e.ref = r.{key}) ORDER BY {key} LIMIT 1"
    )


def verify_events(conn: sqlite3.Connection) -> EventCheck:
    """The evidence beside the call log checked whole, in one pass over the events and a few
    indexed queries (time and memory grow with the records, not with their square):

    1. the tables every check reads are there;
    2. the events chain re-computed;
    3. every event's record as it stands now is what the event holds, and every record has its
       event;
    4. every installment's paid amount is what its (not voided) payments put on it, and every
       allocation and installment belongs to a payment and an agreement that exist;
    5. the schema is exactly repaycli's: no trigger dropped, no CHECK rewritten, nothing added.
    """
    import json

    tables = _tables(conn)
    # The tables this database's schema version has (a schema-6 file has no bill imports yet).
    wanted = {name for kind, name in expected_schema(schema_version(conn)) if kind == "table"}
    for table in _EVIDENCE_TABLES:
        if table in wanted and table not in tables:
            return EventCheck(count=0, problem="schema_missing", name=f"table {table}")
    sources = [s for s in _SOURCES if s[1] in tables]
    chained = _chain_events(conn)
    if not chained.intact:
        return chained
    count = chained.count

    def broken(problem: str, kind: str, ref: int) -> EventCheck:
        return EventCheck(count=count, problem=problem, kind=kind, ref=ref)

    for row in _stream(conn, "SELECT kind, ref, body FROM events ORDER BY id"):
        kind, ref = str(row[0]), int(row[1])
        if kind not in _KIND_ORDER or not _record_exists(conn, kind, ref, sources):
            return broken("record_removed", kind if kind in _KIND_ORDER else "void", ref)
        now = json.loads(json.dumps(_body(conn, kind, ref), ensure_ascii=False, sort_keys=True))
        if json.loads(row[2]) != now:
            return broken("record_changed", kind, ref)
    for kind, table, key, _ in sources:
        unrecorded = conn.execute(unrecorded_check(table, key), (kind,)).fetchone()
        if unrecorded is not None:
            return broken("record_unrecorded", kind, int(unrecorded[0]))
    paid = conn.execute(PAID_CHECK).fetchone()
    if paid is not None:
        return broken("paid_changed", "agreement", int(paid[0]))
    orphan = conn.execute(ALLOCATION_CHECK).fetchone()
    if orphan is not None:
        return broken("allocation_orphan", "payment", int(orphan[0]))
    orphan = conn.execute(INSTALLMENT_CHECK).fetchone()
    if orphan is not None:
        return broken("installment_orphan", "agreement", int(orphan[0]))
    schema = check_schema(conn)
    if schema is not None:
        return EventCheck(count=count, problem=schema[0], name=schema[1])
    return EventCheck(count=count, head=chained.head)


def iter_events(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The events chain in id order, each as an export shows it (``body`` parsed; a body that
    is not JSON is kept as its text, so the event fails its check instead of the export)."""
    import json

    if "events" not in _tables(conn):
        return
    for row in conn.execute("SELECT * FROM events ORDER BY id"):
        event = {k: row[k] for k in row.keys()}
        try:
            event["body"] = json.loads(row["body"])
        except ValueError:
            pass
        yield event


def event_hashes(conn: sqlite3.Connection) -> list[str]:
    """Each event's stored hash, in id order (what an export's events are compared with)."""
    if "events" not in _tables(conn):
        return []
    return [str(r[0]) for r in conn.execute("SELECT hash FROM events ORDER BY id")]


def event_hash_at(conn: sqlite3.Connection, n: int) -> str | None:
    """The hash of the ``n``-th event in id order (1: the first); ``None`` when there is none."""
    if n < 1 or "events" not in _tables(conn):
        return None
    row = conn.execute("SELECT hash FROM events ORDER BY id LIMIT 1 OFFSET ?", (n - 1,))
    found = row.fetchone()
    return None if found is None else str(found[0])


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# --- streaming reads of the call log (log list / export / verify on a long log) ----------------

#: The keys of one streamed entry, in ``records.LogEntry``'s field order (a test keeps them equal),
#: so that its JSON is what the model's would be.
ENTRY_KEYS = (
    *evidence.HASHED_FIELDS,
    "collection",
    *evidence.DETAIL_FIELDS,
    "corrected_by",
    "follow_up_done_at",
    "prev_hash",
    "hash",
)


#: ``_ENTRY_SELECT`` with exactly ``ENTRY_KEYS`` as its columns, in order (then ``salts``): each
#: row is read as a tuple and zipped with the keys, several times quicker than ``sqlite3.Row``
#: lookups by name over 100,000 entries.
_EXPRESSIONS = {
    "corrected_by": "(SELECT n.id FROM contacts n WHERE n.corrects = c.id)",
    "follow_up_done_at": "d.done_at",
}
_STREAM_SELECT = (
    "SELECT "
    + ", ".join(_EXPRESSIONS.get(key, f"c.{key}") for key in ENTRY_KEYS)
    + ", c.salts FROM contacts c LEFT JOIN follow_ups_done d ON d.contact_id = c.id"
)
_ATTACHMENTS = ENTRY_KEYS.index("attachments")


def _entry_dict(row: tuple[Any, ...], *, salts: bool = False) -> dict[str, Any]:
    """A row of ``_STREAM_SELECT`` as ``LogEntry.model_dump(mode="json")`` would give it; with
    ``salts``, plus its salts (``None`` for a v1 entry), as an export needs them."""
    import json

    data = dict(zip(ENTRY_KEYS, row, strict=False))
    data["collection"] = data["collection"] is not None  # stored as a marker, NULL when not
    if data["threats"] is not None:
        data["threats"] = json.loads(data["threats"])
    stored = row[_ATTACHMENTS]
    # stored key-sorted (for the hash); shown in ``records.Attachment``'s field order
    if stored == "[]":  # most entries cite no file
        data["attachments"] = []
    else:
        data["attachments"] = [
            {"path": a["path"], "size": a["size"], "sha256": a["sha256"]}
            for a in json.loads(stored)
        ]
    if salts:
        data["salts"] = _salts(row[-1])
    return data


def _stream(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
    """``sql``'s rows as plain tuples (the connection's rows are ``sqlite3.Row``)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params)


def _contact_filter(
    *,
    platform: str | None,
    since: date | None,
    until: date | None,
    outcome: str | None,
    latest_only: bool,
    collection_only: bool = False,
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if collection_only:  # ``core.conduct.is_collection``, as SQL
        from repaycli.core.conduct import INCOMING_CHANNELS

        where.append(
            "(c.collection IS NOT NULL OR c.direction = 'incoming' OR c.channel IN "
            f"({', '.join('?' for _ in INCOMING_CHANNELS)}))"
        )
        params.extend(sorted(INCOMING_CHANNELS))
    if platform is not None:
        where.append("c.platform = ?")
        params.append(platform)
    if outcome is not None:
        where.append("c.outcome = ?")
        params.append(outcome)
    if since is not None:
        where.append("substr(c.at, 1, 10) >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append("substr(c.at, 1, 10) <= ?")
        params.append(until.isoformat())
    if latest_only:
        where.append("NOT EXISTS (SELECT 1 FROM contacts n WHERE n.corrects = c.id)")
    return (f" WHERE {' AND '.join(where)}" if where else ""), params


def iter_contacts(
    conn: sqlite3.Connection,
    *,
    platform: str | None = None,
    since: date | None = None,
    until: date | None = None,
    outcome: str | None = None,
    latest_only: bool = True,
    limit: int | None = None,
    oldest_first: bool = False,
    collection_only: bool = False,
) -> Iterator[dict[str, Any]]:
    """``list_contacts`` one plain dict at a time (keys ``ENTRY_KEYS``; attachments as a list of
    objects): newest first (``oldest_first``: in the order they happened), read as they are
    written, in memory that does not grow with the log. ``collection_only``: only the entries
    ``core.conduct.is_collection`` holds to be collection."""
    clause, params = _contact_filter(
        platform=platform,
        since=since,
        until=until,
        outcome=outcome,
        latest_only=latest_only,
        collection_only=collection_only,
    )
    order = "c.at_utc, c.id" if oldest_first else "c.at_utc DESC, c.id DESC"
    sql = f"{_STREAM_SELECT}{clause} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for row in _stream(conn, sql, params):
        yield _entry_dict(row)


def iter_log(
    conn: sqlite3.Connection,
    *,
    by_time: bool = False,
    platform: str | None = None,
    salts: bool = True,
) -> Iterator[dict[str, Any]]:
    """The whole log (corrections included) one plain dict at a time, for export: in the order it
    was written, or with ``by_time`` in the order the contacts happened (then by id). With
    ``platform``, only the entries about that lender; without ``salts``, no salts (a page that
    shows the entries has no use for them)."""
    order = "c.at_utc, c.id" if by_time else "c.id"
    where, params = ("", ()) if platform is None else (" WHERE c.platform = ?", (platform,))
    for row in _stream(conn, f"{_STREAM_SELECT}{where} ORDER BY {order}", params):
        yield _entry_dict(row, salts=salts)


def has_unsalted(conn: sqlite3.Connection) -> bool:
    """Whether the log holds an entry written before salted commitments (a v1 entry)."""
    return conn.execute("SELECT 1 FROM contacts WHERE salts IS NULL LIMIT 1").fetchone() is not None


def count_log(conn: sqlite3.Connection) -> int:
    """How many entries the log holds (corrections included)."""
    return int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])


def contact_hashes(conn: sqlite3.Connection) -> dict[int, str]:
    """Each entry's stored hash by id (for comparing an export), without building entries."""
    return {int(r[0]): str(r[1]) for r in conn.execute("SELECT id, hash FROM contacts")}
