"""Where the bundled example workbook and reference Word template live (the repository checkout)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_WORKBOOK = Path(os.environ.get("CQCDOCS_EXAMPLE", ROOT / "data" / "rotherham-2026.xlsx"))
TEMPLATES = ROOT / "templates"
REFERENCE_DOCX = TEMPLATES / "reference.docx"
