"""The briefing's charts, drawn with matplotlib's object API into PNG bytes.

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
from matplotlib.patches import Patch, Rectangle

from ..palette import INK, MUTED, OTHERS, RATING_FILL, SCORE_FILL, SCORE_TEXT, SUBJECT
from ..scoring import RATINGS, Result
from ..wording import number_word
from .glyphs import fit_to_font
from .page import TEXT_WIDTH_CM
from .sentences import band_starts

DPI = 200
MIN_PT = 8
WHITE = "#FFFFFF"
GRID = "#E0E0E0"

# One style, on top of matplotlib's own defaults, applied around each chart: importing cqcdocs never
# changes matplotlib's settings for anyone else in the process, and a caller's settings (or a
# matplotlibrc) never change the charts, so the same workbook always gives the same bytes.
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans"],
    "font.size": 9,
    "axes.labelsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.edgecolor": "#" + MUTED,
    "axes.labelcolor": "#" + INK,
    "text.color": "#" + INK,
    "xtick.color": "#" + INK,
    "ytick.color": "#" + INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.facecolor": WHITE,
    "savefig.facecolor": WHITE,
}


def _c(hex_colour: str) -> str:
    return "#" + hex_colour.lstrip("#")


@dataclass(frozen=True)
class Chart:
    key: str          # "statements", "evidence_grid", "themes", "benchmarks", "metrics"
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


def _label(ax, x: float, y: float, text: str, **kwargs) -> None:
    """A value label on a white patch, so band lines and shading behind it never cut through the text."""
    ax.text(x, y, text, va="center", bbox={"facecolor": WHITE, "edgecolor": "none", "pad": 0.8}, **kwargs)


def _bands(ax, shade: bool = True) -> None:
    """CQC's rating bands: a line where each band above the lowest begins (39, 63 and 88%), each band
    named above the plot, and lightly shaded where the bars leave room to see it."""
    for rating in RATINGS:
        low = 0 if rating.score == 1 else rating.low - 0.5
        high = 100 if rating.score == 4 else rating.high + 0.5
        if shade:
            ax.axvspan(low, high, color=_c(RATING_FILL[rating.label]), alpha=0.16, linewidth=0, zorder=0)
        ax.text((low + high) / 2, 1.02, _wrap(rating.label, 12), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=MIN_PT, linespacing=1.1)
    for rating in RATINGS[1:]:
        ax.axvline(rating.low - 0.5, color=_c(MUTED), linewidth=0.8, linestyle="--", zorder=1)
    # Ticks at the band thresholds let the reader check a bar against the band edge.
    ax.set_xlim(0, 100)
    ax.set_xticks([0, *(r.low for r in RATINGS[1:]), 100])


def _bare_y(ax) -> None:
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


@_styled
def _statements(result: Result) -> DrawnChart | None:
    statements = result.statements
    if not any(s.assessed for s in statements):
        return None
    fig = _figure(10.5)
    ax = fig.add_subplot()
    _bands(ax)
    rows = range(len(statements))
    for row, s in zip(rows, statements):
        if s.assessed:
            ax.barh(row, s.pct, 0.7, color=_c(RATING_FILL[s.rating.label]), edgecolor=_c(INK), linewidth=0.6,
                    zorder=2)
            _label(ax, s.pct + 1, row, f"{s.pct}% {s.rating.label}", zorder=3)
        else:
            _label(ax, 1, row, "Not assessed", fontstyle="italic", zorder=3)
    ax.set_yticks(list(rows), [_wrap(s.quality_statement.name, 30) for s in statements])
    ax.set_ylim(len(statements) - 0.5, -0.5)
    _bare_y(ax)
    ax.set_xlabel("Quality statement score (%)")
    parts = [f"{s.quality_statement.name} {s.pct}% ({s.rating.label})" if s.assessed
             else f"{s.quality_statement.name} not assessed" for s in statements]
    overall = result.overall
    alt = (f"Bar chart of the {number_word(len(statements))} quality statement percentages against the CQC rating bands "
           f"({band_starts()}): " + "; ".join(parts) + "."
           + (f" Overall {overall.pct}%, {overall.rating.label}." if overall else ""))
    return DrawnChart("statements", "Quality statement scores against the rating bands", alt, fig, TEXT_WIDTH_CM)


@_styled
def _evidence_grid(result: Result) -> DrawnChart | None:
    statements = result.statements
    if not any(s.categories for s in statements):
        return None
    categories = result.categories_used
    fig = _figure(11.5)
    ax = fig.add_subplot()
    blank = False
    for r, s in enumerate(statements):
        if not s.categories:
            # A statement with no category scores gets one message across its row, not a row of dashes.
            ax.add_patch(Rectangle((0, r), len(categories), 1, facecolor=WHITE, edgecolor=_c(GRID), linewidth=1))
            text = "Not assessed" if not s.assessed else f"No category scores (score {s.score} entered)"
            ax.text(len(categories) / 2, r + 0.5, text, ha="center", va="center", fontstyle="italic")
            continue
        for c, category in enumerate(categories):
            score = s.categories.get(category)
            blank = blank or score is None
            fill = _c(SCORE_FILL[score]) if score else WHITE
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=fill, edgecolor=WHITE, linewidth=2))
            ax.text(c + 0.5, r + 0.5, str(score) if score else "\u2013", ha="center", va="center", fontsize=11,
                    color=_c(SCORE_TEXT[score]) if score else _c(INK), fontweight="bold" if score else "normal")
    ax.set_xlim(0, len(categories))
    ax.set_ylim(len(statements), 0)
    ax.set_xticks([c + 0.5 for c in range(len(categories))], [_wrap(c, 14) for c in categories])
    ax.xaxis.tick_top()
    ax.set_yticks([r + 0.5 for r in range(len(statements))],
                  [_wrap(s.quality_statement.name, 30) for s in statements])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Patch(facecolor=_c(SCORE_FILL[r.score]), edgecolor=_c(INK), linewidth=0.6,
                     label=f"{r.score} {r.label}") for r in RATINGS]
    if blank:
        handles.append(Patch(facecolor=WHITE, edgecolor=_c(INK), linewidth=0.6, label="\u2013 not scored"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), handlelength=1.2,
               columnspacing=1.2, fontsize=MIN_PT)
    rows = []
    for s in statements:
        name = s.quality_statement.name
        if not s.categories:
            rows.append(f"{name}: not assessed" if not s.assessed else f"{name}: no category scores")
            continue
        cells = [f"{c} {s.categories[c]}" if c in s.categories else f"{c} not scored" for c in categories]
        rows.append(f"{name}: " + ", ".join(cells))
    alt = ("Heat map of the evidence category scores (1 Inadequate to 4 Outstanding) for each quality "
           "statement, the score printed in each cell: " + "; ".join(rows) + ".")
    return DrawnChart("evidence_grid", "Evidence category scores for each quality statement", alt, fig,
                      TEXT_WIDTH_CM)


@_styled
def _themes(result: Result) -> DrawnChart | None:
    themes = result.themes
    if not any(t.pct is not None for t in themes):
        return None
    fig = _figure(6.5)
    ax = fig.add_subplot()
    _bands(ax)
    rows = range(len(themes))
    for row, t in zip(rows, themes):
        if t.pct is not None:
            ax.barh(row, t.pct, 0.65, color=_c(RATING_FILL[t.rating.label]), edgecolor=_c(INK), linewidth=0.6,
                    zorder=2)
            _label(ax, t.pct + 1, row, f"{t.pct}% {t.rating.label}", zorder=3)
        else:
            _label(ax, 1, row, "Not assessed", fontstyle="italic", zorder=3)
    ax.set_yticks(list(rows), [t.theme.name for t in themes])
    ax.set_ylim(len(themes) - 0.5, -0.5)
    _bare_y(ax)
    ax.set_xlabel("Derived theme score (%), from the quality statement scores")
    parts = [f"{t.theme.name} {t.pct}% ({t.rating.label})" if t.pct is not None else f"{t.theme.name} not assessed"
             for t in themes]
    alt = ("Bar chart of the theme percentages, derived from the quality statement scores because CQC "
           "publishes no theme score: " + "; ".join(parts) + ".")
    return DrawnChart("themes", "Theme scores, derived from the quality statement scores", alt, fig, TEXT_WIDTH_CM)


@_styled
def _benchmarks(result: Result) -> DrawnChart | None:
    scored = [c for c in result.benchmarks if c.pct is not None]
    if not any(c.is_subject for c in scored) or len(scored) < 2:
        return None
    unscored = [c for c in result.benchmarks if c.pct is None]
    fig = _figure(3.2 + 0.85 * len(scored) + (0.9 if unscored else 0))
    ax = fig.add_subplot()
    _bands(ax, shade=False)
    ax.grid(False)
    for row, c in enumerate(scored):
        ax.barh(row, c.pct, 0.7, color=_c(SUBJECT if c.is_subject else OTHERS), edgecolor=_c(INK), linewidth=0.6,
                zorder=2)
        # Rating words stay in the alt text: beside every bar they squeeze the axes until the band names
        # collide, and the named band lines already say which band each bar ends in.
        note = " (this council)" if c.is_subject else " (computed)" if c.pct_basis.startswith("computed") else ""
        _label(ax, c.pct + 1, row, f"{c.pct}%{note}", fontweight="bold" if c.is_subject else "normal", zorder=3)
    ax.set_yticks(range(len(scored)), [_wrap(c.council, 26) for c in scored])
    for tick, c in zip(ax.get_yticklabels(), scored):
        if c.is_subject:
            tick.set_fontweight("bold")
    ax.set_ylim(len(scored) - 0.5, -0.5)
    _bare_y(ax)
    label = "Overall score (%)"
    if unscored:
        label += "\n" + _wrap("No published score: " + ", ".join(c.council for c in unscored) + ".", 70)
    ax.set_xlabel(label, linespacing=1.4)
    region = result.workbook.assessment.region
    parts = [f"{c.council} {c.pct}%" + (f", {c.rating}" if c.rating else "")
             + (" (this council)" if c.is_subject else " (computed from its quality statement scores)"
                if c.pct_basis.startswith("computed") else "") for c in scored]
    alt = (f"Bar chart ranking {number_word(len(scored))} councils in {region} by overall score, this council highlighted: "
           + "; ".join(parts) + "."
           + (f" No published score for {number_word(len(unscored))} more: " + ", ".join(c.council for c in unscored) + "."
              if unscored else ""))
    return DrawnChart("benchmarks", f"Overall score against other councils in {region}", alt, fig, TEXT_WIDTH_CM)


def _metric_label(value: float, england: float, comparison: str) -> str:
    word = "" if comparison == "not stated" else f": {comparison}"
    return f"{value:.1f}% (England {england:.1f}%){word}"


@_styled
def _metrics(result: Result) -> DrawnChart | None:
    charted = [m for m in result.metrics if m.metric.unit.strip() == "%"]
    if not charted:
        return None
    a = result.workbook.assessment
    name = a.short_name
    fig = _figure(2.6 + 0.68 * len(charted))
    ax = fig.add_subplot()
    top = max(100.0, *(max(m.metric.council_value, m.metric.england_average) for m in charted))
    rows = range(len(charted))
    values = [m.metric.council_value for m in charted]
    england = [m.metric.england_average for m in charted]
    ax.hlines(rows, values, england, color=_c(OTHERS), linewidth=2, zorder=1)
    # The council is a filled circle and England an open diamond: shape, not colour, tells them apart, and
    # the open diamond stays visible where the two values coincide.
    ax.plot(values, rows, "o", linestyle="none", markersize=6, color=_c(SUBJECT), markeredgecolor=_c(INK),
            markeredgewidth=0.5, zorder=2)
    ax.plot(england, rows, "D", linestyle="none", markersize=5.5, markerfacecolor="none",
            markeredgecolor=_c(INK), markeredgewidth=1, zorder=3)
    for row, m in zip(rows, charted):
        ax.text(1.02, row, _metric_label(m.metric.council_value, m.metric.england_average, m.comparison),
                transform=ax.get_yaxis_transform(), va="center", fontsize=MIN_PT)
    ax.set_yticks(rows, [_wrap(m.metric.indicator, 42) for m in charted], fontsize=MIN_PT,
                  linespacing=1.0)
    ax.set_ylim(len(charted) - 0.5, -0.5)
    ax.set_xlim(0, top)
    ax.set_xticks(range(0, int(top) + 1, 20))
    ax.grid(axis="x", color=GRID, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    _bare_y(ax)
    ax.set_xlabel("Per cent")
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=6, color=_c(SUBJECT),
                      markeredgecolor=_c(INK), markeredgewidth=0.5, label=name),
               Line2D([], [], linestyle="none", marker="D", markersize=5.5, markerfacecolor="none",
                      markeredgecolor=_c(INK), label="England average")]
    fig.legend(handles=handles, loc="outside upper center", ncols=2)
    others = [m for m in result.metrics if m.metric.unit.strip() != "%"]
    parts = [f"{m.metric.indicator}: {name} {m.metric.council_value:g}%, England {m.metric.england_average:g}% "
             f"({m.comparison})" for m in charted]
    extra = [f"{m.metric.indicator}: {name} {m.metric.council_value:g} {m.metric.unit}, England "
             f"{m.metric.england_average:g} {m.metric.unit} ({m.comparison})" for m in others]
    alt = (f"Dot plot of {name} against the England average for {number_word(len(charted))} performance measures given as "
           "percentages, each labelled with both values and whether the council is better, similar or worse: "
           + "; ".join(parts) + "." + (" Not charted (not percentages): " + "; ".join(extra) + "." if extra else ""))
    return DrawnChart("metrics", f"Performance measures: {name} against the England average", alt, fig, TEXT_WIDTH_CM)


def draw_charts(result: Result) -> list[DrawnChart]:
    """The briefing's charts as figures, in document order, leaving out any whose data is absent."""
    drawn = [_statements(result), _evidence_grid(result), _themes(result), _benchmarks(result), _metrics(result)]
    return [d for d in drawn if d is not None]


def briefing_charts(result: Result) -> list[Chart]:
    """The briefing's charts as PNGs with alt text, in document order, leaving out any whose data is absent."""
    return [d.render() for d in draw_charts(result)]
