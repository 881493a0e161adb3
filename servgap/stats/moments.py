"""Means, SDs, t tests and intervals of columns, accumulated block by block.

Every function works on whole arrays (respondents in rows) and returns NaN where a statistic is
undefined; renderers turn NaN into ``null``. Definitions follow docs/method.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

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


def student_p(dof: Any, t: Any) -> Any:
    """Two-sided p of Student's t on ``dof`` degrees of freedom, 2·P(T > |t|), through
    scipy.special (as scipy.stats.t computes it, without importing scipy.stats: 0.8 s).

    >>> from scipy import stats  # item R1 of the worked fixture: t = −6.7082 on 5 degrees of freedom
    >>> bool(abs(float(student_p(5, -6.7082)) - 2 * stats.t.sf(6.7082, 5)) < 1e-15)
    True
    """
    from scipy import special  # here, not at the top: readers use this module's types before scipy is needed

    return 2 * special.stdtr(dof, -np.abs(t))


def student_critical(dof: Any, confidence: float) -> Any:
    """The two-sided critical value t_{1−(1−c)/2, dof} of a ``confidence`` interval.

    >>> round(float(student_critical(4, 0.95)), 5)
    2.77645
    """
    from scipy import special

    return special.stdtrit(dof, 1 - (1 - confidence) / 2)


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

    @classmethod
    def of(cls, n: NDArray[np.int64], mean: FloatArray, m2: FloatArray) -> Moments:
        """Moments with the given counts, means and sums of squared deviations."""
        moments = cls(n.size)
        moments.n, moments.mean, moments.m2 = n, mean, m2
        return moments

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
            critical = student_critical(dof, confidence)
            t = np.where(standard_error > 0, mean / standard_error, np.nan)
            p = student_p(dof, t)
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


def welch_test(after: FloatArray, before: FloatArray, confidence: float) -> tuple[float, float, tuple[float, float]]:
    r"""Welch's two-sample t test of ``after`` against ``before`` (NaN ignored): t, two-sided p, and the
    interval of the difference of means; :func:`welch_from_summary` of the two samples' n, mean and SD.

    Examples
    --------
    Means 3 and 1, variances 1 and 1, n 3 and 3: t = 2 / √(2/3) = 2.4495 on ν = 4.

    >>> import numpy as np
    >>> t, p, (low, high) = welch_test(np.array([2.0, 3.0, 4.0]), np.array([0.0, 1.0, 2.0, np.nan]), 0.95)
    >>> round(t, 4), round(p, 4)
    (2.4495, 0.0705)
    >>> round(low, 4), round(high, 4)  # 2 ± t(0.975; 4) · √(2/3) = 2 ± 2.26696
    (-0.267, 4.267)
    """
    after, before = after[~np.isnan(after)], before[~np.isnan(before)]
    if len(after) < 2 or len(before) < 2:
        return math.nan, math.nan, (math.nan, math.nan)
    return welch_from_summary(len(after), float(after.mean()), float(after.std(ddof=1)),
                              len(before), float(before.mean()), float(before.std(ddof=1)), confidence)


def welch_from_summary(n_after: int, mean_after: float, sd_after: float, n_before: int, mean_before: float,
                       sd_before: float, confidence: float) -> tuple[float, float, tuple[float, float]]:
    r"""Welch's t test of two independent samples from their counts, means and SDs (ddof = 1): t,
    two-sided p, and the interval of the difference of means (after − before).

    .. math:: t = \frac{\bar a - \bar b}{\sqrt{s_a^2/n_a + s_b^2/n_b}}, \qquad
              \nu = \frac{(s_a^2/n_a + s_b^2/n_b)^2}{\frac{(s_a^2/n_a)^2}{n_a - 1} + \frac{(s_b^2/n_b)^2}{n_b - 1}}

    (Welch–Satterthwaite degrees of freedom), as ``scipy.stats.ttest_ind(equal_var=False)`` computes
    them, including its conventions when both samples are constant (ν = 1, t = ±∞ or NaN, an
    interval of width 0). NaN when a sample has fewer than 2 values. The summaries are what the
    assessment of each wave already holds, so two waves are compared without their raw gaps.

    References
    ----------
    Welch, B. L. (1947), Biometrika 34(1/2), 28–35; Satterthwaite, F. E. (1946), Biometrics Bulletin 2(6).

    Examples
    --------
    >>> t, p, (low, high) = welch_from_summary(3, 3.0, 1.0, 3, 1.0, 1.0, 0.95)
    >>> round(t, 4), round(p, 4), round(low, 4), round(high, 4)
    (2.4495, 0.0705, -0.267, 4.267)
    """

    if n_after < 2 or n_before < 2 or math.isnan(sd_after) or math.isnan(sd_before):
        return math.nan, math.nan, (math.nan, math.nan)
    share_after, share_before = sd_after**2 / n_after, sd_before**2 / n_before
    total = share_after + share_before
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.float64(total**2) / np.float64(share_after**2 / (n_after - 1) + share_before**2 / (n_before - 1))
        dof = 1.0 if np.isnan(ratio) else float(ratio)  # both samples constant: scipy's convention
        difference = mean_after - mean_before
        standard_error = math.sqrt(total)
        t = float(np.float64(difference) / np.float64(standard_error))
    p = float(student_p(dof, t))  # NaN for a NaN t
    critical = float(student_critical(dof, confidence))
    return t, p, (difference - critical * standard_error, difference + critical * standard_error)
