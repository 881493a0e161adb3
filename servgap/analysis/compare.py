"""Tracking: did the gap change between two waves of the same instrument?

For every item and dimension, the change is the later wave's mean gap minus the earlier one's
(positive = the gap narrowed or turned into a surplus). The waves are independent samples of
respondents, so each change is tested with Welch's t on the respondents' gaps, with its
Welch–Satterthwaite interval; p-values are adjusted across items and, separately, across
dimensions.

References
----------
Welch, B. L. (1947), Biometrika 34(1/2), 28–35; docs/method.md §6.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from servgap.analysis.engine import AnalysisOptions, analyze_with_scores
from servgap.analysis.gap import item_gaps
from servgap.data.responses import Responses
from servgap.instrument.models import InstrumentConfig
from servgap.results import ChangeRow, WaveComparison
from servgap.stats.adjust import adjust, significant
from servgap.stats.moments import welch_test


def compare_waves(config: InstrumentConfig, before: Responses, after: Responses, before_label: str,
                  after_label: str, confidence: float | None = None, correction: str | None = None) -> WaveComparison:
    """Per item and dimension: the gap in each wave, the change, Welch's t and its adjusted p."""
    confidence = confidence or config.analysis.confidence
    correction = correction or config.analysis.correction.value
    options = AnalysisOptions(confidence=confidence, correction=correction)
    first, first_gaps = analyze_with_scores(config, before, options)
    second, second_gaps = analyze_with_scores(config, after, options)

    before_items, after_items = item_gaps(before), item_gaps(after)
    rows: dict[str, list[tuple[Any, ...]]] = {"item": [], "dimension": []}
    for position, (old, new) in enumerate(zip(first.items, second.items, strict=True)):
        rows["item"].append((old, new, *welch_test(after_items[:, position], before_items[:, position], confidence)))
    for position, (old_dimension, new_dimension) in enumerate(zip(first.dimensions, second.dimensions, strict=True)):
        rows["dimension"].append((old_dimension, new_dimension,
                                  *welch_test(second_gaps[:, position], first_gaps[:, position], confidence)))
    names = {item.id: item.text for _, item in config.items()} | {d.id: d.name for d in config.dimensions}
    result: dict[str, list[ChangeRow]] = {}
    for level, entries in rows.items():
        adjusted = adjust(np.array([entry[3] for entry in entries]), correction)
        result[level] = [
            ChangeRow(level=level, id=old.id, name=names[old.id], before_n=old.n, before=old.gap, after_n=new.n,
                      after=new.gap, change=new.gap - old.gap, change_ci=interval, t=t, p_value=p,
                      p_adjusted=float(adjusted[index]), significant=significant(float(adjusted[index]), confidence))
            for index, (old, new, t, p, interval) in enumerate(entries)
        ]
    return WaveComparison(
        before_label=before_label, after_label=after_label, before_rows=before.rows_read, after_rows=after.rows_read,
        confidence=confidence, correction=correction, overall_before=first.overall.gap,
        overall_after=second.overall.gap,
        items=result["item"], dimensions=result["dimension"],
    )
