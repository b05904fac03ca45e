"""The briefing charts: real PNGs at print resolution and display width, alt text with the numbers, nothing
for absent data, the same bytes for the same input, and text that is readable where Word shows it."""

import dataclasses
import hashlib
import struct
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from cqcdocs.palette import contrast
from cqcdocs.render.chart_defs import AxisDef, chart_definitions
from cqcdocs.render.charts import DPI, briefing_charts, draw_charts, draw_picture
from cqcdocs.render.page import TEXT_WIDTH_CM
from cqcdocs.resources import EXAMPLE_WORKBOOK

KEYS = ["statements", "themes", "benchmarks", "metrics"]


def png_info(data: bytes) -> tuple[int, int, float]:
    """Width and height from the IHDR chunk, dots per inch from the pHYs chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    at = data.index(b"pHYs")
    per_metre_x, per_metre_y, unit = struct.unpack(">IIB", data[at + 4:at + 13])
    assert unit == 1 and per_metre_x == per_metre_y  # metres, square pixels
    return width, height, per_metre_x * 0.0254


@pytest.fixture(scope="module")
def example_charts(example):
    return briefing_charts(example[0])


def test_five_charts_for_the_example_at_print_resolution_and_display_width(example_charts):
    assert [c.key for c in example_charts] == KEYS
    for chart in example_charts:
        width, height, dpi = png_info(chart.png)
        assert dpi >= 150
        # Drawn at the width Word shows it (the page's text width), so the 8 pt minimum in the figure is 8 pt
        # on the page.
        assert chart.width_cm == TEXT_WIDTH_CM == 17.0
        assert abs(width - chart.width_cm / 2.54 * dpi) <= 1
        assert 0.25 * width < height < 1.5 * width
        assert chart.title[0].isupper() and not chart.title.endswith(".")
        assert len(chart.alt_text) > 150 and chart.alt_text != chart.title


def test_alt_texts_state_the_numbers(example_charts):
    alt = {c.key: c.alt_text for c in example_charts}
    # The nine quality statement percentages and ratings as CQC published them for Rotherham.
    for name, pct, rating in [
        ("Assessing needs", 63, "Good"), ("Supporting people to lead healthier lives", 75, "Good"),
        ("Equity in experience and outcomes", 57, "Requires improvement"),
        ("Care provision, integration and continuity", 63, "Good"), ("Partnerships and communities", 75, "Good"),
        ("Safe pathways, systems and transitions", 75, "Good"), ("Safeguarding", 69, "Good"),
        ("Governance, management and sustainability", 75, "Good"),
        ("Learning, improvement and innovation", 75, "Good"),
    ]:
        assert f"{name} {pct}% ({rating})" in alt["statements"]
    assert alt["statements"].startswith("Bar chart of the nine quality statement percentages")
    assert alt["statements"].endswith("Overall 73%, Good.")
    assert "derived" in alt["themes"] and "Working with people 67% (Good)" in alt["themes"]
    assert "derived" in next(c.title for c in example_charts if c.key == "themes")
    assert "Rotherham Metropolitan Borough Council 73%, Good (this council)" in alt["benchmarks"]
    assert "City of Doncaster Council 64%, Good (computed from its quality statement scores)" in alt["benchmarks"]
    assert "East Riding of Yorkshire Council 28%, Inadequate." in alt["benchmarks"]  # all 15 in the region
    assert alt["benchmarks"].endswith("No published score for six more: Barnsley Metropolitan Borough Council, "
                                      "Calderdale Council, City of Bradford Metropolitan District Council, North East "
                                      "Lincolnshire Council, North Lincolnshire Council, Sheffield City Council.")
    assert "People satisfied with care and support: Rotherham 70.57%, England 65.16% (better)" in alt["metrics"]
    assert "Carers who felt safe: Rotherham 74.24%, England 80.93% (worse)" in alt["metrics"]
    assert "Not charted" not in alt["metrics"]  # every Rotherham measure is a percentage


def test_same_input_gives_the_same_bytes_whatever_the_callers_matplotlib_settings(example, example_charts):
    before = dict(matplotlib.rcParams)
    with matplotlib.rc_context({"font.size": 20, "lines.linewidth": 5, "axes.facecolor": "yellow"}):
        again = briefing_charts(example[0])
    assert [c.png for c in again] == [c.png for c in example_charts]
    assert dict(matplotlib.rcParams) == before  # the chart style does not leak into the caller's


def test_a_fresh_process_gives_the_same_bytes(example_charts):
    code = ("import hashlib; from cqcdocs.documents import load_and_score; "
            "from cqcdocs.render.charts import briefing_charts; "
            f"from pathlib import Path; r, _ = load_and_score(Path({str(EXAMPLE_WORKBOOK)!r})); "
            "print(' '.join(hashlib.sha256(c.png).hexdigest() for c in briefing_charts(r)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == [hashlib.sha256(c.png).hexdigest() for c in example_charts]
    assert all(b"matplotlib" not in c.png.lower() for c in example_charts)  # no version tag


def test_absent_data_gives_no_chart(northmoor):
    result, _ = northmoor
    assert [c.key for c in draw_charts(dataclasses.replace(result, benchmarks=(), metrics=()))] == KEYS[:2]
    # Only the council itself has a score: nothing to compare it with.
    alone = tuple(c for c in result.benchmarks if c.is_subject)
    assert "benchmarks" not in [c.key for c in draw_charts(dataclasses.replace(result, benchmarks=alone))]
    # Measures that are not percentages have no common axis: no chart, but still in the alt text when charted.
    days = tuple(m for m in result.metrics if m.metric.unit != "%")
    assert days and "metrics" not in [c.key for c in draw_charts(dataclasses.replace(result, metrics=days))]


def test_not_assessed_and_blank_cells_are_said_not_drawn(northmoor):
    result, _ = northmoor
    drawn = {d.key: d for d in draw_charts(result)}
    assert list(drawn) == KEYS
    statements = drawn["statements"]
    assert "Partnerships and communities not assessed;" in statements.alt_text
    assert statements.alt_text.endswith("Overall 57%, Requires improvement.")
    ax = statements.figure.axes[0]
    assert sum(len(bars) for bars in ax.containers) == 8  # no bar for the statement not assessed
    assert "Not assessed" in [t.get_text() for t in ax.texts]
    assert "Not charted (not percentages): Median days waiting for assessment: Northmoor 62 days, England 35 " \
           "days (worse)." in drawn["metrics"].alt_text
    assert "Rotherham" not in " ".join(d.alt_text for d in drawn.values())


def _background(pixels: np.ndarray, box) -> str:
    """The commonest colour under a text's box: the colour the text is read against."""
    height = pixels.shape[0]
    x0, x1 = int(box.x0), int(np.ceil(box.x1))
    y0, y1 = height - int(np.ceil(box.y1)), height - int(box.y0)
    patch = pixels[max(y0, 0):y1, max(x0, 0):x1, :3].reshape(-1, 3)
    colours, counts = np.unique(patch, axis=0, return_counts=True)
    return "{:02X}{:02X}{:02X}".format(*colours[counts.argmax()])


@pytest.mark.parametrize("which", ["example", "northmoor"])
def test_every_label_is_readable_at_display_size_inside_the_figure_and_clear_of_the_others(which, request):
    result, _ = request.getfixturevalue(which)
    for drawn in draw_charts(result):
        chart = drawn.render()  # lays the figure out and draws it at DPI, as in the PNG
        fig = drawn.figure
        assert fig.dpi == DPI and fig.get_figwidth() * 2.54 == pytest.approx(chart.width_cm)
        renderer = fig.canvas.get_renderer()
        pixels = np.asarray(fig.canvas.buffer_rgba())
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        boxes = []
        for text in texts:
            what = f"{drawn.key}: {text.get_text()!r}"
            assert text.get_fontsize() >= 8, what
            box = text.get_window_extent(renderer)
            assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, f"clipped left or right, {what}"
            assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, f"clipped top or bottom, {what}"
            colour = to_hex(text.get_color())[1:].upper()
            assert contrast(colour, _background(pixels, box)) >= 4.5, what
            boxes.append((what, box.padded(-1)))
        for i, (what, box) in enumerate(boxes):
            for other, other_box in boxes[i + 1:]:
                assert not box.overlaps(other_box), f"{what} overlaps {other}"


# --- pictures drawn from the chart definitions -----------------------------------------------------

def _unwrap(text: str) -> str:
    return text.replace("/\n", "/").replace("\n", " ")


def value_labels(drawn) -> list[str]:
    """The value labels written on a picture, top to bottom: those in the column right of the plot (the
    band names sit above it), with a wrapped label read as one line."""
    ax = drawn.figure.axes[0]
    texts = [t for t in ax.texts if t.get_position()[0] == 1.02]  # in axes units: right of the plot
    return [t.get_text().replace("\n", " ") for t in sorted(texts, key=lambda t: t.get_position()[1])]


def comparison_label(subject, reference, i: int) -> str:
    """What the dot plot writes for category i: the subject's number, the reference's value, the word."""
    number = subject.labels[i].removesuffix(subject.suffixes[i]) if subject.suffixes[i] else subject.labels[i]
    return f"{number} ({reference.short_name} {reference.labels[i]}){subject.suffixes[i]}"


@pytest.mark.parametrize("which", ["example", "northmoor"])
def test_each_picture_says_what_its_definition_says(which, request):
    result, _ = request.getfixturevalue(which)
    defs = {d.key: d for d in chart_definitions(result)}
    drawn = {d.key: d for d in draw_charts(result)}
    assert list(drawn) == list(defs) == KEYS
    for key, d in defs.items():
        picture = drawn[key]
        assert (picture.title, picture.alt_text, picture.width_cm) == (d.title, d.alt_for("picture"), d.width_cm)
        assert picture.alt_text.startswith("Dot plot" if d.kind == "comparison" else "Bar chart")
        fig = picture.figure
        assert fig.get_figheight() * 2.54 == pytest.approx(d.height_cm)
        ax = fig.axes[0]
        assert [_unwrap(t.get_text()) for t in ax.get_yticklabels()] == list(d.categories)
        assert ax.get_xlim() == (d.value_axis.minimum, d.value_axis.maximum)
        assert list(ax.get_xticks()) == list(d.value_axis.ticks)
        assert ax.get_xlabel().split("\n")[0] == d.value_axis.title
        if d.kind == "bar":
            (series,) = d.series
            assert value_labels(picture) == list(series.labels)
            bars = [bar for container in ax.containers for bar in container]
            drawn_values = [v for v in series.values if v is not None]
            assert [bar.get_width() for bar in bars] == drawn_values
            assert [to_hex(bar.get_facecolor())[1:].upper() for bar in bars] == \
                [c for v, c in zip(series.values, series.colours) if v is not None]
            assert [_unwrap(t.get_text()) for t in ax.texts if t.get_position()[0] != 1.02] == \
                [b.label for b in d.bands]
        else:
            subject, reference = d.series
            assert value_labels(picture) == [comparison_label(subject, reference, i) for i in range(len(d.categories))]
            dots = [line for line in ax.get_lines() if line.get_marker() in ("o", "D")]
            assert [tuple(line.get_xdata()) for line in dots] == [subject.values, reference.values]
            assert [line.get_label() for line in fig.legends[0].get_lines()] == [subject.name, reference.name]
    # The alt text states each number the picture labels.
    for key in ("statements", "themes"):
        for label in defs[key].series[0].labels:
            if label != "Not assessed":
                pct, rating = label.split("% ", 1)
                assert f"{pct}% ({rating})" in defs[key].alt_text


def test_example_labels_as_the_briefing_states_them(example):
    drawn = {d.key: d for d in draw_charts(example[0])}
    assert value_labels(drawn["statements"])[:3] == ["63% Good", "75% Good", "57% Requires improvement"]
    assert "73% (this council)" in value_labels(drawn["benchmarks"])
    assert "64% (computed)" in value_labels(drawn["benchmarks"])
    assert value_labels(drawn["metrics"])[0] == "70.57% (England 65.16%): better"  # the table's precision


def test_a_picture_follows_its_definition_not_the_result(example):
    """Change a definition and the picture changes with it: nothing is read from anywhere else."""
    statements = chart_definitions(example[0])[0]
    series = statements.series[0]
    changed = dataclasses.replace(
        statements, title="Edited title", alt_text="Edited alt text.", categories=("One", "Two"),
        series=(dataclasses.replace(series, values=(10, None), colours=("123456", "FFFFFF"),
                                    labels=("10% Mine", "Not assessed"), suffixes=(" Mine", "")),),
        emphasis=(False, True), height_cm=5.0)
    picture = draw_picture(changed)
    assert (picture.title, picture.alt_text) == ("Edited title", "Edited alt text.")
    ax = picture.figure.axes[0]
    assert value_labels(picture) == ["10% Mine", "Not assessed"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["One", "Two"]
    assert [t.get_fontweight() for t in ax.get_yticklabels()] == ["normal", "bold"]
    (bar,) = [b for c in ax.containers for b in c]
    assert (bar.get_width(), to_hex(bar.get_facecolor())) == (10, "#123456")
    assert picture.figure.get_figheight() * 2.54 == pytest.approx(5.0)
    picture.render()  # and it still lays out and draws


def test_an_axis_without_tick_places_has_one_every_major_unit(example):
    statements = chart_definitions(example[0])[0]
    picture = draw_picture(dataclasses.replace(statements, value_axis=AxisDef("Score", 0, 50, (), 10)))
    assert list(picture.figure.axes[0].get_xticks()) == [0, 10, 20, 30, 40, 50]


def test_a_kind_with_no_picture_is_refused(example):
    statements = chart_definitions(example[0])[0]
    with pytest.raises(ValueError, match="no picture for a chart of kind 'pie'"):
        draw_picture(dataclasses.replace(statements, kind="pie"))
