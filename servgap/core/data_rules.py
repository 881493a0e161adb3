"""Rules for survey data files checked against an instrument config (`check --data`, `analyze`)."""

from __future__ import annotations

from servgap.core.findings import Rule, Severity

E = Severity.ERROR
W = Severity.WARNING

DATA_RULES: tuple[Rule, ...] = ()
