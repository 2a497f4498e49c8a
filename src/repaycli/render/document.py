"""A small neutral document (sections of paragraphs, lists, tables) and its two views: rich for
the terminal (plain text when piped) and markdown for saving or printing.

Every string in a document is plain text; the views escape it, so text a user typed can never act
as rich markup, markdown or a terminal escape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from repaycli.render.safe import markdown_text, safe_text
from repaycli.render.wrap import pad, wrap
from repaycli.render.wrap import width as text_width

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


def _words(texts: Iterable[str]) -> list[str]:
    return [word for text in texts for word in text.split()]


def _longest(lines: list[str]) -> int:
    return max((cell_len(line) for text in lines for line in text.splitlines()), default=1)


def table_renderable(block: Table, width: int) -> RenderableType:
    """A table whose ids and amounts are never cut: those columns keep their full width, text
    columns and headers wrap. When even that does not fit the width, each row is shown as its
    own list of "header: value" lines instead."""
    keep = list(range(len(block.headers)))
    for column in (None, *block.drop):
        if column is not None:
            keep.remove(column)
        cells = [[safe_text(row[i], keep_newlines=True) for i in keep] for row in block.rows]
        headers = [safe_text(block.headers[i]) for i in keep]
        right = {n for n, i in enumerate(keep) if i in block.right}
        whole = [n == 0 or n in right for n in range(len(headers))]
        widths = [
            max(
                _longest(
                    [row[n] for row in cells] if whole[n] else _words(row[n] for row in cells)
                ),
                # a column that never wraps cannot wrap its header either
                _longest([headers[n]] if whole[n] else headers[n].split()),
            )
            for n in range(len(headers))
        ]
        if sum(widths) + 2 * len(widths) + 2 <= width:
            break
    else:
        return _stacked(headers, cells, block.flagged)
    table = RichTable(box=box.SIMPLE_HEAD, show_header=True, pad_edge=False)
    for index, header in enumerate(headers):
        table.add_column(
            Text(header),
            justify="right" if index in right else "left",
            no_wrap=whole[index],
            min_width=widths[index],
            overflow="fold",
        )
    for index, row in enumerate(cells):
        style = "yellow" if index in block.flagged else ""
        table.add_row(*[Text(cell, style=style) for cell in row])
    return table


def _stacked(headers: list[str], cells: list[list[str]], flagged: set[int]) -> RenderableType:
    parts: list[RenderableType] = []
    for index, row in enumerate(cells):
        style = "yellow" if index in flagged else ""
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column(overflow="fold")
        for header, cell in zip(headers[1:], row[1:], strict=True):
            grid.add_row(Text(header), Text(cell, style=style))
        parts.append(Text(row[0], style="bold " + style if style else "bold"))
        parts.append(Padding(grid, (0, 0, 0, 2)))
    return Group(*parts)


def print_document(document: Document, console: Console) -> None:
    """Show the document on a rich console (boxes and colour only on a terminal)."""
    plain = not console.is_terminal
    inner = console.width - 4
    heading = _lines(wrap(safe_text(document.title), inner), "bold")
    if document.subtitle:
        heading.append("\n" + "\n".join(wrap(safe_text(document.subtitle), inner)), style="dim")
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
