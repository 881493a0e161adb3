"""Helpers for engine tests: analyse a pandas DataFrame against a config."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from servgap.analysis.engine import AnalysisOptions, analyze
from servgap.checks.config import load_config
from servgap.data.responses import ReadOptions, read_responses
from servgap.instrument.models import InstrumentConfig
from servgap.results import Assessment

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def config_from(path: Path) -> InstrumentConfig:
    loaded = load_config(path)
    assert loaded.config is not None, loaded.findings
    return loaded.config


def assess(config: InstrumentConfig, frame: pd.DataFrame, options: AnalysisOptions | None = None,
           read: ReadOptions | None = None) -> Assessment:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        frame.to_csv(path, index=False)
        outcome = read_responses(config, path, read, segment_by=list(options.segment_by) if options else None)
        assert outcome.responses is not None, [issue.describe() for issue in outcome.issues]
        return analyze(config, outcome.responses, options)


def mini() -> tuple[InstrumentConfig, pd.DataFrame]:
    """The docs/method.md §7 fixture."""
    return config_from(FIXTURES / "mini.yaml"), pd.read_csv(FIXTURES / "mini.csv")
