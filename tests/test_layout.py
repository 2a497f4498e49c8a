"""The main screens at 60, 80 and 120 columns, in Chinese and English, read as a person reads
them: no line wider than the screen (display width, by wcwidth), no number, date or amount split
across lines, no line that is only a bullet or a bracket, nothing cut with '…', tables that stay
tables at 80 columns and more — and one money and percent format per language everywhere."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from wcwidth import wcswidth

from helpers import LOG_ADD, invoke

TODAY = "2026-11-21"
PLAN = [
    "plan", "--platform", "huabei", "--overdue", "11400", "--income", "6000", "--expenses",
    "4000", "--days-overdue", "30", "--reason", "medical",
]  # fmt: skip
HARDSHIP = [
    "plan", "--platform", "借呗", "--overdue", "1万", "--income", "0", "--expenses", "2500",
    "--days-overdue", "45", "--reason", "unemployment", "--no-save",
]  # fmt: skip
TIGHT = ["plan", "--debts", "examples/debts-tight.toml"]
SCREENS = {
    "plan": PLAN,
    "plan --details": [*PLAN, "--details"],
    "hardship": HARDSHIP,
    "hardship --details": [*HARDSHIP, "--details"],
    "debts": TIGHT,
    "debts --details": [*TIGHT, "--details"],
    "debts --compare": [*TIGHT, "--compare"],
    "offer": ["offer", "--amount", "11400", "--periods", "24", "--fee-rate", "0.6%"],
    "remind": ["remind", "--days", "30"],
    "agreement list": ["agreement", "list"],
    "agreement show": ["agreement", "show", "1"],
    "log show": ["log", "show", "1"],
    "platforms": ["platforms"],
}
#: Kept whole, even when wider than a narrow screen: a hash to compare and copy.
HASH = re.compile(r"\b[0-9a-f]{64}\b")
#: Punctuation a Chinese line never starts with.
NO_START = tuple("，。；：、）」』”%,.;:)")
#: What a line may not consist of alone.
ORPHANS = {"•", "-", "*", "·", "（", "(", "）", ")", "【", "】", "「", "」", "“", "”", "元", "%"}


@pytest.fixture
def screens(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[int, str]]:
    """Each screen's text at each width (one language per test, set by the caller)."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)
    return {}


def _setup(lang: str) -> None:
    env = {"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang}
    assert invoke(*PLAN, env=env).exit_code == 0  # saved: offer compares with it
    added = invoke(*LOG_ADD, "--outcome", "pending", "--at", "2026-11-20 10:00",
                   "--agent", "工号12348", "--ref", "20261121-8899",
                   "--offered", "分24期，每期手续费0.6%", "--follow-up", "2026-12-01",
                   "--follow-up-action", "再打一次电话确认书面方案", env=env)  # fmt: skip
    assert added.exit_code == 0, added.output
    other = invoke("log", "add", "--no-input", "--platform", "招商银行信用卡", "--channel",
                   "app_chat", "--outcome", "callback_promised", "--at", "2026-11-19 15:00",
                   "--notes", "客服说三个工作日内回电（12348 也可咨询）", "--follow-up",
                   "2026-11-22", env=env)  # fmt: skip
    assert other.exit_code == 0, other.output
    agreed = invoke("agreement", "add", "--no-input", "--platform", "huabei", "--total",
                    "11400", "--periods", "12", "--first-due", "2026-11-23", env=env)  # fmt: skip
    assert agreed.exit_code == 0, agreed.output


def _log_list(lang: str, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """``log list`` as a terminal shows it (a table; piped, it is tab-separated by design)."""
    from rich.console import Console

    import repaycli.render.console as console_module
    from repaycli import store
    from repaycli.i18n import set_lang
    from repaycli.render.log import print_list

    set_lang(lang)
    out = io.StringIO()
    made = Console(file=out, width=width, no_color=True, markup=False, highlight=False)
    monkeypatch.setattr(console_module, "make_console", lambda **_: made)
    with store.opened(read_only=True) as conn:
        print_list(store.iter_contacts(conn))
    return out.getvalue()


def _render(lang: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[int, str]]:
    _setup(lang)
    shown: dict[str, dict[int, str]] = {}
    for name, args in SCREENS.items():
        for width in (60, 80, 120):
            env = {"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang, "COLUMNS": str(width)}
            result = invoke(*args, env=env)
            assert result.exit_code == 0, (name, result.output)
            shown.setdefault(name, {})[width] = result.stdout
    shown["log list"] = {w: _log_list(lang, w, monkeypatch) for w in (60, 80, 120)}
    return shown


def _faults(text: str, width: int) -> list[str]:
    faults = []
    lines = text.split("\n")
    for n, line in enumerate(lines):
        cells = wcswidth(line)
        if cells > width and not HASH.search(line):
            faults.append(f"wider than {width} ({cells}): {line!r}")
        body = line.strip()
        if body in ORPHANS:
            faults.append(f"orphan: {line!r}")
        if body.startswith(NO_START) and not body.startswith("%"):
            faults.append(f"starts with closing punctuation: {line!r}")
        if re.search(r"[^\s…]…\s*$", line):
            faults.append(f"cut: {line!r}")
        if n + 1 < len(lines):
            end, start = line.rstrip(), lines[n + 1].lstrip()
            if re.search(r"\d[-,.:/]$", end) and re.match(r"\d", start):
                faults.append(f"number or date split: {end[-12:]!r} / {start[:12]!r}")
            dated = re.search(r"\d{4}-\d\d-\d\d$", end)  # a date (a table's last column)
            if re.search(r"\d$", end) and not dated and re.match(r"(元|%|）|\)|期|个月)", start):
                faults.append(f"amount split from its unit: {end[-12:]!r} / {start[:12]!r}")
            if re.search(r"(?:[（(]|(?<![A-Za-z ])¥)$", end):  # "total ¥" is a unit label
                faults.append(f"opening left at the end: {end[-12:]!r}")
    return faults


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_main_screens_read_well_at_60_80_and_120_columns_with_one_number_format(
    lang: str, screens: dict[str, dict[int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _render(lang, monkeypatch)
    faults = [
        f"{name} @{width}: {fault}"
        for name, by_width in shown.items()
        for width, text in by_width.items()
        for fault in _faults(text, width)
    ]
    assert faults == [], "\n".join(faults)
    # tables stay tables at 80 columns and more: one line holds the headers side by side
    heads = {
        "zh": {
            "plan --details": ("编号", "类型", "每期(元)", "总计(元)", "可承受"),
            "agreement list": ("平台", "总额", "剩余", "下期还款日", "状态"),
            "log list": ("日期和时间", "平台", "结果", "跟进日期"),
            # the platform names kept whole take two cells: 底线's unit may go under it at 80
            "debts --details": ("逾期(元)", "本金(元)", "底线"),
        },
        "en": {
            "plan --details": ("kind", "monthly ¥", "total ¥", "fits"),
            "agreement list": ("Platform", "Total", "Balance", "State"),
            "log list": ("Date and time", "Platform", "Outcome"),
            "debts --details": ("platform", "overdue ¥", "principal ¥", "paid off"),
        },
    }[lang]
    for name, words in heads.items():
        for width in (80, 120):
            text = shown[name][width]
            assert any(all(w in line for w in words) for line in text.splitlines()), (
                f"{name} @{width} is not a table:\n{text}"
            )
    # one number format per language, on every screen (rendered once: it is slow)
    _check_number_format(shown, lang)


def _money_faults(text: str, lang: str) -> list[str]:
    """Any amount or percent not written the language's one way."""
    faults = []
    if lang == "zh":
        faults += [f"¥ in Chinese: {m!r}" for m in re.findall(r".{0,12}¥\d.{0,6}", text)]
        faults += [f"no space before 元: {m!r}" for m in re.findall(r"\d\.\d\d元", text)]
    else:
        faults += [f"元 or yuan in English: {m!r}" for m in re.findall(r"\d ?(?:元|yuan)", text)]
        bare = r"(?<![¥\d,.+-])\d[\d,]*\.\d\d (?:a month|in all)"
        faults += [f"amount without ¥: {m!r}" for m in re.findall(bare, text)]
    faults += [f"space before %: {m!r}" for m in re.findall(r"\d %", text)]
    faults += [f"ungrouped amount: {m!r}" for m in re.findall(r"(?<![\d,.])\d{4,}\.\d\d\b", text)]
    faults += [f"sign before ¥: {m!r}" for m in re.findall(r"¥[+-]\d", text)]
    return faults


def _check_number_format(shown: dict[str, dict[int, str]], lang: str) -> None:
    faults = [
        f"{name}: {fault}"
        for name, by_width in shown.items()
        for fault in _money_faults(by_width[120], lang)
    ]
    assert faults == [], "\n".join(faults)
    every = "\n".join(by_width[120] for by_width in shown.values())
    if lang == "zh":
        assert "11,400.00 元" in every and "16.08%" in every
    else:
        assert "¥11,400.00" in every and "16.08%" in every


def test_the_formatter() -> None:
    from decimal import Decimal

    from repaycli.render.numbers import money, percent, share, signed_money

    assert money(Decimal("1234.565"), "en") == "¥1,234.57"
    assert money(Decimal("1234.5"), "zh") == "1,234.50 元"
    assert money(Decimal("0"), "zh") == "0.00 元"
    assert signed_money(Decimal("-398.04"), "en") == "-¥398.04"
    assert signed_money(Decimal("802.91"), "zh") == "+802.91 元"
    assert percent(Decimal("16.0812")) == "16.08%" and percent(None) == "—"
    assert percent(Decimal("0.05"), 3) == "0.050%"
    assert share(Decimal("50.00")) == "50%" and share(Decimal("0.6")) == "0.6%"


@pytest.mark.parametrize(
    ("text", "cells", "expected"),
    [
        # amounts stay with 元, dates and bracketed groups whole; breaks between CJK characters
        ("这样说：“我每月能还 935.96 元，12 个月可以还清。”", 24,
         ["这样说：“我每月能还", "935.96 元，12 个月可以还", "清。”"]),
        ("请拨打（12348）咨询，自 2026-12-01 起生效", 16,
         ["请拨打（12348）", "咨询，自", "2026-12-01 起生", "效"]),
        ("• 一二三四五六七八九十", 10, ["• 一二三四", "五六七八九", "十"]),
        ("Full report: add --details; save: --format markdown", 30,
         ["Full report: add --details;", "save: --format markdown"]),
        ("年化 (16.08%) 和 ¥11,400.00", 12, ["年化", "(16.08%) 和", "¥11,400.00"]),
    ],
)  # fmt: skip
def test_wrap_by_display_width(text: str, cells: int, expected: list[str]) -> None:
    from repaycli.render.wrap import wrap

    lines = wrap(text, cells)
    assert lines == expected
    assert all(wcswidth(line) <= cells for line in lines)


def test_every_optional_plan_prompt_fits_80_columns_in_chinese() -> None:
    """A prompt that wraps leaves "）：" alone on the next line, where the answer is typed."""
    from repaycli.i18n import t

    tail = t("prompt.optional_hint", "zh") + t("prompt.colon", "zh")
    for name in ("expenses", "days_overdue", "cash", "reason", "recovery", "income_after",
                 "interest", "penalty"):  # fmt: skip
        label = t(f"plan.prompt.{name}", "zh")
        assert wcswidth(label + tail) <= 80, label
