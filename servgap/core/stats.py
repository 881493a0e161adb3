"""Statistics of the gap engine, vectorised over respondents with numpy and scipy.stats.

Every function works on whole arrays (respondents in rows) and returns NaN where a statistic is
undefined; renderers turn NaN into ``null``. Definitions follow docs/METHOD.md Part A.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class MeanTest:
    """One-sample summary of a set of columns, column by column (NaN cells ignored).

    Attributes hold one value per column: ``n`` observations, ``mean``, ``sd`` (ddof = 1),
    the t-interval ``ci_low``/``ci_high``, the t statistic against 0 with its two-sided ``p``,
    and the standardised mean ``d_z`` = mean / sd.
    """

    n: NDArray[np.int64]
    mean: FloatArray
    sd: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    t: FloatArray
    p: FloatArray
    d_z: FloatArray


def mean_test(values: FloatArray, confidence: float) -> MeanTest:
    r"""Mean, SD, t-interval, one-sample t-test against 0 and d_z, per column, ignoring NaN.

    For a column with n observed values x (differences P − E, for a paired test):

    .. math::

        \bar x = \frac{1}{n}\sum x_r, \quad s = \sqrt{\frac{\sum (x_r-\bar x)^2}{n-1}}, \quad
        t = \frac{\bar x}{s/\sqrt n}, \quad p = 2\,P(T_{n-1} > |t|),

        \bar x \pm t_{1-(1-c)/2,\,n-1}\, s/\sqrt n, \qquad d_z = \bar x / s .

    A t-test on the differences is the paired t-test of P against E (``scipy.stats.ttest_rel``).

    Parameters
    ----------
    values:
        2-D array, observations in rows, NaN for missing.
    confidence:
        Confidence level of the interval, e.g. 0.95.

    References
    ----------
    Student (1908); Cohen, J. (1988), *Statistical Power Analysis for the Behavioral Sciences*,
    for d_z; docs/METHOD.md A1.
    """
    present = ~np.isnan(values)
    n = present.sum(axis=0)
    filled = np.where(present, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        deviations = np.where(present, values - mean, 0.0)
        variance = (deviations**2).sum(axis=0) / (n - 1)
        sd = np.sqrt(np.where(n > 1, variance, np.nan))
        standard_error = sd / np.sqrt(n)
        dof = np.where(n > 1, n - 1, np.nan)
        critical = stats.t.ppf(1 - (1 - confidence) / 2, dof)
        t = np.where(standard_error > 0, mean / standard_error, np.nan)
        p = 2 * stats.t.sf(np.abs(t), dof)
        d_z = np.where(sd > 0, mean / sd, np.nan)
    mean = np.where(n > 0, mean, np.nan)
    return MeanTest(
        n=n.astype(np.int64),
        mean=mean,
        sd=sd,
        ci_low=mean - critical * standard_error,
        ci_high=mean + critical * standard_error,
        t=t,
        p=p,
        d_z=d_z,
    )


def wilcoxon_p(differences: FloatArray) -> FloatArray:
    """Two-sided Wilcoxon signed-rank p-value per column (NaN ignored; zeros dropped, 'wilcox').

    Uses ``scipy.stats.wilcoxon`` with its default method choice (exact for small samples without
    ties or zeros, normal approximation otherwise). NaN where a column has no non-zero difference.

    References
    ----------
    Wilcoxon, F. (1945), Biometrics Bulletin 1(6), 80–83.
    """
    result = np.full(differences.shape[1], np.nan)
    for column in range(differences.shape[1]):
        observed = differences[:, column]
        observed = observed[~np.isnan(observed)]
        if np.count_nonzero(observed) == 0:
            continue
        result[column] = stats.wilcoxon(observed, zero_method="wilcox").pvalue
    return result


def holm(p_values: FloatArray) -> FloatArray:
    r"""Holm's step-down adjustment (controls the family-wise error rate); NaN entries are skipped.

    With the m defined p-values sorted ascending, :math:`p_{(1)} \le \dots \le p_{(m)}`:

    .. math:: \tilde p_{(j)} = \min\Big(1, \max_{i \le j} (m - i + 1)\, p_{(i)}\Big)

    References
    ----------
    Holm, S. (1979), Scandinavian Journal of Statistics 6(2), 65–70.
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
    """
    adjusted = np.full_like(p_values, np.nan, dtype=float)
    defined = ~np.isnan(p_values)
    if defined.any():
        adjusted[defined] = stats.false_discovery_control(p_values[defined], method="bh")
    return adjusted


def adjust(p_values: FloatArray, method: str) -> FloatArray:
    """Adjust p-values by ``method``: 'holm', 'fdr_bh' or 'none'."""
    if method == "holm":
        return holm(p_values)
    if method == "fdr_bh":
        return benjamini_hochberg(p_values)
    return p_values.astype(float, copy=True)


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of a set of items with its Feldt interval and per-item diagnostics."""

    n: int
    alpha: float
    ci_low: float
    ci_high: float
    alpha_if_deleted: FloatArray
    item_total: FloatArray


def _alpha_of_complete(matrix: FloatArray) -> float:
    n, k = matrix.shape
    if k < 2 or n < 2:
        return float("nan")
    total_variance = matrix.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total_variance))


def cronbach_alpha(matrix: FloatArray, confidence: float = 0.95) -> Reliability:
    r"""Cronbach's alpha over the respondents who answered every item (listwise).

    .. math:: \alpha = \frac{k}{k-1}\Big(1 - \frac{\sum_i s_i^2}{s_X^2}\Big)

    with item variances :math:`s_i^2` and the variance :math:`s_X^2` of the sum score (ddof = 1).
    The Feldt interval is :math:`1 - (1-\alpha)\,F_{1-a/2}` to :math:`1 - (1-\alpha)\,F_{a/2}` with
    F quantiles on (n − 1, (n − 1)(k − 1)) degrees of freedom, a = 1 − confidence.
    Alpha-if-item-deleted is alpha of the other k − 1 items; the corrected item–total correlation is
    Pearson's r between the item and the sum of the other items. Undefined values are NaN
    (fewer than 2 items or respondents, zero variance).

    References
    ----------
    Cronbach, L. J. (1951), Psychometrika 16(3), 297–334. Feldt, L. S., Woodruff, D. J. and Salih,
    F. A. (1987), Applied Psychological Measurement 11(1), 93–103.
    """
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    n, k = complete.shape
    alpha = _alpha_of_complete(complete)
    ci_low = ci_high = float("nan")
    if not np.isnan(alpha):
        dfn, dfd = n - 1, (n - 1) * (k - 1)
        tail = (1 - confidence) / 2
        ci_low = float(1 - (1 - alpha) * stats.f.ppf(1 - tail, dfn, dfd))
        ci_high = float(1 - (1 - alpha) * stats.f.ppf(tail, dfn, dfd))
    if_deleted = np.full(k, np.nan)
    item_total = np.full(k, np.nan)
    if n >= 2 and k >= 2:
        totals = complete.sum(axis=1)
        for item in range(k):
            others = np.delete(complete, item, axis=1)
            if_deleted[item] = _alpha_of_complete(others)
            rest = totals - complete[:, item]
            if complete[:, item].std() > 0 and rest.std() > 0:
                item_total[item] = float(np.corrcoef(complete[:, item], rest)[0, 1])
    return Reliability(n, alpha, ci_low, ci_high, if_deleted, item_total)
