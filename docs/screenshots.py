"""The README's pictures of ``repaycli call``: one SVG per language, exported by Textual.

    .venv/bin/python docs/screenshots.py          # rewrites docs/call-zh.svg and docs/call-en.svg

The scene is fixed — the README's Huabei plan, a call 3 min 25 s in, the first checklist item
ticked, an offer of 6 × 1,400 typed (above the walk-away line) — with its own data folder, a
pinned date and a pinned clock, so the files change only when the screen does;
``tests/test_call_screenshots.py`` checks that they are current.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-12-02"
START = datetime(2026, 12, 2, 14, 30, tzinfo=timezone(timedelta(hours=8)))
SIZE = (80, 24)
PLAN = [
    *("plan", "--no-input", "--platform", "huabei", "--overdue", "8000", "--income", "6000"),
    *("--expenses", "3500", "--days-overdue", "30", "--reason", "medical"),
]


def svg(lang: str) -> str:
    """The call screen in ``lang`` as an SVG (needs ``REPAYCLI_HOME`` holding the plan)."""
    from datetime import date

    from repaycli.i18n import set_lang
    from repaycli.services.call import Situation, prepare
    from repaycli.tui.call import CallApp

    set_lang(lang)
    setup = prepare(None, Situation(), day=date.fromisoformat(TODAY))
    app = CallApp(setup, clock=lambda: START + timedelta(minutes=3, seconds=25))
    app.started = START

    async def main() -> str:
        async with app.run_test(size=SIZE) as pilot:
            app.started = START
            await pilot.pause()
            await pilot.press("f2")
            box = app.query_one("#offer-periods")
            box.focus()
            await pilot.press("6", "down", "1", "4", "0", "0")
            await pilot.pause()
            return app.export_screenshot(title="repaycli call")

    return cell_positions(asyncio.run(main()))


#: A CJK face after the monospace one: a browser without Fira Code still draws every glyph
#: from a font that has it, rather than guessing.
FONTS = (
    'Fira Code, "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", monospace'
)
_TEXT = re.compile(
    r'(<text [^>]*?x=")([\d.]+)("[^>]*?) textLength="([\d.]+)"([^>]*>)([^<]*)(</text>)'
)


def cell_positions(svg: str) -> str:
    """Textual's SVG with every character placed on its own terminal cell.

    Textual gives each run of text one ``x`` and a ``textLength`` of its characters × the cell
    width — one cell for a Chinese character that takes two on the terminal — so the browser
    squeezes the run into half its width and the characters overlap (review: docs/call-zh.svg
    in a browser). Here each character gets its
    own ``x`` — the start of its cell, two cells for a wide one — and no ``textLength``, so no
    glyph is moved off its cell; the full-width variant (which widens some glyphs past two
    cells) is dropped and a CJK face is named after the monospace one."""
    import html
    import unicodedata

    def cells(char: str) -> int:
        return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1

    narrow = [
        float(m[4]) / len(text)
        for m in _TEXT.finditer(svg)
        if (text := html.unescape(m[6])) and all(cells(c) == 1 for c in text)
    ]
    cell = narrow[0] if narrow else 12.2  # a cell's width: 0.61 em of the 20 px font

    def place(found: re.Match[str]) -> str:
        start, text = float(found[2]), html.unescape(found[6])
        if all(cells(c) == 1 for c in text):
            return found[0]  # one cell a character: Textual's own placing is exact
        xs: list[str] = []
        at = start
        for char in text:
            xs.append(f"{at:.1f}".rstrip("0").rstrip("."))
            at += cell * cells(char)
        return f"{found[1]}{' '.join(xs)}{found[3]}{found[5]}{found[6]}{found[7]}"

    svg = _TEXT.sub(place, svg)
    svg = svg.replace("font-variant-east-asian: full-width;", "")
    return re.sub(r"font-family: Fira Code, monospace;", f"font-family: {FONTS};", svg)


def render_all(folder: Path) -> dict[str, str]:
    """``{"call-zh.svg": …, "call-en.svg": …}`` for a fresh data folder ``folder``."""
    os.environ["REPAYCLI_HOME"] = str(folder)
    os.environ["REPAYCLI_TODAY"] = TODAY
    os.environ.pop("NO_COLOR", None)
    from repaycli.cli import app as cli

    try:
        cli(PLAN, prog_name="repaycli", standalone_mode=False)
    except SystemExit:  # pragma: no cover - the plan command exits 0 on success
        pass
    return {f"call-{lang}.svg": svg(lang) for lang in ("zh", "en")}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            pictures = render_all(Path(folder))
    for name, text in pictures.items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(HERE / name, file=sys.stderr)


if __name__ == "__main__":
    main()
