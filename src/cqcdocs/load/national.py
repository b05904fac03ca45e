"""National results tables: CQC results for councils across England, dated, each council with its source and
where its overall percentage comes from (published, or computed from its quality statement scores), read
into the model's `NationalTable`. The package ships one; `cqcdocs national build` makes another from an
officer's own saved reports, in the same format."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..contract import QUALITY_STATEMENTS, RATING_LABELS
from ..errors import UserError
from ..model import Benchmark, MonthDate, NationalTable

MAX_TABLE = 20 * 2**20  # a table of every council in England is well under 1 MB
PCT_BASES = ("published", "computed", "none")


class NationalTableError(UserError):
    """A national results table cannot be used: not one, or a council's row is not as the format says."""


def _published(text: str) -> date | None:
    """"2025-10-24", or "2025-10" (known only to the month)."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    return MonthDate(parts[0], parts[1], 1) if len(parts) == 2 else date(*parts)


def _council(c: Any, at: str, problems: list[str]) -> Benchmark | None:
    """One council's row, or None with its problems added (each at AT: "table.json: council 3 (Leeds)")."""
    if not isinstance(c, dict):
        problems.append(f"{at}: not a council's row")
        return None
    before = len(problems)
    if not isinstance(c.get("council"), str) or not c["council"].strip():
        problems.append(f"{at}: no council")
    for key in ("region", "sub_region", "source"):  # may be blank: a council not in the bundled table has no region
        if not isinstance(c.get(key) or "", str):
            problems.append(f"{at}: {key} must be text")
    pct, basis = c.get("overall_pct"), c.get("pct_basis", "published" if c.get("overall_pct") is not None else "none")
    if pct is not None and (not isinstance(pct, int) or isinstance(pct, bool) or not 0 <= pct <= 100):
        problems.append(f"{at}: overall_pct must be a whole per cent 0–100, got {pct!r}")
    if basis not in PCT_BASES or (pct is None) != (basis == "none"):
        problems.append(f"{at}: pct_basis must be {', '.join(PCT_BASES[:2])} (with overall_pct) or none (without), "
                        f"got {basis!r}")
    scores = c.get("scores") or {}
    keys = {qs.key for qs in QUALITY_STATEMENTS}
    if not isinstance(scores, dict) or any(k not in keys or v not in (1, 2, 3, 4) for k, v in scores.items()):
        problems.append(f"{at}: scores must map quality statement keys ({', '.join(sorted(keys))}) to 1–4")
    rating = c.get("rating") or None
    if rating is not None and rating not in RATING_LABELS:
        problems.append(f"{at}: rating must be one of {', '.join(RATING_LABELS)}, got {rating!r}")
    try:
        published = _published(c.get("published") or "")
    except (TypeError, ValueError, AttributeError):
        problems.append(f"{at}: published must be YYYY-MM-DD or YYYY-MM, got {c.get('published')!r}")
        published = None
    caveats = c.get("basis") or []
    if not isinstance(caveats, list) or any(b not in ("Computed", "Pilot", "Secondary") for b in caveats):
        problems.append(f"{at}: basis must list Computed, Pilot or Secondary, got {caveats!r}")
    if len(problems) > before:
        return None
    caveats = (["Computed"] if basis == "computed" else []) + [b for b in caveats if b != "Computed"]
    return Benchmark(council=c["council"].strip(), region=(c.get("region") or "").strip(),
                     sub_region=c.get("sub_region") or "",
                     overall_pct=pct, rating=rating, published=published, source=str(c.get("source") or ""),
                     qs_scores=dict(scores), basis=tuple(caveats), place="national results table")


def parse_national_table(data: Any, name: str) -> NationalTable:
    """DATA (a national results table's JSON) as a `NationalTable`; every problem at once, one a line, then
    a `NationalTableError` naming NAME."""
    if not isinstance(data, dict) or not isinstance(data.get("councils"), list):
        raise NationalTableError(f"{name}: not a national results table (no list of councils)")
    problems: list[str] = []
    try:
        as_at = _published(str(data.get("as_at") or ""))
    except ValueError:
        as_at = None
    if as_at is None:
        problems.append(f"{name}: as_at must be the table's date, YYYY-MM-DD or YYYY-MM")
    councils = []
    for i, c in enumerate(data["councils"], start=1):
        label = c.get("council") if isinstance(c, dict) and isinstance(c.get("council"), str) else ""
        bench = _council(c, f"{name}: council {i}" + (f" ({label})" if label else ""), problems)
        if bench is not None:
            councils.append(bench)
    if problems:
        raise NationalTableError(*problems, f"{name}: not a usable national results table ({len(problems)} "
                                            f"problem{'s' * (len(problems) != 1)})")
    return NationalTable(str(data.get("title") or "National results table"), as_at, str(data.get("coverage") or ""),
                         tuple(str(s) for s in data.get("sources") or ()), tuple(councils))


def read_national_table(path: Path) -> NationalTable:
    """The national results table at PATH (as `cqcdocs national build` writes it); a `NationalTableError` in
    one line a problem when it cannot be used."""
    from ..files import Unreadable, read_regular

    path = Path(path)
    try:
        raw = read_regular(path, MAX_TABLE, "a national results table")
    except Unreadable as exc:
        raise NationalTableError(f"{path.name}: {exc.reason}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise NationalTableError(f"{path.name}: not a national results table: not JSON{where}; make one with "
                                 "'cqcdocs national build'") from None
    return parse_national_table(data, path.name)


@lru_cache(maxsize=1)
def national_results() -> NationalTable:
    """The package's own national results table."""
    from ..resources import ENGLAND_RESULTS

    return replace(read_national_table(ENGLAND_RESULTS), bundled=True)
