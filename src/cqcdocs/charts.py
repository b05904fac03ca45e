"""The briefing's charts, drawn with matplotlib's object API (no pyplot) into PNG bytes.

Each chart carries alt text that states what it shows, with the numbers. Colour never carries meaning
alone: bars and cells are labelled with their value and rating word. Figures are built with `Figure`
and the Agg canvas directly, which skips pyplot's start-up and global state.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .palette import INK, MUTED, OTHERS, RATING_FILL, SCORE_FILL, SCORE_TEXT, SUBJECT, rgb  # noqa: E402
from .scoring import RATINGS, Result  # noqa: E402

DPI = 200
# One style, set once: readable sizes at the display width, no chart junk.
matplotlib.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9,
    "axes.edgecolor": "#" + MUTED, "axes.labelcolor": "#" + INK, "xtick.color": "#" + INK,
    "ytick.color": "#" + INK, "text.color": "#" + INK, "axes.spines.top": False, "axes.spines.right": False,
    "svg.hashsalt": "cqcdocs", "path.simplify": True,
})


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    alt_text: str
    png: bytes
    width_cm: float


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _figure(width_cm: float, height_cm: float) -> Figure:
    return Figure(figsize=(width_cm / 2.54, height_cm / 2.54), layout="constrained")


def _wrap(text: str, width: int = 24) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _label(ax, x: float, y: float, text: str, **kwargs) -> None:
    """A value label on a white patch, so band lines behind it never cut through the text."""
    ax.text(x, y, text, va="center", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.9},
            **kwargs)


def _band_backdrop(ax, horizontal: bool = True) -> None:
    """Shade the four rating bands lightly and name them, so bars read against CQC's thresholds."""
    for rating in RATINGS:
        low = 0 if rating.score == 1 else rating.low - 0.5
        high = 100 if rating.score == 4 else rating.high + 0.5
        span = ax.axvspan if horizontal else ax.axhspan
        span(low, high, color=rgb(RATING_FILL[rating.label]), alpha=0.18, linewidth=0)
    for edge in (39, 63, 88):
        (ax.axvline if horizontal else ax.axhline)(edge - 0.5, color="#" + MUTED, linewidth=0.8, linestyle="--")


def _band_names(ax) -> None:
    """Name each band above the plot, clear of the bars."""
    for rating in RATINGS:
        ax.text((rating.low + rating.high) / 2, 1.01, _wrap(rating.label, 12), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=7, color="#" + INK)


def statements_chart(result: Result) -> Chart:
    statements = result.statements
    fig = _figure(16, 10)
    ax = fig.add_subplot()
    _band_backdrop(ax)
    names = [_wrap(s.quality_statement.name, 30) for s in statements][::-1]
    values = [s.pct or 0 for s in statements][::-1]
    colours = [rgb(RATING_FILL[s.rating.label]) if s.rating else (1, 1, 1) for s in statements][::-1]
    bars = ax.barh(names, values, color=colours, edgecolor="#" + INK, linewidth=0.6)
    for bar, s in zip(bars, statements[::-1]):
        label = f"{s.pct}% {s.rating.label}" if s.rating else "Not assessed"
        x = bar.get_width() + 1 if s.rating else 1
        _label(ax, x, bar.get_y() + bar.get_height() / 2, label, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Quality statement score (%)")
    _band_names(ax)
    parts = [f"{s.quality_statement.name} {s.pct}% ({s.rating.label})" if s.rating
             else f"{s.quality_statement.name} not assessed" for s in statements]
    overall = result.overall
    alt = ("Bar chart of the quality statement percentages against the CQC rating bands (Requires improvement "
           "from 39%, Good from 63%, Outstanding from 88%): " + "; ".join(parts) + "."
           + (f" Overall {overall.pct}%, {overall.rating.label}." if overall else ""))
    return Chart("statements", "Quality statement scores against the rating bands", alt, _png(fig), 16)


def evidence_grid_chart(result: Result) -> Chart:
    categories = result.categories_used
    statements = result.statements
    fig = _figure(16, 11)
    ax = fig.add_subplot()
    for r, s in enumerate(statements):
        for c, category in enumerate(categories):
            score = s.categories.get(category)
            fill = rgb(SCORE_FILL[score]) if score else (1, 1, 1)
            ax.add_patch(matplotlib.patches.Rectangle((c, r), 1, 1, facecolor=fill, edgecolor="white", linewidth=2))
            ax.text(c + 0.5, r + 0.5, str(score) if score else "\u2013", ha="center", va="center", fontsize=10,
                    color="#" + (SCORE_TEXT[score] if score else INK), fontweight="bold" if score else "normal")
    ax.set_xlim(0, len(categories))
    ax.set_ylim(len(statements), 0)
    ax.set_xticks([c + 0.5 for c in range(len(categories))], [_wrap(c, 14) for c in categories], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks([r + 0.5 for r in range(len(statements))],
                  [_wrap(s.quality_statement.name, 32) for s in statements], fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [matplotlib.patches.Patch(facecolor=rgb(SCORE_FILL[r.score]), edgecolor="#" + INK,
                                        label=f"{r.score} {r.label}") for r in RATINGS]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False, fontsize=8)
    rows = []
    for s in statements:
        if s.categories:
            scores = ", ".join(f"{c} {s.categories[c]}" for c in categories if c in s.categories)
            rows.append(f"{s.quality_statement.name}: {scores}")
        else:
            rows.append(f"{s.quality_statement.name}: not scored")
    alt = ("Heat map of evidence category scores (1 to 4) for each quality statement, score printed in each "
           "cell: " + "; ".join(rows) + ".")
    return Chart("evidence_grid", "Evidence category scores by quality statement", alt, _png(fig), 16)


def themes_chart(result: Result) -> Chart:
    themes = result.themes
    fig = _figure(16, 6.5)
    ax = fig.add_subplot()
    _band_backdrop(ax)
    names = [t.theme.name for t in themes][::-1]
    values = [t.pct or 0 for t in themes][::-1]
    colours = [rgb(RATING_FILL[t.rating.label]) if t.rating else (1, 1, 1) for t in themes][::-1]
    bars = ax.barh(names, values, color=colours, edgecolor="#" + INK, linewidth=0.6)
    for bar, t in zip(bars, themes[::-1]):
        label = f"{t.pct}% {t.rating.label} (derived)" if t.rating else "Not assessed"
        _label(ax, (bar.get_width() if t.rating else 0) + 1, bar.get_y() + bar.get_height() / 2, label, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Derived theme score (%): CQC publishes no theme score")
    _band_names(ax)
    parts = [f"{t.theme.name} {t.pct}% ({t.rating.label})" if t.rating else f"{t.theme.name} not assessed"
             for t in themes]
    alt = ("Bar chart of theme percentages derived by cqcdocs from the quality statement scores (CQC publishes "
           "no theme score): " + "; ".join(parts) + ".")
    return Chart("themes", "Theme scores (derived)", alt, _png(fig), 16)


def benchmarks_chart(result: Result) -> Chart | None:
    scored = [c for c in result.benchmarks if c.pct is not None]
    if len(scored) < 2:
        return None
    unscored = [c for c in result.benchmarks if c.pct is None]
    fig = _figure(16, 2 + 0.75 * len(scored))
    ax = fig.add_subplot()
    names = [_wrap(c.council, 36) for c in scored][::-1]
    values = [c.pct for c in scored][::-1]
    colours = [rgb(SUBJECT if c.is_subject else OTHERS) for c in scored][::-1]
    bars = ax.barh(names, values, color=colours, edgecolor="#" + INK, linewidth=0.6)
    for bar, c in zip(bars, scored[::-1]):
        note = " (this council)" if c.is_subject else (" (computed)" if c.pct_basis.startswith("computed") else "")
        _label(ax, bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, f"{c.pct}%{note}", fontsize=8,
               fontweight="bold" if c.is_subject else "normal")
    for edge in (39, 63, 88):
        ax.axvline(edge - 0.5, color="#" + MUTED, linewidth=0.8, linestyle="--", zorder=0)
    ax.set_xlim(0, 110)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    _band_names(ax)
    region = result.workbook.assessment.region
    label = "Overall score (%)"
    if unscored:
        label += "\n" + _wrap("No published score: " + ", ".join(c.council for c in unscored), 80)
    ax.set_xlabel(label, fontsize=8)
    parts = [f"{c.council} {c.pct}%" + (" (this council)" if c.is_subject else "") for c in scored]
    alt = (f"Bar chart ranking councils in {region} by overall score: " + "; ".join(parts) + "."
           + (f" No published score for {len(unscored)} more: " + ", ".join(c.council for c in unscored) + "."
              if unscored else ""))
    return Chart("benchmarks", f"Overall score against other councils in {region}", alt, _png(fig), 16)


def metrics_chart(result: Result) -> Chart | None:
    metrics = [m for m in result.metrics if m.metric.unit.strip() == "%"]
    if not metrics:
        return None
    fig = _figure(16, 2.5 + 0.9 * len(metrics))
    ax = fig.add_subplot()
    rows = range(len(metrics))
    height = 0.38
    council = [m.metric.council_value for m in metrics][::-1]
    england = [m.metric.england_average for m in metrics][::-1]
    names = [_wrap(m.metric.indicator, 44) for m in metrics][::-1]
    name = result.workbook.assessment.short_name
    ax.barh([r + height / 2 for r in rows], council, height, color=rgb(SUBJECT), label=name)
    ax.barh([r - height / 2 for r in rows], england, height, color=rgb(OTHERS), label="England average")
    for r, m in zip(rows, metrics[::-1]):
        ax.text(m.metric.council_value + 1, r + height / 2, f"{m.metric.council_value:.1f}% ({m.comparison})",
                va="center", fontsize=7)
        ax.text(m.metric.england_average + 1, r - height / 2, f"{m.metric.england_average:.1f}%", va="center",
                fontsize=7, color="#" + MUTED)
    ax.set_yticks(list(rows), names, fontsize=7)
    ax.set_xlim(0, 115)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("Per cent")
    fig.legend(loc="outside upper center", ncols=2, frameon=False, fontsize=8)
    others = [m for m in result.metrics if m.metric.unit.strip() != "%"]
    parts = [f"{m.metric.indicator}: {name} {m.metric.council_value:g}%, England {m.metric.england_average:g}% "
             f"({m.comparison})" for m in metrics]
    extra = [f"{m.metric.indicator}: {name} {m.metric.council_value:g} {m.metric.unit}, England "
             f"{m.metric.england_average:g} {m.metric.unit} ({m.comparison})" for m in others]
    alt = (f"Paired bar chart of {name} against the England average for {len(metrics)} performance measures: "
           + "; ".join(parts) + "." + (" Not charted (not percentages): " + "; ".join(extra) + "." if extra else ""))
    return Chart("metrics", f"{name} against the England average", alt, _png(fig), 16)


def briefing_charts(result: Result) -> list[Chart]:
    """The briefing's charts, leaving out any whose data the workbook does not have."""
    charts = [statements_chart(result), evidence_grid_chart(result), themes_chart(result),
              benchmarks_chart(result), metrics_chart(result)]
    return [c for c in charts if c is not None]
