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

    return asyncio.run(main())


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
