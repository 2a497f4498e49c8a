"""Every screen at 60, 80 and 120 columns in both languages, read for what a reader copies or
reads as one thing: a command, a fingerprint, a hash, an amount, a name, a word. The oracle is
the same screen at 1000 columns (nothing wrapped): whatever it holds in one piece must be in
one piece on a narrow screen too (on one line), unless the narrow screen leaves it out
(a dropped column) — or, for a command wider than the screen, broken only at its spaces. No
line starts with closing punctuation; the call screen is read at 60 × 20 and 80 × 24.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from pathlib import Path

import pytest
from wcwidth import wcswidth

from helpers import LOG_ADD, invoke, repaycli_exe

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-21"
PLAN = [
    "plan", "--platform", "huabei", "--overdue", "11400", "--income", "6000", "--expenses",
    "4000", "--days-overdue", "30", "--reason", "medical",
]  # fmt: skip
HARDSHIP = [
    "plan", "--platform", "借呗", "--overdue", "1万", "--income", "0", "--expenses", "2500",
    "--days-overdue", "45", "--reason", "unemployment", "--no-save",
]  # fmt: skip
TIGHT = ["plan", "--debts", "examples/debts-tight.toml", "--no-save"]
SCREENS: dict[str, list[str]] = {
    "call card (plan)": PLAN,
    "plan --details": [*PLAN, "--details"],
    "hardship --details": [*HARDSHIP, "--details"],
    "debts --details": [*TIGHT, "--details"],
    "debts --compare": [*TIGHT, "--compare"],
    "offer": ["offer", "--amount", "11400", "--periods", "24", "--fee-rate", "0.6%"],
    "letter": ["letter"],
    "letter --kind complaint": ["letter", "--kind", "complaint", "--platform", "招商银行信用卡"],
    "log list": ["log", "list"],
    "log show": ["log", "show", "2"],
    "log verify": ["log", "verify"],
    "log fingerprint": ["log", "fingerprint"],
    "remind": ["remind", "--days", "30"],
    "agreement list": ["agreement", "list"],
    "agreement show": ["agreement", "show", "1"],
    "platforms": ["platforms"],
    "db path": ["db", "path"],
}
#: Punctuation no line starts with.
NO_START = tuple("，。；：、）」』”》】！？,.;:)!?")
#: What a reader copies or reads as one piece.
ATOMS = [
    re.compile(r"'repaycli [^'\n]*'"),  # a quoted command
    re.compile(r"repaycli(?: (?:--?[a-z][a-z0-9-]*|[a-z][a-z-]*))+"),  # a bare one
    re.compile(r"--[a-z][a-z0-9-]+"),  # an option
    re.compile(r"\b\d+-\d+(?:-[0-9a-f]{4}){5}\b"),  # a fingerprint
    re.compile(r"\b[0-9a-f]{16,64}\b"),  # a hash
    re.compile(r"¥?-?\d{1,3}(?:,\d{3})*\.\d\d(?: 元)?"),  # an amount
    re.compile(r"\b\d{4}-\d\d-\d\d\b"),  # a date
    re.compile(r"\b[A-Za-z]{3,}\b"),  # a word
    re.compile(r"(?:/[\w.-]+){2,}"),  # a path
]
#: Letters are one paragraph a line by design (pasted into a chat, an e-mail, a word processor
#: flows them): their lines are not held to the screen's width, only their pieces to one line.
UNWRAPPED = ("letter", "letter --kind complaint")


@pytest.fixture(scope="module")
def names() -> list[str]:
    """Every platform name in both languages: words a table must not break."""
    from repaycli.catalog import load_catalogue

    found = set()
    for platform in load_catalogue().platforms:
        for lang in ("zh", "en"):
            found.add(platform.name(lang))
    return sorted(found, key=len, reverse=True)


def _setup(lang: str) -> None:
    env = {"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang}
    assert invoke(*PLAN, env=env).exit_code == 0
    added = invoke(*LOG_ADD, "--outcome", "pending", "--at", "2026-11-20 10:00",
                   "--agent", "工号12348", "--ref", "20261121-8899",
                   "--offered", "分24期，每期手续费0.6%", "--follow-up", "2026-12-01",
                   "--follow-up-action", "再打一次电话确认书面方案", env=env)  # fmt: skip
    assert added.exit_code == 0, added.output
    other = invoke("log", "add", "--no-input", "--platform", "招商银行信用卡", "--channel",
                   "app_chat", "--outcome", "callback_promised", "--at", "2026-11-19 15:00",
                   "--notes", "客服说三个工作日内回电（12348 也可咨询）", "--follow-up",
                   "2026-11-22", "--collection", env=env)  # fmt: skip
    assert other.exit_code == 0, other.output
    agreed = invoke("agreement", "add", "--no-input", "--platform", "huabei", "--total",
                    "11400", "--periods", "12", "--first-due", "2026-11-23", env=env)  # fmt: skip
    assert agreed.exit_code == 0, agreed.output


#: Messages written as they are to a pipe, and broken by repaycli on a terminal: read through a
#: real pseudo-terminal of each width.
ON_A_TERMINAL = ("log fingerprint", "log verify", "log verify --fingerprint")


def _screen(args: list[str], lang: str, width: int, *, terminal: bool = False) -> str:
    env = {"REPAYCLI_TODAY": TODAY, "REPAYCLI_LANG": lang, "COLUMNS": str(width)}
    if terminal:
        return _on_a_terminal(args, env, width)
    result = invoke(*args, env=env)
    assert result.exit_code in (0, 1), (args, result.output)
    return result.output


def _on_a_terminal(args: list[str], env: dict[str, str], width: int) -> str:
    import os

    pexpect = pytest.importorskip("pexpect")
    full = {**os.environ, **env}
    full.pop("COLUMNS", None)  # the terminal's own size, as a person has it
    child = pexpect.spawn(
        repaycli_exe(), args, env=full, dimensions=(50, width), timeout=60, encoding="utf-8"
    )
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before).replace("\r\n", "\n")


def _log_list(lang: str, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """``log list`` as a terminal shows it (a table; piped, it is tab-separated by design)."""
    import io

    from rich.console import Console

    import repaycli.render.console as console_module
    from repaycli import store
    from repaycli.i18n import set_lang
    from repaycli.render.log import print_list

    set_lang(lang)
    out = io.StringIO()
    made = Console(file=out, width=width, no_color=True, markup=False, highlight=False)
    # a context of its own: monkeypatch.undo() also undid the conftest's REPAYCLI_HOME, so every
    # later call read the real user's database (and failed when another version had migrated it)
    with monkeypatch.context() as patched:
        patched.setattr(console_module, "make_console", lambda **_: made)
        with store.opened(read_only=True) as conn:
            print_list(store.iter_contacts(conn))
    return out.getvalue()


def _atoms(text: str) -> set[str]:
    found: set[str] = set()
    for pattern in ATOMS:
        found.update(m.group(0).strip() for m in pattern.finditer(text))
    return found


def broken(
    wide: str, narrow: str, width: int, names: list[str], *, wrapped: bool = True
) -> list[str]:
    """What ``narrow`` breaks that ``wide`` (the same screen unwrapped) holds in one piece."""
    faults = []
    lines = narrow.split("\n")
    joined = "".join(line.strip() for line in lines)
    for atom in sorted(_atoms(wide)):
        if any(atom in line for line in lines):
            continue
        if atom.replace(" ", "") not in joined.replace(" ", ""):
            continue  # left out at this width (a dropped column), not broken
        if len(atom) > width - 4 and " " in atom:  # a command wider than the screen: by words
            pieces = atom.strip("'").split(" ")
            if all(any(piece in line for line in lines) for piece in pieces):
                continue
        faults.append(f"broken: {atom!r}")
    # words inside table cells: a cell that ends in a piece of a name or a word
    wide_words = set(re.findall(r"[A-Za-z][A-Za-z0-9-]*", wide))
    for n, line in enumerate(lines):
        after = lines[n + 1].strip() if n + 1 < len(lines) else ""
        for cell in re.split(r" {2,}", line.strip()):
            tail = re.search(r"(-{0,2}[A-Za-z][A-Za-z0-9-]*)$", cell)
            if tail and tail.group(1) not in wide_words:
                piece = tail.group(1)
                legit = piece.endswith("-") and not piece.startswith("-")  # pro-|rata
                if not legit and any(w.startswith(piece) for w in wide_words):
                    faults.append(f"word broken: {piece!r} in {line!r}")
            for name in names:  # a Chinese name whose rest opens the next line's cell
                if name in cell or name not in wide:
                    continue
                for k in range(1, len(name)):
                    head, rest = name[:k], name[k:]
                    if not re.fullmatch(r"[\u4e00-\u9fff]+", head + rest[:1]):
                        continue
                    if cell.endswith(head) and re.search(rf"(^| {{2,}}){re.escape(rest)}", after):
                        faults.append(f"name broken: {head!r} / {rest!r} in {line!r}")
    for line in lines:
        cells = wcswidth(line)
        whole = any(len(a) > width - 8 and a in line for a in _atoms(line))  # a hash, a path
        if wrapped and cells > width and not whole:
            faults.append(f"wider than {width} ({cells}): {line!r}")  # the terminal would cut it
        if line.strip().startswith(NO_START):
            faults.append(f"starts with closing punctuation: {line!r}")
    return faults


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_screen_keeps_its_pieces_whole(
    lang: str, names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)
    _setup(lang)
    code = json.loads(invoke("log", "fingerprint", "--json").stdout)["fingerprint"]
    screens = {**SCREENS, "log verify --fingerprint": ["log", "verify", "--fingerprint", code]}
    faults = []
    for name, args in screens.items():
        terminal = name in ON_A_TERMINAL
        wide = _screen(args, lang, 1000, terminal=terminal)
        assert wide.strip(), name
        for width in (60, 80, 120):
            narrow = _screen(args, lang, width, terminal=terminal)
            found = broken(wide, narrow, width, names, wrapped=name not in UNWRAPPED)
            faults += [f"{name} @{width}: {f}" for f in found]
    wide = _log_list(lang, 1000, monkeypatch)
    for width in (60, 80, 120):
        narrow = _log_list(lang, width, monkeypatch)
        faults += [f"log list table @{width}: {f}" for f in broken(wide, narrow, width, names)]
    assert faults == [], "\n".join(faults)


def test_the_fingerprint_command_is_whole_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The case reported: at 80 columns the command to keep the code broke as --fingerpr / int,
    and the terminal, not repaycli, wrapped the line."""
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)
    _setup("zh")
    code = json.loads(invoke("log", "fingerprint", "--json").stdout)["fingerprint"]
    piped = _screen(["log", "fingerprint"], "zh", 80).splitlines()  # for a script: unbroken
    assert len(piped) == 2 and f"'repaycli log verify --fingerprint {code}'" in piped[1]
    text = _screen(["log", "fingerprint"], "zh", 80, terminal=True)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert any(f"'repaycli log verify --fingerprint {code}'" in line for line in lines), text


# --- the call screen -----------------------------------------------------------------------------


def _rows(svg: str) -> list[str]:
    """The screen's rows from Textual's SVG screenshot: text pieces grouped by their line."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text[^>]*? x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return ["".join(t for _, t in sorted(parts)) for _, parts in sorted(rows.items())]


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_call_screen_starts_no_line_with_closing_punctuation(
    tmp_path: Path, lang: str, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date, datetime, timedelta, timezone

    from repaycli.i18n import set_lang
    from repaycli.services.call import Situation, prepare
    from repaycli.tui.call import CallApp

    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)
    assert invoke(*PLAN, env={"REPAYCLI_LANG": lang}).exit_code == 0
    set_lang(lang)
    start = datetime(2026, 11, 21, 14, 30, tzinfo=timezone(timedelta(hours=8)))
    app = CallApp(prepare(None, Situation(), day=date.fromisoformat(TODAY)), clock=lambda: start)
    app.started = start

    async def main() -> list[str]:
        shots = []
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            shots.append(app.export_screenshot())
            await pilot.press("f2")  # the first step ticked, an offer above the line typed
            app.query_one("#offer-periods").focus()
            await pilot.press("6", "down", "1", "4", "0", "0")
            await pilot.pause()
            shots.append(app.export_screenshot())
            await pilot.press("f3")  # the notes
            await pilot.pause()
            shots.append(app.export_screenshot())
        return shots

    for shot in asyncio.run(main()):
        rows = _rows(shot)
        assert len(rows) >= size[1] - 2, rows
        starts = [r for r in rows if r.strip().lstrip("│┃║▌▐|").strip().startswith(NO_START)]
        assert starts == [], "\n".join(rows)
