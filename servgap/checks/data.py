"""`servgap check CONFIG --data FILE`: the issues of a survey export read against a config, as findings."""

from __future__ import annotations

from pathlib import Path

from servgap.checks.config import ConfigLoad
from servgap.data.options import ReadOptions
from servgap.data.responses import read_responses
from servgap.findings import Finding


def check_data_file(loaded: ConfigLoad, path: Path, options: ReadOptions | None = None) -> list[Finding]:
    """Data findings of ``path`` against a loaded config, for `servgap check CONFIG --data FILE`."""
    if loaded.config is None or not loaded.ok:
        return []
    outcome = read_responses(loaded.config, path, options)
    return [issue.to_finding(str(path)) for issue in outcome.issues]
