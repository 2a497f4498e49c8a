"""Option values that need no checking skip typer's pydantic-based coercion.

Typer (≥ 0.27) coerces every option value through a pydantic ``TypeAdapter``, built on first use,
even for a plain string or an absent option; that imports pydantic (about as long as importing
typer itself) in every run. Here each parameter starts with a deferred coercion that returns at
once what the adapter would return unchanged — a valid UTF-8 string for a ``str`` option, an
``int`` already inside its range (the default), nothing for an absent option, a ``Path`` for a
path that passes typer's checks (``--ics``, ``--debts``), the member an enum option names
exactly (``--format csv``) — and hands any other value to typer's
own coercion, built then. Messages and results are typer's (``tests/test_typer_private.py``
compares the two on a grid of values).

This leans on typer internals (``typer._coercion``, ``_TyperParameter._runtime_param``), imported
in ``cli/typer_private.py``, which says what to do when they change; until then nothing is changed
and typer coerces as usual.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from enum import EnumMeta
from pathlib import Path
from typing import Any

from repaycli.cli.typer_private import RuntimeParam, build_runtime_param

#: A whole number written plainly (no sign, spaces, underscores or leading zeros).
_PLAIN_INT = re.compile(r"0|[1-9][0-9]{0,17}")
#: ``_unchanged``'s answer for a value typer's own coercion must see.
_TYPER = object()


def _unchanged(value: Any, param: Any) -> Any:
    """The value typer's coercion would return for ``value``, when that needs no checking;
    ``_TYPER`` when typer must look (to convert it, or to word an error)."""
    descriptor = param.type_descriptor
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return _TYPER
    if getattr(info, "click_type", None) is not None:
        return _TYPER
    annotation = descriptor.annotation
    if annotation is str and type(value) is str:
        return value if _utf8(value) else _TYPER
    if annotation is int and type(value) is str and _PLAIN_INT.fullmatch(value):
        value = int(value)  # digits as typed on the command line (``--days 7``)
    if annotation is int and type(value) is int:
        low, high = info.min, info.max
        inside = (low is None or value >= low) and (high is None or value <= high)
        return value if inside else _TYPER
    if annotation is Path and type(value) is str and value and _utf8(value):
        return _plain_path(value, info)
    if isinstance(annotation, EnumMeta) and type(value) is str and info.case_sensitive:
        member = annotation._value2member_map_.get(value)  # ``--format csv``: exactly a value
        return member if member is not None else _TYPER
    return _TYPER


def _utf8(value: str) -> bool:
    if value.isascii():
        return True
    try:
        value.encode("utf-8")  # lone surrogates (undecodable argv) go to typer
    except UnicodeEncodeError:
        return False
    return True


def _plain_path(value: str, info: Any) -> Any:
    """``Path(value)`` when typer's path checks (``coerce_cli_path``) would pass it as it is."""
    if info.path_type is not None or info.resolve_path:
        return _TYPER
    try:
        found = os.stat(value)
    except ValueError:  # a NUL in the name: typer's to report
        return _TYPER
    except OSError:
        return _TYPER if info.exists else Path(value)
    if not info.file_okay and stat.S_ISREG(found.st_mode):
        return _TYPER
    if not info.dir_okay and stat.S_ISDIR(found.st_mode):
        return _TYPER
    if info.readable and not os.access(value, os.R_OK):
        return _TYPER
    if info.writable and not os.access(value, os.W_OK):
        return _TYPER
    return Path(value)


if RuntimeParam is not None:

    class DeferredParam(RuntimeParam):  # type: ignore[misc]
        """Typer's coercion, built only for a value that needs it. It adds no field, so it
        inherits ``RuntimeParam``'s dataclass methods as they are (no ``@dataclass`` to run at
        every start: ~2 ms)."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            same = _unchanged(value, param)
            if same is not _TYPER:
                return same
            real = build_runtime_param(param.type_descriptor)
            param._runtime_param = real
            return real._coerce_value(value, param=param, ctx=ctx)


def defer(params: Iterable[Any]) -> None:
    """Give each typer parameter in ``params`` the deferred coercion (when typer is as expected)."""
    if RuntimeParam is None:  # pragma: no cover
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        try:
            deferred = DeferredParam(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )
        except TypeError:  # pragma: no cover - typer's RuntimeParam changed shape
            return
        param._runtime_param = deferred


def defer_help(command: Any) -> None:
    """Also ``defer`` the ``-h`` option, which the command makes when a run first asks for it."""
    make = getattr(command, "get_help_option", None)
    if make is None:  # pragma: no cover
        return

    def get_help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            defer([option])
        return option

    setattr(command, "get_help_option", get_help_option)  # noqa: B010 - an instance override


def defer_all(command: Any) -> None:
    """``defer`` for a command's parameters (``-h`` too) and, in a group, every subcommand's."""
    defer(getattr(command, "params", ()))
    defer_help(command)
    for sub in getattr(command, "commands", {}).values():
        defer_all(sub)
