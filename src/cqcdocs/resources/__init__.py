"""Files shipped inside the package, found with importlib.resources so a wheel install works anywhere.

- `reference.docx`: the Word template whose styles the briefing uses (built by templates/build_reference.py).
- `england-results.json`: the dated national results table (built by data/build_national.py), for national
  ranking and `cqcdocs init --region`.
- `rotherham-2026.xlsx`: the bundled example workbook (built from data/rotherham-2026/*.csv by
  data/build_example.py); `CQCDOCS_EXAMPLE` points the commands' default elsewhere.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

# A wheel installs as plain files, so the package's folder is a real path.
_HERE = Path(str(files(__name__)))
REFERENCE_DOCX = _HERE / "reference.docx"
EXAMPLE_WORKBOOK = Path(os.environ.get("CQCDOCS_EXAMPLE", _HERE / "rotherham-2026.xlsx"))
# The dated national results table (built from the shared published results by data/build_national.py).
ENGLAND_RESULTS = _HERE / "england-results.json"
