"""Options for reading a survey export (kept free of heavy imports: the CLI builds its options from them)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class InvalidPolicy(StrEnum):
    """What to do with invalid cells (docs/method.md §5)."""

    refuse = "refuse"
    missing = "missing"


class Layout(StrEnum):
    """How a data file is laid out: one row per respondent (wide), one per answer (long), or detected."""

    auto = "auto"
    wide = "wide"
    long = "long"


@dataclass(frozen=True)
class ReadOptions:
    """How to read a data file; every field may be left to detection."""

    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    invalid: InvalidPolicy = InvalidPolicy.refuse
    layout: Layout = Layout.auto
    #: the survey platform that wrote the file (overrides the config's data.source); None: the config's
    source: str | None = None
