"""The national results table shipped with the package: published CQC results for councils across England,
dated and with each council's source, read into the model's `NationalTable`."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..contract import QUALITY_STATEMENTS
from ..model import Benchmark, MonthDate, NationalTable


def _published(text: str) -> date | None:
    """"2025-10-24", or "2025-10" (known only to the month)."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    return MonthDate(parts[0], parts[1], 1) if len(parts) == 2 else date(*parts)


def read_national_table(path: Path) -> NationalTable:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    keys = {qs.key for qs in QUALITY_STATEMENTS}
    councils = tuple(Benchmark(
        council=c["council"], region=c["region"], sub_region=c["sub_region"], overall_pct=c["overall_pct"],
        rating=c["rating"] or None, published=_published(c["published"]), source=c["source"],
        qs_scores={k: v for k, v in c["scores"].items() if k in keys}, basis=tuple(c["basis"]),
        place="national results table") for c in data["councils"])
    return NationalTable(data["title"], date.fromisoformat(data["as_at"]), data["coverage"], tuple(data["sources"]),
                         councils)


@lru_cache(maxsize=1)
def national_results() -> NationalTable:
    """The package's own national results table."""
    from ..resources import ENGLAND_RESULTS

    return read_national_table(ENGLAND_RESULTS)
