"""Every error that is the user's to fix, as data: the CLI prints `lines` (never a traceback) and exits 1.

Library code says what is wrong in the document's or the workbook's terms; it never names a command-line
flag. The last of `lines` is the verdict ("council.xlsx: not valid (2 errors)"); any before it are the
details, one problem a line.
"""

from __future__ import annotations

from .model import Message, tally


class UserError(Exception):
    """A mistake in the input, options or environment that the user can act on."""

    def __init__(self, *lines: str):
        self.lines: list[str] = [str(line) for line in lines] or [""]
        super().__init__("\n".join(self.lines))


class InvalidWorkbook(UserError):
    """The workbook cannot be used; `messages` lists every error (and any warnings) found."""

    def __init__(self, messages: list[Message], name: str = "the workbook"):
        self.messages = list(messages)
        super().__init__(*(m.line() for m in messages), f"{name}: not valid ({tally(messages)})")

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == "error"]


class TemplateError(UserError):
    """The Word template cannot be used: missing, not a Word document, or lacking styles the briefing needs."""


class OutputError(UserError):
    """An output file or folder cannot be written; the message says which and why."""


class UnknownMeeting(UserError):
    """A meeting named by the user matched none in the Governance sheet, or more than one."""


class PdfError(UserError):
    """A PDF could not be made: LibreOffice is missing, failed, or took too long (the .docx is still written)."""


class ProgressError(UserError):
    """The improvement plan cannot be reported on as asked: no plan, or a comparison date after the report's."""


class ReportError(UserError):
    """A CQC report cannot be imported: not a report, unreadable, or its headings or scores are not where CQC
    puts them (each problem with the report's line number)."""
