"""The page every document is laid out on: portrait A4 with 2 cm margins, in centimetres.

Pure numbers (no python-docx), so the charts can be drawn at the width Word will show them.
"""

PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGIN_CM = 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM  # 17.0
