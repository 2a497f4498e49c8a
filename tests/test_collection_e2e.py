"""Issue 23 end to end, through the installed ``repaycli``: an SMS logged, the conduct check,
the complaint, its answer's deadline in ``remind``, and the next step once it has passed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from helpers import run
from repaycli.paths import db_path


def at(day: str, *args: str) -> str:
    done = run(*args, env={"REPAYCLI_TODAY": day})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sms_to_complaint_to_12378(tmp_path: Path) -> None:
    sms = "【XX法院】你已被立案，再不还款将上门并通知你的家人"
    out = at(
        "2026-12-02", "--lang", "zh", "log", "collection", "--no-input", "--platform", "花呗",
        "--at", "2026-12-01T23:10+08:00", "--number", "10690001", "--said", sms,
        "--threat", "冒充", "--threat", "家人", "--asked", "请停止联系我家人",
    )  # fmt: skip
    assert out == "已记录第 1 条（短信，花呗）。\n"

    flags = json.loads(at("2026-12-02", "log", "conduct", "--json"))["flags"]
    assert [(f["day"], f["kind"], f["detail"], f["entries"]) for f in flags] == [
        ("2026-12-01", "night", "23:10", [1]),
        ("2026-12-01", "threat", "third_party", [1]),
        ("2026-12-01", "threat", "impersonation", [1]),
    ]
    assert {r["applies"] for f in flags for r in f["rules"]} == {"if"}  # 花呗 is no bank card

    target = tmp_path / "complaint.txt"
    at("2026-12-02", "--lang", "zh", "letter", "--kind", "complaint", "--platform", "花呗",
       "--no-input", "-o", str(target))  # fmt: skip
    letter = target.read_text(encoding="utf-8")
    assert letter.splitlines()[2] == "致：花呗客户投诉部门"
    assert sms in letter and "10690001" in letter and "请停止联系我家人" in letter
    assert "repaycli" not in letter and "【机构名称】" not in letter

    out = at("2026-12-02", "log", "complaint", "--platform", "花呗", "--ref", "TS-2026-0042",
             "--sent", "2026-12-02")  # fmt: skip
    assert out == (
        "Recorded complaint #1 to Huabei (Alipay), sent 2026-12-02: the answer is due by "
        "2026-12-17.\n"
    )
    at("2026-12-02", "log", "complaint", "--platform", "花呗", "--kind", "dispute",
       "--ref", "ZX-7", "--sent", "2026-12-02")  # fmt: skip

    due = at("2026-12-10", "remind")
    assert (
        "complaint to Huabei (Alipay) (ref. TS-2026-0042): the answer is due by 2026-12-17." in due
    )
    assert (
        "credit-report dispute to Huabei (Alipay) (ref. ZX-7): the answer is due by 2026-12-22."
        in due
    )
    assert "12378" not in due

    on_the_day = at("2026-12-17", "remind")
    assert "12378" not in on_the_day  # due by the 17th: not late yet

    late = at("2026-12-18", "--lang", "zh", "remind")
    assert (
        "花呗的投诉（编号 TS-2026-0042）在 2026-12-17 前未获答复：可拨打 12378 向金融监管总局投诉，"
        "并报上编号 TS-2026-0042。"
    ) in late
    assert "ZX-7" in late
    later = json.loads(at("2026-12-23", "remind", "--json"))["complaints"]
    assert [(c["reference"], c["overdue"], c["next_step"]) for c in later] == [
        ("TS-2026-0042", True, "12378"),
        ("ZX-7", True, "12363"),
    ]

    verified = at("2026-12-23", "log", "verify")
    assert "1 entry," in verified and "2 events" in verified


def test_an_edited_complaint_shows_in_log_verify() -> None:
    at("2026-12-02", "log", "complaint", "--platform", "花呗", "--ref", "TS-1")
    conn = sqlite3.connect(db_path())
    conn.execute("DROP TRIGGER complaints_no_update")
    conn.execute("UPDATE complaints SET answer_due = '2027-06-01'")
    conn.commit()
    conn.close()
    done = run("log", "verify", env={"REPAYCLI_TODAY": "2026-12-02"})
    assert done.returncode == 1
    assert "complaint" in done.stderr


@pytest.mark.parametrize(
    ("extra", "due"),
    [((), "2026-12-16"), (("--complex",), "2026-12-31"), (("--kind", "dispute"), "2026-12-21")],
)
def test_answer_deadlines(extra: tuple[str, ...], due: str) -> None:
    out = at("2026-12-01", "log", "complaint", "--platform", "借呗", "--sent", "2026-12-01",
             "--json", *extra)  # fmt: skip
    assert json.loads(out)["complaint"]["answer_due"] == due
