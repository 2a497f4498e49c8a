"""The rich console: colour and boxes on a terminal, plain text when piped or under cron."""

from __future__ import annotations

import os
import sys
from typing import TextIO, cast

from rich.console import Console
from rich.text import Text

from repaycli.render.safe import safe_text
from repaycli.render.stdout import CompleteWriter


def make_console(*, stderr: bool = False) -> Console:
    """A console that never reads markup or emoji codes from strings (user text is literal).

    When the output is not a terminal it writes plain text with no escape codes; NO_COLOR is
    honoured by rich itself.
    """
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    width = None if terminal else _columns(os.environ.get("COLUMNS", ""))
    return Console(
        file=cast(TextIO, CompleteWriter(stream)),
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=terminal,
        width=width,
        no_color=not terminal or None,
        safe_box=not terminal,
    )


def _columns(value: str) -> int:
    """``COLUMNS`` as a width for piped output: 100 unless it is a sensible whole number."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 4 and 20 <= int(value) <= 1000:
        return int(value)
    return 100


def user(text: str | None) -> Text:
    """Text the user typed, shown exactly (control characters made visible)."""
    return Text(safe_text(text or ""))
