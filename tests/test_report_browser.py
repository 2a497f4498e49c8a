"""The report in a real browser: headless Chromium draws each chart (pixels inside its box)
and prints the page to an A4 PDF with the expected number of pages.

Chromium comes from the system's package manager (``.ci/run`` installs it with the CJK fonts);
on a machine without it these tests are skipped, saying so.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import html5lib
import pytest

from helpers import invoke

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-21"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (.ci/run installs it: apt-get install chromium "
    "fonts-noto-cjk)",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
SVG = "{http://www.w3.org/2000/svg}"
#: The width each chart is drawn at in its screenshot: its viewBox width, so 1 unit = 1 pixel.
CHART_WIDTH = 680
SINGLE = [
    "--platform", "huabei", "--overdue", "8000", "--income", "6000", "--expenses", "4000",
    "--days-overdue", "40", "--reason", "medical", "--recovery", "2027-05-01",
    "--income-after", "8000",
]  # fmt: skip
#: Relative, from the project folder: the pack prints the --handover command with this path, so
#: an absolute one made the page count depend on where the project was cloned (10 pages in one
#: folder, 11 in a longer one).
TIGHT = ["--debts", "examples/debts-tight.toml"]


@pytest.fixture(autouse=True)
def _in_the_project_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def chromium(tmp_path: Path, *args: str) -> None:
    profile = tmp_path / "profile"  # a fresh profile each run: nothing remembered
    done = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def make_report(tmp_path: Path, *args: str, lang: str) -> Path:
    out = tmp_path / f"report-{lang}.html"
    result = invoke(
        "report", "-o", str(out), "--force", *args,
        env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def only_chart(page: str, chart_id: str) -> str:
    """The same page with one extra style sheet: everything hidden but one chart, which is put
    at the top left at its own width — so its box in the screenshot is known."""
    style = (
        "<style>html, body { margin: 0 !important; padding: 0 !important; background: #fff; }"
        " body { visibility: hidden; }"
        f" #{chart_id}-figure {{ visibility: visible; position: absolute; top: 0; left: 0;"
        f" width: {CHART_WIDTH}px; margin: 0; }}"
        f" #{chart_id}-figure figcaption {{ display: none; }}</style>"
    )
    return page.replace("</head>", style + "</head>", 1)


def ink(image: object, box: tuple[int, int, int, int]) -> float:
    """The share of pixels in ``box`` that are not (near) white."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    region = image.convert("L").crop(box)
    histogram = region.histogram()
    dark = sum(histogram[:235])
    return dark / max(sum(histogram), 1)


def shapes(
    page: str, chart_id: str
) -> tuple[tuple[float, ...], float, list[tuple[float, ...]], list[list[tuple[float, float]]]]:
    """The chart's plotting box, its height, the boxes of its data bars and the points of its
    lines."""
    tree = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    svg = next(s for s in tree.iter(f"{SVG}svg") if s.get("id") == chart_id)
    plot = tuple(float(x) for x in svg.get("data-plot", "").split())
    height = float(svg.get("viewBox", "").split()[3])
    bars = [
        tuple(float(r.get(k, "")) for k in ("x", "y", "width", "height"))
        for r in svg.iter(f"{SVG}rect")
        if r.get("data-value") is not None
    ]
    lines = [
        [(float(x), float(y)) for x, y in (p.split(",") for p in e.get("points", "").split())]
        for e in svg.iter(f"{SVG}polyline")
        if e.get("data-values") is not None
    ]
    return plot, height, bars, lines


@pytest.mark.parametrize(
    ("args", "lang", "charts"),
    [
        (SINGLE, "en", ["chart-balance", "chart-limit"]),
        (TIGHT, "zh", ["chart-monthly", "chart-debt-free", "chart-strategies"]),
    ],
)
def test_each_chart_is_drawn(tmp_path: Path, args: list[str], lang: str, charts: list[str]) -> None:
    from PIL import Image

    page = make_report(tmp_path, *args, lang=lang).read_text(encoding="utf-8")
    for chart_id in charts:
        plot, height, bars, lines = shapes(page, chart_id)
        single = tmp_path / f"{chart_id}.html"
        single.write_text(only_chart(page, chart_id), encoding="utf-8")
        shot = tmp_path / f"{chart_id}.png"
        chromium(tmp_path, f"--window-size={CHART_WIDTH + 40},{int(height) + 60}",
                 f"--screenshot={shot}", single.as_uri())  # fmt: skip
        image = Image.open(shot)
        left, top, width, plot_height = (int(v) for v in plot)
        inside = ink(image, (left + 2, top, left + width, top + plot_height - 1))
        assert inside > 0.01, f"{chart_id}: the plotting area is blank ({inside:.3f})"
        # the axis labels and legend are drawn too; nothing is drawn beside the chart
        assert ink(image, (0, top, left - 4, top + plot_height)) > 0.005, chart_id
        assert ink(image, (CHART_WIDTH + 5, 0, CHART_WIDTH + 40, int(height))) == 0, chart_id
        for x, y, w, h in bars:
            if w >= 3 and h >= 3:  # each bar is filled where the page says it is
                box = (int(x + 1), int(y + 1), int(x + w - 1), int(y + h - 1))
                assert ink(image, box) > 0.3, f"{chart_id}: bar at {box} not drawn"
        for points in lines:  # ink near (nearly) every point of every line, dashes and all
            near = [ink(image, (int(x) - 4, int(y) - 4, int(x) + 5, int(y) + 5)) for x, y in points]
            drawn = sum(1 for share in near if share > 0.04)
            assert drawn >= 0.9 * len(points), f"{chart_id}: a line is not drawn"


def pdf_pages(tmp_path: Path, html: Path) -> tuple[int, list[str], tuple[float, float]]:
    from pypdf import PdfReader

    pdf = tmp_path / (html.stem + ".pdf")
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    return (
        len(reader.pages),
        [p.extract_text() for p in reader.pages],
        (
            float(box.width),
            float(box.height),
        ),
    )


#: One debt whose walk-away line (¥1,250.00) and target (¥1,177.17 a month) differ from the
#: opening handed over (¥1,120.45 a month).
ONE = [
    "--platform", "huabei", "--overdue", "8000", "--income", "6500", "--expenses", "4000",
    "--days-overdue", "40",
]  # fmt: skip


def promised_pages() -> dict[str, int]:
    """The page counts ``report -h`` promises, read from the help itself."""
    result = invoke("report", "-h", env={"COLUMNS": "400", "REPAYCLI_LANG": "en"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    own = re.search(r"about (\d+)–(\d+) for one debt, and for the four debts of "
                    r"examples/debts-tight.toml (\d+) in Chinese and (\d+) in English", text)
    lender = re.search(r"(\d+) a lender in Chinese and (\d+) in English", text)
    assert own is not None and lender is not None, text
    return {
        "one-zh": int(own[1]), "one-en": int(own[2]),
        "tight-zh": int(own[3]), "tight-en": int(own[4]),
        "lender-zh": int(lender[1]), "lender-en": int(lender[2]),
    }  # fmt: skip


def flat(text: str) -> str:
    """PDF text as words: NFKC (the PDF maps some glyphs to Kangxi radicals), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize(
    ("case", "args", "lang"),
    [("one", ONE, "zh"), ("one", ONE, "en"), ("tight", TIGHT, "zh"), ("tight", TIGHT, "en")],
)
def test_own_pack_pages_as_the_help_says(
    tmp_path: Path, case: str, args: list[str], lang: str
) -> None:
    promise = promised_pages()
    want = promise[f"{case}-{lang}"]
    count, texts, (width, height) = pdf_pages(tmp_path, make_report(tmp_path, *args, lang=lang))
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 in mm
    assert count == want, [t[:60] for t in texts]


@pytest.mark.parametrize(
    ("case", "args", "lang"),
    [("one", ONE, "zh"), ("one", ONE, "en"), ("tight", TIGHT, "zh"), ("tight", TIGHT, "en")],
)
def test_handover_pdf_holds_no_walk_away_and_no_script(
    tmp_path: Path, case: str, args: list[str], lang: str
) -> None:
    """The pages for the lender, printed as a user prints them: the promised number of A4
    pages, each lender from a new page, and in the PDF's own text no walk-away amount, no
    target, no script."""
    out = tmp_path / f"handover-{lang}.html"
    result = invoke(
        "report", "--handover", "-o", str(out), *args,
        env={"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = invoke("plan", "--json", "--no-save", *args, env={"REPAYCLI_TODAY": TODAY})
    numbers = json.loads(plan.stdout)
    count, texts, _ = pdf_pages(tmp_path, out)
    debts = numbers["debts"] if case == "tight" else [numbers]
    assert count == promised_pages()[f"lender-{lang}"] * len(debts), [t[:60] for t in texts]
    words = flat("".join(texts))
    for secret in ("底线", "这样说", "开口先提", "争取目标", "超过就不答应", "Walk-away",
                   "walk-away", "Say:", "Opening", "Target"):  # fmt: skip
        assert secret not in words, secret
    starts = [i for i, t in enumerate(texts) if flat(t).startswith(("致", "For"))]
    assert len(starts) == len(debts)  # each lender's pages start a page
    for debt in debts:
        ladder = debt["ladder"]
        shown = {p["id"]: p for p in debt["proposals"]}
        opening = shown[ladder["opening"]]
        asked = {Decimal(r["amount"]) for r in opening["schedule"]}
        hidden = {Decimal(ladder["walk_away_monthly"])}
        if ladder["target"] != ladder["opening"]:
            hidden.add(Decimal(shown[ladder["target"]]["payment"]))
        for amount in hidden - asked:  # an amount the opening itself asks is no secret
            assert f"{amount:,.2f}" not in words, amount
    if case == "one":
        assert "1,250.00" not in words and "1,120.45" in words


def test_pdf_is_a4_with_the_expected_pages(tmp_path: Path) -> None:
    """A fixed case, one debt in English: cover and call card, charts, the plan (its tables
    whole), the pointer to the pages handed over — each part on a new page."""
    count, texts, (width, height) = pdf_pages(tmp_path, make_report(tmp_path, *SINGLE, lang="en"))
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 in mm
    assert texts[0].startswith("Negotiation pack: Huabei (Alipay)")
    starts = {name: next(i for i, t in enumerate(texts) if name in t) for name in (
        "Charts", "The plan in full", "Pages to hand to the lender")}  # fmt: skip
    assert starts["Charts"] == 1 and starts["Charts"] < starts["The plan in full"]
    assert "Pages to hand to the lender" in texts[-1].splitlines()[0]  # a part starts its page


def test_pdf_in_chinese(tmp_path: Path) -> None:
    """The tight-budget example in Chinese: the CJK text is drawn in a CJK font (its characters
    come back out of the PDF), on the pages the help promises."""
    count, texts, _ = pdf_pages(tmp_path, make_report(tmp_path, *TIGHT, lang="zh"))
    assert count == promised_pages()["tight-zh"]
    first = flat(texts[0])
    assert "协商资料:4笔欠款" in first  # full-width colon: NFKC made it ":"
    assert "招商银行信用卡" in first and "95555" in first
    assert "这一份只给你自己看" in first
