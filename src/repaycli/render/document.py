"""A small neutral document (sections of paragraphs, lists, tables) and its two views: rich for
the terminal (plain text when piped) and markdown for saving or printing.

Every string in a document is plain text; the views escape it, so text a user typed can never act
as rich markup, markdown or a terminal escape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from repaycli.render.safe import markdown_text, safe_text
from repaycli.render.wrap import pad, word_units, wrap
from repaycli.render.wrap import width as text_width

if TYPE_CHECKING:  # rich is imported by the rich view only: JSON and markdown do without it
    from rich.console import Console, RenderableType
    from rich.text import Text

Tone = Literal["plain", "good", "warn", "bad", "muted"]
_STYLE: dict[Tone, str] = {
    "plain": "",
    "good": "green",
    "warn": "yellow",
    "bad": "bold red",
    "muted": "dim",
}


@dataclass
class Para:
    text: str
    tone: Tone = "plain"


@dataclass
class Bullets:
    items: list[str]
    numbered: bool = False


@dataclass
class Pairs:
    """Label/value lines (a definition list)."""

    rows: list[tuple[str, str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    #: Columns (by index) aligned right: amounts and rates.
    right: set[int] = field(default_factory=set)
    #: Row indexes shown in the warning tone (e.g. not affordable).
    flagged: set[int] = field(default_factory=set)
    #: Text columns that never break either (dates, times), besides the first and right ones.
    whole: set[int] = field(default_factory=set)
    #: Right-aligned columns that may break at a space when the screen is narrow (a rate and
    #: its compound form in brackets: one line when it fits, two when it does not).
    wraps: set[int] = field(default_factory=set)
    #: Columns left out, in this order, while the table is wider than the screen (the markdown
    #: view keeps them all).
    drop: tuple[int, ...] = ()


Block = Para | Bullets | Pairs | Table


@dataclass
class Section:
    title: str
    blocks: list[Block]


@dataclass
class Document:
    title: str
    sections: list[Section]
    subtitle: str = ""


def _lines(lines: list[str], style: str = "") -> Text:
    """Lines already broken to the width (``render.wrap``): rich must not break them again."""
    from rich.text import Text

    return Text("\n".join(lines), style=style, no_wrap=True, overflow="ignore")


def paragraph(text: str, width: int, style: str = "") -> Text:
    """Text (user text included: shown literally) broken to ``width`` by display width."""
    return _lines(wrap(safe_text(text, keep_newlines=True), width), style)


def print_blocks(blocks: Iterable[Block], console: Console) -> None:
    """Blocks on their own (no title, no sections), at the console's width."""
    for block in blocks:
        console.print(_rich_block(block, console.width))


def _rich_block(block: Block, width: int) -> RenderableType:
    if isinstance(block, Para):
        text = safe_text(block.text, keep_newlines=True)
        return _lines(wrap(text, width), _STYLE[block.tone])
    if isinstance(block, Bullets):
        lines: list[str] = []
        for i, item in enumerate(block.items, start=1):
            mark = f"  {i}. " if block.numbered else "  • "
            lines += wrap(safe_text(item), width, indent=mark)
        return _lines(lines)
    if isinstance(block, Pairs):
        labels = [safe_text(label) for label, _ in block.rows]
        label_cells = max((text_width(label) for label in labels), default=0)
        if label_cells > width * 2 // 5:  # long labels: each value on the lines under its label
            out: list[str] = []
            for label, (_, value) in zip(labels, block.rows, strict=True):
                out += wrap(label, width)
                out += wrap(safe_text(value), width, indent="  ")
            return _lines(out)
        grid: list[str] = []
        for label, (_, value) in zip(labels, block.rows, strict=True):
            grid += wrap(safe_text(value), width, indent=pad(label, label_cells) + "  ")
        return _lines(grid)
    return table_renderable(block, width)


def _unit_widths(text: str) -> int:
    """The widest piece of ``text`` that can never be broken (a number, a date, a word: a
    name or a label is kept whole in a cell, ``render.wrap.word_units``)."""
    return max(
        (text_width(u.rstrip()) for line in text.split("\n") for u in word_units(line)),
        default=0,
    )


def _line_widths(text: str) -> int:
    return max((text_width(line) for line in text.split("\n")), default=0)


#: Between two columns.
_GAP = "  "
#: The narrowest a wrapping text column gets.
_TEXT_MIN = 10


def _column_widths(
    headers: list[str], cells: list[list[str]], whole: list[bool], *, labels: bool = False
) -> tuple[list[int], list[int]]:
    """Natural widths, then text columns narrowed (never below their widest unbreakable piece)
    until the table fits; returns the smallest widths when it cannot fit at all."""
    columns = list(zip(headers, *cells, strict=True)) if cells else [(h,) for h in headers]
    natural = [max(_line_widths(c) for c in col) for col in columns]
    # a text column may wrap, but not into a sliver: no narrower than its widest unbreakable
    # piece (header included), or _TEXT_MIN cells (else columns are dropped or rows stacked instead)
    least = [
        max(_unit_widths(col[0]), *(_line_widths(c) for c in col[1:]))
        if whole[n]
        else min(natural[n], _text_least(col, natural[n], labels=labels))
        for n, col in enumerate(columns)
    ]
    return [max(a, b) for a, b in zip(natural, least, strict=True)], least


def _text_least(column: tuple[str, ...], natural: int, *, labels: bool) -> int:
    """How narrow a text column may get: its widest unbreakable piece, and no sliver of long text
    (``_TEXT_MIN``). With ``labels`` (the table does not fit otherwise), a column of labels no
    wider than that (``App 内客服``: two words) may break at its spaces down to its widest word."""
    widest = max(_unit_widths(c) for c in column)
    if labels and natural <= _TEXT_MIN:
        return widest
    return max(_TEXT_MIN, widest)


def _fit(natural: list[int], least: list[int], room: int) -> list[int] | None:
    if sum(least) > room:
        return None
    widths = list(natural)
    while sum(widths) > room:  # take a cell from the widest column that can still give one
        n = max((n for n in range(len(widths)) if widths[n] > least[n]), key=lambda n: widths[n])
        widths[n] -= 1
    return widths


def _cell_lines(text: str, cells: int, right: bool) -> list[str]:
    lines = [piece for line in text.split("\n") for piece in wrap(line, cells, words=True)]
    lines = lines or [""]
    if right:
        return [" " * (cells - text_width(line)) + line for line in lines]
    return [pad(line, cells) for line in lines]


def _row_lines(row: list[str], widths: list[int], right: set[int]) -> list[str]:
    columns = [_cell_lines(cell, widths[n], n in right) for n, cell in enumerate(row)]
    height = max(len(col) for col in columns)
    return [
        _GAP.join(
            col[k] if k < len(col) else " " * widths[n] for n, col in enumerate(columns)
        ).rstrip()
        for k in range(height)
    ]


def table_renderable(block: Table, width: int) -> RenderableType:
    """The table laid out by display width: ids, amounts, dates (``whole``) never break, text
    columns wrap at CJK and word boundaries, nothing is cut. While it is too wide, the columns in
    ``drop`` are left out; when even that does not fit, each row is shown as its own list of
    "header: value" lines."""
    keep = list(range(len(block.headers)))
    for column in (None, *block.drop):
        if column is not None:
            keep.remove(column)
        cells = [[safe_text(row[i], keep_newlines=True) for i in keep] for row in block.rows]
        headers = [safe_text(block.headers[i]) for i in keep]
        right = {n for n, i in enumerate(keep) if i in block.right}
        whole = [
            n == 0 or (i in block.right and i not in block.wraps) or i in block.whole
            for n, i in enumerate(keep)
        ]
        room = width - len(_GAP) * (len(keep) - 1)
        natural, least = _column_widths(headers, cells, whole)
        widths = _fit(natural, least, room)
        if widths is None:  # short labels may break at their spaces before a column goes
            natural, least = _column_widths(headers, cells, whole, labels=True)
            widths = _fit(natural, least, room)
        if widths is not None:
            break
    else:
        return _stacked(headers, cells, block.flagged, width)
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ignore")
    head = _row_lines(headers, widths, right)
    text.append("\n".join(head), style="bold")
    text.append("\n" + "─" * min(width, sum(widths) + len(_GAP) * (len(widths) - 1)))
    for index, row in enumerate(cells):
        style = "yellow" if index in block.flagged else ""
        text.append("\n" + "\n".join(_row_lines(row, widths, right)), style=style)
    return text


def _stacked(
    headers: list[str], cells: list[list[str]], flagged: set[int], width: int
) -> RenderableType:
    label_cells = max((text_width(h) for h in headers[1:]), default=0)
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ignore")
    for index, row in enumerate(cells):
        style = "yellow" if index in flagged else ""
        lines = wrap(row[0], width)
        for header, cell in zip(headers[1:], row[1:], strict=True):
            if label_cells > width * 2 // 5:
                lines += wrap(header, width, indent="  ")
                lines += wrap(cell, width, indent="    ")
            else:
                lines += wrap(cell, width, indent="  " + pad(header, label_cells) + "  ")
        text.append(("\n" if index else "") + "\n".join(lines), style=style)
    return text


def print_document(document: Document, console: Console) -> None:
    """Show the document on a rich console (boxes and colour only on a terminal)."""
    plain = not console.is_terminal
    inner = console.width - 4
    heading = _lines(wrap(safe_text(document.title), inner), "bold")
    if document.subtitle:
        heading.append("\n" + "\n".join(wrap(safe_text(document.subtitle), inner)), style="dim")
    from rich import box
    from rich.panel import Panel
    from rich.rule import Rule
    from rich.text import Text

    console.print(Panel(heading, box=box.ASCII if plain else box.HEAVY, expand=True))
    for section in document.sections:
        console.print()
        console.print(Rule(Text(safe_text(section.title), style="bold cyan"), align="left"))
        for block in section.blocks:
            console.print(_rich_block(block, console.width))


def _md_cell(text: str) -> str:
    return " ".join(markdown_text(line) for line in text.split("\n"))


def to_markdown(document: Document) -> str:
    """The document as GitHub-flavoured markdown."""
    lines = [f"# {_md_cell(document.title)}", ""]
    if document.subtitle:
        lines += [f"_{_md_cell(document.subtitle)}_", ""]
    for section in document.sections:
        lines += [f"## {_md_cell(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, Para):
                text = _md_cell(block.text)
                lines.append(f"**{text}**" if block.tone in ("bad", "warn") else text)
            elif isinstance(block, Bullets):
                for i, item in enumerate(block.items, start=1):
                    lines.append(
                        f"{i}. {_md_cell(item)}" if block.numbered else f"- {_md_cell(item)}"
                    )
            elif isinstance(block, Pairs):
                for label, value in block.rows:
                    lines.append(f"- **{_md_cell(label)}**: {_md_cell(value)}")
            else:
                lines.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
                lines.append(
                    "| "
                    + " | ".join(
                        "---:" if i in block.right else "---" for i in range(len(block.headers))
                    )
                    + " |"
                )
                for row in block.rows:
                    lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
