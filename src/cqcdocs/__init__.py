"""cqcdocs: committee-ready CQC adult social care briefings and annexes from one source workbook.

Load (workbook → typed model) → score (pure functions) → render (docx, xlsx, charts) → a thin CLI.
"""

__version__ = "0.1.0"
