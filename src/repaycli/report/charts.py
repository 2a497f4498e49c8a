"""The report's charts as geometry: numbers in, shapes (points, bars, ticks, legend) out.

Pure: no templates, no files. ``report/templates/chart.html`` draws a ``Chart`` as inline SVG.
Amounts stay ``Decimal`` (each shape keeps the amount it stands for); only screen positions are
floats, rounded to 0.01 of a pixel. Every chart has a title and a text alternative (``desc``),
and tells its series apart by a dash pattern or a hatch as well as a colour, so it reads in
black-and-white print and to a screen reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rich.cells import cell_len

#: Width of the drawing (SVG user units; the page scales it to the column).
WIDTH = 680.0
#: Height of the plotting area.
PLOT_HEIGHT = 220.0
FONT_SIZE = 11.0
#: A character cell's width in em (a CJK character is two cells: about one em).
CELL_EM = 0.6
TOP = 12.0
RIGHT = 16.0
#: Distinct patterns: series beyond these repeat them (with a different colour).
STYLES = 6
#: The most months a bar chart draws: every month of any plan that clears (a several-debt plan
#: can run past ten years: 132 months in a first user's pack); a plan that never clears runs to
#: 600, and its chart says which part it shows.
MAX_BARS = 240


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """About how wide ``text`` is drawn (Chinese characters count double)."""
    return cell_len(text) * CELL_EM * size


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Line:
    label: str
    style: int
    points: list[tuple[float, float]]
    values: list[Decimal]
    dates: list[date]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: Decimal
    style: int
    series: str
    category: str
    #: Text written beside the bar (a horizontal bar's value), else "".
    note: str = ""


@dataclass(frozen=True)
class Step:
    """A horizontal reference line (the limit), possibly changing level: ``points`` joined."""

    label: str
    points: list[tuple[float, float]]
    values: list[Decimal]


@dataclass(frozen=True)
class LegendItem:
    label: str
    style: int
    #: ``line``, ``bar`` or ``rule`` (the limit line).
    kind: str
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    width: float
    height: float
    plot: Box
    #: The amount at the top of the plotting area (the bottom is 0).
    y_max: Decimal
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    lines: list[Line] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    #: ``horizontal``: categories down the left, values across.
    horizontal: bool = False
    #: Category labels of a horizontal chart: (y, label).
    categories: list[Tick] = field(default_factory=list)


def nice_max(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for _ in range(2):
        for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
            candidate = step.scaleb(exponent)
            if candidate >= value:
                return candidate
        exponent += 1
    return value  # pragma: no cover - 10 × 10ⁿ always covers


def _r(value: float) -> float:
    return round(value, 2)


def _y_axis(
    top_value: Decimal, label: Callable[[Decimal], str], n: int = 5
) -> tuple[Decimal, list[Decimal], list[str], float]:
    """The scale's top, the tick values, their labels and the left margin they need."""
    y_max = nice_max(top_value)
    values = [y_max * i / n for i in range(n + 1)]
    labels = [label(v) for v in values]
    left = max(text_width(text) for text in labels) + 12
    return y_max, values, labels, left


def _legend(
    items: Sequence[tuple[str, int, str]], top: float, width: float, left: float
) -> tuple[list[LegendItem], float]:
    """Legend entries laid out in rows under the plot, wrapped to ``width``; and the height."""
    placed: list[LegendItem] = []
    x, y = left, top
    row = FONT_SIZE * 1.8
    for label, style, kind in items:
        need = 28 + text_width(label) + 14
        if x > left and x + need > width - RIGHT:
            x, y = left, y + row
        placed.append(LegendItem(label, style, kind, _r(x), _r(y)))
        x += need
    return placed, (y - top + row) if items else 0.0


def _date_x(day: date, first: date, last: date, box: Box) -> float:
    span = max((last - first).days, 1)
    return box.left + box.width * (day - first).days / span


def _month_ticks(first: date, last: date, box: Box) -> list[Tick]:
    """A tick at the start of each year, or of each quarter / month for a short span."""
    months = (last.year - first.year) * 12 + last.month - first.month
    every = 1 if months <= 8 else 3 if months <= 24 else 6 if months <= 48 else 12
    ticks = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        day = date(year, month, 1)
        if day >= first and (month - 1) % every == 0:
            ticks.append(Tick(_r(_date_x(day, first, last, box)), f"{year}-{month:02d}"))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    if not ticks:
        ticks.append(Tick(_r(box.left), first.isoformat()[:7]))
    return ticks


def _scale(value: Decimal, y_max: Decimal, box: Box) -> float:
    """Height in pixels of ``value`` on a scale whose top is ``y_max``."""
    return box.height * float(value / y_max)


def line_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    series: Sequence[tuple[str, Sequence[tuple[date, Decimal]]]],
    label: Callable[[Decimal], str],
) -> Chart:
    """One line per series (a plan's balance over time): each point at its date and amount."""
    every = [point for _, points in series for point in points]
    first = min(day for day, _ in every)
    last = max(day for day, _ in every)
    y_max, values, labels, left = _y_axis(max(v for _, v in every), label)
    box = Box(left, TOP, WIDTH - left - RIGHT, PLOT_HEIGHT)
    lines = [
        Line(
            name,
            i,
            [
                (_r(_date_x(day, first, last, box)), _r(box.bottom - _scale(v, y_max, box)))
                for day, v in points
            ],
            [v for _, v in points],
            [day for day, _ in points],
        )
        for i, (name, points) in enumerate(series)
    ]
    legend, legend_height = _legend(
        [(name, i, "line") for i, (name, _) in enumerate(series)], box.bottom + 34, WIDTH, left
    )
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        width=WIDTH,
        height=_r(box.bottom + 34 + legend_height + 4),
        plot=box,
        y_max=y_max,
        y_ticks=[
            Tick(_r(box.bottom - _scale(v, y_max, box)), text)
            for v, text in zip(values, labels, strict=True)
        ],
        x_ticks=_month_ticks(first, last, box),
        lines=lines,
        legend=legend,
    )


def stacked_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    months: Sequence[date],
    series: Sequence[tuple[str, Sequence[Decimal]]],
    limit: Sequence[Decimal],
    limit_label: str,
    label: Callable[[Decimal], str],
) -> Chart:
    """A bar per month, each series stacked in order, under a step line at ``limit``."""
    shown = list(months[:MAX_BARS])
    n = len(shown)
    totals = [sum((column[m] for _, column in series), Decimal(0)) for m in range(n)]
    top_value = max([*totals, *limit[:n]], default=Decimal(1))
    y_max, values, labels, left = _y_axis(top_value, label)
    box = Box(left, TOP, WIDTH - left - RIGHT, PLOT_HEIGHT)
    slot = box.width / max(n, 1)
    gap = min(slot * 0.2, 4.0)
    bars: list[Bar] = []
    for m, day in enumerate(shown):
        base = Decimal(0)
        for i, (name, column) in enumerate(series):
            amount = column[m]
            if amount <= 0:
                continue
            top = base + amount
            y = box.bottom - _scale(top, y_max, box)
            bars.append(
                Bar(
                    x=_r(box.left + m * slot + gap / 2),
                    y=_r(y),
                    width=_r(slot - gap),
                    height=_r(_scale(top, y_max, box) - _scale(base, y_max, box)),
                    value=amount,
                    style=i,
                    series=name,
                    category=day.isoformat(),
                )
            )
            base = top
    points: list[tuple[float, float]] = []
    for m in range(n):
        y = _r(box.bottom - _scale(limit[m], y_max, box))
        points += [(_r(box.left + m * slot), y), (_r(box.left + (m + 1) * slot), y)]
    step = Step(limit_label, points, list(limit[:n]))
    ticks = []
    every = max(1, -(-n // 12))
    for m in range(0, n, every):
        ticks.append(Tick(_r(box.left + (m + 0.5) * slot), shown[m].isoformat()[:7]))
    items = [(name, i, "bar") for i, (name, _) in enumerate(series)]
    legend, legend_height = _legend(
        [*items, (limit_label, 0, "rule")], box.bottom + 34, WIDTH, left
    )
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        width=WIDTH,
        height=_r(box.bottom + 34 + legend_height + 4),
        plot=box,
        y_max=y_max,
        y_ticks=[
            Tick(_r(box.bottom - _scale(v, y_max, box)), text)
            for v, text in zip(values, labels, strict=True)
        ],
        x_ticks=ticks,
        bars=bars,
        steps=[step],
        legend=legend,
    )


def bar_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Decimal, str]],
    label: Callable[[Decimal], str],
    horizontal: bool = False,
) -> Chart:
    """One bar per row ``(category, value, note)``: vertical (a limit now and after recovery) or
    horizontal (months to debt-free under each strategy), the note written beside each bar."""
    values_max = max((v for _, v, _ in rows), default=Decimal(1))
    y_max, values, labels, _ = _y_axis(values_max, label, n=4 if horizontal else 5)
    if horizontal:
        left = max(text_width(name) for name, _, _ in rows) + 14
        longest_note = max(text_width(note) for _, _, note in rows) + 10
        row_height = 30.0
        box = Box(left, TOP, WIDTH - left - RIGHT - longest_note, row_height * len(rows))
        bars = []
        categories = []
        for i, (name, value, note) in enumerate(rows):
            y = box.top + i * row_height + 6
            bars.append(
                Bar(
                    x=_r(box.left),
                    y=_r(y),
                    width=_r(box.width * float(value / y_max)),
                    height=_r(row_height - 12),
                    value=value,
                    style=i,
                    series=name,
                    category=name,
                    note=note,
                )
            )
            categories.append(Tick(_r(y + (row_height - 12) / 2), name))
        x_ticks = [
            Tick(_r(box.left + box.width * float(v / y_max)), text)
            for v, text in zip(values, labels, strict=True)
        ]
        return Chart(
            id=chart_id,
            title=title,
            desc=desc,
            width=WIDTH,
            height=_r(box.bottom + 30),
            plot=box,
            y_max=y_max,
            y_ticks=[],
            x_ticks=x_ticks,
            bars=bars,
            horizontal=True,
            categories=categories,
        )
    left = max(text_width(text) for text in labels) + 12
    box = Box(left, TOP + 14, WIDTH - left - RIGHT, PLOT_HEIGHT * 0.8)
    slot = box.width / max(len(rows), 1)
    width = min(slot * 0.5, 120.0)
    bars = []
    ticks = []
    for i, (name, value, note) in enumerate(rows):
        height = _scale(value, y_max, box)
        x = box.left + i * slot + (slot - width) / 2
        bars.append(
            Bar(
                x=_r(x),
                y=_r(box.bottom - height),
                width=_r(width),
                height=_r(height),
                value=value,
                style=i,
                series=name,
                category=name,
                note=note,
            )
        )
        ticks.append(Tick(_r(x + width / 2), name))
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        width=WIDTH,
        height=_r(box.bottom + 34),
        plot=box,
        y_max=y_max,
        y_ticks=[
            Tick(_r(box.bottom - _scale(v, y_max, box)), text)
            for v, text in zip(values, labels, strict=True)
        ],
        x_ticks=ticks,
        bars=bars,
    )
