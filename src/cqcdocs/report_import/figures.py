"""The figures in a CQC report's "About <council>" part, for the Key figures sheet.

The financial facts are sentences CQC writes the same way for every council ("The local authority
estimated that in 2023/24, its total budget would be £423,042,000…"), with each figure in bold; the
demographics are the council's own prose, where only a few phrasings recur (a population of approximately
N people, an Index of Multiple Deprivation decile, the share of people in an age group). Each pattern
below names the figures its sentence gives. A bold figure in the financial facts that no pattern reads is
reported, not guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .source import Block

FINANCIAL = "financial facts"
ABOUT = "about the council"


@dataclass(frozen=True)
class Figure:
    measure: str
    value: int | float
    unit: str  # "£", "%", "people" or ""
    as_at: str  # a period as the report gives it ("2023/24"), or ""
    part: str  # FINANCIAL or ABOUT: CQC did not assess the financial facts
    line: int


_MONEY = r"\u00a3(?P<{}>[\d,]+(?:\.\d+)?)"
_YEAR = r"(?P<year>\d{4}/\d{2,4})"
_ABOUT_WORD = r"(?P<approx>approximately|around|about|roughly|nearly)?\s*"

# (pattern, [(group, measure, unit)]); "{more}" in a measure becomes "above" or "below" as the report says.
_PATTERNS: tuple[tuple[re.Pattern, tuple[tuple[str, str, str], ...], str], ...] = (
    (re.compile(r"estimated that in " + _YEAR + r", its total budget would be " + _MONEY.format("a")
                + r"\.\s*Its actual spend for that year was " + _MONEY.format("b") + r",? which (?:was|is) "
                + _MONEY.format("c") + r" (?P<more>more|less) than estimated", re.I),
     (("a", "Total budget (estimate)", "\u00a3"), ("b", "Total spend", "\u00a3"),
      ("c", "Total spend {more} the estimate", "\u00a3")), FINANCIAL),
    (re.compile(r"estimated that it would spend " + _MONEY.format("a") + r" of its total budget on adult social "
                r"care in " + _YEAR + r"\.\s*Its actual spend was " + _MONEY.format("b") + r",? which (?:is|was) "
                + _MONEY.format("c") + r" (?P<more>more|less) than estimated", re.I),
     (("a", "Adult social care budget (estimate)", "\u00a3"), ("b", "Adult social care spend", "\u00a3"),
      ("c", "Adult social care spend {more} the estimate", "\u00a3")), FINANCIAL),
    (re.compile(r"In " + _YEAR + r", (?P<a>\d+(?:\.\d+)?)% of the budget was spent on adult social care", re.I),
     (("a", "Share of the budget spent on adult social care", "%"),), FINANCIAL),
    (re.compile(r"has (?P<not>not )?raised the full adult social care precept for " + _YEAR
                + r", with a value of (?P<a>\d+(?:\.\d+)?)%", re.I),
     (("a", "Adult social care precept{not}", "%"),), FINANCIAL),
    (re.compile(_ABOUT_WORD + r"(?P<a>[\d,]+) people were accessing long-term adult social care support", re.I),
     (("a", "People accessing long-term adult social care support", "people"),), FINANCIAL),
    (re.compile(_ABOUT_WORD + r"(?P<a>[\d,]+) people were accessing short-term adult social care support", re.I),
     (("a", "People accessing short-term adult social care support", "people"),), FINANCIAL),
    (re.compile(r"population of " + _ABOUT_WORD + r"(?P<a>[\d,]+) (?:people|residents)", re.I),
     (("a", "Population", "people"),), ABOUT),
    (re.compile(r"Index of Multiple Deprivation (?:\(IMD\) )?(?:score )?decile of (?P<a>\d+)", re.I),
     (("a", "Index of Multiple Deprivation decile (1 most deprived, 10 least)", ""),), ABOUT),
    (re.compile(_ABOUT_WORD + r"(?P<a>\d+(?:\.\d+)?)% (?:of [\w'\u2019 ]+? population )?(?:is |are )?aged "
                r"(?P<ages>\d+\s*[\u2013-]\s*\d+|\d+ and over|\d+\+)", re.I),
     (("a", "Population aged {ages}", "%"),), ABOUT),
    (re.compile(_ABOUT_WORD + r"(?P<a>\d+(?:\.\d+)?)% are of working age \((?P<ages>\d+\s*[\u2013-]\s*\d+)\)", re.I),
     (("a", "Population of working age ({ages})", "%"),), ABOUT),
)

_YEAR_ANYWHERE = re.compile(r"\bin " + _YEAR, re.I)
_BOLD_NUMBER = re.compile(r"\*\*([^*]*\d[^*]*)\*\*")


def _number(text: str) -> int | float:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def figures_of(blocks: list[Block], name: str) -> tuple[tuple[Figure, ...], list[str]]:
    """The figures the "About" part's BLOCKS state, and a note for each bold figure none of the patterns read."""
    figures: list[Figure] = []
    notes: list[str] = []
    for block in blocks:
        text = re.sub(r"\s+", " ", block.text.replace("**", ""))
        read_here: set[str] = set()
        for pattern, parts, part in _PATTERNS:
            for m in pattern.finditer(text):
                groups = m.groupdict()
                year = groups.get("year") or (y.group("year") if (y := _YEAR_ANYWHERE.search(text)) else "")
                for group, measure, unit in parts:
                    words = {"more": "above" if (groups.get("more") or "").lower() == "more" else "below",
                             "not": " (not the full precept)" if groups.get("not") else "",
                             "ages": re.sub(r"\s*[\u2013-]\s*", "\u2013", groups.get("ages") or "")}
                    label = measure.format(**words)
                    if groups.get("approx"):
                        label += " (approximate)"
                    figures.append(Figure(label, _number(m.group(group)), unit, year if part == FINANCIAL else "",
                                          part, block.line))
                    read_here.add(m.group(group).replace(",", ""))
        for bold in _BOLD_NUMBER.findall(block.text):
            digits = re.sub(r"[^\d.]", "", bold).rstrip(".")
            if digits and digits not in read_here:
                notes.append(f"{name}:{block.line}: the figure {bold.strip()!r} is not read as a key figure "
                             "(its sentence is not one cqcdocs knows)")
    return tuple(figures), notes
