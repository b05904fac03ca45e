"""Characters the charts' font cannot draw (emoji, scripts DejaVu Sans lacks) in the chart pictures.

matplotlib would draw each as an empty box and print a "Glyph … missing" warning, with its own source
path, on the officer's terminal. Instead `glyph_warnings` says once per field which characters the
chart pictures leave out, and `fit_to_font` (called on each figure before it is laid out) leaves them
out of the figure's text. The Word text and the annex keep them: Word and Excel fall back to other fonts.
"""

from __future__ import annotations

import functools
import re
from functools import lru_cache

import matplotlib.style
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FuncFormatter

from ..model import Message, Workbook
from ..palette import INK, MUTED

WHITE = "#FFFFFF"

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


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    return frozenset(ft2font.FT2Font(path).get_charmap())


@lru_cache(maxsize=64)
def _coverage(prop: font_manager.FontProperties) -> frozenset[int]:
    """Every character the fonts matplotlib would use for PROP (with its fallbacks) can draw."""
    find = getattr(font_manager.fontManager, "_find_fonts_by_props", None)  # matplotlib ≥ 3.6: the fallbacks too
    paths = find(prop) if find else [font_manager.findfont(prop)]
    return frozenset().union(*(_charmap(str(p)) for p in paths))


def _drawable(ch: str, coverage: frozenset[int]) -> bool:
    return ord(ch) in coverage or ch.isspace() or ord(ch) < 32


def missing(text: str, coverage: frozenset[int]) -> str:
    """The characters of TEXT that COVERAGE lacks, each once, in order."""
    return "".join(dict.fromkeys(ch for ch in text if not _drawable(ch, coverage)))


def _fit(text: str, coverage: frozenset[int]) -> str:
    if not missing(text, coverage):
        return text
    kept = "".join(ch for ch in text if _drawable(ch, coverage))
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", kept).strip(" ") or "?"


def fit_to_font(fig: Figure) -> None:
    """Leave out of FIG's text (titles, labels, legends, fixed tick labels) what its fonts cannot draw."""
    for text in fig.findobj(Text):
        if text.get_text():
            text.set_text(_fit(text.get_text(), _coverage(text.get_fontproperties())))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            coverage = _coverage(axis.get_label().get_fontproperties())
            if isinstance(formatter, FixedFormatter):
                formatter.seq = [_fit(str(s), coverage) for s in formatter.seq]
            elif isinstance(formatter, FuncFormatter):  # what set_ticks(…, labels) makes in matplotlib ≥ 3.9
                formatter.func = functools.partial(_fitted, formatter.func, coverage)


def _fitted(func, coverage: frozenset[int], *args):
    return _fit(str(func(*args)), coverage)


def glyph_warnings(workbook: Workbook) -> list[Message]:
    """One warning for each workbook field the charts draw that has characters the font
    lacks: "Benchmarks!4:4: Council 'Eastshire 🌅': the chart pictures leave out 🌅 (their font has no such
    character)"."""
    with matplotlib.style.context(["default", STYLE]):
        coverage = _coverage(font_manager.FontProperties())
    fields = [("Assessment", "Short name", workbook.assessment.short_name)]
    fields += [(b.place or "Benchmarks", "Council", b.council) for b in workbook.benchmarks]
    fields += [(m.place or "Metrics", "Indicator", m.indicator) for m in workbook.metrics if m.unit.strip() == "%"]
    found = []
    for place, name, value in fields:
        if lacking := missing(value, coverage):
            found.append(Message(place, f"{name} {value!r}: the chart pictures leave out {' '.join(lacking)} "
                                        "(their font has no such character)", "warning"))
    return found
