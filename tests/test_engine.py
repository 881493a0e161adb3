"""The gap engine against docs/method.md's worked fixture (§7), published arithmetic, an independent
per-respondent reference implementation, and properties that must hold for any data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import servgap.analysis.engine as engine_module
from servgap.analysis.engine import AnalysisOptions
from tests.helpers import FIXTURES, assess, config_from, mini, r_wilcoxon_p

APPROX = {"abs": 5e-5}


def by_id(results):
    return {result.id: result for result in results}


def test_item_statistics_match_the_fixture() -> None:
    config, frame = mini()
    items = by_id(assess(config, frame).items)
    expected = {  # gap, t, p, Holm-adjusted p, d_z (docs/method.md §7)
        "T1": (-0.6667, -2.0000, 0.1019, 0.1019, -0.8165),
        "T2": (-0.6667, -3.1623, 0.0250, 0.0501, -1.2910),
        "R1": (-1.5000, -6.7082, 0.0011, 0.0056, -2.7386),
        "R2": (-1.3333, -6.3246, 0.0015, 0.0058, -2.5820),
        "R3": (-1.3333, -4.0000, 0.0103, 0.0310, -1.6330),
    }
    for item_id, (gap, t, p, p_holm, d_z) in expected.items():
        item = items[item_id]
        assert item.n == 6
        assert (item.gap, item.t, item.p_value, item.p_adjusted, item.effect_size) == pytest.approx(
            (gap, t, p, p_holm, d_z), **APPROX)
        assert item.gap == pytest.approx(item.perception - item.expectation, abs=1e-12)


def test_paired_t_agrees_with_scipy_ttest_rel() -> None:
    config, frame = mini()
    items = by_id(assess(config, frame).items)
    for item_id in ("T1", "T2", "R1", "R2", "R3"):
        reference = stats.ttest_rel(frame[f"P_{item_id}"], frame[f"E_{item_id}"])
        assert items[item_id].t == pytest.approx(reference.statistic, rel=1e-12)
        assert items[item_id].p_value == pytest.approx(reference.pvalue, rel=1e-10)


def test_dimension_and_overall_scores_match_the_fixture() -> None:
    config, frame = mini()
    result = assess(config, frame)
    dimensions = by_id(result.dimensions)
    assert dimensions["TAN"].gap == pytest.approx(-0.6667, **APPROX)
    assert dimensions["REL"].gap == pytest.approx(-1.3889, **APPROX)
    assert result.overall.gap == pytest.approx(-1.0278, **APPROX)
    assert result.overall.weighting == "per_respondent"
    assert result.overall.weighted_n == 6
    assert result.overall.weighted_gap == pytest.approx(-1.1764, **APPROX)
    assert result.overall.weighted_gap_aggregate == pytest.approx(-1.1843, **APPROX)
    assert result.overall.weights["TAN"] == pytest.approx(0.2833, **APPROX)
    # one-sample t of the respondent REL gaps (−1.3333, −1.3333, −1.6667, −1.3333, −2.0, −0.6667)
    respondent_rel = np.array([-4, -4, -5, -4, -6, -2]) / 3
    reference = stats.ttest_1samp(respondent_rel, 0)
    assert dimensions["REL"].t == pytest.approx(reference.statistic, rel=1e-10)
    assert dimensions["REL"].p_value == pytest.approx(reference.pvalue, rel=1e-10)
    assert dimensions["REL"].alpha["perception"].alpha == pytest.approx(0.0536, **APPROX)
    assert dimensions["REL"].alpha["gap"].alpha == pytest.approx(0.4528, **APPROX)
    assert dimensions["TAN"].gap == pytest.approx(dimensions["TAN"].perception - dimensions["TAN"].expectation)


def test_wilcoxon_option_matches_the_fixture() -> None:
    config, frame = mini()
    items = by_id(assess(config, frame, AnalysisOptions(test="wilcoxon")).items)
    # The fixture's item gaps all have ties or zeros: R's normal approximation (tests/helpers.py).
    for item_id in ("T1", "T2", "R1", "R2", "R3"):
        gaps = (frame[f"P_{item_id}"] - frame[f"E_{item_id}"]).to_numpy(dtype=float)
        assert items[item_id].wilcoxon_p == pytest.approx(r_wilcoxon_p(gaps), abs=1e-12)
        assert items[item_id].p_value == items[item_id].wilcoxon_p
    assert items["R1"].wilcoxon_p == pytest.approx(0.0320, abs=5e-5)
    dimensions = by_id(assess(config, frame, AnalysisOptions(test="wilcoxon")).dimensions)
    respondent_rel = np.array([-4, -4, -5, -4, -6, -2]) / 3
    assert dimensions["REL"].wilcoxon_p == pytest.approx(r_wilcoxon_p(respondent_rel), abs=1e-12)


def test_pairwise_complete_rule_for_a_missing_perception() -> None:
    config, frame = mini()
    frame = frame.astype(object)
    frame.loc[2, "P_T2"] = ""  # r3's perception of T2 is missing
    item = by_id(assess(config, frame).items)["T2"]
    assert item.n == 5
    assert item.gap == pytest.approx(-0.60, abs=1e-12)  # not the unpaired −0.40


def test_fixed_weights_from_the_config(tmp_path) -> None:
    config, frame = mini()
    config = config.model_copy(update={"importance": config.importance.model_copy(
        update={"weights": {"TAN": 25.0, "REL": 75.0}, "use_points_columns": False})})
    result = assess(config, frame)
    assert result.overall.weighting == "fixed"
    assert result.overall.weighted_gap == pytest.approx(0.25 * -2 / 3 + 0.75 * -25 / 18, abs=1e-12)


def test_no_weights_means_no_weighted_score() -> None:
    config, frame = mini()
    result = assess(config, frame.drop(columns=["W_TAN", "W_REL"]))
    assert result.overall.weighting == "none"
    assert result.overall.weighted_gap is None


def test_respondent_left_out_below_half_the_items() -> None:
    config, frame = mini()
    frame = frame.astype(object)
    frame.loc[0, ["P_R1", "P_R2"]] = ""  # r1 keeps 1 of 3 REL pairs: fewer than ⌈1.5⌉ = 2
    frame.loc[1, ["E_T1", "P_T2"]] = ""  # r2 keeps 0 of 2 TAN pairs
    result = assess(config, frame)
    dimensions = by_id(result.dimensions)
    assert dimensions["REL"].n == 5
    assert dimensions["REL"].left_out.too_few_items == 1
    assert dimensions["REL"].left_out.required_items == 2
    assert dimensions["TAN"].left_out.no_answers == 1
    # r1 lost a dimension score and r2 too, so both leave the per-respondent weighted score
    assert result.overall.weighted_n == 4
    assert result.overall.weighting_excluded == {"missing_dimension_score": 2}


def test_twelve_manage_unweighted_example() -> None:
    # 12manage: dimension gaps −0.65, −1.10, −0.83, −0.70, −1.01 give an unweighted score of −0.858.
    # 100 respondents, one item per dimension, with gaps of −1/−2 and 0 in the right proportions.
    targets = {"TAN": -65, "REL": -110, "RES": -83, "ASS": -70, "EMP": -101}
    config = config_from(FIXTURES / "five.yaml")
    columns = {"respondent_id": [f"r{i}" for i in range(100)]}
    for dimension, total in targets.items():
        twos = max(0, -total - 100)
        ones = -total - 2 * twos
        gaps = np.array([-2] * twos + [-1] * ones + [0] * (100 - twos - ones))
        columns[f"E_{dimension}1"] = np.full(100, 6)
        columns[f"P_{dimension}1"] = 6 + gaps
    result = assess(config, pd.DataFrame(columns))
    assert [d.gap for d in result.dimensions] == pytest.approx([-0.65, -1.10, -0.83, -0.70, -1.01])
    assert result.overall.gap == pytest.approx(-0.858)
    assert min(result.dimensions, key=lambda d: d.gap).id == "REL"


def reference_dimension_gaps(frame: pd.DataFrame, groups: dict[str, list[str]], ratio: float = 0.5):
    """An independent, deliberately plain implementation: loop over respondents and items."""
    result = {}
    for dimension, items in groups.items():
        respondent_gaps = []
        for _, row in frame.iterrows():
            pairs = [(row[f"E_{i}"], row[f"P_{i}"]) for i in items
                     if not (pd.isna(row[f"E_{i}"]) or pd.isna(row[f"P_{i}"]))]
            if pairs and len(pairs) >= math.ceil(ratio * len(items)):
                respondent_gaps.append(sum(p for _, p in pairs) / len(pairs) - sum(e for e, _ in pairs) / len(pairs))
        result[dimension] = (len(respondent_gaps), float(np.mean(respondent_gaps)) if respondent_gaps else math.nan)
    return result


def test_engine_agrees_with_a_plain_reference_on_messy_data() -> None:
    config = config_from(FIXTURES / "mini.yaml")
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"respondent_id": [f"x{i}" for i in range(60)]})
    for facet in ("E", "P"):
        for item in ("T1", "T2", "R1", "R2", "R3"):
            values = rng.integers(1, 8, 60).astype(float)
            values[rng.random(60) < 0.25] = np.nan
            frame[f"{facet}_{item}"] = values
    result = by_id(assess(config, frame).dimensions)
    reference = reference_dimension_gaps(frame, {"TAN": ["T1", "T2"], "REL": ["R1", "R2", "R3"]})
    for dimension, (n, gap) in reference.items():
        assert result[dimension].n == n
        assert result[dimension].gap == pytest.approx(gap, abs=1e-12)


answers = st.lists(st.one_of(st.integers(1, 7), st.none()), min_size=10, max_size=10)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(answers, min_size=3, max_size=12), st.randoms())
def test_properties_gap_identity_and_order_invariance(rows, random) -> None:
    config = config_from(FIXTURES / "mini.yaml")
    names = [f"{facet}_{item}" for facet in ("E", "P") for item in ("T1", "T2", "R1", "R2", "R3")]
    frame = pd.DataFrame([[np.nan if v is None else float(v) for v in row] for row in rows], columns=names)
    frame.insert(0, "respondent_id", [f"r{i}" for i in range(len(rows))])
    result = assess(config, frame)
    for item in result.items:
        if item.n:
            assert item.gap == pytest.approx(item.perception - item.expectation, abs=1e-9)
    for dimension in result.dimensions:
        if dimension.n:
            assert dimension.gap == pytest.approx(dimension.perception - dimension.expectation, abs=1e-9)
    if all(d.n for d in result.dimensions):
        assert result.overall.gap == pytest.approx(result.overall.perception - result.overall.expectation, abs=1e-9)

    columns = list(frame.columns)
    random.shuffle(columns)
    shuffled = frame[columns].sample(frac=1, random_state=random.randint(0, 1000))
    again = assess(config, shuffled)
    for first, second in zip(result.items + result.dimensions, again.items + again.dimensions, strict=True):
        assert first.n == second.n
        assert first.gap == pytest.approx(second.gap, abs=1e-9, nan_ok=True)


def test_reversing_twice_is_identity() -> None:
    # Marking an item reverse and storing its answers reversed (8 − x) gives back the original analysis.
    config, frame = mini()
    reversed_config = config_from(FIXTURES / "mini.yaml")
    dimensions = [d.model_copy(update={"items": [
        item.model_copy(update={"reverse": item.id == "R2"}) for item in d.items]}) for d in reversed_config.dimensions]
    reversed_config = reversed_config.model_copy(update={"dimensions": dimensions})
    flipped = frame.copy()
    flipped[["E_R2", "P_R2"]] = 8 - flipped[["E_R2", "P_R2"]]
    original, recoded = assess(config, frame), assess(reversed_config, flipped)
    assert [i.gap for i in original.items] == pytest.approx([i.gap for i in recoded.items])
    assert original.overall.weighted_gap == pytest.approx(recoded.overall.weighted_gap)


def test_segments_equal_the_analysis_of_each_subset() -> None:
    config, frame = mini()
    frame["branch"] = ["A", "B", "A", "B", "A", None]
    result = assess(config, frame, AnalysisOptions(segment_by=("branch",)))
    segments = {segment.value: segment for segment in result.segments}
    assert set(segments) == {"A", "B", None}
    subset = assess(config, frame[frame["branch"] == "A"].drop(columns=["branch"]))
    assert segments["A"].n == 3
    assert segments["A"].dimensions["REL"].gap == pytest.approx(by_id(subset.dimensions)["REL"].gap)
    assert segments["A"].gap == pytest.approx(subset.overall.gap)
    assert segments[None].n == 1 and segments["A"].small


def test_block_processing_equals_whole_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results must not depend on how many respondents the engine takes per block."""
    import servgap.analysis.engine as engine
    from tests.conftest import EXAMPLES

    config = config_from(EXAMPLES / "kiosk/kiosk.yaml")
    frame = pd.read_csv(EXAMPLES / "kiosk/kiosk.csv", encoding="cp949")
    whole = assess(config, frame, AnalysisOptions(segment_by=(frame.columns[2],)))
    monkeypatch.setattr(engine, "BLOCK_ROWS", 7)
    blocked = assess(config, frame, AnalysisOptions(segment_by=(frame.columns[2],)))
    for first, second in zip(whole.items + whole.dimensions, blocked.items + blocked.dimensions, strict=True):
        assert (first.n, first.gap, first.gap_sd, first.p_value) == pytest.approx(
            (second.n, second.gap, second.gap_sd, second.p_value), rel=1e-12)
    for first, second in zip(whole.dimensions, blocked.dimensions, strict=True):
        for facet in ("expectation", "perception", "gap"):
            assert first.alpha[facet].alpha == pytest.approx(second.alpha[facet].alpha, rel=1e-10)
        assert first.left_out == second.left_out
    assert whole.overall.gap == pytest.approx(blocked.overall.gap, rel=1e-12)
    assert [s.n for s in whole.segments] == [s.n for s in blocked.segments]
    assert whole.data_quality.straight_liners == blocked.data_quality.straight_liners


def test_weighted_scores_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    import servgap.analysis.engine as engine

    monkeypatch.setattr(engine, "BLOCK_ROWS", 4)  # the six fixture respondents in two blocks
    config, frame = mini()
    result = assess(config, frame)
    assert result.overall.weighted_gap == pytest.approx(-1.1764, **APPROX)
    assert result.overall.weighted_gap_aggregate == pytest.approx(-1.1843, **APPROX)
    assert by_id(result.items)["R1"].t == pytest.approx(-6.7082, **APPROX)
    assert by_id(result.dimensions)["REL"].alpha["gap"].alpha == pytest.approx(0.4528, **APPROX)


def _close(left: object, right: object, path: str = "") -> list[str]:
    """Paths where two JSON-like trees differ (floats compared to 1e-12, relative)."""
    if isinstance(left, dict) and isinstance(right, dict):
        return [p for key in set(left) | set(right) for p in _close(left.get(key), right.get(key), f"{path}.{key}")]
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return [path]
        pairs = enumerate(zip(left, right, strict=True))
        return [p for index, (one, other) in pairs for p in _close(one, other, f"{path}[{index}]")]
    if isinstance(left, float) and isinstance(right, float):
        same = left == right or abs(left - right) <= 1e-12 * max(1.0, abs(left)) or (left != left and right != right)
        return [] if same else [path]
    return [] if left == right else [path]


@pytest.mark.parametrize("rows", [1, 7])
def test_blocks_of_any_size_give_the_same_assessment(rows: int, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    import servgap
    from tests.conftest import CONFIGS, EXAMPLES, FIXTURES
    from tests.test_specification import messy_study

    messy = messy_study()
    messy.loc[messy.index[2:6], ["W_TAN", "W_REL"]] = [[30, 80], [60, 45], [20, 70], [50, 50]]
    messy_config = tmp_path / "messy.yaml"
    messy_config.write_text((FIXTURES / "mini.yaml").read_text() + "importance:\n  points_tolerance: 5\n")

    studies = [
        (FIXTURES / "mini.csv", FIXTURES / "mini.yaml", {"test": "both"}),
        (FIXTURES / "zot.csv", FIXTURES / "zot.yaml", {}),
        (EXAMPLES / "restaurant" / "responses.csv", CONFIGS / "restaurant.yaml",
         {"by": "branch", "managers": EXAMPLES / "restaurant" / "managers.csv"}),
        # Blanks, small and unnamed segments, missing, zero and off-100 point totals in every block.
        (messy, messy_config, {"by": "branch"}),
    ]
    whole = [servgap.analyze(data, config, **options).to_dict() for data, config, options in studies]
    monkeypatch.setattr(engine_module, "BLOCK_ROWS", rows)
    blocked = [servgap.analyze(data, config, **options).to_dict() for data, config, options in studies]
    for expected, found in zip(whole, blocked, strict=True):
        assert _close(expected, found) == []


def test_one_file_is_listed_as_the_files_read() -> None:
    import servgap

    result = servgap.analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml")
    [read] = result.data_quality.files
    assert (Path(read.path).name, read.rows, read.format, read.encoding) == ("mini.csv", 6, "csv", "utf-8")


TWO_ITEMS = """
format_version: 1
instrument:
  id: two
  name: {en: Two items}
  scale: {min: 1, max: 7}
  facets: [FACETS]
dimensions:
  - id: TAN
    name: {en: Tangibles}
    items:
      - {id: T1, text: {en: Item T1}}
      - {id: T2, text: {en: Item T2}}
"""


def test_straight_liners_of_a_two_item_instrument_without_blanks(tmp_path: Path) -> None:
    """Two items on two facets are four answers: a respondent giving all four the same is a
    straight-liner, also in a block where nobody left a cell blank (the engine's fast path)."""
    import servgap

    config = tmp_path / "two.yaml"
    config.write_text(TWO_ITEMS.replace("FACETS", "expectation, perception"))
    frame = pd.DataFrame({"respondent_id": ["a", "b", "c"], "E_T1": [5, 6, 7], "E_T2": [5, 6, 6],
                          "P_T1": [5, 4, 6], "P_T2": [5, 5, 6]})
    assert servgap.analyze(frame, config).data_quality.straight_liners == 1


def test_perception_only_segments_compare_the_gap_measure(tmp_path: Path) -> None:
    import servgap

    config = tmp_path / "two.yaml"
    config.write_text(TWO_ITEMS.replace("FACETS", "perception"))
    frame = pd.DataFrame({"respondent_id": ["a", "b", "c", "d"], "branch": ["N", "S", "N", "S"],
                          "P_T1": [5, 4, 6, 3], "P_T2": [5, 5, 6, 2]})
    assert servgap.analyze(frame, config, by="branch").segment_measure == "gap"


def test_segments_do_not_bring_rank_tests_the_test_option_did_not_ask_for() -> None:
    import servgap

    frame = pd.read_csv(FIXTURES / "mini.csv")
    frame["branch"] = ["N", "S", "N", "S", "N", "S"]
    result = servgap.analyze(frame, FIXTURES / "mini.yaml", by="branch", test="ttest")
    assert all(d.wilcoxon_p is None for d in result.dimensions) and result.wilcoxon_method is None
