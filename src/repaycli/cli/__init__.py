"""The ``repaycli`` command: the typer app, global options, and the one place errors become exit
codes (see ``repaycli.errors``)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer._click.exceptions import UsageError  # typer bundles click; there is no public name
from typer.core import TyperGroup

from repaycli import __version__
from repaycli.errors import EXIT_BAD_INPUT, RepayError


class RepayGroup(TyperGroup):
    """A command group that prints a ``RepayError`` — or a usage error in a subcommand, such as an
    unknown option — as one translated line on stderr, with its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RepayError as error:
            from repaycli.cli.common import report_error

            report_error(error)
            raise typer.Exit(error.exit_code) from None
        except UsageError as error:
            from repaycli.cli.common import report_error

            command = error.ctx.command_path if error.ctx else ctx.command_path
            report_error(RepayError("err.usage", detail=error.format_message(), command=command))
            raise typer.Exit(EXIT_BAD_INPUT) from None


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


def _register() -> None:
    from repaycli.cli import letter, offer, plan, platforms

    plan.register(app)
    platforms.register(app)

    from repaycli.cli import agreement, db, log

    log.register(app)
    agreement.register(app)
    db.register(app)
    offer.register(app)
    letter.register(app)

    from repaycli.cli import remind

    remind.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="repaycli")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
