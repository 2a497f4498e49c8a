"""``repaycli report``: the page's structure (parsed as a browser parses it), each chart's
geometry against the plan's numbers worked out here from ``plan --json``, escaping of text a
user typed, the file rules (no replacing without --force, no writing through a link), the
saved plan, the evidence timeline, and the example kept current."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import invoke, run
from repaycli.report import charts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "report-debts-tight-zh.html"
TODAY = "2026-11-21"
SINGLE = [
    "--platform", "huabei", "--overdue", "8000", "--income", "6000", "--expenses", "4000",
    "--days-overdue", "40", "--reason", "medical", "--recovery", "2027-05-01",
    "--income-after", "8000",
]  # fmt: skip
TIGHT = ["--debts", str(ROOT / "examples" / "debts-tight.toml")]
SVG = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> Element:
    """The page as html5lib builds it (the HTML5 algorithm browsers use); parse errors fail."""
    parser = html5lib.HTMLParser(
        tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False, strict=True
    )
    return parser.parse(text)  # type: ignore[no-any-return]


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def report(tmp_path: Path, *args: str, lang: str = "en", name: str = "r.html") -> str:
    out = tmp_path / name
    result = invoke(
        "report", "-o", str(out), *args, env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang}
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def plan_json(*args: str) -> dict[str, Any]:
    result = invoke("plan", "--json", "--no-save", *args, env={"REPAYCLI_TODAY": TODAY})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def chart(page: Element, chart_id: str) -> Element:
    found = [s for s in page.iter(f"{SVG}svg") if s.get("id") == chart_id]
    assert len(found) == 1, f"no single #{chart_id}"
    return found[0]


def plot_of(svg: Element) -> tuple[float, float, float, float]:
    left, top, width, height = (float(x) for x in svg.get("data-plot", "").split())
    return left, top, width, height


def points_of(element: Element) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in (pair.split(",") for pair in element.get("points", "").split())
    ]


def check_scale_top(y_max: Decimal, highest: Decimal) -> None:
    """The scale's top is a round number (1, 2, 2.5 or 5 × 10ⁿ) at or above the highest value,
    and less than two and a half times it: the chart is not squashed."""
    assert y_max >= highest
    assert y_max < highest * Decimal("2.5") or highest == 0
    mantissa = y_max.scaleb(-y_max.adjusted()).normalize()
    assert mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}


# --- structure -------------------------------------------------------------------------------


def test_page_structure_one_debt(tmp_path: Path) -> None:
    page = parse(report(tmp_path, *SINGLE))
    html = page if page.tag == "html" else page.find("html")
    assert html is not None and html.get("lang") == "en"
    assert text_of(page.find("head/title")) == "Negotiation pack: Huabei (Alipay)"  # type: ignore[arg-type]
    # Self-contained: no script, no external resource of any kind.
    assert not list(page.iter("script"))
    assert not list(page.iter("link"))
    assert not list(page.iter("img"))
    for element in page.iter():
        for attribute in ("src", "href"):
            value = element.get(attribute)
            assert value is None or value.startswith("#"), (element.tag, value)
    style = text_of(page.find("head/style"))  # type: ignore[arg-type]
    assert "@import" not in style and "url(http" not in style
    assert "@page { size: A4" in style
    assert '"Noto Sans CJK SC"' in style and "sans-serif" in style
    parts = [s.get("id") for s in page.iter("section") if s.get("class") == "part"]
    assert parts == ["cards", "charts", "plan", "handover"]
    cards = [a for a in page.iter("article") if a.get("class") == "card"]
    assert len(cards) == 1
    card = text_of(cards[0])
    assert "95188" in card and "Say" in card
    assert "at most ¥1,000.00 (from 2027-05-01: ¥2,000.00) a month" in card
    # The user's own pack says it is theirs, and sends the letter to the pages handed over.
    private = next(p for p in page.iter("p") if p.get("class") == "private")
    assert "Do not hand it to a lender" in text_of(private)
    assert not [a for a in page.iter("article") if "letter" in (a.get("class") or "")]
    commands = [text_of(c) for c in page.iter("code")]
    assert commands == ["repaycli report --handover -o for-the-lender.html"]
    # Every chart: a title and a text alternative, named by aria-labelledby.
    svgs = list(page.iter(f"{SVG}svg"))
    assert [s.get("id") for s in svgs] == ["chart-balance", "chart-limit"]
    ids = {e.get("id") for e in page.iter() if e.get("id")}
    for svg in svgs:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and desc is not None
        assert text_of(title) and len(text_of(desc)) > 40
        assert svg.get("aria-labelledby") == title.get("id") and title.get("id") in ids
        assert svg.get("aria-describedby") == desc.get("id") and desc.get("id") in ids
    # Tables: headers repeat on each printed page (thead), amounts right-aligned.
    for table in page.iter("table"):
        assert table.find("thead/tr/th") is not None
        assert table.find("tbody") is not None


def test_page_structure_several_debts_chinese(tmp_path: Path) -> None:
    page = parse(report(tmp_path, *TIGHT, lang="zh"))
    html = page if page.tag == "html" else page.find("html")
    assert html is not None and html.get("lang") == "zh-CN"
    cards = [a for a in page.iter("article") if a.get("class") == "card"]
    assert [text_of(c.find("h3")) for c in cards] == [  # type: ignore[arg-type]
        "1/4 · 招商银行信用卡", "2/4 · 借呗", "3/4 · 花呗", "4/4 · 美团月付",
    ]  # fmt: skip
    assert "请在贷款方 App 里查找电话" in text_of(cards[3])  # no confirmed hotline: say so
    svgs = [s.get("id") for s in page.iter(f"{SVG}svg")]
    assert svgs == ["chart-monthly", "chart-debt-free", "chart-strategies"]
    assert not [a for a in page.iter("article") if "letter" in (a.get("class") or "")]
    handover = next(s for s in page.iter("section") if s.get("id") == "handover")
    command = f"repaycli report --handover -o 交给贷款方.html --debts {TIGHT[1]}"
    keys = ("zhaohang", "jiebei", "huabei", "meituan")
    assert [text_of(c) for c in handover.iter("code")] == [
        command, *(f"{command} --lender {key}" for key in keys)
    ]  # fmt: skip


# --- geometry against the plan's numbers ---------------------------------------------------------


def _remaining(proposal: dict[str, Any], start: date) -> list[tuple[date, Decimal]]:
    """What is left to pay, worked out here from the proposal's schedule: the total until a
    month before the first payment, then less each payment."""
    total = Decimal(proposal["total"])
    schedule = [(date.fromisoformat(r["due"]), Decimal(r["amount"])) for r in proposal["schedule"]]
    points = [(start, total)]
    before = schedule[0][0] - relativedelta(months=1)
    if before > start:
        points.append((before, total))
    for due, amount in schedule:
        total -= amount
        points.append((due, total))
    return points


def test_balance_lines_follow_each_proposal(tmp_path: Path) -> None:
    numbers = plan_json(*SINGLE)
    svg = chart(parse(report(tmp_path, *SINGLE)), "chart-balance")
    left, top, width, height = plot_of(svg)
    y_max = Decimal(svg.get("data-y-max", ""))
    proposals = [p for p in numbers["proposals"] if p["schedule"]]
    check_scale_top(y_max, max(Decimal(p["total"]) for p in proposals))
    start = date.fromisoformat(numbers["as_of"])
    label = {
        p["id"]: p["id"] + ("" if p["affordable"] else " (above your limit)") for p in proposals
    }
    expected = {label[p["id"]]: _remaining(p, start) for p in proposals}
    last = max(d for series in expected.values() for d, _ in series)
    lines = [e for e in svg.iter(f"{SVG}polyline") if "line" in (e.get("class") or "")]
    assert [e.get("data-series") for e in lines] == [label[p["id"]] for p in proposals]
    for line in lines:
        want = expected[line.get("data-series", "")]
        got = points_of(line)
        assert len(got) == len(want)
        assert want[-1][1] == 0  # every plan ends with nothing left to pay
        for (x, y), (day, amount) in zip(got, want, strict=True):
            assert x == pytest.approx(
                left + width * (day - start).days / (last - start).days, abs=0.01
            )
            assert y == pytest.approx(top + height * (1 - float(amount / y_max)), abs=0.01)
        values = [Decimal(v) for v in line.get("data-values", "").split()]
        assert values == [amount for _, amount in want]


def test_limit_bars_before_and_after_recovery(tmp_path: Path) -> None:
    numbers = plan_json(*SINGLE)["affordability"]
    svg = chart(parse(report(tmp_path, *SINGLE)), "chart-limit")
    _, top, _, height = plot_of(svg)
    y_max = Decimal(svg.get("data-y-max", ""))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("data-value") is not None]
    amounts = [Decimal(numbers["limit"]), Decimal(numbers["limit_after"])]
    assert amounts == [Decimal("1000.00"), Decimal("2000.00")]  # 50 % of 2,000 and of 4,000
    assert [Decimal(b.get("data-value", "")) for b in bars] == amounts
    for bar, amount in zip(bars, amounts, strict=True):
        assert float(bar.get("height", "")) == pytest.approx(
            height * float(amount / y_max), abs=0.01
        )
        assert float(bar.get("y", "")) + float(bar.get("height", "")) == pytest.approx(
            top + height, abs=0.02
        )


def test_stacked_bars_are_the_monthly_payments_under_the_limit(tmp_path: Path) -> None:
    numbers = plan_json(*TIGHT)
    svg = chart(parse(report(tmp_path, *TIGHT)), "chart-monthly")
    left, top, width, height = plot_of(svg)
    y_max = Decimal(svg.get("data-y-max", ""))
    rows = numbers["monthly"]
    check_scale_top(y_max, max(Decimal(r["capacity"]) for r in rows))
    names = {d["id"]: d["platform_name"] for d in numbers["debts"]}
    order = [d["id"] for d in numbers["debts"]]
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("data-value") is not None]
    by_month: dict[str, list[Element]] = {}
    for bar in bars:
        by_month.setdefault(bar.get("data-category", ""), []).append(bar)
    assert list(by_month) == [r["due"] for r in rows if Decimal(r["total"]) > 0]
    bottom = top + height
    for row in rows:
        stack = by_month.get(row["due"], [])
        expected = [(names[i], Decimal(row["amounts"][i])) for i in order]
        expected = [(n, a) for n, a in expected if a > 0]
        assert [(b.get("data-series"), Decimal(b.get("data-value", ""))) for b in stack] == expected
        level = Decimal(0)
        for bar, (_, amount) in zip(stack, expected, strict=True):
            level += amount
            assert float(bar.get("y", "")) == pytest.approx(
                bottom - height * float(level / y_max), abs=0.02
            )
            assert float(bar.get("height", "")) == pytest.approx(
                height * float(amount / y_max), abs=0.03
            )
        # never above the limit line of that month
        assert level <= Decimal(row["capacity"])
    limit = next(e for e in svg.iter(f"{SVG}polyline") if e.get("class") == "limit")
    points = points_of(limit)
    assert len(points) == 2 * len(rows)
    for m, row in enumerate(rows):
        y = bottom - height * float(Decimal(row["capacity"]) / y_max)
        assert points[2 * m][1] == pytest.approx(y, abs=0.01)
        assert points[2 * m][0] == pytest.approx(left + width * m / len(rows), abs=0.01)


def test_debt_free_bars_and_strategy_lines(tmp_path: Path) -> None:
    numbers = plan_json(*TIGHT)
    page = parse(report(tmp_path, *TIGHT))
    svg = chart(page, "chart-debt-free")
    _, _, width, _ = plot_of(svg)
    y_max = Decimal(svg.get("data-y-max", ""))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("data-value") is not None]
    months = [Decimal(s["months"]) for s in numbers["compare"]]
    check_scale_top(y_max, max(months))
    assert [Decimal(b.get("data-value", "")) for b in bars] == months
    for bar, count in zip(bars, months, strict=True):
        assert float(bar.get("width", "")) == pytest.approx(width * float(count / y_max), abs=0.01)
    notes = [text_of(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-note"]
    assert notes[0].startswith(f"{numbers['compare'][0]['months']} months (")
    # Each strategy's line: everything it pays still to pay at the start, nothing at the end,
    # one point a month, never rising.
    strategies = chart(page, "chart-strategies")
    lines = [e for e in strategies.iter(f"{SVG}polyline") if "line" in (e.get("class") or "")]
    assert len(lines) == len(numbers["compare"])
    for line, result in zip(lines, numbers["compare"], strict=True):
        values = [Decimal(v) for v in line.get("data-values", "").split()]
        assert values[0] == Decimal(result["total_paid"])
        assert values[-1] == 0
        assert len(values) == result["months"] + 1
        assert all(a >= b for a, b in zip(values, values[1:], strict=False))


def test_hardship_single_marks_plans_above_the_limit(tmp_path: Path) -> None:
    args = ["--platform", "jiebei", "--overdue", "20000", "--income", "0", "--expenses", "3000"]
    numbers = plan_json(*args)
    page = parse(report(tmp_path, *args))
    lines = chart(page, "chart-balance").iter(f"{SVG}polyline")
    shown = [e.get("data-series") for e in lines if e.get("data-values")]
    assert shown == [f"{p['id']} (above your limit)" for p in numbers["proposals"]]
    card = text_of(next(a for a in page.iter("article") if a.get("class") == "card"))
    assert "No plan fits your budget now" in card and "12348" in card


def test_nothing_to_pay_draws_no_empty_charts(tmp_path: Path) -> None:
    """A deficit with several debts: no bars of zeros, no strategy that 'never' clears — the
    charts part is left out, and every card takes the hardship route."""
    page = parse(report(tmp_path, *TIGHT, "--income", "3000", "--expenses", "3300"))
    assert not list(page.iter(f"{SVG}svg"))
    assert [s.get("id") for s in page.iter("section") if s.get("class") == "part"] == [
        "cards", "plan", "handover",
    ]  # fmt: skip
    assert not [a for a in page.iter("a") if a.get("href") == "#charts"]
    cards = [a for a in page.iter("article") if a.get("class") == "card"]
    assert len(cards) == 4
    assert all("No plan fits your budget now" in text_of(c) for c in cards)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.decimals(min_value=0, max_value=99999, places=2), min_size=3, max_size=3),
        min_size=1,
        max_size=30,
    )
)
def test_stacked_geometry_property(columns: list[list[Decimal]]) -> None:
    """Any amounts: the bars stack to each month's total, inside the plotting area."""
    months = [date(2027, 1 + m % 12, 1).replace(year=2027 + m // 12) for m in range(len(columns))]
    series = [(f"s{i}", [column[i] for column in columns]) for i in range(3)]
    limit = [Decimal(50000)] * len(columns)
    drawn = charts.stacked_chart(
        "c", title="t", desc="d", months=months, series=series, limit=limit,
        limit_label="limit", label=str,
    )  # fmt: skip
    box = drawn.plot
    for m, column in enumerate(columns):
        stack = [b for b in drawn.bars if b.category == months[m].isoformat()]
        assert [b.value for b in stack] == [a for a in column if a > 0]
        total = sum(column, Decimal(0))
        if stack:
            top_y = min(b.y for b in stack)
            assert top_y == pytest.approx(
                box.bottom - box.height * float(total / drawn.y_max), abs=0.05
            )
        for bar in stack:
            assert box.top - 0.01 <= bar.y and bar.y + bar.height <= box.bottom + 0.05
            assert box.left <= bar.x and bar.x + bar.width <= box.right + 0.01


# --- escaping ------------------------------------------------------------------------------------


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp; "quoted" \'single\''


def test_user_text_is_escaped(tmp_path: Path) -> None:
    for args in (
        ["--agent", HOSTILE, "--notes", HOSTILE + "\n第二行"],
        ["--offered", "</dd></dl><script>bad()</script>", "--ref", "<b>R-1</b>"],
        ["--notes", "\u202eevil\u202c \x1b[31mred\x07"],
    ):
        result = invoke(
            "log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
            "--outcome", "pending", *args,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    result = invoke("agreement", "add", "--no-input", "--platform", "huabei", "--total", "3000",
                    "--periods", "3", "--first-due", "+1m")  # fmt: skip
    assert result.exit_code == 0, result.output
    result = invoke("pay", "1", "--amount", "1000", "--receipt", "<i>RCPT</i>")
    assert result.exit_code == 0, result.output
    text = report(tmp_path, *SINGLE, "--log")
    page = parse(text)
    assert not list(page.iter("script"))
    assert not list(page.iter("img"))
    assert not list(page.iter("b")) and not list(page.iter("i"))
    body = text_of(page)
    assert HOSTILE in body
    assert "</dd></dl><script>bad()</script>" in body
    assert "<i>RCPT</i>" in body
    assert "&lt;script&gt;" in text  # escaped in the file, not dropped
    # a bidi override cannot reorder what is shown, nor a terminal escape hide in the file
    assert "\u202e" not in text and "\x1b" not in text and "\x07" not in text
    assert "\\u202eevil\\u202c \\x1b[31mred\\x07" in body


# --- the evidence timeline -----------------------------------------------------------------------


def test_timeline_holds_hashes_fingerprint_agreements_and_payments(tmp_path: Path) -> None:
    for n in range(3):
        result = invoke(
            "log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
            "--outcome", "agreed" if n == 2 else "pending", "--notes", f"call {n} 客服",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert invoke("agreement", "add", "--no-input", "--platform", "huabei", "--total", "3000",
                  "--periods", "3", "--first-due", "+1m", "--log", "3").exit_code == 0  # fmt: skip
    assert invoke("pay", "1", "--amount", "1000", "--receipt", "ZFB-123").exit_code == 0
    fingerprint = json.loads(invoke("log", "fingerprint", "--json").stdout)["fingerprint"]
    export = json.loads(invoke("log", "export", "--format", "json").stdout)
    hashes = [e["hash"] for e in export["entries"]]
    page = parse(report(tmp_path, *SINGLE, "--log"))
    timeline = next(s for s in page.iter("section") if s.get("id") == "timeline")
    line = next(p for p in timeline.iter("p") if p.get("class") == "fingerprint")
    assert text_of(line) == f"Fingerprint of the log: {fingerprint}"
    entries = [li for li in timeline.iter("li") if li.get("class") == "entry"]
    assert [li.get("id") for li in entries] == ["entry-1", "entry-2", "entry-3"]
    shown = [text_of(c) for c in timeline.iter("code") if c.get("class") == "hash"]
    assert shown == hashes
    body = text_of(timeline)
    assert "call 2 客服" in body
    assert "Agreement #1 with Huabei (Alipay)" in body
    assert "¥3,000.00 in 3 installments" in body and "paid ¥1,000.00, left ¥2,000.00" in body
    assert "ZFB-123" in body


def test_timeline_marks_a_contact_logged_as_collection(tmp_path: Path) -> None:
    """The report's timeline says which contacts were collection, as log show does (review:
    the page showed a collection contact as a plain phone call)."""
    for extra in ([], ["--collection"]):
        result = invoke(
            "log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
            "--outcome", "pending", *extra,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    page = parse(report(tmp_path, *SINGLE, "--log"))
    timeline = next(s for s in page.iter("section") if s.get("id") == "timeline")
    channels = [
        text_of(next(li.iter("dd"))) for li in timeline.iter("li") if li.get("class") == "entry"
    ]
    assert channels == ["phone", "phone · collection"]
def test_timeline_marks_a_collection_contact_as_log_show_does(tmp_path: Path) -> None:
    """A contact logged as collection is the evidence a complaint rests on: the timeline says
    so next to the channel, as `log show` does, and its times read the same way."""
    result = invoke(
        "log", "add", "--no-input", "--platform", "huabei", "--channel", "app_chat",
        "--collection", "--outcome", "pending", "--at", "2026-12-01T10:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert invoke("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
                  "--outcome", "pending").exit_code == 0  # fmt: skip
    page = parse(report(tmp_path, *SINGLE, "--log"))
    timeline = next(s for s in page.iter("section") if s.get("id") == "timeline")
    first, second = (li for li in timeline.iter("li") if li.get("class") == "entry")
    assert "in-app chat · collection" in text_of(first)
    assert "collection" not in text_of(second)
    assert not re.search(r"\dT\d", text_of(first))  # 2026-12-02 01:33, as in `log show`


def test_timeline_without_a_log_says_so(tmp_path: Path) -> None:
    page = parse(report(tmp_path, *SINGLE, "--log"))
    timeline = next(s for s in page.iter("section") if s.get("id") == "timeline")
    assert "No contacts logged yet." in text_of(timeline)
    assert not (tmp_path / "home" / "repaycli.db").exists()  # reading never creates it


# --- the saved plan, the file rules, errors --------------------------------------------------


def test_report_from_the_saved_plan(tmp_path: Path) -> None:
    result = invoke("plan", *SINGLE, env={"REPAYCLI_TODAY": TODAY})
    assert result.exit_code == 0, result.output
    saved = report(tmp_path, name="saved.html")
    fresh = report(tmp_path, *SINGLE, name="fresh.html")
    assert saved == fresh


def test_no_saved_plan_is_one_line(tmp_path: Path) -> None:
    result = invoke("report", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: There is no saved plan to report on: run 'repaycli plan' first, or give the "
        "situation flags (--platform, --overdue, --income) or --debts FILE.\n"
    )
    assert not (tmp_path / "r.html").exists()


def test_output_is_required(tmp_path: Path) -> None:
    result = invoke("report", *SINGLE)
    assert result.exit_code == 2
    assert "-o report.html" in result.stderr


def test_refuses_to_replace_without_force(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("mine", encoding="utf-8")
    result = invoke("report", "-o", str(out), *SINGLE)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {out} already exists; choose another file or add --force to replace it\n"
    )
    assert out.read_text(encoding="utf-8") == "mine"
    result = invoke("report", "-o", str(out), "--force", *SINGLE)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_does_not_write_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "r.html"
    link.symlink_to(target)
    for extra in ([], ["--force"]):
        result = invoke("report", "-o", str(link), *SINGLE, *extra)
        assert result.exit_code == 2
        assert "is a symbolic link" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep"
    assert link.is_symlink()


def test_new_file_is_private(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    report(tmp_path, *SINGLE)
    assert (out.stat().st_mode & 0o777) == 0o600


def test_flags_for_several_debts_need_debts(tmp_path: Path) -> None:
    result = invoke("report", "-o", str(tmp_path / "r.html"), *SINGLE, "--strategy", "snowball")
    assert result.exit_code == 2
    assert "--strategy" in result.stderr and "--debts" in result.stderr


def test_bad_value_is_the_plan_error(tmp_path: Path) -> None:
    args = ["--platform", "huabei", "--overdue", "abc", "--income", "5000", "--no-input"]
    mine = invoke("report", "-o", str(tmp_path / "r.html"), *args)
    theirs = invoke("plan", *args)
    assert mine.exit_code == theirs.exit_code == 2
    assert mine.stderr == theirs.stderr


def test_subprocess_writes_the_page_and_stdout(tmp_path: Path) -> None:
    out = tmp_path / "sub.html"
    done = run(
        "report", "-o", str(out), *TIGHT, env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": "zh"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"协商资料已写入 {out}\n"
    assert done.stdout == ""
    page = parse(out.read_text(encoding="utf-8"))
    assert len(list(page.iter(f"{SVG}svg"))) == 3
    piped = run("report", "-o", "-", *TIGHT, env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": "zh"})
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == out.read_text(encoding="utf-8")


def test_other_commands_do_not_import_jinja(tmp_path: Path) -> None:
    """jinja2 is imported by 'report' alone: 'plan' and the rest start without it."""
    code = (
        "import sys; from repaycli.cli import app\n"
        "try:\n    app(['plan', '--no-save', " + ", ".join(repr(a) for a in SINGLE) + "])\n"
        "except SystemExit:\n    pass\n"
        "print('jinja2' in sys.modules, 'repaycli.report.page' in sys.modules)\n"
    )
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={**os.environ, "REPAYCLI_TODAY": TODAY},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False False"


# --- the example ----------------------------------------------------------------------------


def test_example_report_is_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/report-debts-tight-zh.html is the report for examples/debts-tight.toml."""
    monkeypatch.chdir(ROOT)  # the page names the file as given
    out = tmp_path / "example.html"
    result = invoke(
        "report", "-o", str(out), "--debts", "examples/debts-tight.toml",
        env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": "zh"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    made = out.read_text(encoding="utf-8")
    if os.environ.get("REPAYCLI_UPDATE_EXAMPLES"):
        EXAMPLE.write_text(made, encoding="utf-8")
    assert made == EXAMPLE.read_text(encoding="utf-8")


def test_strategy_outcomes_are_the_plans_own() -> None:
    """``core.multi.strategy_outcomes`` (the report's per-strategy lines) simulates what
    ``build_multi_plan`` does, what-ifs included: same months, same payments."""
    from repaycli.catalog import load_catalogue, load_checklist, load_log_fields
    from repaycli.cli.debts import load_debts
    from repaycli.core.allocate import Strategy
    from repaycli.core.models import Situation
    from repaycli.core.multi import LimitChange, build_multi_plan, strategy_outcomes
    from repaycli.render.plan import describe, money

    loaded = load_debts(ROOT / "examples" / "debts.toml", load_catalogue())
    situation = Situation(
        today=date(2026, 11, 21), start=date(2026, 12, 21), income=Decimal(15000),
        expenses=Decimal(8000), recovery=date(2027, 6, 1), income_after=Decimal(20000),
    )  # fmt: skip
    what_ifs = {
        "extras": [(Decimal(5000), date(2027, 3, 1))],
        "limit_change": LimitChange(amount=Decimal(2500), start=date(2027, 9, 1)),
        "first": ["huabei"],
    }
    outcomes = strategy_outcomes(loaded.debts, situation, **what_ifs)  # type: ignore[arg-type]
    for strategy in Strategy:
        result = build_multi_plan(
            loaded.debts, situation, lang="en", checklist=load_checklist(),
            log_fields=load_log_fields(), describe=describe, money=money, strategy=strategy,
            **what_ifs,  # type: ignore[arg-type]
        )  # fmt: skip
        outcome = outcomes[strategy]
        assert {c.name: c.months for c in result.compare} == {
            name: o.months for name, o in outcomes.items()
        }
        assert [row.due for row in result.monthly] == outcome.dues
        for row in result.monthly:
            for debt_id, amount in row.amounts.items():
                assert outcome.payments[debt_id][row.month - 1] == amount


def test_a_changed_log_is_shown_with_no_fingerprint(tmp_path: Path) -> None:
    """A log that no longer holds up is still shown (it is the user's record), said so in
    one line, and given no fingerprint: nothing vouches for it."""
    import sqlite3

    from repaycli.paths import db_path

    for n in range(3):
        result = invoke("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
                        "--outcome", "pending", "--notes", f"call {n}")  # fmt: skip
        assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_path())
    conn.execute("DROP TRIGGER contacts_no_update")
    conn.execute("UPDATE contacts SET notes = 'nothing happened' WHERE id = 2")
    conn.commit()
    conn.close()
    page = parse(report(tmp_path, *SINGLE, "--log"))
    timeline = next(s for s in page.iter("section") if s.get("id") == "timeline")
    problem = next(p for p in timeline.iter("p") if "problem" in (p.get("class") or ""))
    assert text_of(problem) == (
        "The log is not intact: entry #2 was changed after it was recorded: the log is not "
        "intact. The entries are shown as stored; run 'repaycli log verify'."
    )
    assert not [p for p in timeline.iter("p") if p.get("class") == "fingerprint"]
    assert "nothing happened" in text_of(timeline)


def test_saved_plan_reported_in_the_other_language(tmp_path: Path) -> None:
    assert invoke("plan", *SINGLE, env={"REPAYCLI_TODAY": TODAY}).exit_code == 0
    out = tmp_path / "zh.html"
    result = invoke("report", "-o", str(out), env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": "zh"})
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("注意：已保存的方案是用另一种语言（en）生成的")
    page = parse(out.read_text(encoding="utf-8"))
    html = page if page.tag == "html" else page.find("html")
    assert html is not None and html.get("lang") == "zh-CN"
    card = next(a for a in page.iter("article") if a.get("class") == "card")
    assert text_of(card.find("h3")) == "花呗"  # type: ignore[arg-type]
    assert "客服电话" in text_of(card)
