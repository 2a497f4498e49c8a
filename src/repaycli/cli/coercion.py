"""Option values that need no checking skip typer's pydantic-based coercion.

Typer (≥ 0.27) coerces every option value through a pydantic ``TypeAdapter``, built on first use,
even for a plain string or an absent option; that imports pydantic (about as long as importing
typer itself) in every run. Here each parameter starts with a deferred coercion that returns at
once what the adapter would return unchanged — a valid UTF-8 string for a ``str`` option, an
``int`` already inside its range (the default), nothing for an absent option — and hands any other
value to typer's own coercion, built then. Messages and results are typer's.

This leans on typer internals (``typer._coercion``, ``_TyperParameter._runtime_param``); when they
are not as expected, nothing is changed and typer coerces as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

try:  # typer internals; absent or different → leave typer alone
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # pragma: no cover - another typer
    RuntimeParam = None  # type: ignore[assignment,misc]


def _passes_unchanged(value: Any, param: Any) -> bool:
    descriptor = param.type_descriptor
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return False
    if getattr(info, "click_type", None) is not None:
        return False
    annotation = descriptor.annotation
    if annotation is str and type(value) is str:
        if value.isascii():
            return True
        try:
            value.encode("utf-8")  # lone surrogates (undecodable argv) go to typer
        except UnicodeEncodeError:
            return False
        return True
    if annotation is int and type(value) is int:
        low, high = info.min, info.max
        return (low is None or value >= low) and (high is None or value <= high)
    return False


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class DeferredParam(RuntimeParam):
        """Typer's coercion, built only for a value that needs it."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if _passes_unchanged(value, param):
                return value
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
