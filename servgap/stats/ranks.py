"""Rank tests: the Wilcoxon signed-rank test of paired differences."""

from __future__ import annotations

import numpy as np
from scipy import stats

from servgap.stats.moments import FloatArray


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
