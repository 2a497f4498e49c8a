"""Every command and subcommand has help text, reachable with -h."""

import typer.main

from helpers import invoke
from repaycli.cli import app


def _commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = []
    for name, command in getattr(group, "commands", {}).items():
        found.append(((*path, name), command))
        found += _commands(command, (*path, name))
    return found


def test_every_command_has_help() -> None:
    root = typer.main.get_command(app)
    commands = _commands(root)
    names = {" ".join(path) for path, _ in commands}
    assert {
        "plan",
        "offer",
        "letter",
        "log add",
        "agreement add",
        "pay",
        "remind",
        "platforms",
        "db backup",
    } <= names
    for path, command in commands:
        assert (getattr(command, "help", None) or "").strip(), f"{path} has no help"
        result = invoke(*path, "-h")
        assert result.exit_code == 0, (path, result.output)
        assert "Usage: repaycli " + " ".join(path) in result.stdout


def test_a_group_run_bare_shows_its_help() -> None:
    result = invoke("log")
    assert "Usage: repaycli log" in result.output
    assert "\\x0a" not in result.output
