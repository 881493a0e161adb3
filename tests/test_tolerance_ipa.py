"""Zone of tolerance, importance–performance analysis, bootstrap, segment tests and wave comparison,
against hand-worked values, scipy and independent loops."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from servgap import analyze
from servgap.analysis.bootstrap import resampled_means
from servgap.analysis.ipa import quadrant
from servgap.analysis.tolerance import zone
from tests.conftest import run_line
from tests.helpers import FIXTURES

ZOT_CONFIG, ZOT_DATA = FIXTURES / "zot.yaml", FIXTURES / "zot.csv"
RAW = pd.read_csv(ZOT_DATA)
APPROX = {"abs": 5e-5}


@pytest.fixture(scope="module")
def zot():
    return analyze(ZOT_DATA, ZOT_CONFIG)


def rows(result) -> dict:
    return {row.id: row for row in result.tolerance.items + result.tolerance.dimensions}


def test_method_fixture_item_r1(zot) -> None:
    r1 = rows(zot)["R1"]
    # adequate (5,6,4,6,5,5), desired (8,8,7,9,8,7), perceived (6,6,5,7,5,6)
    assert (r1.msa, r1.mss) == pytest.approx((2 / 3, -2.0), **APPROX)
    assert r1.zone == "within"
    assert r1.width == pytest.approx(47 / 6 - 31 / 6)
    msa = RAW["P_R1"] - RAW["MIN_R1"]
    low, high = stats.t.interval(0.95, len(msa) - 1, loc=msa.mean(), scale=stats.sem(msa))
    assert r1.msa_ci == pytest.approx((low, high), rel=1e-10)


def test_zones_and_share_below(zot) -> None:
    by_id = rows(zot)
    assert (by_id["R2"].zone, by_id["R2"].msa, by_id["R2"].share_below) == ("below", pytest.approx(-1 / 6),
                                                                            pytest.approx(1 / 6))
    assert (by_id["R3"].zone, by_id["R3"].mss) == ("above", pytest.approx(5 / 6))
    # complete data: the dimension's MSA and MSS are the means of its items'
    assert (by_id["REL"].msa, by_id["REL"].mss) == pytest.approx((1.0, -10 / 9), **APPROX)
    assert by_id["REL"].zone == "within"


@pytest.mark.parametrize(("msa", "mss", "expected"), [
    (-0.01, -1.0, "below"), (0.0, -1.0, "within"), (0.5, 0.0, "within"), (0.5, 0.01, "above"),
    (-0.5, 0.5, "below"), (float("nan"), 0.0, None),
])
def test_zone_edges(msa: float, mss: float, expected: str | None) -> None:
    assert zone(msa, mss) == expected


def test_zone_first_checklist(zot) -> None:
    entries = zot.checklist.entries
    assert [(e.ref, e.zone) for e in entries] == [("R2", "below"), ("R1", "within")]
    assert zot.checklist.strengths == ["R3"]


def test_derived_importance_matches_scipy(zot) -> None:
    ipa = zot.ipa
    assert ipa.importance_source == "derived"
    for item in ipa.items:
        assert item.importance == pytest.approx(stats.pearsonr(RAW[f"P_{item.id}"], RAW["Q"]).statistic)
        assert item.performance == pytest.approx(RAW[f"P_{item.id}"].mean())
    assert ipa.importance_cross == pytest.approx(np.mean([i.importance for i in ipa.items]))


@pytest.mark.parametrize(("point", "expected"), [
    ((5, 3), "concentrate_here"), ((5, 5), "keep_up_the_good_work"), ((4, 4), "low_priority"),
    ((4, 6), "possible_overkill"), ((4.5, 4.5), "keep_up_the_good_work"),
])
def test_quadrant_edges(point: tuple[float, float], expected: str) -> None:
    assert quadrant(point[0], point[1], 4.5, 4.5) == expected


def test_stated_importance_and_midpoint_crosshair(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "mini.csv").drop(columns=["W_TAN", "W_REL"])
    stated = {"T1": 7, "T2": 3, "R1": 6, "R2": 2, "R3": 5}
    for item, level in stated.items():
        frame[f"I_{item}"] = level
    frame.loc[0, "I_T1"] = 5  # mean importance of T1 = (5 + 7 × 5) / 6
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "analysis:\n  ipa_crosshair: midpoint\n  priority: ipa\n")
    result = analyze(path, config)
    items = {item.id: item for item in result.ipa.items}
    assert result.ipa.importance_source == "stated"
    assert items["T1"].importance == pytest.approx(40 / 6)
    assert (result.ipa.importance_cross, result.ipa.performance_cross) == (4.0, 4.0)
    # all perceptions are above the midpoint 4: high importance → keep up; low → possible overkill
    assert items["T1"].quadrant == "keep_up_the_good_work" and items["R2"].quadrant == "possible_overkill"


def test_ipa_priority_puts_concentrate_here_first(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "mini.csv").drop(columns=["W_TAN", "W_REL"])
    for item, level in {"T1": 7, "T2": 3, "R1": 2, "R2": 6, "R3": 6}.items():
        frame[f"I_{item}"] = level
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "analysis:\n  priority: ipa\n")
    result = analyze(path, config)
    quadrants = {item.id: item.quadrant for item in result.ipa.items}
    order = [entry.ref for entry in result.checklist.entries]
    concentrate = [i for i in order if quadrants[i] == "concentrate_here"]
    assert concentrate and order[: len(concentrate)] == concentrate


def test_resampled_means_equal_an_independent_loop() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(size=(40, 3))
    values[rng.random(values.shape) < 0.2] = np.nan
    ours = resampled_means(values, 50, seed=9)
    draws = np.random.default_rng(9)
    for resample in range(50):
        sample = values[draws.integers(0, 40, 40)]
        assert ours[resample] == pytest.approx(np.nanmean(sample, axis=0), rel=1e-12)


def test_bootstrap_interval_agrees_with_scipy_percentile() -> None:
    result = analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml", bootstrap=4000, seed=3)
    respondent_rel = np.array([-4, -4, -5, -4, -6, -2]) / 3
    reference = stats.bootstrap((respondent_rel,), np.mean, n_resamples=4000, method="percentile",
                                rng=np.random.default_rng(1)).confidence_interval
    low, high = result.bootstrap.dimensions["REL"]
    assert low == pytest.approx(reference.low, abs=0.08)
    assert high == pytest.approx(reference.high, abs=0.08)
    assert result.bootstrap.seed == 3 and result.bootstrap.resamples == 4000
    stability = result.bootstrap.rank_stability
    assert all(0 <= share <= 1 for share in stability.values())
    assert stability["R1"] > 0.9  # the largest weighted shortfall stays in the top 5 almost always
    again = analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml", bootstrap=4000, seed=3)
    assert again.bootstrap == result.bootstrap


def test_segment_tests_match_scipy(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "mini.csv")
    frame["branch"] = ["A", "B", "A", "B", "A", "B"]
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "analysis:\n  min_segment_n: 2\n")
    result = analyze(path, config, by=["branch"])
    rel = np.array([-4, -4, -5, -4, -6, -2]) / 3
    reference = stats.ttest_ind(rel[[0, 2, 4]], rel[[1, 3, 5]], equal_var=False)
    test = next(t for t in result.segment_tests if t.dimension == "REL")
    assert test.test == "welch_t"
    assert test.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    frame["branch"] = ["A", "B", "C", "A", "B", "C"]
    frame.to_csv(path, index=False)
    three = analyze(path, config, by=["branch"])
    kruskal = next(t for t in three.segment_tests if t.dimension == "REL")
    assert kruskal.test == "kruskal_wallis"
    assert kruskal.p_value == pytest.approx(stats.kruskal(rel[[0, 3]], rel[[1, 4]], rel[[2, 5]]).pvalue)


def test_small_segments_are_left_out_of_tests(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "mini.csv")
    frame["branch"] = ["A", "A", "A", "A", "B", "C"]
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    result = analyze(path, FIXTURES / "mini.yaml", by=["branch"])  # min_segment_n 30
    assert result.segment_tests == []


def test_compare_two_files_against_scipy(tmp_path: Path) -> None:
    before = pd.read_csv(FIXTURES / "mini.csv")
    after = before.copy()
    after["P_R1"] = [6, 7, 5, 7, 6, 6]
    after_path = tmp_path / "after.csv"
    after.to_csv(after_path, index=False)
    result = run_line(["compare", str(FIXTURES / "mini.csv"), str(after_path), "-c", str(FIXTURES / "mini.yaml"),
                       "-f", "json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    r1 = next(item for item in payload["items"] if item["id"] == "R1")
    old_gaps = before["P_R1"] - before["E_R1"]
    new_gaps = after["P_R1"] - after["E_R1"]
    reference = stats.ttest_ind(new_gaps, old_gaps, equal_var=False)
    assert r1["change"] == pytest.approx(new_gaps.mean() - old_gaps.mean())
    assert r1["p_value"] == pytest.approx(reference.pvalue)
    assert r1["change_ci"] == pytest.approx(list(reference.confidence_interval(0.95)))
    unchanged = next(item for item in payload["items"] if item["id"] == "T1")
    assert unchanged["change"] == 0


WAVES = FIXTURES / "mini-waves.csv"


def test_compare_waves_in_one_file() -> None:
    result = run_line(["compare", str(WAVES), "-c", str(FIXTURES / "mini.yaml"), "--wave", "wave", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["before"]["label"], payload["after"]["label"]) == ("2025Q1", "2025Q2")
    assert (payload["before"]["rows"], payload["after"]["rows"]) == (6, 6)
    r2 = next(item for item in payload["dimensions"] if item["id"] == "REL")
    assert r2["before"] == pytest.approx(-25 / 18)


def test_compare_usage_errors() -> None:
    mini = str(FIXTURES / "mini.yaml")
    assert run_line(["compare", str(WAVES), "-c", mini]).exit_code == 2
    wrong = run_line(["compare", str(WAVES), "-c", mini, "--wave", "wave", "--waves", "2025Q1,2024Q4"])
    assert wrong.exit_code == 2
    assert "found the values 2025Q1, 2025Q2" in wrong.stderr
    no_gap = run_line(["compare", str(ZOT_DATA), "-c", str(ZOT_CONFIG), "--wave", "wave"])
    assert no_gap.exit_code == 2 and "needs expectation" in no_gap.stderr


def test_json_sections_for_tolerance_and_ipa() -> None:
    payload = json.loads(run_line(["analyze", str(ZOT_DATA), "-c", str(ZOT_CONFIG), "-f", "json"]).stdout)
    item = payload["tolerance"]["items"][0]
    assert set(item) >= {"id", "adequate", "desired", "perception", "msa", "mss", "zone"}
    assert payload["tolerance"]["dimensions"][0]["id"] == "REL"
    assert set(payload["ipa"]) >= {"importance_source", "crosshair", "items"}


def test_zone_data_segments_compare_msa() -> None:
    result = analyze(ZOT_DATA, ZOT_CONFIG, by=["wave"])
    assert result.segment_measure == "msa"
    groups = {segment.value: segment.dimensions["REL"] for segment in result.segments}
    # respondent MSA (mean P − mean adequate): wave A 2/3, 1, 2/3; wave B 5/3, 2/3, 4/3
    assert groups["A"].gap == pytest.approx(7 / 9)
    assert groups["B"].gap == pytest.approx(11 / 9)
