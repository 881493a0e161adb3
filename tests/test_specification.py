"""Reported numbers under every option, each against an independent computation (scipy, by hand)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import servgap
from tests.conftest import FIXTURES
from tests.helpers import r_wilcoxon_p

FRAME = pd.read_csv(FIXTURES / "mini.csv")
ITEMS = ["T1", "T2", "R1", "R2", "R3"]


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down, written out: p_(j) · (m − j + 1), running maximum, capped at 1."""
    order = np.argsort(p)
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg, written out: p_(j) · m / j, running minimum from the largest, capped at 1."""
    order = np.argsort(p)[::-1]
    m = len(p)
    adjusted = np.empty(m)
    running = 1.0
    for position, index in enumerate(order):
        running = min(running, p[index] * m / (m - position))
        adjusted[index] = running
    return adjusted


ADJUST = {"holm": holm, "fdr_bh": benjamini_hochberg, "none": lambda p: p}


@pytest.mark.parametrize("test", ["ttest", "wilcoxon", "both"])
@pytest.mark.parametrize("correction", ["holm", "fdr_bh", "none"])
def test_item_p_values_for_every_test_and_correction(test: str, correction: str) -> None:
    result = servgap.analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml", test=test, correction=correction)
    items = {item.id: item for item in result.items}
    t_p = np.array([stats.ttest_rel(FRAME[f"P_{i}"], FRAME[f"E_{i}"]).pvalue for i in ITEMS])
    w_p = np.array([r_wilcoxon_p((FRAME[f"P_{i}"] - FRAME[f"E_{i}"]).to_numpy(float)) for i in ITEMS])
    driver = w_p if test == "wilcoxon" else t_p  # with "both", the t test drives significance
    expected = ADJUST[correction](driver)
    for position, item_id in enumerate(ITEMS):
        item = items[item_id]
        assert item.p_value == pytest.approx(driver[position], abs=1e-12)
        assert item.p_adjusted == pytest.approx(expected[position], abs=1e-12)
        assert item.significant == (expected[position] < 0.05)
        if test == "ttest":
            assert item.wilcoxon_p is None
        else:
            assert item.wilcoxon_p == pytest.approx(w_p[position], abs=1e-12)
    assert result.to_dict()["options"]["correction"] == correction


@pytest.mark.parametrize("correction", ["holm", "fdr_bh", "none"])
def test_dimension_p_values_are_adjusted_across_dimensions(correction: str) -> None:
    result = servgap.analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml", correction=correction)
    tan = ((FRAME[["P_T1", "P_T2"]].to_numpy() - FRAME[["E_T1", "E_T2"]].to_numpy()).mean(axis=1))
    rel = ((FRAME[["P_R1", "P_R2", "P_R3"]].to_numpy() - FRAME[["E_R1", "E_R2", "E_R3"]].to_numpy()).mean(axis=1))
    p = np.array([stats.ttest_1samp(tan, 0).pvalue, stats.ttest_1samp(rel, 0).pvalue])
    assert [d.p_adjusted for d in result.dimensions] == pytest.approx(ADJUST[correction](p).tolist(), abs=1e-12)


def alpha(matrix: np.ndarray) -> float:
    """Cronbach's alpha from its definition (listwise complete rows)."""
    matrix = matrix[~np.isnan(matrix).any(axis=1)]
    k = matrix.shape[1]
    return k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))


def test_the_gap_alpha_is_listwise_and_small_variances_are_not_undefined(tmp_path: Path) -> None:
    frame = FRAME.astype(object).copy()
    frame.loc[2, "P_R2"] = ""  # r3 misses one REL perception: out of the REL gap alpha, listwise
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    result = servgap.analyze(path, FIXTURES / "mini.yaml")
    rel = {d.id: d for d in result.dimensions}["REL"]
    p = frame[["P_R1", "P_R2", "P_R3"]].replace("", np.nan).to_numpy(float)
    e = frame[["E_R1", "E_R2", "E_R3"]].to_numpy(float)
    assert rel.alpha["gap"].n == 5
    assert rel.alpha["gap"].alpha == pytest.approx(alpha(p - e), abs=1e-12)
    assert rel.alpha["perception"].alpha == pytest.approx(alpha(p), abs=1e-12)



def test_alpha_does_not_depend_on_the_unit_of_the_ratings() -> None:
    from servgap.stats.reliability import cronbach_alpha

    p = FRAME[["P_R1", "P_R2", "P_R3"]].to_numpy(float)
    small = p / 10  # a sum-score variance far below 1
    assert small.sum(axis=1).var(ddof=1) < 1
    assert cronbach_alpha(small).alpha == pytest.approx(cronbach_alpha(p).alpha, abs=1e-12)
    assert cronbach_alpha(small).alpha == pytest.approx(alpha(small), abs=1e-12)


def test_straight_lining_needs_four_identical_answers(tmp_path: Path) -> None:
    frame = FRAME.copy()
    for column in frame.columns[1:11]:
        frame.loc[0, column] = 5  # r1: ten identical answers
    for column in frame.columns[1:11]:
        frame[column] = frame[column].astype(object)
    for column in frame.columns[4:11]:
        frame.loc[1, column] = ""  # r2: three answers left
    for column in frame.columns[1:4]:
        frame.loc[1, column] = 4
    for column in frame.columns[5:11]:
        frame.loc[2, column] = ""  # r3: exactly four answers left, all 6: the least that counts
    for column in [*frame.columns[1:5]]:
        frame.loc[2, column] = 6
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    assert servgap.analyze(path, FIXTURES / "mini.yaml").data_quality.straight_liners == 2


@pytest.mark.parametrize(("offset", "enters"), [(-0.5, False), (0.2, True)])
def test_a_management_gap_enters_the_checklist_only_with_a_shortfall(tmp_path: Path, offset: float,
                                                                      enters: bool) -> None:
    # Promises set at each item's audited mean + offset: gap 4 (D − C) is −offset on every item, so
    # +0.5 (delivery beyond the promise: no action) or −0.2 (a shortfall: an action). No staff data,
    # so no risk can bring the gap in either.
    audits = pd.read_csv(FIXTURES / "audits.csv")
    promised = {item: round(float(audits[f"AUD_{item}"].mean()) + offset, 6) for item in ITEMS}
    text = (FIXTURES / "mini-management.yaml").read_text()
    start = text.index("  promises:\n")
    end = text.index("  factors:\n")
    text = text[:start] + "  promises:\n" + "".join(f"    {item}: {level}\n" for item, level in promised.items()) \
        + text[end:]
    config = tmp_path / "c.yaml"
    config.write_text(text)
    result = servgap.analyze(FIXTURES / "mini.csv", config, audits=FIXTURES / "audits.csv")
    gap4 = next(gap for gap in result.management.gaps if gap.gap == 4)
    assert gap4.value == pytest.approx(-offset, abs=1e-6)
    refs = [entry.ref for entry in result.checklist.entries if entry.kind == "management_gap"]
    assert ("gap4" in refs) is enters


@pytest.mark.parametrize(("priority", "order", "first_priority"), [
    # Fixed weights TAN 90 / REL 10 (points columns dropped). importance × shortfall: T1, T2 0.9 × 2/3
    # = 0.6 (T2 first: adjusted p 0.050 < 0.102), R1 0.1 × 1.5 = 0.15, R2 and R3 0.1 × 4/3.
    ("importance_gap", ["T2", "T1", "R1", "R2", "R3"], 0.6),
    # The plain shortfall: R1 1.5, R2 and R3 4/3 (R2's adjusted p is smaller), T2 and T1 2/3.
    ("gap", ["R1", "R2", "R3", "T2", "T1"], 1.5),
])
def test_the_checklist_order_under_each_priority_method(tmp_path: Path, priority: str, order: list[str],
                                                         first_priority: float) -> None:
    path = tmp_path / "d.csv"
    FRAME.drop(columns=["W_TAN", "W_REL"]).to_csv(path, index=False)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text()
                      + f"importance:\n  weights:\n    TAN: 90\n    REL: 10\nanalysis:\n  priority: {priority}\n")
    checklist = servgap.analyze(path, config).checklist
    assert checklist.method == priority
    assert [entry.ref for entry in checklist.entries] == order
    assert checklist.entries[0].priority == pytest.approx(first_priority, abs=1e-12)


def test_points_tolerance_leaves_out_allocations_far_from_100(tmp_path: Path) -> None:
    frame = FRAME.copy()
    frame.loc[0, ["W_TAN", "W_REL"]] = [30, 80]  # r1 allocates 110 points
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "importance:\n  points_tolerance: 5\n")
    overall = servgap.analyze(path, config).overall
    # Without r1: WSQ_r of r2..r6 (docs/method.md §7) −1.2333, −1.2000, −1.1250, −1.9000, −0.4333.
    expected = np.mean([-1.2333333333, -1.2, -1.125, -1.9, -0.4333333333])
    assert overall.weighted_n == 5 and overall.weighting_excluded == {"points_total_off_100": 1}
    assert overall.weighted_gap == pytest.approx(expected, abs=1e-9)


def test_zone_statistics_use_the_respondents_with_all_three_ratings(tmp_path: Path) -> None:
    from tests.test_review_defects import ZOT_CONFIG

    lines = ["respondent_id," + ",".join(f"{f}_{i}" for f in ("MIN", "DES", "P") for i in "abc"),
             "r1,5,3,2,7,6,4,4,6,5", "r2,5,3,2,7,6,4,6,6,5", "r3,,3,2,7,6,4,1,6,5"]
    data = tmp_path / "z.csv"
    data.write_text("\n".join(lines) + "\n")
    config = tmp_path / "z.yaml"
    config.write_text(ZOT_CONFIG)
    rows = {row.id: row for row in servgap.analyze(data, config).tolerance.items}
    # Item a: r3 has no adequate rating, so only r1 and r2 count: P 4 and 6, A 5 and 5.
    assert rows["a"].n == 2
    assert rows["a"].perception == pytest.approx(5.0) and rows["a"].msa == pytest.approx(0.0)
    assert rows["a"].share_below == pytest.approx(0.5)  # r1's P 4 is below its own adequate 5
    assert rows["b"].n == 3 and rows["b"].mss == pytest.approx(0.0)


# ---------------------------------------------------------------------------------------------------
# Segments × weights × IPA sources, on one messy synthetic study, each figure recomputed with pandas
# from the definitions (docs/method.md §1, §5), not with servgap's code.

def messy_study(seed: int = 20261123, n: int = 100) -> pd.DataFrame:
    """Ratings 1–7 with about 8% blank cells, a branch column (one small branch, three blanks),
    100-point allocations with some missing and some zero totals, stated importance and an
    overall-quality rating."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"respondent_id": [f"r{k}" for k in range(n)]})
    branch = np.array(["south"] * 40 + ["north"] * 45 + ["east"] * 12 + [""] * 3, dtype=object)
    rng.shuffle(branch)
    frame["branch"] = branch
    for facet, centre in (("E", 5.8), ("P", 4.9)):
        for item in ITEMS:
            values = np.clip(np.round(rng.normal(centre, 1.2, n)), 1, 7)
            values[rng.random(n) < 0.08] = np.nan
            frame[f"{facet}_{item}"] = values
    tan = rng.integers(0, 101, n).astype(float)
    frame["W_TAN"], frame["W_REL"] = tan, 100 - tan
    frame.loc[rng.choice(n, 4, replace=False), "W_REL"] = np.nan
    frame.loc[frame.index[:2], ["W_TAN", "W_REL"]] = 0.0
    for item in ITEMS:
        stated = np.clip(np.round(rng.normal(5.5, 1.0, n)), 1, 7)
        stated[rng.random(n) < 0.05] = np.nan
        frame[f"I_{item}"] = stated
    frame["Q"] = np.clip(np.round(frame[[f"P_{i}" for i in ITEMS]].mean(axis=1) + rng.normal(0, 0.7, n)), 1, 7)
    return frame


DIMENSIONS = {"TAN": ["T1", "T2"], "REL": ["R1", "R2", "R3"]}


def respondent_dimension_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Σ(P − E)/count over the items answered on both, when at least half the items (rounded up) are."""
    gaps = {}
    for dimension, items in DIMENSIONS.items():
        differences = pd.DataFrame({item: frame[f"P_{item}"] - frame[f"E_{item}"] for item in items})
        count = differences.notna().sum(axis=1)
        gaps[dimension] = (differences.sum(axis=1) / count).where(count >= -(-len(items) // 2))
    return pd.DataFrame(gaps)


def test_segments_with_weights_match_pandas(tmp_path: Path) -> None:
    frame = messy_study()
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "data:\n  segments: [branch]\n")
    result = servgap.analyze(frame.drop(columns=[f"I_{i}" for i in ITEMS] + ["Q"]), config)
    gaps = respondent_dimension_gaps(frame)
    branch = frame["branch"].replace("", np.nan)
    order = list(dict.fromkeys(branch.dropna()))  # first appearance
    assert [segment.value for segment in result.segments] == [*order, None]
    for segment in result.segments:
        members = branch.isna() if segment.value is None else branch == segment.value
        scored = gaps[members]
        assert segment.n == int(scored.notna().any(axis=1).sum())
        assert segment.small == (segment.n < 30)
        for dimension in DIMENSIONS:
            assert segment.dimensions[dimension].n == int(scored[dimension].notna().sum())
            assert segment.dimensions[dimension].gap == pytest.approx(scored[dimension].mean(), abs=1e-12)
        assert segment.gap == pytest.approx(np.mean([scored[d].mean() for d in DIMENSIONS]), abs=1e-12)
    # The weighted score beside the segments: w_rd = points_rd / Σ_d points_rd, over respondents with
    # every dimension score and a positive total; the aggregate uses mean weights over valid points.
    points = frame[["W_TAN", "W_REL"]].to_numpy()
    totals = points.sum(axis=1)
    valid = ~np.isnan(totals) & (totals > 0)
    proportions = points[valid] / totals[valid, None]
    usable = valid & gaps.notna().all(axis=1).to_numpy()
    per_respondent = (points[usable] / totals[usable, None] * gaps.to_numpy()[usable]).sum(axis=1)
    overall = result.overall
    assert overall.weighting == "per_respondent"
    assert overall.weighted_n == int(usable.sum())
    assert overall.weighted_gap == pytest.approx(per_respondent.mean(), abs=1e-12)
    mean_weights = proportions.mean(axis=0)
    assert overall.weights == pytest.approx(dict(zip(DIMENSIONS, mean_weights, strict=True)), abs=1e-12)
    assert overall.weighted_gap_aggregate == pytest.approx((mean_weights * gaps.mean().to_numpy()).sum(), abs=1e-12)
    # points_total_off_100 is a reason only under importance.points_tolerance.
    assert overall.weighting_excluded == {
        "missing_points": int(np.isnan(totals).sum()), "zero_points_total": 2,
        "missing_dimension_score": int((valid & ~gaps.notna().all(axis=1).to_numpy()).sum())}
    # The unweighted overall gap is the mean of the dimension gaps (each dimension once).
    assert overall.gap == pytest.approx(gaps.mean().mean(), abs=1e-12)


def expected_quadrants(importance: np.ndarray, performance: np.ndarray, importance_cross: float,
                       performance_cross: float) -> list[str]:
    """Martilla and James's quadrants; a value on the crosshair counts as high."""
    names = {(True, False): "concentrate_here", (True, True): "keep_up_the_good_work",
             (False, False): "low_priority", (False, True): "possible_overkill"}
    return [names[(bool(i >= importance_cross), bool(p >= performance_cross))]
            for i, p in zip(importance, performance, strict=True)]


@pytest.mark.parametrize("source", ["stated", "dimension_weights", "derived"])
@pytest.mark.parametrize("crosshair", ["means", "midpoint"])
def test_ipa_under_each_importance_source_and_crosshair(tmp_path: Path, source: str, crosshair: str) -> None:
    frame = messy_study()
    dropped = {"stated": [], "dimension_weights": [f"I_{i}" for i in ITEMS],
               "derived": [f"I_{i}" for i in ITEMS] + ["W_TAN", "W_REL"]}[source]
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text()
                      + f"data:\n  overall_quality: Q\nanalysis:\n  ipa_crosshair: {crosshair}\n")
    ipa = servgap.analyze(frame.drop(columns=dropped), config).ipa
    performance = np.array([frame[f"P_{item}"].mean() for item in ITEMS])  # everyone who answered P
    if source == "stated":
        importance = np.array([frame[f"I_{item}"].mean() for item in ITEMS])
    elif source == "dimension_weights":
        points = frame[["W_TAN", "W_REL"]].to_numpy()
        totals = points.sum(axis=1)
        valid = ~np.isnan(totals) & (totals > 0)
        weight = dict(zip(DIMENSIONS, (points[valid] / totals[valid, None]).mean(axis=0), strict=True))
        importance = np.array([weight["TAN"]] * 2 + [weight["REL"]] * 3)
    else:
        importance = np.array([stats.pearsonr(*frame[[f"P_{item}", "Q"]].dropna().to_numpy().T).statistic
                               for item in ITEMS])
    assert ipa.importance_source == source and ipa.crosshair == crosshair
    assert [row.importance for row in ipa.items] == pytest.approx(importance.tolist(), abs=1e-12)
    assert [row.performance for row in ipa.items] == pytest.approx(performance.tolist(), abs=1e-12)
    midpoint = (1 + 7) / 2
    performance_cross = midpoint if crosshair == "midpoint" else performance.mean()
    # The midpoint applies to importance only when importance is on the item scale (stated).
    importance_cross = midpoint if crosshair == "midpoint" and source == "stated" else importance.mean()
    assert ipa.performance_cross == pytest.approx(performance_cross, abs=1e-12)
    assert ipa.importance_cross == pytest.approx(importance_cross, abs=1e-12)
    assert [row.quadrant for row in ipa.items] == expected_quadrants(importance, performance, importance_cross,
                                                                     performance_cross)


# ---------------------------------------------------------------------------------------------------
# Management gaps: every field, worked by hand from tests/fixtures (mini.csv's six customers, three
# managers, two audits, three staff answers, the standards and promises of mini-management.yaml).

MANAGEMENT_CONFIG = FIXTURES / "mini-management.yaml"
MANAGEMENT_FILES = {"managers": FIXTURES / "managers.csv", "audits": FIXTURES / "audits.csv",
                    "staff": FIXTURES / "staff.csv"}
# Customers' E means; managers' estimates M (m1 left R3 blank); standards S; audits D; promises C.
E_MEANS = {"T1": 37 / 6, "T2": 6.0, "R1": 40 / 6, "R2": 40 / 6, "R3": 6.5}
M_MEANS = {"T1": 6.0, "T2": 6.0, "R1": 16 / 3, "R2": 6.0, "R3": 6.5}
M_COUNTS = {"T1": 3, "T2": 3, "R1": 3, "R2": 3, "R3": 2}
STANDARDS = {"T1": 6.0, "T2": 5.0, "R1": 6.0}
DELIVERED = {"T1": 5.5, "T2": 4.5, "R1": 6.0, "R2": 6.0, "R3": 4.0}
PROMISES = {"T1": 7.0, "R1": 6.0, "R3": 5.0}
CHAIN = {1: (E_MEANS, M_MEANS), 2: (M_MEANS, STANDARDS), 3: (STANDARDS, DELIVERED), 4: (PROMISES, DELIVERED)}


def test_every_management_field_of_the_worked_fixture() -> None:
    management = servgap.analyze(FIXTURES / "mini.csv", MANAGEMENT_CONFIG, **MANAGEMENT_FILES).management
    assert management.respondents == {"managers": 3, "audits": 2, "staff": 3}
    assert [gap.key for gap in management.gaps] == ["knowledge", "standards", "delivery", "communication"]
    assert management.gaps[0].name == {"en": "Knowledge gap (diagnosis)", "zh": "认知差距（诊断）"}
    assert [gap.name["zh"] for gap in management.gaps[1:]] == [
        "标准差距（处方）", "交付差距（药房）", "沟通差距（疗效）"]
    assert [gap.name["en"] for gap in management.gaps[1:]] == [
        "Standards gap (prescription)", "Delivery gap (pharmacy)", "Communication gap (efficacy)"]
    for gap in management.gaps:
        first_terms, second_terms = CHAIN[gap.gap]
        assert gap.measured and gap.needs == []
        for item in gap.items:
            first, second = first_terms.get(item.id), second_terms.get(item.id)
            expected = None if first is None or second is None else second - first
            assert item.dimension == ("TAN" if item.id.startswith("T") else "REL")
            assert item.first == pytest.approx(first, abs=1e-12)
            assert item.second == pytest.approx(second, abs=1e-12)
            assert item.value == pytest.approx(expected, abs=1e-12)
            assert item.measured == (expected is not None)
            # The raters behind the rated term: managers for gaps 1 and 2, the audits for 3 and 4.
            assert item.n == (M_COUNTS[item.id] if gap.gap in (1, 2) else 2)
            assert (item.p_value is None) == (gap.gap != 1) and (item.p_adjusted is None) == (gap.gap != 1)
        for dimension in gap.dimensions:
            values = [item.value for item in gap.items
                      if item.value is not None and item.id.startswith(dimension.id[0])]
            assert dimension.items == (2 if dimension.id == "TAN" else 3)
            assert dimension.items_measured == len(values)
            assert dimension.value == pytest.approx(np.mean(values), abs=1e-12)
        assert gap.value == pytest.approx(np.mean([i.value for i in gap.items if i.value is not None]), abs=1e-12)
    factors = {factor.id: factor for factor in management.gaps[0].factors}
    assert (factors["research"].direction, factors["research"].statements, factors["research"].n) == (
        "protective", 2, 3)
    assert (factors["layers"].direction, factors["layers"].statements, factors["layers"].n) == ("risk", 1, 3)
    assert factors["research"].alpha == pytest.approx(6 / 7, abs=1e-12)
    assert factors["research"].score == pytest.approx(11 / 6, abs=1e-12)
    assert factors["research"].name["en"]


def test_gap_one_welch_uses_customers_with_both_ratings_and_two_raters_on_each_side(tmp_path: Path) -> None:
    customers = FRAME.copy()
    customers.loc[0, "P_T1"] = np.nan  # r1 rated E_T1 = 6 but not P_T1: out of T1's gap and its test
    customers_path = tmp_path / "customers.csv"
    customers.to_csv(customers_path, index=False)
    managers = tmp_path / "managers.csv"
    # T1: three managers; T2: two (enough for a test); R1: one (a value, no test).
    managers.write_text("manager,M_T1,M_T2,M_R1,M_R2,M_R3\nm1,5,5,5,6,6\nm2,6,7,,6,7\nm3,7,,,6,6\n")
    management = servgap.analyze(customers_path, MANAGEMENT_CONFIG, managers=managers).management
    items = {item.id: item for item in management.gaps[0].items}
    t1_customers = [7, 5, 6, 7, 6]  # E_T1 of r2..r6
    assert items["T1"].first == pytest.approx(np.mean(t1_customers), abs=1e-12)
    assert items["T1"].p_value == pytest.approx(
        stats.ttest_ind([5, 6, 7], t1_customers, equal_var=False).pvalue, rel=1e-12)
    assert items["T2"].n == 2 and items["T2"].p_value == pytest.approx(
        stats.ttest_ind([5, 7], FRAME["E_T2"], equal_var=False).pvalue, rel=1e-12)
    assert items["R1"].n == 1 and items["R1"].value == pytest.approx(5 - 40 / 6, abs=1e-12)
    assert items["R1"].p_value is None
    # Every other gap is not measured, and says what would measure it.
    assert [gap.measured for gap in management.gaps] == [True, True, False, False]


def test_priority_comparison_of_dimension_weights_against_pandas_and_scipy(tmp_path: Path) -> None:
    from tests.conftest import CONFIGS, EXAMPLES

    managers = pd.read_csv(EXAMPLES / "restaurant" / "managers.csv")
    weight_columns = [column for column in managers.columns if column.startswith("W_")]
    managers.loc[0, weight_columns] = 0  # a manager who allocated nothing: left out of the mean weights
    managers.loc[1, weight_columns[0]] = np.nan  # and one who skipped a dimension
    managers.loc[2, weight_columns] = [1] + [0] * (len(weight_columns) - 1)  # one point in all: it counts
    path = tmp_path / "managers.csv"
    managers.to_csv(path, index=False)
    result = servgap.analyze(EXAMPLES / "restaurant" / "responses.csv", CONFIGS / "restaurant.yaml", managers=path)
    comparison = result.management.priority_comparison
    assert comparison.basis == "dimension_weights"
    points = managers[weight_columns].to_numpy(dtype=float)
    totals = points.sum(axis=1)
    valid = ~np.isnan(totals) & (totals > 0)
    manager = (points[valid] / totals[valid, None]).mean(axis=0)
    customer = np.array([result.overall.weights[column[2:]] for column in weight_columns])
    assert [row.id for row in comparison.rows] == [column[2:] for column in weight_columns]
    assert [row.manager for row in comparison.rows] == pytest.approx(manager.tolist(), abs=1e-12)
    assert [row.customer for row in comparison.rows] == pytest.approx(customer.tolist(), abs=1e-12)
    customer_rank, manager_rank = stats.rankdata(-customer), stats.rankdata(-manager)
    assert [row.customer_rank for row in comparison.rows] == customer_rank.tolist()
    assert [row.displacement for row in comparison.rows] == (manager_rank - customer_rank).tolist()
    reference = stats.spearmanr(customer, manager)
    assert comparison.spearman_rho == pytest.approx(reference.statistic, abs=1e-12)
    assert comparison.spearman_p == pytest.approx(reference.pvalue, abs=1e-12)
    # At most three, largest |displacement| first, ties by the customers' rank; none with 0.
    displaced = sorted((-abs(m - c), c, column[2:])
                       for m, c, column in zip(manager_rank, customer_rank, weight_columns, strict=True) if m != c)
    assert comparison.largest_displacements == [name for *_, name in displaced[:3]]


@pytest.mark.parametrize(("estimates", "expected"), [
    # Two attributes rated by both sides: too few to compare.
    (["6", "5", "", "", ""], None),
    # Customers' E: T1 6.1667, T2 6.0, R1 6.6667 → ranks 2, 3, 1; managers 6, 5, 7 → the same ranks.
    (["6", "5", "7", "", ""], ([0.0, 0.0, 0.0], [], 1.0)),
    # Managers 5, 6, 7 → ranks 3, 2, 1: T1 +1, T2 −1 (equal size: the customers' rank decides).
    (["5", "6", "7", "", ""], ([1.0, -1.0, 0.0], ["T1", "T2"], 0.5)),
])
def test_priority_comparison_of_item_expectations(tmp_path: Path, estimates: list[str],
                                                  expected: tuple[list[float], list[str], float] | None) -> None:
    managers = tmp_path / "managers.csv"
    managers.write_text("manager,M_T1,M_T2,M_R1,M_R2,M_R3\nm1," + ",".join(estimates) + "\n")
    comparison = servgap.analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml", managers=managers
                                 ).management.priority_comparison
    if expected is None:
        assert comparison is None
        return
    displacements, largest, rho = expected
    assert comparison.basis == "item_expectations"
    assert [row.id for row in comparison.rows] == ["T1", "T2", "R1"]
    assert [row.customer_rank for row in comparison.rows] == [2.0, 3.0, 1.0]
    assert [row.displacement for row in comparison.rows] == displacements
    assert comparison.largest_displacements == largest
    assert comparison.spearman_rho == pytest.approx(rho, abs=1e-12)


@pytest.mark.parametrize(("points", "within"), [((30, 75), True), ((30, 76), False), ((20, 75), True),
                                                 ((20, 74), False)])
def test_points_tolerance_includes_its_bounds(tmp_path: Path, points: tuple[int, int], within: bool) -> None:
    frame = FRAME.copy()
    frame.loc[0, ["W_TAN", "W_REL"]] = points  # r1's total: 105 and 95 are within 5 of 100; 106 and 94 not
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "importance:\n  points_tolerance: 5\n")
    overall = servgap.analyze(path, config).overall
    assert overall.weighted_n == (6 if within else 5)
    assert overall.weighting_excluded == ({} if within else {"points_total_off_100": 1})


@pytest.mark.parametrize("minimum", [2, 3])
def test_a_segment_of_exactly_the_minimum_is_tested_and_smaller_ones_are_named(tmp_path: Path, minimum: int) -> None:
    frame = FRAME.assign(branch=["A", "A", "A", "B", "B", "C"])
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text()
                      + f"data:\n  segments: [branch]\nanalysis:\n  min_segment_n: {minimum}\n")
    result = servgap.analyze(frame, config)
    assert [(segment.value, segment.n, segment.small) for segment in result.segments] == [
        ("A", 3, False), ("B", 2, minimum > 2), ("C", 1, True)]
    if minimum == 3:
        assert result.segment_tests == []  # one group alone is no comparison
        return
    gaps = respondent_dimension_gaps(FRAME)
    for test, dimension in zip(result.segment_tests, ["TAN", "REL"], strict=True):
        assert (test.dimension, test.groups, test.direction) == (dimension, ["A", "B"], "A − B")
        assert [(group.value, group.n, group.reason) for group in test.excluded] == [("C", 1, "below_minimum_n")]
        reference = stats.ttest_ind(gaps[dimension][:3], gaps[dimension][3:5], equal_var=False)
        assert (test.statistic, test.p_value) == pytest.approx((reference.statistic, reference.pvalue), rel=1e-12)
    assert [test.p_adjusted for test in result.segment_tests] == pytest.approx(
        holm(np.array([test.p_value for test in result.segment_tests])).tolist(), rel=1e-12)


@pytest.mark.parametrize("block_rows", [4, 16_384])
def test_share_below_the_zone_is_strict_per_item_and_per_respondent(tmp_path: Path, block_rows: int,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import servgap.analysis.engine as engine
    from tests.test_review_defects import MINIMUM, PERCEIVED, ZOT_CONFIG, zone_study

    monkeypatch.setattr(engine, "BLOCK_ROWS", block_rows)
    # r0 first (so that blocks of 4 put it in the first block): a and b below their adequate level.
    rows = [((6, 6, 6), (9, 9, 9), (4, 5, 6))]
    rows += [(low, (9, 9, 9), seen) for low, seen in zip(MINIMUM, PERCEIVED, strict=True)]
    # Two dimensions: D holds a and b, E holds c.
    two = ZOT_CONFIG.replace("      - id: c\n        text:\n          en: C\n",
                             "  - id: E\n    name:\n      en: Else\n    items:\n      - id: c\n        text:\n"
                             "          en: C\n")
    data, config = zone_study(tmp_path, rows)
    config.write_text(two)
    lines = data.read_text().splitlines()
    lines.append("r11,5,5,5,9,9,9,,,")                 # r11 rated no perception: in no zone statistic
    data.write_text("\n".join(lines) + "\n")
    tolerance = servgap.analyze(data, config).tolerance
    # P < A strictly: a r0; b r0 (r1's P 4 = A 4 is not below); c r4 (P 5 < A 6). n = 10 each.
    assert [(row.n, row.share_below) for row in tolerance.items] == [(10, 0.1), (10, 0.1), (10, 0.1)]
    # Respondent MSA < 0 strictly, per dimension: D (a, b) r0 only; E (c) r4 only.
    msa_d = [(p[0] + p[1] - a[0] - a[1]) / 2 for a, _, p in rows]
    msa_e = [p[2] - a[2] for a, _, p in rows]
    assert [sum(m < 0 for m in msa_d), sum(m < 0 for m in msa_e)] == [1, 1]
    assert sum(m == 0 for m in msa_d) >= 3  # ties at 0 that must not count as below
    d, e = tolerance.dimensions
    assert (d.n, d.share_below, e.n, e.share_below) == (10, pytest.approx(0.1), 10, pytest.approx(0.1))
    assert (d.msa, e.msa) == (pytest.approx(np.mean(msa_d), abs=1e-12), pytest.approx(np.mean(msa_e), abs=1e-12))


# ---------------------------------------------------------------------------------------------------
# The checklist, entry by entry.

def test_checklist_entries_carry_their_items_figures(tmp_path: Path) -> None:
    result = servgap.analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml")
    items = {item.id: item for item in result.items}
    quadrants = {row.id: row.quadrant for row in result.ipa.items}
    weights = result.overall.weights
    for entry in result.checklist.entries:
        item = items[entry.ref]
        assert (entry.kind, entry.dimension, entry.gap, entry.p_adjusted) == (
            "item", item.dimension, item.gap, item.p_adjusted)
        assert entry.importance == pytest.approx(weights[item.dimension], abs=1e-12)
        assert entry.priority == pytest.approx(weights[item.dimension] * -item.gap, abs=1e-12)
        assert (entry.zone, entry.msa, entry.mss, entry.quadrant) == (None, None, None, quadrants[entry.ref])


def test_zone_checklist_entries_carry_msa_and_mss_and_skip_unrated_items(tmp_path: Path) -> None:
    from tests.test_review_defects import zone_study

    data, config = zone_study(tmp_path, [((5, 3, 2), (7, 6, 4), (4, 5, 1))] * 3)
    lines = data.read_text().splitlines()
    # Nobody rated item a's perception: it has no zone and is neither an entry nor a strength.
    data.write_text("\n".join(lines[:1] + [",".join([*line.split(",")[:7], "", *line.split(",")[8:]])
                                           for line in lines[1:]]) + "\n")
    result = servgap.analyze(data, config)
    rows = {row.id: row for row in result.tolerance.items}
    assert rows["a"].zone is None
    # b: P 5 < D 6, within (MSS −1); c: P 1 < A 2, below (MSA −1).
    entries = {entry.ref: entry for entry in result.checklist.entries}
    assert list(entries) == ["c", "b"] and "a" not in result.checklist.strengths
    for ref, entry in entries.items():
        assert (entry.zone, entry.msa, entry.mss, entry.dimension) == (rows[ref].zone, rows[ref].msa, rows[ref].mss,
                                                                       "D")


def test_a_gap_of_exactly_zero_is_a_strength_and_an_undefined_p_sorts_last(tmp_path: Path) -> None:
    frame = FRAME.copy()
    frame["E_T1"], frame["P_T1"] = 6, 5                    # T1: every gap −1 (sd 0: p undefined)
    frame["E_T2"], frame["P_T2"] = [6, 5, 7, 6, 5, 7], 5   # T2: gaps −1, 0, −2, −1, 0, −2 (mean −1, p defined)
    frame["E_R3"] = frame["P_R3"]                          # R3: gap exactly 0
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    checklist = servgap.analyze(path, FIXTURES / "mini.yaml").checklist
    order = [entry.ref for entry in checklist.entries]
    assert order.index("T2") < order.index("T1")           # equal priority: the defined p first
    assert "R3" in checklist.strengths and "R3" not in order


@pytest.mark.parametrize(("value", "risk", "enters"), [
    (-0.1, None, True), (0.0, None, False), (0.0, 0.5, True), (0.0, 0.49, False), (0.2, 0.7, True),
])
def test_which_management_gaps_enter_the_checklist(value: float, risk: float | None, enters: bool) -> None:
    from types import SimpleNamespace

    from servgap.analysis.checklist import build_checklist
    from servgap.results import ManagementGap, ManagementResult

    config = servgap.load_config(FIXTURES / "mini.yaml")
    assessment = servgap.analyze(FIXTURES / "mini.csv", config)
    gap = ManagementGap(gap=2, key="standards", measured=True, needs=[], value=value, items=[], dimensions=[],
                        risk=risk, factors=[])
    management = ManagementResult(gaps=[gap], priority_comparison=None, standards_coverage=1.0, uncovered_items=[],
                                  respondents={})
    checklist = build_checklist(config, SimpleNamespace(**{**vars(assessment), "management": management}),
                                management)
    assert any(entry.ref == "gap2" for entry in checklist.entries) == enters


def test_management_entries_order_by_shortfall_then_risk() -> None:
    from servgap.analysis.checklist import build_checklist
    from servgap.results import ManagementGap, ManagementResult

    def gap(number: int, value: float | None, risk: float | None) -> ManagementGap:
        return ManagementGap(gap=number, key="k", measured=value is not None, needs=[], value=value, items=[],
                             dimensions=[], risk=risk, factors=[])

    config = servgap.load_config(FIXTURES / "mini.yaml")
    assessment = servgap.analyze(FIXTURES / "mini.csv", config)
    # gap 3: the largest shortfall; gap 1: a smaller one; gap 4: no shortfall, risk 0.9; gap 2: unmeasured,
    # risk 0.6. Shortfalls first (largest first), then the rest by risk.
    management = ManagementResult(gaps=[gap(1, -0.2, None), gap(2, None, 0.6), gap(3, -0.8, 0.1), gap(4, 0.1, 0.9)],
                                  priority_comparison=None, standards_coverage=1.0, uncovered_items=[], respondents={})
    entries = build_checklist(config, assessment, management).entries
    assert [entry.ref for entry in entries if entry.kind == "management_gap"] == ["gap3", "gap1", "gap4", "gap2"]


def test_the_ipa_checklist_explains_no_quadrant(tmp_path: Path) -> None:
    from tests.conftest import CONFIGS, EXAMPLES

    loaded = servgap.load_config(CONFIGS / "restaurant.yaml")
    from servgap.instrument.models import PriorityMethod

    config = loaded.model_copy(update={"analysis": loaded.analysis.model_copy(
        update={"priority": PriorityMethod("ipa")})})
    checklist = servgap.analyze(EXAMPLES / "restaurant" / "responses.csv", config).checklist
    assert checklist.method == "ipa"
    assert not [note for note in checklist.notes if note.code == "quadrant_disagrees"]


@pytest.mark.parametrize("first", ["strength", "unrated"])
def test_an_item_before_the_shortfalls_that_is_no_entry_leaves_them_alone(tmp_path: Path, first: str) -> None:
    frame = FRAME.copy()
    if first == "strength":
        frame["P_T1"] = frame["E_T1"]      # T1, the first item, has no shortfall
    else:
        frame["P_T1"] = np.nan             # nobody rated T1's perception: no gap at all
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    checklist = servgap.analyze(path, FIXTURES / "mini.yaml").checklist
    assert sorted(entry.ref for entry in checklist.entries) == ["R1", "R2", "R3", "T2"]
    assert ("T1" in checklist.strengths) == (first == "strength")


def test_equal_shortfalls_are_ordered_by_risk_an_unknown_risk_last() -> None:
    from servgap.analysis.checklist import build_checklist
    from servgap.results import ManagementGap, ManagementResult

    def gap(number: int, risk: float | None) -> ManagementGap:
        return ManagementGap(gap=number, key="k", measured=True, needs=[], value=-0.5, items=[], dimensions=[],
                             risk=risk, factors=[])

    config = servgap.load_config(FIXTURES / "mini.yaml")
    assessment = servgap.analyze(FIXTURES / "mini.csv", config)
    management = ManagementResult(gaps=[gap(1, None), gap(2, 0.3), gap(3, 0.8)], priority_comparison=None,
                                  standards_coverage=1.0, uncovered_items=[], respondents={})
    entries = build_checklist(config, assessment, management).entries
    assert [entry.ref for entry in entries if entry.kind == "management_gap"] == ["gap3", "gap2", "gap1"]


def test_weighting_fallbacks_and_fixed_weights_report_their_counts(tmp_path: Path) -> None:
    gaps = respondent_dimension_gaps(FRAME)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "importance:\n  weights:\n    TAN: 25\n    REL: 75\n")
    fixed = 0.25 * gaps["TAN"].mean() + 0.75 * gaps["REL"].mean()
    no_points = tmp_path / "no-points.csv"
    FRAME.drop(columns=["W_TAN", "W_REL"]).to_csv(no_points, index=False)
    overall = servgap.analyze(no_points, config).overall
    assert (overall.weighting, overall.weighted_n, overall.weighting_excluded) == ("fixed", 0, {})
    assert overall.weighted_gap == pytest.approx(fixed, abs=1e-12)
    assert overall.weighted_gap_aggregate == pytest.approx(fixed, abs=1e-12)
    # Points columns with no usable allocation fall back to the config's weights, keeping the reasons.
    zero = tmp_path / "zero.csv"
    FRAME.assign(W_TAN=0, W_REL=0).to_csv(zero, index=False)
    overall = servgap.analyze(zero, config).overall
    assert (overall.weighting, overall.weighted_n, overall.weighting_excluded) == (
        "fixed", 0, {"zero_points_total": 6})
    assert (overall.weighted_gap, overall.weighted_gap_aggregate) == (pytest.approx(fixed, abs=1e-12),
                                                                      pytest.approx(fixed, abs=1e-12))
    # …or to none without them.
    overall = servgap.analyze(zero, FIXTURES / "mini.yaml").overall
    assert (overall.weighting, overall.weighted_gap, overall.weighted_n) == ("none", None, 0)
    assert overall.weighting_excluded == {"zero_points_total": 6}
    overall = servgap.analyze(no_points, FIXTURES / "mini.yaml").overall
    assert (overall.weighting, overall.weighted_n, overall.weighting_excluded) == ("none", 0, {})
    # A single point in all is an allocation like any other.
    one = tmp_path / "one.csv"
    FRAME.assign(W_TAN=[1, 30, 40, 25, 20, 35], W_REL=[0, 70, 60, 75, 80, 65]).to_csv(one, index=False)
    assert servgap.analyze(one, FIXTURES / "mini.yaml").overall.weighted_n == 6


def test_a_dimension_without_two_groups_is_skipped_and_the_next_still_tested(tmp_path: Path) -> None:
    frame = FRAME.assign(branch=["A", "A", "A", "B", "B", "B"])
    frame.loc[[3, 4], ["P_T1", "P_T2"]] = np.nan   # B keeps one TAN score: below the minimum of 2
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text()
                      + "data:\n  segments: [branch]\nanalysis:\n  min_segment_n: 2\n")
    result = servgap.analyze(frame, config)
    assert [test.dimension for test in result.segment_tests] == ["REL"]
    segments = {segment.value: segment for segment in result.segments}
    # A segment value with one scored respondent still has its gap.
    gaps = respondent_dimension_gaps(frame)
    assert segments["B"].dimensions["TAN"].n == 1
    assert segments["B"].dimensions["TAN"].gap == pytest.approx(gaps["TAN"][5], abs=1e-12)


def cronbach(matrix: np.ndarray) -> float:
    """Cronbach's alpha from its definition: k/(k−1) · (1 − Σ item variances / variance of the sum)."""
    k = matrix.shape[1]
    return k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))


@pytest.mark.parametrize("test", ["ttest", "wilcoxon"])
def test_every_item_and_dimension_field_on_a_messy_study(tmp_path: Path, test: str) -> None:
    frame = messy_study().drop(columns=[f"I_{i}" for i in ITEMS] + ["Q"])
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + f"analysis:\n  test: {test}\n")
    result = servgap.analyze(frame, config)
    assert (result.facets, result.test, result.correction, result.min_segment_n) == (
        ["expectation", "perception"], test, "holm", 30)
    assert (result.wilcoxon_method is not None) == (test == "wilcoxon")
    def expected_test(values: np.ndarray) -> tuple[float, float, tuple[float, float], float, float]:
        n = len(values)
        mean, sd = values.mean(), values.std(ddof=1)
        level = stats.t.ppf(0.975, n - 1)
        t_result = stats.ttest_1samp(values, 0.0)
        p = t_result.pvalue if test == "ttest" else r_wilcoxon_p(values)
        return float(t_result.statistic), float(p), (mean - level * sd / np.sqrt(n), mean + level * sd / np.sqrt(n)), \
            float(sd), float(r_wilcoxon_p(values))

    p_values = []
    for item in result.items:
        e, p = frame[f"E_{item.id}"], frame[f"P_{item.id}"]
        pairs = e.notna() & p.notna()
        gaps = (p - e)[pairs].to_numpy()
        t, p_value, interval, sd, wilcoxon = expected_test(gaps)
        p_values.append(p_value)
        assert (item.n, item.reverse, item.dimension) == (int(pairs.sum()), False,
                                                          "TAN" if item.id[0] == "T" else "REL")
        assert (item.expectation, item.perception, item.gap) == (
            pytest.approx(e[pairs].mean(), abs=1e-12), pytest.approx(p[pairs].mean(), abs=1e-12),
            pytest.approx(gaps.mean(), abs=1e-12))
        assert (item.gap_sd, item.t, item.p_value, item.effect_size) == (
            pytest.approx(sd, rel=1e-10), pytest.approx(t, rel=1e-10), pytest.approx(p_value, rel=1e-10),
            pytest.approx(gaps.mean() / sd, rel=1e-10))
        assert item.gap_ci == (pytest.approx(interval[0], rel=1e-10), pytest.approx(interval[1], rel=1e-10))
        assert item.wilcoxon_p == (None if test == "ttest" else pytest.approx(wilcoxon, rel=1e-10))
        assert item.share_negative == pytest.approx((gaps < 0).mean(), abs=1e-12)
        assert (item.perception_only, item.perception_n) == (pytest.approx(p.mean(), abs=1e-12), int(p.notna().sum()))
    assert [item.p_adjusted for item in result.items] == pytest.approx(holm(np.array(p_values)).tolist(), rel=1e-10)
    assert [item.significant for item in result.items] == [bool(q < 0.05) for q in holm(np.array(p_values))]

    scores = respondent_dimension_gaps(frame)
    dimension_p = []
    for dimension in result.dimensions:
        members = DIMENSIONS[dimension.id]
        gaps = scores[dimension.id].dropna().to_numpy()
        t, p_value, interval, sd, wilcoxon = expected_test(gaps)
        dimension_p.append(p_value)
        assert (dimension.items, dimension.n, dimension.weight) == (
            members, len(gaps), pytest.approx(result.overall.weights[dimension.id], abs=1e-12))
        assert (dimension.gap, dimension.gap_sd, dimension.t, dimension.p_value) == (
            pytest.approx(gaps.mean(), abs=1e-12), pytest.approx(sd, rel=1e-10), pytest.approx(t, rel=1e-10),
            pytest.approx(p_value, rel=1e-10))
        assert dimension.gap_ci == (pytest.approx(interval[0], rel=1e-10), pytest.approx(interval[1], rel=1e-10))
        assert dimension.wilcoxon_p == (None if test == "ttest" else pytest.approx(wilcoxon, rel=1e-10))
        assert dimension.share_negative == pytest.approx((gaps < 0).mean(), abs=1e-12)
        # Perception-only score: each respondent's mean P over the items they rated (half the items).
        ratings = frame[[f"P_{item}" for item in members]]
        counted = ratings.notna().sum(axis=1) >= -(-len(members) // 2)
        servperf = ratings[counted].mean(axis=1)
        assert (dimension.perception_only, dimension.perception_only_n) == (
            pytest.approx(servperf.mean(), abs=1e-12), int(counted.sum()))
        for facet, prefix in (("expectation", "E_"), ("perception", "P_")):
            complete = frame[[f"{prefix}{item}" for item in members]].dropna().to_numpy()
            detail = dimension.alpha[facet]
            alpha = cronbach(complete)
            n, k = complete.shape
            low = 1 - (1 - alpha) * stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
            high = 1 - (1 - alpha) * stats.f.ppf(0.025, n - 1, (n - 1) * (k - 1))
            assert (detail.n, detail.alpha, detail.ci_low, detail.ci_high) == (
                n, pytest.approx(alpha, rel=1e-10), pytest.approx(low, rel=1e-10), pytest.approx(high, rel=1e-10))
            if k > 2:
                for position, item in enumerate(members):
                    rest = np.delete(complete, position, axis=1)
                    item_result = {i.id: i for i in result.items}[item]
                    assert item_result.alpha_if_deleted[facet] == pytest.approx(cronbach(rest), rel=1e-10)
                    assert item_result.item_total[facet] == pytest.approx(
                        np.corrcoef(complete[:, position], rest.sum(axis=1))[0, 1], rel=1e-10)
    assert [d.p_adjusted for d in result.dimensions] == pytest.approx(holm(np.array(dimension_p)).tolist(),
                                                                       rel=1e-10)


def test_data_quality_records_the_reading_and_every_cell_treated_as_missing(tmp_path: Path) -> None:
    from servgap.results import CellNote

    frame = FRAME.astype(object)
    frame.loc[2, "P_R1"] = "n/a?"
    path = tmp_path / "semicolons.csv"
    frame.to_csv(path, index=False, sep=";")
    quality = servgap.analyze(path, FIXTURES / "mini.yaml", invalid="missing").data_quality
    assert (quality.file_format, quality.delimiter, quality.encoding, quality.rows_read, quality.rows_used) == (
        "csv", ";", "utf-8", 6, 6)
    assert quality.invalid_as_missing == [
        CellNote(4, 9, "P_R1", "n/a?", "'n/a?': not a number (treated as missing)")]
    # Missing cells count blanks and declared codes; invalid cells are counted apart, above.
    assert quality.missing_cells == {"expectation": 0, "perception": 0, "importance": 0}


def test_rows_used_counts_the_respondents_with_a_gap(tmp_path: Path) -> None:
    frame = FRAME.astype(object)
    frame.loc[0, [f"E_{item}" for item in ITEMS]] = ""   # r1 rated perceptions only: no gap, not used
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    result = servgap.analyze(path, FIXTURES / "mini.yaml")
    assert (result.data_quality.rows_read, result.data_quality.rows_used) == (6, 5)
    assert (result.segment_measure, result.data_quality.platform_detected) == ("gap", True)
    named = servgap.analyze(path, FIXTURES / "mini.yaml", source="generic").data_quality
    assert (named.platform, named.platform_detected) == ("generic", False)


def test_segment_significance_follows_the_configured_confidence(tmp_path: Path) -> None:
    frame = messy_study().drop(columns=[f"I_{i}" for i in ITEMS] + ["Q"])
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text()
                      + "data:\n  segments: [branch]\nanalysis:\n  confidence: 0.51\n  min_segment_n: 10\n")
    tests = servgap.analyze(frame, config).segment_tests
    assert tests and all(test.significant == (test.p_adjusted < 0.49) for test in tests)
    assert any(0.05 <= test.p_adjusted < 0.49 for test in tests)  # where 95% and 51% disagree


def test_zone_data_has_no_gap_to_test_even_under_wilcoxon(tmp_path: Path) -> None:
    from tests.test_review_defects import MINIMUM, PERCEIVED, zone_study

    rows = [(low, (9, 9, 9), seen) for low, seen in zip(MINIMUM, PERCEIVED, strict=True)]
    data, config = zone_study(tmp_path, rows, "analysis:\n  test: wilcoxon\n")
    (dimension,) = servgap.analyze(data, config).dimensions
    assert dimension.n == 0 and dimension.wilcoxon_p is not None and np.isnan(dimension.wilcoxon_p)
