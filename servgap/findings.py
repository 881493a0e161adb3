"""Findings: what `servgap check` reports, and the catalogue of rules that produce them.

Every finding carries the file, a 1-based line and column, a stable rule code and a message
that says how to fix the problem. The rule catalogue is the single source for `servgap rules`,
the SARIF rule list and the config reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is. Errors fail `servgap check`; warnings fail it only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Example:
    """A config that shows a rule at work: it fails at ``line`` and ``column`` (1-based), or passes
    (no position). The rule tests and the rule reference are generated from these."""

    config: str
    line: int | None = None
    column: int | None = None

    @property
    def fails(self) -> bool:
        """Whether the example fails its rule (it has a position)."""
        return self.line is not None


@dataclass(frozen=True)
class Rule:
    """One check servgap performs.

    Attributes
    ----------
    code:
        Stable identifier (``SG…``) that never changes meaning once published.
    name:
        Short kebab-case name, shown beside the code.
    severity:
        Default severity of its findings.
    summary:
        One line: what the rule finds.
    explanation:
        Why it matters and how to fix it, shown by `servgap rules`.
    unreadable:
        True for rules that mean the file could not be read as a config at all; such findings make
        `servgap check` exit 2 rather than 1.
    examples:
        Configs that fail the rule (with the position of the finding) and that pass it.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    unreadable: bool = False
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A problem found at a place in a file (line and column are 1-based)."""

    file: str
    line: int
    column: int
    rule: Rule
    message: str
    severity: Severity | None = None

    @property
    def code(self) -> str:
        """The rule's code, e.g. ``SG201``."""
        return self.rule.code

    @property
    def level(self) -> Severity:
        """The finding's severity: its own when set, else the rule's default."""
        return self.severity or self.rule.severity

    @property
    def is_error(self) -> bool:
        """Whether the finding fails a check (an error, not a warning): the one test of it."""
        return self.level is Severity.ERROR

    def describe(self) -> str:
        """The finding as compilers print one: ``file:line:column: severity CODE [name] message``."""
        return (f"{self.file}:{self.line}:{self.column}: {self.level.value} {self.code} [{self.rule.name}] "
                f"{self.message}")

    def sort_key(self) -> tuple[str, int, int, str]:
        """Findings sort by file, line, column and code."""
        return (self.file, self.line, self.column, self.rule.code)


@dataclass(frozen=True)
class CheckSummary:
    """Counts over a set of findings, and the exit code they imply."""

    files: int
    errors: int
    warnings: int
    unreadable: int

    def exit_code(self, strict: bool) -> int:
        """0 clean; 1 errors (or warnings under ``strict``); 2 a file could not be read."""
        if self.unreadable:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def summarise(findings: list[Finding], files: int) -> CheckSummary:
    """Count errors, warnings and unreadable files among ``findings``."""
    errors = sum(1 for f in findings if f.is_error)
    warnings = sum(1 for f in findings if f.level is Severity.WARNING)
    unreadable = len({f.file for f in findings if f.rule.unreadable})
    return CheckSummary(files=files, errors=errors, warnings=warnings, unreadable=unreadable)
