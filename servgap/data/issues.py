"""Problems found in a data file, each with the spreadsheet row (header = row 1) and column."""

from __future__ import annotations

from dataclasses import dataclass

from servgap.findings import Finding, Rule, Severity

MAX_LISTED_CELLS = 50
@dataclass(frozen=True)
class DataIssue:
    """A problem in a data file: rule, spreadsheet row (1 = header), column position and header."""

    rule: Rule
    row: int
    column: int
    header: str
    message: str
    value: str | None = None
    #: the file, when the problem is in one file of a dataset of several
    file: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether the issue refuses the file (its rule is an error, not a warning)."""
        return self.rule.severity is Severity.ERROR

    def to_finding(self, file: str) -> Finding:
        """The issue as a finding of `servgap check --data` (row and column as line and column)."""
        return Finding(file, self.row, self.column, self.rule, self.message)

    def describe(self) -> str:
        """The issue as one line: ``row R, column C 'header': message``."""
        where = (f"{self.file}, " if self.file else "") + (f"row {self.row}" if self.row else "file")
        column = f", column {self.column} '{short_text(self.header)}'" if self.column else ""
        return f"{where}{column}: {self.message}"


def short_text(text: str, limit: int = 60) -> str:
    """``text`` on one line, whitespace runs folded, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Refusal(Exception):
    """Raised while reading a table when the whole file is refused; carries its :class:`DataIssue`."""

    def __init__(self, issue: DataIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def refuse(rule: Rule, message: str, row: int = 0, column: int = 0, header: str = "") -> Refusal:
    """A :class:`Refusal` of ``rule`` with its message, row, column and header."""
    return Refusal(DataIssue(rule, row, column, header, message))


