"""The fast UAX #14 breaker (``render/linebreak.py``) breaks the screens' repertoire exactly as
uniseg does, its committed class table agrees with uniseg code point by code point, and a
Chinese ``plan`` no longer imports uniseg at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from uniseg.linebreak import line_break, line_break_units
from uniseg.unicodedatawrapper import category, east_asian_width

from repaycli.render import linebreak
from repaycli.render.linebreak_table import REPERTOIRE, ROWS
from repaycli.render.wrap import _glue, _whole_names, units, width, wrap

#: The classes the breaker's rules handle (AI resolves to AL, as LB1 says).
HANDLED = {"AL", "AI", "B2", "BA", "BB", "CL", "CP", "EX", "GL", "HY", "ID", "IN", "IS", "NS",
           "NU", "OP", "PO", "PR", "QU", "SP", "SY"}  # fmt: skip


def _oracle(text: str) -> list[str]:
    return list(line_break_units(text))


def test_the_committed_table_is_uniseg_for_every_code_point_of_the_repertoire() -> None:
    checked = 0
    for low, high in REPERTOIRE:
        for code in range(low, high + 1):
            char = chr(code)
            klass = line_break(char).value
            if klass not in HANDLED:
                assert linebreak._props(char) is None, hex(code)
                continue
            gc = category(char).value
            expected = (
                "AL" if klass == "AI" else klass,
                east_asian_width(char).value in ("F", "W", "H"),
                gc if gc in ("Pi", "Pf") else "",
            )
            assert linebreak._props(char) == expected, hex(code)
            checked += 1
    assert checked > 28_000  # the ideographs are in
    # and nothing outside the repertoire is in the table
    for low, high, *_ in ROWS:
        assert any(start <= low and high <= end for start, end in REPERTOIRE), hex(low)
    for char in ("한", "👍", "\u0301", "\u200b", "\u2028", "\t", "ア", "α"):
        assert linebreak._props(char) is None


#: Every code point of the table that is not an ideograph (punctuation, digits, signs, Latin),
#: each row's first ideograph, and the characters the screens print most.
_NOT_IDEOGRAPHS = [
    chr(code) for low, high, klass, *_ in ROWS if klass != "ID" for code in range(low, high + 1)
]
_COMMON = list("每月还元期天个花呗借逾协商分息利本金") + list(
    "，。、：；！？（）「」『』《》【】“”‘’…—–-‐ ¥%$.,:;/'\"()[]"
)
_SCREEN = st.one_of(
    st.sampled_from(_COMMON),
    st.sampled_from(list("0123456789 ")),
    st.sampled_from(_NOT_IDEOGRAPHS),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from([chr(low) for low, _, klass, *_ in ROWS if klass == "ID"]),
)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_SCREEN, max_size=40))
def test_units_equal_uniseg_on_the_repertoire(text: str) -> None:
    assert linebreak.units(text) == _oracle(text)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(_COMMON + list("0123456789 ab")), max_size=30))
def test_units_equal_uniseg_on_chinese_sentences_with_amounts(text: str) -> None:
    """Denser in the constructs of the screens: amounts, quotes, brackets, dashes."""
    assert linebreak.units(text) == _oracle(text)
    assert "".join(units(text)) == text
    if any("\u4e00" <= char <= "\u9fff" for char in text):  # not the western path
        # uniseg's pieces, glued, with no break inside a platform's name (借呗, 花呗)
        assert list(units(text)) == _glue(_whole_names(text, _oracle(text)))


@pytest.mark.parametrize(
    "text",
    ["한글 text", "emoji 👍 好", "e\u0301 好", "好\u200b好", "αβ 好", "ｱｲｳ 好", "好\t好"],
)
def test_text_outside_the_repertoire_is_left_to_uniseg(text: str) -> None:
    assert linebreak.units(text) is None
    assert list(units(text)) == _glue(_oracle(text))


def test_hand_worked_vectors() -> None:
    assert linebreak.units("每月还 1,234.56 元。") == ["每", "月", "还 ", "1,234.56 ", "元。"]
    # glued by wrap: the amount keeps its unit
    assert units("每月还 1,234.56 元。") == ("每", "月", "还 ", "1,234.56 元。")
    assert linebreak.units("（花呗）逾期 45 天") == ["（花", "呗）", "逾", "期 ", "45 ", "天"]
    assert linebreak.units("¥8,000.00（含利息）") == ["¥8,000.00", "（含", "利", "息）"]
    assert linebreak.units("“协商”还款——分期") == ["“协", "商”", "还", "款", "——", "分", "期"]
    assert linebreak.units("年化 16.08%，") == ["年", "化 ", "16.08%，"]
    assert linebreak.units("It's “quoted”… ok?") == ["It's ", "“quoted”… ", "ok?"]
    assert linebreak.units("") == []
    # a platform's name is one word: no line breaks 借 / 呗 or 招商银行信 / 用卡
    assert units("利率：招商银行信用卡、借呗") == ("利", "率：", "招商银行信用卡、", "借呗")
    # a command is one piece, its closing mark with it; an option keeps its hyphens
    assert units("用 repaycli log add。再") == ("用 ", "repaycli log add。", "再")
    assert units("加 --income-after 和 2-1-5e54-e888") == ("加 ", "--income-after ", "和 ",
                                                         "2-1-5e54-e888")  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_COMMON + list("0123456789")), min_size=1, max_size=60),
       st.integers(min_value=6, max_value=30))  # fmt: skip
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
    text: str, cells: int
) -> None:
    """(Unless a piece is wider than the whole line and must be cut by character.)"""
    assume(all(width(unit.rstrip()) <= cells for unit in units(text)))
    for line in wrap(text, cells)[1:]:
        assert not line.startswith(tuple("。，）」：；！？』》】、")), (text, wrap(text, cells))
    for line in wrap(text, cells)[:-1]:
        assert not line.endswith(tuple("（「『《【")), (text, wrap(text, cells))


def test_an_amount_is_never_split() -> None:
    text = "协商后每月还 1,234.56 元，共 12 个月，年化 16.08%。" * 3
    for cells in range(14, 40):  # (at 13 cells or fewer "1,234.56 元，" is cut by character)
        lines = wrap(text, cells)
        for amount in ("1,234.56 元，", "16.08%。", "12 个月，"):
            assert sum(line.count(amount) for line in lines) == 3, (cells, lines)


def test_a_number_after_an_opening_bracket_keeps_its_unit() -> None:
    """``plan --debts`` at 86–94 columns printed ``…2029-12 还清（36`` / ``个月），共还…``: UAX #14
    keeps ``（`` with the number, and the unit after that piece was left free to wrap."""
    summary = (
        "共 4 家，欠 49,200.00 元；你每月最多能还 1,750.00 元。按“按比例”方案，2029-12 还清"
        "（36 个月），共还 62,813.06 元。"
    )
    for cells in range(20, 120):
        lines = wrap(summary, cells)
        assert not any(line.startswith(("个月", "元")) for line in lines), (cells, lines)
    assert "（330.89 元）" in units("欠款金额（330.89 元）")
    assert "供“980 元”" in units("月供“980 元”太高")


PLATFORMS = "huabei jiebei weilidai baitiao jintiao meituan douyin zhaohang gonghang jianhang"
#: Ten debts, as ``benchmarks/startup.py`` times them.
TEN_DEBTS = "\n".join(
    ['income = "12000"', 'expenses = "6000"', 'reason = "income_drop"', ""]
    + [
        f'[[debt]]\nplatform = "{platform}"\noverdue = "{3000 + 1700 * i}"\n'
        f"days_overdue = {15 + 9 * i}\n"
        for i, platform in enumerate(PLATFORMS.split())
    ]
)


def _imports(args: list[str], tmp_path: Path, lang: str) -> tuple[str, set[str]]:
    """stdout of ``repaycli ARGS`` in ``lang`` (a fresh, piped interpreter) and the modules that
    ``python -X importtime`` saw it import."""
    env = {"REPAYCLI_HOME": str(tmp_path), "REPAYCLI_LANG": lang, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "repaycli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    imported = {
        line.split("|")[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return done.stdout, imported


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("several", [False, True], ids=["one debt", "ten debts"])
def test_a_plan_imports_no_uniseg(several: bool, lang: str, tmp_path: Path) -> None:
    if several:
        debts = tmp_path / "debts.toml"
        debts.write_text(TEN_DEBTS, encoding="utf-8")
        args = ["plan", "--no-input", "--debts", str(debts)]
    else:
        args = ["plan", "--no-input", "--platform", "huabei", "--overdue", "8000",
                "--income", "9000", "--expenses", "5500", "--days-overdue", "45"]  # fmt: skip
    out, imported = _imports(args, tmp_path, lang)
    assert ("花呗" in out and "元" in out) if lang == "zh" else "Huabei" in out, out
    assert "repaycli.render.wrap" in imported  # it did wrap Chinese text …
    assert not {name for name in imported if name.split(".")[0] == "uniseg"}  # … without uniseg
