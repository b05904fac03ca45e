"""Build the package's national results table from the shared list of published CQC results.

    python data/build_national.py [RESULTS.csv] [OUT.json]
    (default: ../shared/published-results-england.csv → src/cqcdocs/resources/england-results.json)

Each council keeps its source text. A percentage the list marks as computed (worked out from the nine
quality statement scores, not published) is left out, so cqcdocs computes it and labels it so; a row whose
figures come from the secondary scrape gets the basis "Secondary", a pilot rating "Pilot". The table is
dated: national coverage is the scrape's date, and Yorkshire and the Humber was checked up to the latest
publication it holds. The output is deterministic (sorted keys, rows in the list's order).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent.parent / "shared" / "published-results-england.csv"
DEFAULT_OUT = HERE.parent / "src" / "cqcdocs" / "resources" / "england-results.json"
QS_KEYS = ("assessing_needs", "healthier_lives", "equity", "care_provision", "partnerships", "safe_pathways",
           "safeguarding", "governance", "learning")
SCRAPE = ("https://github.com/alxtrnr/bongo-twisty/blob/756ee07fc08f71429044be1d9f9fae04bad5ebfe/static/reports/"
          "cqc_league_tables.html")
SCRAPE_DATE = "2025-10-03"


def council(row: dict[str, str]) -> dict:
    source = row["source"]
    scores = {k: int(row[k]) for k in QS_KEYS if row[k]}
    pct = int(row["overall_pct"]) if row["overall_pct"] else None
    computed = pct is not None and ("overall_pct computed" in source or "not found published; computed" in source)
    if computed:
        assert len(scores) == 9 and pct == math.ceil(100 * sum(scores.values()) / 36), row["council"]
        pct = None  # cqcdocs computes it from the nine scores, and says so
    basis = []
    if "[secondary" in source and (computed or pct is None):
        basis.append("Secondary")  # the figures shown rest on the scrape alone
    if "pilot" in source.lower():
        basis.append("Pilot")
    return {"council": row["council"], "region": row["region"], "sub_region": row["sub_region"],
            "published": row["published"], "rating": row["overall_rating"], "overall_pct": pct,
            "scores": scores, "basis": basis, "source": source}


def build(src: Path, out: Path) -> None:
    with src.open(encoding="utf-8", newline="") as f:
        rows = [council(r) for r in csv.DictReader(f)]
    latest = max(r["published"] for r in rows if r["published"])
    scraped = sum(1 for r in rows if SCRAPE.split("/blob/")[0] in r["source"] and r["region"] != "Yorkshire and the Humber")
    table = {
        "title": "Published CQC local authority assessment results, England",
        "as_at": latest,
        "coverage": (f"{len(rows)} councils: all 15 in Yorkshire and the Humber, and {scraped} elsewhere from a copy "
                     "of CQC's report pages made on 3 October 2025, so results published outside the region since "
                     "then are not included"),
        "sources": [
            f"{SCRAPE} (a third-party scrape of CQC local authority assessment report pages, generated "
            f"{SCRAPE_DATE}; secondary, its spot checks against CQC press releases matched)",
            "Yorkshire and the Humber: CQC report pages and press releases, council news pages and local press, "
            "as each council's source says",
            "Regions: https://github.com/communitiesuk/oflog-automated-text/blob/"
            "8036fa87bff7902004956b0561765af21af665da/src/routes/data.js",
        ],
        "councils": rows,
    }
    out.write_text(json.dumps(table, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    build(src, out)
    print(f"Wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
