"""Build a source workbook from one CSV per sheet, so the example's data is reviewable as text.

    python data/build_example.py [SRC_DIR] [OUT.xlsx]     (default: data/rotherham-2026 → the package's example)

CSV conventions: ISO dates (2026-04-01) become real Excel dates; other date text ("May 2026") stays text;
"63%" becomes the fraction 0.63 formatted as a percentage, as an officer's workbook holds it; whole
numbers and decimals become numbers. The output is deterministic (fixed document dates).
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SHEETS = ("Assessment", "Scores", "Findings", "Governance", "Key dates", "Next steps", "Survey", "Benchmarks",
          "Metrics", "Actions", "Updates", "Recommendations", "Key figures", "Section text", "Reviews", "Commitments")
WIDE = {"Finding", "Action", "Area for development", "Update", "Value", "Source", "Indicator", "Recommendation",
        "Quality statement", "Question", "Step", "Milestone", "Council", "Meeting",
        "Commentary", "Evidence", "Measure", "Paragraph", "Thread", "Review", "Lead", "Corrective action",
        "Decision required", "Commitment", "Response"}
HERE = Path(__file__).resolve().parent


def cell_value(text: str):
    """The typed value and number format for one CSV cell."""
    if text == "":
        return None, None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text), "dd/mm/yyyy"
    if m := re.fullmatch(r"(-?\d+(?:\.(\d+))?)%", text):
        decimals = len(m[2] or "")
        return round(float(m[1]) / 100, decimals + 2), "0%" if not decimals else "0." + "0" * decimals + "%"
    if re.fullmatch(r"-?\d+", text):
        return int(text), None
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text), None
    return text, None


def build(src: Path, out: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name in SHEETS:
        path = src / (name.lower().replace(" ", "-") + ".csv")
        if not path.exists():
            continue
        ws = wb.create_sheet(name)
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row, start=1):
                value, fmt = (text, None) if r == 1 else cell_value(text)
                cell = ws.cell(r, c, value)
                if fmt:
                    cell.number_format = fmt
                if r == 1:
                    cell.font = Font(bold=True)
                elif rows[0][c - 1] in WIDE:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for c, header in enumerate(rows[0], start=1):
            ws.column_dimensions[ws.cell(1, c).column_letter].width = 50 if header in WIDE else max(12, len(header) + 2)
        ws.freeze_panes = "A2"
    fixed = datetime(2026, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "cqcdocs data/build_example.py"
    wb.save(out)


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else HERE / "rotherham-2026"
    out = Path(argv[2]) if len(argv) > 2 else HERE.parent / "src" / "cqcdocs" / "resources" / "rotherham-2026.xlsx"
    build(src, out)
    print(f"Wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
