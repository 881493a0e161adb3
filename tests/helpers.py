"""Helpers for engine tests: analyse a pandas DataFrame against a config."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
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


def r_wilcoxon_p(differences: np.ndarray) -> float:
    """R's ``wilcox.test(d)`` two-sided p, written out independently: zeros dropped; the exact null
    distribution (all 2ⁿ sign patterns enumerated) without ties or zeros and n < 50; else the normal
    approximation with tie-corrected variance and continuity correction."""
    import itertools

    from scipy import stats

    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d)]
    had_zeros = bool((d == 0).any())
    d = d[d != 0]
    n = len(d)
    ranks = stats.rankdata(np.abs(d))
    v = ranks[d > 0].sum()
    _, ties = np.unique(np.abs(d), return_counts=True)
    if n < 50 and not had_zeros and (ties == 1).all():
        totals = [sum(r for r, positive in zip(ranks, signs, strict=True) if positive)
                  for signs in itertools.product((False, True), repeat=n)]
        low = sum(t <= v for t in totals) / len(totals)
        high = sum(t >= v for t in totals) / len(totals)
        return min(1.0, 2 * min(low, high))
    mean = n * (n + 1) / 4
    sd = np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - (ties**3 - ties).sum() / 48)
    z = v - mean
    z = (z - np.sign(z) * 0.5) / sd
    return float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))
