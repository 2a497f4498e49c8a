"""Cells for CSV files that open safely in a spreadsheet. Pure: no I/O."""

from __future__ import annotations

import unicodedata

#: A cell starting with one of these (after any spaces) could be read as a formula or DDE call.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
#: A first character after which a cell may need the apostrophe (a start, or a leading space).
_FIRST = frozenset("".join(_FORMULA_START) + " ")


def csv_cell(value: object) -> str:
    """The text of one CSV cell: ``None`` is empty; text that a spreadsheet would run as a formula
    gets a leading apostrophe, so it is shown as text instead (OWASP's advice)."""
    if value is None:
        return ""
    text = str(value)
    # The common case, decided by the first character: printable (so no blank but the space,
    # and no format character) and neither a formula start nor a space.
    if not text or (text[0] not in _FIRST and text[0].isprintable()):
        return text
    if text.startswith(_FORMULA_START) or _after_blanks(text).startswith(_FORMULA_START):
        return "'" + text
    return text


def _after_blanks(text: str) -> str:
    """``text`` without its leading blanks of every kind: spaces (a no-break space U+00A0, an
    ideographic space U+3000 …) and invisible format characters (U+200B, U+FEFF), which a
    spreadsheet may skip before it reads ``=``."""
    start = 0
    while start < len(text) and (
        text[start].isspace() or unicodedata.category(text[start]) in ("Zs", "Cf")
    ):
        start += 1
    return text[start:]
