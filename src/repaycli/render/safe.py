"""Showing text a user typed exactly as typed, and never as markup or terminal control."""

from __future__ import annotations

import unicodedata

#: Bidirectional overrides and isolates can make text display in a misleading order.
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def safe_text(text: str, *, keep_newlines: bool = False) -> str:
    """Replace control characters (ESC, BEL, CR, C1, bidi overrides …) with visible escapes.

    Tabs become spaces; newlines are kept only when asked (multi-line notes).
    """
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char == "\t":
            out.append(" ")
        elif code in _BIDI or unicodedata.category(char) in ("Cc", "Cf") and code != 0x200D:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def markdown_text(text: str) -> str:
    """User text inside markdown: escaped so it cannot add links, headings or HTML."""
    cleaned = safe_text(text).replace("\\", "\\\\")
    for mark in "`*_[]<>#|!":
        cleaned = cleaned.replace(mark, "\\" + mark)
    return cleaned
