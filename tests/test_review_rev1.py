"""Defects found by the review of issues 22–25 on the merged main, each pinned by the command a
user would run."""

from __future__ import annotations

import json

import pytest

from helpers import invoke

TODAY = "2026-12-07"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [60, 80])
def test_agreement_show_prints_each_receipt_whole(lang: str, width: int) -> None:
    """An imported bill's order numbers are the receipts; at 80 columns they were cut to
    '202612092200140001111111…', which made three receipts look the same."""
    added = invoke("agreement", "add", "--no-input", "--platform", "huabei", "--total", "3000",
                   "--periods", "3", "--first-due", "2026-11-10")  # fmt: skip
    assert added.exit_code == 0, added.output
    receipts = ["2026110922001400011111111111", "2026120622001400011111111112"]
    for day, receipt in zip(["2026-11-09", "2026-12-06"], receipts, strict=True):
        paid = invoke("pay", "1", "--no-input", "--amount", "1000", "--date", day,
                      "--receipt", receipt)  # fmt: skip
        assert paid.exit_code == 0, paid.output
    shown = invoke("agreement", "show", "1", env={"REPAYCLI_LANG": lang, "COLUMNS": str(width)})
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    for receipt in receipts:
        assert any(receipt in line for line in lines), shown.output
    title = "还款记录" if lang == "zh" else "Payments"
    payments = shown.output[shown.output.index(title) :]  # the payments table and after
    assert "…" not in payments, shown.output


SENT = [("12月1日", "2026-12-01"), ("Dec 1", "2026-12-01"), ("15号", "2026-11-15")]
SENT += [("today", TODAY)]


@pytest.mark.parametrize(("sent", "expected"), SENT)
def test_a_complaint_sent_without_a_year_was_sent_this_year(sent: str, expected: str) -> None:
    """'12月1日' on 7 December is last week, not next year: the complaint was recorded as sent
    on 2027-12-01, and remind watched an answer date a year away."""
    made = invoke("log", "complaint", "--platform", "花呗", "--sent", sent, "--json")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["complaint"]["sent_on"] == expected


def test_a_complaint_sent_in_the_future_is_refused() -> None:
    made = invoke("log", "complaint", "--platform", "花呗", "--sent", "2027-01-05",
                  env={"REPAYCLI_LANG": "zh"})  # fmt: skip
    assert made.exit_code == 2, made.output
    assert "Traceback" not in made.output and "2027-01-05" in made.output
    assert invoke("remind", "--json").stdout.count('"sent_on"') == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unanswered_complaint_without_a_reference_names_no_reference(lang: str) -> None:
    """Without --ref the escalation line said '并报上编号 无' / 'quoting reference none': it told
    the user to quote a reference they do not have. English lines also began in lower case."""
    made = invoke("log", "complaint", "--platform", "花呗", "--sent", "2026-11-01")
    assert made.exit_code == 0, made.output
    made = invoke("log", "complaint", "--platform", "借呗", "--sent", "2026-12-01", "--ref", "T9")
    assert made.exit_code == 0, made.output
    shown = invoke("remind", env={"REPAYCLI_LANG": lang, "COLUMNS": "200"}).output
    lines = [line for line in shown.splitlines() if "12378" in line or "T9" in line]
    assert len(lines) == 2, shown
    unanswered = next(line for line in lines if "12378" in line)
    assert "无" not in unanswered and "none" not in unanswered, shown
    assert "T9" in next(line for line in lines if "12378" not in line)
    assert all(line[0].isupper() or not line[0].isascii() for line in lines), shown


def test_an_english_letter_cites_one_contact_in_the_singular() -> None:
    """'demand to pay into a personal account (contacts #10)': one entry, written as several."""
    logged = invoke("log", "collection", "--no-input", "--platform", "招商银行信用卡",
                    "--at", "2026-12-03 10:00", "--said", "转账到个人账户",
                    "--threat", "personal_account")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    letter = invoke("letter", "--kind", "complaint", "--platform", "招商银行信用卡", "--no-input",
                    env={"REPAYCLI_LANG": "en"})  # fmt: skip
    assert letter.exit_code == 0, letter.output
    assert "(contact #1)" in letter.output and "contacts #1)" not in letter.output, letter.output


@pytest.mark.parametrize("when", ["12月4日 23:30", "12月4号 23:30", "Dec 4 23:30", "上周五 23:30"])
def test_a_contact_time_takes_a_date_as_people_write_it_and_a_clock_time(when: str) -> None:
    """'12月4日 23:30' was refused ('不是时间') though '12月4日' and '23:30' each were taken: a
    night call had to be typed as 2026-12-04 23:30."""
    logged = invoke("log", "collection", "--no-input", "--platform", "花呗", "--at", when,
                    "--json", env={"TZ": "Asia/Shanghai"})  # fmt: skip
    assert logged.exit_code == 0, logged.output
    assert json.loads(logged.stdout)["entry"]["at"].startswith("2026-12-04T23:30")
