"""``repaycli log add``: what it refuses (a contact in the future, a follow-up before the
contact) and how it keeps typed text exactly as typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import LOG_ADD, add_entry, run_in_process

BASE = LOG_ADD
run = run_in_process
add = add_entry


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--at", "+3d"], "Error: date and time: +3d is in the future; log a contact once it has "
         "happened"),
        (["--at", "2030-01-01"], "Error: date and time: 2030-01-01 is in the future; log a "
         "contact once it has happened"),
        (["--at", "2026-01-20 10:00", "--follow-up", "2026-01-10"], "Error: follow-up date: "
         "2026-01-10 is before the contact (2026-01-20); give a later date"),
    ],
)  # fmt: skip
def test_future_contact_and_follow_up_before_contact_are_refused(
    args: list[str], line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-11-21")
    code, out, err = run(*BASE, "--outcome", "pending", *args)
    assert (code, out, err) == (2, "", line + "\n")
    assert json.loads(run("log", "list", "--json")[1])["entries"] == []
    # a contact a moment ago (clock skew between devices) and a follow-up that same day are fine
    add("--at", "now", "--follow-up", "today")


def test_done_on_a_corrected_entry_closes_its_latest_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-11-21")
    add("--at", "2026-11-20 10:00", "--follow-up", "2026-11-22", "--follow-up-action", "call")
    add("--platform", "jiebei", "--at", "2026-11-19 10:00")
    code, _, err = run("log", "add", "--no-input", "--corrects", "1", "--follow-up", "2026-11-23")
    assert code == 0, err
    assert "call" in run("remind", "--as-of", "2026-11-23")[1]
    assert run("log", "done", "1")[:2] == (
        0,
        "Follow-up of entry #3 closed (it is the latest version of entry #1).\n",
    )
    assert run("remind", "--as-of", "2026-11-23") == (0, "", "")
    assert run("log", "done", "3")[:2] == (0, "Follow-up of entry #3 closed.\n")


@pytest.mark.parametrize(
    ("args", "code", "out", "err"),
    [
        (["log", "list"], 0, "No log entries yet. Record one with 'repaycli log add'.\n", ""),
        (["log", "list", "--json"], 0, '{\n  "schema_version": 1,\n  "entries": []\n}\n', ""),
        (["log", "verify"], 0, "There is nothing to verify: no log entries yet.\n", ""),
        (["log", "show", "1"], 2, "", "Error: there is no log entry 1; 'repaycli log list' "
         "shows the ids\n"),
        (["log", "done", "1"], 2, "", "Error: there is no log entry 1; 'repaycli log list' "
         "shows the ids\n"),
        (["agreement", "list"], 0, "No agreements yet. Record one with 'repaycli agreement "
         "add'.\n", ""),
        (["agreement", "show", "1"], 2, "", "Error: there is no agreement 1; 'repaycli agreement "
         "list' shows the ids\n"),
        (["pay", "1", "--amount", "5"], 2, "", "Error: there is no agreement 1; 'repaycli "
         "agreement list' shows the ids\n"),
        (["db", "backup", "copy.sqlite3"], 2, "", "Error: there is no database yet (nothing has "
         "been recorded); nothing to back up\n"),
    ],
)  # fmt: skip
def test_read_only_commands_do_not_create_a_database(
    args: list[str], code: int, out: str, err: str, tmp_path: Path
) -> None:
    from repaycli.paths import db_path

    args = [str(tmp_path / a) if a.endswith(".sqlite3") else a for a in args]
    assert run(*args) == (code, out, err)
    assert not db_path().exists() and not db_path().parent.exists()


def test_export_without_a_database_is_empty(tmp_path: Path) -> None:
    from repaycli.paths import db_path

    code, out, _ = run("log", "export", "--format", "json")
    assert code == 0 and json.loads(out)["entries"] == []
    code, out, _ = run("log", "export", "--format", "csv")
    assert code == 0 and out.startswith("#,Date and time,")
    code, out, _ = run("log", "export")
    assert code == 0 and "0 entries" in out
    code, out, _ = run("log", "verify", "--json")
    assert code == 0 and json.loads(out)["intact"] is True
    assert not db_path().exists() and not db_path().parent.exists()


def test_list_says_when_nothing_matches_the_filters() -> None:
    add("--at", "2026-10-05 10:00")
    code, out, _ = run("log", "list", "--since", "2026-10-10", "--until", "2026-10-01")
    assert (code, out) == (0, "No log entries match these filters.\n")


def test_verify_export_reads_a_bom_and_explains_that_only_json_can_be_checked(
    tmp_path: Path,
) -> None:
    add()
    code, out, _ = run("log", "export", "--format", "json")
    with_bom = tmp_path / "e.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + out.encode("utf-8"))
    assert run("log", "verify", "--export", str(with_bom))[0] == 0
    for fmt in ("csv", "markdown"):
        target = tmp_path / f"e.{fmt}"
        assert run("log", "export", "--format", fmt, "-o", str(target))[0] == 0
        code, out, err = run("log", "verify", "--export", str(target))
        assert (code, out, err) == (
            2,
            "",
            f"Error: {target} is not a JSON export; only an export made with "
            "'repaycli log export --format json' can be checked\n",
        )


def test_export_does_not_overwrite_a_file_without_force(tmp_path: Path) -> None:
    add()
    target = tmp_path / "existing.json"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = run("log", "export", "--format", "json", "-o", str(target))
    assert (code, out, err) == (
        2,
        "",
        f"Error: {target} already exists; choose another file or add --force to replace it\n",
    )
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run("log", "export", "--format", "json", "-o", str(target), "--force")[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["entries"][0]["id"] == 1


def test_help_examples_are_accepted() -> None:
    code, out, _ = run("log", "add", "--help")
    assert "95188" not in out
    add("--platform", "花呗")


def test_typed_text_is_stored_exactly_and_csv_keeps_tabs() -> None:
    import csv
    import io

    add("--notes", "  two spaces\n\tline2  ", "--agent", "   ", "--ref", "\tTK1")
    entry = json.loads(run("log", "show", "1", "--json")[1])["entry"]
    assert entry["notes"] == "  two spaces\n\tline2  "
    assert entry["agent"] is None  # all whitespace: nothing given
    assert entry["ref"] == "\tTK1"
    code, out, _ = run("log", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["Notes"] == "  two spaces\n\tline2  "
    assert rows[0]["Reference number"] == "'\tTK1"  # formula-safe by the prefix, tab kept
