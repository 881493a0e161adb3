"""Multiple-comparison adjustment of p-values, and the one significance rule every output uses."""

from __future__ import annotations

import math

import numpy as np

from servgap.stats.moments import FloatArray


def holm(p_values: FloatArray) -> FloatArray:
    r"""Holm's step-down adjustment (controls the family-wise error rate); NaN entries are skipped.

    With the m defined p-values sorted ascending, :math:`p_{(1)} \le \dots \le p_{(m)}`:

    .. math:: \tilde p_{(j)} = \min\Big(1, \max_{i \le j} (m - i + 1)\, p_{(i)}\Big)

    References
    ----------
    Holm, S. (1979), Scandinavian Journal of Statistics 6(2), 65–70.

    Examples
    --------
    Sorted 0.01, 0.03, 0.04 are scaled by 3, 2, 1 to 0.03, 0.06, 0.04; the running maximum makes
    the last 0.06:

    >>> import numpy as np
    >>> holm(np.array([0.01, 0.04, 0.03, np.nan])).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    adjusted = np.full_like(p_values, np.nan, dtype=float)
    defined = ~np.isnan(p_values)
    values = p_values[defined]
    m = values.size
    if m == 0:
        return adjusted
    order = np.argsort(values, kind="stable")
    scaled = (m - np.arange(m)) * values[order]
    stepped = np.minimum(1.0, np.maximum.accumulate(scaled))
    result = np.empty(m)
    result[order] = stepped
    adjusted[defined] = result
    return adjusted


def benjamini_hochberg(p_values: FloatArray) -> FloatArray:
    """Benjamini–Hochberg adjustment (controls the false discovery rate); NaN entries are skipped.

    Delegates to ``scipy.stats.false_discovery_control(method='bh')``.

    References
    ----------
    Benjamini, Y. and Hochberg, Y. (1995), JRSS B 57(1), 289–300.

    Examples
    --------
    Sorted 0.01, 0.03, 0.04 are scaled by m/j to 0.03, 0.045, 0.04; the running minimum from the
    top makes the second 0.04:

    >>> import numpy as np
    >>> [round(value, 10) for value in benjamini_hochberg(np.array([0.01, 0.04, 0.03])).tolist()]
    [0.03, 0.04, 0.04]
    """
    adjusted = np.full_like(p_values, np.nan, dtype=float)
    defined = ~np.isnan(p_values)
    if defined.any():
        from scipy import stats  # only for this correction: scipy.stats is slow to import

        adjusted[defined] = stats.false_discovery_control(p_values[defined], method="bh")
    return adjusted


def adjust(p_values: FloatArray, method: str) -> FloatArray:
    """Adjust p-values by ``method``: 'holm' (:func:`holm`), 'fdr_bh' (:func:`benjamini_hochberg`) or
    'none' (a copy, unchanged).

    Examples
    --------
    >>> import numpy as np
    >>> adjust(np.array([0.01, 0.04]), "none").tolist(), adjust(np.array([0.01, 0.04]), "holm").tolist()
    ([0.01, 0.04], [0.02, 0.04])
    """
    if method == "holm":
        return holm(p_values)
    if method == "fdr_bh":
        return benjamini_hochberg(p_values)
    return p_values.astype(float, copy=True)


def significant(p_adjusted: float, confidence: float) -> bool:
    """Whether an adjusted p-value is significant at ``confidence``: ``p_adjusted < 1 − confidence``.

    The one rule every output's stars and flags come from; an undefined p (NaN) is never significant.

    Examples
    --------
    >>> significant(0.049, 0.95), significant(0.05, 0.95), significant(float("nan"), 0.95)
    (True, False, False)
    """
    # 1 − 0.95 is 0.050000000000000044 in binary floating point: rounded, a p of exactly 0.05 is
    # not significant at 95%, as a reader expects.
    return bool(math.isfinite(p_adjusted) and p_adjusted < round(1.0 - confidence, 12))
