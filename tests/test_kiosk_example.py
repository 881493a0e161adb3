"""The kiosk worked example: a real CP949 export, checked against a plain pandas/scipy computation."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.conftest import EXAMPLES, run_line

DIMENSIONS = {
    "usefulness": [1, 2, 3], "tangibility": [4, 5, 6, 22], "control": [7, 8], "economy": [10, 11, 18],
    "convenience": [13, 14, 15, 16, 17], "security": [19, 20, 21],
}


@pytest.fixture(scope="module")
def payload() -> dict:
    result = run_line(["analyze", str(EXAMPLES / "kiosk/kiosk.csv"), "-c", str(EXAMPLES / "kiosk/kiosk.yaml"),
                       "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "kiosk/kiosk.csv", encoding="cp949")


def column(raw: pd.DataFrame, item: int, part: int) -> pd.Series:
    """The column whose header starts 'item-part.' (the file has 9 before 8, and one header lacks a space)."""
    (name,) = [h for h in raw.columns[3:51] if h.replace(" ", "").startswith(f"{item}-{part}.")]
    return raw[name].astype(float)


def test_reads_the_real_export(payload: dict) -> None:
    assert payload["sample"]["rows"] == 211
    assert payload["data_quality"]["encoding"] == "cp949"
    assert payload["data_quality"]["respondent_ids_from_rows"] is True


def test_item_gaps_match_pandas_and_scipy(payload: dict, raw: pd.DataFrame) -> None:
    items = {item["id"]: item for item in payload["items"]}
    p_values = {}
    for item in (k for ks in DIMENSIONS.values() for k in ks):
        e, p = column(raw, item, 1), column(raw, item, 2)
        paired = e.notna() & p.notna()
        reference = stats.ttest_rel(p[paired], e[paired])
        result = items[f"k{item}"]
        assert result["n"] == paired.sum()
        assert result["gap"] == pytest.approx((p[paired] - e[paired]).mean(), abs=1e-12)
        assert result["expectation"] == pytest.approx(e[paired].mean(), abs=1e-12)
        assert result["p_value"] == pytest.approx(reference.pvalue, rel=1e-9, abs=1e-300)
        p_values[f"k{item}"] = reference.pvalue
    # Holm by the textbook loop
    ordered = sorted(p_values, key=p_values.get)
    running = 0.0
    for rank, item_id in enumerate(ordered):
        running = max(running, min(1.0, (len(ordered) - rank) * p_values[item_id]))
        assert items[item_id]["p_adjusted"] == pytest.approx(running, rel=1e-9, abs=1e-300)


def test_dimension_gaps_match_a_respondent_level_computation(payload: dict, raw: pd.DataFrame) -> None:
    dimensions = {d["id"]: d for d in payload["dimensions"]}
    gaps = []
    for dimension, items in DIMENSIONS.items():
        e = pd.concat([column(raw, k, 1) for k in items], axis=1).to_numpy()
        p = pd.concat([column(raw, k, 2) for k in items], axis=1).to_numpy()
        paired = ~np.isnan(e) & ~np.isnan(p)
        count = paired.sum(axis=1)
        scored = count >= math.ceil(len(items) / 2)
        respondent_gap = (np.where(paired, p - e, 0).sum(axis=1) / np.maximum(count, 1))[scored]
        result = dimensions[dimension]
        assert result["n"] == scored.sum()
        assert result["gap"] == pytest.approx(respondent_gap.mean(), abs=1e-12)
        low, high = stats.t.interval(0.95, len(respondent_gap) - 1, loc=respondent_gap.mean(),
                                     scale=stats.sem(respondent_gap))
        assert result["gap_ci"] == pytest.approx([low, high], abs=1e-12)
        gaps.append(respondent_gap.mean())
    assert payload["overall"]["gap"] == pytest.approx(np.mean(gaps), abs=1e-12)


def test_config_warns_only_about_the_two_item_dimension() -> None:
    result = run_line(["check", str(EXAMPLES / "kiosk/kiosk.yaml"), "-f", "json"])
    assert result.exit_code == 0
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["SG203"]
