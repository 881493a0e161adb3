"""Errors a user can fix (bad input, bad options), kept apart from bugs in servgap itself."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, the same for every command."""

    OK = 0
    FINDINGS = 1  #: check found errors, or analyze refused the input
    USAGE = 2  #: bad option, or a file that cannot be read
    INTERNAL = 3  #: a bug in servgap


class UserError(Exception):
    """A problem with the user's input that the message explains how to fix.

    Parameters
    ----------
    message:
        What is wrong and how to fix it, naming the file (and row/column where there is one).
    exit_code:
        The process exit code the CLI ends with.
    details:
        Further lines (e.g. every invalid cell), printed under the message.
    """

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.FINDINGS, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.details = details or []
