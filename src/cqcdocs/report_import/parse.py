"""CQC's published local authority assessment report (as `Block`s) → what it says, typed.

CQC's report pages follow one layout: a title "<council>: local authority assessment", "Assessment
published: <date>", "About <council>" (demographics and financial facts), the rating under "Local
authority rating and score", "Quality statement scores" (each statement's name, then "Score: N"),
"Summary of people's experiences", "Summary of strengths, areas for development and next steps", then
four "Theme N: …" parts, each quality statement there with its score, "What people expect", "The local
authority commitment" and "Key findings for this quality statement" under sub-headings.

`parse_report` reads that layout and nothing else: a heading it does not recognise, or a score that is
missing or disagrees with the other place the report gives it, is an error with the report's line number,
and all of them are raised together as one `ReportError`. It is pure: no files, no workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..contract import RATING_LABELS, THEMES, QualityStatement, Theme, find_quality_statement, find_theme, normalise
from ..errors import ReportError
from .figures import Figure, figures_of
from .source import Block


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str


@dataclass(frozen=True)
class StatementScore:
    quality_statement: QualityStatement
    score: int
    line: int


@dataclass(frozen=True)
class KeyFinding:
    """A paragraph of a quality statement's "Key findings", under its sub-heading ("" before the first)."""

    quality_statement: QualityStatement
    subheading: str
    text: str
    line: int


@dataclass(frozen=True)
class Report:
    name: str  # the file's name, for messages
    council: str
    published: date
    rating: str | None
    overall_pct: int | None
    scores: tuple[StatementScore, ...]
    people: tuple[Paragraph, ...]  # Summary of people's experiences
    summary: tuple[Paragraph, ...]  # Summary of strengths, areas for development and next steps
    findings: tuple[KeyFinding, ...]
    figures: tuple[Figure, ...]
    notes: tuple[str, ...] = ()  # what was read but not placed, each "report.txt:27: …"


_TITLE = re.compile(r"^(?P<council>.+?)\s*:\s*local authority assessment$", re.I)
_PUBLISHED = re.compile(r"^assessment published\s*:?\s*(?P<date>.+)$", re.I)
_SCORE = re.compile(r"^score\s*:\s*(?P<score>.*)$", re.I)
_EVIDENCE = re.compile(r"^(?P<score>[1-4])\s*-\s*evidence shows", re.I)
_THEME = re.compile(r"^theme\s+(?P<number>\d+|one|two|three|four)\b\s*[:.\-]?\s*(?P<name>.*)$", re.I)
_PCT = re.compile(r"^(?P<pct>\d{1,3})\s*%$")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}

SCORES = "Quality statement scores"
PEOPLE = "Summary of people's experiences"
STRENGTHS = "Summary of strengths, areas for development and next steps"
KEY_FINDINGS = "key findings for this quality statement"
_QS_PARTS = ("what people expect", "the local authority commitment")


def plain(text: str) -> str:
    """TEXT without **bold** marks, as a heading is compared."""
    return text.replace("**", "").strip()


def _key(block: Block) -> str:
    return normalise(plain(block.text))


def _date(text: str) -> date | None:
    text = re.sub(r"\s+", " ", plain(text)).strip().rstrip(".")
    for form in ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    return None


def is_subheading(block: Block) -> bool:
    """A block that reads as a sub-heading: marked as one, or short with no closing punctuation."""
    if block.heading:
        return True
    text = plain(block.text)
    return (not text.startswith("- ") and len(text.split()) <= 16
            and not text.endswith((".", "!", "?", ":", ";", ",", '"', "'", "\u201d", "\u2019")))


class _Reader:
    """One pass over the blocks, collecting what the report says and every problem, with its line."""

    def __init__(self, blocks: list[Block], name: str):
        self.blocks = blocks
        self.name = name
        self.keys = [_key(b) for b in blocks]
        self.errors: list[str] = []
        self.notes: list[str] = []

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(f"{self.name}:{line}: {message}" if line else f"{self.name}: {message}")

    def note(self, line: int, message: str) -> None:
        self.notes.append(f"{self.name}:{line}: {message}")

    def find(self, heading: str, start: int = 0, prefix: bool = False) -> int | None:
        want = normalise(heading)
        for i in range(start, len(self.blocks)):
            if self.keys[i] == want or (prefix and self.keys[i].startswith(want)):
                return i
        return None

    def score_at(self, i: int) -> int | str | None:
        """The score on block I ("Score: 3" → 3; a score that is not 1–4 → its text); None if not a score line."""
        if i >= len(self.blocks) or (m := _SCORE.match(plain(self.blocks[i].text))) is None:
            return None
        raw = m.group("score").strip()
        return int(raw) if raw in ("1", "2", "3", "4") else raw


def _theme_heading(reader: _Reader, i: int, council: str) -> tuple[Theme | None, bool]:
    """(the theme block I heads, whether it is a theme heading at all) for a "Theme N: …" block."""
    text = plain(reader.blocks[i].text)
    m = _THEME.match(text)
    if m is None or len(text.split()) > 20:
        return None, False
    raw = m.group("number").lower()
    number = _NUMBER_WORDS.get(raw) or int(raw)
    name = m.group("name")
    for who in filter(None, (council, _short(council))):
        name = re.sub(re.escape(who), "the local authority", name, flags=re.I)
    theme = find_theme(name) if name else None
    if theme is None or theme.number != number:
        return None, True
    return theme, True


def _short(council: str) -> str:
    """"Rotherham Metropolitan Borough Council" → "Rotherham" (as the report says it in running text)."""
    from .fill import short_name

    return short_name(council)


def parse_report(blocks: list[Block], name: str) -> Report:
    """What the report in BLOCKS (from the file called NAME) says; a `ReportError` listing every problem."""
    r = _Reader(blocks, name)
    title = next((i for i, k in enumerate(r.keys) if _TITLE.match(plain(blocks[i].text))), None)
    scores_at = r.find(SCORES)
    if title is None and scores_at is None:
        raise ReportError(f"{name}: is not a CQC local authority assessment report (it has no title "
                          "'<council>: local authority assessment' and no 'Quality statement scores')")
    council = _council(r, title)
    published = _published(r)
    people_at, strengths_at = r.find(PEOPLE), r.find("Summary of strengths", prefix=True)
    themes = [i for i in range(len(blocks)) if _THEME.match(plain(blocks[i].text))
              and _theme_heading(r, i, council)[1]]
    for heading, at in ((SCORES, scores_at), (PEOPLE, people_at), (STRENGTHS, strengths_at)):
        if at is None:
            r.error(None, f"no {heading!r} heading: is this the whole report?")
    if not themes:
        r.error(None, "no 'Theme 1: …' heading: is this the whole report?")
    landmarks = sorted(i for i in (scores_at, people_at, strengths_at, themes[0] if themes else None)
                       if i is not None)

    def until(start: int) -> int:
        return next((i for i in landmarks if i > start), len(blocks))

    rating, overall = _rating(r, until)
    scores = _scores_block(r, scores_at, until(scores_at)) if scores_at is not None else []
    people = _paragraphs(r, people_at, until)
    summary = _paragraphs(r, strengths_at, until)
    findings, detail_scores = _themes(r, themes, council) if themes else ([], [])
    _agree(r, scores, detail_scores)
    about = r.find(f"About {council}") if council else None
    about = about if about is not None else r.find("About", prefix=True)
    figures: tuple[Figure, ...] = ()
    if about is not None:
        end = min([i for i in (r.find("Overall summary", about), r.find("Local authority rating and score", about),
                               scores_at) if i is not None and i > about] or [len(blocks)])
        figures, figure_notes = figures_of(blocks[about + 1:end], name)
        r.notes.extend(figure_notes)
    if r.errors:
        many = len(r.errors) != 1
        raise ReportError(*r.errors, f"{name}: cannot be imported ({len(r.errors)} error{'s' * many}); "
                                     "nothing written")
    assert published is not None
    return Report(name=name, council=council, published=published, rating=rating, overall_pct=overall,
                  scores=tuple(scores), people=tuple(people), summary=tuple(summary), findings=tuple(findings),
                  figures=figures, notes=tuple(r.notes))


def _council(r: _Reader, title: int | None) -> str:
    if title is not None:
        return plain(_TITLE.match(plain(r.blocks[title].text)).group("council"))
    about = r.find("About", prefix=True)
    if about is not None and len(r.keys[about].split()) > 1:
        return plain(r.blocks[about].text)[len("About"):].strip()
    r.error(None, "no council name: expected the title '<council>: local authority assessment'")
    return ""


def _published(r: _Reader) -> date | None:
    for block in r.blocks:
        if (m := _PUBLISHED.match(plain(block.text))) is not None:
            when = _date(m.group("date"))
            if when is None:
                r.error(block.line, f"'Assessment published' is not a date: {m.group('date')!r}")
            return when
    r.error(None, "no 'Assessment published: <date>' line")
    return None


def _rating(r: _Reader, until) -> tuple[str | None, int | None]:
    """The overall rating (and percentage, where the report gives one) under "Local authority rating and score"."""
    at = r.find("Local authority rating and score")
    if at is None:
        return None, None
    labels = {normalise(label): label for label in RATING_LABELS}
    rating, pct = None, None
    for i in range(at + 1, min(until(at), at + 8)):
        text = plain(r.blocks[i].text)
        if rating is None and normalise(text) in labels:
            rating = labels[normalise(text)]
        elif pct is None and (m := _PCT.match(text)) is not None:
            pct = int(m.group("pct"))
    if rating is None:
        r.note(r.blocks[at].line, "no rating under 'Local authority rating and score'; Published overall rating "
                                  "is left as it was")
    return rating, pct


def _scores_block(r: _Reader, at: int, end: int) -> list[StatementScore]:
    """The nine "name, Score: N" pairs under "Quality statement scores"."""
    scores: list[StatementScore] = []
    seen: dict[str, int] = {}
    pending: tuple[QualityStatement | None, Block] | None = None
    for i in range(at + 1, end):
        block = r.blocks[i]
        score = r.score_at(i)
        if score is None:
            if pending is not None:
                r.error(pending[1].line, f"no score for {plain(pending[1].text)!r} (expected 'Score: 1' to "
                                         "'Score: 4' on the next line)")
            qs = find_quality_statement(plain(block.text))
            if qs is None:
                r.error(block.line, f"unrecognised quality statement {plain(block.text)!r} under {SCORES!r}")
            elif qs.key in seen:
                r.error(block.line, f"{qs.name!r} is scored twice under {SCORES!r} (also line {seen[qs.key]})")
                qs = None
            pending = (qs, block)
            continue
        if pending is None:
            r.error(block.line, f"a score with no quality statement before it under {SCORES!r}")
            continue
        qs, heading = pending
        pending = None
        if isinstance(score, str):
            r.error(block.line, f"score must be a whole number 1\u20134, got {score!r}")
        elif qs is not None:
            seen[qs.key] = heading.line
            scores.append(StatementScore(qs, score, block.line))
    if pending is not None:
        r.error(pending[1].line, f"no score for {plain(pending[1].text)!r} (expected 'Score: 1' to 'Score: 4' "
                                 "on the next line)")
    if not scores and not r.errors:
        r.error(r.blocks[at].line, f"no quality statement is scored under {SCORES!r}")
    return scores


def _paragraphs(r: _Reader, at: int | None, until) -> list[Paragraph]:
    if at is None:
        return []
    return [Paragraph(b.line, plain(b.text) if b.heading else b.text.strip()) for b in r.blocks[at + 1:until(at)]]


def _statement_heading(r: _Reader, i: int) -> bool:
    """Whether block I heads a quality statement's part: a "Score:" line, its band or "What people expect"
    follows it (the score line may be the one missing)."""
    if r.blocks[i].text.startswith("- ") or r.score_at(i) is not None:
        return False
    follows = r.keys[i + 1] if i + 1 < len(r.keys) else ""
    if r.score_at(i + 1) is not None:
        return True
    if find_quality_statement(plain(r.blocks[i].text)) is None:
        return False
    return bool(_EVIDENCE.match(follows)) or follows in _QS_PARTS


def _themes(r: _Reader, themes: list[int], council: str) -> tuple[list[KeyFinding], list[StatementScore]]:
    """Each quality statement's key findings and its score as given in its own part of the report."""
    findings: list[KeyFinding] = []
    scores: list[StatementScore] = []
    theme: Theme | None = None
    unrecognised = False  # the current theme heading was not recognised (reported once, not at each statement)
    qs: QualityStatement | None = None
    in_key, subheading = False, ""
    i = themes[0]
    while i < len(r.blocks):
        block, key = r.blocks[i], r.keys[i]
        if i in themes:
            theme, _ = _theme_heading(r, i, council)
            unrecognised = theme is None
            if theme is None:
                number = _THEME.match(plain(block.text)).group("number")
                expected = next((f"Theme {t.number}: {t.name}" for t in THEMES if str(t.number) == number
                                 or _NUMBER_WORDS.get(number.lower()) == t.number), None)
                r.error(block.line, f"unrecognised theme heading {plain(block.text)!r}"
                                    + (f" (expected {expected!r})" if expected else ""))
            qs, in_key = None, False
        elif key.startswith("this theme includes"):
            i += 1
            while i < len(r.blocks) and r.blocks[i].text.startswith("- "):
                listed = plain(r.blocks[i].text[2:])
                if find_quality_statement(listed) is None:
                    r.error(r.blocks[i].line, f"unrecognised quality statement {listed!r} in the theme's list")
                i += 1
            continue
        elif key.startswith("we may not always review"):
            pass
        elif _statement_heading(r, i):
            qs = find_quality_statement(plain(block.text))
            in_key, subheading = False, ""
            if qs is None:
                r.error(block.line, f"unrecognised quality statement heading {plain(block.text)!r}")
            elif theme is not None and theme.number != qs.theme and not unrecognised:
                r.error(block.line, f"{qs.name!r} belongs to theme {qs.theme} ({THEMES[qs.theme - 1].name}) but "
                                    f"comes under theme {theme.number} ({theme.name}): is the heading "
                                    f"'Theme {qs.theme}: …' missing or renamed?")
            score = r.score_at(i + 1)
            if score is None:
                r.error(block.line, f"no score for {plain(block.text)!r} (expected 'Score: 1' to 'Score: 4' after "
                                    "the heading)")
            else:
                i += 1
                if isinstance(score, str):
                    r.error(r.blocks[i].line, f"score must be a whole number 1\u20134, got {score!r}")
                elif qs is not None:
                    scores.append(StatementScore(qs, score, r.blocks[i].line))
        elif _EVIDENCE.match(key) or key in _QS_PARTS or r.score_at(i) is not None:
            in_key = False
        elif key == KEY_FINDINGS:
            in_key, subheading = True, ""
        elif in_key and qs is not None:
            if is_subheading(block):
                subheading = plain(block.text)
            else:
                findings.append(KeyFinding(qs, subheading, block.text.strip(), block.line))
        i += 1
    return findings, scores


def _agree(r: _Reader, summary: list[StatementScore], detail: list[StatementScore]) -> None:
    """Each statement's score under its theme must be the one under "Quality statement scores"."""
    given = {s.quality_statement.key: s for s in summary}
    for s in detail:
        other = given.get(s.quality_statement.key)
        if other is None:
            if summary:
                r.error(s.line, f"{s.quality_statement.name!r} is scored here but not under {SCORES!r}")
        elif other.score != s.score:
            r.error(s.line, f"score {s.score} for {s.quality_statement.name!r} differs from 'Score: {other.score}' "
                            f"under {SCORES!r} (line {other.line})")
    detailed = {s.quality_statement.key for s in detail}
    for s in summary:
        if s.quality_statement.key not in detailed:
            r.note(s.line, f"{s.quality_statement.name!r} has no part of its own in the report, so no key findings")
