"""Issue 22: the inputs an attack run found crashing or stalling, each through a real
``repaycli`` subprocess: exit 0, 1 or 2; on error one line; never a traceback."""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import invoke, repaycli_exe, run

SEED_PLAN = ["plan", "--no-input", "--platform", "huabei", "--overdue", "8000", "--income", "6000"]
SEED_AGREEMENT = ["agreement", "add", "--no-input", "--platform", "huabei", "--total", "1200",
                  "--periods", "3", "--first-due", "+1m"]  # fmt: skip


def one_line_or_success(done: subprocess.CompletedProcess[str], allowed: set[int]) -> None:
    shown = (done.returncode, done.stderr[-600:])
    assert done.returncode in allowed, shown
    assert "Traceback" not in done.stderr + done.stdout, shown
    if done.returncode != 0:
        message = done.stderr.rstrip("\n")
        assert message and "\n" not in message, shown
        assert message.startswith(("Error: ", "错误")), shown


# --- names far longer than any lender's ---------------------------------------------------------


def test_a_100k_character_platform_is_refused_without_comparing_it_letter_by_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import difflib

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a long name was compared letter by letter")

    monkeypatch.setattr(difflib, "SequenceMatcher", never)
    result = invoke("plan", "--no-input", "--no-save", "--platform", "huabay" * 20_000,
                    "--overdue", "8000", "--income", "6000")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown platform huabayhuabay")
    assert "(120000 characters)" in result.stderr and len(result.stderr) < 600
    # The stub is live: a short misspelling is compared, and meets it.
    near = invoke("plan", "--no-input", "--no-save", "--platform", "huabay",
                  "--overdue", "8000", "--income", "6000")  # fmt: skip
    assert isinstance(near.exception, AssertionError)


def test_a_short_misspelling_is_still_matched() -> None:
    near = invoke("plan", "--no-input", "--no-save", "--platform", "huabay",
                  "--overdue", "8000", "--income", "6000")  # fmt: skip
    assert near.exit_code == 2 and "did you mean: Huabei (Alipay)?" in near.stderr


def test_a_4_mb_debts_file_and_a_100k_platform_as_real_processes(tmp_path: Path) -> None:
    debts = tmp_path / "debts.toml"
    debts.write_text(f'[[debt]]\nplatform = "{"huabe" * 800_000}"\noverdue = 100\n')
    assert debts.stat().st_size > 3_900_000
    done = run("plan", "--no-input", "--no-save", "--debts", str(debts), "--income", "6000")
    one_line_or_success(done, {2})
    assert "… (4000076 characters)" in done.stderr and len(done.stderr) < 1000
    done = run("plan", "--no-input", "--no-save", "--platform", "x" * 100_000,
               "--overdue", "8000", "--income", "6000")  # fmt: skip
    one_line_or_success(done, {2})


# --- a rate whose interest outgrows the budget ------------------------------------------------


@pytest.mark.parametrize("rate", ["110%", "300%", "1000%"])
def test_plan_and_report_with_interest_above_the_budget(tmp_path: Path, rate: str) -> None:
    debts = tmp_path / "debts.toml"
    debts.write_text(
        'income = "3000"\nexpenses = "2000"\n[[debt]]\nplatform = "招行"\n'
        f'overdue = "50,000"\nannual_rate = "{rate}"\n'
        '[[debt]]\nplatform = "huabei"\noverdue = "3000"\n',
        encoding="utf-8",
    )
    done = run("plan", "--no-input", "--debts", str(debts))
    one_line_or_success(done, {0})
    flat = " ".join(done.stdout.split())  # the hardship route, in whatever words it takes
    assert "60 months" in flat and "12348" in flat
    page = tmp_path / "report.html"
    done = run("report", "--debts", str(debts), "-o", str(page))
    one_line_or_success(done, {0})
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- a hand-edited last-plan.json -------------------------------------------------------------

#: Values no plan writes, put in place of one field of a real saved plan.
ODD_VALUES = [None, -1, 10**30, "1e999", "NaN", "Infinity", "", "x" * 5000, [], {}, "9999-12-31",
              "0001-01-01", "2026-02-30", True, 2**63]  # fmt: skip


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _leaves(inner, (*path, index))
    return found


def test_hand_edited_saved_plans_give_one_line(_isolated: Path) -> None:
    """Fixed pseudo-random edits (a seed, not the clock) of every kind: each field of a real
    plan replaced by a value no plan writes, or removed; report, letter and offer run on each."""
    assert invoke(*SEED_PLAN).exit_code == 0
    saved = _isolated / "last-plan.json"
    original = json.loads(saved.read_text(encoding="utf-8"))
    paths = _leaves(original)
    rng = random.Random(22)
    commands = [
        ["report", "-o", str(_isolated / "r.html"), "--force"],
        ["letter"],
        ["letter", "--kind", "complaint"],
        ["offer", "--total", "1000", "--periods", "3"],
    ]
    for _ in range(120):
        plan = json.loads(json.dumps(original))
        where = rng.choice(paths)
        parent = plan
        for key in where[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.3:
            del parent[where[-1]]
        else:
            parent[where[-1]] = rng.choice(ODD_VALUES)
        saved.write_text(json.dumps(plan), encoding="utf-8")
        for args in commands:
            result = invoke(*args, input="")
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                where,
                repr(result.exception),
                args,
            )
            assert result.exit_code in (0, 1, 2), (where, result.output[-300:])
            if result.exit_code:
                assert "\n" not in result.stderr.rstrip("\n"), (where, result.stderr)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("proposals", 0, "down_payment"), "1e999"),
        (("proposals", 1, "schedule", 3, "due"), "9999-12-31"),
        (("ladder", "opening"), "NaN"),
        (("proposals", 1, "id"), "x" * 50),
    ],
)
def test_the_edits_that_crashed_report_and_letter(
    _isolated: Path, where: tuple[Any, ...], value: Any
) -> None:
    assert run(*SEED_PLAN).returncode == 0
    saved = _isolated / "last-plan.json"
    plan = json.loads(saved.read_text(encoding="utf-8"))
    parent = plan
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    saved.write_text(json.dumps(plan), encoding="utf-8")
    for args in (["report", "-o", str(_isolated / "r.html")], ["letter"]):
        one_line_or_success(run(*args), {0, 1, 2})


# --- environment and limits -------------------------------------------------------------------

LOG_ADD_ONE = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
               "--outcome", "pending"]  # fmt: skip
COMMANDS = [
    SEED_PLAN, SEED_AGREEMENT, LOG_ADD_ONE, ["log", "list"], ["log", "verify"], ["log", "export"],
    ["log", "fingerprint"], ["agreement", "list"], ["agreement", "show", "1"],
    ["pay", "1", "--no-input", "--amount", "100"], ["remind"], ["report", "-o", "-"], ["letter"],
    ["letter", "--kind", "complaint"], ["db", "path"],
    ["db", "backup", "/tmp/never-written.sqlite3"], ["platforms"],
]  # fmt: skip


def test_a_300_character_repaycli_home(tmp_path: Path) -> None:
    home = tmp_path / ("h" * 300)
    for args in COMMANDS:
        done = run(*args, env={"REPAYCLI_HOME": str(home)})
        one_line_or_success(done, {0, 1, 2})
        assert not Path("/tmp/never-written.sqlite3").exists()
    zh = run("log", "list", env={"REPAYCLI_HOME": str(home), "REPAYCLI_LANG": "zh"})
    assert zh.returncode == 2 and "太长" in zh.stderr and "REPAYCLI_HOME" in zh.stderr


@pytest.mark.parametrize("limit", [str(10**30), str(2**63), str(2**63 - 1)])
def test_log_list_with_a_limit_beyond_sqlite(limit: str) -> None:
    assert run(*SEED_PLAN).returncode == 0
    for _ in range(2):
        added = run("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
                    "--outcome", "pending")  # fmt: skip
        assert added.returncode == 0
    done = run("log", "list", "--json", "--limit", limit)
    one_line_or_success(done, {0})
    assert len(json.loads(done.stdout)["entries"]) == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pay_under_an_ascii_stdout_records_once_and_says_so(lang: str) -> None:
    assert run(*SEED_AGREEMENT).returncode == 0
    env = {"PYTHONIOENCODING": "ascii", "REPAYCLI_LANG": lang}
    done = run("pay", "1", "--no-input", "--amount", "100", env=env)
    one_line_or_success(done, {0})
    assert ("Payment #1 of \\xa5100.00" if lang == "en" else "\\u") in done.stdout
    shown = run("agreement", "show", "1", "--json")
    assert json.loads(shown.stdout)["agreement"]["paid"] == "100.00"  # recorded once
    for args in (["agreement", "list"], ["agreement", "show", "1"], ["platforms"], ["remind"]):
        one_line_or_success(run(*args, env=env), {0})


@pytest.mark.parametrize("args", [["-h"], ["--version"], ["plan", "-h"], ["--lang", "zh", "-h"]])
def test_help_and_version_on_a_full_stdout(args: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run([repaycli_exe(), *args], stdout=full, stderr=subprocess.PIPE,
                              text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "<stdout>" in done.stderr, done.stderr


# --- prompts: the end of input writes nothing -------------------------------------------------


@pytest.mark.parametrize("answers", ["", "huabei\n", "2026-12-02T10:00\nhuabei\nphone\n"])
def test_the_end_of_input_at_a_correction_records_nothing(answers: str) -> None:
    added = run("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
                "--outcome", "pending", "--notes", "the first call")  # fmt: skip
    assert added.returncode == 0, added.stderr
    done = run("log", "add", "--corrects", "1", input=answers)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "Error: the input ended before every question was answered; nothing was recorded "
        "(give the values as options with --no-input, or answer each question)"
    )
    listed = json.loads(run("log", "list", "--json").stdout)["entries"]
    assert [e["id"] for e in listed] == [1]
    # Entry 1 can still be corrected, once, with every answer given.
    fixed = invoke("log", "add", "--corrects", "1", "--no-input", "--notes", "the right notes")
    assert fixed.exit_code == 0, fixed.output
    again = invoke("log", "add", "--corrects", "1", input="")
    assert again.exit_code == 2 and "already corrected" in again.stderr


def test_a_new_entry_at_the_end_of_input_records_nothing() -> None:
    done = invoke("log", "add", input="huabei\n")
    assert done.exit_code == 2
    assert (
        not (Path(os.environ["REPAYCLI_HOME"]) / "repaycli.sqlite3").exists()
        or json.loads(invoke("log", "list", "--json").stdout)["entries"] == []
    )
    # The next command in the same process is not refused for it.
    ok = invoke("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
                "--outcome", "pending")  # fmt: skip
    assert ok.exit_code == 0, ok.output


# --- redaction: landlines hide at least four digits -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("02161234567", "021****4567"),  # was 0216***4567: three digits hidden
        ("021-61234567", "021-****4567"),
        ("010 6512 3456", "010 ****3456"),
        ("057188886666", "0571****6666"),
        ("0571-8888666", "0571-****666"),  # a 7-digit number keeps 3
        ("+86-21-61234567", "+86-21-****4567"),
    ],
)
def test_a_landline_hides_at_least_four_digits(typed: str, shown: str) -> None:
    from repaycli.core.evidence import redact

    assert redact(f"call {typed} today") == f"call {shown} today"


@given(
    area=st.sampled_from(["010", "021", "025", "0571", "0755", "0898"]),
    local=st.integers(min_value=2_000_000, max_value=99_999_999).map(str),
    sep=st.sampled_from(["", " ", "-"]),
)
def test_every_landline_hides_four_digits_or_more(area: str, local: str, sep: str) -> None:
    from repaycli.core.evidence import redact

    shown = redact(f"{area}{sep}{local}")
    assert shown is not None
    assert shown.count("*") >= 4, shown
    assert shown.startswith(area + sep)
