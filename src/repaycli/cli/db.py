"""``repaycli db``: where the database lives, and a consistent backup of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from repaycli.cli.common import JsonOption, LangOption, command_lang, write_out
from repaycli.errors import BadInput
from repaycli.i18n import t

db_app = typer.Typer(
    name="db",
    help="The database: where it is, and backups.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@db_app.command("path")
def path(*, json_out: JsonOption = False, lang: LangOption = None) -> None:
    """Print where the database is (REPAYCLI_HOME, else the user data directory)."""
    command_lang(lang)
    from repaycli.paths import db_path

    where = db_path()
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": 1, "path": str(where), "exists": where.exists()}))
        return
    write_out(str(where))


@db_app.command("backup")
def backup(
    target: Annotated[Path, typer.Argument(metavar="FILE", help="A new file for the copy.")],
    *,
    lang: LangOption = None,
) -> None:
    """Write a consistent copy of the database (VACUUM INTO), readable only by you."""
    command_lang(lang)
    from repaycli import store
    from repaycli.cli.common import have_database

    if not have_database():  # a backup must not create the database it copies
        raise BadInput("err.backup_no_database")
    with store.opened(read_only=True) as conn:
        removed = store.backup(conn, target)
    from repaycli.render.safe import safe_text

    if removed:  # a copy a killed backup left behind holds the log: say it is gone
        typer.echo(t("db.backup_leftovers", count=removed), err=True)

    write_out(t("db.backup_done", path=safe_text(str(target))))


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
