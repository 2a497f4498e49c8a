"""The JSON view: pydantic models (or plain data holding them) as indented UTF-8 JSON."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def to_json(data: Any) -> str:
    """JSON text; amounts and rates come out as strings, dates as ISO, Chinese unescaped."""
    return _ANY.dump_json(data, indent=2).decode("utf-8")
