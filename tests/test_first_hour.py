"""Issue 24, the small frictions of a first hour: ``plan --details`` right after a plan shows that
plan; ``pay`` offers the only agreement and asks for the receipt; an unquoted ``4.5万`` in a debts
file is explained in the user's language with the fixed line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import invoke, run

TODAY = "2026-12-28"
#: The interview's answers: platform … reason, recovery date, income after it.
ANSWERS = "huabei\n8000\n5000\n3000\n30\n\n失业\n3个月后\n6000\n"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)


# --- plan --details / --format reuse the plan just saved ---------------------------------


def test_details_and_format_after_an_interview_show_that_plan_without_asking(
    _isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = invoke("plan", "--json", input=ANSWERS)
    assert first.exit_code == 0, first.output
    # days later, nothing typed in: the saved plan, as it was made (its dates too)
    monkeypatch.setenv("REPAYCLI_TODAY", "2027-01-05")
    again = invoke("plan", "--json", input="")
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout
    assert "Showing the plan saved on 2026-12-28" in again.stderr
    assert "Platform" not in again.stderr  # no question asked
    details = invoke("plan", "--details", input="")
    assert details.exit_code == 0, details.output
    assert "Huabei" in details.stdout and "2027-03-28" in details.stdout
    markdown = run("plan", "--format", "markdown", "--lang", "zh", input="")
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# ") and "花呗" in markdown.stdout
    assert "显示 2026-12-28 保存的方案" in markdown.stderr


def test_a_bare_plan_still_asks_and_flags_still_make_a_new_plan(_isolated: Path) -> None:
    assert invoke("plan", "--json", input=ANSWERS).exit_code == 0
    new = invoke("plan", "--platform", "jiebei", "--overdue", "2万", "--income", "5000",
                 "--json")  # fmt: skip
    assert json.loads(new.stdout)["debts"][0]["platform"] == "jiebei"
    bare = invoke("plan", input="")  # no --details, no --format: the interview, as before
    assert bare.exit_code == 2
    assert "Platform" in bare.stderr


# --- pay ---------------------------------------------------------------------------------


def _agreement(platform: str = "huabei") -> None:
    done = invoke("agreement", "add", "--no-input", "--platform", platform, "--total", "3000",
                  "--periods", "3", "--first-due", "下个月15号")  # fmt: skip
    assert done.exit_code == 0, done.output


def _payments() -> list[dict[str, object]]:
    listed = json.loads(invoke("agreement", "list", "--json").stdout)["agreements"]
    return [p for a in listed for p in a["payments"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pay_offers_the_only_agreement_and_asks_for_the_receipt(lang: str) -> None:
    _agreement()
    too_long = "x" * 201
    done = run("--lang", lang, "pay", input=f"\n500\n{too_long}\nALIPAY-20261228-001\n")
    assert done.returncode == 0, done.stderr
    shown = {
        "zh": ["还款记到协议 #1（花呗，尚欠 3,000.00 元）；协议编号 [1]", "还款凭证",
               "还款凭证请写在一行内，最多 200 个字符"],
        "en": ["The payment goes to agreement #1 (Huabei (Alipay), ¥3,000.00 still owed); "
               "agreement id [1]", "Receipt", "at most 200 characters"],
    }[lang]  # fmt: skip
    for part in shown:
        assert part in done.stderr
    assert done.stderr.count("还款凭证（" if lang == "zh" else "Receipt (") == 2  # asked again
    [payment] = _payments()
    assert payment["amount"] == "500.00" and payment["receipt"] == "ALIPAY-20261228-001"


@pytest.mark.parametrize("answer", ["\n", "不知道\n", "跳过\n", ""])
def test_the_receipt_may_be_skipped(answer: str) -> None:
    _agreement()
    done = invoke("pay", "--amount", "500", input="\n" + answer)
    assert done.exit_code == 0, done.output
    assert _payments()[0]["receipt"] is None


def test_pay_with_no_input_takes_the_only_agreement_and_asks_nothing() -> None:
    _agreement()
    done = invoke("pay", "--amount", "500", "--no-input")
    assert done.exit_code == 0, done.output
    assert done.stderr.startswith("The payment goes to agreement #1")
    assert "Receipt" not in done.stderr


def test_pay_with_several_agreements_lists_them_and_asks() -> None:
    _agreement()
    _agreement("jiebei")
    done = invoke("pay", "--amount", "500", input="7\n2\n\n")
    assert done.exit_code == 0, done.output
    assert "#1  Huabei" in done.stderr and "#2  Jiebei" in done.stderr
    assert "7 is not the id of an open agreement; choose from #1, #2" in done.stderr
    listed = json.loads(invoke("agreement", "list", "--json").stdout)["agreements"]
    assert [len(a["payments"]) for a in listed] == [0, 1]
    refused = invoke("pay", "--amount", "500", "--no-input")
    assert (refused.exit_code, refused.stderr.count("\n")) == (2, 1)
    assert "AGREEMENT_ID" in refused.stderr


def test_pay_without_any_agreement_says_how_to_make_one() -> None:
    done = invoke("--lang", "zh", "pay", "--amount", "500")
    assert done.exit_code == 2
    assert done.stderr == "错误：还没有未结清的协议；请先用 'repaycli agreement add' 登记协议\n"


# --- an unquoted 4.5万 in a debts file ----------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "错误：债务文件 {p} 第 5 行：4.5万 不能直接写（带“万”、逗号、% 的数字和文字都要"
               "加英文引号）；请改成：overdue = \"4.5万\"\n"),
        ("en", "Error: the debts file {p}, line 5: 4.5万 cannot stand bare (numbers with 万, "
               "commas or % and any words need double quotes); write it as: overdue = \"4.5万\"\n"),
    ],
)  # fmt: skip
def test_an_unquoted_amount_names_file_line_and_fix(
    tmp_path: Path, lang: str, expected: str
) -> None:
    debts = tmp_path / "debts.toml"
    debts.write_text('income = "9000"\n\n[[debt]]\nplatform = "花呗"\noverdue = 4.5万  # 逾期\n',
                     encoding="utf-8")  # fmt: skip
    done = run("--lang", lang, "plan", "--debts", str(debts))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == expected.format(p=debts)
    fixed = debts.read_text(encoding="utf-8").replace("4.5万", '"4.5万"')
    debts.write_text(fixed, encoding="utf-8")
    assert run("--lang", lang, "plan", "--debts", str(debts)).returncode == 0


# --- names, not ids; English plurals; the Ctrl keys ------------------------------------------


def test_chinese_schedules_and_month_columns_are_named_not_ided() -> None:
    """``share-35 的还款计划`` and a month table headed ``huabei | jiebei``: a reader knows the
    lenders and the kinds of plan by name (the id stays after it, for --proposal)."""
    import re

    done = run("--lang", "zh", "plan", "--debts", "examples/debts.toml", "--details",
               "--format", "markdown", env={"COLUMNS": "100"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    header = next(line for line in text.splitlines() if line.startswith("| 月份"))
    assert "花呗" in header and "招商银行信用卡" in header
    assert not re.search(r"\b(huabei|jiebei|zhaohang|weilidai)\b", header)
    assert not re.search(r"^[a-z]+-\d+ 的还款计划", text, re.M)
    assert re.search(r"^开口先提：[^\s（]+，逐期还款（方案编号 [a-z-]+-\d+）：$", text, re.M)
    single = run("--lang", "zh", "plan", "--platform", "zhaohang", "--overdue", "3万",
                 "--income", "5000", "--days-overdue", "100", "--details")  # fmt: skip
    assert "争取目标：减免罚息，逐期还款（方案编号 waive-" in single.stdout


def test_english_counts_one_in_the_singular() -> None:
    from helpers import LOG_ADD

    assert invoke(*LOG_ADD, "--outcome", "pending").exit_code == 0
    verified = invoke("log", "verify").stdout
    assert verified.startswith("The log is intact: 1 entry, last hash ")
    printed = invoke("log", "fingerprint").stdout
    assert "(1 log entry, 0 agreements" in printed and "entries" not in printed.splitlines()[0]
    assert invoke("log", "list").exit_code == 0
    from repaycli.i18n import catalogue, t

    assert t("call.kept", "en", count=1).startswith("1 offer kept")
    assert t("call.kept", "en", count=2).startswith("2 offers kept")
    assert t("remind.ics_written", "en", count=1, path="x.ics") == "Wrote 1 event to x.ics"
    assert not [v for v in catalogue("en").values() if "(s)" in v]


def test_reasons_are_words_in_english_and_still_read_back() -> None:
    result = invoke("plan", "--platform", "huabei", "--overdue", "8000", "--income", "5000",
                    "--reason", "bored")  # fmt: skip
    assert "income drop, family emergency, business failure" in result.stderr
    assert "income_drop" not in result.stderr
    ok = invoke("plan", "--platform", "huabei", "--overdue", "8000", "--income", "5000",
                "--reason", "income drop", "--json")  # fmt: skip
    assert json.loads(ok.stdout)["reason"] == "income_drop"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_call_screen_names_the_ctrl_keys(lang: str) -> None:
    from repaycli.i18n import t

    assert "Ctrl+S" in t("call.key.f10", lang)
    assert "Ctrl+T" in t("call.step.next", lang, n=1, total=5)
    assert "Ctrl+S" in t("call.step.all_done", lang, total=5)
    assert "Ctrl+S" in t("help.call._command", lang) and "Ctrl+O" in t("help.call._command", lang)


# --- the documents' debts files are ones the program reads ----------------------------------


@pytest.mark.parametrize("document", ["README.md", "docs/plan-debts-zh.md"])
def test_the_chinese_debts_file_examples_are_read_as_written(
    tmp_path: Path, document: str
) -> None:
    import re

    root = Path(__file__).resolve().parent.parent
    text = (root / document).read_text(encoding="utf-8")
    [example] = re.findall(r"```toml\n(.*?)```", text, re.S)
    debts = tmp_path / "我的欠款.toml"
    debts.write_text(example, encoding="utf-8")
    done = run("--lang", "zh", "plan", "--debts", str(debts), "--json")
    assert done.returncode == 0, done.stderr
    platforms = [d["platform"] for d in json.loads(done.stdout)["debts"]]
    assert platforms == ["huabei", "zhaohang"]
