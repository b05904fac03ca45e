"""One definition per briefing chart: the data, colours, labels, title and alt text, and nothing else.

A `ChartDef` is pure data, built from the scoring `Result` alone, so that every backend (native Word
charts, native Excel charts, matplotlib pictures) draws the same numbers in the same colours with the
same words, and the alt text can never disagree with what is drawn. Nothing heavy is imported here:
no matplotlib, python-docx, XlsxWriter or python-pptx.

Colours come from `cqcdocs.palette` and the rating bands from `cqcdocs.scoring.RATINGS`; nothing here
types a threshold or a hex colour. The matplotlib pictures (`render.charts.draw_picture`, for
`--charts picture`) are drawn from these definitions too, so their titles, alt text, labels and
leave-out rules (a chart whose data is absent is omitted) are these. A few fields only pictures use
(`marker`, `short_name`, `category_wrap`, `bar_thickness`) keep each picture as it was drawn before.

The evidence-category heat map is not here: it is not a standard chart type (it becomes a table).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..palette import INK, OTHERS, RATING_FILL, SUBJECT
from ..scoring import RATINGS, Result
from ..wording import number_word
from .page import TEXT_WIDTH_CM
from .sentences import band_starts, comparison_words, metric_places



# How every native chart (Word and Excel) is styled, whichever writer draws it.
FONT = "Arial"  # the house font; LibreOffice draws it with the metric-compatible Liberation Sans
FONT_PT = 9
GAP = 40        # the gap between bars, as a % of a bar's width


def format_literal(text: str) -> str:
    """TEXT as a quoted literal inside an Excel number format ('"' itself is written \\"), so that a
    label's words ride on its live number: `0"%"` + `" Good"`."""
    return '"' + text.replace('"', '"\\""') + '"' if text else ""


@dataclass(frozen=True)
class Band:
    """A CQC rating band as drawn: from `low` to `high` on a 0–100 % axis. The edges sit half-way between
    the last whole per cent of one band and the first of the next (38.5, 62.5, 87.5), so that a bar of
    exactly 63 % ends visibly inside Good; the lowest band starts at 0 and the highest ends at 100."""

    label: str    # the rating word, "Requires improvement"
    first: int    # first whole per cent in the band (39)
    last: int     # last whole per cent in the band (62)
    low: float    # drawn lower edge (38.5)
    high: float   # drawn upper edge (62.5)
    colour: str   # palette hex, no "#"

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def legend_name(self) -> str:
        """"Good band (63–87%)": how a chart's legend names the band."""
        return f"{self.label} band ({self.first}\u2013{self.last}%)"

    @property
    def name(self) -> str:
        """"Requires improvement (39–62%)": how a legend or a data sheet names the band."""
        return f"{self.label} ({self.first}\u2013{self.last}%)"


@dataclass(frozen=True)
class AxisDef:
    """The value axis: title, range, where pictures put ticks, and the step native charts use."""

    title: str
    minimum: float = 0.0
    maximum: float = 100.0
    ticks: tuple[float, ...] = ()   # explicit tick places (pictures); empty: every major_unit
    major_unit: float = 10.0        # native charts cannot place irregular ticks
    number_format: str = '0'        # Excel number format of the tick labels


@dataclass(frozen=True)
class SeriesDef:
    """One series: a value per category (None where there is none), each point's fill colour and label.

    `labels[i]` is the full text shown beside point i ("63% Good"); `suffixes[i]` is the part after the
    number (" Good"), so that a native chart can keep the number live from its data (a number format
    `0"%"" Good"`) and still show the same words. For a missing value the label is the whole text
    ("Not assessed") and the suffix is empty."""

    name: str
    values: tuple[float | None, ...]
    colours: tuple[str, ...]        # palette hex per point, no "#"
    labels: tuple[str, ...]
    suffixes: tuple[str, ...]
    number_format: str = '0"%"'    # Excel number format of the values (and so of the data labels)
    decimals: int = 0
    outline: str = INK
    marker: str = ""                # pictures: "o" filled circle, "D" open diamond; "" for bars
    short_name: str = ""            # how another series' label names this one ("England"); "" for none


@dataclass(frozen=True)
class ChartDef:
    """One chart. `kind` says what the data is, each backend decides how to draw it:

    - "bar": one value per category, drawn as horizontal bars in category order, top to bottom;
    - "comparison": two series (the council, then a reference such as the England average) per
      category; pictures draw a dot plot, native charts clustered horizontal bars.

    `bands` are the CQC rating bands the values are read against (empty when they do not apply);
    `shade_bands` says whether pictures shade them (native charts always shade, as they cannot draw
    lines across a bar chart). `emphasis[i]` marks the category to stand out (this council). `note` is a
    sentence the chart shows under its value axis title. `height_cm` is the picture's height at
    `width_cm`; `category_wrap` the characters per line of a category name in pictures, and
    `bar_thickness` a picture's bar as a share of its row."""

    key: str
    kind: str
    title: str
    alt_text: str
    categories: tuple[str, ...]
    series: tuple[SeriesDef, ...]
    value_axis: AxisDef
    bands: tuple[Band, ...] = ()
    shade_bands: bool = True
    legend: bool = False
    emphasis: tuple[bool, ...] = ()
    note: str = ""
    width_cm: float = TEXT_WIDTH_CM
    height_cm: float = 8.0
    category_wrap: int = 30
    bar_thickness: float = 0.7
    picture_alt: str = ""  # the alt text when a picture draws it otherwise ("Dot plot …"); "" when the same

    def alt_for(self, backend: str) -> str:
        """The alt text of the chart as BACKEND ("native" or "picture") draws it."""
        return self.picture_alt if backend == "picture" and self.picture_alt else self.alt_text

    @property
    def named_labels(self) -> bool:
        """Native comparison charts name each bar's series in its label instead of a legend: LibreOffice lists a
        bar chart's legend bottom-up and Word top-down, so no legend reads in the bars' order in both."""
        return self.kind == "comparison"

    def visible_bands(self) -> tuple[bool, ...]:
        """For each band (in `bands` order), whether any row shows it: a band is hidden behind every bar that
        reaches past its upper edge, so a legend naming it would name nothing drawn."""
        values = self.series[0].values if self.series else ()
        return tuple(any(v is None or v < band.high for v in values) and band.low < self.value_axis.maximum
                     for band in self.bands)

    def as_drawn(self) -> ChartDef:
        """This chart as a native chart draws it: without the band tracks no row shows and, in a stacked chart,
        without the series that draw nothing, so its legend names only what can be seen. (Left out, not hidden
        from the legend: LibreOffice and Word number legend entries differently.)"""
        bands = tuple(b for b, shown in zip(self.bands, self.visible_bands()) if shown)
        series = self.series
        if self.kind == "stacked":
            series = tuple(s for s in series if any(v for v in s.values if v is not None)) or series[:1]
        return replace(self, bands=bands, series=series) if (bands, series) != (self.bands, self.series) else self


def rating_bands() -> tuple[Band, ...]:
    """The four CQC bands from `RATINGS`, coloured from the palette."""
    out = []
    for r in RATINGS:
        low = 0.0 if r.score == 1 else r.low - 0.5
        high = 100.0 if r.score == len(RATINGS) else r.high + 0.5
        out.append(Band(r.label, r.low, r.high, low, high, RATING_FILL[r.label]))
    return tuple(out)


def _band_ticks() -> tuple[float, ...]:
    return (0, *(r.low for r in RATINGS[1:]), 100)


def _rated_series(name: str, items, unit: str = "%") -> SeriesDef:
    """A series of (value or None, rating or None): fill and word from the rating, "Not assessed" without."""
    values, colours, labels, suffixes = [], [], [], []
    for pct, rating in items:
        values.append(pct)
        if pct is None:
            colours.append("FFFFFF")
            labels.append("Not assessed")
            suffixes.append("")
        else:
            colours.append(RATING_FILL[rating.label])
            labels.append(f"{pct}{unit} {rating.label}")
            suffixes.append(f" {rating.label}")
    return SeriesDef(name, tuple(values), tuple(colours), tuple(labels), tuple(suffixes))


def _statement_scores(result: Result) -> ChartDef:
    """The statements' scores (1 to 4) where a percentage is not known for each: CQC publishes the score
    alone, and a bar must not stand for a percentage nobody gave. The bar's colour and words are its rating."""
    statements = result.statements
    parts = [f"{s.quality_statement.name} {s.score} ({s.rating.label})" if s.assessed
             else f"{s.quality_statement.name} not assessed" for s in statements]
    overall = result.overall
    alt = (f"Bar chart of the {number_word(len(statements))} quality statement scores, 1 to 4 (no percentage: "
           "CQC publishes the scores alone): " + "; ".join(parts) + "."
           + (f" Overall {overall.pct}%, {overall.rating.label}, worked out from these scores." if overall else ""))
    series = _rated_series("Quality statement score (1 to 4)",
                           [(s.score if s.assessed else None, s.rating) for s in statements], unit="")
    series = replace(series, number_format="0")
    return ChartDef("statements", "bar", "Quality statement scores (1 to 4) and ratings", alt,
                    tuple(s.quality_statement.name for s in statements), (series,),
                    AxisDef("Quality statement score (1 to 4)", maximum=4, ticks=(0, 1, 2, 3, 4), major_unit=1),
                    height_cm=10.5)


def _statements(result: Result) -> ChartDef | None:
    statements = result.statements
    if not any(s.assessed for s in statements):
        return None
    if result.pct_unknown:
        return _statement_scores(result)
    parts = [f"{s.quality_statement.name} {s.pct}% ({s.rating.label})" if s.assessed
             else f"{s.quality_statement.name} not assessed" for s in statements]
    overall = result.overall
    bands = rating_bands()
    alt = (f"Bar chart of the {number_word(len(statements))} quality statement percentages against the CQC rating "
           f"bands ({band_starts()}): " + "; ".join(parts) + "."
           + (f" Overall {overall.pct}%, {overall.rating.label}." if overall else ""))
    series = _rated_series("Quality statement score (%)",
                           [(s.pct if s.assessed else None, s.rating) for s in statements])
    return ChartDef("statements", "bar", "Quality statement scores against the rating bands", alt,
                    tuple(s.quality_statement.name for s in statements), (series,),
                    AxisDef("Quality statement score (%)", ticks=_band_ticks()), bands, height_cm=10.5)


def _themes(result: Result) -> ChartDef | None:
    themes = result.themes
    if not any(t.pct is not None for t in themes):
        return None
    parts = [f"{t.theme.name} {t.pct}% ({t.rating.label})" if t.pct is not None else f"{t.theme.name} not assessed"
             for t in themes]
    alt = ("Bar chart of the theme percentages, derived from the quality statement scores because CQC "
           "publishes no theme score: " + "; ".join(parts) + ".")
    series = _rated_series("Derived theme score (%)", [(t.pct, t.rating) for t in themes])
    return ChartDef("themes", "bar", "Theme scores, derived from the quality statement scores", alt,
                    tuple(t.theme.name for t in themes), (series,),
                    AxisDef("Derived theme score (%), from the quality statement scores", ticks=_band_ticks()),
                    rating_bands(), height_cm=6.5, bar_thickness=0.65)


def _benchmarks(result: Result) -> ChartDef | None:
    scored = [c for c in result.benchmarks if c.pct is not None]
    if not any(c.is_subject for c in scored) or len(scored) < 2:
        return None
    unscored = [c for c in result.benchmarks if c.pct is None]
    region = result.workbook.assessment.region
    parts = [f"{c.council} {c.pct}%" + (f", {c.rating}" if c.rating else "")
             + (" (this council)" if c.is_subject else " (computed from its quality statement scores)"
                if c.pct_basis.startswith("computed") else "") for c in scored]
    alt = (f"Bar chart ranking {number_word(len(scored))} councils in {region} by overall score, this council highlighted: "
           + "; ".join(parts) + "."
           + (f" No published score for {number_word(len(unscored))} more: " + ", ".join(c.council for c in unscored) + "."
              if unscored else ""))
    # Rating words stay in the alt text: the band the bar ends in says it, and beside every bar they would
    # crowd the chart (as in the picture).
    suffixes = tuple(" (this council)" if c.is_subject else " (computed)" if c.pct_basis.startswith("computed")
                     else "" for c in scored)
    series = SeriesDef("Overall score (%)", tuple(c.pct for c in scored),
                       tuple(SUBJECT if c.is_subject else OTHERS for c in scored),
                       tuple(f"{c.pct}%{s}" for c, s in zip(scored, suffixes)), suffixes)
    note = ("No published score: " + ", ".join(c.council for c in unscored) + ".") if unscored else ""
    return ChartDef("benchmarks", "bar", f"Overall score against other councils in {region}", alt,
                    tuple(c.council for c in scored), (series,), AxisDef("Overall score (%)", ticks=_band_ticks()),
                    rating_bands(), shade_bands=False, emphasis=tuple(c.is_subject for c in scored), note=note,
                    height_cm=3.2 + 0.85 * len(scored) + (0.9 if unscored else 0), category_wrap=26)


def _metrics(result: Result) -> ChartDef | None:
    charted = [m for m in result.metrics if m.metric.unit.strip() == "%"]
    if not charted:
        return None
    a = result.workbook.assessment
    name = a.short_name
    others = [m for m in result.metrics if m.metric.unit.strip() != "%"]
    parts = [f"{m.metric.indicator}: {name} {m.metric.council_value:g}%, England {m.metric.england_average:g}% "
             f"({comparison_words(m) or m.comparison})" for m in charted]
    extra = [f"{m.metric.indicator}: {name} {m.metric.council_value:g} {m.metric.unit}, England "
             f"{m.metric.england_average:g} {m.metric.unit} ({comparison_words(m) or m.comparison})" for m in others]
    values = "; ".join(parts) + "." + (" Not charted (not percentages): " + "; ".join(extra) + "." if extra else "")
    n = number_word(len(charted))
    alt = (f"Clustered bar chart of {name} against the England average for {n} performance measures given as "
           f"percentages, a pair of bars per measure: {name}'s first, labelled with its name, value and whether it "
           "is better, similar or worse, then England's, labelled with its name and value: " + values)
    picture_alt = (f"Dot plot of {name} (filled circles) against the England average (open diamonds) for {n} "
                   "performance measures given as percentages, each labelled with both values and whether the council "
                   "is better, similar or worse: " + values)
    council = tuple(m.metric.council_value for m in charted)
    england = tuple(m.metric.england_average for m in charted)
    words = tuple(f": {w}" if (w := comparison_words(m)) else "" for m in charted)
    top = max(100.0, *(max(c, e) for c, e in zip(council, england)))
    places = metric_places(charted)["%"]  # the table's precision
    fmt = ("0." + "0" * places if places else "0") + '"%"'
    subject = SeriesDef(name, council, (SUBJECT,) * len(charted),
                        tuple(f"{v:.{places}f}%{w}" for v, w in zip(council, words)), words, fmt, places, marker="o",
                        short_name=name)
    reference = SeriesDef("England average", england, (OTHERS,) * len(charted),
                          tuple(f"{v:.{places}f}%" for v in england), ("",) * len(charted), fmt, places, marker="D",
                          short_name="England")
    return ChartDef("metrics", "comparison", f"Performance measures: {name} against the England average", alt,
                    tuple(m.metric.indicator for m in charted), (subject, reference),
                    AxisDef("Per cent", 0.0, top, tuple(range(0, int(top) + 1, 20)), 20.0), legend=True,
                    height_cm=2.6 + 0.68 * len(charted), category_wrap=42, picture_alt=picture_alt)


def chart_definitions(result: Result) -> list[ChartDef]:
    """The briefing's standard-type charts, in document order, leaving out any whose data is absent."""
    defs = [_statements(result), _themes(result), _benchmarks(result), _metrics(result)]
    return [d for d in defs if d is not None]
