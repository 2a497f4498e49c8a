"""The report as one self-contained HTML page: the Jinja2 templates in ``templates/`` filled
from a ``build.Report``. Every value is autoescaped (text a user typed is shown, never run);
the style sheet is inlined and the charts are inline SVG, so the file needs nothing else — no
script, no web font, no network."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from repaycli.i18n import t
from repaycli.render.document import Bullets, Pairs, Para, Table
from repaycli.render.plan import money
from repaycli.render.safe import safe_text
from repaycli.report.build import HandOver, Report, local_stamp

#: CSS font stacks: the CJK faces people have on Linux, macOS and Windows, then generic ones.
SANS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", '
    '"DejaVu Sans", Arial, sans-serif'
)
SERIF = (
    '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, "Noto Serif", '
    '"DejaVu Serif", serif'
)
MONO = '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", Menlo, Consolas, monospace'


def _kind(block: object) -> str:
    if isinstance(block, Para):
        return "para"
    if isinstance(block, Bullets):
        return "bullets"
    if isinstance(block, Pairs):
        return "pairs"
    if isinstance(block, Table):
        return "table"
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover - Block is closed


def _num(value: float) -> str:
    """A coordinate for SVG: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


def _amounts(values: list[Decimal]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def _grid(rows: list[tuple[str, str, str]], across: int) -> list[list[tuple[str, str, str]]]:
    """A schedule set in ``across`` columns, read down each column (1–25, 26–50 …); the last
    column's empty cells stay blank."""
    down = -(-len(rows) // across)
    blank = ("", "", "")
    return [
        [rows[c * down + r] if c * down + r < len(rows) else blank for c in range(across)]
        for r in range(down)
    ]


def _labels(prefix: str, names: list[str]) -> dict[str, str]:
    """Each name's label (``t(prefix + name)``), in order: looked up once, not once per entry."""
    return {name: t(prefix + name) for name in names}


def _shown(value: object) -> object:
    """Every value the page shows: control characters and bidirectional overrides made visible
    (as the terminal shows them: ``render.safe``), before autoescaping."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return safe_text(value, keep_newlines=True)
    return value


def environment() -> Environment:
    env = Environment(
        finalize=_shown,
        loader=PackageLoader("repaycli.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        t=t,
        money=money,
        kind=_kind,
        stamp=local_stamp,
        grid=_grid,
        labels=_labels,
        SANS=SANS,
        SERIF=SERIF,
        MONO=MONO,
    )
    env.filters.update(num=_num, points=_points, amounts=_amounts)
    return env


def page_chunks(page: Report | HandOver) -> Iterator[str]:
    """The HTML page in pieces as it is drawn (``Template.generate``): the user's pack, or the
    pages to hand to the lender (``report --handover``), one lender after another. The timeline
    is read while it is drawn, so the page is written out as it comes, never held whole."""
    name = "report.html" if isinstance(page, Report) else "handover.html"
    return environment().get_template(name).generate(r=page)


def render_page(report: Report) -> str:
    """The finished HTML page."""
    return "".join(page_chunks(report))


def render_handover(pack: HandOver) -> str:
    """The pages to hand to the lender (``report --handover``), one lender after another."""
    return "".join(page_chunks(pack))
