"""Complaints that can be sent as they are (issue 23, part 3): read in both languages, for
every kind, with one and with several lenders in the log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import run_in_process
from repaycli.catalog import read_source
from repaycli.i18n import t

RULES = read_source("conduct_rules.toml")["rule"]
KINDS = ("complaint", "dispute", "collection")
NAMES = {
    "zh": {"huabei": "花呗", "gonghang": "工商银行信用卡", "jiebei": "借呗"},
    "en": {
        "huabei": "Huabei (Alipay)",
        "gonghang": "ICBC credit card",
        "jiebei": "Jiebei (Alipay)",
    },
}
#: Which entries each lender's letter may show (ids as logged below).
OWN = {"huabei": {1, 2}, "gonghang": {3, 4}, "jiebei": {5, 6}}


def log(*args: str) -> None:
    code, _, err = run_in_process("log", "add", "--no-input", *args)
    assert code == 0, err


def three_lenders(tmp_path: Path) -> Path:
    shot = tmp_path / "催收短信截图.png"
    shot.write_bytes(b"\x89PNG screenshot")
    log("--platform", "花呗", "--channel", "短信", "--outcome", "被威胁",
        "--at", "2026-11-26T12:00+08:00", "--number", "10690001", "--claims", "法院",
        "--said", "【XX法院】你已被立案，再不还款就联系你家人", "--threat", "冒充",
        "--threat", "家人", "--asked", "请停止联系我家人", "--attach", str(shot))  # fmt: skip
    log("--platform", "花呗", "--channel", "电话", "--outcome", "待定",
        "--at", "2026-11-27T10:00+08:00")  # fmt: skip
    log("--platform", "工商银行信用卡", "--channel", "来电", "--outcome", "no_answer",
        "--at", "2026-11-24T23:40+08:00", "--number", "95588123")  # fmt: skip
    log("--platform", "工商银行信用卡", "--channel", "联系第三方", "--outcome", "received",
        "--at", "2026-11-25T14:00+08:00", "--third-party", "妹妹", "--number", "95588123",
        "--asked", "不要再打给我妹妹")  # fmt: skip
    log("--platform", "借呗", "--channel", "电话", "--outcome", "agreed",
        "--at", "2026-11-20T10:00+08:00", "--agreed-terms", "分 12 期")  # fmt: skip
    log("--platform", "借呗", "--channel", "来电", "--outcome", "received",
        "--at", "2026-11-28T09:00+08:00")  # fmt: skip
    return shot


def letter(lang: str, kind: str, platform: str | None) -> str:
    args = ["--lang", lang, "letter", "--kind", kind, "--no-input"]
    if platform is not None:
        args += ["--platform", platform]
    code, out, err = run_in_process(*args)
    assert code == 0, err
    return out


def cited_rules_are_in_the_catalogue(text: str, lang: str) -> None:
    label = t("eletter.rule", lang)
    texts = {r[f"text_{lang}"] for r in RULES if r["confidence"] != "?"}
    for line in text.splitlines():
        if label in line:
            assert any(rule in line for rule in texts), line
    sources = " ".join(r[f"source_{lang}"] for r in RULES if r["confidence"] != "?")
    if lang == "zh":
        for title in re.findall(r"《[^》]+》(?:第[一二三四五六七八九十百]+条)?", text):
            assert title in sources, title
    else:
        for article in re.findall(r"art\. \d+", text):
            assert article in sources, article
    for rule in RULES:
        if rule["confidence"] == "?":
            assert rule[f"source_{lang}"] not in text


def no_command_line(text: str) -> None:
    assert "repaycli" not in text and "--" not in text
    assert "log verify" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("platform", ["huabei", "gonghang", "jiebei"])
def test_a_letter_about_one_of_several_lenders(
    tmp_path: Path, lang: str, kind: str, platform: str
) -> None:
    shot = three_lenders(tmp_path)
    text = letter(lang, kind, platform)
    names = NAMES[lang]
    assert names[platform] in text
    if kind != "dispute":  # a dispute goes to the credit bureau, about the lender
        assert text.splitlines()[2] == t(f"eletter.{kind}.to_lender", lang, lender=names[platform])
    shown = {int(i) for i in re.findall(r"^- #(\d+) ", text, re.M)}
    assert shown == OWN[platform]
    for other, name in names.items():
        if other != platform:
            assert name not in text
    # nothing the log holds is left as a placeholder
    assert t("eletter.lender_any", lang) not in text
    assert "【机构名称】" not in text and "[lender" not in text
    no_command_line(text)
    cited_rules_are_in_the_catalogue(text, lang)
    if platform == "huabei":
        assert "10690001" in text and "【XX法院】你已被立案，再不还款就联系你家人" in text
        assert "请停止联系我家人" in text
        assert shot.name in text
        assert t("eletter.complaint.facts_placeholder", lang) not in text
        if kind != "dispute":
            assert t("threat.impersonation", lang) in text
            assert "card_art68" not in text
            assert ("第六十八条" if lang == "zh" else "art. 68") not in text  # 花呗 is no card
            assert ("第七十条" if lang == "zh" else "art. 70") not in text
            assert t("eletter.rule_if", lang, lender=names["huabei"], who="")[:4] in text
    if platform == "gonghang" and kind != "dispute":
        assert "95588123" in text and "妹妹" in text and "不要再打给我妹妹" in text
        assert ("第六十八条" if lang == "zh" else "art. 68") in text  # a bank's card
        assert t("conduct.night", lang, times="23:40") in text
    if platform == "jiebei" and kind != "dispute":  # agreed in #5, collected in #6
        assert "#5" in text and "#6" in text
        assert ("第七十条" if lang == "zh" else "art. 70") not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_letter_with_one_lender_in_the_log_needs_no_platform(
    tmp_path: Path, lang: str, kind: str
) -> None:
    log("--platform", "工商银行信用卡", "--channel", "来电", "--outcome", "no_answer",
        "--at", "2026-11-24T23:40+08:00", "--number", "95588123")  # fmt: skip
    text = letter(lang, kind, None)
    assert NAMES[lang]["gonghang"] in text
    assert {int(i) for i in re.findall(r"^- #(\d+) ", text, re.M)} == {1}
    assert "95588123" in text and t("eletter.lender_any", lang) not in text
    no_command_line(text)
    cited_rules_are_in_the_catalogue(text, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_several_lenders_without_platform_refused_under_no_input(tmp_path: Path, lang: str) -> None:
    three_lenders(tmp_path)
    code, out, err = run_in_process("--lang", lang, "letter", "--kind", "complaint", "--no-input")
    names = t("list_sep", lang).join(NAMES[lang][p] for p in ("huabei", "gonghang", "jiebei"))
    assert (code, out) == (2, "")
    assert (
        err == t("err.prefix", lang) + t("err.letter_several_platforms", lang, names=names) + "\n"
    )


def test_several_lenders_without_platform_asks_which(tmp_path: Path) -> None:
    three_lenders(tmp_path)
    code, out, err = run_in_process("letter", "--kind", "collection", input="工商银行信用卡\n")
    assert code == 0, err
    assert "which one is this letter to?" in err
    assert {int(i) for i in re.findall(r"^- #(\d+) ", out, re.M)} == {3, 4}
