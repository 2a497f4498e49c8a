"""The JSON view: pydantic models (or plain data holding them) as indented UTF-8 JSON; and long
lists of plain records written one record at a time, in the same layout."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from repaycli.render import TextSink

if TYPE_CHECKING:
    from pydantic import TypeAdapter


@cache
def _any() -> TypeAdapter[Any]:
    from pydantic import TypeAdapter  # imported when used: streamed JSON needs no pydantic

    return TypeAdapter(Any)


def to_json(data: Any) -> str:
    """JSON text; amounts and rates come out as strings, dates as ISO, Chinese unescaped."""
    return _any().dump_json(data, indent=2).decode("utf-8")


def _dumps(value: Any, *, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


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
    after the closing brace, as ``to_json``); ``tail`` is asked for once the items are written.
    Returns the number of items."""
    out.write("{\n")
    for name, value in head.items():
        out.write(f"  {_dumps(name)}: {_dumps(value)},\n")
    out.write(f"  {_dumps(key)}: [")
    count = 0
    for item in items:
        text = _dumps(item, indent=2).replace("\n", "\n    ")
        out.write(("\n    " if not count else ",\n    ") + text)
        count += 1
    out.write("\n  ]" if count else "]")
    for name, value in (tail() if tail is not None else {}).items():
        out.write(f",\n  {_dumps(name)}: {_dumps(value)}")
    out.write("\n}")
    return count
