"""The letter can be sent as it is: built for EVERY hardship reason × EVERY proposal kind the
engine makes (and the hardship route's pause), in both languages, and read for the faults a
lender's staff would notice (``letter_faults.faults``)."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from letter_faults import closing_mark, faults, parse_capital
from repaycli.cli import app
from repaycli.core.capital import capital_amount
from repaycli.core.models import Reason
from repaycli.core.proposals import ProposalKind

runner = CliRunner()
BASE = ["--overdue", "10000", "--principal", "9000", "--penalty", "600", "--days-overdue", "40"]
#: ``plan`` flags that make the engine produce each kind (the letter picks it with --proposal).
SCENARIOS: dict[str, list[str]] = {
    "loan": ["--platform", "jiebei", *BASE, "--income", "6000", "--expenses", "3000"],
    "cash_some": ["--platform", "jiebei", *BASE, "--income", "6000", "--expenses", "3000",
                  "--cash", "3000"],
    "cash_all": ["--platform", "jiebei", *BASE, "--income", "6000", "--expenses", "3000",
                 "--cash", "20000"],
    "card": ["--platform", "zhaohang", *BASE, "--income", "6000", "--expenses", "3000"],
    "recovery": ["--platform", "jiebei", *BASE, "--income", "3000", "--expenses", "2500",
                 "--recovery", "+4m", "--income-after", "8000"],
    "nothing": ["--platform", "zhaohang", "--overdue", "10000", "--income", "2000",
                "--expenses", "2500"],
}  # fmt: skip
REASONS: list[str | None] = [reason.value for reason in Reason] + [None]
#: The user's own account, with and without its closing mark, in each language.
DETAILS = {
    "zh": ["三月住院两周，出院后一直在家休养", "公司裁员，目前在找工作。", "收入减半，"],
    "en": ["I was in hospital for two weeks in March", "My employer closed.", "Income halved;"],
}


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-01-15")


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def saved_proposals(flags: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    invoke("plan", *flags)
    data = json.loads(Path(os.environ["REPAYCLI_HOME"], "last-plan.json").read_text("utf-8"))
    return data["proposals"], data["ladder"]


def check(text: str, lang: str, details: str | None, where: object) -> None:
    problems = faults(text, lang)
    if " / " in text.split("\n- #")[0]:  # the timeline quotes log field labels (工号 / ID)
        problems.append("an alternative with a slash left in")
    if details is not None:
        if closing_mark(details.rstrip("，；;,"), lang) not in text:
            problems.append(f"the user's text without its closing mark: {details!r}")
    assert not problems, (where, problems, text)


def test_every_reason_and_every_kind_in_both_languages() -> None:
    seen: set[tuple[str, bool]] = set()
    pauses = 0
    for name, flags in SCENARIOS.items():
        proposals, ladder = saved_proposals(flags)
        # A letter never asks for a payment the user cannot make: those are refused, in one line.
        for p in proposals:
            if not p["affordable"]:
                result = runner.invoke(app, ["letter", "--proposal", p["id"]])
                assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, p["id"]
        written = [p for p in proposals if p["affordable"]]
        targets: list[str | None] = [p["id"] for p in written]
        if ladder.get("hardship"):
            targets.append(None)  # no --proposal: the letter asks for the hardship route's pause
        for target in targets:
            for i, reason in enumerate(REASONS):
                for lang in ("zh", "en"):
                    details = DETAILS[lang][i % 3] if i % 4 else None
                    args = ["letter", "--lang", lang, "--since", "2025-11-01"]
                    args += ["--proposal", target] if target else []
                    args += ["--reason", reason] if reason else []
                    args += ["--details", details] if details else []
                    text = invoke(*args)
                    check(text, lang, details, (name, target, reason))
                    if target is None:
                        assert ("暂停还款" if lang == "zh" else "pause repayments") in text
                        pauses += 1
        for p in written:
            seen.add((p["kind"], bool(p["interest_free"])))
    kinds = {kind for kind, _ in seen}
    assert kinds == {kind.value for kind in ProposalKind}, kinds
    assert {("installments", True), ("installments", False)} <= seen
    assert {("card_personalised", True), ("card_personalised", False)} <= seen
    assert pauses == 2 * len(REASONS)


def test_custom_plans_from_flags_read_as_well() -> None:
    """``--periods`` / ``--payment`` without a saved plan, with unknown facts left as
    placeholders, and a plan worked out from --income (the engine's opening)."""
    for lang in ("zh", "en"):
        for extra in (["--periods", "1"], ["--periods", "7"], ["--payment", "800"],
                      ["--income", "9000", "--expenses", "3000"],
                      ["--income", "3000", "--expenses", "3000"],
                      ["--income", "0", "--expenses", "2500"],
                      ["--income", "5000", "--expenses", "0"]):  # fmt: skip
            text = invoke("letter", "--lang", lang, "--overdue", "5000.50", *extra)
            check(text, lang, None, extra)


def test_the_details_get_a_full_stop_in_the_right_script() -> None:
    zh = invoke("letter", "--lang", "zh", "--overdue", "5000", "--periods", "5",
                "--details", "3月起停薪留职  ")  # fmt: skip
    assert "3月起停薪留职。" in zh
    en = invoke("letter", "--overdue", "5000", "--periods", "5", "--details", "Laid off in May,")
    assert "Laid off in May." in en
    mixed = invoke("letter", "--overdue", "5000", "--periods", "5", "--details", "我在住院")
    assert "我在住院。" in mixed  # Chinese text in an English letter still ends with 。
    asked = invoke("letter", "--overdue", "5000", "--periods", "5", "--details", "Why me?")
    assert "Why me?\n" in asked and "Why me?." not in asked


def test_markdown_on_request_has_headings_and_keeps_the_wording() -> None:
    args = ["letter", "--lang", "zh", "--overdue", "5000", "--periods", "5"]
    plain = invoke(*args)
    markdown = invoke(*args, "--format", "markdown")
    assert markdown.startswith("# 协商还款申请书")
    assert "\n## 四、还款方案\n" in markdown
    assert faults(markdown, "zh", plain=False) == []
    assert re.sub(r"\\$|^#+ ", "", markdown, flags=re.M) == plain


def test_a_paragraph_is_one_line() -> None:
    """Not hard-wrapped: a chat box, e-mail or word processor flows it to its own width, so a
    number or a date is never split by a line break the letter put in."""
    text = invoke("letter", "--lang", "zh", "--overdue", "10500", "--periods", "12",
                  "--income", "6000", "--expenses", "4200")  # fmt: skip
    plan = next(line for line in text.splitlines() if line.startswith("　　本人申请将欠款分12期"))
    assert plan.endswith("。每期金额在本人按目前收支每月能够坚持偿还的范围之内。")
    assert "最后一期于2027年1月15日还清" in plan


# --- the capital form --------------------------------------------------------------------------

#: The examples of the People's Bank of China's rules for writing amounts on vouchers
#: (《正确填写票据和结算凭证的基本规定》), in the forms those rules allow, plus edge cases.
VECTORS = {
    "1409.50": "壹仟肆佰零玖元伍角",
    "6007.14": "陆仟零柒元壹角肆分",
    "1680.32": "壹仟陆佰捌拾元叁角贰分",
    "107000.53": "壹拾万柒仟元伍角叁分",
    "16409.02": "壹万陆仟肆佰零玖元零贰分",
    "325.04": "叁佰贰拾伍元零肆分",
    "12000": "壹万贰仟元整",
    "10500": "壹万零伍佰元整",
    "15": "壹拾伍元整",
    "100700": "壹拾万零柒佰元整",
    "10000100": "壹仟万零壹佰元整",
    "100000000": "壹亿元整",
    "100000001": "壹亿零壹元整",
    "0.50": "伍角",
    "0.05": "伍分",
    "0": "零元整",
    "1000000.01": "壹佰万元零壹分",
}


@pytest.mark.parametrize(("figure", "capital"), VECTORS.items())
def test_capital_vectors(figure: str, capital: str) -> None:
    assert capital_amount(Decimal(figure)) == capital
    assert parse_capital(capital) == Decimal(figure)


@given(st.integers(min_value=0, max_value=10**13 - 1))
def test_capital_round_trip(fen: int) -> None:
    value = Decimal(fen) / 100
    text = capital_amount(value)
    assert parse_capital(text) == value
    assert "零零" not in text and not re.search(r"零[元万亿角分]", text.replace("零元整", ""))
    assert text.endswith("整") == (fen % 100 == 0)
    assert not re.search(r"(^|[^壹贰叁肆伍陆柒捌玖])[拾佰仟]", text)  # 壹拾, never a bare 拾


# --- the reader itself finds what the old letter had --------------------------------------------

OLD_ZH = """# 协商还款申请书

自 2026-09-15 起，本人因病（或受伤）无法正常工作。3月住院
本人申请仅偿还本金 9,000.00 元，分 6 期按月偿还，每期 ¥1,500.00，
首期于 2027-01-01，最后一期于 2027-09-01，减免利息和罚息。
并减免罚息和费用（¥0.00 元）。$asks None
"""


def test_the_reader_finds_every_old_fault() -> None:
    found = "\n".join(faults(OLD_ZH, "zh"))
    for fault in ("ISO date", "markdown heading", "template alternative '（或'", "'$'", "'None'",
                  "an amount of 0.00", "old style", "no verb after 首期于 2027-01-01",
                  "no verb after 最后一期于 2027-09-01", "verbless fragment",
                  "amounts not in the capital form"):  # fmt: skip
        assert fault in found, fault
    assert faults("人民币壹万元整（¥10,001.00）", "zh") == [
        "capital 壹万元整 reads 10000, figure says 10001.00"
    ]
    assert faults("I propose 12 payments, the first on 1 May 2026, the last on 1 June", "en")
    assert faults("本人申请于2026年1月1日偿还人民币壹万元整（¥10,000.00）。", "zh") == []


# --- the evidence letters (letter --kind) ------------------------------------------------------

LOG_ADD = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"]


@pytest.mark.parametrize("kind", ["complaint", "dispute", "collection"])
def test_every_evidence_letter_reads_as_sent(kind: str) -> None:
    empty = {lang: invoke("letter", "--kind", kind, "--lang", lang) for lang in ("zh", "en")}
    invoke(*LOG_ADD, "--outcome", "refused", "--agent", "A-1234", "--at", "2026-01-02 10:00")
    invoke(*LOG_ADD, "--outcome", "agreed", "--agreed-terms", "12 x 500", "--at",
           "2026-01-05 09:30")  # fmt: skip
    invoke(*LOG_ADD, "--outcome", "pending", "--notes", "called my sister", "--at",
           "2026-01-10 18:05")  # fmt: skip
    for lang in ("zh", "en"):
        details = DETAILS[lang][0]
        text = invoke("letter", "--kind", kind, "--lang", lang, "--details", details)
        check(text, lang, details, kind)
        check(empty[lang], lang, None, (kind, "empty log"))
        if lang == "zh":
            assert "日期：2026年1月15日" in text and "- #2 2026年1月5日 09:30，电话，已达成" in text
            assert "\n一、事由\n" in text and "约定的条件：12 x 500" in text
        else:
            assert "Date: 15 January 2026" in text and "- #2 5 January 2026, 09:30 — phone" in text
        markdown = invoke("letter", "--kind", kind, "--lang", lang, "--format", "markdown")
        assert markdown.startswith("# ") and "\n## " in markdown


def test_the_format_follows_an_md_output_file(tmp_path: Path) -> None:
    args = ["letter", "--overdue", "5000", "--periods", "5", "--lang", "zh"]
    invoke(*args, "-o", str(tmp_path / "a.md"))
    invoke(*args, "-o", str(tmp_path / "a.txt"))
    invoke(*args, "-o", str(tmp_path / "b.md"), "--format", "text")
    assert (tmp_path / "a.md").read_text("utf-8").startswith("# 协商还款申请书")
    assert (tmp_path / "a.txt").read_text("utf-8").startswith("协商还款申请书")
    assert (tmp_path / "b.md").read_text("utf-8") == (tmp_path / "a.txt").read_text("utf-8")
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and "--force" in result.stderr
    invoke(*args, "--payment", "2500", "-o", str(tmp_path / "a.txt"), "--force")
    assert "每期人民币贰仟伍佰元整（¥2,500.00）" in (tmp_path / "a.txt").read_text("utf-8")


def test_real_subprocess_writes_a_sendable_chinese_letter(tmp_path: Path) -> None:
    """The installed ``repaycli`` under a Chinese locale, from a saved plan, as a user runs it."""
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("repaycli")
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "REPAYCLI_TODAY": "2026-01-15"}
    env.pop("REPAYCLI_LANG", None)

    def run(*args: str) -> str:
        done = subprocess.run([str(exe), *args], capture_output=True, env=env, timeout=60,
                              check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode("utf-8")

    run("plan", *SCENARIOS["recovery"])
    text = run("letter", "--proposal", "step-7", "--reason", "medical", "--details",
               "三月住院两周")  # fmt: skip
    check(text, "zh", "三月住院两周", "subprocess")
    assert "本人申请在收入恢复前每月偿还人民币贰佰伍拾元整（¥250.00）" in text
    assert "预计收入恢复后，自2026年5月15日起每月能够用于还款的金额约" in text
    pause = run("letter", "--income", "0")
    check(pause, "zh", None, "subprocess pause")
    assert "恳请贵司暂停还款、罚息和催收" in pause


# --- the letter's words ------------------------------------------------------------------------


@given(st.text(min_size=1, max_size=40), st.sampled_from(["zh", "en"]))
def test_closed_ends_every_sentence_and_keeps_the_users_words(text: str, lang: str) -> None:
    from repaycli.render.letter_words import closed

    body = text.rstrip()
    done = closed(text, lang)
    if not body:
        assert done == ""
        return
    assert done.rstrip("”’\"'）)」』】]")[-1:] in set("。！？!?.…")
    if done != body:  # a mark was added (or an open comma replaced by it), nothing else changed
        assert done[:-1] in (body, body[:-1]) and done[-1] in "。."
        wide = unicodedata.east_asian_width(body[-1]) in ("W", "F")
        assert (done[-1] == "。") == (lang == "zh" or wide)


def test_dates_and_times_as_letters_write_them() -> None:
    from datetime import date

    from repaycli.render.letter_words import day, moment, months

    assert day(date(2026, 9, 5), "zh") == "2026年9月5日"
    assert day(date(2026, 9, 5), "en") == "5 September 2026"
    assert moment("2026-11-21T14:30:00+08:00", "zh") == "2026年11月21日 14:30"
    assert moment("2026-11-21T14:30:00+08:00", "en") == "21 November 2026, 14:30"
    assert (months(1, "en"), months(3, "en"), months(3, "zh")) == ("1 month", "3 months", "3个月")


def test_a_plan_paying_less_than_the_balance_says_the_rest_is_asked_to_be_waived() -> None:
    zh = invoke("letter", "--lang", "zh", "--overdue", "10000", "--periods", "5", "--payment",
                "1000")  # fmt: skip
    check(zh, "zh", None, "less")
    assert "还清，并恳请贵司减免其余欠款共人民币伍仟元整（¥5,000.00）。" in zh
    en = invoke("letter", "--overdue", "10000", "--periods", "5", "--payment", "1000")
    assert "and ask you to waive the remaining ¥5,000.00 of the balance." in en
    exact = invoke("letter", "--overdue", "5000", "--periods", "5", "--payment", "1000")
    assert "waive the remaining" not in exact
