"""Typer's private modules, as repaycli uses them (``cli/typer_private.py``, ``cli/coercion.py``).

These tests fail loudly when a typer release changes what they lean on; ``cli/typer_private.py``
says what to do then. They also check that the deferred coercion returns exactly what typer's own
returns, or leaves the value to typer, for every option of every command.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
from enum import EnumMeta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperCommand, TyperGroup

from repaycli.cli import COMMANDS, app, coercion
from repaycli.cli.typer_private import (
    Command,
    NoArgsIsHelpError,
    RuntimeParam,
    UsageError,
    build_runtime_param,
)

MOVED = "typer changed shape: see the note in src/repaycli/cli/typer_private.py"


def test_the_private_names_are_what_repaycli_expects() -> None:
    assert issubclass(TyperCommand, Command) and issubclass(TyperGroup, Command), MOVED
    assert issubclass(typer.BadParameter, UsageError), MOVED
    assert issubclass(NoArgsIsHelpError, UsageError), MOVED
    assert RuntimeParam is not None and build_runtime_param is not None, MOVED
    assert dataclasses.is_dataclass(RuntimeParam), MOVED
    fields = {f.name for f in dataclasses.fields(RuntimeParam)}
    assert fields == {"parameter_info", "annotation"}, MOVED
    signature = inspect.signature(RuntimeParam._coerce_value)
    assert list(signature.parameters) == ["self", "value", "param", "ctx"], MOVED
    assert hasattr(coercion, "DeferredParam"), MOVED


def _all_params() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, Any]] = [("repaycli", p) for p in root.params]

    def walk(name: str, command: Any) -> None:
        for param in command.params:
            found.append((name, param))
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(f"{name} {sub_name}", sub)

    for name in COMMANDS:
        walk(name, root.commands[name])  # type: ignore[attr-defined]
    return found


def test_every_option_of_every_command_starts_with_the_deferred_coercion() -> None:
    params = [(n, p) for n, p in _all_params() if hasattr(p, "type_descriptor")]
    assert len(params) > 50
    for name, param in params:
        assert hasattr(param, "_runtime_param"), MOVED
        if param._runtime_param is not None:  # not yet replaced by typer's own
            assert isinstance(param._runtime_param, coercion.DeferredParam), (name, param.name)


def _outcome(runtime: Any, value: Any, param: Any) -> tuple[str, Any]:
    try:
        return "value", runtime._coerce_value(value, param=param, ctx=None)
    except typer.BadParameter as error:
        return "error", error.format_message()


def test_deferred_coercion_returns_what_typer_returns(tmp_path: Path) -> None:
    existing = tmp_path / "there.txt"
    existing.write_text("x")
    unreadable = tmp_path / "secret.txt"
    unreadable.write_text("x")
    unreadable.chmod(0)
    values: list[Any] = [
        "plain", "花呗 8000", "", " ", "-", "~/feed.ics", str(tmp_path / "absent.ics"),
        str(existing), str(tmp_path), str(unreadable), 0, 3, 366, 367, -1, 10**20,
        "0", "7", "07", "+7", " 7", "366", "367", "-1", "1_000", "99999999999999999999", "٣",
        "csv", "CSV", "json", "markdown", "text", "avalanche", "prorata", "medical", "zh",
    ]  # fmt: skip
    checked = 0
    for name, param in _all_params():
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None:
            continue
        annotation = descriptor.annotation
        if annotation not in (str, int, Path) and not isinstance(annotation, EnumMeta):
            continue
        deferred = coercion.DeferredParam(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
        )
        real = build_runtime_param(descriptor)
        for value in values:
            if os.geteuid() == 0 and value == str(unreadable):
                continue  # root reads anything: typer's check and ours agree trivially
            assert _outcome(deferred, value, param) == _outcome(real, value, param), (
                name,
                param.name,
                value,
            )
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["remind", "--ics", "FEED"], False),
        (["remind", "--days", "7"], False),
        (["remind", "--days", "999"], True),  # out of range: typer words the error
        (["log", "export", "--format", "csv"], False),
        (["log", "export", "--format", "CSV"], True),  # not a value as written: typer decides
    ],
)
def test_path_and_int_options_need_no_pydantic(
    tmp_path: Path, args: list[str], loaded: bool
) -> None:
    import subprocess
    import sys

    argv = [a.replace("FEED", str(tmp_path / "feed.ics")) for a in args]
    code = (
        "import sys\n"
        f"sys.argv = ['repaycli', *{argv!r}]\n"
        "from repaycli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pydantic loaded:', 'pydantic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == f"pydantic loaded: {loaded}", done.stderr
