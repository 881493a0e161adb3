"""Cronbach's alpha with its Feldt interval, alpha-if-item-deleted and item–total correlations,
from co-moments that merge block by block."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from servgap.stats.moments import FloatArray


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
            from scipy import special

            dfn, dfd = n - 1, (n - 1) * (k - 1)
            tail = (1 - confidence) / 2
            # The F quantile through scipy.special (as scipy.stats.f computes it).
            ci_low = float(1 - (1 - alpha) * special.fdtri(dfn, dfd, 1 - tail))
            ci_high = float(1 - (1 - alpha) * special.fdtri(dfn, dfd, tail))
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
