"""Build the package's national results table from the shared list of published CQC results.

    python data/build_national.py [RESULTS.csv] [OUT.json]
    (default: ../shared/published-results-england.csv → src/cqcdocs/resources/england-results.json)

Each council keeps its source text, and says where its overall percentage comes from, as the list's
`pct_basis` does: `published` (a source states it in words), `computed` (worked out by CQC's method from
its nine published quality statement scores, or from their stated spread; the row's basis then says
"Computed") or `none` (no percentage known). A row whose figures rest on the secondary scrape alone gets
the basis "Secondary", a pilot (indicative) result "Pilot". The table is dated by the latest publication
it holds (to the day, or the month where only the month is known). The output is deterministic (sorted
keys, rows in the list's order).
"""

from __future__ import annotations

import csv
import json
import math
import re
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
BASES = ("published", "computed", "none")


def council(row: dict[str, str]) -> dict:
    scores = {k: int(row[k]) for k in QS_KEYS if row[k]}
    pct = int(row["overall_pct"]) if row["overall_pct"] else None
    pct_basis = row["pct_basis"]
    if pct_basis not in BASES or (pct is None) != (pct_basis == "none"):
        raise SystemExit(f"{row['council']}: pct_basis {pct_basis!r} with overall_pct {row['overall_pct']!r}")
    if pct_basis == "computed" and len(scores) == 9:
        assert pct == math.ceil(100 * sum(scores.values()) / 36), row["council"]  # CQC's method, checked
    basis = ["Computed"] if pct_basis == "computed" else []
    if "[secondary" in row["source"] and pct_basis != "published":
        basis.append("Secondary")  # the figures shown rest on the scrape alone
    if row["overall_rating"] and re.search(r"\bpilot\b", row["source"], re.IGNORECASE) or "PILOT (indicative)" in row["notes"]:
        basis.append("Pilot")
    return {"council": row["council"], "region": row["region"], "sub_region": row["sub_region"],
            "published": row["published"], "rating": row["overall_rating"], "overall_pct": pct,
            "pct_basis": pct_basis, "scores": scores, "basis": basis, "source": row["source"]}


def build(src: Path, out: Path) -> dict:
    with src.open(encoding="utf-8", newline="") as f:
        rows = [council(r) for r in csv.DictReader(f)]
    # The latest publication, to the day where the day is known, else its month.
    latest = max((r["published"] + "-32" if len(r["published"]) == 7 else r["published"], r["published"])
                 for r in rows if r["published"])[1]
    scraped = sum(1 for r in rows if SCRAPE.split("/blob/")[0] in r["source"]
                  and r["region"] != "Yorkshire and the Humber")
    counts = {b: sum(1 for r in rows if r["pct_basis"] == b) for b in BASES}
    table = {
        "title": "CQC local authority assessment results, England",
        "as_at": latest,
        "coverage": (f"{len(rows)} of England's 153 councils: all 15 in Yorkshire and the Humber, {scraped} from a copy "
                     "of CQC's report pages made on 3 October 2025, and "
                     f"{len(rows) - 15 - scraped} from CQC's pages, press releases and committee minutes; "
                     f"{counts['none']} with no overall score known"),
        "sources": [
            f"{SCRAPE} (a third-party scrape of CQC local authority assessment report pages, generated "
            f"{SCRAPE_DATE}; secondary, its spot checks against CQC press releases matched)",
            "Yorkshire and the Humber and the councils added later: CQC's pages and press releases, council news, "
            "committee minutes and local press, as each council's source says",
            "Regions: https://github.com/communitiesuk/oflog-automated-text/blob/"
            "8036fa87bff7902004956b0561765af21af665da/src/routes/data.js",
        ],
        "councils": rows,
    }
    out.write_text(json.dumps(table, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return table


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    table = build(src, out)
    print(f"Wrote {out}: {len(table['councils'])} councils, as at {table['as_at']}")


if __name__ == "__main__":
    main(sys.argv)
