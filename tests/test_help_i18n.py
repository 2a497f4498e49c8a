"""Issue 11: every help screen, placeholder and usage error in the user's language.

Walks every command's and subcommand's ``-h`` in both languages (``CliRunner`` and a real
``repaycli``): a Chinese screen whose descriptions have no Chinese, or an English screen whose
descriptions are Chinese, fails; so does a catalogue without an entry for any option of any
command (a command added later needs its help in ``i18n/*/help.toml``).
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from typing import Any

import pytest
import typer.main
from rich.cells import cell_len

from helpers import invoke, repaycli_exe, run, wait_until_reading_stdin
from repaycli.cli import RepayContext, app
from repaycli.cli.help import command_key, paragraphs, param_key, wrap
from repaycli.i18n import catalogue, set_lang

CJK = re.compile(r"[\u3400-\u9fff]")
#: Typer's own placeholders, which say nothing to a user.
TYPER_METAVAR = re.compile(r"<(str|int|float|path|list\[[^\]]*\]|int range|datetime)>")
ENGLISH_FRAMEWORK = re.compile(
    r"Usage:|Options:|Commands:|Show this message|No such|Invalid value|Missing (option|argument)"
    r"|Got unexpected|Did you mean|Possible options|does not take|requires an argument|Aborted"
)


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name in list(getattr(group, "commands", {})):
        command = group.commands[name]
        found.append((*path, name))
        found += _commands(command, (*path, name))
    return found


def _all_paths() -> list[tuple[str, ...]]:
    return [(), *_commands(typer.main.get_command(app))]


PATHS = _all_paths()


def _rows(screen: str) -> list[tuple[str, str]]:
    """(name, description) of every row under Options / Commands / Arguments (either language),
    continuation lines joined to their row."""
    rows: list[tuple[str, str]] = []
    inside = False
    for line in screen.splitlines():
        if re.fullmatch(r"(Options|Commands|Arguments|选项|命令|参数)[:：]", line):
            inside = True
            continue
        if not line.strip():
            inside = False
            continue
        if not inside:
            continue
        if re.match(r"^  \S", line):
            name, _, desc = line.strip().partition("  ")
            rows.append((name, desc.strip()))
        elif rows:
            rows[-1] = (rows[-1][0], rows[-1][1] + line.strip())
    return rows


def _description(screen: str) -> str:
    """The command's own text: the indented lines between the usage line and the first
    heading."""
    lines = []
    for line in screen.splitlines()[1:]:
        if re.fullmatch(r"\S.*[:：]", line):
            break
        lines.append(line.strip())
    return " ".join(lines).strip()


def _check_zh(screen: str, path: tuple[str, ...]) -> None:
    where = " ".join(path) or "repaycli"
    assert screen.startswith("用法：repaycli"), (where, screen[:80])
    assert "[选项]" in screen.splitlines()[0], where
    assert CJK.search(_description(screen)), (where, "the command's text has no Chinese")
    rows = _rows(screen)
    assert rows, where
    for name, desc in rows:
        assert CJK.search(desc), (where, name, desc)
    assert not ENGLISH_FRAMEWORK.search(screen), where
    assert not TYPER_METAVAR.search(screen), where


def _check_en(screen: str, path: tuple[str, ...]) -> None:
    where = " ".join(path) or "repaycli"
    assert screen.startswith("Usage: repaycli"), where
    for name, desc in [("(text)", _description(screen)), *_rows(screen)]:
        letters = len(re.findall(r"[A-Za-z]", desc))
        chinese = len(CJK.findall(desc))
        # English, with Chinese only as examples of what to type (花呗, 1.2万, 20天)
        assert letters >= 3 * chinese and letters > 0, (where, name, desc)
    assert not TYPER_METAVAR.search(screen), where


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "root")
def test_every_help_screen_is_in_the_language_asked(path: tuple[str, ...]) -> None:
    zh = invoke("--lang", "zh", *path, "-h")
    assert zh.exit_code == 0, zh.output
    _check_zh(zh.stdout, path)
    en = invoke("--lang", "en", *path, "-h")
    assert en.exit_code == 0, en.output
    _check_en(en.stdout, path)
    assert zh.stdout != en.stdout


def test_help_follows_the_locale_and_the_last_lang_in_a_real_process() -> None:
    env = {"REPAYCLI_LANG": "", "LANG": "zh_CN.UTF-8", "LC_ALL": "", "COLUMNS": "80"}
    for path in [(), ("plan",), ("log", "add"), ("remind",)]:
        done = run(*path, "--help", env=env)
        assert done.returncode == 0, done.stderr
        _check_zh(done.stdout, path)
    # A command's own --lang wins over the root's and the locale, even before -h.
    done = run("--lang", "zh", "plan", "--lang", "en", "-h", env=env)
    _check_en(done.stdout, ("plan",))
    done = run("plan", "--lang", "zh", "-h", env={"REPAYCLI_LANG": "en"})
    _check_zh(done.stdout, ("plan",))


def _params(path: tuple[str, ...]) -> list[Any]:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    ctx = typer.Context(command)
    return [*command.params, command.get_help_option(ctx)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_and_option_has_help_in_both_catalogues(lang: str) -> None:
    messages = catalogue(lang)
    missing = []
    for path in PATHS:
        if command_key(path) + "._command" not in messages:
            missing.append(command_key(path) + "._command")
        for param in _params(path):
            if param_key(path, param) not in messages:
                missing.append(param_key(path, param))
    assert missing == []


def _screen(path: tuple[str, ...], lang: str, columns: int) -> str:
    """The help of ``path`` as a terminal ``columns`` wide shows it (``CliRunner`` forces 80;
    click leaves two columns free and never goes beyond 80)."""
    set_lang(lang)
    command: Any = typer.main.get_command(app)
    width = max(min(columns, 80) - 2, 50)
    ctx = RepayContext(command, info_name="repaycli", terminal_width=width)
    for name in path:
        command = command.commands[name]
        ctx = RepayContext(command, info_name=name, parent=ctx)
    return str(command.get_help(ctx))


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_fits_the_terminal_and_breaks_well(lang: str, columns: int) -> None:
    for path in PATHS:
        screen = _screen(path, lang, columns)
        (_check_zh if lang == "zh" else _check_en)(screen, path)
        for line in screen.splitlines():
            assert cell_len(line) <= min(columns, 80) - 2, (path, line)
            assert not re.match(r"^\s*[，。、；：？！）》」』】]", line), (path, line)
            assert not re.search(r"[（《「『【]$", line), (path, line)
            assert not re.search(r"\d$", line) or not re.match(r"^\s*[个天期月年]", line)


def test_wrapping_by_display_width() -> None:
    text = "每月可拿来还款的比例，占可支配收入（默认 50%；没填支出时按收入的 30%）。"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line) <= 20 for line in lines)
    assert wrap("预计收入恢复的日期（2027-03-01、+3m、3个月）。", 38)[-1].startswith("3个月")
    assert paragraphs("第一行\n第二行 and\nEnglish\n\nnext") == ["第一行第二行 and English", "next"]


BAD = [
    (["plan", "--format", "xml"], "xml 不在可选项中：text、markdown、json", "xml is not one of"),
    (["remind", "--days", "abc"], "0 到 366 之间的整数", "from 0 to 366"),
    (["agreement", "show"], "缺少编号", "ID is missing"),  # pay alone asks (issue 24)
    (["pay", "1", "--amont", "5"], "没有 --amont 这个选项；你是不是指 --amount？",
     "did you mean --amount?"),
    (["plna"], "没有 plna 这个命令；你是不是指 plan？", "did you mean plan?"),
    (["log", "ad"], "你是不是指 add？", "did you mean add?"),
    (["plan", "--no-input=3"], "--no-input 后面不需要值", "--no-input takes no value"),
    (["log", "add", "--platform"], "--platform 后面要跟一个值", "--platform needs a value"),
    (["--bogus"], "没有 --bogus 这个选项", "there is no option --bogus"),
    (["platforms", "extra"], "多了这些内容：extra",
     "unexpected extra words on the command line: extra"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "zh", "en"), BAD, ids=lambda v: str(v)[:30])
def test_usage_errors_are_one_translated_line(args: list[str], zh: str, en: str) -> None:
    for lang, expected in (("zh", zh), ("en", en)):
        result = invoke("--lang", lang, *args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert expected in result.stderr
        assert result.stderr.startswith("错误：" if lang == "zh" else "Error: ")
        assert not ENGLISH_FRAMEWORK.search(result.stderr)
    done = run(*args, env={"REPAYCLI_LANG": "zh"})
    assert done.returncode == 2 and zh in done.stderr, done.stderr


def _read_until(stream: Any, marker: bytes, timeout: float = 30) -> bytes:
    seen = b""
    end = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < end:
        ready, _, _ = select.select([stream], [], [], 0.5)
        if ready:
            chunk = os.read(stream.fileno(), 1024)
            if not chunk:
                break
            seen += chunk
    return seen


def test_ctrl_c_at_a_prompt_says_so_in_chinese() -> None:
    env = {**os.environ, "REPAYCLI_LANG": "zh"}
    proc = subprocess.Popen(
        [repaycli_exe(), "plan"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        # A suite started in the background (``cmd &`` in a script, as CI may) inherits SIGINT
        # ignored, and so would the child: it must get Ctrl-C as a terminal gives it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    try:
        prompt = _read_until(proc.stderr, "：".encode())
        assert "平台".encode() in prompt, prompt
        wait_until_reading_stdin(proc.pid)  # in the read itself, however loaded the machine
        proc.send_signal(signal.SIGINT)
        # Its input stays open until it has gone: closed first (as ``communicate`` does), a
        # slow child could read the end of input before it sees the signal, which is another
        # story (exit 2, "input ended").
        proc.wait(timeout=120)
        out, err = proc.stdout.read(), proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    text = (prompt + err).decode()
    assert proc.returncode == 1, text  # Ctrl-C at the prompt
    assert "已中止" in text and "Aborted" not in text, text
    assert out == b""
