"""The figures a CQC report states in sentences: the "About" part's financial and population facts, the
England-average comparisons and the waits in the key findings.

The financial facts are sentences CQC writes much the same way for every council ("The local authority
estimated that in 2023/24, its total budget would be £423,042,000. Its actual spend for that year was
…"), with slips (no full stop before "Its", "£382,390,0000"); the demographics are the council's own prose,
where a few phrasings recur (a population of N, an Index of Multiple Deprivation decile or score, the share
of people in an age group). Each pattern below names the figures its sentence gives. Every £ or % figure
in the About part that no pattern reads is listed, never guessed at; a malformed number, or a stated
difference that is not actual minus estimate, is a warning at its line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .source import Block

if TYPE_CHECKING:
    from ..contract import QualityStatement

FINANCIAL = "financial facts"
ABOUT = "about the council"
KEY_FINDINGS = "key findings"


@dataclass(frozen=True)
class Figure:
    measure: str
    value: int | float
    unit: str  # "£", "%", "people", "days" or ""
    as_at: str  # a period as the report gives it ("2023/24"), or ""
    part: str  # FINANCIAL, ABOUT or KEY_FINDINGS: CQC did not assess the financial facts
    line: int
    quality_statement: QualityStatement | None = None  # the statement whose key findings state it
    words: str = ""  # CQC's sentence, for a figure read from the key findings


@dataclass(frozen=True)
class Comparison:
    """"X% … better than the England average of Y%", as CQC words it."""

    measure: str  # CQC's words for what was measured ("People were satisfied with care and support")
    source: str  # the survey or data collection the sentence names ("ASCS"), or ""
    value: float
    england: float
    words: str  # CQC's comparison: "better", "much better", "similar", "significantly worse"…
    sentence: str  # CQC's sentence (and the one before, for "This was better than …"), verbatim
    quality_statement: QualityStatement | None
    line: int


_AMOUNT = r"\u00a3\s?(?P<{}>\d(?:[\d,]{{0,30}}\d)?(?:\.\d+)?)"  # a template: {} is the group's name
_YEAR = r"(?P<year>\d{4}\s?/\s?\d{2,4})"
_ABOUT_WORD = r"(?P<approx>approximately|around|about|roughly|nearly|an estimated)?\s*"
_COUNT = r"\b(?P<a>\d{1,3}(?:,\d{3}){1,6}|\d{1,12})"

# (pattern, [(group, measure, unit)], part); "{more}" in a measure becomes "above" or "below" as the report
# says, "{ages}" the ages, "{not}" the precept's qualifier.
_PATTERNS: tuple[tuple[re.Pattern, tuple[tuple[str, str, str], ...], str], ...] = (
    (re.compile(r"estimated that in " + _YEAR + r",? its total budget would be " + _AMOUNT.format("a")
                + r"\.?\s*Its actual spend (?:for that year )?was " + _AMOUNT.format("b")
                + r"(?:,?\s*which (?:was|is) " + _AMOUNT.format("c") + r" (?P<more>more|less) than estimated)?",
                re.I),
     (("a", "Total budget (estimate)", "\u00a3"), ("b", "Total spend", "\u00a3"),
      ("c", "Total spend {more} the estimate", "\u00a3")), FINANCIAL),
    (re.compile(r"estimated that it would spend " + _AMOUNT.format("a") + r" of its total budget on adult social "
                r"care in " + _YEAR + r"\.?\s*Its actual spend (?:for that year )?was " + _AMOUNT.format("b")
                + r"(?:,?\s*which (?:is|was) " + _AMOUNT.format("c") + r" (?P<more>more|less) than estimated)?",
                re.I),
     (("a", "Adult social care budget (estimate)", "\u00a3"), ("b", "Adult social care spend", "\u00a3"),
      ("c", "Adult social care spend {more} the estimate", "\u00a3")), FINANCIAL),
    (re.compile(r"In " + _YEAR + r",? \b(?P<a>\d+(?:\.\d+)?)\s?% of (?:the|its) (?:total )?budget was spent on adult "
                r"social care", re.I),
     (("a", "Share of the budget spent on adult social care", "%"),), FINANCIAL),
    (re.compile(r"has (?P<not>not )?raised the full adult social care precept for " + _YEAR
                + r"(?: and \d{4}/\d{2,4})?,? with a value of (?P<a>\d+(?:\.\d+)?)\s?%", re.I),
     (("a", "Adult social care precept{not}", "%"),), FINANCIAL),
    (re.compile(_ABOUT_WORD + _COUNT + r" people were accessing long-term adult social care support", re.I),
     (("a", "People accessing long-term adult social care support", "people"),), FINANCIAL),
    (re.compile(_ABOUT_WORD + _COUNT + r" people were accessing short-term adult social care support", re.I),
     (("a", "People accessing short-term adult social care support", "people"),), FINANCIAL),
    (re.compile(r"\bpopulation (?:of (?:the (?:city|borough|county|area|district) |"
                r"(?-i:[A-Z][\w'\u2019-]*(?: [A-Z][\w'\u2019-]*)"
                r"{0,3}) )?)?(?:is |was |of )?(?:currently |estimated at |estimated to be )?"
                r"(?:of )?" + _ABOUT_WORD + r"(?P<a>\d{1,3}(?:,\d{3}){1,6}|\d{4,12})(?![\d,]{0,30}\s?%)", re.I),
     (("a", "Population", "people"),), ABOUT),
    (re.compile(r"(?:Index of Multiple Deprivation|IMD)(?: \(IMD\))? (?:score )?decile (?:of |is |was )?(?P<a>\d+)",
                re.I),
     (("a", "Index of Multiple Deprivation decile{direction}", ""),), ABOUT),
    (re.compile(r"(?:Index of Multiple Deprivation|IMD)(?: \(IMD\))? (?:for [\w ]{1,40}? )?(?:is|was) (?P<a>\d+)\b"
                r"(?!\s?%)", re.I),
     (("a", "Index of Multiple Deprivation{direction}", ""),), ABOUT),
    (re.compile(r"(?:Index of Multiple Deprivation|IMD) score of (?P<a>\d+(?:\.\d+)?)", re.I),
     (("a", "Index of Multiple Deprivation score{direction}", ""),), ABOUT),
    (re.compile(_ABOUT_WORD + r"\b(?P<a>\d+(?:\.\d+)?)\s?% (?:of [\w'\u2019 ]+? population )?(?:is |are )?aged "
                r"(?P<ages>\d+\s*[\u2013-]\s*\d+|\d+ and over|\d+\+)", re.I),
     (("a", "Population aged {ages}", "%"),), ABOUT),
    (re.compile(_ABOUT_WORD + r"\b(?P<a>\d+(?:\.\d+)?)\s?% (?:of (?:people|the population|residents) )?(?:are |were )?"
                r"(?:over the age of|aged over) (?P<ages>\d+)", re.I),
     (("a", "Population over the age of {ages}", "%"),), ABOUT),
    (re.compile(_ABOUT_WORD + r"\b(?P<a>\d+(?:\.\d+)?)\s?% are of working age \((?P<ages>\d+\s*[\u2013-]\s*\d+)\)",
                re.I),
     (("a", "Population of working age ({ages})", "%"),), ABOUT),
)

_YEAR_ANYWHERE = re.compile(r"\bin " + _YEAR, re.I)
_MONEY_OR_PCT = re.compile(r"\u00a3\s?\d[\d,]{0,30}(?:\.\d+)?|(?<![\d,.])\d[\d,]{0,30}(?:\.\d+)?\s?%")
_WELL_FORMED = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?")


def _number(text: str) -> int | float:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def _direction(text: str) -> str:
    """Which end of the deprivation scale is most deprived, as the sentence says it."""
    if re.search(r"\b1 (?:being|is|=)? ?(?:the )?most deprived", text, re.I):
        return " (1 most deprived, 10 least)"
    if re.search(r"\b10 (?:being|is|=)? ?(?:the )?most deprived", text, re.I):
        return " (10 most deprived, 1 least)"
    return ""


def figures_of(blocks: list[Block], name: str) -> tuple[tuple[Figure, ...], list[str], list[str]]:
    """The figures the "About" part's BLOCKS state; a note for each £ or % figure no pattern reads; a warning
    for each malformed number or difference that does not add up."""
    figures: list[Figure] = []
    notes: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        where = f"{block.source or name}:{block.line}"
        text = re.sub(r"\s+", " ", block.text.replace("**", ""))
        read: list[tuple[int, int]] = []  # spans of the figures read
        for pattern, parts, part in _PATTERNS:
            for m in pattern.finditer(text):
                groups = m.groupdict()
                if any(s < m.end("a") and m.start("a") < e for s, e in read):
                    continue  # a figure another pattern has read
                year = groups.get("year") or (y.group("year") if (y := _YEAR_ANYWHERE.search(text)) else "")
                year = re.sub(r"\s", "", year)
                values: dict[str, int | float] = {}
                for group, measure, unit in parts:
                    if m.group(group) is None:
                        continue
                    raw = m.group(group)
                    read.append(m.span(group))
                    if not _WELL_FORMED.fullmatch(raw):
                        warnings.append(f"{where}: {unit if unit == '£' else ''}{raw} is not a well-formed number "
                                        "(its digits are not in groups of three), so it is not read: check CQC's "
                                        "page and type it in by hand")
                        continue
                    words = {"more": "above" if (groups.get("more") or "").lower() == "more" else "below",
                             "not": " (not the full precept)" if groups.get("not") else "",
                             "ages": re.sub(r"\s*[\u2013-]\s*", "\u2013", groups.get("ages") or ""),
                             "direction": _direction(text)}
                    label = measure.format(**words)
                    if groups.get("approx"):
                        label += " (approximate)"
                    if label in seen:
                        continue
                    seen.add(label)
                    values[group] = _number(raw)
                    figures.append(Figure(label, values[group], unit, year if part == FINANCIAL else "", part,
                                          block.line))
                if {"a", "b", "c"} <= values.keys():
                    stated = values["c"] if groups["more"].lower() == "more" else -values["c"]
                    if abs((values["b"] - values["a"]) - stated) > 0.5:
                        warnings.append(f"{where}: the report says \u00a3{m.group('c')} {groups['more'].lower()} than "
                                        f"estimated, but \u00a3{m.group('b')} \u2212 \u00a3{m.group('a')} is "
                                        f"\u00a3{values['b'] - values['a']:,}: one of CQC's figures is a slip; "
                                        "check its page")
        for figure in _MONEY_OR_PCT.finditer(text):
            if not any(s <= figure.start() + (figure.group()[0] == "\u00a3") < e for s, e in read):
                notes.append(f"{where}: the figure {figure.group().strip()!r} is not read as a key figure (its "
                             "sentence is not one cqcdocs knows)")
    return tuple(figures), notes, warnings


# --- England-average comparisons in the key findings ------------------------------------------------------

_COMPARISON = re.compile(
    r"(?P<cmp>(?:(?:much|significantly|slightly|also|statistically)\s+){0,2}"
    r"(?:similar to|better than|worse than|higher than|lower than|in line with|above|below))\s+"
    r"(?:the\s+)?England\s+average(?:\s+(?:of|at|which was))?\s+(?P<eng>\d{1,3}(?:\.\d+)?)\s?%", re.I)
_PERCENT = re.compile(r"(?<![\d.])(?P<v>\d+(?:\.\d+)?)\s?%")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"'(])")
_ABBREVIATION = re.compile(r"\((?P<src>[A-Z][A-Za-z]{2,7})\)\s+(?:data\s+)?(?:also\s+)?(?:showed|found|shows|reported)")
_SOURCES = (
    _ABBREVIATION,
    re.compile(r"\b[Dd]ata (?:from|provided by|collected by|in) (?:the )?(?P<src>[A-Z][\w'\u2019() -]{1,80}?)"
               r"(?: \((?P<abbr>[A-Z]{2,8})\))?,? (?:which |also |had )?(?:showed|found|shows|reported)"),
    re.compile(r"(?:^|\b[Tt]he |[,;] |\b[Aa]nd )(?P<src>[A-Z][\w'\u2019 -]{1,80}?)(?: \((?P<abbr>[A-Z]{2,8})\))? data "
               r"(?:also )?(?:showed|found|shows|reported)"),
    re.compile(r"\bthe (?P<src>\d{4} [Cc]ensus)\b"),
)
_WORDS = {"similar to": "similar", "in line with": "similar", "better than": "better", "worse than": "worse",
          "above": "above", "below": "below", "higher than": "higher", "lower than": "lower"}


def _source(sentences: list[str]) -> str:
    """The survey or collection the nearest of SENTENCES (last first) names: its abbreviation when it gives one."""
    for sentence in reversed(sentences):
        for pattern in _SOURCES:
            if (m := pattern.search(sentence)) is not None:
                groups = m.groupdict()
                return re.sub(r"^the\s+", "", (groups.get("abbr") or groups["src"]).strip(), flags=re.I)
    return ""


def _measure(text: str) -> str:
    """CQC's words for what a percentage measures: TEXT after it, less the clause that joins the comparison."""
    text = re.sub(r"^\s*(?:of\s+)?", "", text)
    text = re.sub(r"[\s,;]*(?:(?:which|this|that|and this|and)\s+(?:was|is|were)\s*(?:also\s*)?)?[\s,;.]*$", "",
                  text, flags=re.I)
    text = text.strip(" ,;.")
    return text[:1].upper() + text[1:]


def comparisons_of(findings, name: str) -> tuple[list[Comparison], list[str]]:
    """Every "X% … <comparison> the England average of Y%" in the key FINDINGS; a note for each one that is not
    CQC's judgement of better or worse (a census share "higher than" England's), which Metrics cannot hold."""
    out: list[Comparison] = []
    notes: list[str] = []
    seen: set[tuple[str, float, float]] = set()
    for f in findings:
        text = re.sub(r"\s+", " ", f.text.replace("**", ""))
        if "england average" not in text.lower():
            continue
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        for m in _COMPARISON.finditer(text):
            k = bisect_right(starts, m.start()) - 1
            # The council's figure is near its comparison: at most 600 characters back, so a long run-on
            # sentence of comparisons is read in one pass.
            before = text[max(starts[k], m.start() - 600):m.start()]
            values = list(_PERCENT.finditer(before))
            first = k
            if not values and k > 0:  # "… 41.51% of carers were satisfied. This was better than …"
                first = k - 1
                before = text[max(starts[k - 1], starts[k] - 600):starts[k]]
                values = list(_PERCENT.finditer(before))
            end = starts[k + 1] if k + 1 < len(starts) else len(text)
            sentence = text[max(starts[first], m.start() - 1200):min(end, m.end() + 600)].strip()
            cmp = " ".join(m.group("cmp").lower().split())
            kind = next((w for p, w in _WORDS.items() if cmp.endswith(p)), "")
            qualifier = " ".join(w for w in cmp.split()[:-1 if kind in ("above", "below") else -2]
                                 if w not in ("also", "statistically"))
            if not values or kind in ("higher", "lower", "above", "below"):
                why = ("no percentage for the council before it" if not values else
                       f"'{kind} than' says which is larger, not whether it is better or worse")
                shown = f"{sentence[:90]!r}{'…' if len(sentence) > 90 else ''}"
                notes.append(f"{f.where or f'{name}:{f.line}'}: {shown} is not added to Metrics ({why})")
                continue
            value = values[-1]
            measure = _measure(before[value.end():])
            key = (measure.lower(), float(value.group("v")), float(m.group("eng")))
            if key in seen:
                continue
            seen.add(key)
            # The survey is named in the sentence or one of the three before it ("SACE data also showed …").
            out.append(Comparison(measure, _source([text[starts[j]:(starts[j + 1] if j + 1 < len(starts) else
                                                                   len(text))] for j in range(max(0, k - 3), k + 1)]),
                                  float(value.group("v")), float(m.group("eng")),
                                  f"{qualifier} {kind}".strip(), sentence, f.quality_statement, f.line))
    return out, notes


# --- waits and counts in the key findings ------------------------------------------------------------------

_UNIT = r"(?P<u>working days|days|weeks|months)"
_WAITS = (
    ("Median wait", re.compile(r"\bmedian(?: wait| waiting time)?(?: time)?[^.;%]{0,60}?\b(?P<v>\d[\d,]{0,30}(?:\.\d+)?)\s"
                               + _UNIT, re.I)),
    ("Maximum wait", re.compile(r"\b(?:maximum|longest)(?: wait| waiting time| reported \w+ delay)?[^.;%]{0,40}?"
                                r"\b(?P<v>\d[\d,]{0,30}(?:\.\d+)?)\s" + _UNIT, re.I)),
    ("People waiting", re.compile(r"\b(?P<v>\d[\d,]{0,30}) (?:people|adults|carers)(?: were)? waiting\b"
                                  r"(?P<q> (?:under|over|more than|less than|longer than) \d+ (?:working )?days)?"
                                  r"|\bwaiting list "
                                  r"of (?P<v2>\d[\d,]{0,30}) people|\bwaiting[^.;%]{0,100}? was (?P<v3>\d[\d,]{0,30}) with a "
                                  r"median", re.I)),
)
_WAITING_FOR = re.compile(r"\b(?:waiting|wait|waits|waiting list)\s+(?:of \d[\d,]{0,30} people\s+)?(?:for\s+)?"
                          r"(?:an?\s+|the\s+|their\s+)?(?P<t>(?:[\w'\u2019-]+\s){0,3}?(?:assessments?|reviews?|"
                          r"appointments?|packages?|equipment|technology|enquir(?:y|ies)|decisions?|applications?|"
                          r"adaptations?))\b", re.I)
_TOPIC = re.compile(r"\b(?:for|a|an|the)\s+(?:an?\s+|the\s+|their\s+|its\s+)?"
                    r"(?P<t>(?:[\w'\u2019-]+\s){0,3}?(?:assessments?|reviews?|"
                    r"appointments?|packages?|equipment|technology|enquir(?:y|ies)|decisions?|applications?|"
                    r"adaptations?))\b", re.I)


def waits_of(findings) -> list[Figure]:
    """The waits (median, maximum) and numbers waiting the key FINDINGS state, each with its statement."""
    out: list[Figure] = []
    measures: dict[str, int] = {}
    for f in findings:
        text = re.sub(r"\s+", " ", f.text.replace("**", ""))
        if "wait" not in text.lower() and "median" not in text.lower():
            continue
        for sentence in _SENTENCE_END.split(text):
            low = sentence.lower()
            if "median" not in low and "maximum" not in low and "longest" not in low and "waiting" not in low:
                continue
            found = _WAITING_FOR.search(sentence) or _TOPIC.search(re.sub(r"\bthe time of (?:our|the) assessment\b",
                                                                          "", sentence, flags=re.I))
            topic = found.group("t") if found else (f.subheading or f.quality_statement.name).lower()
            for kind, pattern in _WAITS:
                for m in pattern.finditer(sentence):
                    raw = next(g for g in (m.groupdict().get(k) for k in ("v", "v2", "v3")) if g)
                    if not _WELL_FORMED.fullmatch(raw):
                        continue
                    unit = m.groupdict().get("u") or "people"
                    qualifier = m.groupdict().get("q") or ""
                    # The statement is in a column of its own; it names the measure only to tell two apart.
                    measure = f"{kind}{qualifier}: {topic}"
                    if measure in measures:
                        measure = f"{measure} ({f.quality_statement.name})"
                    n = measures[measure] = measures.get(measure, 0) + 1
                    if n > 1:
                        measure = f"{measure} {n}"
                    out.append(Figure(measure, _number(raw), unit.lower(), "", KEY_FINDINGS, f.line,
                                      f.quality_statement, sentence.strip()))
    return out
