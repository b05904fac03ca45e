"""Shared wording, each piece defined once: counts and plurals, number words, ordinals, lists, month
names, `**bold**` markup and the characters a Word or Excel file cannot hold.

A leaf module: it imports nothing from cqcdocs, so the model, scoring, the renderers and `check` can all
use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth", "twentieth")
# Characters XML 1.0 (and so Word and Excel) cannot hold: C0 controls other than tab, newline and carriage
# return, lone surrogates, and the two non-characters.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """"1 error", "2 errors", "0 warnings"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def number_word(n: int) -> str:
    """"no", "one" … "ten", then digits, as prose writes small counts."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def numeric_ordinal(n: int) -> str:
    """"1st", "22nd", "13th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal(n: int) -> str:
    """"first" … "twentieth", then "21st"."""
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else numeric_ordinal(n)


def join_words(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def clean(text: object) -> str:
    """Text a document can hold: the loader already cleans, but a renderer must never write broken XML."""
    return XML_ILLEGAL.sub("", str(text))


def bold_spans(text: str) -> list[tuple[str, bool]]:
    """Split `**bold**` markup into (text, bold) spans; an unmatched `**` stays literal."""
    text = clean(text)
    spans, pos = [], 0
    for match in BOLD.finditer(text):
        if match.start() > pos:
            spans.append((text[pos:match.start()], False))
        spans.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        spans.append((text[pos:], False))
    return spans


def plain(text: str) -> str:
    """Text without the `**bold**` markers, for places that cannot show bold (Excel cells, alt text)."""
    return BOLD.sub(r"\1", text)


def decimals(values, most: int = 2) -> int:
    """How many decimal places VALUES are given to (at most MOST): 70.57 and 3.0 → 2; 3.0 and 4 → 0."""
    places = [len(f"{v:.{most}f}".rstrip("0").split(".")[1]) if "." in f"{v:.{most}f}".rstrip("0") else 0
              for v in values]
    return max(places, default=0)


def format_value(value: float, unit: str, places: int | None = None) -> str:
    """A metric value without float noise: 70.57 → "70.57%", 3.0 → "3 weeks", "£14,321,000"; with PLACES, to exactly that
    many decimal places, so that a column (and its chart) reads at one precision: 60.6 → "60.60%"."""
    text = f"{value:,.{places}f}" if places is not None else f"{value:,.2f}".rstrip("0").rstrip(".")
    unit = clean(unit).strip()
    if unit == "\u00a3":  # money: "£14,321,000"
        return f"\u00a3{text}"
    if unit in ("%", ""):
        return f"{text}{unit}"
    return f"{text} {unit}"


def format_pct(value: float) -> str:
    """A percentage to at most one decimal place: 70.0 → "70%", 70.57 → "70.6%"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def duration(days: int) -> str:
    """"5 days", "3 weeks", "4 months": how long something has lasted, in the unit a reader would use."""
    if days < 14:
        return count(days, "day")
    if days < 63:
        return count(days // 7, "week")
    return count(days // 30, "month")


def row_ranges(rows: list[int]) -> str:
    """[3, 5, 6, 7] → "3, 5–7"."""
    parts: list[tuple[int, int]] = []
    for r in rows:
        if parts and parts[-1][1] == r - 1:
            parts[-1] = (parts[-1][0], r)
        else:
            parts.append((r, r))
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in parts)
