"""Views of results: rich (terminal), plain (cron/pipe), markdown, JSON, iCalendar."""

from __future__ import annotations

from typing import Protocol


class TextSink(Protocol):
    """Where a streamed view writes its text: stdout's writer or a file (``TextIO`` fits)."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...
