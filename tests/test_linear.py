"""Each derived model is computed once per run, and the places that grew faster than their input do not.

`benchmarks/run.py` measures every growth axis as whole processes; these tests pin the mechanisms in-process,
so a regression fails the suite, not only the benchmark.
"""

from __future__ import annotations

import time
from dataclasses import replace

import cqcdocs.journey
from cqcdocs.documents import make_documents
from cqcdocs.resources import EXAMPLE_WORKBOOK
from cqcdocs.scoring import score_workbook


def test_a_brief_computes_the_journey_once(tmp_path, monkeypatch):
    calls = []
    real = cqcdocs.journey.compute_journey

    def counted(workbook):
        calls.append(workbook)
        return real(workbook)

    monkeypatch.setattr(cqcdocs.journey, "compute_journey", counted)
    made = make_documents(EXAMPLE_WORKBOOK, tmp_path)
    assert [p.suffix for p in made.written] == [".docx", ".xlsx"]
    assert len(calls) == 1  # the briefing's section and the annex's Journey sheet share it


def _with_councils(workbook, n: int):
    """The example with N benchmark councils in its region: its own, then the others copied under new names."""
    own = [b for b in workbook.benchmarks if b.council == workbook.assessment.council]
    others = [b for b in workbook.benchmarks if b not in own and b.region == workbook.assessment.region]
    scored = [b for b in others if b.overall_pct is not None] or others
    copies = [replace(b, council=f"{b.council} {k}", overall_pct=(b.overall_pct or 60) + k % 7)
              for k in range(n) for b in scored[:1]]
    return replace(workbook, benchmarks=tuple(own + copies))


def _cpu(fn, repeat: int = 3) -> float:
    """The least CPU time of REPEAT calls (the least is the one the machine disturbed least)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def test_benchmark_councils_cost_in_proportion():
    # Four times the councils: linear work takes about 4 times as long, quadratic work (ranking each council
    # by counting those above it; moving the chart's series out of a detached c:chart) 16 times.
    from cqcdocs.load import load_workbook
    from cqcdocs.render.chart_defs import chart_definitions
    from cqcdocs.render.word.charts import chart_xml

    workbook, _ = load_workbook(EXAMPLE_WORKBOOK)

    def run(n: int):
        wb = _with_councils(workbook, n)
        return lambda: [chart_xml(c, "rId1") for c in chart_definitions(score_workbook(wb)) if c.key == "benchmarks"]

    small, large = run(500), run(2000)
    large()  # warm
    assert _cpu(large) < 8 * _cpu(small)
