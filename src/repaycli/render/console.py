"""The rich console: colour and boxes on a terminal, plain text when piped or under cron."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.text import Text

from repaycli.render.safe import safe_text


def make_console(*, stderr: bool = False) -> Console:
    """A console that never reads markup or emoji codes from strings (user text is literal).

    When the output is not a terminal it writes plain text with no escape codes; NO_COLOR is
    honoured by rich itself.
    """
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    width = None if terminal else int(os.environ.get("COLUMNS", "100") or 100)
    return Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=terminal,
        width=width,
        no_color=not terminal or None,
        safe_box=not terminal,
    )


def user(text: str | None) -> Text:
    """Text the user typed, shown exactly (control characters made visible)."""
    return Text(safe_text(text or ""))
