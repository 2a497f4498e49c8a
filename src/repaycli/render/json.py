"""The JSON view: results (dataclasses, pydantic models, or plain data holding them) as indented
UTF-8 JSON; and long lists of plain records written one record at a time, in the same layout.

Data without a pydantic model in it (``plan``'s results, ``core.models``) is encoded here with
the ``json`` module, exactly as pydantic's ``dump_json`` writes it — each ``Decimal`` field by
its ``JsonText`` annotation (``Money``: two places), enums by value, dates in ISO — so that
``plan`` needs no pydantic; anything else goes to pydantic (``tests/test_plan_startup.py`` compares
the two).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from json.encoder import encode_basestring as _string  # json.dumps's, with ensure_ascii=False
from typing import TYPE_CHECKING, Any, cast

from repaycli.core.models import JsonText
from repaycli.core.record import Model
from repaycli.render import TextSink

if TYPE_CHECKING:
    from pydantic import TypeAdapter


@cache
def _any() -> TypeAdapter[Any]:
    from pydantic import TypeAdapter  # imported when used: streamed JSON needs no pydantic

    return TypeAdapter(Any)


def to_json(data: Any) -> str:
    """JSON text; amounts and rates come out as strings, dates as ISO, Chinese unescaped — but
    the characters that reorder or hide text on a terminal (bidi controls such as U+202E, C1
    controls, DEL) are written as ``\\uXXXX`` escapes, so what a user typed is shown literally."""
    try:
        plain = _plain(data)
    except _Foreign:  # a pydantic model (or something only pydantic knows how to write)
        return _escape_hidden(_any().dump_json(data, indent=2).decode("utf-8"))
    return _escape_hidden(json.dumps(plain, ensure_ascii=False, indent=2))


def _escape_hidden(text: str) -> str:
    """Such characters only occur inside JSON strings, where an escape reads back the same."""
    import re

    return re.sub(
        "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", _escaped, text
    )


def _escaped(match: Any) -> str:
    return f"\\u{ord(match.group()):04x}"


class _Foreign(Exception):
    """A value ``_plain`` leaves to pydantic."""


Convert = Callable[[Any], Any]


def _plain(value: Any) -> Any:
    """``value`` as str, int, bool, None, lists and dicts, as pydantic's JSON mode gives it."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, Enum):
            return value.value
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Model) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        fields = _fields(cast(type, type(value)))
        return {name: convert(getattr(value, name)) for name, convert in fields}
    raise _Foreign


@cache
def _fields(cls: type) -> tuple[tuple[str, Convert], ...]:
    """Each field of a ``Model`` or dataclass with the conversion its annotation asks for."""
    hints = typing.get_type_hints(cls, include_extras=True)
    if issubclass(cls, Model):
        names = cls.model_fields_order
    else:
        names = tuple(f.name for f in dataclasses.fields(cast(Any, cls)))
    return tuple((name, _converter(hints[name])) for name in names)


def _converter(hint: Any) -> Convert:
    """How a value annotated ``hint`` is written: ``JsonText`` for a ``Decimal`` (also inside
    ``X | None``, ``list[X]`` and ``dict[str, X]``), else as ``_plain`` writes its type."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        for mark in hint.__metadata__:
            if isinstance(mark, JsonText):
                text = mark.text
                return lambda value: None if value is None else text(value)
        return _converter(hint.__origin__)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            one = _converter(inner[0])
            return lambda value: None if value is None else one(value)
        return _plain
    if origin is list and len(args) == 1:
        item = _converter(args[0])
        if item is _plain:
            return _plain
        return lambda value: [item(v) for v in value]
    if origin is dict and len(args) == 2:
        item = _converter(args[1])
        if item is _plain:
            return _plain
        return lambda value: {_plain(k): item(v) for k, v in value.items()}
    return _plain


def _dumps(value: Any, *, indent: int | None = None) -> str:
    if indent == 2:  # the streamed items: json's own indenting encoder is pure Python, and slow
        try:
            return _escape_hidden(_indented(value, "\n"))
        except _Foreign:
            pass
    return _escape_hidden(json.dumps(value, ensure_ascii=False, indent=indent))


def _indented(value: Any, newline: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` for str, int, bool, None and lists and
    dicts (with str keys) of them — the same text, built by plain recursion rather than json's
    generators (a third of the time of ``agreement list --json``); anything else raises
    ``_Foreign`` (``tests/test_agreement_json.py`` compares the two on any such value)."""
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Foreign
            parts.append(f"{_string(key)}: {_scalar(item, inner)}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join([_scalar(v, inner) for v in value]) + newline + "]"
    return _scalar(value, newline)


def _scalar(value: Any, newline: str) -> str:
    """A value as ``_indented`` writes it: the scalars here, lists and dicts by ``_indented``."""
    kind = type(value)
    if kind is str:
        return str(_string(value))
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is dict or kind is list:
        return _indented(value, newline)
    raise _Foreign


def write_json_stream(
    head: Mapping[str, Any],
    key: str,
    items: Iterable[Mapping[str, Any]],
    out: TextSink,
    *,
    tail: Callable[[], Mapping[str, Any]] | None = None,
) -> int:
    """``to_json({**head, key: list(items), **tail()})`` — byte for byte, for JSON-ready values
    (str, int, bool, None, lists and dicts of them) — written one item at a time (no newline
    after the closing brace, as ``to_json``); ``tail`` is asked for once the items are written,
    a value of it that is an iterator is written as the list of its items, one at a time, and
    one that is a function is called when its turn comes. The tail's lists and objects are
    written on one line (the JSON export's layout, which its readers know), not as
    ``to_json`` would.
    Returns the number of items."""
    out.write("{\n")
    for name, value in head.items():
        out.write(f"  {_dumps(name)}: {_member(value)},\n")
    out.write(f"  {_dumps(key)}: [")
    count = 0
    for item in items:
        text = _dumps(item, indent=2).replace("\n", "\n    ")
        out.write(("\n    " if not count else ",\n    ") + text)
        count += 1
    out.write("\n  ]" if count else "]")
    for name, value in (tail() if tail is not None else {}).items():
        out.write(f",\n  {_dumps(name)}: ")
        if callable(value):  # known only once what comes before it is written
            value = value()
        if isinstance(value, Iterator):  # a list given one item at a time, written as _dumps
            out.write("[")
            for n, item in enumerate(value):
                out.write((", " if n else "") + _dumps(item))
            out.write("]")
        else:  # as the export has always written them: on one line
            out.write(_dumps(value))
    out.write("\n}")
    return count


def _member(value: Any) -> str:
    """A value as ``to_json`` writes it as a member of the top-level object (a list or an
    object indented one level)."""
    return _dumps(value, indent=2).replace("\n", "\n  ")
