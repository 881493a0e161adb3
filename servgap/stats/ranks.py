"""Rank tests: the Wilcoxon signed-rank test of paired differences, with the method chosen explicitly, and
the Kruskal–Wallis test of several independent samples."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from servgap.stats.moments import FloatArray

#: Below this many non-zero differences, without ties or zeros, the exact distribution is used.
EXACT_BELOW = 50
#: How the p-value is computed, for reports and the JSON (the same rule as R's ``wilcox.test``).
WILCOXON_METHOD = ("exact distribution when there are fewer than 50 non-zero differences and no ties or zeros; "
                   "otherwise the normal approximation with tie-corrected variance and continuity correction; "
                   "zero differences dropped (as R's wilcox.test defaults)")


def wilcoxon_exact(differences: FloatArray) -> bool:
    """Whether the exact null distribution applies: fewer than 50 non-zero differences, no zeros, no ties.

    Examples
    --------
    >>> import numpy as np
    >>> wilcoxon_exact(np.array([-3.0, -1.0, 2.0, -4.0])), wilcoxon_exact(np.array([-1.0, -1.0, 2.0]))
    (True, False)
    """
    nonzero = differences[differences != 0]
    magnitudes = np.abs(nonzero)
    return bool(len(nonzero) == len(differences) and len(nonzero) < EXACT_BELOW
                and len(np.unique(magnitudes)) == len(magnitudes))


def wilcoxon_p(differences: FloatArray) -> FloatArray:
    r"""Two-sided Wilcoxon signed-rank p-value per column (NaN ignored, zero differences dropped).

    The method is chosen here, not left to the installed scipy (whose default changed between
    versions): the exact null distribution of :math:`V = \sum_{d_r > 0} \operatorname{rank}|d_r|`
    when :func:`wilcoxon_exact` holds, else the normal approximation

    .. math:: z = \frac{V - n(n+1)/4 \mp \tfrac12}{\sqrt{n(n+1)(2n+1)/24 - \sum_j (t_j^3 - t_j)/48}}

    with :math:`t_j` the sizes of the groups of tied |d| — the defaults of R's ``wilcox.test``
    (``exact = NULL``, ``correct = TRUE``). NaN where a column has no non-zero difference.

    References
    ----------
    Wilcoxon, F. (1945), Biometrics Bulletin 1(6), 80–83; Hollander, M. and Wolfe, D. A. (1999),
    *Nonparametric Statistical Methods*, 2nd ed., §3.1 (ties and the continuity correction).

    Examples
    --------
    No ties: five negative differences and one positive, the smallest. V = 1, and of the 2⁶ equally
    likely sign patterns 4 have V ≤ 1 or V ≥ 20, so p = 4/64:

    >>> import numpy as np
    >>> float(wilcoxon_p(np.array([[-2.0], [-3.0], [-4.0], [-5.0], [-6.0], [1.0]]))[0])
    0.0625

    Ties (item R1 of docs/method.md §7): V = 0, n = 6, tie groups of 3 and 3, so
    z = (0 − 10.5 + 0.5)/√(22.75 − 1) = −2.1442 and p = 0.0320:

    >>> round(float(wilcoxon_p(np.array([[-2.0], [-1.0], [-2.0], [-1.0], [-2.0], [-1.0]]))[0]), 4)
    0.032
    """
    from scipy import stats  # only when a rank test is asked for: scipy.stats is slow to import

    result = np.full(differences.shape[1], np.nan)
    for column in range(differences.shape[1]):
        observed = differences[:, column]
        observed = observed[~np.isnan(observed)]
        if np.count_nonzero(observed) == 0:
            continue
        exact = wilcoxon_exact(observed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy's notes on sample size are the reason for the choice above
            result[column] = stats.wilcoxon(observed, zero_method="wilcox", correction=not exact,
                                            method="exact" if exact else "approx").pvalue
    return result


def kruskal_wallis(samples: list[FloatArray]) -> tuple[float, float]:
    r"""The Kruskal–Wallis H test of k independent samples: H corrected for ties, and its p-value.

    With N values ranked together (ties given their average rank), :math:`R_i` the rank sum and
    :math:`n_i` the size of sample i, and :math:`t_j` the sizes of the groups of tied values:

    .. math:: H = \frac{\frac{12}{N(N+1)} \sum_i \frac{R_i^2}{n_i} - 3(N+1)}
                       {1 - \sum_j (t_j^3 - t_j) / (N^3 - N)}, \qquad p = P(\chi^2_{k-1} > H)

    as ``scipy.stats.kruskal`` computes it (the chi-square tail through ``scipy.special.chdtrc``,
    which keeps scipy.stats off the default path). H is NaN when every value is the same.

    References
    ----------
    Kruskal, W. H. and Wallis, W. A. (1952), JASA 47(260), 583–621.

    Examples
    --------
    Samples (1, 2), (3, 4) and (5, 6): rank sums 3, 7, 11, so H = 12/42 · (4.5 + 24.5 + 60.5) − 21
    = 4.5714 on 2 degrees of freedom, p = e^(−H/2) = 0.1017.

    >>> import numpy as np
    >>> h, p = kruskal_wallis([np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([5.0, 6.0])])
    >>> round(h, 4), round(p, 4)
    (4.5714, 0.1017)
    """
    from scipy import special

    values = np.concatenate(samples)
    total = len(values)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    # The average rank of each distinct value: the ranks before it, plus the middle of its own.
    below = np.cumsum(counts) - counts
    ranks = (below + (counts + 1) / 2)[inverse]
    bounds = np.cumsum([0, *[len(sample) for sample in samples]])
    statistic = 12 / (total * (total + 1)) * sum(
        ranks[start:stop].sum() ** 2 / (stop - start) for start, stop in itertools.pairwise(bounds)
    ) - 3 * (total + 1)
    ties = 1 - float((counts.astype(float) ** 3 - counts).sum()) / (total**3 - total)
    if ties == 0:
        return math.nan, math.nan
    statistic /= ties
    return float(statistic), float(special.chdtrc(len(samples) - 1, statistic))
