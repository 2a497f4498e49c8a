"""Issue 12's faults, each reproduced: hostile files and environment values, files written
through links or over existing files, a killed backup, a FIFO or read-only database, the first-run
race, output cut short, and agreements from a hand-edited plan file."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY
from helpers import LOG_ADD, add_entry, invoke, repaycli_exe, run
from repaycli import store
from repaycli.paths import db_path


def one_line(result: Any, code: int = 2) -> str:
    """The single error line of an in-process run that must fail with ``code``."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return str(lines[0])


@pytest.fixture()
def home(_isolated: Path) -> Path:
    """This test's REPAYCLI_HOME (set by conftest)."""
    return _isolated


PLAN = ["plan", "--platform", "huabei", "--overdue", "8000", "--income", "6000", "--no-input"]


# --- files handed to repaycli ------------------------------------------------------------------


def test_deeply_nested_debts_file(tmp_path: Path) -> None:
    debts = tmp_path / "debts.toml"
    debts.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    line = one_line(invoke("plan", "--debts", str(debts), "--income", "6000", "--no-input"))
    assert line == f"Error: the debts file {debts} is not valid TOML: nested too deeply"


def test_integer_over_4300_digits_in_toml_files(tmp_path: Path, home: Path) -> None:
    debts = tmp_path / "debts.toml"
    debts.write_text("income = " + "9" * 5000 + "\n", encoding="utf-8")
    line = one_line(invoke("plan", "--debts", str(debts), "--no-input"))
    assert line.startswith(f"Error: the debts file {debts} is not valid TOML: Exceeds the limit")
    home.mkdir(parents=True, exist_ok=True)
    (home / "platforms.toml").write_text(
        "[huabei]\nmax_deferral_months = " + "9" * 5000 + "\n", encoding="utf-8"
    )
    line = one_line(invoke(*PLAN))
    assert line.startswith(f"Error: the platform file {home / 'platforms.toml'} cannot be used")


def test_periods_that_make_no_sense_in_platforms_toml(home: Path) -> None:
    """``periods = [10000, 0, -1]`` was accepted, then crashed ``plan``."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "platforms.toml").write_text("[huabei]\nperiods = [10000, 0, -1]\n", encoding="utf-8")
    line = one_line(invoke(*PLAN))
    assert line.startswith(f"Error: the platform file {home / 'platforms.toml'} cannot be used")


def test_a_fifo_given_as_a_debts_file_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "debts.toml"
    os.mkfifo(fifo)
    result = run("plan", "--debts", str(fifo), "--income", "6000", "--no-input", timeout=20)
    assert (result.returncode, result.stderr) == (
        2,
        f"Error: cannot read {fifo}: not a regular file\n",
    )


def test_deeply_nested_plan_file_for_agreement(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = invoke("agreement", "add", "--from-plan", str(plan), "--proposal", "x")
    assert one_line(result).startswith("Error: ")
    assert "Traceback" not in result.output


def _plan_file(tmp_path: Path, dues: list[str]) -> Path:
    rows = [{"due": d, "amount": "1.00"} for d in dues]
    plan = {
        "proposals": [
            {"id": "p", "platform": "huabei", "total": f"{len(rows)}.00", "schedule": rows}
        ]
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


def test_agreement_from_plan_refuses_9999_and_1000_installments(tmp_path: Path) -> None:
    path = _plan_file(tmp_path, ["9999-12-31"])
    args = ["agreement", "add", "--from-plan", str(path), "--proposal", "p"]
    assert one_line(invoke(*args)) == (
        "Error: due: 9999-12-31 is too far from today; check the year"
    )
    path = _plan_file(tmp_path, [f"{2027 + n // 12}-{n % 12 + 1:02d}-01" for n in range(1000)])
    assert one_line(invoke(*args)) == (
        "Error: number of installments: 1000 must be between 1 and 120"
    )
    assert not db_path().exists()


def test_a_stored_installment_on_9999_12_31_does_not_break_the_calendar(tmp_path: Path) -> None:
    """Such an installment (from before the fix) crashed every ``remind --ics``."""
    db_path().parent.mkdir(parents=True, exist_ok=True)
    with store.opened() as conn:
        store.add_agreement(
            conn,
            platform="huabei",
            schedule=[(date(2027, 1, 1), 100), (date(9999, 12, 31), 100)],
            recorded_at=datetime(2026, 12, 2, 9, 0).astimezone(),
        )
    feed = tmp_path / "feed.ics"
    result = invoke("remind", "--ics", str(feed), "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert feed.read_bytes().count(b"BEGIN:VEVENT") == 1


# --- values typed or set in the environment -------------------------------------------------


@pytest.mark.parametrize("flag", ["--days-overdue"])
def test_integers_over_4300_digits_in_flags(flag: str) -> None:
    line = one_line(invoke(*PLAN, flag, "9" * 5000))
    assert line.startswith("Error: days overdue: 999") and len(line) < 400


def test_offer_periods_over_4300_digits() -> None:
    result = invoke("offer", "--amount", "8000", "--periods", "9" * 5000, "--no-input")
    assert one_line(result).startswith("Error: ") and len(result.stderr) < 400


def test_a_megabyte_bad_value_gives_a_short_error_line() -> None:
    result = invoke("log", "add", *LOG_ADD[2:], "--outcome", "x" * 1_000_000)
    line = one_line(result)
    assert line.startswith("Error: outcome: " + "x" * 50) and len(line) < 500
    assert "(1000000 characters)" in line


def test_columns_that_is_not_a_number() -> None:
    result = run("platforms", env={"COLUMNS": "abc"})
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Platform catalogue")


@pytest.mark.parametrize(
    "args", [["remind"], ["log", "add", *LOG_ADD[2:], "--outcome", "pending"], PLAN]
)
def test_repaycli_today_at_the_end_of_time(args: list[str]) -> None:
    result = invoke(*args, env={"REPAYCLI_TODAY": "9999-12-31"})
    assert one_line(result) == (
        "Error: REPAYCLI_TODAY=9999-12-31 is outside 1970-01-01 … 2999-12-31; unset it or pin a"
        " real date"
    )


def test_invalid_utf8_typed_at_a_free_text_prompt() -> None:
    """Bytes that are not UTF-8 at a prompt reached the hash as lone surrogates (a traceback)."""
    answers = b"\n\n\n\n\nx\xff\xfe\n" + b"\n" * 12
    result = subprocess.run(
        [
            repaycli_exe(),
            "log",
            "add",
            "--platform",
            "huabei",
            "--channel",
            "phone",
            "--outcome",
            "pending",
        ],
        input=answers,
        capture_output=True,
        timeout=60,
        check=False,
    )
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, err
    assert "Traceback" not in err
    assert "x\\xff\\xfe is not valid UTF-8 text; set your terminal to UTF-8" in err


def test_an_over_long_output_name() -> None:
    add_entry()
    name = "/tmp/" + "a" * 300
    for args in (["log", "export", "-o", name], ["remind", "--ics", name]):
        line = one_line(invoke(*args))
        assert line.startswith(f"Error: cannot write {name[:100]}"), line
        assert "File name too long" in line


# --- files repaycli writes -------------------------------------------------------------------


def test_no_file_is_written_through_a_symbolic_link(tmp_path: Path) -> None:
    add_entry()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "elsewhere.txt")
    for target in (link, dangling):
        for args in (
            ["log", "export", "-o", str(target), "--force"],
            ["remind", "--ics", str(target), "--force"],
        ):
            assert one_line(invoke(*args)) == (
                f"Error: {target} is a symbolic link; repaycli does not write through links:"
                " name the real file"
            )
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "elsewhere.txt").exists()


def test_a_calendar_feed_is_refreshed_but_another_file_needs_force(tmp_path: Path) -> None:
    feed = tmp_path / "feed.ics"
    assert invoke("remind", "--ics", str(feed)).exit_code == 0
    assert invoke("remind", "--ics", str(feed)).exit_code == 0  # cron refreshes its own feed
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    assert one_line(invoke("remind", "--ics", str(notes))) == (
        f"Error: {notes} already exists; choose another file or add --force to replace it"
    )
    assert notes.read_text(encoding="utf-8") == "mine"


def test_a_killed_backup_leaves_nothing_that_blocks_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_entry()
    target = tmp_path / "backup.sqlite3"

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # the process dies between the copy and its naming

    with monkeypatch.context() as patch:
        patch.setattr(store.os, "link", killed)
        result = invoke("db", "backup", str(target))
    assert result.exit_code != 0
    assert not target.exists()
    result = invoke("db", "backup", str(target))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite3", "home"]


# --- the database file -----------------------------------------------------------------------


def test_a_fifo_as_the_database_is_refused_at_once(home: Path) -> None:
    home.mkdir(parents=True)
    os.mkfifo(home / "repaycli.sqlite3")
    for args in (["remind"], ["log", "list"], [*LOG_ADD, "--outcome", "pending"]):
        result = run(*args, timeout=20)
        assert (result.returncode, result.stderr) == (
            1,
            f"Error: {home / 'repaycli.sqlite3'} is not a regular file (a pipe, device or"
            " folder); point REPAYCLI_HOME at a folder for repaycli's database\n",
        ), args


def test_a_database_on_read_only_media_can_be_verified_and_read(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: opening for writing fails as on read-only media; reading commands go on."""
    add_entry("--notes", "kept")
    from repaycli.errors import Failure

    def refuse(*_: object, **__: object) -> None:
        raise Failure(
            "err.db_unreadable", path=str(db_path()), detail="attempt to write a readonly database"
        )

    monkeypatch.setattr(store, "connect", refuse)
    for args in (
        ["log", "verify"],
        ["log", "list"],
        ["log", "export", "--format", "json"],
        ["remind"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
    assert invoke("log", "verify").stdout.startswith("The log is intact: 1 entry")
    result = invoke(*LOG_ADD, "--outcome", "pending")
    assert one_line(result, 1).startswith("Error: cannot open the database")


def test_many_first_runs_at_once_all_succeed(tmp_path: Path) -> None:
    """Two first runs at once once refused the new database as "not a repaycli database"."""
    for attempt in range(4):
        home = tmp_path / f"home{attempt}"
        env = {"REPAYCLI_HOME": str(home)}
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(
                pool.map(
                    lambda n, env=env: run(
                        *LOG_ADD, "--outcome", "pending", "--notes", str(n), env=env
                    ),
                    range(6),
                )
            )
        for result in results:
            assert result.returncode == 0, result.stderr
        assert invoke("log", "verify", env=env).exit_code == 0


def test_one_read_sees_a_consistent_identity(tmp_path: Path) -> None:
    """The three values that tell a repaycli database are read in one statement."""
    path = tmp_path / "db.sqlite3"
    store.connect(path).close()
    conn = sqlite3.connect(path)
    assert store._identity(conn) == (
        store.APPLICATION_ID,
        store.SCHEMA_VERSION,
        len(conn.execute("SELECT * FROM sqlite_master").fetchall()),
    )
    conn.close()


# --- output cut short --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["log", "export"], ["log", "export", "--format", "json"], ["log", "list"]]
)
def test_output_to_a_size_limited_file_is_complete_or_an_error(
    tmp_path: Path, args: list[str]
) -> None:
    for n in range(6):
        add_entry("--notes", "x" * 3000 + str(n))
    out = tmp_path / "out.txt"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    with out.open("wb") as handle:
        result = subprocess.run(
            [repaycli_exe(), *args],
            stdout=handle,
            stderr=subprocess.PIPE,
            preexec_fn=limit,
            env={**os.environ, "COLUMNS": "120"},
            timeout=60,
            check=False,
        )
    assert out.stat().st_size == 8192  # cut short by the limit...
    assert (result.returncode, result.stderr.decode()) == (  # ... and it says so
        1,
        "Error: cannot write <stdout>: File too large\n",
    )


# --- redaction, CSV cells, pay's error -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("１３８１２３４５６７８", "138****5678"),  # full-width digits
        ("138.1234.5678", "138****5678"),
        ("+86-21-12345678", "+86-21-****5678"),
        ("110101-19900307-123X", "**************123X"),
        ("6222\t0212\t3456\t7890", "************7890"),
        ("6222.0212.3456.7890.123", "***************0123"),
        ("（０２１）１２３４５６７８", "(021)****5678"),
    ],
)
def test_redaction_covers_the_formats_that_slipped_through(typed: str, masked: str) -> None:
    from repaycli.core.evidence import redact

    assert redact(f"号码 {typed} 。") == f"号码 {masked} 。"


@pytest.mark.parametrize("kept", ["客服 95188", "400-820-8820", "TK2026100112345678", "12000.00"])
def test_redaction_keeps_service_and_reference_numbers(kept: str) -> None:
    from repaycli.core.evidence import redact

    assert redact(kept) == kept


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u3000", "\t", "\u2003", "\u200b", "\ufeff"])
def test_a_csv_cell_with_any_leading_blank_before_a_formula_is_defused(blank: str) -> None:
    from repaycli.core.export import csv_cell

    assert csv_cell(f'{blank}=HYPERLINK("http://x")') == f'\'{blank}=HYPERLINK("http://x")'
    if blank != "\t":  # a leading tab is refused on its own (it can start a DDE payload)
        assert csv_cell(f"{blank}plain") == f"{blank}plain"


def test_pay_never_prints_none() -> None:
    """Without --date, a payment far before the first due date named the date as 'None'."""
    result = invoke(
        "agreement", "add", "--no-input", "--platform", "huabei", "--total", "900",
        "--periods", "3", "--first-due", "+2y",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    line = one_line(invoke("pay", "1", "--amount", "300"))
    assert "None" not in line
    assert line.startswith(f"Error: --date: {TODAY.isoformat()} is more than a year before")


# --- void: mistakes put right by appending, never by editing ----------------------------------


def _agreement(*extra: str) -> None:
    result = invoke(
        "agreement", "add", "--no-input", "--platform", "huabei", "--total", "12",
        "--periods", "12", "--first-due", "2026-01-01", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_a_mistaken_agreement_is_voided_and_remind_stops_nagging() -> None:
    """A total typed as 12 stayed 12 x 1 yuan forever and remind nagged about it."""
    _agreement()
    env = {"REPAYCLI_TODAY": "2026-06-15"}
    assert invoke("remind", env=env).stdout != ""
    assert one_line(invoke("agreement", "void", "1")) == (
        "Error: say why it is void with --reason TEXT (the reason is kept with it as evidence)"
    )
    result = invoke("agreement", "void", "1", "--reason", "typed 12 for 12,000")
    assert (result.exit_code, result.stdout) == (
        0,
        "Agreement #1 is void; it stays on record with its reason, and reminders and payments"
        " ignore it.\n",
    )
    result = invoke("remind", env=env)
    assert (result.exit_code, result.stdout) == (0, "")
    shown = json.loads(invoke("agreement", "show", "1", "--json").stdout)["agreement"]
    assert shown["void_reason"] == "typed 12 for 12,000" and shown["total"] == "12.00"
    assert one_line(invoke("pay", "1", "--amount", "1")) == (
        "Error: agreement 1 is void; it takes no payments and is not reminded ('repaycli"
        " agreement show 1' shows why)"
    )
    assert one_line(invoke("agreement", "void", "1", "--reason", "again")).startswith(
        "Error: agreement 1 is void"
    )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn = sqlite3.connect(db_path())
        try:
            conn.execute("DELETE FROM voids")
        finally:
            conn.close()


def test_a_mistaken_payment_is_voided_and_owed_again() -> None:
    _agreement()
    env = {"REPAYCLI_TODAY": "2026-01-10"}
    assert invoke("pay", "1", "--amount", "3", env=env).exit_code == 0
    assert invoke("pay", "1", "--amount", "1", "--reason", "x").exit_code == 2
    result = invoke("pay", "1", "--void", "1", "--reason", "paid to the wrong plan", env=env)
    assert (result.exit_code, result.stdout) == (
        0,
        "Payment #1 of agreement #1 is void; what it paid is owed again.\n",
    )
    shown = json.loads(invoke("agreement", "show", "1", "--json", env=env).stdout)["agreement"]
    assert shown["paid"] == "0.00" and shown["balance"] == "12.00"
    assert shown["payments"][0]["void_reason"] == "paid to the wrong plan"
    assert one_line(invoke("pay", "1", "--void", "1", "--reason", "again")) == (
        "Error: payment 1 is already void"
    )
    assert one_line(invoke("pay", "1", "--void", "7", "--reason", "r")) == (
        "Error: agreement 1 has no payment 7; 'repaycli agreement show 1' lists its payments"
    )
    assert one_line(invoke("pay", "1", "--void", "1")) == (
        "Error: say why it is void with --reason TEXT (the reason is kept with it as evidence)"
    )


# --- one chain for all evidence: agreements, payments, closures, offer checks, voids ----------


def _tamper(sql: str, *drop: str) -> None:
    conn = sqlite3.connect(db_path())
    for trigger in drop:
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute(sql)
    conn.commit()
    conn.close()


def _evidence() -> None:
    """An agreement, a payment, a closed follow-up and a void: four kinds of event."""
    _agreement()
    env = {"REPAYCLI_TODAY": "2026-01-10"}
    assert invoke("pay", "1", "--amount", "3", env=env).exit_code == 0
    assert invoke("pay", "1", "--amount", "2", env=env).exit_code == 0
    assert invoke("pay", "1", "--void", "2", "--reason", "typo", env=env).exit_code == 0
    add_entry("--follow-up", "+3d")
    assert invoke("log", "done", "1").exit_code == 0


def test_verify_covers_agreements_payments_closures_and_voids() -> None:
    _evidence()
    result = invoke("log", "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Agreements, payments, closures, offer checks and voids: 5 events, each record as recorded."
    )


@pytest.mark.parametrize(
    ("sql", "drop", "message"),
    [
        (
            "UPDATE agreements SET total_fen = 1200000",
            (),
            "agreement 1 is not what was recorded: it was changed behind repaycli's back",
        ),
        (
            "UPDATE payments SET amount_fen = 30000 WHERE id = 1",
            (),
            "payment 1 is not what was recorded: it was changed behind repaycli's back",
        ),
        (
            "UPDATE installments SET paid_fen = 0 WHERE n = 1",
            (),
            "agreement 1's paid amounts are not what its payments add up to: they were changed"
            " behind repaycli's back",
        ),
        (
            "DELETE FROM follow_ups_done",
            (),
            "the follow-up closing of entry 1 was recorded but is gone: it was removed behind"
            " repaycli's back",
        ),
        (
            "UPDATE voids SET reason = 'never paid'",
            ("voids_no_update",),
            "void 1 is not what was recorded: it was changed behind repaycli's back",
        ),
        (
            "UPDATE events SET body = replace(body, '1200', '1300') WHERE kind = 'agreement'",
            ("events_no_update",),
            "event #1 (an agreement, payment, follow-up closure, offer check or void) was changed"
            " after it was recorded: the evidence is not intact",
        ),
        (
            "INSERT INTO payments (agreement_id, recorded_at, paid_on, amount_fen)"
            " VALUES (1, '2026-01-10T10:00:00+08:00', '2026-01-10', 100)",
            (),
            "payment 3 was never recorded as an event: it was added behind repaycli's back",
        ),
    ],
)
def test_an_edit_to_any_record_shows_in_verify(
    sql: str, drop: tuple[str, ...], message: str
) -> None:
    _evidence()
    _tamper(sql, *drop)
    result = invoke("log", "verify")
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")


def test_records_from_before_the_events_are_entered_by_the_migration(tmp_path: Path) -> None:
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = store.connect(path, migrate_to=5)
    conn.execute(
        "INSERT INTO agreements (recorded_at, platform, total_fen, periods, first_due)"
        " VALUES ('2025-12-01T10:00:00+08:00', 'huabei', 1200, 2, '2026-01-01')"
    )
    conn.execute(
        "INSERT INTO installments (agreement_id, n, due, amount_fen)"
        " VALUES (1, 1, '2026-01-01', 500), (1, 2, '2026-02-01', 700)"
    )
    conn.close()
    result = invoke("log", "verify")  # migrates to the current schema first
    assert result.exit_code == 0, result.output
    assert "1 event," in result.stdout
    _tamper("UPDATE installments SET amount_fen = 1 WHERE n = 2")
    assert one_line(invoke("log", "verify"), 1) == (
        "Error: agreement 1 is not what was recorded: it was changed behind repaycli's back"
    )
