"""Exact sums of whole-number answers, accumulated block by block and rounded once at the end.

Survey answers are whole scale points, so a respondent's item gap P − E is a whole number and a
dimension score is a whole number divided by the count of items it averages. Sums of whole
numbers are exact in floating point as long as they stay below 2**53, which a block of
respondents always does; across blocks they are kept as 64-bit integers. The mean and the sum of
squared deviations are then formed from those exact sums with rational arithmetic and rounded to
the nearest float once, so the statistics do not depend on the block size, the order of the
respondents, or how a file was split (Chan, Golub and LeVeque's pairwise update, which
:class:`~servgap.stats.moments.Moments` uses for values that are not whole numbers, is exact only
up to rounding).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from servgap.stats.moments import FloatArray, Moments
from servgap.stats.reliability import CoMoments

IntArray = NDArray[np.int64]


def whole(sums: np.ndarray) -> IntArray:
    """Block sums of whole numbers (exact in float64) as integers."""
    return np.rint(sums).astype(np.int64)


def column_sums(values: FloatArray) -> FloatArray:
    """Σ over rows per column, as a product with a vector of ones: BLAS adds a narrow row-major
    block several times faster than ``sum(axis=0)``, and sums of whole numbers are exact in any order.

    >>> import numpy as np
    >>> column_sums(np.array([[1.0, -2.0], [3.0, 4.0]])).tolist()
    [4.0, 2.0]
    """
    return np.ones(values.shape[0]) @ values


class RatioMoments:
    r"""Count, mean and sum of squared deviations of values :math:`x_r = s_r / c_r` per column, where
    :math:`s_r` is a whole number and :math:`c_r \in \{1, …, C\}` a whole denominator, kept exactly.

    Per column and denominator c the accumulator holds :math:`n_c`, :math:`\sum s` and
    :math:`\sum s^2`; then

    .. math:: \sum x = \sum_c \frac{\sum s}{c}, \quad \sum x^2 = \sum_c \frac{\sum s^2}{c^2}, \quad
              \bar x = \frac{\sum x}{n}, \quad M_2 = \sum x^2 - \frac{(\sum x)^2}{n}

    in rational arithmetic, each rounded once. Item gaps have c = 1; a respondent's dimension gap
    is the sum of their item gaps over the c items answered on both facets.

    Examples
    --------
    Dimension gaps −1/2, −2/2, −1/2 (two items) and −1/1 (one item): mean −0.75, M₂ = 4 · 0.25² = 0.25.

    >>> import numpy as np
    >>> sums = RatioMoments(1, largest_denominator=2)
    >>> _ = sums.add(np.array([[-1.0], [-2.0], [-1.0]]), np.array([2]))
    >>> _ = sums.add(np.array([[-1.0]]), np.array([[1]]))
    >>> moments = sums.moments()
    >>> int(moments.n[0]), float(moments.mean[0]), float(moments.m2[0])
    (4, -0.75, 0.25)
    """

    def __init__(self, width: int, largest_denominator: int = 1, with_squares: bool = True) -> None:
        #: whether Σs² is kept (without it, only the counts and means are meaningful)
        self.with_squares = with_squares
        shape = (width, largest_denominator + 1)
        self.n = np.zeros(shape, dtype=np.int64)
        self.total = np.zeros(shape, dtype=np.int64)
        self.squares = np.zeros(shape, dtype=np.int64)

    def add(self, numerators: FloatArray, denominators: NDArray[np.integer], counted: np.ndarray | None = None
            ) -> RatioMoments:
        """Fold in a block of numerators (rows × columns, whole numbers as floats).

        ``denominators`` is one per column (every row shares it) or one per cell; ``counted`` marks
        the cells to include (None: all). Numerators of cells left out must be 0 when the
        denominators are one per column.
        """
        width = numerators.shape[1]
        if denominators.ndim == 1:
            columns = np.arange(width)
            count = numerators.shape[0] if counted is None else counted.sum(axis=0)
            self.n[columns, denominators] += count
            self.total[columns, denominators] += whole(column_sums(numerators))
            if self.with_squares:
                self.squares[columns, denominators] += whole(column_sums(numerators * numerators))
            return self
        # One count per (column, denominator) cell, all columns at once; cells left out go to a last,
        # discarded bin.
        bins = self.n.shape[1]
        cells = width * bins
        codes = np.arange(width) * bins + denominators
        if counted is not None:
            codes = np.where(counted, codes, cells)
        codes, values = codes.ravel(), numerators.ravel()
        self.n += np.bincount(codes, minlength=cells + 1)[:cells].reshape(width, bins)
        self.total += whole(np.bincount(codes, weights=values, minlength=cells + 1)[:cells]).reshape(width, bins)
        if self.with_squares:
            self.squares += whole(np.bincount(codes, weights=values * values, minlength=cells + 1)[:cells]
                                  ).reshape(width, bins)
        return self

    def counts(self) -> IntArray:
        """The number of values per column."""
        return self.n.sum(axis=1)

    def means(self) -> FloatArray:
        """The exact mean per column rounded once; NaN where a column has no values."""
        moments = self.moments()
        return np.where(moments.n > 0, moments.mean, np.nan)

    def moments(self) -> Moments:
        """The count, the mean and M₂ per column, each the nearest float to the exact value."""
        width = self.n.shape[0]
        n, mean, m2 = np.zeros(width, dtype=np.int64), np.zeros(width), np.zeros(width)
        for column in range(width):
            total, squares = Fraction(0), Fraction(0)
            for denominator in np.flatnonzero(self.n[column]).tolist():
                total += Fraction(int(self.total[column, denominator]), denominator)
                squares += Fraction(int(self.squares[column, denominator]), denominator * denominator)
            count = int(self.n[column].sum())
            if count:
                n[column], mean[column], m2[column] = count, float(total / count), \
                    float(squares - total**2 / count) if self.with_squares else np.nan
        return Moments.of(n, mean, m2)


class WholeCoMoments:
    r"""Listwise-complete count, sums and cross-products of whole-number items, kept exactly.

    .. math:: C_{ij} = \sum_r x_{ri} x_{rj} - \frac{\sum_r x_{ri} \sum_r x_{rj}}{n}

    formed in rational arithmetic and rounded once, so Cronbach's alpha and its diagnostics come
    from the exact covariance matrix.

    Examples
    --------
    >>> import numpy as np
    >>> data = np.array([[1.0, 2.0], [2.0, 1.0], [4.0, 5.0], [3.0, 3.0]])
    >>> sums = WholeCoMoments(2).add(data[:1]).add(data[1:], np.array([True, True, True]))
    >>> sums.comoments().comoment.tolist()  # Σx₁² = 30, Σx₂² = 39, Σx₁x₂ = 33; Σx = 10, 11; n = 4
    [[5.0, 5.5], [5.5, 8.75]]
    """

    def __init__(self, width: int) -> None:
        self.n = 0
        self.total = np.zeros(width, dtype=np.int64)
        self.products = np.zeros((width, width), dtype=np.int64)

    def add(self, block: FloatArray, complete: np.ndarray | None = None) -> WholeCoMoments:
        """Fold in the rows of a block (rows × items, whole numbers) marked ``complete`` (None: all)."""
        rows = block if complete is None else block[complete]
        if rows.shape[0]:
            self.n += rows.shape[0]
            self.total += whole(column_sums(rows))
            self.products += whole(rows.T @ rows)
        return self

    def comoments(self) -> CoMoments:
        """The co-moments as :class:`CoMoments` (means and co-moment matrix rounded once)."""
        width = self.total.size
        result = CoMoments(width)
        if not self.n:
            return result
        totals = [int(value) for value in self.total.tolist()]
        products = self.products.tolist()
        result.n = self.n
        result.mean = np.array([float(Fraction(total, self.n)) for total in totals])
        result.comoment = np.array([[float(products[i][j] - Fraction(totals[i] * totals[j], self.n))
                                     for j in range(width)] for i in range(width)])
        return result
