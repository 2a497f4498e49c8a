"""UAX #14 line breaking for the repertoire repaycli prints, without ``uniseg``.

``uniseg`` takes ≈ 80 ms to import and ≈ 50 ms a paragraph to break (its rule engine walks a
generic ``Run`` object); a Chinese ``plan --debts`` spent most of its time there. Here the
classes come from a committed table (``linebreak_table.py``, generated from uniseg and checked
against it code point by code point in the tests), and the pair rules are the ones uniseg 0.10
applies (UAX #14, Unicode 16), in its order, restricted to the classes the table holds: ASCII,
Latin-1, general punctuation, arrows and maths, box drawing, CJK punctuation and ideographs,
full-width forms. Text holding any other code point (another script, an emoji, a combining
mark, a joiner, a control) is not handled here: :func:`units` returns ``None`` and the caller
asks uniseg. A property test checks the result against uniseg's exactly.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from repaycli.render.linebreak_table import ROWS

_STARTS = [row[0] for row in ROWS]
#: LB1 as uniseg applies it to the classes of the table: ambiguous resolves to alphabetic.
_RESOLVE = {"AI": "AL"}

#: Classes that, before a final quotation mark, keep it with what precedes (LB15b).
_AFTER_PF = frozenset(("SP", "GL", "CL", "QU", "CP", "EX", "IS", "SY"))
#: Classes that, before an initial quotation mark, keep it with what follows (LB15a).
_BEFORE_PI = frozenset(("OP", "QU", "GL", "SP"))
_NO_BREAK_BEFORE = frozenset(("CL", "CP", "EX", "SY"))  # LB13
_PREFIX_POSTFIX = frozenset(("PR", "PO"))
_NUMERIC_INFIX = frozenset(("SY", "IS"))


@lru_cache(maxsize=4096)
def _props(char: str) -> tuple[str, bool, str] | None:
    """(resolved class, East Asian width F/W/H?, "Pi"/"Pf"/"") of ``char``; None outside the
    repertoire."""
    code = ord(char)
    at = bisect_right(_STARTS, code) - 1
    if at < 0:
        return None
    low, high, klass, wide, gc = ROWS[at]
    if code > high:
        return None
    return _RESOLVE.get(klass, klass), wide, gc


def _before_spaces(classes: list[str], at: int) -> int:
    """Index just after the last non-space before ``at`` (``at`` itself when no space precedes)."""
    while at > 0 and classes[at - 1] == "SP":
        at -= 1
    return at


def _before_infixes(classes: list[str], at: int) -> int:
    """Index just after the last code point before ``at`` that is not SY or IS (LB25)."""
    while at > 0 and classes[at - 1] in _NUMERIC_INFIX:
        at -= 1
    return at


def _keeps(classes: list[str], wide: list[bool], gcs: list[str], text: str, i: int) -> bool:
    """Whether UAX #14 forbids a break before position ``i`` (``0 < i < len``)."""
    n = len(classes)
    cur, prev = classes[i], classes[i - 1]
    nxt = classes[i + 1] if i + 1 < n else None
    if cur == "SP":  # LB7
        return True
    if prev == "GL":  # LB12
        return True
    if cur == "GL" and prev not in ("SP", "BA", "HY"):  # LB12a
        return True
    if cur in _NO_BREAK_BEFORE:  # LB13
        return True
    spaced = _before_spaces(classes, i)
    before_sp = classes[spaced - 1] if spaced > 0 else None
    if before_sp == "OP":  # LB14
        return True
    # LB15a: an initial quotation mark at the start or after an opening, a quote, glue or a
    # space sticks to what follows, spaces and all. (uniseg tests "sot" on the position alone.)
    if spaced > 0 and gcs[spaced - 1] == "Pi":
        quote = spaced - 1
        if quote == 0 or classes[quote] == "QU" and classes[quote - 1] in _BEFORE_PI:
            return True
    # LB15b: a final quotation mark before a space, a closing or the end sticks to what precedes.
    if gcs[i] == "Pf" and cur == "QU" and (nxt is None or nxt in _AFTER_PF):
        return True
    if prev == "SP" and cur == "IS" and nxt == "NU":  # LB15c
        return False
    if cur == "IS":  # LB15d
        return True
    if before_sp in ("CL", "CP") and cur == "NS":  # LB16
        return True
    if before_sp == "B2" and cur == "B2":  # LB17
        return True
    if prev == "SP":  # LB18
        return False
    # LB19: a quotation mark that is not initial (before it) or not final (after it) binds.
    if cur == "QU" and gcs[i] != "Pi" or prev == "QU" and gcs[i - 1] != "Pf":
        return True
    # LB19a: a quotation mark binds unless East Asian text stands on both sides.
    if cur == "QU" and (not wide[i - 1] or i + 1 >= n or not wide[i + 1]):
        return True
    if prev == "QU" and (not wide[i] or i - 2 < 0 or not wide[i - 2]):
        return True
    # LB20a: a word-initial hyphen before a letter (-a, ‐a).
    if (
        prev in ("HY", "BA")
        and (i - 1 == 0 or classes[i - 2] in ("SP", "GL"))
        and cur == "AL"
        and (prev == "HY" or text[i - 1] == "\u2010")
    ):
        return True
    if cur in ("BA", "HY", "NS") or prev == "BB":  # LB21
        return True
    if cur == "IN":  # LB22
        return True
    if prev == "AL" and cur == "NU" or prev == "NU" and cur == "AL":  # LB23
        return True
    if prev == "PR" and cur == "ID" or prev == "ID" and cur == "PO":  # LB23a
        return True
    if prev in _PREFIX_POSTFIX and cur == "AL" or prev == "AL" and cur in _PREFIX_POSTFIX:  # LB24
        return True
    if _lb25(classes, i, cur, prev, nxt):
        return True
    if prev == "AL" and cur == "AL":  # LB28
        return True
    if prev == "IS" and cur == "AL":  # LB29
        return True
    # LB30: letters and digits keep a narrow parenthesis (not a full-width one).
    if prev in ("AL", "NU") and cur == "OP" and not wide[i]:
        return True
    return prev == "CP" and not wide[i - 1] and cur in ("AL", "NU")


def _lb25(classes: list[str], i: int, cur: str, prev: str, nxt: str | None) -> bool:
    """LB25 as uniseg states it: a number with its prefix, postfix, separators and closings."""
    if cur in _PREFIX_POSTFIX or cur == "NU":
        # NU (SY|IS)* ×  PO/PR/NU, and NU (SY|IS)* (CL|CP) × PO/PR
        start = _before_infixes(classes, i)
        if start > 0 and classes[start - 1] == "NU":
            return True
        if cur != "NU" and prev in ("CL", "CP"):
            start = _before_infixes(classes, i - 1)
            if start > 0 and classes[start - 1] == "NU":
                return True
    if prev in _PREFIX_POSTFIX:
        if cur == "NU":
            return True
        if cur == "OP" and (
            nxt == "NU" or nxt == "IS" and i + 2 < len(classes) and classes[i + 2] == "NU"
        ):
            return True
    return prev in ("HY", "IS") and cur == "NU"


def units(text: str) -> list[str] | None:
    """The pieces of ``text`` between UAX #14 break opportunities (each keeps its trailing
    spaces), as ``uniseg.linebreak.line_break_units`` gives them; None when ``text`` holds a
    code point outside the repertoire."""
    classes: list[str] = []
    wide: list[bool] = []
    gcs: list[str] = []
    for char in text:
        props = _props(char)
        if props is None:
            return None
        classes.append(props[0])
        wide.append(props[1])
        gcs.append(props[2])
    pieces: list[str] = []
    start = 0
    for i in range(1, len(text)):
        if not _keeps(classes, wide, gcs, text, i):
            pieces.append(text[start:i])
            start = i
    if text:
        pieces.append(text[start:])
    return pieces
