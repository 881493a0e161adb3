"""Exact sums of whole-number answers: checked against rational arithmetic done value by value (the
deviation form, not the power sums the accumulators keep), against numpy, and through the engine."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from servgap.stats.exact import RatioMoments, WholeCoMoments, column_sums


def _exact_mean_and_m2(values: list[Fraction]) -> tuple[Fraction, Fraction]:
    """Mean and Σ(x − mean)², two passes in rational arithmetic."""
    mean = sum(values, Fraction(0)) / len(values)
    return mean, sum(((value - mean) ** 2 for value in values), Fraction(0))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ratio_moments_are_the_nearest_floats_to_the_exact_values(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns, largest = 500, 3, 5
    numerators = rng.integers(-30, 31, size=(rows, columns)).astype(float)
    denominators = rng.integers(1, largest + 1, size=(rows, columns))
    counted = rng.random((rows, columns)) > 0.2
    sums = RatioMoments(columns, largest)
    for start in range(0, rows, 77):  # blocks of uneven size
        block = slice(start, start + 77)
        sums.add(numerators[block], denominators[block], counted[block])
    moments = sums.moments()
    for column in range(columns):
        values = [Fraction(int(s), int(c)) for s, c, keep in
                  zip(numerators[:, column], denominators[:, column], counted[:, column], strict=True) if keep]
        mean, m2 = _exact_mean_and_m2(values)
        assert int(moments.n[column]) == len(values)
        assert float(moments.mean[column]) == float(mean)  # the nearest float, not approximately
        assert float(moments.m2[column]) == float(m2)
        floats = np.array([float(value) for value in values])
        assert moments.m2[column] / (len(values) - 1) == pytest.approx(np.var(floats, ddof=1), rel=1e-12)


def test_ratio_moments_with_one_denominator_per_column_and_without_squares() -> None:
    block = np.array([[3.0, -2.0], [5.0, 4.0], [1.0, 0.0]])
    sums = RatioMoments(2, largest_denominator=4).add(block, np.array([3, 4]))
    moments = sums.moments()
    assert moments.n.tolist() == [3, 3]
    assert moments.mean.tolist() == [float(Fraction(9, 9)), float(Fraction(2, 12))]  # (3+5+1)/3/3, (−2+4+0)/4/3
    means_only = RatioMoments(2, 4, with_squares=False).add(block, np.array([3, 4]))
    assert means_only.means().tolist() == moments.mean.tolist() and np.isnan(means_only.moments().m2).all()
    empty = RatioMoments(1)
    assert np.isnan(empty.means()[0]) and empty.counts().tolist() == [0]


def test_exact_sums_do_not_drift_where_floating_sums_do() -> None:
    # 0.1 is not a float: a million respondents whose gap is 1/10 (one item of ten answered lower)
    # average to exactly 0.1 in the exact sums; adding the float 0.1 a million times does not.
    rows = 1_000_000
    sums = RatioMoments(1, largest_denominator=10).add(np.ones((rows, 1)), np.array([10]))
    assert float(sums.moments().mean[0]) == 0.1
    assert sum([0.1] * rows) / rows != 0.1


def test_whole_comoments_equal_the_rational_covariance() -> None:
    rng = np.random.default_rng(7)
    data = rng.integers(1, 8, size=(300, 4)).astype(float)
    complete = rng.random(300) > 0.1
    sums = WholeCoMoments(4)
    for start in range(0, 300, 64):
        sums.add(data[start:start + 64], complete[start:start + 64])
    comoments = sums.comoments()
    kept = data[complete]
    n = len(kept)
    for i in range(4):
        mean_i = Fraction(int(kept[:, i].sum()), n)
        assert comoments.mean[i] == float(mean_i)
        for j in range(4):
            mean_j = Fraction(int(kept[:, j].sum()), n)
            exact = sum((Fraction(int(a)) - mean_i) * (Fraction(int(b)) - mean_j) for a, b in kept[:, [i, j]])
            assert comoments.comoment[i, j] == float(exact)
    assert comoments.comoment / (n - 1) == pytest.approx(np.cov(kept, rowvar=False), rel=1e-12)
    assert WholeCoMoments(2).comoments().n == 0


def test_column_sums_are_exact_for_whole_numbers() -> None:
    values = np.random.default_rng(3).integers(-50, 50, size=(10_000, 6)).astype(float)
    assert column_sums(values).tolist() == values.astype(np.int64).sum(axis=0).astype(float).tolist()


def test_engine_dimension_means_are_exact_with_blanks(tmp_path) -> None:
    """Through the public API: with blanks, respondents average different numbers of items, and the
    dimension's E, P and gap means equal the rational means of the respondents' scores."""
    import servgap
    from tests.conftest import FIXTURES

    rng = np.random.default_rng(11)
    rows = 400
    frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(rows)]})
    items = ["T1", "T2", "R1", "R2", "R3"]
    for facet in ("E", "P"):
        for item in items:
            column = rng.integers(1, 8, size=rows).astype(float)
            column[rng.random(rows) < 0.15] = np.nan
            frame[f"{facet}_{item}"] = column
    frame[["W_TAN", "W_REL"]] = 50
    result = servgap.analyze(frame, FIXTURES / "mini.yaml")
    for dimension, members, need in (("TAN", ["T1", "T2"], 1), ("REL", ["R1", "R2", "R3"], 2)):
        gaps, expectations = [], []
        for _, row in frame.iterrows():
            pairs = [(row[f"E_{i}"], row[f"P_{i}"]) for i in members
                     if not (np.isnan(row[f"E_{i}"]) or np.isnan(row[f"P_{i}"]))]
            if len(pairs) >= need:
                gaps.append(Fraction(int(sum(p - e for e, p in pairs)), len(pairs)))
                expectations.append(Fraction(int(sum(e for e, _ in pairs)), len(pairs)))
        found = {d.id: d for d in result.dimensions}[dimension]
        mean, m2 = _exact_mean_and_m2(gaps)
        assert found.n == len(gaps)
        assert found.gap == float(mean)
        assert found.expectation == float(sum(expectations, Fraction(0)) / len(expectations))
        assert found.gap_sd == pytest.approx(math.sqrt(float(m2) / (len(gaps) - 1)), rel=1e-15)
