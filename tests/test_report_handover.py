"""``repaycli report --handover``: the pages a user hands to a lender. They hold the debt, the
budget, the plan proposed (its schedule as ``plan --json`` gives it), the letter and, with
``--log``, the contacts with that lender — and nothing of the user's own side of the
negotiation: no walk-away amount, no target, no "what to say", no private notes.

Also here: the letters fill the plan in (a several-debt share longer than 60 months too) and
announce no recovery that was not given; the monthly chart draws the plan's real length; the
timeline's times are local."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element
from zoneinfo import ZoneInfo

import html5lib
import pytest

from helpers import invoke, run

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-21"
#: One debt whose walk-away line (¥1,250.00), target (¥1,177.17 a month) and opening
#: (¥1,120.45 a month) are three different amounts.
ONE = [
    "--platform", "huabei", "--overdue", "8000", "--income", "6500", "--expenses", "4000",
    "--days-overdue", "40",
]  # fmt: skip
TIGHT = ["--debts", str(ROOT / "examples" / "debts-tight.toml")]
#: Words that belong to the user's side only, in both languages.
SECRET_WORDS = {
    "zh": ["底线", "这样说", "开口先提", "争取目标", "超过就不答应", "不要答应"],
    "en": ["walk-away", "Walk-away", "Say:", "Opening", "Target", "never agree", "Never agree"],
}
SVG = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> Element:
    parser = html5lib.HTMLParser(
        tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False, strict=True
    )
    return parser.parse(text)  # type: ignore[no-any-return]


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def visible(page: Element) -> str:
    """Every word a reader sees (the style sheet left out)."""
    body = page.find(".//body")
    assert body is not None
    return text_of(body)


def handover(tmp_path: Path, *args: str, lang: str = "en") -> Element:
    out = tmp_path / f"handover-{lang}.html"
    result = invoke(
        "report", "--handover", "-o", str(out), "--force", *args,
        env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return parse(out.read_text(encoding="utf-8"))


def plan_json(*args: str) -> dict[str, Any]:
    result = invoke("plan", "--json", "--no-save", *args, env={"REPAYCLI_TODAY": TODAY})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def amount_forms(value: str) -> list[str]:
    """How an amount can be written on the page: 1,250.00 and 1250.00."""
    number = Decimal(value)
    return [f"{number:,.2f}", f"{number:.2f}"]


def plain(shown: str) -> Decimal:
    """An amount as the page shows it (¥1,120.45 or 1,120.45 元) as a number."""
    return Decimal(shown.replace("¥", "").replace("元", "").replace(",", "").strip())


def lenders(page: Element) -> list[Element]:
    return [a for a in page.iter("article") if "lender" in (a.get("class") or "").split()]


def schedule_rows(section: Element) -> list[tuple[str, str]]:
    """(due date, amount) of every cell group of the schedule table, read down each column."""
    table = next(t for t in section.iter("table") if t.get("class") == "schedule")
    rows = [[text_of(td) for td in tr.iter("td")] for tr in table.iter("tr")]
    rows = [r for r in rows if r]
    across = len(rows[0]) // 3
    return [(row[3 * c + 1], row[3 * c + 2]) for c in range(across) for row in rows if row[3 * c]]


# --- one debt ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_debt_hands_over_the_opening_and_nothing_of_the_ladder(
    tmp_path: Path, lang: str
) -> None:
    numbers = plan_json(*ONE)
    ladder = numbers["ladder"]
    by_id = {p["id"]: p for p in numbers["proposals"]}
    opening, target = by_id[ladder["opening"]], by_id[ladder["target"]]
    walk_away = ladder["walk_away_monthly"]
    assert len({walk_away, opening["payment"], target["payment"]}) == 3  # the case is telling
    page = handover(tmp_path, *ONE, lang=lang)
    text = visible(page)
    for secret in (walk_away, target["payment"], target["total"]):
        for form in amount_forms(secret):
            assert form not in text, f"{form} is on the page handed over"
    assert "壹仟贰佰伍拾元" not in text  # the walk-away in the letter's capital numerals
    for word in SECRET_WORDS[lang]:
        assert word not in text, word
    assert "50%" not in text and "50 %" not in text  # nor the share that makes the line
    # What is handed over: the opening, its every payment on its date; the letter asks for it.
    (pack,) = lenders(page)
    assert [(due, plain(amount)) for due, amount in schedule_rows(pack)] == [
        (row["due"], Decimal(row["amount"])) for row in opening["schedule"]
    ]
    letter = text_of(next(s for s in pack.iter("section") if "letter" in (s.get("class") or "")))
    assert "【你提出的方案】" not in letter and "[the plan you propose]" not in letter
    assert f"{Decimal(opening['payment']):,.2f}" in letter
    assert f"{Decimal(opening['total']):,.2f}" in letter
    # The budget is the hardship's facts: income, expenses, what is left.
    for amount in ("6,500.00", "4,000.00", "2,500.00"):
        assert amount in text


def test_one_debt_lender_must_be_that_debts(tmp_path: Path) -> None:
    assert len(lenders(handover(tmp_path, *ONE, "--lender", "花呗"))) == 1
    result = invoke("report", "--handover", "-o", str(tmp_path / "x.html"), *ONE,
                    "--lender", "jiebei", env={"REPAYCLI_TODAY": TODAY})  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --lender jiebei: the plan has no such lender. Choose one of: huabei "
        "(Huabei (Alipay)).\n"
    )
    assert not (tmp_path / "x.html").exists()


def test_lender_goes_with_handover(tmp_path: Path) -> None:
    result = invoke("report", "-o", str(tmp_path / "x.html"), *TIGHT, "--lender", "huabei")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --lender goes with --handover: your own pack covers every lender.\n"
    )


# --- several debts -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_lender_gets_its_own_pages(tmp_path: Path, lang: str) -> None:
    numbers = plan_json(*TIGHT)
    page = handover(tmp_path, *TIGHT, lang=lang)
    packs = lenders(page)
    assert [p.get("data-platform") for p in packs] == [d["platform"] for d in numbers["debts"]]
    assert all("new-page" in (p.get("class") or "") for p in packs[1:])
    for pack, debt in zip(packs, numbers["debts"], strict=True):
        text = text_of(pack)
        for word in SECRET_WORDS[lang]:
            assert word not in text, (debt["id"], word)
        proposal = next(p for p in debt["proposals"] if p["id"] == debt["ladder"]["opening"])
        # Negotiated inside its line (issue 20): interest stopped, the tight household fits in 60.
        assert proposal["periods"] <= 60
        rows = schedule_rows(pack)
        assert [due for due, _ in rows] == [row["due"] for row in proposal["schedule"]]
        assert "【你提出的方案】" not in text and "[the plan you propose]" not in text
        # No recovery date was given: the letter announces none (the share grows instead).
        assert "收入恢复" not in text and "recover" not in text
        # The other lenders are named only as a count and a sum: their own figures stay out.
        others = [d for d in numbers["debts"] if d["id"] != debt["id"]]
        total = sum((Decimal(d["overdue"]) for d in others), Decimal(0))
        assert f"{total:,.2f}" in text
        for other in others:
            assert (
                other["platform_name"] not in text
                or other["platform_name"] in debt["platform_name"]
            )
        if lang == "zh":  # the letter proposes the schedule shown, by its length
            assert re.search(f"[共分]{proposal['periods']}期", text)


def test_one_lender_of_several_by_any_name(tmp_path: Path) -> None:
    for name in ("招行", "zhaohang", "CMB credit card", "招商银行信用卡"):
        packs = lenders(handover(tmp_path, *TIGHT, "--lender", name))
        assert [p.get("data-platform") for p in packs] == ["zhaohang"], name
    result = invoke("report", "--handover", "-o", "-", *TIGHT, "--lender", "nobody")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --lender nobody: the plan has no such lender.")
    assert "zhaohang (CMB credit card)" in result.stderr


def test_subprocess_writes_the_handover(tmp_path: Path) -> None:
    out = tmp_path / "bank.html"
    done = run("report", "--handover", "--lender", "借呗", "-o", str(out), *TIGHT,
               env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": "zh"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"协商资料已写入 {out}\n"
    page = parse(out.read_text(encoding="utf-8"))
    assert [p.get("data-platform") for p in lenders(page)] == ["jiebei"]
    assert not list(page.iter("script"))
    assert (out.stat().st_mode & 0o777) == 0o600


# --- the contacts with the lender ----------------------------------------------------------------


@pytest.fixture
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's clock in China (UTC+8): stored UTC times are shown in it."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_contacts_are_the_lenders_own_in_local_time(tmp_path: Path, shanghai: None) -> None:
    for platform, notes in (("zhaohang", "my line is 400"), ("huabei", "花呗 private")):
        result = invoke(
            "log", "add", "--no-input", "--platform", platform, "--channel", "phone",
            "--outcome", "pending", "--agent", f"agent-{platform}", "--notes", notes,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    export = json.loads(invoke("log", "export", "--format", "json").stdout)["entries"]
    page = handover(tmp_path, *TIGHT, "--log", "--lender", "zhaohang")
    (pack,) = lenders(page)
    entries = [li for li in pack.iter("li") if li.get("class") == "entry"]
    assert [li.get("id") for li in entries] == ["entry-1"]  # not Huabei's contact
    text = text_of(pack)
    assert "agent-zhaohang" in text and "agent-huabei" not in text
    assert "my line is 400" not in text  # notes are the user's own
    recorded = datetime.fromisoformat(export[0]["recorded_at"])
    shown = recorded.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert shown in text
    assert "+00:00" not in text and not re.search(r"\dT\d", text)


def test_users_own_timeline_times_are_local(tmp_path: Path, shanghai: None) -> None:
    result = invoke("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
                    "--outcome", "pending")  # fmt: skip
    assert result.exit_code == 0, result.output
    export = json.loads(invoke("log", "export", "--format", "json").stdout)["entries"]
    out = tmp_path / "mine.html"
    assert invoke("report", "-o", str(out), *ONE, "--log").exit_code == 0
    timeline = next(
        s for s in parse(out.read_text(encoding="utf-8")).iter("section")
        if s.get("id") == "timeline"
    )  # fmt: skip
    text = text_of(timeline)
    recorded = datetime.fromisoformat(export[0]["recorded_at"])
    assert recorded.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M") in text
    assert "+00:00" not in text


# --- the monthly chart: the plan's real length -------------------------------------------------


@pytest.mark.parametrize("income", ["4500", "4200", "4100"])
def test_monthly_chart_draws_the_plans_length(tmp_path: Path, income: str) -> None:
    """A plan of N months: N months of bars and a caption that says N (a plan longer than 240
    months would be drawn for its first 240 and say so; negotiated plans now end within 60)."""
    numbers = plan_json(*TIGHT, "--income", income)
    months = [r["due"] for r in numbers["monthly"] if Decimal(r["total"]) > 0]
    assert len(months) == len(numbers["monthly"]) > 12
    cut = len(months) > 240
    out = tmp_path / "r.html"
    result = invoke("report", "-o", str(out), *TIGHT, "--income", income,
                    env={"REPAYCLI_TODAY": TODAY})  # fmt: skip
    assert result.exit_code == 0, result.output
    page = parse(out.read_text(encoding="utf-8"))
    svg = next(s for s in page.iter(f"{SVG}svg") if s.get("id") == "chart-monthly")
    drawn = {r.get("data-category") for r in svg.iter(f"{SVG}rect") if r.get("data-value")}
    desc = text_of(svg.find(f"{SVG}desc"))  # type: ignore[arg-type]
    if cut:
        assert sorted(drawn) == months[:240]
        assert desc.startswith(f"Stacked bar chart of the first 240 months of a {len(months)}-")
    else:
        assert sorted(drawn) == months
        assert desc.startswith(f"Stacked bar chart of {len(months)} months from {months[0]}")
