"""CQC's published local authority assessment report (as `Block`s) → what it says, typed.

CQC has laid its reports out in three ways since 2023 (see docs/import-report.md), as one document or as
about eleven pages saved separately, in any order:

- the title "<council>: local authority assessment" (pilot reports: "<council> assessment"), "Assessment
  published: <date>" (else every page's "Published: <date>");
- "About <council>" with the demographics and financial facts;
- the rating under "Local authority rating and score", with "73%" or "<council> scored 73 out of 100
  overall";
- "Quality statement scores": each statement's name (bulleted or not), then "Score: N" or "Score N";
- "Summary of people's experiences" and "Summary of strengths, areas for development and next steps";
- each quality statement's part: its name, its score ("Score: 3", "Score 3", or "Indicative score:" with
  the band line "3 - Evidence shows a good standard"), "What people expect", "The local authority
  commitment", "Key findings for this quality statement" and its paragraphs under sub-headings; in one
  document under "Theme N: …" headings.

`parse_report` reads whatever of that is there. A heading it does not recognise, or a score that is missing
or disagrees with the other place the report gives it, is an error with the report's line, all raised
together as one `ReportError`; a part that is not there (an unsaved page) is a warning saying what to
save. It is pure: no files, no workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..contract import (
    QUALITY_STATEMENTS,
    RATING_LABELS,
    THEMES,
    QualityStatement,
    Theme,
    find_quality_statement,
    find_theme,
    normalise,
)
from ..errors import ReportError
from .figures import Comparison, Figure, comparisons_of, figures_of, waits_of
from .source import Block, drop_furniture


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str
    where: str = ""  # "report.txt:27"


@dataclass(frozen=True)
class StatementScore:
    quality_statement: QualityStatement
    score: int
    line: int
    where: str = ""


@dataclass(frozen=True)
class KeyFinding:
    """A paragraph of a quality statement's "Key findings", under its sub-heading ("" before the first)."""

    quality_statement: QualityStatement
    subheading: str
    text: str
    line: int
    where: str = ""


@dataclass(frozen=True)
class Report:
    name: str  # the file's name (or "3 files"), for messages
    council: str  # "" when no page names it
    published: date | None
    rating: str | None
    overall_pct: int | None
    scores: tuple[StatementScore, ...]
    people: tuple[Paragraph, ...]  # Summary of people's experiences
    summary: tuple[Paragraph, ...]  # Summary of strengths, areas for development and next steps
    findings: tuple[KeyFinding, ...]
    figures: tuple[Figure, ...]  # the About part's
    notes: tuple[str, ...] = ()  # what was read but not placed, each "report.txt:27: …"
    comparisons: tuple[Comparison, ...] = ()  # "X% … better than the England average of Y%"
    waits: tuple[Figure, ...] = ()  # waits and counts stated in key findings
    warnings: tuple[str, ...] = ()  # parts not there, and CQC's own slips, each with its place
    pilot: bool = False  # an "Indicative score" report of the 2023 pilot


_TITLE = re.compile(r"^(?P<council>.{2,150}?)\s*[:\u2013\u2014]\s*local authority assessment$", re.I)
_PILOT_TITLE = re.compile(r"^(?P<council>.{2,150}?)\s+assessment$", re.I)
_PUBLISHED = re.compile(r"^assessment published\s*:?\s*(?P<date>.{0,80})$", re.I)
_PAGE_PUBLISHED = re.compile(r"^published\s*:?\s*(?P<date>\d{1,2}\s+\w+\s+\d{4}|$)", re.I)
_SCORE = re.compile(r"^(?P<indicative>indicative\s+)?score\b\s*:?\s*(?P<score>.{0,60})$", re.I)
_BAND = re.compile(r"^(?P<score>\d{1,2})\s*[-\u2013\u2014:]\s*evidence shows", re.I)
_THEME = re.compile(r"^theme\s+(?P<number>\d+|one|two|three|four)\b\s*[:.\-\u2013]?\s*(?P<name>.*)$", re.I)
_PCT = re.compile(r"^(?P<pct>\d{1,3})\s*%$")
_OUT_OF_100 = re.compile(r"\b(?:scored\s+)?(?P<pct>\d{1,3})\s+out of 100\b", re.I)
_PCT_IN = re.compile(r"(?<![\d.])(?P<pct>\d{1,3})\s?%")
_RATED = re.compile(r"(?:^|\s|:)(inadequate|requires improvement|good|outstanding)$")
_BARE_SCORE = re.compile(r"\d{1,2}")
# "3", "3/4", "3 out of 4", "3 - Evidence shows a good standard", "3 3 - Evidence shows …" (score and band on a line)
_SCORE_VALUE = re.compile(r"^(\d{1,2})(?:\s*/\s*4|\s+out of 4)?(?:\s*[-\u2013\u2014:]?\s*(?:\d\s*[-\u2013\u2014]\s*)?"
                          r"evidence shows.*)?$", re.I)
_TABLE_HEADERS = ("quality statement", "quality statements", "score", "scores")
_THEME_WORDS = {1: re.compile(r"\bworks? with people$|\bworking with people$", re.I),
                2: re.compile(r"\bprovid(?:es|ing) support$", re.I),
                3: re.compile(r"\bensur(?:es|ing) safety(?: within the system)?$", re.I),
                4: re.compile(r"\bleadership$", re.I)}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
_FORMAL_START = date(2023, 12, 1)  # CQC's formal assessments of local authorities began in December 2023

SCORES = "Quality statement scores"
PEOPLE = "Summary of people's experiences"
STRENGTHS = "Summary of strengths, areas for development and next steps"
RATING = "Local authority rating and score"
KEY_FINDINGS = "key findings for this quality statement"
_QS_PARTS = ("what people expect", "the local authority commitment")
SAVE = "save that page, or the PDF download, and import it too"


def plain(text: str) -> str:
    """TEXT without **bold** marks, as a heading is compared."""
    return text.replace("**", "").strip()


def bare(text: str) -> str:
    """TEXT without **bold** or a list marker: a name as it is matched."""
    text = plain(text)
    return text[2:].strip() if text.startswith("- ") else text


def _date(text: str) -> date | None:
    text = re.sub(r"\s+", " ", plain(text)).strip().rstrip(".")
    for form in ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    if (m := re.match(r"(\d{1,2} [A-Za-z]+ \d{4})\b", text)) is not None and m.group(1) != text:
        return _date(m.group(1))
    return None


def is_subheading(block: Block) -> bool:
    """A block that reads as a sub-heading: marked as one, or short with no closing punctuation."""
    if block.heading:
        return True
    text = plain(block.text)
    return (not text.startswith("- ") and len(text.split()) <= 16
            and not text.endswith((".", "!", "?", ":", ";", ",", '"', "'", "\u201d", "\u2019")))


@dataclass(frozen=True)
class _Score:
    value: int | str | None  # None: "Indicative score:" with no band line after it
    at: int  # the block holding the number
    used: int  # blocks read (the score line, and the band line when it gives the number)


class _Reader:
    """One pass over the blocks, collecting what the report says and every problem, with its place."""

    def __init__(self, blocks: list[Block], name: str):
        self.blocks = blocks
        self.name = name
        self.bare = [bare(b.text) for b in blocks]
        self.keys = [normalise(t).rstrip(":").strip() if len(t) < 300 else "" for t in self.bare]
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.pilot = False

    def where(self, i: int) -> str:
        block = self.blocks[i]
        return f"{block.source or self.name}:{block.line}"

    def error(self, i: int | None, message: str) -> None:
        self.errors.append(f"{self.where(i)}: {message}" if i is not None else f"{self.name}: {message}")

    def warn(self, i: int | None, message: str) -> None:
        self.warnings.append(f"{self.where(i)}: {message}" if i is not None else f"{self.name}: {message}")

    def find_all(self, heading: str) -> list[int]:
        want = normalise(heading)
        return [i for i, k in enumerate(self.keys) if k == want]

    def score_at(self, i: int) -> _Score | None:
        """The score given at block I: "Score: 3", "Score 3", "Indicative score:" + "3 - Evidence shows …"
        (the number from the band line); None if block I is not a score line."""
        if i >= len(self.blocks) or (m := _SCORE.match(self.bare[i])) is None:
            return None
        raw = m.group("score").strip()
        if _PCT_IN.match(raw) or "out of 100" in raw.lower():
            return None  # "Score: 71%": the overall score, under the rating
        if m.group("indicative"):
            self.pilot = True
        if not raw or raw == "-":
            after = self.bare[i + 1] if i + 1 < len(self.blocks) else ""
            if (band := _BAND.match(after)) is not None:
                return _Score(int(band.group("score")), i + 1, 2)
            if re.fullmatch(r"\d{1,2}", after):  # "Score" and "3" in cells of their own
                return _Score(int(after), i + 1, 2)
            # "Indicative score:" with no band line is a score CQC left out; a bare "Score" is a table's header
            return _Score(None, i, 1) if m.group("indicative") else None
        if (lead := _SCORE_VALUE.match(raw)) is not None:
            return _Score(int(lead.group(1)), i, 1)
        # "Score: three" is a score CQC wrote oddly (an error at its line); "Score of 3 in the audit…" is prose
        return _Score(raw, i, 1) if len(raw.split()) <= 2 and not raw.endswith(".") else None

    def band_at(self, i: int) -> bool:
        return i < len(self.blocks) and _BAND.match(self.bare[i]) is not None


def _title(r: _Reader) -> tuple[int | None, str]:
    """(the title block, the council it names)."""
    for i, text in enumerate(r.bare[:4000]):
        if len(text) < 200 and (m := _TITLE.match(text)) is not None:
            return i, plain(m.group("council"))
    abouts = {normalise(t[len("About "):]) for t in r.bare if t.lower().startswith("about ") and len(t) < 150}
    for i, text in enumerate(r.bare[:4000]):
        if len(text) < 200 and (m := _PILOT_TITLE.match(text)) is not None:
            council = plain(m.group("council"))
            if normalise(council) in abouts or re.search(r"\bcouncil\b", council, re.I):
                r.pilot = True
                return i, council
    return None, ""


def _theme_heading(r: _Reader, i: int, council: str) -> tuple[Theme | None, bool]:
    """(the theme block I heads, whether it is a theme heading at all) for a "Theme N: …" block."""
    text = r.bare[i]
    m = _THEME.match(text) if len(text) < 200 else None
    if m is None or len(text.split()) > 20:
        return None, False
    raw = m.group("number").lower()
    number = _NUMBER_WORDS.get(raw) or int(raw)
    name = m.group("name")
    for who in filter(None, (council, _short(council))):
        name = re.sub(re.escape(who), "the local authority", name, flags=re.I)
    theme = find_theme(name) if name else None
    if theme is None and 1 <= number <= 4 and _THEME_WORDS[number].search(name):
        theme = THEMES[number - 1]  # "How Camden Council works with people": the council named its own way
    if theme is None or theme.number != number:
        return None, True
    return theme, True


_SUFFIXES = ("metropolitan borough council", "metropolitan district council", "borough council", "city council",
             "county council", "district council", "council")


def short_name(council: str) -> str:
    """"Rotherham Metropolitan Borough Council" → "Rotherham"; "London Borough of Camden" → "Camden"."""
    name = re.sub(r"\s+", " ", council).strip()
    name = re.sub(r"^(the\s+)?(royal\s+|london\s+)?borough of\s+|^city of\s+|^council of the\s+", "", name,
                  flags=re.I)
    for suffix in _SUFFIXES:
        if name.lower().endswith(" " + suffix):
            return name[: -len(suffix) - 1].strip()
    return name


def _short(council: str) -> str:
    """"Rotherham Metropolitan Borough Council" → "Rotherham" (as the report says it in running text)."""
    return short_name(council) if council else ""


def parse_report(blocks: list[Block], name: str) -> Report:
    """What the report in BLOCKS (from the file, or files, called NAME) says; a `ReportError` listing every
    problem."""
    # What reading the files met (a stray byte, control characters, a file left out) is a warning.
    warnings = list(getattr(blocks, "notes", ()))
    blocks = _name_and_score_apart(drop_furniture(_report_files_only(blocks, warnings)))
    r = _Reader(blocks, name)
    r.warnings.extend(warnings)
    title, council = _title(r)
    scores_at = r.find_all(SCORES)
    heads = _statement_heads(r, set(_score_block_span(r, scores_at)))
    if title is None and not scores_at and not heads:
        raise ReportError(f"{name}: is not a CQC local authority assessment report (it has no title "
                          "'<council>: local authority assessment', no 'Quality statement scores' and no quality "
                          "statement with its score)")
    if not council:
        council = _council_from_about(r)
    _one_council(r, council)
    if r.errors:  # two councils' pages: every other message would follow from that
        raise ReportError(*r.errors, f"{name}: cannot be imported; nothing written")
    themes = [i for i in range(len(blocks)) if _theme_heading(r, i, council)[1]]
    landmarks = _landmarks(r, scores_at, themes, heads)

    # The block after each block's part: the next landmark, or where the next saved file begins.
    after = [len(blocks)] * len(blocks)
    nearest = len(blocks)
    for i in range(len(blocks) - 1, -1, -1):
        after[i] = nearest
        if i in landmarks or (i and blocks[i].source != blocks[i - 1].source):
            nearest = i

    def until(start: int) -> int:
        return after[start]

    published = _published(r)
    rating, overall = _rating(r, until, council)
    scores = _scores_blocks(r, scores_at)
    people = _paragraphs(r, r.find_all(PEOPLE), until)
    strengths = [i for i, k in enumerate(r.keys) if k.startswith("summary of strengths")]
    summary = _paragraphs(r, strengths, until)
    findings, detail, parts = _parts(r, heads, themes, council, until)
    _agree(r, scores, detail)
    about = _about(r, council)
    figures: tuple[Figure, ...] = ()
    if about is not None:
        found, figure_notes, figure_warnings = figures_of(blocks[about + 1:until(about)], name)
        figures = found
        r.notes.extend(figure_notes)
        r.warnings.extend(figure_warnings)
    if r.errors:
        many = len(r.errors) != 1
        raise ReportError(*r.errors, f"{name}: cannot be imported ({len(r.errors)} error{'s' * many}); "
                                     "nothing written")
    all_scores = _merged(scores, detail)
    _missing(r, council, title, published, rating, scores_at, people, strengths, about, all_scores, parts)
    if published is not None and published < _FORMAL_START and not r.pilot:
        at = next(i for i, t in enumerate(r.bare) if _PUBLISHED.match(t) or _PAGE_PUBLISHED.match(t))
        r.warn(at, f"published {published.day} {published:%B %Y}, before December 2023 when CQC's formal "
                   "assessments began, and the report gives no indicative scores: check the date")
    comparisons, comparison_notes = comparisons_of(findings, name)
    r.notes.extend(comparison_notes)
    return Report(name=name, council=council, published=published, rating=rating, overall_pct=overall,
                  scores=tuple(all_scores), people=tuple(people), summary=tuple(summary), findings=tuple(findings),
                  figures=figures, notes=tuple(r.notes), comparisons=tuple(comparisons),
                  waits=tuple(waits_of(findings)), warnings=tuple(r.warnings), pilot=r.pilot)


def _one_council(r: _Reader, council: str) -> None:
    """Pages of one council's report only: a title naming another council is an error at its line."""
    for i, text in enumerate(r.bare):
        if len(text) < 200 and (m := _TITLE.match(text)) is not None and council and \
                normalise(plain(m.group("council"))) != normalise(council):
            r.error(i, f"this page is {plain(m.group('council'))}'s report, not {council}'s: import each council's "
                       "report on its own")


_NAME_THEN_SCORE = re.compile(r"^(?P<name>.{3,100}?)[\s:,\u2013-]+(?P<score>(?:indicative\s+)?score\b.{0,60})$", re.I)


def _name_and_score_apart(blocks: list[Block]) -> list[Block]:
    """BLOCKS with "Assessing needs Score: 3" (a list item with its score inline) as two blocks, the name and
    the score, as the report's other layouts give them."""
    out = []
    for block in blocks:
        text = plain(block.text)
        if len(text) < 170 and "score" in text.lower() and (m := _NAME_THEN_SCORE.match(text)) is not None \
                and find_quality_statement(bare(m.group("name"))) is not None:
            out += [Block(block.line, m.group("name"), block.heading, block.source),
                    Block(block.line, m.group("score"), None, block.source)]
        else:
            out.append(block)
    return out


def _report_files_only(blocks: list[Block], warnings: list[str]) -> list[Block]:
    """BLOCKS less those of any file, of several, with nothing of CQC's report in it (no title, no "Quality
    statement scores", no statement with its score), with a warning naming each such file."""
    sources = list(dict.fromkeys(b.source for b in blocks))
    if len(sources) < 2:
        return blocks
    r = _Reader(blocks, "")
    heads = _statement_heads(r, set(_score_block_span(r, r.find_all(SCORES))))
    used = {blocks[i].source for i, known in heads.items() if known} | {blocks[i].source for i in r.find_all(SCORES)}
    used |= {b.source for b, text in zip(blocks, r.bare) if len(text) < 200 and (
        _TITLE.match(text) or (_PILOT_TITLE.match(text) and re.search(r"\bcouncil\b", text, re.I)))}
    for source in sources:
        if source not in used:
            warnings.append(f"{source}: nothing of CQC's report in it (no title, scores or page of a quality statement); "
                         "left out")
    return [b for b in blocks if b.source in used] if used else blocks


def _council_from_about(r: _Reader) -> str:
    for text in r.bare:
        if text.lower().startswith("about ") and len(text.split()) > 1 and len(text) < 150:
            rest = text[len("About "):].strip()
            if rest.lower() not in ("the council", "this report", "the local authority", "us", "cqc"):
                return rest
    return ""


def _landmarks(r: _Reader, scores_at: list[int], themes: list[int], heads: dict[int, bool]) -> set[int]:
    """Blocks that end the part before them: the report's main headings and each quality statement's."""
    marks = set(scores_at) | set(themes) | set(heads)
    for i, k in enumerate(r.keys):
        if (k in (normalise(PEOPLE), normalise(RATING), "overall summary") or k.startswith("summary of strengths")
                or (k.startswith("about ") and len(k) < 150 and r.blocks[i].text[:1] != "-")
                or _TITLE.match(r.bare[i][:200]) or k.startswith("assessment published")
                or k in ("how we assess local authorities", "downloads")
                or k.startswith(("this theme includes", "we may not always review"))):
            marks.add(i)
    return marks


def _published(r: _Reader) -> date | None:
    """"Assessment published: <date>", else the first page's "Published: <date>"."""
    fallback = None
    for i, text in enumerate(r.bare):
        if len(text) > 200:
            continue
        if (m := _PUBLISHED.match(text)) is not None:
            said = m.group("date").strip() or _next(r, i)  # the date may be in a cell of its own
            when = _date(said)
            if when is None:
                r.error(i, f"'Assessment published' is not a date: {said!r}")
            return when
        if fallback is None and (m := _PAGE_PUBLISHED.match(text)) is not None:
            fallback = _date(m.group("date").strip() or _next(r, i))
    return fallback


def _next(r: _Reader, i: int) -> str:
    return r.bare[i + 1] if i + 1 < len(r.bare) and len(r.bare[i + 1]) < 80 else ""


def _rating(r: _Reader, until, council: str) -> tuple[str | None, int | None]:
    """The overall rating (and percentage, where the report gives one) under "Local authority rating and score";
    the percentage also from "<council> scored 73 out of 100 overall" wherever the report says it."""
    labels = {normalise(label): label for label in RATING_LABELS}
    rating, pct = None, None
    for at in r.find_all(RATING):
        for i in range(at + 1, min(until(at), at + 8)):
            key = normalise(r.bare[i]).rstrip(".")
            # "Good", or "Overall rating: Good", "<council> Good" in one line
            said = _RATED.search(key) if len(key) < 150 else None
            prefix = key[:said.start()].strip(" :-") if said else ""
            if rating is None and said is not None and (
                    not prefix or "rating" in prefix or (council and prefix == normalise(council))):
                rating = labels[said.group(1)]
            if pct is None and (m := _PCT.match(r.bare[i]) or _OUT_OF_100.search(r.bare[i])
                                or (_PCT_IN.search(r.bare[i]) if len(r.bare[i]) < 60 else None)) is not None:
                pct = int(m.group("pct"))
    if rating is None:  # "Overall rating: Good" where the page has no "Local authority rating and score"
        for text in r.bare:
            if len(text) < 60 and (m := re.match(r"^(?:overall |local authority )?rating\s*:?\s*(.+)$", text, re.I)):
                rating = labels.get(normalise(m.group(1)).rstrip("."))
                if rating:
                    break
    if pct is None:
        for text in r.bare:
            if "out of 100" in text and (m := _OUT_OF_100.search(text)) is not None:
                pct = int(m.group("pct"))
                break
    if pct is not None and not 0 <= pct <= 100:
        pct = None
    return rating, pct


def _score_block_span(r: _Reader, starts: list[int]):
    """The blocks of each "Quality statement scores" list: names, score lines and band lines, and a line that
    a score follows (a statement CQC names differently, reported as unrecognised)."""
    for at in starts:
        yield at
        i = at + 1
        while i < len(r.blocks):
            if (r.score_at(i) is not None or r.band_at(i) or r.keys[i] in _TABLE_HEADERS
                    or (_BARE_SCORE.fullmatch(r.bare[i]) and find_quality_statement(r.bare[i - 1]) is not None)):
                yield i
                i += 1
                continue
            if find_quality_statement(r.bare[i]) is not None or (
                    len(r.bare[i]) < 120 and r.score_at(i + 1) is not None):
                yield i
                i += 1
                continue
            break


def _scores_blocks(r: _Reader, starts: list[int]) -> list[StatementScore]:
    """The "name, Score: N" pairs under each "Quality statement scores"."""
    scores: list[StatementScore] = []
    seen: dict[str, StatementScore] = {}
    span = set(_score_block_span(r, starts))
    at_heading = set(starts)
    for at in starts:
        pending: tuple[QualityStatement | None, int] | None = None
        i = at + 1
        while i in span and i not in at_heading:
            score = r.score_at(i)
            if score is None and pending is not None and _BARE_SCORE.fullmatch(r.bare[i]):
                score = _Score(int(r.bare[i]), i, 1)  # a table: the name in one cell, the score in the next
            if score is None and r.keys[i] in _TABLE_HEADERS:
                i += 1
                continue
            if score is None:
                if r.band_at(i):
                    i += 1
                    continue
                if pending is not None:
                    r.error(pending[1], f"no score for {r.bare[pending[1]]!r} (expected 'Score: 1' to 'Score: 4' "
                                        "on the next line)")
                qs = find_quality_statement(r.bare[i])
                if qs is None:
                    r.error(i, f"unrecognised quality statement {r.bare[i]!r} under {SCORES!r}")
                pending = (qs, i)
                i += 1
                continue
            i = max(i + 1, score.at + 1)
            if pending is None:
                r.error(score.at, f"a score with no quality statement before it under {SCORES!r}")
                continue
            qs, heading = pending
            pending = None
            value = _checked(r, score, r.bare[heading])
            if qs is None or value is None:
                continue
            if qs.key in seen:
                if seen[qs.key].score != value:
                    r.error(heading, f"{qs.name!r} is scored twice under {SCORES!r}, {value} here and "
                                     f"{seen[qs.key].score} at {seen[qs.key].where}")
                continue
            seen[qs.key] = StatementScore(qs, value, r.blocks[score.at].line, r.where(score.at))
            scores.append(seen[qs.key])
        if pending is not None:
            r.error(pending[1], f"no score for {r.bare[pending[1]]!r} (expected 'Score: 1' to 'Score: 4' on the "
                                "next line)")
    return scores


def _checked(r: _Reader, score: _Score, name: str) -> int | None:
    """SCORE's value when it is a score CQC gives (1–4); otherwise an error (not a number) or a warning (a
    number outside 1–4), and None."""
    if score.value is None:
        r.error(score.at, f"no score for {name!r}: 'Indicative score:' with no band line ('3 - Evidence shows a "
                          "good standard') after it")
        return None
    if isinstance(score.value, str):
        r.error(score.at, f"score must be a whole number 1\u20134, got {score.value!r}")
        return None
    if not 1 <= score.value <= 4:
        r.warn(score.at, f"score {score.value} for {name!r} is outside 1\u20134, so it is not imported: check "
                         "CQC's page and type the score in by hand")
        return None
    return score.value


def _paragraphs(r: _Reader, starts: list[int], until) -> list[Paragraph]:
    """The paragraphs under each of the headings STARTS (a summary saved twice is read once)."""
    out: list[Paragraph] = []
    seen: set[str] = set()
    for at in starts:
        for i in range(at + 1, until(at)):
            b = r.blocks[i]
            text = plain(b.text) if b.heading else b.text.strip()
            if normalise(text) not in seen:
                seen.add(normalise(text))
                out.append(Paragraph(b.line, text, r.where(i)))
    return out


def _statement_heads(r: _Reader, in_scores: set[int]) -> dict[int, bool]:
    """Blocks that head a quality statement's part (→ whether the name is one of CQC's): a name that a score
    line, a band line, "What people expect", "The local authority commitment" or "Key findings" follows."""
    heads: dict[int, bool] = {}
    for i in range(len(r.blocks) - 1):
        if i in in_scores or len(r.bare[i]) > 120 or r.score_at(i) is not None:
            continue
        known = find_quality_statement(r.bare[i]) is not None
        follows = r.keys[i + 1]
        if r.score_at(i + 1) is not None and (r.blocks[i].text[:2] != "- " or known):
            heads[i] = known
        elif known and (r.band_at(i + 1) or follows in _QS_PARTS or follows == KEY_FINDINGS):
            heads[i] = True
    return heads


def _parts(r: _Reader, heads: dict[int, bool], themes: list[int], council: str, until
           ) -> tuple[list[KeyFinding], list[StatementScore], set[str]]:
    """Each quality statement's key findings, its score as given in its own part, and the statements that
    have a part."""
    findings: list[KeyFinding] = []
    scores: list[StatementScore] = []
    parts: set[str] = set()
    said: set[tuple[str, str]] = set()  # a page saved twice (as a page and in the PDF) gives its findings once
    theme_at = {i: _theme_heading(r, i, council)[0] for i in themes}
    for i in themes:
        if theme_at[i] is None:
            number = _THEME.match(r.bare[i]).group("number")
            expected = next((f"Theme {t.number}: {t.name}" for t in THEMES if str(t.number) == number
                             or _NUMBER_WORDS.get(number.lower()) == t.number), None)
            r.error(i, f"unrecognised theme heading {r.bare[i]!r}" + (f" (expected {expected!r})" if expected else ""))
    for i, key in enumerate(r.keys):
        if key.startswith("this theme includes"):
            j = i + 1
            while j < len(r.blocks) and r.blocks[j].text.startswith("- "):
                if find_quality_statement(r.bare[j]) is None:
                    r.error(j, f"unrecognised quality statement {r.bare[j]!r} in the theme's list")
                j += 1
    resets = [j for j, k in enumerate(r.keys) if k in (normalise(SCORES), normalise(PEOPLE), "overall summary")]
    for i, known in heads.items():
        name = r.bare[i]
        qs = find_quality_statement(name)
        if not known or qs is None:
            r.error(i, f"unrecognised quality statement heading {name!r}")
        theme = _theme_before(r, i, themes, theme_at, resets)
        if qs is not None and theme is not None and theme.number != qs.theme:
            r.error(i, f"{qs.name!r} belongs to theme {qs.theme} ({THEMES[qs.theme - 1].name}) but comes under "
                       f"theme {theme.number} ({theme.name}): is the heading 'Theme {qs.theme}: …' missing or "
                       "renamed?")
        end = until(i)
        score = r.score_at(i + 1)
        if score is None:
            r.error(i, f"no score for {name!r} (expected 'Score: 1' to 'Score: 4' after the heading)")
        elif (value := _checked(r, score, name)) is not None and qs is not None:
            scores.append(StatementScore(qs, value, r.blocks[score.at].line, r.where(score.at)))
        if qs is None:
            continue
        parts.add(qs.key)
        in_key, subheading, keyed = False, "", False
        for j in range(i + 1, end):
            key = r.keys[j]
            if r.score_at(j) is not None or r.band_at(j) or key in _QS_PARTS:
                in_key = False
            elif key == KEY_FINDINGS:
                in_key, subheading, keyed = True, "", True
            elif in_key:
                block = r.blocks[j]
                if is_subheading(block):
                    subheading = plain(block.text)
                elif (qs.key, normalise(block.text)) not in said:
                    said.add((qs.key, normalise(block.text)))
                    findings.append(KeyFinding(qs, subheading, block.text.strip(), block.line, r.where(j)))
        if not keyed:
            r.warn(i, f"{qs.name!r} has no 'Key findings for this quality statement' on its page, so no key "
                      f"findings are read for it: {SAVE}")
    return findings, scores, parts


def _theme_before(r: _Reader, i: int, themes: list[int], theme_at: dict[int, Theme | None],
                  resets: list[int]) -> Theme | None:
    """The theme heading the statement at I comes under in the same file, if it does (None when not, or when
    that heading was not recognised)."""
    from bisect import bisect_left

    k = bisect_left(themes, i)
    if k == 0:
        return None
    t = themes[k - 1]
    reset = bisect_left(resets, i)
    if r.blocks[t].source != r.blocks[i].source or (reset and resets[reset - 1] > t):
        return None
    return theme_at[t]


def _agree(r: _Reader, summary: list[StatementScore], detail: list[StatementScore]) -> None:
    """Each statement's score in its own part must be the one under "Quality statement scores"."""
    given = {s.quality_statement.key: s for s in summary}
    for s in detail:
        other = given.get(s.quality_statement.key)
        if other is None:
            if summary:
                r.errors.append(f"{s.where}: {s.quality_statement.name!r} is scored here but not under {SCORES!r}")
        elif other.score != s.score:
            r.errors.append(f"{s.where}: score {s.score} for {s.quality_statement.name!r} differs from 'Score: "
                            f"{other.score}' under {SCORES!r} ({_line_of(other, s)})")


def _line_of(other: StatementScore, here: StatementScore) -> str:
    file, _, line = other.where.rpartition(":")
    return f"line {line}" if file == here.where.rpartition(":")[0] else other.where


def _merged(summary: list[StatementScore], detail: list[StatementScore]) -> list[StatementScore]:
    """Every statement's score once: from "Quality statement scores", else from its own page."""
    out = {s.quality_statement.key: s for s in summary}
    for s in detail:
        out.setdefault(s.quality_statement.key, s)
    return sorted(out.values(), key=lambda s: QUALITY_STATEMENTS.index(s.quality_statement))


def _about(r: _Reader, council: str) -> int | None:
    want = normalise(f"About {council}") if council else None
    fallback = None
    for i, k in enumerate(r.keys):
        if want and k == want:
            return i
        if fallback is None and k.startswith("about ") and len(k) < 150 and r.blocks[i].text[:1] != "-":
            fallback = i
    return fallback


def _missing(r: _Reader, council, title, published, rating, scores_at, people, strengths, about, scores,
             parts) -> None:
    """A warning for each part of the report that is not there, saying what to save."""
    if not council:
        r.warn(None, "no council name (the title '<council>: local authority assessment'): Council is left as it "
                     "was; save the report's About page, or the PDF download, and import it too")
    if published is None:
        r.warn(None, "no 'Assessment published: <date>' or 'Published: <date>': Assessment published is left as "
                     "it was")
    if not scores_at and len(scores) < len(QUALITY_STATEMENTS):
        r.warn(None, f"no {SCORES!r}: the scores are read from each statement's page; save the Overall summary "
                     "page, or the PDF download, and import it too")
    if rating is None:
        r.warn(None, f"no rating under {RATING!r}: Published overall rating is left as it was; save the Overall "
                     "summary page, or the PDF download, and import it too")
    if not people and not r.find_all(PEOPLE):
        r.warn(None, f"no {PEOPLE!r}: save the Overall summary page, or the PDF download, and import it too")
    if not strengths:
        r.warn(None, f"no {STRENGTHS!r}: save the Overall summary page, or the PDF download, and import it too")
    if about is None:
        r.warn(None, "no 'About <council>' part, so no population or financial facts: save the About page, or the "
                     "PDF download, and import it too")
    scored = {s.quality_statement.key for s in scores}
    for qs in QUALITY_STATEMENTS:
        if qs.key not in parts:
            scored_only = f" (its score is read from {SCORES!r}; its key findings are on its page)"
            r.warn(None, f"no page for {qs.name}: {SAVE}" + (scored_only if qs.key in scored else ""))
