"""Showing text a user typed exactly as typed, and never as markup or terminal control."""

from __future__ import annotations

import unicodedata

#: Bidirectional overrides and isolates can make text display in a misleading order.
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def safe_text(text: str, *, keep_newlines: bool = False, keep_tabs: bool = False) -> str:
    """Replace control characters (ESC, BEL, CR, C1, bidi overrides …) with visible escapes.

    Tabs become spaces (unless ``keep_tabs``); newlines, and a CR-LF pair as one newline, are
    kept only when asked (multi-line notes).
    """
    if text.isprintable():  # every character it would change is unprintable: nothing to do
        return text
    if keep_newlines:
        text = text.replace("\r\n", "\n")
        if text.replace("\n", "").isprintable():  # a screen of lines (the call card): as is
            return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char == "\t":
            out.append(char if keep_tabs else " ")
        elif code in _BIDI or unicodedata.category(char) in ("Cc", "Cf") and code != 0x200D:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def one_line(text: str) -> str:
    """User text for a one-line cell: each line break shown as a visible ``↵``."""
    if text.isprintable():  # no line break, nothing to escape (most notes)
        return text
    return safe_text(" ↵ ".join(text.replace("\r\n", "\n").split("\n")))


#: Markdown's marks, each escaped with a backslash (and a backslash itself doubled).
_MARKDOWN_ESCAPES = str.maketrans({mark: "\\" + mark for mark in "\\`*_[]<>#|!"})


def markdown_text(text: str) -> str:
    """User text inside markdown: escaped so it cannot add links, headings or HTML."""
    return safe_text(text).translate(_MARKDOWN_ESCAPES)
