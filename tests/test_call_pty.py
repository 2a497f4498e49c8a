"""The installed ``repaycli call`` in a real pseudo-terminal (pexpect), 80 × 24: type an offer,
end the call, and find the entry with ``log list --json``; quit with a draft and get it back."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from helpers import repaycli_exe, run

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

F10 = "\x1b[21~"
UP = "\x1b[A"
CTRL_Q = "\x11"
DOWN = "\x1b[B"
TIMEOUT = 60


class Terminal:
    """``repaycli call`` in a pseudo-terminal of 80 × 24, its output read into a terminal
    emulator (pyte) so that the screen can be read as a person sees it."""

    def __init__(self, home: Path, *args: str, lang: str = "en") -> None:
        env = {
            **os.environ,
            "REPAYCLI_HOME": str(home),
            "REPAYCLI_LANG": lang,
            "REPAYCLI_TODAY": "2026-12-02",
            "TERM": "xterm-256color",
            "NO_COLOR": "1",
        }
        self.child = pexpect.spawn(
            repaycli_exe(), ["call", *args], env=env, dimensions=(24, 80), timeout=TIMEOUT
        )
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def _read(self) -> bool:
        try:
            self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            return False
        return True

    def wait_for(self, wanted: str) -> None:
        """Until ``wanted`` is on the screen (the test fails after ``TIMEOUT`` seconds)."""
        deadline = time.monotonic() + TIMEOUT
        while wanted not in self.text():
            if not self._read() or time.monotonic() > deadline:
                raise AssertionError(f"{wanted!r} never appeared on:\n{self.text()}")
        time.sleep(0.3)  # let the screen settle before the next key (nothing is timed)
        self._read()

    def send(self, keys: str) -> None:
        """Keys as a person types them: an escape sequence (an arrow, F10) not run together
        with the text before and after it."""
        if keys.startswith("\x1b"):
            time.sleep(0.3)
        self.child.send(keys)
        if keys.startswith("\x1b"):
            time.sleep(0.3)

    def finish(self) -> str:
        """Everything printed after the app left the screen; the exit status must be 0."""
        rest = self.child.read()  # to the end
        self.child.close()
        assert self.child.exitstatus == 0, rest
        return rest.decode("utf-8", "replace") if isinstance(rest, bytes) else str(rest)


def plan(home: Path) -> None:
    done = run(
        *("plan", "--no-input", "--platform", "huabei", "--overdue", "8000", "--income", "6000"),
        *("--expenses", "3500"),
        env={"REPAYCLI_HOME": str(home), "REPAYCLI_TODAY": "2026-12-02"},
    )
    assert done.returncode == 0, done.stderr


def entries(home: Path) -> list[dict[str, object]]:
    done = run("log", "list", "--json", env={"REPAYCLI_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)["entries"]
    return found


def test_an_offer_typed_in_a_real_terminal_ends_up_in_the_log(tmp_path: Path) -> None:
    home = tmp_path / "data"
    plan(home)
    term = Terminal(home)
    term.wait_for("Ctrl+Q quit")  # the key bar: the screen is drawn
    assert "Walk away" in term.text() and "95188" in term.text()
    term.send("6")  # the focus starts in Periods (the amount comes from the plan)
    term.send(DOWN)
    term.send("1400")
    term.wait_for("DO NOT AGREE")
    term.send("\r")  # keep the offer
    term.wait_for("offer kept")
    term.send(F10)
    term.wait_for("Outcome:")
    term.wait_for("(•) pending")  # never "agreed" unasked
    term.send("\r")  # on to Save
    term.send("\r")  # Save
    out = term.finish()
    assert "Call saved as log entry #1" in out
    (entry,) = entries(home)
    assert entry["outcome"] == "pending" and entry["platform"] == "huabei"
    assert "1,400.00" in str(entry["offered"])
    verify = run("log", "verify", env={"REPAYCLI_HOME": str(home)})
    assert verify.returncode == 0, verify.stderr


def test_quitting_asks_and_the_draft_comes_back(tmp_path: Path) -> None:
    home = tmp_path / "data"
    plan(home)
    term = Terminal(home, lang="zh")
    term.wait_for("Ctrl+Q 退出")
    assert "底线" in term.text()
    term.send("12")
    term.wait_for("12")
    term.send(CTRL_Q)
    term.wait_for("还没有保存这通电话")
    term.send("\t")  # from "back to the call" to "quit, keep the draft"
    term.send("\r")
    assert "草稿已保留" in term.finish()
    assert entries(home) == []
    draft = json.loads((home / "call-draft.json").read_text("utf-8"))
    assert draft["offer"]["periods"] == "12"

    again = Terminal(home, lang="zh")
    again.wait_for("要接着用那次输入的内容吗")
    again.send("\r")  # carry on
    again.wait_for("下一步")
    again.send(DOWN)
    again.send("700")
    again.wait_for("700.00")
    again.send(F10)
    again.wait_for("(•) 待定")  # never "agreed" unasked
    again.send(UP)
    again.wait_for("按哪个报价记录还款协议")
    again.send("\t")
    again.send("\t")
    again.send("\r")
    out = again.finish()
    assert "已保存通话记录 #1" in out and "还款协议 #1" in out
    (entry,) = entries(home)
    assert entry["outcome"] == "agreed"
    assert not (home / "call-draft.json").exists()
