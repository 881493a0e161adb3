"""Statistics of the gap engine, vectorised over respondents with numpy and scipy.stats.

Every function works on whole arrays (respondents in rows) and returns NaN where a statistic is
undefined; renderers turn NaN into ``null``. Definitions follow docs/method.md.
"""

from __future__ import annotations

import math
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


class Moments:
    """Count, mean and sum of squared deviations per column, mergeable chunk by chunk.

    Chunks are combined with Chan, Golub and LeVeque's pairwise update, so that a file of any size
    is summarised in cache-sized pieces with the accuracy of a two-pass computation.

    References
    ----------
    Chan, T. F., Golub, G. H. and LeVeque, R. J. (1983), The American Statistician 37(3), 242–247.

    Examples
    --------
    Two blocks merge to the moments of the whole column (numpy's two-pass variance):

    >>> import numpy as np
    >>> values = np.array([[-2.0], [-1.0], [-2.0], [-1.0], [-2.0], [-1.0]])
    >>> merged = Moments(1).add(values[:4]).add(values[4:])
    >>> float(merged.mean[0]), bool(np.isclose(merged.m2[0] / 5, values[:, 0].var(ddof=1)))
    (-1.5, True)
    """

    def __init__(self, width: int) -> None:
        self.n = np.zeros(width, dtype=np.int64)
        self.mean = np.zeros(width)
        self.m2 = np.zeros(width)

    def add(self, values: FloatArray) -> Moments:
        """Fold a block (rows × columns, NaN = missing) into the running moments."""
        present = ~np.isnan(values)
        return self.add_present(np.where(present, values, 0.0), present)

    def add_present(self, zeroed: FloatArray, present: np.ndarray) -> Moments:
        """Fold a block given as values with missing cells set to 0, and the mask of present cells."""
        n_block = present.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_block = zeroed.sum(axis=0) / n_block
            deviations = (zeroed - np.where(n_block > 0, mean_block, 0.0)) * present
        m2_block = np.einsum("ij,ij->j", deviations, deviations)
        total = self.n + n_block
        has_block = n_block > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.where(has_block, mean_block - self.mean, 0.0)
            share = np.where(total > 0, n_block / np.maximum(total, 1), 0.0)
        self.mean = self.mean + delta * share
        self.m2 = self.m2 + np.where(has_block, m2_block, 0.0) + delta**2 * self.n * share
        self.n = total
        return self

    def summary(self, confidence: float) -> MeanTest:
        r"""Mean, SD, t-interval, one-sample t-test against 0 and d_z, per column.

        For a column with n observed values x (differences P − E, for a paired test):

        .. math::

            \bar x = \frac{1}{n}\sum x_r, \quad s = \sqrt{\frac{\sum (x_r-\bar x)^2}{n-1}}, \quad
            t = \frac{\bar x}{s/\sqrt n}, \quad p = 2\,P(T_{n-1} > |t|),

            \bar x \pm t_{1-(1-c)/2,\,n-1}\, s/\sqrt n, \qquad d_z = \bar x / s .

        A t-test on the differences is the paired t-test of P against E (``scipy.stats.ttest_rel``).

        References
        ----------
        Student (1908); Cohen, J. (1988), *Statistical Power Analysis for the Behavioral Sciences*,
        for d_z; docs/method.md §1.

        Examples
        --------
        Item R1 of the worked fixture (docs/method.md §7): P − E = −2, −1, −2, −1, −2, −1, so the mean
        is −1.5, s = √0.3, t = −1.5 / (√0.3 / √6) = −6.7082; p agrees with scipy's one-sample t test.

        >>> import numpy as np
        >>> from scipy import stats
        >>> gaps = np.array([[-2.0], [-1.0], [-2.0], [-1.0], [-2.0], [-1.0]])
        >>> result = Moments(1).add(gaps).summary(0.95)
        >>> round(float(result.t[0]), 4), round(float(result.d_z[0]), 4)
        (-6.7082, -2.7386)
        >>> bool(np.isclose(result.p[0], stats.ttest_1samp(gaps[:, 0], 0.0).pvalue, rtol=1e-12))
        True
        >>> low, high = stats.t.interval(0.95, 5, loc=-1.5, scale=stats.sem(gaps[:, 0]))
        >>> bool(np.isclose(result.ci_low[0], low) and np.isclose(result.ci_high[0], high))
        True
        """
        n = self.n
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(n > 0, self.mean, np.nan)
            sd = np.sqrt(np.where(n > 1, self.m2 / (n - 1), np.nan))
            standard_error = sd / np.sqrt(n)
            dof = np.where(n > 1, n - 1, np.nan)
            critical = stats.t.ppf(1 - (1 - confidence) / 2, dof)
            t = np.where(standard_error > 0, mean / standard_error, np.nan)
            p = 2 * stats.t.sf(np.abs(t), dof)
            d_z = np.where(sd > 0, mean / sd, np.nan)
        return MeanTest(n=n.copy(), mean=mean, sd=sd, ci_low=mean - critical * standard_error,
                        ci_high=mean + critical * standard_error, t=t, p=p, d_z=d_z)


def mean_test(values: FloatArray, confidence: float) -> MeanTest:
    """:meth:`Moments.summary` of a whole array (columns are variables, NaN ignored).

    Examples
    --------
    >>> import numpy as np
    >>> result = mean_test(np.array([[1.0, 2.0], [3.0, np.nan], [5.0, 4.0]]), 0.95)
    >>> result.n.tolist(), result.mean.tolist()
    ([3, 2], [3.0, 3.0])
    """
    return Moments(values.shape[1]).add(values).summary(confidence)


def wilcoxon_p(differences: FloatArray) -> FloatArray:
    """Two-sided Wilcoxon signed-rank p-value per column (NaN ignored; zeros dropped, 'wilcox').

    Uses ``scipy.stats.wilcoxon`` with its default method choice (exact for small samples without
    ties or zeros, normal approximation otherwise). NaN where a column has no non-zero difference.

    References
    ----------
    Wilcoxon, F. (1945), Biometrics Bulletin 1(6), 80–83.

    Examples
    --------
    Six negative differences: every sign pattern is equally likely under H0, and only "all
    negative" and "all positive" are as extreme, so p = 2 / 2⁶ = 0.03125.

    >>> import numpy as np
    >>> float(wilcoxon_p(np.array([[-2.0], [-1.0], [-2.0], [-1.0], [-2.0], [-1.0]]))[0])
    0.03125
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


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of a set of items with its Feldt interval and per-item diagnostics."""

    n: int
    alpha: float
    ci_low: float
    ci_high: float
    alpha_if_deleted: FloatArray
    item_total: FloatArray


def _alpha_from_covariance(item_variance_sum: FloatArray | float, total_variance: FloatArray | float,
                           k: int) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - np.asarray(item_variance_sum) / np.asarray(total_variance))
    return np.where(np.asarray(total_variance) > 0, alpha, np.nan)


class CoMoments:
    """Listwise-complete count, means and co-moment matrix of a set of items, mergeable by chunk.

    Rows with any missing item are skipped (listwise deletion, as reliability analysis requires).
    Chunks merge with the pairwise update C = C_a + C_b + δδᵀ·n_a·n_b/n (Chan et al. 1983).

    Examples
    --------
    >>> import numpy as np
    >>> data = np.array([[1.0, 2.0], [2.0, 1.0], [4.0, 5.0], [3.0, 3.0]])
    >>> merged = CoMoments(2).add(data[:1]).add(data[1:])
    >>> bool(np.allclose(merged.comoment / 3, np.cov(data, rowvar=False)))
    True
    """

    def __init__(self, width: int) -> None:
        self.n = 0
        self.mean = np.zeros(width)
        self.comoment = np.zeros((width, width))

    def add(self, block: FloatArray) -> CoMoments:
        """Fold the complete rows of a block (rows × items, NaN = missing) in."""
        missing = np.isnan(block)
        complete = np.asarray(~missing.any(axis=1))
        return self.add_rows(np.where(missing, 0.0, block), complete)

    def add_rows(self, zeroed: FloatArray, complete: np.ndarray) -> CoMoments:
        """Fold in the rows marked ``complete`` of a block whose missing cells are set to 0."""
        n_block = int(complete.sum())
        if n_block == 0:
            return self
        weights = complete.astype(float)
        # Sums and cross-products through BLAS, the incomplete rows weighted out. For values on a
        # rating scale and blocks of thousands of rows, centring afterwards loses nothing measurable.
        sums = weights @ zeroed
        mean_block = sums / n_block
        comoment_block = zeroed.T @ (zeroed * weights[:, None]) - np.outer(sums, mean_block)
        total = self.n + n_block
        delta = mean_block - self.mean
        self.comoment = self.comoment + comoment_block + np.outer(delta, delta) * (self.n * n_block / total)
        self.mean = self.mean + delta * (n_block / total)
        self.n = total
        return self

    def reliability(self, confidence: float = 0.95) -> Reliability:
        r"""Cronbach's alpha of the items, with its Feldt interval and per-item diagnostics.

        .. math:: \alpha = \frac{k}{k-1}\Big(1 - \frac{\sum_i s_i^2}{s_X^2}\Big)

        with item variances :math:`s_i^2` and the variance :math:`s_X^2` of the sum score (ddof = 1).
        The Feldt interval is :math:`1 - (1-\alpha)\,F_{1-a/2}` to :math:`1 - (1-\alpha)\,F_{a/2}`
        with F quantiles on (n − 1, (n − 1)(k − 1)) degrees of freedom, a = 1 − confidence.
        Alpha-if-item-deleted is alpha of the other k − 1 items; the corrected item–total
        correlation is Pearson's r between the item and the sum of the other items. All come from
        the covariance matrix C: the sum score's variance is ΣC, the rest score's (without item i)
        ΣC − 2ΣC_i· + C_ii, and cov(item i, rest) = ΣC_i· − C_ii. Undefined values are NaN (fewer
        than 2 items or respondents, zero variance).

        References
        ----------
        Cronbach, L. J. (1951), Psychometrika 16(3), 297–334. Feldt, L. S., Woodruff, D. J. and
        Salih, F. A. (1987), Applied Psychological Measurement 11(1), 93–103.

        Examples
        --------
        The perceptions of the REL items in the worked fixture (docs/method.md §7): item variances
        0.5667, 0.6667, 0.5667 and a sum-score variance 1.8667 give α = 3/2 · (1 − 1.8/1.8667) = 0.0536.

        >>> import numpy as np
        >>> p = np.array([[5, 6, 5], [6, 4, 6], [4, 5, 5], [6, 6, 5], [5, 5, 4], [5, 6, 6]], dtype=float)
        >>> result = CoMoments(3).add(p).reliability()
        >>> round(result.alpha, 4), [round(v, 4) for v in result.alpha_if_deleted.tolist()]
        (0.0536, [-0.2424, 0.4545, -0.2424])
        >>> [round(v, 4) for v in result.item_total.tolist()]
        [0.1267, -0.1348, 0.1267]
        """
        n, k = self.n, self.mean.size
        alpha = ci_low = ci_high = float("nan")
        if_deleted = np.full(k, np.nan)
        item_total = np.full(k, np.nan)
        if n < 2 or k < 2:
            return Reliability(n, alpha, ci_low, ci_high, if_deleted, item_total)
        covariance = self.comoment / (n - 1)
        variances = np.diag(covariance)
        row_sums = covariance.sum(axis=1)
        total = covariance.sum()
        alpha = float(_alpha_from_covariance(variances.sum(), total, k))
        if not np.isnan(alpha):
            dfn, dfd = n - 1, (n - 1) * (k - 1)
            tail = (1 - confidence) / 2
            ci_low = float(1 - (1 - alpha) * stats.f.ppf(1 - tail, dfn, dfd))
            ci_high = float(1 - (1 - alpha) * stats.f.ppf(tail, dfn, dfd))
        rest_variance = total - 2 * row_sums + variances
        if k > 2:
            if_deleted = _alpha_from_covariance(variances.sum() - variances, rest_variance, k - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            denominator = np.sqrt(variances * rest_variance)
            item_total = np.where(denominator > 1e-12 * max(total, 1e-300), (row_sums - variances) / denominator,
                                  np.nan)
        return Reliability(n, alpha, ci_low, ci_high, if_deleted, item_total)


def cronbach_alpha(matrix: FloatArray, confidence: float = 0.95) -> Reliability:
    """:meth:`CoMoments.reliability` of a whole respondents × items array (listwise complete).

    Examples
    --------
    Two identical items are perfectly reliable; a row with a missing item is left out:

    >>> import numpy as np
    >>> result = cronbach_alpha(np.array([[1.0, 1.0], [2.0, 2.0], [4.0, 4.0], [3.0, np.nan]]))
    >>> result.n, round(result.alpha, 12)
    (3, 1.0)
    """
    return CoMoments(matrix.shape[1]).add(matrix).reliability(confidence)
