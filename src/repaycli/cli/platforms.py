"""``repaycli platforms``: the platform catalogue."""

from __future__ import annotations

import typer

from repaycli.cli.common import JsonOption, LangOption, command_lang, write_out


def platforms(*, json_out: JsonOption = False, lang: LangOption = None) -> None:
    """List the platform catalogue: names, hotlines, periods, default rates, sources."""
    command_lang(lang)
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    catalogue = load_catalogue(user_platforms_file())
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": 1, "platforms": catalogue.platforms}))
        return
    from repaycli.render.platforms import print_platforms

    print_platforms(catalogue)


def register(app: typer.Typer) -> None:
    app.command("platforms")(platforms)
