"""Tracking: did the gap change between two waves of the same instrument?

For every item and dimension, the change is the later wave's mean gap minus the earlier one's
(positive = the gap narrowed or turned into a surplus). The waves are independent samples of
respondents, so each change is tested with Welch's t on the respondents' gaps, with its
Welch–Satterthwaite interval; p-values are adjusted across items and, separately, across
dimensions.

When respondents recur (a panel: the same id in both waves, ids unique within a wave), the change
is also tested paired: each recurring respondent's later gap minus their earlier one, the paired t
test on those differences (over the respondents with the gap in both waves), adjusted the same
way. Both results are reported, with their counts: the independent-samples one describes the
waves as they are; the paired one is the sharper test of change for the people who stayed.

References
----------
Welch, B. L. (1947), Biometrika 34(1/2), 28–35; Student (1908), Biometrika 6(1), 1–25 (paired t);
docs/method.md §6.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from servgap.analysis.engine import AnalysisOptions, analyze_with_scores
from servgap.analysis.gap import item_gaps
from servgap.data.assembly import id_texts
from servgap.data.responses import Responses
from servgap.instrument.models import InstrumentConfig
from servgap.results import ChangeRow, PairedChange, WaveComparison
from servgap.stats.adjust import adjust, significant
from servgap.stats.exact import RatioMoments
from servgap.stats.moments import Moments, welch_from_summary


def compare_waves(config: InstrumentConfig, before: Responses, after: Responses, before_label: str,
                  after_label: str, confidence: float | None = None, correction: str | None = None) -> WaveComparison:
    """Per item and dimension: the gap in each wave, the change, Welch's t and its adjusted p."""
    confidence = confidence or config.analysis.confidence
    correction = correction or config.analysis.correction.value
    options = AnalysisOptions(confidence=confidence, correction=correction)
    earlier_rows, later_rows = panel_rows(before, after)
    panel = len(earlier_rows) > 0
    # The respondents' gaps are needed only for the paired test of a panel; Welch's test uses the
    # counts, means and SDs each wave's assessment holds.
    first, first_gaps = analyze_with_scores(config, before, options, keep_scores=panel)
    second, second_gaps = analyze_with_scores(config, after, options, keep_scores=panel)

    rows: dict[str, list[tuple[Any, ...]]] = {"item": [], "dimension": []}
    for level, pairs in (("item", zip(first.items, second.items, strict=True)),
                         ("dimension", zip(first.dimensions, second.dimensions, strict=True))):
        for old, new in pairs:
            rows[level].append((old, new, *welch_from_summary(new.n, new.gap, new.gap_sd, old.n, old.gap, old.gap_sd,
                                                              confidence)))
    names = {item.id: item.text for _, item in config.items()} | {d.id: d.name for d in config.dimensions}
    paired: dict[str, list[PairedChange]] = {"item": [], "dimension": []}
    if panel:
        assert first_gaps is not None and second_gaps is not None
        paired = {"item": _paired(_paired_item_moments(before, after, earlier_rows, later_rows), confidence,
                                  correction),
                  "dimension": _paired(Moments(len(first.dimensions)).add(second_gaps[later_rows]
                                                                           - first_gaps[earlier_rows]),
                                       confidence, correction)}
    result: dict[str, list[ChangeRow]] = {}
    for level, entries in rows.items():
        adjusted = adjust(np.array([entry[3] for entry in entries]), correction)
        result[level] = [
            ChangeRow(level=level, id=old.id, name=names[old.id], before_n=old.n, before=old.gap, after_n=new.n,
                      after=new.gap, change=new.gap - old.gap, change_ci=interval, t=t, p_value=p,
                      p_adjusted=float(adjusted[index]), significant=significant(float(adjusted[index]), confidence),
                      paired=paired[level][index] if paired[level] else None)
            for index, (old, new, t, p, interval) in enumerate(entries)
        ]
    return WaveComparison(
        before_label=before_label, after_label=after_label, before_rows=before.rows_read, after_rows=after.rows_read,
        confidence=confidence, correction=correction, overall_before=first.overall.gap,
        overall_after=second.overall.gap,
        items=result["item"], dimensions=result["dimension"], panel_n=len(earlier_rows),
    )


def panel_rows(before: Responses, after: Responses) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the respondents present in both waves (matched by id), in the later wave's
    order; empty when either wave numbers its rows instead of naming respondents.

    The ids are matched by pyarrow's hash join (``index_in``), not a Python dict: a million ids per
    wave take a few hundredths of a second.

    Examples
    --------
    >>> from types import SimpleNamespace as Wave
    >>> earlier, later = panel_rows(Wave(ids_from_rows=False, respondent_ids=["a", "b", "c"]),
    ...                             Wave(ids_from_rows=False, respondent_ids=["c", "x", "a"]))
    >>> earlier.tolist(), later.tolist()
    ([2, 0], [0, 2])
    """
    import pyarrow.compute as pc

    nothing = np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    if before.ids_from_rows or after.ids_from_rows:
        return nothing
    positions = pc.index_in(id_texts(after.respondent_ids), value_set=id_texts(before.respondent_ids))
    found = positions.is_valid()
    later = np.flatnonzero(np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool))
    if not len(later):
        return nothing
    earlier = np.asarray(positions.drop_null().to_numpy(zero_copy_only=False), dtype=np.int64)
    return earlier, later.astype(np.int64)


def _paired_item_moments(before: Responses, after: Responses, earlier_rows: np.ndarray, later_rows: np.ndarray,
                         rows: int = 65_536) -> Moments:
    """The moments of the recurring respondents' item-gap changes, later − earlier (whole numbers,
    summed exactly), formed a block of the panel at a time."""
    changes = RatioMoments(len(before.item_ids))
    ones = np.ones(len(before.item_ids), dtype=np.int64)
    for start in range(0, len(later_rows), rows):
        part = slice(start, start + rows)
        difference = item_gaps(after, rows=later_rows[part]) - item_gaps(before, rows=earlier_rows[part])
        present = ~np.isnan(difference)
        changes.add(np.where(present, difference, 0.0), ones, present)
    return changes.moments()


def _paired(changes: Moments, confidence: float, correction: str) -> list[PairedChange]:
    """Paired t tests of each column of later − earlier gaps, from their moments."""
    test = changes.summary(confidence)
    adjusted = adjust(test.p, correction)
    return [PairedChange(n=int(test.n[k]), change=float(test.mean[k]),
                         change_ci=(float(test.ci_low[k]), float(test.ci_high[k])), t=float(test.t[k]),
                         p_value=float(test.p[k]), p_adjusted=float(adjusted[k]),
                         significant=significant(float(adjusted[k]), confidence))
            for k in range(len(test.n))]
