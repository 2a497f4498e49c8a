"""``repaycli log``: add (flags and prompts), corrections, list/show, export, verify, and the
database failures as the user sees them. In-process (CliRunner) and as real subprocesses."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers import LOG_ADD, add_entry, run_in_process
from repaycli import store
from repaycli.core.evidence import redact, verify_chain
from repaycli.core.export import csv_cell
from repaycli.paths import db_path

REPAYCLI = str(Path(sys.executable).parent / "repaycli")
BASE = LOG_ADD
run = run_in_process
add = add_entry


def test_add_with_flags_prints_the_id_and_json_shape() -> None:
    assert add() == "Logged entry #1.\n"
    code, out, _ = run(
        *BASE,
        "--outcome",
        "callback_promised",
        "--at",
        "2026-11-21 14:30",
        "--agent",
        "工号 1234",
        "--follow-up",
        "2026-11-24",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1
    entry = data["entry"]
    assert sorted(entry) == sorted(
        [
            "id", "recorded_at", "at", "platform", "channel", "number", "agent", "ref", "asked",
            "offered", "outcome", "agreed_terms", "confirmation", "follow_up",
            "follow_up_action", "notes", "attachments", "corrects", "collection",
            "direction", "firm", "claims", "threats", "said", "third_party", "corrected_by",
            "follow_up_done_at", "prev_hash", "hash",
        ]
    )  # fmt: skip
    assert entry["id"] == 2 and entry["agent"] == "工号 1234"
    assert re.fullmatch(r"2026-11-21T14:30:00[+-]\d\d:\d\d", entry["at"])
    assert entry["follow_up"] == "2026-11-24" and entry["outcome"] == "callback_promised"


def test_add_prompts_for_the_template_fields_flags_did_not_give() -> None:
    from repaycli.catalog import load_log_fields

    answers = {
        "at": "2026-11-20 09:15",
        "platform": "京东白条",
        "channel": "nonsense\nphone",  # a wrong answer is asked again
        "outcome": "agreed",
        "notes": "ok",
    }
    typed = "".join(answers.get(f.name, "") + "\n" for f in load_log_fields())
    code, out, err = run("log", "add", input=typed)
    assert code == 0, err
    assert out.endswith("Logged entry #1.\n")  # (CliRunner echoes the typed answers)
    assert "Error: channel: nonsense is not one of: phone, app_chat" in err
    for field in ("Agent name / ID", "What they offered", "Follow-up date"):
        assert field in err
    code, out, _ = run("log", "show", "1", "--json")
    entry = json.loads(out)["entry"]
    assert (entry["platform"], entry["channel"], entry["notes"]) == ("baitiao", "phone", "ok")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--platform", "nowhere"], "Error: unknown platform nowhere; did you mean: Other lender? "
         "('repaycli platforms' lists all)"),
        (["--platform", ""], "Error: no platform given; run 'repaycli platforms' to see the names"),
        (["--outcome", "won"], "Error: outcome: won is not one of: no_answer, refused, pending, "
         "callback_promised, agreed, threatened, received"),
        (["--outcome", ""], "Error: outcome: this cannot be empty"),
        (["--at", "2026-13-01"], "Error: date and time: 2026-13-01 is not a real date (check the "
         "month and day)"),
        (["--follow-up", "soon"], "Error: follow-up date: soon is not a date; use YYYY-MM-DD "
         "(2026-12-01) or today, tomorrow, +3d, +2w, +1m"),
        (["--corrects", "5"], "Error: there is no log entry 5; 'repaycli log list' shows the ids"),
        (["--attach", "/no/such/file"], "Error: cannot read /no/such/file: No such file or "
         "directory"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2_and_nothing_written(args: list[str], line: str) -> None:
    full = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"]
    full += ["--outcome", "pending", *args]
    code, out, err = run(*full)
    assert (code, out, err) == (2, "", line + "\n")
    code, out, _ = run("log", "list", "--json")
    assert json.loads(out)["entries"] == []


def test_missing_required_field_without_input() -> None:
    code, _, err = run("log", "add", "--no-input", "--platform", "huabei")
    assert (code, err) == (
        2,
        "Error: a value is missing; give it with --channel (or run without --no-input to be "
        "asked)\n",
    )


def test_corrections_append_and_listings_show_the_latest_version() -> None:
    # Fixed times: the correction keeps entry 1's time, so listings (newest contact first) must
    # not depend on whether the two adds fell in the same second.
    add("--notes", "first", "--at", "2026-11-20 11:00")
    add("--notes", "second", "--platform", "jiebei", "--at", "2026-11-20 10:00")
    code, out, _ = run("log", "add", "--no-input", "--corrects", "1", "--outcome", "refused")
    assert (code, out) == (0, "Logged entry #3 (corrects #1).\n")
    code, out, _ = run("log", "list", "--json")
    entries = json.loads(out)["entries"]
    assert [(e["id"], e["corrects"], e["notes"], e["outcome"]) for e in entries] == [
        (3, 1, "first", "refused"),
        (2, None, "second", "pending"),
    ]
    code, out, _ = run("log", "list")
    assert "3 (corrects #1)" in out and "\n│ 1 " not in out
    code, out, _ = run("log", "show", "1")
    assert "Entry #1 was corrected by entry #3" in out
    code, _, err = run("log", "add", "--no-input", "--corrects", "1", "--outcome", "agreed")
    assert (code, err) == (
        2,
        "Error: entry 1 was already corrected by entry 3; correct 3 instead (--corrects 3)\n",
    )


def test_list_filters() -> None:
    add("--at", "2026-11-01 10:00")
    add("--at", "2026-11-10 10:00", "--platform", "jiebei", "--outcome", "agreed")
    add("--at", "2026-11-20 10:00")

    def ids(*args: str) -> list[int]:
        code, out, err = run("log", "list", "--json", *args)
        assert code == 0, err
        return [e["id"] for e in json.loads(out)["entries"]]

    assert ids() == [3, 2, 1]
    assert ids("--platform", "借呗") == [2]
    assert ids("--outcome", "agreed") == [2]
    assert ids("--since", "2026-11-10") == [3, 2]
    assert ids("--until", "2026-11-10") == [2, 1]
    code, _, err = run("log", "list", "--since", "last week")
    assert code == 2 and err.startswith("Error: --since: last week is not a date")


def test_user_text_is_shown_literally_never_as_markup_or_escapes() -> None:
    add("--notes", "[bold red]x[/] \x1b[31mred", "--agent", "[link=http://evil]a[/link]")
    for args in (["log", "list"], ["log", "show", "1"]):
        code, out, _ = run(*args)
        assert code == 0
        assert "\x1b" not in out
        assert "[bold red]x[/]" in out and "\\x1b[31mred" in out
    code, out, _ = run("log", "show", "1")
    assert "[link=http://evil]a[/link]" in out
    code, out, _ = run("log", "show", "1", "--json")
    assert json.loads(out)["entry"]["notes"] == "[bold red]x[/] \x1b[31mred"  # stored exactly


def test_csv_export_cannot_run_formulas() -> None:
    add("--notes", '=HYPERLINK("http://x","y")', "--offered", "+1", "--asked", "-2")
    add("--notes", "@SUM(A1)", "--ref", "  =1+1", "--agent", "\t=cmd")
    code, out, _ = run("log", "export", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["#", "Date and time", "Platform"]
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t")), cell
    assert '\'=HYPERLINK("http://x","y")' in cells and "'@SUM(A1)" in cells
    assert "'+1" in cells and "'-2" in cells and "'  =1+1" in cells  # stored as typed
    assert "'\t=cmd" in cells  # the tab is kept; the prefix makes it text


def test_csv_cell() -> None:
    assert csv_cell(None) == ""
    assert csv_cell("plain") == "plain"
    assert csv_cell("=1") == "'=1" and csv_cell("＝1") == "'＝1"
    assert csv_cell("a=1") == "a=1"


def test_redaction() -> None:
    text = (
        "手机 13812345678, +86 139-1234-5678; 身份证 11010519491231002X; "
        "卡号 6222 0212 3456 7890 123; 客服 95188; 金额 12000"
    )
    assert redact(text) == (
        "手机 138****5678, 139****5678; 身份证 **************002X; "
        "卡号 ***************0123; 客服 95188; 金额 12000"
    )
    assert redact(None) is None


def test_export_json_markdown_redact_and_file(tmp_path: Path) -> None:
    add("--number", "13812345678", "--notes", "card 6222021234567890123, # heading")
    add("--platform", "jiebei", "--at", "2026-01-02 08:00")
    code, out, _ = run("log", "export", "--format", "json")
    data = json.loads(out)
    assert sorted(data) == [
        "count", "entries", "events", "events_count", "events_head", "exported_at",
        "fingerprint", "head_hash", "intact", "redacted", "schema_version", "seal",
        "unverifiable",
    ]  # fmt: skip
    assert data["count"] == 2 and data["schema_version"] == 3
    assert data["intact"] is True and data["head_hash"] == data["entries"][-1]["hash"]
    assert verify_chain(data["entries"]).intact  # anyone can recompute the chain from a copy
    code, out, _ = run("log", "export", "--format", "markdown", "--redact")
    assert "138\\*\\*\\*\\*5678" in out and "6222021234567890123" not in out
    assert "\\# heading" in out
    assert out.index("(#2)") < out.index("(#1)")  # a dated timeline: 2 happened first
    target = tmp_path / "log.csv"
    code, _, err = run("log", "export", "--format", "csv", "--redact", "--output", str(target))
    assert (code, err) == (0, f"Exported 2 entries to {target}\n")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf#,")
    assert (target.stat().st_mode & 0o777) == 0o600


def _tamper(sql: str) -> None:
    conn = sqlite3.connect(db_path())
    conn.execute("DROP TRIGGER contacts_no_update")
    conn.execute("DROP TRIGGER contacts_no_delete")
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_verify_intact_then_changed_then_export_check(tmp_path: Path) -> None:
    for _ in range(3):
        add()
    code, out, _ = run("log", "verify")
    assert code == 0 and out.startswith("The log is intact: 3 entries, last hash ")
    code, out, _ = run("log", "export", "--format", "json")
    saved = tmp_path / "export.json"
    saved.write_text(out, encoding="utf-8")
    code, out, _ = run("log", "verify", "--export", str(saved))
    assert code == 0
    _tamper("UPDATE contacts SET offered = 'waived all' WHERE id = 2")
    code, out, err = run("log", "verify")
    assert (code, out, err) == (
        1,
        "",
        "Error: entry #2 was changed after it was recorded: the log is not intact\n",
    )
    code, out, _ = run("log", "verify", "--json")
    assert code == 1
    assert json.loads(out) == {
        "schema_version": 1,
        "intact": False,
        "entries": 3,
        "head_hash": None,
        "problem": "changed",
        "entry_id": 2,
        "events": {  # the triggers the edit needed are gone: named beside the entry
            "intact": False, "count": 0, "problem": "schema_missing", "event_id": None,
            "kind": None, "ref": None, "name": "trigger contacts_no_delete",
        },
    }  # fmt: skip


def test_verify_names_a_removed_entry() -> None:
    for _ in range(3):
        add()
    _tamper("DELETE FROM contacts WHERE id = 3")
    code, _, err = run("log", "verify")
    assert (code, err) == (1, "Error: entry #3 was removed from the log: the log is not intact\n")


def test_done_closes_a_follow_up() -> None:
    add("--follow-up", "+3d")
    add()
    assert run("log", "done", "1")[:2] == (0, "Follow-up of entry #1 closed.\n")
    code, out, _ = run("log", "show", "1", "--json")
    assert json.loads(out)["entry"]["follow_up_done_at"] is not None
    assert run("log", "done", "2")[2] == "Error: entry 2 has no follow-up to close\n"


def test_attachment_is_recorded_with_its_hash(tmp_path: Path) -> None:
    evidence = tmp_path / "screenshot.png"
    evidence.write_bytes(b"png bytes")
    add("--attach", str(evidence))
    code, out, _ = run("log", "show", "1", "--json")
    (attached,) = json.loads(out)["entry"]["attachments"]
    assert attached == {
        "path": str(evidence.resolve()),
        "size": 9,
        "sha256": hashlib.sha256(b"png bytes").hexdigest(),
    }


def test_chinese_messages() -> None:
    code, out, _ = run("--lang", "zh", *BASE, "--outcome", "pending")
    assert (code, out) == (0, "已记录 #1。\n")
    code, _, err = run("--lang", "zh", "log", "show", "4")
    assert (code, err) == (2, "错误：没有编号为 4 的记录；'repaycli log list' 可查看编号\n")


# --- the database as the user meets it -------------------------------------------------------


def test_db_failures_are_one_line_and_leave_the_file_untouched() -> None:
    path = db_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all" * 10)
    code, out, err = run("log", "list")
    assert (code, out) == (1, "")
    assert err == (
        f"Error: {path} is not a repaycli database; it was left untouched "
        "(set REPAYCLI_HOME to use another folder)\n"
    )
    assert path.read_bytes() == b"not a database at all" * 10


def test_newer_database_is_refused_through_the_cli() -> None:
    add()
    conn = sqlite3.connect(db_path())
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db_path().read_bytes()
    code, _, err = run("log", "add", "--no-input", "--platform", "huabei")
    assert code == 1
    assert err == (
        f"Error: the database {db_path()} is from a newer repaycli (schema 99, this one knows "
        f"{store.SCHEMA_VERSION}); "
        "it was left untouched, upgrade repaycli\n"
    )
    assert db_path().read_bytes() == before


def test_db_path_and_backup(tmp_path: Path) -> None:
    add()
    code, out, _ = run("db", "path")
    assert (code, out) == (0, f"{db_path()}\n")
    target = tmp_path / "backup.sqlite3"
    code, out, _ = run("db", "backup", str(target))
    assert (code, out) == (0, f"Backup written to {target}\n")
    assert (target.stat().st_mode & 0o777) == 0o600
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    conn.close()
    code, _, err = run("db", "backup", str(target))
    assert (code, err) == (
        2,
        f"Error: {target} already exists; choose a new file name for the backup\n",
    )


# --- real processes ---------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [REPAYCLI, *args], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )


def test_installed_command_runs_and_prints_no_traceback() -> None:
    result = _cli("log", "show", "12")
    assert result.returncode == 2
    assert result.stderr == "Error: there is no log entry 12; 'repaycli log list' shows the ids\n"


@pytest.mark.slow
def test_concurrent_writers_lose_nothing() -> None:
    """Two rounds of 12 processes at once (the first round also races to create the file)."""
    rounds, width = 2, 12

    def one(i: int) -> subprocess.CompletedProcess[str]:
        return _cli(*BASE, "--outcome", "pending", "--notes", f"writer {i}")

    for r in range(rounds):
        with ThreadPoolExecutor(max_workers=width) as pool:
            results = list(pool.map(one, range(r * width, (r + 1) * width)))
        for result in results:
            assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db_path())
    notes = [n for (n,) in conn.execute("SELECT notes FROM contacts ORDER BY id")]
    conn.close()
    assert sorted(notes) == sorted(f"writer {i}" for i in range(rounds * width))
    verify = _cli("log", "verify")
    assert verify.returncode == 0 and f"intact: {rounds * width} entries" in verify.stdout


def test_show_and_list_never_cut_the_hash_or_notes_at_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    words = " ".join(f"word{i}" for i in range(40))
    add("--notes", words + " " + "x" * 70)
    entry = json.loads(run("log", "show", "1", "--json")[1])["entry"]
    code, out, _ = run("log", "show", "1")
    assert code == 0 and "…" not in out
    assert f"Hash (SHA-256): {entry['hash']}\n" in out  # whole, on its own line
    joined = "".join(out.split())
    assert "".join(words.split()) + "x" * 70 in joined.replace("│", "")
    code, out, _ = run("log", "list")  # piped: one line per entry, the notes whole
    assert code == 0 and "…" not in out
    assert out.splitlines()[1].split("\t")[-1] == words + " " + "x" * 70
    code, out, _ = run("log", "show", "1", "--lang", "zh")  # a wider label: the hash moves down
    assert code == 0 and f"哈希（SHA-256）:\n{entry['hash']}\n" in out


def test_newlines_in_notes_stay_readable() -> None:
    add("--notes", "line1\nline2\r\nline3 \x07bell")
    code, out, _ = run("log", "export", "--format", "markdown")
    assert "- **Notes**: line1  \n  line2  \n  line3 \\\\x07bell\n" in out
    assert "\\x0a" not in out and "\\x0d" not in out
    code, out, _ = run("log", "show", "1")
    assert "line1" in out and "\\x0a" not in out and "\\x0d" not in out
    assert [line for line in out.splitlines() if "line2" in line][0].split("│")[2].strip() == (
        "line2"
    )
    code, out, _ = run("log", "list")
    assert "line1 ↵ line2 ↵" in out and "\\x07bell" in out and "\\x0a" not in out


def test_redaction_keeps_reference_numbers_and_masks_landlines() -> None:
    assert redact("ref TK2026100112345678, 工单号A123456789012345678") == (
        "ref TK2026100112345678, 工单号A123456789012345678"
    )
    assert redact("card16 6225881234567890") == "card16 ************7890"
    assert (
        redact("座机 021-12345678，家 (0571) 8815 8090") == "座机 021-****5678，家 (0571) ****8090"
    )
    assert redact("客服 95188, 400-820-8820, 2026-11-21") == "客服 95188, 400-820-8820, 2026-11-21"


def test_verify_notices_a_changed_sort_time() -> None:
    add("--at", "2026-09-01 10:00")
    add("--at", "2026-09-02 10:00", "--follow-up", "2026-09-05")
    _tamper("UPDATE contacts SET at_utc = '2026-10-01T00:00:00+00:00' WHERE id = 2")
    code, out, err = run("log", "verify")
    assert (code, out, err) == (
        1,
        "",
        "Error: entry #2's stored UTC time (used for ordering and reminders) does not match its "
        "date and time: the log is not intact\n",
    )
    code, out, _ = run("log", "verify", "--json")
    data = json.loads(out)
    assert code == 1 and (data["problem"], data["entry_id"]) == ("time_changed", 2)
