"""Helpers every command uses: language, the clock, prompts, output format, error lines."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from repaycli.errors import BadInput, RepayError
from repaycli.i18n import set_lang, t
from repaycli.render.safe import safe_text
from repaycli.render.stdout import write_all

T = TypeVar("T")


class OutputFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


LangOption = Annotated[
    str | None, typer.Option("--lang", help="Language: zh or en (default: REPAYCLI_LANG, locale).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (shape in the README).")]
NoInputOption = Annotated[
    bool, typer.Option("--no-input", help="Never prompt: a missing value is an error.")
]


def use_lang(value: str | None) -> None:
    """Set the language for this run (``None``: detect it). Called by the root callback."""
    set_lang(value)


def command_lang(value: str | None) -> None:
    """A command's own ``--lang`` overrides the root one when given."""
    if value is not None:
        set_lang(value)


def today() -> date:
    """Today's date; ``REPAYCLI_TODAY`` (ISO) pins it for tests and worked examples."""
    pinned = os.environ.get("REPAYCLI_TODAY")
    if pinned:
        try:
            day = date.fromisoformat(pinned)
        except ValueError:
            raise BadInput("err.env_today", value=pinned) from None
        if not date(1970, 1, 1) <= day <= date(2999, 12, 31):  # dates computed from it must fit
            raise BadInput("err.env_today_range", value=pinned)
        return day
    return date.today()


def now() -> datetime:
    """The current time, in the local time zone (date pinned by ``REPAYCLI_TODAY``)."""
    current = datetime.now().astimezone()
    pinned = today()
    if pinned != current.date():
        current = current.replace(year=pinned.year, month=pinned.month, day=pinned.day)
    return current


def have_database() -> bool:
    """Whether the database exists yet: commands that only read never create it (nor its
    folder) — they show an empty result or an unknown id instead, as ``remind`` does."""
    from repaycli.paths import db_path

    return db_path().exists()


#: The most of a bad value an error line quotes (a 1 MB paste must not become a 1 MB line).
MAX_QUOTED = 200


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def report_error(error: RepayError) -> None:
    """One line on stderr: what is wrong and how to fix it."""
    params = {
        k: shorten(safe_text(v)) if isinstance(v, str) else v for k, v in error.params.items()
    }
    message = t(error.key, **params)
    typer.echo(f"{t('err.prefix')}{message}", err=True)


def read_answer(prompt: str) -> str | None:
    """Show ``prompt`` on stderr and read one line from stdin; ``None`` at end of input.

    Nothing goes to stdout, so ``repaycli plan --json > plan.json`` stays clean (click's prompt
    writes a space there). On a terminal ``input`` keeps line editing. Ctrl-C aborts the command.
    """
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        if sys.stdin.isatty():
            return input("")
        line = sys.stdin.readline()
    except EOFError:
        line = ""
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise typer.Abort() from None
    if not line:
        sys.stderr.write("\n")
        return None
    return line.rstrip("\r\n")


#: Answers to an optional question that mean "skip", as people type them.
SKIP_WORDS = frozenset(
    ("不知道", "不清楚", "不确定", "跳过", "略过")
    + ("skip", "unknown", "don't know", "dont know", "n/a")
)


def is_skip(answer: str) -> bool:
    """An empty answer, ``不知道``, ``跳过``, ``skip``…: the question is skipped."""
    import unicodedata

    word = unicodedata.normalize("NFKC", answer).strip().lower().rstrip("。.!！")
    return not word or word.replace("’", "'") in SKIP_WORDS


def ask(
    label: str,
    parse: Callable[[str], T],
    *,
    flag: str,
    no_input: bool,
    optional: bool = False,
    default: str | None = None,
) -> T | None:
    """Prompt (on stderr) until ``parse`` accepts the answer.

    An empty answer to an optional question means "skip", and so do ``不知道``, ``跳过`` and
    the end of input (``is_skip``). With
    ``no_input`` a required value is an error naming its flag; so is the end of input (a prompt
    in cron or a closed pipe).
    """
    if no_input:
        if optional:
            return None
        if default is not None:
            return parse(default)
        raise BadInput("err.missing_value", flag=flag)
    hint = t("prompt.optional_hint") if optional else ""
    shown_default = f" [{default}]" if default is not None else ""
    while True:
        answer = read_answer(f"{label}{hint}{shown_default}{t('prompt.colon')}")
        if answer is None:
            if optional:
                return None
            if default is not None:
                return parse(default)
            raise BadInput("err.input_ended", flag=flag)
        try:
            answer.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
            raw = answer.encode("utf-8", "surrogateescape")  # the bytes as typed: \xff
            shown = raw.decode("utf-8", "backslashreplace")
            report_error(BadInput("err.not_utf8", value=shown))
            continue
        answer = answer.strip() or (default or "")
        if optional and is_skip(answer):
            return None
        if not answer:
            typer.echo(t("prompt.required"), err=True)
            continue
        try:
            return parse(answer)
        except BadInput as error:
            report_error(error)


def choose_format(json_flag: bool, fmt: OutputFormat | None) -> OutputFormat:
    if json_flag:
        if fmt not in (None, OutputFormat.JSON):
            raise BadInput("err.format_conflict")
        return OutputFormat.JSON
    return fmt or OutputFormat.TEXT


def write_out(text: str) -> None:
    """Write already-rendered text to stdout as UTF-8, whatever the locale (cron has none)."""
    data = text if text.endswith("\n") else text + "\n"
    _write_stdout(data, flush=True)


def screen_width() -> int | None:
    """The width to break a message at on a terminal (``COLUMNS`` first, as ``shutil`` reads
    it); ``None`` for a pipe or cron: a script or ``grep`` gets each message on one line."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return max(shutil.get_terminal_size((80, 24)).columns, 20)


def write_wrapped(text: str) -> None:
    """A message broken at the terminal's width by ``render.wrap`` (a command, a code, a name
    kept whole) rather than by the terminal, which cuts wherever the line ends
    (``--fingerpr`` / ``int``)."""
    cells = screen_width()
    if cells is not None:
        from repaycli.render.wrap import fill

        text = "\n".join(fill(line, cells) for line in text.rstrip("\n").split("\n"))
    write_out(text)


class StdoutWriter:
    """Text for stdout written as it is produced (``write``), as UTF-8 whatever the locale, in
    blocks of about ``BLOCK`` characters: a long listing never sits whole in memory. Errors are
    ``write_out``'s (a reader that left: exit 1 quietly; a full disk: one line)."""

    BLOCK = 1 << 16

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= self.BLOCK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._parts:
            data = "".join(self._parts)
            self._parts, self._size = [], 0
            _write_stdout(data, flush=False)
        _write_stdout("", flush=True)


def _write_stdout(data: str, *, flush: bool) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data)
        return
    try:
        if data:
            write_all(sys.stdout, data, encoding="utf-8", flush=flush)
        elif flush:
            buffer.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and let nothing flush at exit.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
            pass
        raise typer.Exit(1) from None
    except OSError as exc:  # a full disk under `> file`, an I/O error
        from repaycli.errors import Failure

        raise Failure("err.file_write", path="<stdout>", detail=exc.strerror or str(exc)) from exc
