"""A small neutral document (sections of paragraphs, lists, tables) and its two views: rich for
the terminal (plain text when piped) and markdown for saving or printing.

Every string in a document is plain text; the views escape it, so text a user typed can never act
as rich markup, markdown or a terminal escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from repaycli.render.safe import markdown_text, safe_text

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


def _rich_block(block: Block, plain: bool) -> RenderableType:
    if isinstance(block, Para):
        return Text(safe_text(block.text, keep_newlines=True), style=_STYLE[block.tone])
    if isinstance(block, Bullets):
        lines = [
            Text(f"{f'{i}.' if block.numbered else '•'} ") + Text(safe_text(item))
            for i, item in enumerate(block.items, start=1)
        ]
        return Group(*[Padding(line, (0, 0, 0, 2)) for line in lines])
    if isinstance(block, Pairs):
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        for label, value in block.rows:
            grid.add_row(Text(safe_text(label)), Text(safe_text(value)))
        return grid
    table = RichTable(box=box.ASCII2 if plain else box.ROUNDED, show_header=True)
    for index, header in enumerate(block.headers):
        table.add_column(
            Text(safe_text(header)), justify="right" if index in block.right else "left"
        )
    for index, row in enumerate(block.rows):
        style = "yellow" if index in block.flagged else ""
        table.add_row(*[Text(safe_text(cell), style=style) for cell in row])
    return table


def print_document(document: Document, console: Console) -> None:
    """Show the document on a rich console (boxes and colour only on a terminal)."""
    plain = not console.is_terminal
    heading = Text(safe_text(document.title), style="bold")
    if document.subtitle:
        heading.append("\n" + safe_text(document.subtitle), style="dim")
    console.print(Panel(heading, box=box.ASCII if plain else box.HEAVY, expand=True))
    for section in document.sections:
        console.print()
        console.print(Rule(Text(safe_text(section.title), style="bold cyan"), align="left"))
        for block in section.blocks:
            console.print(_rich_block(block, plain))


def _md_cell(text: str) -> str:
    return markdown_text(text).replace("\n", " ")


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
