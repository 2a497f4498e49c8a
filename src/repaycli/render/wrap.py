"""Line breaking by display width, for Chinese as well as English.

Break opportunities come from the Unicode line-breaking algorithm (UAX #14): between CJK
characters, at spaces, never before a closing bracket or full stop nor after an opening one,
never inside a number or a date — for the screens' repertoire from :mod:`.linebreak` (uniseg's
rules over a committed class table), for anything else from ``uniseg`` itself. On top of it, a
few units are glued so they never split: an amount with its unit (``330.89 元``, ``12 个月``),
and a bullet with the word it introduces.
Widths are terminal cells (East Asian Width, also from ``uniseg``): a CJK character takes two.

Neither rich nor pydantic is imported here: the call card uses it on the fast path.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from repaycli.render import linebreak

# ``uniseg`` (≈ 80 ms to import) is imported only for text outside the screens' repertoire (other
# scripts, emoji, combining marks): a Chinese or English card never loads it.

#: A number as the screens write it (``¥1,234.56``, ``16.08%``, ``-398.04``, ``12``), with any
#: space after it, and anything up to an opening bracket or quotation mark before it (UAX #14
#: keeps those with the number: the pieces of ``还清（36 个月）`` and ``月供“980 元”`` are ``（36 ``
#: and ``供“980 ``, and the unit after them must stay with them too).
_NUMBER = re.compile(r"(?:.*[（(［\[「『“‘《〈【〔])?[¥+\-−]?\d[\d,.]*%?\s*")
#: Units that follow a number and belong with it (a lone ¥, as in a header "total ¥", goes
#: with the word before it).
_UNITS = ("元", "期", "天", "个月", "个", "月", "年", "日", "号", "笔", "家", "项", "倍", "%")
_BULLETS = ("•", "-", "*", "·")
_OPERATORS = ("×", "=", "−", "+")


#: Ranges whose code points are each a grapheme cluster of their own (Latin, general punctuation
#: and symbols, CJK, full-width forms), but for the categories below.
_SIMPLE = (
    (0x20, 0x2FF),
    (0x2010, 0x27BF),
    (0x2E80, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFF9D),
)
#: Categories that may join a cluster with the code point before (combining marks, joiners…).
_JOINING = frozenset(("Mn", "Me", "Mc", "Cf", "Cs", "Co", "Cn", "Cc"))


@lru_cache(maxsize=2048)
def _char_width(char: str) -> int | None:
    """One code point's width, or None when it may belong to a cluster with its neighbours."""
    code = ord(char)
    simple = any(low <= code <= high for low, high in _SIMPLE)
    if not simple or unicodedata.category(char) in _JOINING:
        return None
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Display width in terminal cells (a CJK character is two).

    Measured code point by code point where every code point is its own grapheme cluster (ASCII,
    CJK, punctuation), which gives ``uniseg``'s figure many times faster (``plan --debts`` spent
    seconds here); any other text (combining marks, emoji, other scripts) goes through ``uniseg``.
    """
    if text.isascii() and text.isprintable():
        return len(text)
    total = 0
    for char in text:
        cells = _char_width(char)
        if cells is None:
            from uniseg.wrap import tt_text_extents

            return int(tt_text_extents(text)[-1])
        total += cells
    return total


def _glue(units: list[str]) -> list[str]:
    out: list[str] = []
    for unit in units:
        if out:
            last = out[-1]
            # no line starts with closing punctuation, even after a space (个 ：, letter。)
            if unit.startswith(_CLOSING):
                out[-1] = last + unit
                continue
            if _NUMBER.fullmatch(last) and unit.startswith(_UNITS) or unit.strip() == "¥":
                out[-1] = last + unit
                continue
            # an option, a date or a code broken after a hyphen (--income-|after, 5e54-|e888)
            token = last.rsplit(" ", 1)[-1]
            if token.endswith("-") and (token.startswith("-") or any(c.isdigit() for c in token)):
                out[-1] = last + unit
                continue
            # a bullet, an option's --, an operator and what it applies to (× 12, = 12.00%)
            joined = last.strip() in _BULLETS or set(last) == {"-"} or last.strip() in _OPERATORS
            if joined or last.endswith("个") and unit.startswith("月"):
                out[-1] = last + unit
                continue
        out.append(unit)
    return out


#: A command as the screens write it: quoted whole (``'repaycli log verify --fingerprint
#: 2-1-5e54-…'``), or bare with its words and options (``repaycli log add``). Never broken.
_COMMAND = re.compile(r"'repaycli [^'\n]*'|repaycli(?: (?:--?[a-z][a-z0-9-]*|[a-z][a-z-]*))+")


#: Punctuation no line ends with.
_OPENING = tuple("（([［「『“‘《〈【〔")
#: Punctuation no line starts with.
_CLOSING = tuple("，。；：、）」』”》〉】！？%,.;:)!?")


@lru_cache(maxsize=4096)
def units(text: str) -> tuple[str, ...]:
    """The unbreakable pieces of ``text``: :func:`_units`, with each command kept whole."""
    if "repaycli" not in text:
        return _units(text)
    out: list[str] = []
    at = 0
    for found in _COMMAND.finditer(text):
        if found.start() > at:
            out.extend(_units(text[at : found.start()]))
        end = found.end()
        while end < len(text) and text[end] == " ":  # its trailing spaces, as every unit's
            end += 1
        command = text[found.start() : end]
        if out and out[-1].endswith(_OPENING):  # （repaycli letter）: the bracket stays with it
            out[-1] += command
        else:
            out.append(command)
        at = end
    if at < len(text):
        out.extend(_units(text[at:]))
    return tuple(_glue(out))  # closing punctuation stays with the command before it


def _units(text: str) -> tuple[str, ...]:
    """The unbreakable pieces of ``text``, in order (each keeps its trailing spaces). Text with
    no CJK breaks only at spaces and hyphens, without UAX #14: uniseg's rule engine takes
    milliseconds a line, and ``plan --debts`` breaks dozens of English lines. Chinese text goes
    through :mod:`repaycli.render.linebreak` (UAX #14 as uniseg applies it, without importing
    it); only code points outside the screens' repertoire need uniseg itself."""
    if _WESTERN.fullmatch(text):
        return tuple(_glue([piece for piece in _ASCII_BREAK.split(text) if piece]))
    pieces = linebreak.units(text)  # the repertoire of the screens, without uniseg
    if pieces is None:  # another script, an emoji, a combining mark: uniseg's full rules
        from uniseg.linebreak import line_break_units

        pieces = list(line_break_units(text))
    return tuple(_glue(_whole_names(text, pieces)))


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    """The Chinese names of the shipped platforms and their aliases (花呗, 招商银行信用卡): words
    no line breaks (``借`` / ``呗``). Read from the compiled catalogue, without its models."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "catalog" / "compiled" / "platforms.json"
    try:
        platforms = json.loads(path.read_bytes())
    except (OSError, ValueError):  # pragma: no cover - the package ships it
        return ()
    found = set()
    for platform in platforms.values():
        for name in [platform.get("name_zh", ""), *platform.get("aliases", [])]:
            if 2 <= len(name) <= 8 and all("\u4e00" <= c <= "\u9fff" for c in name):
                found.add(name)
    return tuple(sorted(found, key=len, reverse=True))


def _whole_names(text: str, pieces: list[str]) -> list[str]:
    """``pieces`` with no break inside a platform's name."""
    spans = [
        (m.start(), m.start() + len(name))
        for name in _names()
        if name in text
        for m in re.finditer(re.escape(name), text)
    ]
    if not spans:
        return pieces
    out: list[str] = []
    at = 0
    for piece in pieces:
        inside = any(start < at < end for start, end in spans)
        if inside and out:
            out[-1] += piece
        else:
            out.append(piece)
        at += len(piece)
    return out


#: Text with no CJK in it (Latin, ¥, general punctuation, arrows and maths signs): the plain
#: breaker below serves it.
_WESTERN = re.compile(r"[\u0000-\u10ff\u2000-\u206f\u2190-\u22ff]*")
#: Western text's break opportunities, as UAX #14 gives them for it: after spaces, and after a
#: hyphen or slash that a letter follows (``pro-|rata``, ``Huabei/|Jiebei``; never ``-5``).
_ASCII_BREAK = re.compile(r"(?<=[^ \-/][\-/])(?=[A-Za-z])|(?<= )(?=[^ ])")


#: One word: no space, no punctuation (招商银行信用卡, 承诺回电, 内客服, Platform).
_WORD = re.compile(r"[^\s!-/:-@\[-`{-~\u3000-\u303f\uff00-\uff0f\uff1a-\uff20]+")
#: The widest word kept whole in a table cell; a longer run of Chinese breaks between
#: characters, as running text does.
WORD_MAX = 16
_CHUNK = re.compile(r"[^ ]+ *| +")  # at plain spaces: a no-break space binds


def word_units(text: str) -> tuple[str, ...]:
    """:func:`units`, but with each space-separated word of up to ``WORD_MAX`` cells kept whole:
    in a narrow table column a name or a label is never broken (``招商银行信`` / ``用卡``)."""
    out: list[str] = []
    for chunk in _CHUNK.findall(text):
        word = chunk.rstrip()
        if _WORD.fullmatch(word) and width(word) <= WORD_MAX:
            out.append(chunk)
        else:
            out.extend(units(chunk))
    return tuple(_glue(out))  # across words too: "principal ¥" keeps its lone ¥


def _hard_split(unit: str, room: int) -> list[str]:
    """A piece wider than a whole line (a command, a long hash, a URL): broken at its spaces,
    so each word, option and code stays whole. A single word wider than the line (a hash on a
    narrow screen) stays whole on a line of its own: the terminal folds it without a line
    break, so it is still copied in one piece, where a cut would put a newline inside it."""
    pieces: list[str] = []
    current = ""
    for word in _CHUNK.findall(unit):
        if current and width(current + word.rstrip()) > room:
            pieces.append(current.rstrip())
            current = ""
        current += word
    if current.strip():
        pieces.append(current.rstrip())
    return pieces


def wrap(
    text: str,
    cells: int,
    *,
    indent: str = "",
    subsequent: str | None = None,
    words: bool = False,
) -> list[str]:
    """``text`` broken into lines of at most ``cells`` display cells. ``indent`` starts the first
    line, ``subsequent`` (default: as wide as ``indent``, blank) the others. Line breaks in
    ``text`` are kept. ``words``: short words stay whole (:func:`word_units`; table cells)."""
    split = word_units if words else units
    follow = " " * width(indent) if subsequent is None else subsequent
    lines: list[str] = []
    first = True
    for paragraph in text.split("\n"):
        current = indent if first else follow
        first = False
        if width(current + paragraph.rstrip()) <= cells:  # fits: nothing to break
            lines.append((current + paragraph).rstrip())
            continue
        lead = current
        used = width(current)  # cells in ``current`` (widths add up, piece by piece)
        for unit in split(paragraph):
            body = width(unit.rstrip())
            if used + body <= cells:
                current += unit
                used += width(unit)
                continue
            if current.strip():
                lines.append(current.rstrip())
                current = lead = follow
                used = width(follow)
            room = cells - width(lead)
            if body <= room:
                current += unit
                used += width(unit)
                continue
            pieces = _hard_split(unit.rstrip(), max(room, 1))
            lines.extend(lead + piece for piece in pieces[:-1])
            current = lead + pieces[-1] + unit[len(unit.rstrip()) :]
            used = width(current)
        lines.append(current.rstrip())
    return lines


def fill(text: str, cells: int, *, indent: str = "", subsequent: str | None = None) -> str:
    """:func:`wrap` joined with newlines."""
    return "\n".join(wrap(text, cells, indent=indent, subsequent=subsequent))


def pad(text: str, cells: int) -> str:
    """``text`` padded with spaces to ``cells`` display cells."""
    return text + " " * max(cells - width(text), 0)
