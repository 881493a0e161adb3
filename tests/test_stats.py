"""Statistics against published values, hand-worked values and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from servgap.stats.adjust import benjamini_hochberg, holm
from servgap.stats.moments import mean_test
from servgap.stats.ranks import wilcoxon_p
from servgap.stats.reliability import cronbach_alpha
from tests.helpers import r_wilcoxon_p

# pingouin's reference data set for Cronbach's alpha (15 respondents × 10 items), from
# pingouin/datasets/cronbach_alpha.csv in raphaelvallat/pingouin (GPL-3), re-keyed here as a wide
# matrix (rows: respondents 0–14; columns: Q1–Q10). pingouin documents alpha = 0.591719 with the
# Feldt 95% interval [0.195, 0.840].
PINGOUIN_ALPHA = np.array([
    [3, 2, 4, 1, 4, 5, 1, 4, 3, 2],
    [5, 4, 6, 3, 5, 1, 2, 5, 5, 5],
    [7, 3, 5, 5, 6, 4, 3, 3, 6, 5],
    [2, 4, 3, 3, 2, 2, 2, 6, 6, 3],
    [6, 5, 6, 5, 4, 4, 4, 6, 7, 5],
    [1, 2, 3, 4, 2, 5, 2, 3, 5, 2],
    [4, 3, 5, 3, 5, 2, 1, 2, 4, 3],
    [2, 4, 4, 3, 7, 2, 2, 4, 6, 5],
    [6, 5, 5, 5, 1, 6, 5, 2, 3, 2],
    [5, 4, 6, 4, 3, 5, 3, 1, 7, 2],
    [4, 3, 5, 2, 5, 3, 2, 3, 4, 1],
    [4, 2, 3, 2, 5, 3, 4, 2, 3, 4],
    [5, 5, 6, 2, 3, 3, 2, 4, 4, 5],
    [6, 5, 5, 4, 2, 2, 1, 4, 6, 5],
    [4, 3, 5, 5, 3, 1, 3, 2, 3, 4],
], dtype=float)

# docs/method.md §7: perceptions of the REL items R1–R3 for respondents r1–r6.
P_REL = np.array([[5, 6, 5], [6, 4, 6], [4, 5, 5], [6, 6, 5], [5, 5, 4], [5, 6, 6]], dtype=float)
G_REL = P_REL - np.array([[7, 7, 6], [7, 6, 7], [6, 6, 7], [7, 7, 7], [7, 7, 6], [6, 7, 6]], dtype=float)


def test_alpha_matches_pingouin_reference() -> None:
    result = cronbach_alpha(PINGOUIN_ALPHA)
    assert result.n == 15
    assert result.alpha == pytest.approx(0.591719, abs=5e-7)
    assert (round(result.ci_low, 3), round(result.ci_high, 3)) == (0.195, 0.840)


def test_alpha_mini_fixture_including_negative_values() -> None:
    perception = cronbach_alpha(P_REL)
    assert perception.alpha == pytest.approx(0.0536, abs=5e-5)
    assert cronbach_alpha(G_REL).alpha == pytest.approx(0.4528, abs=5e-5)
    assert perception.alpha_if_deleted == pytest.approx([-0.2424, 0.4545, -0.2424], abs=5e-5)
    assert perception.item_total == pytest.approx([0.1267, -0.1348, 0.1267], abs=5e-5)


def test_alpha_is_listwise_and_undefined_when_it_must_be() -> None:
    with_gap = PINGOUIN_ALPHA.copy()
    with_gap[0, 0] = np.nan
    assert cronbach_alpha(with_gap).n == 14
    assert cronbach_alpha(with_gap).alpha == pytest.approx(cronbach_alpha(PINGOUIN_ALPHA[1:]).alpha)
    assert np.isnan(cronbach_alpha(PINGOUIN_ALPHA[:, :1]).alpha)  # one item
    assert np.isnan(cronbach_alpha(PINGOUIN_ALPHA[:1]).alpha)  # one respondent
    assert np.isnan(cronbach_alpha(np.ones((5, 3))).alpha)  # no variance


def test_mean_test_matches_scipy_with_missing_values() -> None:
    rng = np.random.default_rng(3)
    values = rng.normal(-0.4, 1.1, (40, 4))
    values[rng.random(values.shape) < 0.15] = np.nan
    result = mean_test(values, 0.9)
    for column in range(4):
        observed = values[~np.isnan(values[:, column]), column]
        reference = stats.ttest_1samp(observed, 0.0)
        low, high = stats.t.interval(0.9, len(observed) - 1, loc=observed.mean(), scale=stats.sem(observed))
        assert result.n[column] == len(observed)
        assert result.t[column] == pytest.approx(reference.statistic, rel=1e-12)
        assert result.p[column] == pytest.approx(reference.pvalue, rel=1e-10)
        assert (result.ci_low[column], result.ci_high[column]) == pytest.approx((low, high), rel=1e-12)
        assert result.d_z[column] == pytest.approx(observed.mean() / observed.std(ddof=1), rel=1e-12)


def test_mean_test_undefined_cases_are_nan() -> None:
    result = mean_test(np.array([[1.0, np.nan, 2.0], [1.0, np.nan, 2.0]]), 0.95)
    assert list(result.n) == [2, 0, 2]
    assert np.isnan(result.t[0])  # zero variance
    assert np.isnan(result.mean[1])


def test_holm_hand_worked() -> None:
    # sorted p 0.01, 0.02, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.04, 0.06, 0.06, 0.04 → monotone 0.04, 0.06, 0.06, 0.06
    adjusted = holm(np.array([0.03, 0.01, np.nan, 0.04, 0.02]))
    assert adjusted[[1, 4, 0, 3]] == pytest.approx([0.04, 0.06, 0.06, 0.06])
    assert np.isnan(adjusted[2])
    assert holm(np.array([0.5, 0.9])) == pytest.approx([1.0, 1.0])


def test_benjamini_hochberg_hand_worked() -> None:
    # p sorted 0.01, 0.02, 0.03, 0.04 with m = 4: p·m/rank = 0.04, 0.04, 0.04, 0.04
    adjusted = benjamini_hochberg(np.array([0.04, 0.01, 0.03, 0.02]))
    assert adjusted == pytest.approx([0.04, 0.04, 0.04, 0.04])


def test_wilcoxon_matches_the_fixture() -> None:
    gaps = np.array([
        [-1, 0, -2, -1, -1], [-1, -1, -1, -2, -1], [0, -1, -2, -1, -2],
        [0, -1, -1, -1, -2], [-2, -1, -2, -2, -2], [0, 0, -1, -1, 0],
    ], dtype=float)
    # Every column has ties or zeros: the normal approximation of R's wilcox.test, written out in helpers.
    expected = [r_wilcoxon_p(gaps[:, column]) for column in range(gaps.shape[1])]
    assert wilcoxon_p(gaps) == pytest.approx(expected, abs=1e-12)
    assert expected[2] == pytest.approx(0.0320, abs=5e-5)  # R1, worked out in the docstring


@pytest.mark.parametrize("seed", range(6))
def test_wilcoxon_follows_rs_defaults_exact_and_approximate(seed: int) -> None:
    rng = np.random.default_rng(seed)
    untied = rng.permutation(np.arange(1, 13)) * rng.choice([-1, 1], 12) + rng.normal(0, 0.01, 12)
    tied = rng.integers(-3, 3, 9).astype(float)
    for sample in (untied, tied):
        if np.count_nonzero(sample):
            assert wilcoxon_p(sample[:, None])[0] == pytest.approx(r_wilcoxon_p(sample), abs=1e-12)


def test_adjust_applies_the_method_it_is_named() -> None:
    from servgap.stats.adjust import adjust

    p = np.array([0.01, 0.04, 0.03, np.nan])
    # Holm by hand: sorted 0.01, 0.03, 0.04 scaled by 3, 2, 1 → 0.03, 0.06, 0.04 → running max 0.06.
    assert adjust(p, "holm")[:3].tolist() == pytest.approx([0.03, 0.06, 0.06])
    # Benjamini–Hochberg by hand: 0.03, 0.045, 0.04 → running min from the top → 0.04, 0.04.
    assert adjust(p, "fdr_bh")[:3].tolist() == pytest.approx([0.03, 0.04, 0.04])
    assert adjust(p, "none")[:3].tolist() == pytest.approx([0.01, 0.04, 0.03])
    for method in ("holm", "fdr_bh", "none"):
        assert np.isnan(adjust(p, method)[3])
    unchanged = np.array([0.2])
    adjust(unchanged, "none")[0] = 0.9
    assert unchanged[0] == 0.2  # a copy: the caller's p-values are never changed


def test_a_single_p_value_is_its_own_adjustment() -> None:
    from servgap.stats.adjust import benjamini_hochberg, holm

    assert holm(np.array([0.03])).tolist() == [0.03]
    assert benjamini_hochberg(np.array([0.03])).tolist() == [0.03]
    assert np.isnan(holm(np.array([np.nan]))).all()


def test_significance_is_strictly_below_one_minus_confidence() -> None:
    from servgap.stats.adjust import significant

    assert significant(0.0499, 0.95) and not significant(0.05, 0.95) and not significant(0.0501, 0.95)
    assert significant(0.0999, 0.9) and not significant(0.1, 0.9)
    assert not significant(float("nan"), 0.95) and not significant(float("inf"), 0.95)


@pytest.mark.parametrize("differences", [
    [1.0, 2.0, -3.0, 4.0, 5.0, -6.0],            # distinct, one of them 1: exact
    [0.0, 0.0, 0.0, 2.0],                          # one non-zero difference among zeros: approximate
    [1.0, 0.0, -2.0, 3.0, 4.0, -5.0, 6.0, 7.0],    # a zero: approximate, as R
])
def test_wilcoxon_edge_cases_follow_r(differences: list[float]) -> None:
    assert wilcoxon_p(np.array(differences)[:, None])[0] == pytest.approx(r_wilcoxon_p(np.array(differences)),
                                                                           rel=1e-12)


def test_wilcoxon_switches_to_the_approximation_at_fifty_differences() -> None:
    for n in (49, 50):
        differences = np.arange(1.0, n + 1) * np.where(np.arange(n) % 3 == 0, -1.0, 1.0)
        exact = stats.wilcoxon(differences, method="exact").pvalue
        approximate = stats.wilcoxon(differences, method="approx", correction=True).pvalue
        expected = exact if n < 50 else approximate
        assert wilcoxon_p(differences[:, None])[0] == pytest.approx(expected, rel=1e-12)
        assert exact != pytest.approx(approximate, rel=1e-6)  # the two methods tell apart here


def test_an_all_zero_column_leaves_the_others_alone() -> None:
    columns = np.array([[0.0, -2.0, 1.0], [0.0, -3.0, 2.0], [0.0, -1.0, 3.0], [0.0, 4.0, 5.0]])
    result = wilcoxon_p(columns)
    assert np.isnan(result[0])
    assert result[1:].tolist() == pytest.approx([r_wilcoxon_p(columns[:, 1]), r_wilcoxon_p(columns[:, 2])],
                                                rel=1e-12)


def test_alpha_of_two_respondents_and_the_fields_of_an_undefined_alpha() -> None:
    two = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 6.0]])
    # Two respondents are enough: k/(k−1) · (1 − Σ s²_i / s²_total) = 1.5 · (1 − (2 + 4.5 + 2) / 24.5).
    assert cronbach_alpha(two).alpha == pytest.approx(1.5 * (1 - 8.5 / 24.5), rel=1e-12)
    one_item = cronbach_alpha(PINGOUIN_ALPHA[:, :1])
    assert one_item.n == len(PINGOUIN_ALPHA)
    assert np.isnan(one_item.ci_low) and np.isnan(one_item.ci_high)


def test_an_item_without_variance_gets_no_item_total_and_no_warning() -> None:
    from servgap.stats.reliability import CoMoments

    ratings = np.array([[5.0, 6.0, 5.0], [5.0, 4.0, 6.0], [5.0, 5.0, 5.0], [5.0, 6.0, 4.0]])
    result = CoMoments(3).add(ratings).reliability()  # item 1 never varies; RuntimeWarnings fail this test
    assert np.isnan(result.item_total[0])
    assert np.isfinite(result.item_total[1:]).all()


def test_mean_test_of_two_values_and_of_a_constant_difference() -> None:
    result = mean_test(np.array([[1.0, 2.0], [3.0, 2.0]]), 0.95)
    reference = stats.ttest_1samp([1.0, 3.0], 0.0)
    assert result.sd[0] == pytest.approx(np.sqrt(2.0)) and result.p[0] == pytest.approx(reference.pvalue)
    low, high = stats.t.interval(0.95, 1, loc=2.0, scale=1.0)
    assert (result.ci_low[0], result.ci_high[0]) == (pytest.approx(low), pytest.approx(high))
    # A constant, non-zero difference: sd 0, so t and d_z are undefined (not infinite).
    assert np.isnan(result.t[1]) and np.isnan(result.d_z[1]) and result.mean[1] == 2.0


def test_kruskal_wallis_agrees_with_scipy_on_ties_and_sizes() -> None:
    from scipy import stats as scipy_stats

    from servgap.stats.ranks import kruskal_wallis

    generator = np.random.default_rng(5)
    for groups in (2, 3, 6):
        for scale in (3, 50):  # heavy ties, and few
            samples = [generator.integers(0, scale, generator.integers(2, 40)) / 4 for _ in range(groups)]
            expected = scipy_stats.kruskal(*samples)
            statistic, p = kruskal_wallis(samples)
            assert statistic == pytest.approx(expected.statistic, rel=1e-12)
            assert p == pytest.approx(expected.pvalue, rel=1e-10, abs=1e-300)
    statistic, p = kruskal_wallis([np.array([2.0, 2.0]), np.array([2.0, 2.0, 2.0])])  # all equal: undefined
    assert np.isnan(statistic) and np.isnan(p)


@pytest.mark.parametrize(("after", "before"), [
    (np.random.default_rng(1).normal(0.3, 1.0, 40), np.random.default_rng(2).normal(0.0, 2.0, 25)),
    (np.array([-1.0, -0.5, -0.5, 0.0, 1.5]), np.array([-2.0, -1.0, -1.0])),
    (np.array([1.0, 1.0]), np.array([2.0, 2.0])),  # both constant, different means
    (np.array([1.0, 1.0]), np.array([1.0, 1.0])),  # both constant, equal
    (np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])),  # one constant
])
def test_welch_from_summaries_agrees_with_scipy(after: np.ndarray, before: np.ndarray) -> None:
    import warnings

    from servgap.stats.moments import welch_from_summary, welch_test

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = stats.ttest_ind(after, before, equal_var=False)
        interval = expected.confidence_interval(0.9)
    summary = welch_from_summary(len(after), after.mean(), after.std(ddof=1), len(before), before.mean(),
                                 before.std(ddof=1), 0.9)
    for t, p, (low, high) in (summary, welch_test(after, before, 0.9)):
        assert t == pytest.approx(expected.statistic, rel=1e-12, nan_ok=True)
        assert p == pytest.approx(expected.pvalue, rel=1e-12, abs=1e-300, nan_ok=True)
        assert (low, high) == pytest.approx((interval.low, interval.high), rel=1e-12)


def test_welch_needs_two_values_on_each_side() -> None:
    import warnings

    from servgap.stats.moments import welch_from_summary, welch_test

    for arguments in ((1, 2.0, float("nan"), 5, 1.0, 1.0), (1, 2.0, 0.0, 5, 1.0, 1.0), (5, 1.0, 1.0, 1, 2.0, 0.0)):
        t, p, (low, high) = welch_from_summary(*arguments, 0.95)
        assert all(np.isnan(value) for value in (t, p, low, high))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a sample of one is refused before numpy would warn
        t, p, _ = welch_test(np.array([1.0]), np.array([1.0, 2.0, 3.0]), 0.95)
    assert np.isnan(t) and np.isnan(p)


def test_moments_of_a_column_absent_from_a_block() -> None:
    from servgap.stats.moments import Moments

    # a first block where the column has no value, then two values: mean 1.5, M2 0.5
    merged = Moments(1).add(np.array([[np.nan]])).add(np.array([[1.0], [2.0]]))
    assert merged.n.tolist() == [2] and merged.mean.tolist() == [1.5] and merged.m2.tolist() == [0.5]
