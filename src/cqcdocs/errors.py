"""Errors that are the user's to fix: the CLI prints their message (never a traceback) and exits 1."""


class UserError(Exception):
    """A mistake in the input, options or environment that the user can act on."""


class TemplateError(UserError):
    """The --template Word document lacks styles the briefing needs."""
