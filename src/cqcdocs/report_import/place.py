"""Which quality statement a summary paragraph is about, when the report does not say.

The Findings sheet needs a theme for every finding, but CQC's two summaries ("Summary of people's
experiences", "Summary of strengths, areas for development and next steps") are paragraphs with no theme
of their own. Each is placed with the quality statement of the key findings paragraphs it shares most
words with: words weighted by how few paragraphs use them (tf-idf), likeness as the cosine, and the
five most alike paragraphs voting for their statements. On the Rotherham report this places all eight
strengths paragraphs where the council's officers put them by hand. The
import says which rows were placed this way so the officer checks them; a paragraph that shares no telling
word with any statement is not placed.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..contract import QualityStatement
from .parse import KeyFinding

VOTERS = 5

_STOP = frozenset("""about above after again also although among and any are around because been before being
between both but can could did does during each either even every few for from further had has have having
her here hers him his how however into its itself just many may more most much must not now off once only
other our out over own people person same she should some such than that the their them then there these
they this those through too under until upon very was were what when where which while who whom why will
with within without would you your local authority council""".split())


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower().replace("**", "")) if len(w) > 3 and w not in _STOP]


def likeliest_statements(paragraphs: list[str], findings: list[KeyFinding]) -> list[QualityStatement | None]:
    """For each of PARAGRAPHS, the quality statement of the key FINDINGS it most resembles: the five most
    alike findings vote, each with its likeness."""
    documents = [Counter(_words(f"{f.subheading} {f.text}")) for f in findings]
    if not documents:
        return [None] * len(paragraphs)
    weight = {w: math.log(len(documents) / n) for w, n in Counter(w for d in documents for w in d).items()}
    vectors = [_vector(d, weight) for d in documents]
    placed: list[QualityStatement | None] = []
    for text in paragraphs:
        mine = _vector(Counter(_words(text)), weight)
        nearest = sorted(((_cosine(mine, v), i) for i, v in enumerate(vectors)), reverse=True)[:VOTERS]
        votes: Counter = Counter()
        for likeness, i in nearest:
            votes[findings[i].quality_statement] += likeness
        best, total = max(votes.items(), key=lambda kv: (kv[1], -kv[0].theme, kv[0].key)) if votes else (None, 0)
        placed.append(best if total > 0 else None)
    return placed


def _vector(counts: Counter, weight: dict[str, float]) -> dict[str, float]:
    return {w: (1 + math.log(n)) * weight.get(w, 0.0) for w, n in counts.items() if weight.get(w, 0.0) > 0}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))
