"""``repaycli call``: F10 then Save logs the call from every state the screen can be in, a
dialog answered twice never takes the call screen with it, and a crash inside the app ends
with exit 1, one line and the draft kept (pilot, and a real process in a pseudo-terminal)."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.app import ScreenStackError
from textual.widgets import Input

from helpers import invoke, repaycli_exe, run
from repaycli import drafts
from repaycli.i18n import set_lang
from repaycli.paths import call_draft_path
from repaycli.services.call import Situation, prepare
from repaycli.tui.call import CallApp
from repaycli.tui.dialogs import Ask, EndCall

TODAY = "2026-12-02"
START = datetime(2026, 12, 2, 14, 30, tzinfo=timezone(timedelta(hours=8)))
PLAN = [
    *("plan", "--no-input", "--platform", "huabei", "--overdue", "8000"),
    *("--income", "6000", "--expenses", "3500", "--days-overdue", "30"),
]


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)
    assert invoke(*PLAN).exit_code == 0


def new_app(draft: dict[str, Any] | None = None) -> CallApp:
    set_lang("en")
    setup = prepare(None, Situation(), day=date.fromisoformat(TODAY))
    return CallApp(setup, clock=lambda: START, draft=draft)


def drive(app: CallApp, script: Callable[[Any], Awaitable[None]]) -> Any:
    async def main() -> Any:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await script(pilot)
        return app.return_value

    return asyncio.run(main())


def logged() -> list[dict[str, Any]]:
    listed = invoke("log", "list", "--json")
    assert listed.exit_code == 0, listed.output
    entries: list[dict[str, Any]] = json.loads(listed.stdout)["entries"]
    return entries


async def typed(pilot: Any) -> None:
    box = pilot.app.query_one("#offer-periods", Input)
    box.focus()
    await pilot.press("6")  # the draft's timer is running: F10 comes before it fires


async def blank(pilot: Any) -> None:
    pass


async def on_the_log_tab(pilot: Any) -> None:
    await pilot.press("f3", "A", "1")


async def quit_question_open(pilot: Any) -> None:
    await typed(pilot)
    await pilot.press("ctrl+q")
    assert isinstance(pilot.app.screen, Ask)


async def restore_question_open(pilot: Any) -> None:
    assert isinstance(pilot.app.screen, Ask)  # the draft below was offered back


async def end_dialog_opened_and_left(pilot: Any) -> None:
    await pilot.press("f10", "escape")
    assert not isinstance(pilot.app.screen, EndCall)


STATES = {
    "blank": blank,
    "typed": typed,
    "log tab": on_the_log_tab,
    "quit question": quit_question_open,
    "restore question": restore_question_open,
    "end dialog left": end_dialog_opened_and_left,
}


@pytest.mark.parametrize("save_by", ["click", "f10"])
@pytest.mark.parametrize("state", list(STATES))
def test_f10_then_save_logs_the_call_from_every_state(state: str, save_by: str) -> None:
    draft = None
    if state == "restore question":
        drafts.save({"platform": "huabei", "started_at": START.isoformat(), "offer": {}})
        draft = drafts.load()
    app = new_app(draft)

    async def script(pilot: Any) -> None:
        await STATES[state](pilot)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, EndCall), type(app.screen)
        if save_by == "click":
            await pilot.click("#save")
        else:
            await pilot.press("f10")  # F10 in the dialog is Save
        await pilot.pause()
        app._save_draft()  # the typing pause's timer firing late writes nothing now

    saved = drive(app, script)
    assert saved is not None and saved.entry.id == 1
    (entry,) = logged()
    assert entry["outcome"] == "pending" and entry["channel"] == "phone"
    assert not call_draft_path().exists()


def test_a_dialog_answered_twice_leaves_the_call_screen_standing() -> None:
    app = new_app()

    async def script(pilot: Any) -> None:
        await typed(pilot)
        await pilot.press("ctrl+q")
        question = app.screen
        assert isinstance(question, Ask)
        question.action_cancel()
        question.action_cancel()  # Escape pressed twice in one frame
        await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 1
        await pilot.press("f10")
        dialog = app.screen
        assert isinstance(dialog, EndCall)
        dialog.save()
        dialog.save()  # Enter and a click on Save together: one entry, not two
        await pilot.pause()

    assert drive(app, script) is not None
    assert len(logged()) == 1


def test_a_crash_inside_the_app_keeps_the_draft_and_returns_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: CallApp) -> None:
        raise ScreenStackError("Can't pop screen; there must be at least one screen on the stack")

    monkeypatch.setattr(CallApp, "action_tick", broken)
    app = new_app()

    async def script(pilot: Any) -> None:
        await typed(pilot)  # typed, the draft not yet written
        await pilot.press("f2")

    with pytest.raises(ScreenStackError):  # the pilot re-raises what stopped the app
        drive(app, script)
    assert app.return_code == 1 and isinstance(app.crash, ScreenStackError)
    kept = drafts.load()
    assert kept is not None and kept["offer"]["periods"] == "6"
    assert logged() == []


# --- a real process ---------------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

#: Loaded by the interpreter at start (``PYTHONPATH``): F2 raises inside the app, as the
#: ScreenStackError of issue 22 did.
SITECUSTOMIZE = """
from textual.app import ScreenStackError
from repaycli.tui.call import CallApp

def broken(self):
    raise ScreenStackError("Can't pop screen; there must be at least one screen on the stack")

CallApp.action_tick = broken
"""


def test_a_real_call_that_crashes_exits_1_with_one_line_and_the_draft(tmp_path: Path) -> None:
    home = tmp_path / "data"
    env = {"REPAYCLI_HOME": str(home), "REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": "en"}
    assert run(*PLAN, env=env).returncode == 0
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    child = pexpect.spawn(
        repaycli_exe(),
        ["call"],
        env={**os.environ, **env, "PYTHONPATH": str(hook), "TERM": "xterm-256color"},
        dimensions=(24, 80),
        timeout=60,
    )
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)

    def wait_for(wanted: str) -> None:
        deadline = time.monotonic() + 60
        while wanted not in "\n".join(screen.display):
            assert time.monotonic() < deadline, "\n".join(screen.display)
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                pass

    wait_for("Ctrl+Q quit")
    child.send("6")
    wait_for("6")
    child.send("\x1b[12~")  # F2: the broken tick
    rest = child.read().decode("utf-8", "replace")
    child.close()
    assert child.exitstatus == 1, rest
    assert "Traceback" not in rest
    lines = [line for line in rest.replace("\r", "\n").split("\n") if "call screen stopped" in line]
    assert len(lines) == 1 and "ScreenStackError" in lines[0]
    draft = json.loads((home / "call-draft.json").read_text("utf-8"))
    assert draft["offer"]["periods"] == "6"
    entries = run("log", "list", "--json", env=env)
    assert json.loads(entries.stdout)["entries"] == []
