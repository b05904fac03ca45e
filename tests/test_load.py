"""Each accepted form of a cell, and the exact error for each rejected one (docs/workbook.md)."""

from datetime import date, datetime

import pytest

from cqcdocs.contract import find_quality_statement, find_theme, normalise
from cqcdocs.load import (Problems, SourceCell, parse_date, parse_number, parse_pct, parse_score, parse_text,
                          parse_whole_pct, parse_yes_no)
from cqcdocs.model import MonthDate, format_date, format_short_date
from cqcdocs.resources import EXAMPLE_WORKBOOK
from workbook_factory import build


def parse(parser, value, number_format="General", *args):
    problems = Problems()
    result = parser(SourceCell(value, "Sheet!C7", number_format), problems, *args)
    return result, [str(m) for m in problems.messages]


@pytest.mark.parametrize("value", [3, 3.0, "3", " 3 "])
def test_score_accepted_forms(value):
    assert parse(parse_score, value) == (3, [])


@pytest.mark.parametrize("value, shown", [("three", "'three'"), (5, "'5'"), (0, "'0'"), (2.5, "'2.5'"),
                                          (True, "'TRUE'"), (datetime(2026, 1, 1), "the date 01/01/2026"),
                                          (datetime(2026, 4, 1, 9, 30), "the date 01/04/2026 09:30")])
def test_score_rejected_with_the_cell(value, shown):
    assert parse(parse_score, value) == (None, [f"Sheet!C7: score must be a whole number 1–4, got {shown}"])


@pytest.mark.parametrize("value, number_format, expected", [
    (0.7057, "0.00%", 70.57), (0.7057, "General", 70.57), (70.57, "General", 70.57), ("70.57%", "General", 70.57),
    ("70.57", "@", 70.57), (95, "General", 95), (0.95, "0%", 95), (1, "0%", 100), (0, "General", 0)])
def test_percentage_accepted_forms(value, number_format, expected):
    assert parse(parse_pct, value, number_format, "% positive") == (pytest.approx(expected), [])


@pytest.mark.parametrize("value, message", [
    ("lots", "Sheet!C7: % positive must be a number, got 'lots'"),
    ("150%", "Sheet!C7: % positive must be between 0% and 100%, got '150%'"),
    (-5, "Sheet!C7: % positive must be between 0% and 100%, got '-5'")])
def test_percentage_rejected(value, message):
    assert parse(parse_pct, value, "General", "% positive") == (None, [message])


def test_whole_percentages_for_published_figures():
    assert parse(parse_whole_pct, 0.73, "0%", "published %") == (73, [])
    assert parse(parse_whole_pct, "72.5%", "General", "published %") == (
        None, ["Sheet!C7: published % must be a whole per cent (CQC rounds up), got '72.5%'"])


def test_numbers_from_percent_formatted_cells_are_per_cent():
    assert parse(parse_number, 0.6516, "0.00%") == (pytest.approx(65.16), [])
    assert parse(parse_number, "1,234.5") == (1234.5, [])


@pytest.mark.parametrize("value, expected", [
    (datetime(2026, 5, 14, 9, 30), date(2026, 5, 14)), (date(2026, 5, 14), date(2026, 5, 14)),
    ("14/05/2026", date(2026, 5, 14)), ("1/4/26", date(2026, 4, 1)), ("2026-05-14", date(2026, 5, 14)),
    ("14 May 2026", date(2026, 5, 14)), ("14th May 2026", date(2026, 5, 14)), ("4 Sept 2026", date(2026, 9, 4))])
def test_date_accepted_forms(value, expected):
    result, messages = parse(parse_date, value)
    assert (result, messages) == (expected, []) and not isinstance(result, MonthDate)


def test_month_only_dates_keep_their_precision():
    result, messages = parse(parse_date, "May 2026")
    assert isinstance(result, MonthDate) and result == date(2026, 5, 1) and messages == []
    assert format_date(result) == "May 2026" and format_short_date(result) == "May 2026"


@pytest.mark.parametrize("value, message", [
    ("31/02/2026", "Sheet!C7: '31/02/2026' is not a real date"),
    ("soon", "Sheet!C7: date must be a date such as 14/05/2026, 14 May 2026 or May 2026, got 'soon'"),
    (45000, "Sheet!C7: date must be a date such as 14/05/2026, 14 May 2026 or May 2026, got '45000'")])
def test_date_rejected(value, message):
    assert parse(parse_date, value) == (None, [message])


def test_date_formats():
    assert format_date(date(2025, 7, 14), date(2025, 7, 17)) == "14\u201317 July 2025"
    assert format_date(date(2025, 7, 30), date(2025, 8, 2)) == "30 July 2025 \u2013 2 August 2025"
    assert format_short_date(date(2026, 4, 1)) == "01/04/2026"


@pytest.mark.parametrize("value, expected", [("Y", True), ("yes", True), ("N", False), ("No", False),
                                             (True, True)])
def test_yes_no(value, expected):
    assert parse(parse_yes_no, value) == (expected, [])


def test_yes_no_rejected():
    assert parse(parse_yes_no, "maybe", "General", "higher is better") == (
        None, ["Sheet!C7: higher is better must be Y or N, got 'maybe'"])


def test_text_is_cleaned_of_characters_word_cannot_hold():
    assert parse(parse_text, "Bell\x07 and \ud800surrogate") == (
        "Bell and surrogate", ["Sheet!C7: removed 2 control or invalid character(s) that Word cannot hold"])
    assert parse(parse_text, 12.0) == ("12", [])
    assert parse(parse_text, "  Urdu: اردو, Łódź  ") == ("Urdu: اردو, Łódź", [])


def test_headers_and_names_match_ignoring_case_spacing_and_apostrophes():
    assert normalise("  People’s   EXPERIENCE ") == normalise("Peoples experience") == "peoples experience"
    assert find_quality_statement("Supporting People to live healthier lives").key == "healthier_lives"
    assert find_quality_statement("Safe systems, pathways and Transitions").key == "safe_pathways"
    assert find_theme("Theme Three – Ensuring Safety").number == 3
    assert find_theme("How the local authority ensures safety within the system").number == 3
    assert find_theme("Leadership").number == 4 and find_theme("Ensuring quality") is None


# --- the XML reader gives what openpyxl gives ----------------------------------------------------------

def _as_openpyxl_reads(path):
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path, data_only=True)


def _view(wb):
    """Everything the loader looks at, sheet by sheet."""
    view = {"sheetnames": list(wb.sheetnames)}
    for name in wb.sheetnames:
        ws = wb[name]
        if "chartsheet" in ws.mime_type:
            view[name] = "chart"
            continue
        view[name] = {
            "state": ws.sheet_state, "max": (ws.max_row, ws.max_column),
            "cells": {k: (c.value, c.data_type, c.number_format) for k, c in ws._cells.items()
                      if c.value is not None},
            "merged": sorted((r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges),
            "hidden rows": sorted(r for r, d in ws.row_dimensions.items() if d.hidden),
            "hidden columns": sorted((d.min, d.max) for d in ws.column_dimensions.values() if d.hidden and d.min)}
    return view


def _tricky(path):
    from datetime import date, datetime, time

    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    wb = build(findings=30, actions=8, updates=20)
    ws = wb["Findings"]
    ws.merge_cells("B2:B5")
    ws.row_dimensions[7].hidden = True
    ws.column_dimensions["F"].hidden = True
    wb["Survey"].sheet_state = "hidden"
    extra = wb.create_sheet("Odd cells")
    extra.append([1, 2.5, 1e20, -3, 0.7057, True, False, "=1+1", "#N/A", "text  with  spaces", "ünïcødé ✓"])
    extra.append([date(2026, 3, 20), datetime(2026, 3, 20, 14, 30), time(9, 15), date(1900, 1, 1), "_x0007_"])
    extra["A2"].number_format = "dd/mm/yyyy"
    extra["B2"].number_format = "[$-en-GB]d mmmm yyyy h:mm"
    extra["A3"] = 45000.5
    extra["A3"].number_format = "[h]:mm:ss"
    extra["B3"] = 12.5
    extra["B3"].number_format = '£#,##0.00;[Red]-£#,##0.00'
    extra["C3"] = 0.63
    extra["C3"].number_format = "0%"
    extra["D3"].font = Font(bold=True)  # a styled empty cell
    extra["Z40"] = "far away"
    extra.merge_cells("E5:G6")
    extra["E5"] = "merged"
    chart = wb.create_chartsheet("A chart")
    bar = BarChart()
    bar.add_data(Reference(extra, min_col=1, max_col=3, min_row=1))
    chart.add_chart(bar)
    wb.save(path)
    return path


@pytest.mark.parametrize("which", ["example", "tricky"])
def test_the_xml_reader_sees_what_openpyxl_sees(tmp_path, which):
    import io
    import zipfile

    from cqcdocs.load.xlsx import read_workbook

    path = EXAMPLE_WORKBOOK if which == "example" else _tricky(tmp_path / "tricky.xlsx")
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        fast = read_workbook(z, "xl/workbook.xml")  # raises Unusual if it would fall back to openpyxl
    assert _view(fast) == _view(_as_openpyxl_reads(path))
