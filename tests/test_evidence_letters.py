"""``letter --kind complaint|dispute|collection``: letters built from the call log, whose
timeline and hashes ``log verify`` confirms."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from helpers import LOG_ADD, run, run_in_process
from repaycli.paths import db_path


def _log(*extra: str) -> None:
    code, _, err = run_in_process(*LOG_ADD, *extra)
    assert code == 0, err


def _three_contacts() -> None:
    _log("--outcome", "refused", "--agent", "工号 1234", "--at", "2026-11-01 10:00")
    _log("--outcome", "agreed", "--agreed-terms", "12 期", "--at", "2026-11-05 10:00")
    _log("--outcome", "pending", "--notes", "called my mother", "--at", "2026-11-10 10:00")


def test_complaint_timeline_and_hashes_are_confirmed_by_log_verify(tmp_path: Path) -> None:
    _three_contacts()
    target = tmp_path / "complaint.md"
    result = run(
        "letter", "--kind", "complaint", "--platform", "花呗", "--details",
        "They called my mother after we agreed a plan.", "-o", str(target),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    letter = target.read_text(encoding="utf-8")
    assert letter.startswith("# Complaint\n")
    assert "12378" in letter and "They called my mother after we agreed a plan." in letter
    cited = dict(
        re.findall(r"^- #(\d+) .*?\n(?:  - .*\n)*?  - SHA-256: ([0-9a-f]{64})$", letter, re.M)
    )
    assert sorted(cited) == ["1", "2", "3"]
    for entry_id, digest in cited.items():
        shown = json.loads(run_in_process("log", "show", entry_id, "--json")[1])["entry"]
        assert shown["hash"] == digest
    (code,) = re.findall(r"`(\d+-\d+-[0-9a-f]{4}(?:-[0-9a-f]{4}){4})`", letter)
    checked = run_in_process("log", "verify", "--fingerprint", code)
    assert checked[0] == 0 and checked[1].splitlines()[-1] == (
        "The evidence as fingerprinted (3 log entries, 0 events) is still inside today's"
        " (3 entries, 0 events), unchanged."
    )
    # Contact #3 came after the agreement in #2: the letter says so.
    assert (
        "An agreement was reached with Huabei (Alipay) in contact #2 (5 November 2026, 10:00)"
        in letter
    )
    assert "art. 70" not in letter  # the credit-card rule: Huabei is not a card
    assert "\n- #3 10 November 2026, 10:00 (phone)\n" in letter
    again = run("letter", "--kind", "complaint", "-o", str(target))
    assert (again.returncode, again.stderr) == (
        2,
        f"Error: {target} already exists; choose another file or add --force to replace it\n",
    )


def test_dispute_in_chinese_states_the_20_day_rule() -> None:
    _three_contacts()
    code, out, err = run_in_process(
        "letter", "--kind", "dispute", "--lang", "zh", "--format", "text"
    )
    assert code == 0, err
    assert out.startswith("征信异议申请书\n\n致：中国人民银行征信中心\n")
    assert "\n一、事由\n" in out and "- #1 2026年11月1日 10:00，电话，被拒绝" in out
    assert "20 日内答复" in out and "第二十五条" in out
    assert "达成协议后的联系" not in out  # a dispute is about the record, not collection


def test_collection_letter_names_contact_after_the_agreement() -> None:
    _three_contacts()
    code, out, err = run_in_process("letter", "--kind", "collection")
    assert code == 0, err
    assert out.startswith("Letter about unlawful collection\n\n")  # plain text by default
    assert "- #3 10 November 2026, 10:00 (phone)" in out


def test_an_agreement_with_one_lender_does_not_make_anothers_calls_after_agreement() -> None:
    """Agreed with China Merchants Bank; Jiebei collects later: that call is not one that
    "should have stopped" under the agreement (art. 70 binds the bank that agreed)."""
    _three_contacts()  # a Huabei agreement on 5 November, Huabei's call on the 10th after it
    _log("--platform", "借呗", "--outcome", "pending", "--collection", "--at", "2026-11-12 10:00")
    code, out, err = run_in_process("letter", "--kind", "collection", input="花呗\n")
    assert code == 0, err
    assert "which one is this letter to?" in err  # two lenders: the letter asks which
    after = out.split("Contacts after the agreement", 1)[1].split("What I ask for", 1)[0]
    assert "#3 10 November 2026" in after
    assert "#4 " not in out  # Jiebei's contact is not in Huabei's letter at all
    code, out, err = run_in_process("letter", "--kind", "collection", input="借呗\n")
    assert code == 0, err
    assert "#4 12 November 2026" in out and "#3 " not in out
    assert "Contacts after the agreement" not in out


def test_a_letter_is_not_written_from_a_log_that_does_not_hold_up() -> None:
    _three_contacts()
    conn = sqlite3.connect(db_path())
    conn.execute("DROP TRIGGER contacts_no_update")
    conn.execute("UPDATE contacts SET notes = 'nothing happened' WHERE id = 3")
    conn.commit()
    conn.close()
    assert run_in_process("letter", "--kind", "complaint") == (
        1,
        "",
        "Error: entry #3 was changed after it was recorded: the log is not intact\n",
    )


def test_unknown_kind_and_an_empty_log() -> None:
    assert run_in_process("letter", "--kind", "threat") == (
        2,
        "",
        "Error: kind: threat is not one of: hardship, complaint, dispute, collection\n",
    )
    code, out, _ = run_in_process("letter", "--kind", "complaint")
    assert code == 0 and "(No contacts are logged yet.)" in out


def test_the_written_line_does_not_call_a_complaint_an_application(tmp_path: Path) -> None:
    """Review: ``letter --kind complaint -o`` said 申请书已写入 (application letter written)."""
    _three_contacts()
    target = tmp_path / "投诉.txt"
    result = run("--lang", "zh", "letter", "--kind", "complaint", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("投诉书\n")
    assert result.stderr == f"信已写入 {target}。发送前请手工填写【】中的内容。\n"
