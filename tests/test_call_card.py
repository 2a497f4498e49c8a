"""The call card: ``plan`` opens with one screen (≤ 80 × 24) per lender — the number, what to
say, opening/target/walk-away, what to insist on — whose numbers are the plan's own."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from wcwidth import wcswidth

from helpers import invoke, run

TODAY = {"REPAYCLI_TODAY": "2026-11-21"}
HARDSHIP = [
    "plan", "--platform", "借呗", "--overdue", "1万", "--income", "0", "--expenses", "2500",
    "--days-overdue", "45", "--reason", "unemployment", "--no-save",
]  # fmt: skip
HUABEI = [
    "plan", "--platform", "花呗", "--overdue", "8000", "--income", "6000", "--expenses", "3500",
    "--days-overdue", "30", "--reason", "medical", "--no-save",
]  # fmt: skip
TIGHT = ["plan", "--debts", "examples/debts-tight.toml"]
EXAMPLES = {"hardship": HARDSHIP, "huabei": HUABEI, "tight": TIGHT}
#: Between two cards of a several-debt plan.
RULE = "═" * 10
#: An amount as the card writes it, in either language.
AMOUNT = re.compile(r"¥(\d[\d,]*\.\d\d)|(\d[\d,]*\.\d\d) 元")


@pytest.fixture(autouse=True)
def _top(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # examples/ named from the top


def _cards(text: str) -> list[list[str]]:
    """The cards of a plan's output: the whole text for one debt, else each part between rules
    (the total line first and the pointer to --details last are not cards)."""
    parts = re.split(r"^═+$", text, flags=re.M)
    if len(parts) == 1:
        return [text.rstrip("\n").split("\n")]
    return [p.strip("\n").split("\n") for p in parts[1:-1]]


def _check_fits(text: str, lang: str, lenders: int) -> None:
    cards = _cards(text)
    assert len(cards) == lenders, text
    for card in cards:
        assert len(card) <= 24, "\n".join(card)
        for line in card:
            assert wcswidth(line) <= 80, line
        body = "\n".join(card)
        assert ("这样说" if lang == "zh" else "Say:") in body
        assert ("一定要" if lang == "zh" else "Insist on:") in body
        assert ("底线" if lang == "zh" else "Limit") in body


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_card_fits_80_by_24(name: str, lang: str) -> None:
    result = invoke(*EXAMPLES[name], env={**TODAY, "REPAYCLI_LANG": lang, "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    _check_fits(result.stdout, lang, 4 if name == "tight" else 1)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_card_fits_in_a_real_run(name: str) -> None:
    """The installed command, piped (no terminal), under a Chinese locale."""
    done = run(*EXAMPLES[name], env={**TODAY, "REPAYCLI_LANG": "", "LANG": "zh_CN.UTF-8"})
    assert done.returncode == 0, done.stderr
    _check_fits(done.stdout, "zh", 4 if name == "tight" else 1)
    assert "\x1b" not in done.stdout


def test_a_narrow_terminal_gets_narrow_lines() -> None:
    result = invoke(*HUABEI, env={**TODAY, "REPAYCLI_LANG": "zh", "COLUMNS": "50"})
    assert result.exit_code == 0, result.output
    assert max(wcswidth(line) for line in result.stdout.splitlines()) <= 50


def _json_amounts(value: object) -> set[Decimal]:
    """Every amount-like string in a JSON document."""
    found: set[Decimal] = set()
    if isinstance(value, dict):
        for item in value.values():
            found |= _json_amounts(item)
    elif isinstance(value, list):
        for item in value:
            found |= _json_amounts(item)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+\.\d\d", value):
        found.add(Decimal(value))
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_amount_on_the_card_is_the_plans(name: str, lang: str) -> None:
    env = {**TODAY, "REPAYCLI_LANG": lang}
    text = invoke(*EXAMPLES[name], env=env).stdout
    data = json.loads(invoke(*EXAMPLES[name], "--json", env=env).stdout)
    amounts = [Decimal((a or b).replace(",", "")) for a, b in AMOUNT.findall(text)]
    assert amounts
    assert set(amounts) <= _json_amounts(data)


def test_the_huabei_card_says_the_ladder_of_the_json() -> None:
    env = {**TODAY, "REPAYCLI_LANG": "zh"}
    text = invoke(*HUABEI, env=env).stdout
    data = json.loads(invoke(*HUABEI, "--json", env=env).stdout)
    ladder = data["ladder"]
    by_id = {p["id"]: p for p in data["proposals"]}
    opening, target = by_id[ladder["opening"]], by_id[ladder["target"]]
    lines = text.splitlines()
    assert lines[0] == "打给花呗（逾期 8,000.00 元）"
    assert lines[1] == "电话 95188（先在官方 App 内核对号码）"
    say = next(line for line in lines if line.startswith("这样说"))
    assert f"每月能还 {Decimal(opening['payment']):,.2f} 元" in say
    assert f"{opening['periods']} 个月" in say
    open_line = next(line for line in lines if line.startswith("开口"))
    assert f"{Decimal(opening['payment']):,.2f} 元" in open_line
    aim = "\n".join(lines[lines.index(next(x for x in lines if x.startswith("目标"))) :][:2])
    assert f"{Decimal(target['payment']):,.2f} 元" in aim
    walk = next(line for line in lines if line.startswith("底线"))
    assert walk == f"底线  每月最多 {Decimal(ladder['walk_away_monthly']):,.2f} 元，超过就不答应"
    assert "• 记下客服姓名或工号、通话时间和业务编号" in lines


def test_hardship_card_asks_for_a_pause_and_no_payment() -> None:
    text = invoke(*HARDSHIP, env={**TODAY, "REPAYCLI_LANG": "zh"}).stdout
    assert "我申请暂停还款 3 个月，会在 2027-02-21 前书面联系" in text.replace("\n", "")
    assert "底线  现在不答应任何还款，只申请暂停" in text
    assert "• 60 期每月需 248.35 元，超出你的能力，不要答应" in text
    assert "12348" in text
    assert "0.00 元就不答应" not in text


def test_several_debts_too_big_for_a_small_limit_never_say_nothing_can_be_paid(
    tmp_path: Path,
) -> None:
    """100 a month shared by three lenders clears none in 60 months: the pause is asked for,
    but the line after "you can pay at most 100.00 a month" must not say "you cannot pay
    anything"; with no money at all, it still does."""
    debts = tmp_path / "debts.toml"
    debts.write_text(
        'income = "2000"\nexpenses = "1800"\n'
        '[[debt]]\nplatform = "花呗"\noverdue = "6300"\ndays_overdue = 45\n'
        '[[debt]]\nplatform = "招行"\noverdue = "18500"\ndays_overdue = 30\n'
        '[[debt]]\nplatform = "借呗"\noverdue = "9000"\n',
        encoding="utf-8",
    )
    env = {**TODAY, "REPAYCLI_LANG": "zh", "COLUMNS": "80"}
    head = "".join(invoke("plan", "--debts", str(debts), env=env).stdout.split("═")[0].split())
    # 100 × 60 = 6,000 of 33,387.97 of principal: 27,387.97 to be waived.
    assert (
        "你每月最多能还100.00元。即使停息，60个月也还不清全部本金33,387.97元：需要减免27,387.97元"
    ) in head
    assert "拿不出钱" not in head
    nothing = invoke("plan", "--debts", str(debts), "--income", "1800", env=env).stdout
    assert "你现在拿不出钱还款" in "".join(nothing.split("═")[0].split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_pause_with_some_money_a_month_never_says_nothing_can_be_paid(lang: str) -> None:
    """100.00 a month is on the card as the walk-away line; 18,500 needs 465.32 over 60 months,
    so the card asks for a pause, in words that agree with that line."""
    args = ["plan", "--platform", "招行", "--overdue", "18500", "--income", "2000",
            "--expenses", "1800", "--days-overdue", "30", "--no-save"]  # fmt: skip
    text = "".join(invoke(*args, env={**TODAY, "REPAYCLI_LANG": lang}).stdout.split())
    says = {"zh": "这样说：“我每月最多能还100.00元，60期也还不清。我申请暂停还款3个月",
            "en": "Say:\"Icanpayatmost¥100.00amonth,whichdoesnotclearitin60months."}  # fmt: skip
    assert says[lang] in text
    assert "付不起任何" not in text and "cannotpayanything" not in text


def test_unconfirmed_hotline_says_where_to_find_it() -> None:
    text = invoke(*TIGHT, env={**TODAY, "REPAYCLI_LANG": "en"}).stdout
    meituan = next(card for card in _cards(text) if "Meituan" in card[0])
    joined = " ".join(meituan)
    assert "none confirmed; take it from Meituan Yuefu's official app" in joined
    assert "Number 95188" in text  # the others keep theirs


def test_details_gives_the_full_report_and_markdown_is_unchanged_by_the_card() -> None:
    env = {**TODAY, "REPAYCLI_LANG": "en", "COLUMNS": "100"}
    card = invoke(*HUABEI, env=env).stdout
    full = invoke(*HUABEI, "--details", env=env).stdout
    markdown = invoke(*HUABEI, "--format", "markdown", env=env).stdout
    assert "Negotiation ladder" not in card
    assert "Negotiation ladder" in full and "Negotiation ladder" in markdown
    assert "Say:" not in markdown.split("\n")[0]
    debts = invoke(*TIGHT, "--details", env=env).stdout
    assert RULE not in debts


def test_the_default_plan_loads_no_rich() -> None:
    """The card is plain text: piped to a file, ``plan`` never imports rich."""
    code = (
        "import os, sys\n"
        "sys.argv = ['repaycli', *sys.argv[1:]]\n"
        "from repaycli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('rich loaded:', any(m == 'rich' or m.startswith('rich.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *HUABEI],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, **TODAY},
    )
    assert "Say:" in done.stdout
    assert done.stdout.splitlines()[-1] == "rich loaded: False"


@pytest.mark.parametrize(("after", "changes"), [("6000", False), ("9000", True)])
def test_a_walk_away_line_that_does_not_change_names_no_date(after: str, changes: bool) -> None:
    """An income after recovery equal to today's gives the same limit: the card (and the
    details) say one line, not "at most 1,250 (from 2027-03-01: 1,250)", which reads as if
    something changed on that date."""
    args = [
        "plan", "--platform", "huabei", "--overdue", "8000", "--income", "6000",
        "--expenses", "3500", "--days-overdue", "30", "--recovery", "2027-03-01",
        "--income-after", after, "--no-input", "--lang", "zh",
    ]  # fmt: skip
    for extra in ([], ["--details"]):
        result = invoke(*args, *extra, env={**TODAY, "COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert ("从 2027-03-01 起：" in result.output) is changes, result.output
    done = run(*args, env=TODAY)
    assert done.returncode == 0, done.stderr
    assert ("从 2027-03-01 起：" in done.stdout) is changes
