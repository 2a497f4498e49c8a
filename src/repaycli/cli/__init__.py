"""The ``repaycli`` command: the typer app, global options, and the one place errors become exit
codes (see ``repaycli.errors``)."""

from __future__ import annotations

import errno
import importlib
import sys
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from repaycli import __version__
from repaycli.cli.coercion import defer, defer_all, defer_help
from repaycli.cli.typer_private import Command, NoArgsIsHelpError, UsageError
from repaycli.errors import EXIT_BAD_INPUT, RepayError

#: The commands, in the order ``repaycli -h`` lists them, and the module (``repaycli.cli.<name>``)
#: whose ``register(app)`` adds each. A module is imported, and typer builds its commands, only
#: when one of them is run or listed: building every command's options from its annotations costs
#: more than importing typer itself, and cron runs ``remind`` alone.
COMMANDS = {
    "plan": "plan",
    "platforms": "platforms",
    "pay": "agreement",
    "offer": "offer",
    "letter": "letter",
    "remind": "remind",
    "log": "log",
    "agreement": "agreement",
    "db": "db",
    "call": "call",
}


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
    for command in commands.values():
        defer_all(command)
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
        defer(self.params)
        defer_help(self)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
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
            from repaycli.cli.common import report_error

            command = error.ctx.command_path if error.ctx else ctx.command_path
            report_error(RepayError("err.usage", detail=error.format_message(), command=command))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except OSError as error:
            # Printing failed: stdout is a full disk or a pipe whose reader left. (Files the
            # commands write report their own errors; anything else is a bug: traceback.)
            if error.filename is not None or error.errno not in _OUTPUT_ERRNOS:
                raise
            return _output_failed(error)


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
    *,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language: zh or en (default: REPAYCLI_LANG, then locale)."),
    ] = None,
) -> None:
    """Plan, negotiate and track overdue consumer-credit repayments. 协商还款助手。"""
    from repaycli.cli.common import use_lang

    use_lang(lang)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="repaycli")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
