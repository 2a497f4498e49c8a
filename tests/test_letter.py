"""``repaycli letter``: every required part, in both languages, from flags or the saved plan."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from repaycli.catalog import load_checklist
from repaycli.cli import app
from repaycli.core.checklist import documents_for
from repaycli.core.letter import UNFILLED, custom_plan, fill_template
from repaycli.core.models import Reason
from repaycli.errors import Failure
from repaycli.render.letter import load_template

runner = CliRunner()
FLAGS = [
    "letter", "--platform", "zhaohang", "--overdue", "10500", "--principal", "10000",
    "--days-overdue", "40", "--income", "6000", "--expenses", "4200", "--reason", "medical",
    "--since", "2025-11-01", "--periods", "12",
]  # fmt: skip

#: What each required part looks like, per language, for the FLAGS letter.
PARTS = {
    "en": {
        "title": "Hardship letter",
        "writer": "[Your name]",
        "id": "[ID number]",
        "phone": "[Phone number]",
        "lender": "To: CMB credit card",
        "debt": "overdue with a balance of ¥10,500.00",
        "principal": "about ¥10,000.00 is principal",
        "days": "overdue for 40 days",
        "what_when": "Since 1 November 2025, illness",
        "income": "monthly income is now about ¥6,000.00",
        "expenses": "about ¥4,200.00",
        "disposable": "which leaves about ¥1,800.00 a month.",
        "limit": "I can reliably keep up about ¥900.00 a month in repayments",
        "affordable": "This is what my budget allows me to keep up every month.",
        "plan": "12 monthly installments of ¥875.00, ¥10,500.00 in total",
        "first_last": "the first on 15 February 2026 and the last on 15 January 2027",
        "penalty_waiver": "Waive the penalty interest",
        "interest_freeze": "Freeze interest",
        "no_reporting": "Report no further overdue (negative) records",
        "written": "Confirm the agreed plan in writing",
        "commitment": "I will pay every installment of the agreed plan",
        "documents": "\n7. Documents attached\n",
        "medical_doc": "diagnosis and hospital records",
        "signature": "[Signature]",
        "date": "Date: 15 January 2026",
    },
    "zh": {
        "title": "协商还款申请书",
        "writer": "【姓名】",
        "id": "【身份证号】",
        "phone": "【联系电话】",
        "lender": "致：招商银行信用卡客户服务中心",
        "debt": "欠款金额为人民币壹万零伍佰元整（¥10,500.00）",
        "principal": "其中本金约人民币壹万元整（¥10,000.00）",
        "days": "已逾期40天",
        "what_when": "自2025年11月1日起，本人因伤病",
        "income": "每月收入约人民币陆仟元整（¥6,000.00）",
        "expenses": "必要支出（房租、水电、餐饮、交通、赡养等）约人民币肆仟贰佰元整（¥4,200.00）",
        "disposable": "收支相抵后每月结余约人民币壹仟捌佰元整（¥1,800.00）",
        "limit": "其中每月能够稳定用于还款的金额约人民币玖佰元整（¥900.00）",
        "affordable": "每期金额在本人按目前收支每月能够坚持偿还的范围之内",
        "plan": "分12期按月偿还，每期人民币捌佰柒拾伍元整（¥875.00），"
        "合计人民币壹万零伍佰元整（¥10,500.00）",
        "first_last": "首期于2026年2月15日还款，最后一期于2027年1月15日还清",
        "penalty_waiver": "减免逾期以来产生的罚息、违约金",
        "interest_freeze": "停止计收利息（停息）",
        "no_reporting": "不再向征信系统报送新的逾期（不良）记录",
        "written": "以书面形式",
        "commitment": "承诺按照达成的方案按期足额还款",
        "documents": "\n七、附件材料\n",
        "medical_doc": "诊断证明、住院记录",
        "signature": "申请人（签名）：【签名】",
        "date": "日期：2026年1月15日",
    },
}


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-01-15")


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def run_error(*args: str, code: int = 2) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def assert_filled(text: str) -> None:
    assert not UNFILLED.search(text), UNFILLED.search(text)
    assert not re.search(r"\{[a-z_]+\}", text), "an unformatted catalogue placeholder"
    assert "\n\n\n" not in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_letter_from_flags_has_every_part(lang: str) -> None:
    text = run(*FLAGS, "--lang", lang)
    for name, part in PARTS[lang].items():
        assert part in text, name
    assert_filled(text)


def test_every_reason_lists_its_documents_in_both_languages() -> None:
    source = load_checklist()
    for lang in ("en", "zh"):
        for reason in Reason:
            args = ["letter", "--overdue", "3000", "--payment", "500", "--reason", reason.value]
            text = run(*args, "--lang", lang)
            docs = documents_for(source, reason, lang)
            assert len(docs) > len(documents_for(source, None, lang))
            for n, doc in enumerate(docs, 1):
                assert f"{n}. {doc}" in text, (lang, reason, doc)
            assert_filled(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unknown_facts_become_placeholders_never_inventions(lang: str) -> None:
    text = run("letter", "--overdue", "5000", "--payment", "800", "--lang", lang)
    expected = {
        "en": ["[lender's name]", "Since [date it started]", "[describe the hardship]",
               "[In one or two sentences", "[monthly income]", "[essential expenses]"],
        "zh": ["【贷款机构名称】", "自【困难开始日期】起", "【请写明困难原因】",
               "【请用一两句话说明具体经过】", "【月收入】", "【必要支出】"],
    }[lang]  # fmt: skip
    for part in expected:
        assert part in text, part
    assert re.search(r"(last installment is ¥|最后一期为人民币贰佰元整（¥)200\.00", text)
    assert_filled(text)


# --- from the saved plan -----------------------------------------------------------------------


def schedule(n: int, amount: str, first: date, last_amount: str | None = None) -> list[Any]:
    from repaycli.core.dates import monthly_due_dates

    dues = monthly_due_dates(first, n)
    rows = [{"n": i + 1, "due": d.isoformat(), "amount": amount} for i, d in enumerate(dues)]
    if last_amount is not None:
        rows[-1]["amount"] = last_amount
    return rows


def proposal(pid: str, kind: str, n: int, payment: str, total: str, **extra: Any) -> Any:
    rows = schedule(n, payment, date(2026, 2, 15))
    return {"id": pid, "kind": kind, "platform": "huabei", "periods": n, "payment": payment,
            "total": total, "apr_percent": "0.00", "apr_compound_percent": "0.00",
            "affordable": True, "schedule": rows, **extra}  # fmt: skip


PLAN: dict[str, Any] = {
    "schema_version": 1,
    "as_of": "2026-01-15",
    "debts": [{"platform": "huabei", "platform_name": "Huabei", "overdue": "6000.00",
               "principal": "5600.00", "days_overdue": 35}],
    "affordability": {"limit": "900.00", "basis": "disposable", "income": "5000.00",
                      "expenses": "3200.00", "disposable": "1800.00"},
    "proposals": [
        proposal("inst-12-free", "installments", 12, "500.00", "6000.00"),
        proposal("principal-12", "principal_only", 12, "466.67", "5600.00"),
        proposal("defer-2m-12", "deferral", 12, "500.00", "6000.00", deferral_months=2),
        proposal("lump-sum", "lump_sum", 1, "5600.00", "5600.00"),
        proposal("card-24", "card_personalised", 24, "250.00", "6000.00"),
    ],
    "ladder": {"opening": "principal-12", "target": "inst-12-free", "walk_away_monthly": "900"},
    "reason": "unemployment",
    "recovery": "2026-04-01",
    "cash": "6000.00",  # what the lump sum is paid from: a letter never asks it from income
}  # fmt: skip


def save_plan(data: dict[str, Any] | str) -> Path:
    home = Path(os.environ["REPAYCLI_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    path = home / "last-plan.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_letter_from_saved_plan_uses_the_opening() -> None:
    """The ladder's opening is the user's ask (the letter asks for interest to be frozen)."""
    save_plan(PLAN)
    text = run("letter")
    for part in ("To: Huabei", "balance of ¥6,000.00", "about ¥5,600.00 is principal",
                 "overdue for 35 days", "I have been out of work", "around 1 April 2026",
                 "about ¥5,000.00", "about ¥3,200.00", "about ¥1,800.00",
                 "keep up about ¥900.00 a month",
                 "repay the principal of ¥5,600.00 in 12 monthly installments of ¥466.67",
                 "termination letter", "job-search record"):  # fmt: skip
        assert part in text, part
    assert_filled(text)
    zh = run("letter", "--lang", "zh")
    assert "致：花呗客户服务中心" in zh  # the catalogue's name in the letter's language
    assert "解除劳动合同证明" in zh


@pytest.mark.parametrize(
    ("pid", "en", "zh"),
    [
        ("principal-12", "repay the principal of ¥5,600.00 in 12",
         "仅偿还本金人民币伍仟陆佰元整（¥5,600.00）"),
        ("defer-2m-12", "a deferral of 2 months, then 12", "延期2个月还款"),
        ("lump-sum", "single payment of ¥5,600.00 on 15 February 2026",
         "一次性偿还人民币伍仟陆佰元整（¥5,600.00）"),
        ("card-24", "article 70", "第七十条"),
    ],
)
def test_every_proposal_kind(pid: str, en: str, zh: str) -> None:
    save_plan(PLAN)
    for lang, part in (("en", en), ("zh", zh)):
        text = run("letter", "--proposal", pid, "--lang", lang)
        assert part in text, (lang, pid)
        assert_filled(text)


def test_flags_override_the_saved_plan() -> None:
    save_plan(PLAN)
    text = run("letter", "--payment", "700", "--income", "5500", "--reason", "medical")
    assert "9 monthly installments of ¥700.00, ¥6,000.00 in total" in text
    assert "about ¥5,500.00" in text and "illness" in text
    assert "The last installment is ¥400.00." in text


def test_saved_plan_problems() -> None:
    assert run_error("letter") == (
        "Error: no saved plan: run 'repaycli plan' first, or give --overdue with --periods or "
        "--payment"
    )
    save_plan(PLAN)
    assert run_error("letter", "--proposal", "inst-99") == (
        "Error: the plan has no proposal inst-99; choose one of: inst-12-free, "
        "principal-12, defer-2m-12, lump-sum, card-24"
    )
    path = save_plan('{"debts": "oops"}')
    line = run_error("letter", code=1)
    assert line.startswith(f"Error: the saved plan {path} cannot be used (")
    save_plan("\x00 not json")
    assert run_error("letter", code=1).startswith("Error: the saved plan")


# --- formats, output and safety ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_format_has_no_markdown(lang: str) -> None:
    text = run(*FLAGS, "--lang", lang)
    assert text == run(*FLAGS, "--format", "text", "--lang", lang)  # text is the default
    assert not any(line.startswith("#") for line in text.splitlines())
    assert PARTS[lang]["writer"] in text
    assert_filled(text)


def test_user_text_is_literal() -> None:
    details = "Hospitalised in *May*, see [here](http://x) $title \x1b[31m"
    markdown = run(*FLAGS, "--details", details, "--format", "markdown")
    assert r"Hospitalised in \*May\*, see \[here\](http://x) $title \\x1b\[31m." in markdown
    text = run(*FLAGS, "--details", details)
    assert "Hospitalised in *May*, see [here](http://x) $title \\x1b[31m." in text
    assert "\x1b" not in text and "\x1b" not in markdown
    # the user's "$title" was not read as template syntax: the real title appears once
    assert markdown.count("Hardship letter: request") == 1


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    result = runner.invoke(app, [*FLAGS, "--lang", "zh", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert str(target) in result.stderr
    assert "【姓名】" in target.read_text(encoding="utf-8")


def test_output_file_that_cannot_be_written(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "letter.md"
    line = run_error(*FLAGS, "--output", str(target))
    assert line == f"Error: cannot write {target}: No such file or directory"
    assert run_error(*FLAGS, "--output", str(tmp_path)).startswith(
        f"Error: cannot write {tmp_path}"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "Error: format: pdf is not one of: text, markdown"),
        (["--reason", "bored"], "Error: hardship reason: bored is not one of: medical, "
         "unemployment, income drop, family emergency, business failure, oversight, other"),
        (["--periods", "0"], "Error: periods: 0 must be between 1 and 60"),
        (["--since", "someday"], "Error: date the hardship began: someday is not a date; use "
         "YYYY-MM-DD (2026-12-01) or today, tomorrow, +3d, +2w, +1m"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(args: list[str], message: str) -> None:
    assert run_error(*FLAGS, *args) == message


def test_bad_flag_only_input() -> None:
    assert run_error("letter", "--overdue", "-5", "--periods", "3") == (
        "Error: overdue amount: -5 is negative; give the amount as a positive number such as 8000"
    )
    assert run_error("letter", "--overdue", "100000", "--payment", "1") == (
        "Error: --payment 1.00 would take more than 60 months; propose a larger payment"
    )
    assert run_error("letter", "--overdue", "1000") == (
        "Error: to work out a plan from --overdue, give --income (and --expenses); or say what "
        "you propose with --periods or --payment"
    )
    zh = run_error("letter", "--lang", "zh", "--overdue", "1000")
    assert zh.endswith(
        "要按 --overdue 算出方案，请给出 --income（和 --expenses）；或者用 --periods 或 --payment "
        "说明你的方案"
    )


# --- the templates and their filling -----------------------------------------------------------


def test_templates_use_the_same_placeholders() -> None:
    from repaycli.core.letter import template_names

    names = {"title", "platform", "date", "debt", "hardship", "finances", "plan", "documents",
             "asks", "commitment"}  # fmt: skip
    assert template_names(load_template("en")) == names
    assert template_names(load_template("zh")) == names


def test_fill_template_refuses_a_missing_value() -> None:
    with pytest.raises(Failure):
        fill_template("Dear $name, $missing", {"name": "x"})
    assert fill_template("a $x\n\n\n\nb", {"x": "$y"}) == "a $y\n\nb\n"


def test_custom_plan_adds_up() -> None:
    plan = custom_plan(Decimal("1000"), periods=3, payment=None, first_due=date(2026, 1, 31))
    assert (plan.payment, plan.last_amount, plan.total) == (
        Decimal("333.33"),
        Decimal("333.34"),
        Decimal("1000.00"),
    )
    assert (plan.first_due, plan.last_due) == (date(2026, 1, 31), date(2026, 3, 31))


def test_catalogues_complete() -> None:
    from repaycli.i18n import _flatten

    def keys(lang: str) -> set[str]:
        folder = resources.files("repaycli.i18n").joinpath(lang)
        return set(_flatten(tomllib.loads(folder.joinpath("letter.toml").read_text("utf-8"))))

    assert keys("en") == keys("zh")


def test_real_subprocess(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("repaycli")
    env = {**os.environ, "REPAYCLI_LANG": "zh"}
    done = subprocess.run(
        [str(exe), *FLAGS, "--format", "text"], capture_output=True, env=env, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8")
    assert "协商还款申请书" in out and "【姓名】" in out
    assert_filled(out)


# --- review fixes ------------------------------------------------------------------------------


def test_zero_income_asks_for_a_pause_not_a_payment() -> None:
    """With no capacity the letter asks for a pause and says when the user will write again;
    it never asks for payments of 0.00 (or any payment)."""
    text = run("letter", "--overdue", "3000", "--income", "0", "--format", "text")
    assert "I have no income at present, and essential monthly expenses" in text
    assert "I have nothing left each month to repay with at present." in text
    assert (
        "I cannot pay anything at present. I ask you to pause repayments, penalties and "
        "collection for 3 months; I will write to you again by 15 April 2026"
    ) in text
    assert not re.search(r"¥0\.00\b", text) and "installments of" not in text
    assert_filled(text)
    zh = run("letter", "--lang", "zh", "--overdue", "3000", "--income", "0")
    assert "恳请贵司暂停还款、罚息和催收3个月；本人将在2026年4月15日前再次书面联系贵司" in zh
    # a payment the user cannot make is refused, naming the way out
    assert run_error("letter", "--overdue", "3000", "--periods", "6", "--income", "0") == (
        "Error: that plan asks for 500.00 a month, above the 0.00 you can keep up; leave out "
        "--periods, --payment and --proposal and the letter asks for a pause instead"
    )


def test_situation_flags_work_out_the_plan() -> None:
    """--overdue with --income (no saved plan): the engine's opening is the letter's plan, and
    --proposal picks another of its proposals."""
    args = ["letter", "--platform", "jiebei", "--overdue", "10000", "--income", "3000",
            "--expenses", "2000", "--format", "text"]  # fmt: skip
    text = run(*args)
    # 20 × 500 would ask more a month than the target (24 × 499.24 at 18 %): the interest-free
    # opening stretches to 21 months of 476.19 (the last 476.20), no dearer.
    assert (
        "I propose to repay in 21 monthly installments of ¥476.19 free of interest, ¥10,000.00 in "
        "total, the first on 15 February 2026 and the last on 15 October 2027."
    ) in text
    text = run(*args, "--proposal", "inst-24")
    assert "24 monthly installments of ¥499.24, ¥11,981.78 in total" in text
    assert run_error(*args, "--proposal", "inst-12").startswith(
        "Error: the plan has no proposal inst-12; choose one of: "
    )


def test_platform_is_resolved_through_the_catalogue() -> None:
    args = ["letter", "--overdue", "3000", "--periods", "6"]
    assert run_error(*args, "--platform", "hauebi") == (
        "Error: unknown platform hauebi; did you mean: Huabei (Alipay)? ('repaycli platforms' "
        "lists all)"
    )
    save_plan(PLAN)
    assert run_error("letter", "--platform", "hauebi").startswith("Error: unknown platform")
    assert "To: Huabei" in run(*args, "--platform", "花呗")
    # 'other' names no lender: the placeholder is left for the user to fill in
    assert "To: [lender's name]" in run(*args, "--platform", "other")


def test_another_lender_never_gets_the_saved_plans_figures() -> None:
    """The saved plan is Huabei's: a letter to China Merchants Bank with Huabei's balance,
    days and schedule would be wrong on every line, so it is refused with the two ways out."""
    save_plan(PLAN)
    assert run_error("letter", "--platform", "招商银行") == (
        "Error: the saved plan is for Huabei (Alipay), not CMB credit card: run 'repaycli plan "
        "--platform zhaohang' first, or give --overdue (and --income) to write to CMB credit card"
    )
    assert run_error("letter", "--platform", "招商银行", "--lang", "zh").startswith(
        "错误：保存的计划是花呗的，不是招商银行信用卡的；"
    )
    assert "To: Huabei" in run("letter", "--platform", "huabei")
    text = run("letter", "--platform", "招商银行", "--overdue", "18500", "--income", "2000")
    assert "CMB" in text and "¥18,500.00" in text and "¥6,000.00" not in text


def test_a_saved_plan_from_a_newer_repaycli_is_a_failure() -> None:
    path = save_plan({"schema_version": 99})
    assert run_error("letter", code=1) == (
        f"Error: the saved plan {path} was written by a newer repaycli (schema 99); update "
        "repaycli or run 'repaycli plan' again"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_plan_above_the_limit_is_refused(lang: str) -> None:
    """A letter never asks for a payment the user cannot make: it names a length that fits."""
    args = ["letter", "--platform", "zhaohang", "--overdue", "10500", "--income", "6000",
            "--expenses", "4200", "--periods", "2", "--lang", lang]  # fmt: skip
    message = {
        "en": "Error: that plan asks for 5,250.00 a month, above the 900.00 you can keep up; a "
        "letter never asks for more than you can pay: --periods 12 would fit, or leave out "
        "--periods and --payment and it is worked out",
        "zh": "错误：这个方案每月要还 5,250.00 元，超过你每月能坚持的 900.00 元；申请书不会提出你还不起的"
        "金额：--periods 12 可以在限额以内，或者不填 --periods 和 --payment，让程序算出方案",
    }[lang]
    assert run_error(*args) == message
    text = run(*args[:-4], "--periods", "12", "--lang", lang)
    claim = {"en": "This is what my budget allows", "zh": "能够坚持偿还的范围之内"}[lang]
    assert claim in text
    assert_filled(text)


def test_a_custom_plan_on_the_saved_plan_is_checked_against_its_limit() -> None:
    save_plan({**PLAN, "affordability": {**PLAN["affordability"], "limit": "1250.00"}})
    result = runner.invoke(app, ["letter", "--periods", "6"])  # 6,000 / 6 = 1,000: fits
    assert result.exit_code == 0 and result.stderr == ""
    assert "This is what my budget allows" in result.stdout
    assert run_error("letter", "--periods", "4").startswith(  # 1,500 > 1,250
        "Error: that plan asks for 1,500.00 a month, above the 1,250.00 you can keep up"
    )
    # income lower than the plan's: the limit is worked out again from the flags
    assert run_error("letter", "--periods", "6", "--income", "4000").startswith(
        "Error: that plan asks for 1,000.00 a month, above the 400.00 you can keep up"
    )  # 50 % of (4,000 - 3,200)


def test_without_income_no_budget_claim_is_made() -> None:
    text = run("letter", "--overdue", "3000", "--periods", "6")
    assert "This is what my budget allows" not in text
    assert "[amount you can pay every month]" in text


def test_chinese_lists_use_chinese_punctuation() -> None:
    assert run_error(*FLAGS, "--lang", "zh", "--format", "pdf") == (
        "错误：格式：pdf 不在可选项中：text、markdown"
    )
    save_plan(PLAN)
    assert run_error("letter", "--lang", "zh", "--proposal", "inst-99") == (
        "错误：方案里没有 inst-99；可选：inst-12-free、principal-12、defer-2m-12、lump-sum、"
        "card-24"
    )


def test_output_file_is_private_and_written_in_one_step(tmp_path: Path) -> None:
    """The letter holds personal data: a new file is 0600, and no temporary file is left."""
    target = tmp_path / "letter.md"
    result = runner.invoke(app, [*FLAGS, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["letter.md"]
    result = runner.invoke(app, [*FLAGS, "--lang", "zh", "--output", str(target)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：{target} 已存在；请换一个文件名，或加 --force 覆盖\n",
    )  # issue 12: an existing letter is replaced only with --force
    result = runner.invoke(app, [*FLAGS, "--lang", "zh", "--output", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert "【姓名】" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["letter.md"]


def test_a_small_limit_that_clears_nothing_asks_for_a_pause_without_saying_nothing() -> None:
    """Income 2,000, expenses 1,800: the finances paragraph says 100.00 a month can be paid;
    18,500 needs more than that over 60 months, so a pause is asked for, in words that do not
    contradict the paragraph before (a bank reader would stop at "cannot pay anything")."""
    args = ["letter", "--overdue", "18500", "--income", "2000", "--expenses", "1800"]
    text = run(*args)
    assert "about ¥100.00 a month" in text
    assert "cannot pay anything" not in text
    assert "would not clear this debt within 60 months. I ask you to pause" in text
    zh = run(*args, "--lang", "zh")
    assert "约人民币壹佰元整（¥100.00）" in zh and "无力偿还任何款项" not in zh
    assert "不足以在60期内还清欠款，恳请贵司暂停还款" in zh
    assert_filled(text)


def test_new_income_on_a_saved_plan_works_the_plan_out_again() -> None:
    """A saved plan made at income 6,000; the letter written after losing that income asks for
    a pause, not for the saved plan's payments."""
    result = runner.invoke(app, ["plan", "--platform", "jiebei", "--overdue", "10000",
                                 "--income", "6000", "--expenses", "2000"])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = run("letter", "--income", "0", "--format", "text")
    assert "I cannot pay anything at present." in text
    assert "Pause repayments for 3 months" in text


def test_a_saved_deferral_under_a_zero_limit_is_proposed_not_replaced_by_a_pause() -> None:
    result = runner.invoke(app, ["plan", "--platform", "jiebei", "--overdue", "10000",
                                 "--income", "0", "--expenses", "3000", "--recovery", "+6w",
                                 "--income-after", "6000"])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = run("letter", "--format", "text")
    assert "I propose a deferral of 1 month, then" in text
    assert "Every installment is within what my budget allows in its month (after the" in text
    flags = run("letter", "--overdue", "10000", "--income", "0", "--expenses", "3000",
                "--recovery", "+6w", "--income-after", "6000", "--format", "text")  # fmt: skip
    assert "I propose a deferral of 1 month, then" in flags


def test_a_letter_never_proposes_more_than_60_months() -> None:
    assert run_error("letter", "--overdue", "10000", "--payment", "100") == (
        "Error: --payment 100.00 would take more than 60 months; propose a larger payment"
    )
