"""The README's SVG pictures of ``repaycli call`` (docs/call-zh.svg, docs/call-en.svg) are what
``docs/screenshots.py`` exports now: rerun it when the screen changes."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("screenshots", DOCS / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module
    spec.loader.exec_module(module)
    return module


def screen_text(svg: str) -> list[str]:
    """The words an SVG screenshot shows, in order (not its styling, which a new Textual
    release may write differently)."""
    words = re.findall(r">([^<>]+)</text>", svg)
    return [html.unescape(w).replace("\u00a0", " ").strip() for w in words if w.strip()]


def test_the_readme_pictures_are_current(tmp_path: Path) -> None:
    pictures = _script().render_all(tmp_path / "data")
    assert set(pictures) == {"call-zh.svg", "call-en.svg"}
    for name, text in pictures.items():
        assert text.startswith("<svg"), name
        kept = (DOCS / name).read_text(encoding="utf-8")
        stale = f"{name} is stale: run .venv/bin/python docs/screenshots.py"
        assert screen_text(text) == screen_text(kept), stale
    assert "超过你的底线" in pictures["call-zh.svg"].replace("&#160;", " ")
    assert "DO&#160;NOT&#160;AGREE" in pictures["call-en.svg"]


def test_every_character_has_its_own_cells(tmp_path: Path) -> None:
    """Textual sized each run of text by characters, not cells, so a browser squeezed the
    Chinese (two cells a character) into half its room: overlapping glyphs. Each character of a
    run with wide ones is now placed at its own cell, two cells on for a wide one."""
    import unicodedata

    svg = (DOCS / "call-zh.svg").read_text(encoding="utf-8")
    runs = re.findall(r'<text [^>]*?x="([\d. ]+)"([^>]*)>([^<]*)</text>', svg)
    wide_runs = [
        (x, attrs, html.unescape(text))
        for x, attrs, text in runs
        if any(unicodedata.east_asian_width(c) in "WF" for c in html.unescape(text))
    ]
    assert len(wide_runs) > 10
    for x, attrs, text in wide_runs:
        assert "textLength" not in attrs, text
        xs = [float(v) for v in x.split()]
        assert len(xs) == len(text), text
        for (a, b), char in zip(zip(xs, xs[1:], strict=False), text, strict=False):
            cells = 2 if unicodedata.east_asian_width(char) in "WF" else 1
            assert b - a == pytest.approx(12.2 * cells, abs=0.06), (text, char)
    assert "full-width" not in svg and '"Noto Sans CJK SC"' in svg


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_the_chinese_picture_draws_each_character_in_its_cells(tmp_path: Path) -> None:
    """The picture as a browser draws it: each of the four characters of 开口先提 leaves ink in
    its own two cells (squeezed, the last two cells were empty and the first two overlapped)."""
    from PIL import Image

    shot = tmp_path / "zh.png"
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars",
         "--window-size=994,636", f"--screenshot={shot}", (DOCS / "call-zh.svg").as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    svg = (DOCS / "call-zh.svg").read_text(encoding="utf-8")
    found = re.search(r'<text [^>]*?x="([\d.]+)[\d. ]*" y="([\d.]+)"[^>]*>开口先提</text>', svg)
    assert found is not None
    frame = re.search(r'<g transform="translate\(([\d.]+), ([\d.]+)\)" clip-path', svg)
    assert frame is not None
    dx, dy = (float(v) for v in frame.groups())
    image = Image.open(shot).convert("L")
    baseline = float(found[2]) + dy
    for k in range(4):  # where the terminal puts each character: two 12.2-px cells apiece
        left = float(found[1]) + dx + 24.4 * k
        box = (int(left) + 2, int(baseline) - 18, int(left + 24.4) - 2, int(baseline) + 2)
        histogram = image.crop(box).histogram()
        bright = sum(histogram[150:]) / max(sum(histogram), 1)  # light text on a dark screen
        assert bright > 0.05, f"no glyph drawn in the cells at x={left}"
