"""Cells for CSV files that open safely in a spreadsheet. Pure: no I/O."""

from __future__ import annotations

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
    if not text or text[0] not in _FIRST:  # the common case, decided by the first character
        return text
    if text.lstrip(" ").startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
        return "'" + text
    return text
