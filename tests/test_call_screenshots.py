"""The README's SVG pictures of ``repaycli call`` (docs/call-zh.svg, docs/call-en.svg) are what
``docs/screenshots.py`` exports now: rerun it when the screen changes."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path

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
