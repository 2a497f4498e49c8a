"""``repaycli completion SHELL``: the shell completion script, printed to add to a shell's start-up.

Typer's own mechanism does the work: the script (``typer.completion.get_completion_script``)
calls ``repaycli`` back with ``_REPAYCLI_COMPLETE=complete_<shell>``, which typer answers before
any command runs. The root app keeps ``add_completion=False``: typer's ``--install-completion``
options would be built, and ``shellingham`` imported, on every start; this command loads them
only when asked.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from repaycli.cli import COMPLETE_VAR
from repaycli.cli.common import LangOption, command_lang, write_out


class Shell(StrEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


def completion(
    shell: Annotated[Shell, typer.Argument(help="bash, zsh or fish.")],
    *,
    lang: LangOption = None,
) -> None:
    """Print the shell completion script for bash, zsh or fish."""
    command_lang(lang)
    from repaycli.cli.typer_private import get_completion_script

    script = get_completion_script(prog_name="repaycli", complete_var=COMPLETE_VAR, shell=shell)
    write_out(script)


def register(app: typer.Typer) -> None:
    app.command("completion")(completion)
