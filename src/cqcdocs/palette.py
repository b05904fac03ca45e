"""One rating palette for Word, Excel and charts.

Red–blue diverging (ColorBrewer RdBu), which stays distinguishable with the common colour-vision
deficiencies; each fill has the text colour that gives it at least 4.5:1 contrast (WCAG 2.2 AA).
Colour never carries meaning alone: every coloured cell or bar also shows the rating word or score.
"""

from __future__ import annotations

RATING_FILL = {
    "Inadequate": "B2182B",
    "Requires improvement": "F4A582",
    "Good": "92C5DE",
    "Outstanding": "2166AC",
}
RATING_TEXT = {
    "Inadequate": "FFFFFF",
    "Requires improvement": "000000",
    "Good": "000000",
    "Outstanding": "FFFFFF",
}
SCORE_FILL = {1: RATING_FILL["Inadequate"], 2: RATING_FILL["Requires improvement"], 3: RATING_FILL["Good"],
              4: RATING_FILL["Outstanding"]}
SCORE_TEXT = {1: RATING_TEXT["Inadequate"], 2: RATING_TEXT["Requires improvement"], 3: RATING_TEXT["Good"],
              4: RATING_TEXT["Outstanding"]}

# An improvement plan's statuses in the red/amber/green a board reads (blue for complete, greys for not
# started and not yet due), never the rating palette: On track must not look like "Good". Each text colour
# gives its fill at least 4.5:1; the status word is always shown with it.
ACTION_STATUS_FILL = {
    "Complete": "2166AC",
    "On track": "2E7D32",
    "At risk": "FFC000",
    "Off track": "B2182B",
    "Not started": "A6A6A6",
    "Not yet due to start": "E0E0E0",
}
ACTION_STATUS_TEXT = {"Complete": "FFFFFF", "On track": "FFFFFF", "At risk": "000000", "Off track": "FFFFFF",
                      "Not started": "000000", "Not yet due to start": "000000"}

# A review's stance on a journey thread (strength, area for development, both): the diverging palette's blues
# and peach, apart from the plan's red/amber/green so a stance never reads as an action's status.
STANCE_FILL = {"strength": "2166AC", "development": "FDDBC7", "both": "92C5DE"}
STANCE_TEXT = {"strength": "FFFFFF", "development": "000000", "both": "000000"}

COMPARISON_FILL = {"better": "92C5DE", "similar": "E0E0E0", "worse": "F4A582", "not stated": "FFFFFF"}

# Neutral colours for text, headings and the council/England contrast in charts.
INK = "1A1A1A"
ACCENT = "1F4E79"       # headings and table header fill (white text on it is 8.9:1)
HEADER_TEXT = "FFFFFF"
MUTED = "595959"        # secondary text, 7:1 on white
SUBJECT = "5E3C99"      # the council in comparison charts: purple, no rating's colour, so never read as one
OTHERS = "BABABA"       # other councils / England average


BAND_TINT = 0.3  # rating-band shading in charts: the palette colour at 30% on white


def tint(hex_colour: str, strength: float = BAND_TINT) -> str:
    """HEX_COLOUR at STRENGTH on white, as an opaque hex colour (renders the same everywhere)."""
    h = hex_colour.lstrip("#")
    channels = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(255 - (255 - c) * strength):02X}" for c in channels)


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio between two hex colours."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def rgb(hex_colour: str) -> tuple[float, float, float]:
    """Matplotlib colour tuple."""
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def label_colour(fill: str) -> str:
    """Black or white, whichever reads better on FILL: a chart's count on its bar."""
    return "FFFFFF" if contrast("FFFFFF", fill) >= contrast("000000", fill) else "000000"
