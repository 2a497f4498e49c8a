"""Results read back from their JSON (the saved plan, for ``report`` and ``call``): the inverse
of ``render.json.to_json`` for the plain records of ``core.models``, guided by their type hints.
Amounts come back as ``Decimal`` from their strings, dates from ISO text, enums from their
values; a value of the wrong shape is a ``ValueError`` naming where it is."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from repaycli.core.record import Model

T = TypeVar("T", bound=Model)


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _value(hint: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _value(typing.get_args(hint)[0], data, where)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if data is None:
            if type(None) in options:
                return None
            raise ValueError(f"{where}: a value is required")
        last: Exception | None = None
        for option in options:
            if option is type(None):
                continue
            try:
                return _value(option, data, where)
            except (ValueError, TypeError) as exc:
                last = exc
        raise ValueError(str(last))
    if origin in (list, tuple, typing.Sequence) or hint in (list, tuple):
        if not isinstance(data, list):
            raise ValueError(f"{where}: a list is expected")
        args = typing.get_args(hint)
        item = args[0] if args else Any
        values = [_value(item, v, f"{where}[{i}]") for i, v in enumerate(data)]
        return tuple(values) if origin is tuple else values
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: an object is expected")
        _, item = typing.get_args(hint)
        return {k: _value(item, v, f"{where}.{k}") for k, v in data.items()}
    if origin is typing.Literal:
        if data not in typing.get_args(hint):
            raise ValueError(f"{where}: {data!r} is not one of {typing.get_args(hint)}")
        return data
    if hint is Any:
        return data
    if isinstance(hint, type):
        if issubclass(hint, Model):
            return revive(hint, data, where)
        if dataclasses.is_dataclass(hint):
            fields = _hints(hint)
            if not isinstance(data, dict):
                raise ValueError(f"{where}: an object is expected")
            return hint(**{k: _value(fields[k], v, f"{where}.{k}") for k, v in data.items()})
        if issubclass(hint, Enum):
            return hint(data)
        if hint is bool:
            if not isinstance(data, bool):
                raise ValueError(f"{where}: true or false is expected")
            return data
        if hint is Decimal:
            if isinstance(data, bool) or not isinstance(data, (str, int)):
                raise ValueError(f"{where}: an amount as text is expected")
            try:
                return Decimal(data)
            except InvalidOperation as exc:
                raise ValueError(f"{where}: {data!r} is not a number") from exc
        if hint is date:
            if not isinstance(data, str):
                raise ValueError(f"{where}: a date is expected")
            return date.fromisoformat(data)
        if hint in (int, str, float):
            if not isinstance(data, hint) or isinstance(data, bool):
                raise ValueError(f"{where}: {hint.__name__} expected")
            return data
    raise ValueError(f"{where}: cannot read a value of type {hint!r}")


def revive(cls: type[T], data: Any, where: str = "") -> T:
    """``data`` (parsed JSON) as a ``cls``; unknown keys are ignored, as pydantic did."""
    if not isinstance(data, dict):
        raise ValueError(f"{where or cls.__name__}: an object is expected")
    hints = _hints(typing.cast(Any, cls))
    values = {
        name: _value(hints[name], data[name], f"{where}.{name}" if where else name)
        for name in cls.model_fields_order
        if name in data
    }
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"{where or cls.__name__}: {exc}") from exc


def revive_json(cls: type[T], text: str) -> T:
    return revive(cls, json.loads(text))
