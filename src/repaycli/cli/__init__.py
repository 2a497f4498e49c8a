"""The ``repaycli`` command: the typer app, global options, and the one place errors become exit
codes (see ``repaycli.errors``)."""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from repaycli import __version__
from repaycli.cli.coercion import defer, defer_all, defer_help
from repaycli.cli.typer_private import Command, NoArgsIsHelpError, UsageError
from repaycli.errors import EXIT_BAD_INPUT, RepayError
from repaycli.i18n import normalise_lang, set_lang, t

#: The commands, in the order ``repaycli -h`` lists them, and the module (``repaycli.cli.<name>``)
#: whose ``register(app)`` adds each. A module is imported, and typer builds its commands, only
#: when one of them is run or listed: building every command's options from its annotations costs
#: more than importing typer itself, and cron runs ``remind`` alone.
COMMANDS = {
    "plan": "plan",
    "debts": "register",
    "platforms": "platforms",
    "pay": "agreement",
    "offer": "offer",
    "letter": "letter",
    "report": "report",
    "remind": "remind",
    "log": "log",
    "agreement": "agreement",
    "db": "db",
    "completion": "completion",
    "call": "call",
}


class RepayContext(typer.Context):
    """Every repaycli command's context: help screens and usage lines in the user's language
    (``cli/help.py``, imported only when one is shown)."""

    def make_formatter(self) -> Any:
        from repaycli.cli.help import formatter_for

        return formatter_for(self)


def adopt(command: Any) -> None:
    """Give ``command`` and its subcommands ``RepayContext``."""
    command.context_class = RepayContext
    for sub in getattr(command, "commands", {}).values():
        adopt(sub)


#: Set by the shell completion script (``cli/completion.py``) when it asks for candidates.
COMPLETE_VAR = "_REPAYCLI_COMPLETE"


def _build(module_name: str) -> dict[str, Command]:
    """The click commands that ``repaycli.cli.<module_name>.register`` adds, built as typer
    builds them under the root app (same markup and exception settings)."""
    module = importlib.import_module(f"repaycli.cli.{module_name}")
    holder = typer.Typer(
        rich_markup_mode=app.rich_markup_mode, pretty_exceptions_short=app.pretty_exceptions_short
    )
    holder.callback()(lambda: None)  # a callback makes typer build a group even for one command
    module.register(holder)
    commands = dict(typer.main.get_group(holder).commands)
    for name, command in commands.items():
        defer_all(command)
        adopt(command)  # help and usage errors in the user's language (cli/help.py)
        if COMPLETE_VAR in os.environ:  # a shell completing: descriptions in its language
            from repaycli.cli.help import localise_tree

            localise_tree(command, [name])
    return commands


class LazyCommands(MutableMapping[str, Command]):
    """The root group's subcommands: names known up front, each built on first access."""

    def __init__(self, commands: MutableMapping[str, Command]) -> None:
        self._built: dict[str, Command] = dict(commands)
        self._names = [*COMMANDS, *(n for n in commands if n not in COMMANDS)]

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built.update(_build(COMMANDS[name]))
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        if name not in self._names:
            self._names.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


class RepayGroup(TyperGroup):
    """A command group that prints a ``RepayError`` — or a usage error in a subcommand, such as an
    unknown option — as one translated line on stderr, with its exit code. Its subcommands are
    built lazily (``COMMANDS``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = LazyCommands(self.commands)
        self.context_class = RepayContext
        defer(self.params)
        defer_help(self)

    def make_context(self, info_name: Any, args: list[str], *a: Any, **kw: Any) -> Any:
        # A usage mistake in the root's own options (``repaycli --bogus``): one translated line,
        # as for a subcommand's.
        try:
            return super().make_context(info_name, args, *a, **kw)
        except UsageError as error:
            if isinstance(error, NoArgsIsHelpError):
                raise
            _usage_failed(error, info_name or "repaycli")

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # The language is needed before any option is read (``plan --lang zh -h`` shows help
        # while reading ``-h``): the last valid ``--lang`` anywhere, else the environment.
        ctx.meta[LANG_KEY] = _lang_in(args)
        set_lang(ctx.meta[LANG_KEY])
        # Bytes that are not UTF-8 reach Python as lone surrogates ("\udcff"), which nothing
        # downstream can store, hash or print: refuse them here, once, in one line.
        for arg in args:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                from repaycli.cli.common import report_error

                shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "replace")
                report_error(RepayError("err.not_utf8", value=shown))
                raise typer.Exit(EXIT_BAD_INPUT) from None
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RepayError as error:
            from repaycli.cli.common import report_error

            report_error(error)
            raise typer.Exit(error.exit_code) from None
        except UsageError as error:
            if isinstance(error, NoArgsIsHelpError):
                raise  # a group run bare: click shows its help, which is not an error line
            where = ctx.command_path
            if error.ctx is not None:
                where = error.ctx.command_path
            elif ctx.invoked_subcommand:  # the parser's own errors carry no context
                where = f"{where} {ctx.invoked_subcommand}"
            _usage_failed(error, where)
        except typer.Abort:
            typer.echo(t("err.aborted"), err=True)  # Ctrl-C at a prompt
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("\n" + t("err.aborted"), err=True)  # Ctrl-C while working
            raise typer.Exit(130) from None
        except OSError as error:
            if error.errno == errno.ENAMETOOLONG:  # a 300-letter REPAYCLI_HOME, a long -o …
                from repaycli.cli.common import report_error
                from repaycli.errors import BadInput

                path = error.filename if isinstance(error.filename, str) else ""
                report_error(BadInput("harden.err.name_too_long", path=path))
                raise typer.Exit(EXIT_BAD_INPUT) from None
            # Printing failed: stdout is a full disk or a pipe whose reader left. (Files the
            # commands write report their own errors; anything else is a bug: traceback.)
            if error.filename is not None or error.errno not in _OUTPUT_ERRNOS:
                raise
            return _output_failed(error)
        except Exception as error:
            # A row edited by hand can break any reading command deep inside: when the database
            # holds something repaycli never writes, one line names it (exit 1); when it does
            # not, this is a bug of repaycli and shows as one.
            from repaycli.damage import SYMPTOMS, damage_in_database

            if not isinstance(error, SYMPTOMS):
                raise
            found = damage_in_database()
            if found is None:
                raise
            from repaycli.cli.common import report_error
            from repaycli.errors import Failure

            path, detail = found
            report_error(Failure("harden.err.damaged", path=path, detail=detail))
            raise typer.Exit(1) from None


LANG_KEY = "repaycli.lang"


def _lang_in(args: list[str]) -> str | None:
    """The last valid ``--lang X`` / ``--lang=X`` before a ``--``, normalised; else ``None``."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None and normalise_lang(value) is not None:
            found = normalise_lang(value)
    return found


def _usage_failed(error: Exception, command: str) -> NoReturn:
    from repaycli.cli.common import report_error
    from repaycli.cli.help import usage_message

    report_error(RepayError("err.usage", detail=usage_message(error), command=command))
    raise typer.Exit(EXIT_BAD_INPUT) from None


#: Errors writing stdout that are the disk's or the reader's doing, not a bug.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE}


def _output_failed(error: OSError) -> None:
    """One line on stderr (nothing for a closed pipe), stdout pointed at /dev/null so that the
    interpreter's final flush does not fail again, exit 1."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass
    if error.errno != errno.EPIPE:
        from repaycli.cli.common import report_error
        from repaycli.errors import Failure

        detail = error.strerror or str(error)
        report_error(Failure("err.file_write", path="<stdout>", detail=detail))
    raise typer.Exit(1)


app = typer.Typer(
    cls=RepayGroup,
    name="repaycli",
    help="Plan, negotiate and track overdue consumer-credit repayments. 协商还款助手。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"repaycli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    *,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language: zh or en (default: REPAYCLI_LANG, then locale)."),
    ] = None,
    practice: Annotated[
        bool,
        typer.Option(
            "--practice",
            help="Practice mode: a separate set of records; the real log is never touched.",
        ),
    ] = False,
) -> None:
    """Plan, negotiate and track overdue consumer-credit repayments. 协商还款助手。"""
    from repaycli.cli.common import use_lang
    from repaycli.paths import practice_active, set_practice

    if lang is not None:
        use_lang(lang)  # an unknown language is an error line
        set_lang(ctx.meta.get(LANG_KEY) or lang)  # a subcommand's own --lang comes later
    set_practice(True if practice else None)  # else REPAYCLI_PRACTICE decides
    if practice_active() and not ctx.resilient_parsing:
        typer.echo(t("practice.banner"), err=True)  # every command says so, first


def _tolerate_narrow_encodings() -> None:
    """With ``PYTHONIOENCODING=ascii`` (or a terminal in Latin-1) ``¥`` and Chinese cannot be
    written: such characters are shown as ``\\u82b1`` escapes rather than crash a command
    after it has recorded something (a crash after ``pay`` invited recording it twice)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "花¥━…".encode(encoding)
        except UnicodeEncodeError:
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
        except LookupError:  # pragma: no cover - an encoding Python does not know fails first
            pass


def main() -> None:
    """Console-script entry point."""
    if COMPLETE_VAR in os.environ:  # a shell asking for completions (cli/completion.py)
        from repaycli.cli.typer_private import completion_init

        completion_init()  # typer's bash/zsh/fish answers; built only when asked
    _tolerate_narrow_encodings()
    try:
        app(prog_name="repaycli")
    except OSError as error:
        # ``-h`` and ``--version`` print while the options are read, before ``invoke``'s own
        # guard: a full disk or a closed pipe there is the same one line, not a traceback.
        if error.filename is not None or error.errno not in _OUTPUT_ERRNOS:
            raise
        try:
            _output_failed(error)
        except typer.Exit as done:
            sys.exit(done.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
