"""The briefing charts: real PNGs at print resolution, alt text with the numbers, nothing for absent data."""

import dataclasses
import struct

from cqcdocs.charts import briefing_charts
from cqcdocs.jobs import load_and_score
from cqcdocs.paths import EXAMPLE_WORKBOOK


def png_info(data: bytes) -> tuple[int, int, float]:
    """Width, height and dots per inch from the IHDR and pHYs chunks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    at = data.index(b"pHYs")
    per_metre, _, unit = struct.unpack(">IIB", data[at + 4:at + 13])
    assert unit == 1
    return width, height, per_metre * 0.0254


def test_five_charts_for_the_example_with_numbers_in_alt_text():
    result, _ = load_and_score(EXAMPLE_WORKBOOK)
    charts = briefing_charts(result)
    assert [c.key for c in charts] == ["statements", "evidence_grid", "themes", "benchmarks", "metrics"]
    for chart in charts:
        width, height, dpi = png_info(chart.png)
        assert dpi >= 150 and width >= 1000
        assert len(chart.alt_text) > 80 and chart.title
    statements = charts[0].alt_text
    for name, pct in [("Assessing needs", 63), ("Equity in experience and outcomes", 57), ("Safeguarding", 69)]:
        assert f"{name} {pct}%" in statements
    assert "Overall 73%, Good." in statements
    assert "Assessing needs: People's experience 2, Feedback from staff and leaders 3" in charts[1].alt_text
    assert "derived" in charts[2].alt_text
    assert "Rotherham Metropolitan Borough Council 73% (this council)" in charts[3].alt_text
    assert "City of York Council" in charts[3].alt_text  # named as having no published score
    assert "People satisfied with care and support: Rotherham 70.57%, England 65.16% (better)" in charts[4].alt_text


def test_same_result_gives_the_same_bytes():
    result, _ = load_and_score(EXAMPLE_WORKBOOK)
    assert [c.png for c in briefing_charts(result)] == [c.png for c in briefing_charts(result)]


def test_absent_data_gives_no_chart_and_not_assessed_is_said(northmoor_workbook):
    result, _ = load_and_score(northmoor_workbook)
    bare = dataclasses.replace(result, benchmarks=(), metrics=())
    assert [c.key for c in briefing_charts(bare)] == ["statements", "evidence_grid", "themes"]
    charts = briefing_charts(result)
    assert "Partnerships and communities not assessed" in charts[0].alt_text
    assert "Rotherham" not in " ".join(c.alt_text for c in charts)
    assert "Not charted (not percentages): Median days waiting for assessment" in charts[-1].alt_text
