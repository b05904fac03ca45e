"""One cell's value, read as the contract says it should be: text, a score, a percentage, a date, a choice.

Each parser takes a `SourceCell` and the run's `Problems` and returns the value, or None after recording
an error at the cell, so a reader can go on and report every problem in the workbook at once. The
wording shows values as the officer sees them in Excel, not as Python holds them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from collections.abc import Callable

from ..contract import QualityStatement, Theme, find_quality_statement, find_theme, normalise
from ..model import Message, MonthDate
from ..wording import MONTHS, XML_ILLEGAL

MAX_TEXT = 32_767  # Excel's own cell limit; longer text can only come from a broken or hand-made file.


@dataclass
class SourceCell:
    """A value read from the source workbook and the place it came from ("Scores!D7").

    Named apart from the renderers' table cells: this one is only ever read.
    """

    value: Any
    place: str
    number_format: str = "General"

    @property
    def blank(self) -> bool:
        """Nothing visible: empty, spaces, or only characters that show nothing once cleaned (control
        characters, including Excel's "_x0007_" escapes, zero-width spaces, direction marks)."""
        return self.value is None or (isinstance(self.value, str) and not visible(_decode_escapes(self.value)))

    @property
    def invisible(self) -> bool:
        """Blank, yet not empty: the cell holds characters, none of which shows ("\u200b")."""
        return self.blank and isinstance(self.value, str) and bool(self.value.strip())

    def required(self, what: str) -> str:
        """The message for a required value left blank; says so when the cell only looks filled in."""
        return f"{what} is required" + ("; the cell holds only invisible characters" if self.invisible else "")


# Blank-looking letters that Unicode files as ordinary ones: Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(text: str) -> bool:
    """Whether TEXT has a character that shows: not a space, a control or format character (zero-width
    space, direction marks, soft hyphen, byte-order mark), a lone surrogate or a blank-looking letter."""
    for ch in text:
        if ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES:
            continue
        return True
    return False


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})


class Problems:
    """Collects errors and warnings in the order they are found."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        # Formula cells with no saved value, by sheet title ({"Scores": {"C2": "=1+1"}}).
        self.formulas: dict[str, dict[str, str]] = {}
        # Cells that already carry their own error: a second one ("is required") would only mislead.
        self.silenced: set[str] = set()

    def error(self, place: str, text: str) -> None:
        if place in self.silenced:
            return
        self.messages.append(Message(place, text, "error"))

    def warn(self, place: str, text: str) -> None:
        self.messages.append(Message(place, text, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(m.level == "error" for m in self.messages)


def show(value: Any) -> str:
    """VALUE as the officer sees it in Excel: quoted text, TRUE/FALSE, and dates said to be dates.

    A date where a number belongs is usually Excel's doing ("1/4" typed into a score becomes 1 April),
    so it is named as a date rather than shown as Python's '2026-04-01 00:00:00'.
    """
    if isinstance(value, bool):
        return repr("TRUE" if value else "FALSE")
    if isinstance(value, datetime):
        return f"the date {value:%d/%m/%Y}" + (f" {value:%H:%M}" if value.time() != datetime.min.time() else "")
    if isinstance(value, date):
        return f"the date {value:%d/%m/%Y}"
    text = str(value)
    return repr(text[:40] + "…" if len(text) > 40 else text)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _decode_escapes(text: str) -> str:
    """Excel stores characters XML cannot hold as "_x0007_"; openpyxl hands them over undecoded."""
    if "_x" not in text:
        return text
    text = _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    # Each half of a surrogate pair is escaped on its own: rejoin the halves, leave lone ones to be removed.
    return _SURROGATE_PAIR.sub(lambda m: m[0].encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)


def parse_text(cell: SourceCell, problems: Problems) -> str:
    if cell.blank:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    text = _decode_escapes(str(value)).strip()
    cleaned = XML_ILLEGAL.sub("", text)
    if cleaned != text:
        problems.warn(cell.place, f"removed {len(text) - len(cleaned)} control or invalid character(s) "
                                  "that Word cannot hold")
        cleaned = cleaned.strip()
    if len(cleaned) > MAX_TEXT:
        problems.warn(cell.place, f"text cut to {MAX_TEXT:,} characters, Excel's limit for a cell "
                                  f"(it had {len(cleaned):,})")
        cleaned = cleaned[:MAX_TEXT]
    return cleaned


def parse_score(cell: SourceCell, problems: Problems) -> int | None:
    """A score 1–4: a whole number, as a number or as text ("3")."""
    value = cell.value
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 1 <= value <= 4:
        return int(value)
    problems.error(cell.place, f"score must be a whole number 1–4, got {show(cell.value)}")
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u2212", "-")
        try:
            return float(text)
        except ValueError:
            return None
    return None


def parse_number(cell: SourceCell, problems: Problems, what: str = "value") -> float | None:
    """A number; a cell formatted as a percentage holds a fraction, which is read as per cent."""
    if isinstance(cell.value, str) and cell.value.strip().endswith("%"):
        number = _number(cell.value.strip()[:-1])
    else:
        number = _number(cell.value)
        if number is not None and "%" in cell.number_format:
            number *= 100
    if number is None or number != number:  # NaN
        problems.error(cell.place, f"{what} must be a number, got {show(cell.value)}")
        return None
    return number


def _show_pct(cell: SourceCell, number: float) -> str:
    """A percentage cell as the officer sees it: 0.725 formatted as a percentage is '72.5%' (Excel may
    show it rounded, as 73%); a plain fraction says what it was read as: '0.725' (read as 72.5%)."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "%" in cell.number_format:
            return repr(f"{round(value * 100, 6):f}".rstrip("0").rstrip(".") + "%")
        if number != value:
            return f"{show(value)} (read as {f'{number:f}'.rstrip('0').rstrip('.')}%)"
    return show(value)


def parse_pct(cell: SourceCell, problems: Problems, what: str = "percentage") -> float | None:
    """A percentage 0–100: "70.57%", 70.57, or the fraction 0.7057 (any number from 0 to 1)."""
    is_text_pct = isinstance(cell.value, str) and cell.value.strip().endswith("%")
    number = parse_number(cell, problems, what)
    if number is None:
        return None
    if not is_text_pct and "%" not in cell.number_format and 0 <= number <= 1:
        number *= 100
    number = round(number, 6)  # fractions such as 0.57 * 100 come back as 56.99999999999999
    if not 0 <= number <= 100:
        problems.error(cell.place, f"{what} must be between 0% and 100%, got {_show_pct(cell, number)}")
        return None
    return number


def parse_whole_pct(cell: SourceCell, problems: Problems, what: str) -> int | None:
    number = parse_pct(cell, problems, what)
    if number is None:
        return None
    if not float(number).is_integer():
        problems.error(cell.place, f"{what} must be a whole per cent (CQC rounds up), got "
                                   f"{_show_pct(cell, number)}")
        return None
    return int(number)


# Month names and the abbreviations people type ("14 Sept 2026"), for dates written as text.
_MONTH_NUMBERS = {m.lower(): i for i, m in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS.update({k[:3]: v for k, v in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS["sept"] = 9
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LONG = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")


def _date_parts(text: str) -> tuple[tuple[int, int, int] | None, bool]:
    """(year, month, day) from a date typed as text, and whether only the month was given; None if no form fits."""
    if m := _DAY_FIRST.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        return (year + 2000 if year < 100 else year, month, day), False
    if m := _ISO.match(text):
        return (int(m[1]), int(m[2]), int(m[3])), False
    if (m := _LONG.match(text)) and m[2].lower() in _MONTH_NUMBERS:
        return (int(m[3]), _MONTH_NUMBERS[m[2].lower()], int(m[1])), False
    if (m := _MONTH_YEAR.match(text)) and m[1].lower() in _MONTH_NUMBERS:
        return (int(m[2]), _MONTH_NUMBERS[m[1].lower()], 1), True
    return None, False


def parse_date(cell: SourceCell, problems: Problems) -> date | None:
    """A real Excel date, or text: 14/05/2026 (UK day first), 2026-05-14, 14 May 2026, May 2026."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parts, month_only = _date_parts(str(value).strip() if isinstance(value, str) else "")
    if parts is not None:
        try:
            return MonthDate(*parts) if month_only else date(*parts)
        except ValueError:
            problems.error(cell.place, f"{show(value)} is not a real date")
            return None
    problems.error(cell.place, f"date must be a date such as 14/05/2026, 14 May 2026 or May 2026, "
                               f"got {show(value)}")
    return None


def parse_yes_no(cell: SourceCell, problems: Problems, what: str = "value") -> bool | None:
    if isinstance(cell.value, bool):
        return cell.value
    text = normalise(str(cell.value))
    if text in ("y", "yes", "true", "1"):
        return True
    if text in ("n", "no", "false", "0"):
        return False
    problems.error(cell.place, f"{what} must be Y or N, got {show(cell.value)}")
    return None


def parse_choice(cell: SourceCell, problems: Problems, options: tuple[str, ...], what: str,
                 extra: dict[str, str] | None = None) -> str | None:
    """One of OPTIONS (or a name in EXTRA, mapped to its option), matched as people type it."""
    lookup = {normalise(o): o for o in options}
    lookup.update({normalise(k): v for k, v in (extra or {}).items()})
    text = normalise(str(cell.value))
    if text in lookup:
        return lookup[text]
    problems.error(cell.place, f"{what} must be one of {', '.join(options)}; got {show(cell.value)}")
    return None


def _named(cell: SourceCell, problems: Problems, find: Callable[[str], Any], what: str, hint: str) -> Any:
    """What FIND makes of the cell's text; None after recording "unknown WHAT 'text': HINT"."""
    found = find(str(cell.value))
    if found is None:
        problems.error(cell.place, f"unknown {what} {show(cell.value)}: {hint}")
    return found


def parse_theme(cell: SourceCell, problems: Problems) -> Theme | None:
    return _named(cell, problems, find_theme, "theme",
                  "use Working with people, Providing support, Ensuring safety or Leadership")


def parse_quality_statement(cell: SourceCell, problems: Problems) -> QualityStatement | None:
    return _named(cell, problems, find_quality_statement, "quality statement",
                  "use one of CQC's nine (see docs/workbook.md)")


def parse_theme_or_statement(cell: SourceCell, problems: Problems) -> QualityStatement | Theme | None:
    """One of CQC's nine quality statements or four themes, as people type them."""
    return _named(cell, problems, lambda text: find_quality_statement(text) or find_theme(text),
                  "theme or quality statement", "use one of CQC's four themes or nine quality statements "
                  "(see docs/workbook.md)")


def parse_date_or_period(cell: SourceCell, problems: Problems) -> date | str | None:
    """A date in any form `parse_date` reads, or a period kept as typed ("2024/25", "Q3 2025/26").

    Text shaped like a date must be a real one: "31/02/2026" is an error, not a period."""
    value = cell.value
    if isinstance(value, (date, datetime)) or _date_parts(str(value).strip())[0] is not None:
        return parse_date(cell, problems)
    return parse_text(cell, problems) or None


def parse_bases(cell: SourceCell, problems: Problems, options: tuple[str, ...]) -> tuple[str, ...] | None:
    """One or more of OPTIONS separated by ";" or ","; each matched as people type it ("indicative" is
    Pilot, "secondary source" is Secondary, "computed from scores" is Computed)."""
    found: list[str] = []
    for part in re.split(r"[;,]", str(cell.value)):
        key = normalise(part)
        if not key:
            continue
        match = next((o for o in options if key == normalise(o) or key.startswith(normalise(o) + " ")), None)
        match = match or {"indicative": "Pilot", "pilot (indicative)": "Pilot"}.get(key)
        if match is None:
            problems.error(cell.place, f"basis must be one or more of {', '.join(options)} (separated by ;), "
                                       f"got {show(cell.value)}")
            return None
        if match not in found:
            found.append(match)
    return tuple(found)
