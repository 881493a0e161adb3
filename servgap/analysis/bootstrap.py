"""Bootstrap intervals and rank stability: respondents resampled with replacement.

Each resample draws n respondents with replacement (seeded, recorded) and recomputes the dimension
gaps (means of the respondents' dimension gaps), the overall gap (mean of the dimension gaps) and
the item gaps, keeping each respondent's E and P together. Percentile intervals are reported; rank
stability is the share of resamples in which an item stays in the checklist's top N.

A resample is represented by how often each respondent was drawn, so one resample costs two
matrix–vector products over the data, not a copy of it.

References
----------
Efron, B. and Tibshirani, R. J. (1993), *An Introduction to the Bootstrap*, ch. 13 (percentile
intervals); docs/method.md §6.
"""

from __future__ import annotations

import numpy as np

from servgap.analysis.gap import item_gaps
from servgap.analysis.importance import item_importance, priorities
from servgap.data.responses import Responses
from servgap.results import Assessment, BootstrapResult
from servgap.stats.moments import FloatArray


def default_resamples(respondents: int) -> int:
    """A sensible number of resamples: many for small studies, fewer where intervals are tight anyway."""
    if respondents <= 10_000:
        return 2_000
    if respondents <= 100_000:
        return 1_000
    return 200


#: Resamples drawn together: their counts form one matrix, so the data is read once per batch.
BATCH = 16


def resampled_means(values: FloatArray, resamples: int, seed: int) -> FloatArray:
    """Column means (NaN ignored) of ``resamples`` bootstrap resamples of the rows: resamples × columns.

    Resample b draws ``rows`` row indices with replacement (``rng.integers``, in order); a row drawn c
    times counts c times, so the resampled mean is (c · x) / (c · present).

    References
    ----------
    Efron, B. and Tibshirani, R. J. (1993), *An Introduction to the Bootstrap*, Chapman & Hall.

    Examples
    --------
    The same draws as an explicit loop over ``rng.integers``:

    >>> import numpy as np
    >>> values = np.array([[1.0], [2.0], [np.nan], [4.0]])
    >>> rng = np.random.default_rng(7)
    >>> loop = [np.nanmean(values[rng.integers(0, 4, 4), 0]) for _ in range(3)]
    >>> bool(np.allclose(resampled_means(values, 3, 7)[:, 0], loop, equal_nan=True))
    True
    """
    return _resampled_means(values.copy(), resamples, seed)


def _resampled_means(values: FloatArray, resamples: int, seed: int) -> FloatArray:
    """:func:`resampled_means`, setting the missing values of ``values`` to 0 in place. Columns with
    a missing value get a 1/0 presence column, whose drawn count divides; a column without one needs
    none: its drawn count is always ``rows``, the size of the resample."""
    rng = np.random.default_rng(seed)
    rows, columns = values.shape
    missing = np.isnan(values)
    incomplete = np.flatnonzero(missing.any(axis=0))
    presence = (~missing[:, incomplete]).astype(float)
    values[missing] = 0.0
    del missing
    out = np.empty((resamples, columns))
    for start in range(0, resamples, BATCH):
        batch = range(start, min(start + BATCH, resamples))
        counts = np.empty((len(batch), rows))
        for row, _ in enumerate(batch):
            counts[row] = np.bincount(rng.integers(0, rows, rows), minlength=rows)
        drawn = np.full((len(batch), columns), float(rows))
        if len(incomplete):
            drawn[:, incomplete] = counts @ presence
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:start + len(batch)] = (counts @ values) / drawn
    return out


def bootstrap(assessment: Assessment, responses: Responses, respondent_scores: FloatArray, resamples: int, seed: int,
              top: int = 5, method: str = "importance_gap") -> BootstrapResult:
    """Percentile intervals of the dimension and overall scores (the gaps, or the MSA for zone-of-tolerance
    data without expectations: ``respondent_scores`` holds whichever the segments compare), and the rank
    stability of the checklist's top ``top`` items."""
    # Items and dimensions share the same draws, so that every resample is one coherent sample.
    dimensions, items = len(assessment.dimensions), len(assessment.items)
    columns = dimensions + items
    # One array for the scores and the item gaps, filled in place and resampled.
    values = np.empty((responses.rows_read, columns))
    values[:, :dimensions] = respondent_scores
    item_gaps(responses, out=values[:, dimensions:])
    means = _resampled_means(values, resamples, seed)
    del values
    dimension_means, item_means = means[:, :dimensions], means[:, dimensions:]
    overall = dimension_means.mean(axis=1)
    with np.errstate(invalid="ignore"):
        # The full-sample scores the intervals are about (equal to the dimension gaps, or MSAs).
        present = ~np.isnan(respondent_scores)
        estimate = np.where(present, respondent_scores, 0.0).sum(axis=0) / present.sum(axis=0)
    tail = (1 - assessment.confidence) / 2 * 100

    def interval(samples: FloatArray) -> tuple[float, float]:
        finite = samples[np.isfinite(samples)]
        if finite.size == 0:
            return (float("nan"), float("nan"))
        low, high = np.percentile(finite, [tail, 100 - tail])
        return (float(low), float(high))

    # Rank stability follows the checklist's own ranking; the other methods rank by zone or quadrant,
    # which a resample of gaps alone does not decide, so their stability is not defined here.
    ranked = method in ("gap", "importance_gap")
    priority = priorities(method if ranked else "importance_gap", item_importance(assessment)[None, :], item_means)
    order = np.argsort(-priority, axis=1, kind="stable")[:, :top]
    # Only items with a shortfall in that resample count as being on the checklist.
    counted = np.take_along_axis(priority, order, axis=1) > 0
    in_top = np.zeros(len(assessment.items))
    for column in range(order.shape[1]):
        in_top += np.bincount(order[:, column], weights=counted[:, column], minlength=len(assessment.items))
    return BootstrapResult(
        resamples=resamples, seed=seed, confidence=assessment.confidence,
        dimensions={d.id: interval(dimension_means[:, i]) for i, d in enumerate(assessment.dimensions)},
        overall=interval(overall), top=top, measure=assessment.segment_measure,
        estimates={d.id: float(estimate[i]) for i, d in enumerate(assessment.dimensions)},
        rank_stability={item.id: float(in_top[i] / resamples) if ranked else None
                        for i, item in enumerate(assessment.items)},
    )
