"""Models derived from a workbook, computed once per run however many documents ask for them.

The briefing and the annex both show the improvement journey; each asks here, and the second gets the
first's. Only the latest workbook's model is kept (a batch worker moves on to the next), and only while
that workbook is alive: a new workbook at a reused address never gets an old one's journey.
"""

from __future__ import annotations

import weakref

from . import journey
from .model import Workbook

_last: tuple[weakref.ref, journey.Journey] | None = None


def journey_of(workbook: Workbook) -> journey.Journey:
    """`journey.compute_journey(WORKBOOK)`, computed once for the workbook being rendered."""
    global _last
    if _last is not None and _last[0]() is workbook:
        return _last[1]
    computed = journey.compute_journey(workbook)
    _last = (weakref.ref(workbook), computed)
    return computed
