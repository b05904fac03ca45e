"""The briefing's charts, drawn with matplotlib's object API into PNG bytes (`--charts picture`).

The four standard charts are drawn from their definitions (`chart_defs.chart_definitions`) by
`draw_picture`, so a picture's title, alt text, numbers, labels and colours are those of the native Word
and Excel charts; a "comparison" is drawn as a dot plot. The evidence-category heat map is not a standard
chart type and is drawn from the scoring result.

Each chart carries alt text that states what it shows, with the numbers. Colour never carries meaning
alone: every bar, dot and cell is labelled with its value and rating or comparison word. Figures are
built with `Figure` and the Agg canvas directly: pyplot would cost start-up time, pick a backend for
the whole process and keep every figure alive in its global registry.

Every figure is drawn at the width it is shown at in Word (`width_cm`), so a font size here is the size
the reader sees; nothing is smaller than 8 pt.
"""

from __future__ import annotations

import functools
import io
import textwrap
from dataclasses import dataclass

import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..palette import MUTED
from ..scoring import Result
from .chart_defs import AxisDef, Band, ChartDef, SeriesDef, chart_definitions
from .glyphs import STYLE, fit_to_font
from .page import TEXT_WIDTH_CM

DPI = 200
MIN_PT = 8
GRID = "#E0E0E0"


def _c(hex_colour: str) -> str:
    return "#" + hex_colour.lstrip("#")


@dataclass(frozen=True)
class Chart:
    key: str          # "statements", "themes", "benchmarks", "metrics"
    title: str        # sentence-case caption
    alt_text: str     # what the chart shows, with the numbers
    png: bytes        # PNG at DPI
    width_cm: float   # display width in the Word document


@dataclass(frozen=True)
class DrawnChart:
    """A chart before it becomes PNG bytes; its figure can be inspected (text sizes, places, colours)."""

    key: str
    title: str
    alt_text: str
    figure: Figure
    width_cm: float

    def render(self) -> Chart:
        return Chart(self.key, self.title, self.alt_text, _png(self.figure), self.width_cm)


def _styled(draw):
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.style.context(["default", STYLE]):
            return draw(*args, **kwargs)
    return wrapper


def _figure(height_cm: float, width_cm: float = TEXT_WIDTH_CM) -> Figure:
    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


@_styled
def _png(fig: Figure) -> bytes:
    """PNG bytes at DPI. No bbox_inches="tight": the image must stay exactly the display width, so that
    point sizes hold; constrained layout keeps every label inside the figure instead. Dropping the
    Software tag leaves no version text in the file, so the same input gives the same bytes."""
    # A label anchored at a bar's end moves as the axes shrink to make room for it, so constrained layout
    # can need a third pass to settle (savefig makes two, and clipped such labels); once it has settled
    # the engine is removed, so that savefig neither repeats the layout nor makes its pre-draw. (Removed,
    # not set to "none": "none" leaves a placeholder engine, and savefig pre-draws any figure that has an
    # engine, which cost a whole extra draw of every chart.)
    fit_to_font(fig)  # characters the font lacks would be drawn as boxes, with a warning on the terminal
    fig.set_dpi(DPI)
    engine = fig.get_layout_engine()
    before = None
    for _ in range(4 if engine is not None else 0):
        engine.execute(fig)
        after = [tuple(ax.bbox.extents.round()) for ax in fig.axes]
        if after == before:
            break
        before = after
    fig.set_layout_engine(None)  # no engine: the style in force sets neither autolayout nor constrained
    buffer = io.BytesIO()
    # zlib level 1, not the default 6: a third less time encoding and, for flat-coloured charts, files
    # no bigger (PNG is lossless, so the pixels are the same at any level).
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    """Wrap to lines of WIDTH characters, allowing a break after "/" ("enablement/rehabilitation")."""
    lines = textwrap.wrap(text.replace("/", "/\0 "), width)
    return "\n".join(line.replace("\0 ", "").replace("\0", "") for line in lines) or text



def _bands(ax, bands: tuple[Band, ...], shade: bool) -> None:
    """CQC's rating bands: a line where each band above the lowest begins (39, 63 and 88%), each band
    named above the plot, and lightly shaded where the bars leave room to see it."""
    for band in bands:
        if shade:
            ax.axvspan(band.low, band.high, color=_c(band.colour), alpha=0.16, linewidth=0, zorder=0)
        ax.text((band.low + band.high) / 2, 1.02, _wrap(band.label, 12), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=MIN_PT, linespacing=1.1)
    for band in bands[1:]:
        ax.axvline(band.low, color=_c(MUTED), linewidth=0.8, linestyle="--", zorder=1)


def _value_axis(ax, axis: AxisDef) -> None:
    """The value axis's range and ticks: the definition's tick places (the band thresholds, so the reader
    can check a bar against a band edge), or one every major unit."""
    ax.set_xlim(axis.minimum, axis.maximum)
    steps = int(round((axis.maximum - axis.minimum) / axis.major_unit))
    ax.set_xticks(axis.ticks or [axis.minimum + i * axis.major_unit for i in range(steps + 1)])


def _value_title(ax, chart: ChartDef) -> None:
    """The value axis title, and the chart's note (councils with no published score) beneath it."""
    if chart.note:
        ax.set_xlabel(chart.value_axis.title + "\n" + _wrap(chart.note, 70), linespacing=1.4)
    else:
        ax.set_xlabel(chart.value_axis.title)


def _bare_y(ax) -> None:
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


def _rows(ax, chart: ChartDef, **kwargs) -> None:
    """The categories down the side, top to bottom in the definition's order; the emphasised one bold."""
    n = len(chart.categories)
    ax.set_yticks(range(n), [_wrap(c, chart.category_wrap) for c in chart.categories], **kwargs)
    for tick, strong in zip(ax.get_yticklabels(), chart.emphasis):
        if strong:
            tick.set_fontweight("bold")
    ax.set_ylim(n - 0.5, -0.5)
    _bare_y(ax)


def _bar_picture(chart: ChartDef, fig: Figure) -> None:
    """Horizontal bars, one per category, each filled in its point's colour, with the definition's label in
    a column to the right of the plot, level with its bar: a long label ("57% Requires improvement") then
    never runs across a band line or out of the plot. A category without a value has no bar; its label
    is in italics."""
    ax = fig.add_subplot()
    _bands(ax, chart.bands, chart.shade_bands)
    _value_axis(ax, chart.value_axis)
    (series,) = chart.series
    emphasis = chart.emphasis or (False,) * len(chart.categories)
    for row, (value, colour, label, strong) in enumerate(zip(series.values, series.colours, series.labels,
                                                             emphasis)):
        if value is not None:
            ax.barh(row, value, chart.bar_thickness, color=_c(colour), edgecolor=_c(series.outline),
                    linewidth=0.6, zorder=2)
        ax.text(1.02, row, _wrap(label, 16), transform=ax.get_yaxis_transform(), va="center", linespacing=1.0,
                fontweight="bold" if strong else "normal", fontstyle="italic" if value is None else "normal")
    _rows(ax, chart)
    _value_title(ax, chart)


def _marker(series: SeriesDef, colour: str) -> dict:
    """A dot plot's marker: "D" an open diamond (it stays visible where it sits on the other series' dot),
    anything else a filled circle in the point's colour."""
    if series.marker == "D":
        return {"marker": "D", "markersize": 5.5, "markerfacecolor": "none", "markeredgecolor": _c(series.outline),
                "markeredgewidth": 1}
    return {"marker": series.marker or "o", "markersize": 6, "color": _c(colour),
            "markeredgecolor": _c(series.outline), "markeredgewidth": 0.5}


def _comparison_label(subject: SeriesDef, reference: SeriesDef, i: int) -> str:
    """"70.6% (England 65.2%): better": the subject's label with the reference's value put in after its
    number, both exactly as the definition words them."""
    label, suffix = subject.labels[i], subject.suffixes[i]
    number = label[:len(label) - len(suffix)] if suffix and label.endswith(suffix) else label
    if reference.values[i] is None:
        return label
    return f"{number} ({reference.short_name or reference.name} {reference.labels[i]}){suffix}"


def _dot_plot(chart: ChartDef, fig: Figure) -> None:
    """A comparison (the subject against a reference, per category) as a dot plot: the two values joined by
    a line, the subject a filled circle and the reference an open diamond (shape, not colour, tells them
    apart), both values and the comparison word written to the right of the plot."""
    ax = fig.add_subplot()
    subject, reference = chart.series
    both = [(row, s, r, c) for row, (s, r, c) in enumerate(zip(subject.values, reference.values, reference.colours))
            if s is not None and r is not None]
    if both:
        rows, starts, ends, colours = zip(*both)
        ax.hlines(rows, starts, ends, color=[_c(c) for c in colours], linewidth=2, zorder=1)
    for z, series in enumerate(chart.series, start=2):
        for colour in dict.fromkeys(series.colours):  # one marker set per colour, in order of appearance
            points = [(v, row) for row, (v, c) in enumerate(zip(series.values, series.colours))
                      if c == colour and v is not None]
            if points:
                xs, ys = zip(*points)
                ax.plot(xs, ys, linestyle="none", zorder=z, **_marker(series, colour))
    for row in range(len(chart.categories)):
        ax.text(1.02, row, _comparison_label(subject, reference, row), transform=ax.get_yaxis_transform(),
                va="center", fontsize=MIN_PT)
    _rows(ax, chart, fontsize=MIN_PT, linespacing=1.0)
    _value_axis(ax, chart.value_axis)
    ax.grid(axis="x", color=GRID, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    _value_title(ax, chart)
    if chart.legend:
        handles = [Line2D([], [], linestyle="none", label=s.name, **_marker(s, s.colours[0])) for s in chart.series]
        fig.legend(handles=handles, loc="outside upper center", ncols=len(handles))


_DRAWERS = {"bar": _bar_picture, "comparison": _dot_plot}


@_styled
def draw_picture(chart: ChartDef) -> DrawnChart:
    """A chart definition drawn as a matplotlib figure at the definition's size, with its title and alt
    text: the pictures say exactly what the native Word and Excel charts say."""
    draw = _DRAWERS.get(chart.kind)
    if draw is None:
        raise ValueError(f"no picture for a chart of kind {chart.kind!r}")
    fig = _figure(chart.height_cm, chart.width_cm)
    draw(chart, fig)
    return DrawnChart(chart.key, chart.title, chart.alt_for("picture"), fig, chart.width_cm)


def draw_charts(result: Result) -> list[DrawnChart]:
    """The briefing's charts as figures, in document order, leaving out any whose data is absent. (No heat
    map of the evidence-category scores: the briefing's coloured grid table shows those 36 numbers, and the
    annex charts them.)"""
    return [draw_picture(d) for d in chart_definitions(result)]


def briefing_charts(result: Result) -> list[Chart]:
    """The briefing's charts as PNGs with alt text, in document order, leaving out any whose data is absent."""
    return [d.render() for d in draw_charts(result)]
