"""`servgap analyze`, `demo`, `simulate` and `check --data` as a user runs them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CONFIGS, ROOT, run_line
from tests.helpers import FIXTURES

MINI = ["-c", str(FIXTURES / "mini.yaml")]
DATA = str(FIXTURES / "mini.csv")


def test_json_contract() -> None:
    result = run_line(["analyze", DATA, *MINI, "--format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["schema_version"] == "2.0"
    assert payload["instrument"]["id"] == "mini"
    assert payload["sample"] == {"rows": 6, "used": 6}
    assert set(payload["overall"]) >= {"expectation", "perception", "gap", "weighted_gap", "weighting"}
    dimension = payload["dimensions"][1]
    assert set(dimension) >= {"id", "name", "n", "expectation", "perception", "gap", "gap_ci", "p_value", "alpha"}
    assert dimension["id"] == "REL" and len(dimension["gap_ci"]) == 2
    assert dimension["alpha"]["perception"] == pytest.approx(0.0536, abs=5e-5)
    item = payload["items"][0]
    assert set(item) >= {"id", "dimension", "n", "expectation", "perception", "gap", "gap_sd", "gap_ci", "t",
                         "p_value", "p_adjusted", "effect_size"}
    assert item["gap"] == pytest.approx(-2 / 3, abs=1e-15)  # full precision
    assert "data_quality" in payload


def test_json_has_null_never_nan(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "mini.csv").astype(object)
    frame.loc[:, ["P_T1", "P_T2"]] = ""  # TAN cannot be scored at all
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    text = run_line(["analyze", str(path), *MINI, "-f", "json"]).stdout
    assert "NaN" not in text
    payload = json.loads(text)
    assert payload["dimensions"][0]["gap"] is None
    assert payload["overall"]["gap"] is None


def test_table_report_at_80_columns_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    result = run_line(["demo"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in result.stdout
    assert "gap = P − E (perception minus expectation); negative = shortfall" in result.stdout
    assert "Segments by branch" in result.stdout


def test_chinese_report() -> None:
    result = run_line(["analyze", str(ROOT / "examples/restaurant/responses.csv"), "-c",
                       str(CONFIGS / "restaurant.yaml"), "--lang", "zh"])
    assert "差距 = P − E" in result.stdout
    assert "有形性" in result.stdout


def test_unknown_language_is_a_usage_error() -> None:
    result = run_line(["analyze", DATA, *MINI, "--lang", "fr"])
    assert result.exit_code == 2
    assert "--lang fr" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "markdown", "json", "table"])
def test_output_file_is_written_atomically(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    result = run_line(["analyze", DATA, *MINI, "-f", fmt, "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").strip()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_csv_report_rows() -> None:
    rows = run_line(["analyze", DATA, *MINI, "-f", "csv"]).stdout.splitlines()
    assert rows[0].startswith("level,id,dimension,name,n,expectation,perception,gap")
    assert [row.split(",")[0] for row in rows[1:]] == ["overall", "dimension", "dimension"] + ["item"] * 5


def test_refusal_lists_cells_writes_nothing_and_keeps_the_input(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "mini.csv").astype(object)
    frame.loc[1, "E_T2"] = "six"
    frame.loc[2, "P_R1"] = 9
    data = tmp_path / "data.csv"
    frame.to_csv(data, index=False)
    before = hashlib.sha256(data.read_bytes()).hexdigest()
    target = tmp_path / "report.json"
    result = run_line(["analyze", str(data), *MINI, "-f", "json", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nothing was written" in result.stderr
    assert "row 3, column 3 'E_T2': 'six': not a number" in result.stderr
    assert "row 4, column 9 'P_R1': '9': outside the scale 1–7" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()
    assert hashlib.sha256(data.read_bytes()).hexdigest() == before
    relaxed = run_line(["analyze", str(data), *MINI, "-f", "json", "--invalid", "missing"])
    assert relaxed.exit_code == 0
    assert len(json.loads(relaxed.stdout)["data_quality"]["invalid_treated_as_missing"]) == 2


def test_unreadable_data_exits_2(tmp_path: Path) -> None:
    result = run_line(["analyze", str(tmp_path / "none.csv"), *MINI])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_broken_config_stops_analyze(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text().replace("max: 7", "max: 0"))
    result = run_line(["analyze", DATA, "-c", str(config)])
    assert result.exit_code == 1
    assert "SG204" in result.stderr


def test_check_data_reports_rows_and_columns(tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "mini.csv").astype(object)
    frame.loc[1, "E_T2"] = "six"
    data = tmp_path / "data.csv"
    frame.to_csv(data, index=False)
    result = run_line(["check", str(FIXTURES / "mini.yaml"), "--data", str(data), "-f", "json"])
    assert result.exit_code == 1
    findings = [f for f in json.loads(result.stdout)["findings"] if f["code"].startswith("SG3")]
    assert [(f["file"], f["line"], f["column"], f["code"]) for f in findings] == [(str(data), 3, 3, "SG306")]
    clean = run_line(["check", str(FIXTURES / "mini.yaml"), "--data", DATA])
    assert clean.exit_code == 0


def test_simulate_is_reproducible_and_analysable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run_line(["simulate", str(CONFIGS / "servqual.yaml"), "-n", "250", "--seed", "5", "-o", str(first)]
                    ).exit_code == 0
    run_line(["simulate", str(CONFIGS / "servqual.yaml"), "-n", "250", "--seed", "5", "-o", str(second)])
    assert first.read_bytes() == second.read_bytes()
    frame = pd.read_csv(first)
    assert len(frame) == 250
    points = frame[[c for c in frame.columns if c.startswith("W_")]]
    assert (points.sum(axis=1) == 100).all()
    assert frame["P_tan1"].isna().any()  # some blank cells
    payload = json.loads(run_line(["analyze", str(first), "-c", str(CONFIGS / "servqual.yaml"), "-f", "json",
                                   "--by", "branch"]).stdout)
    assert payload["overall"]["gap"] < 0
    assert all(d["alpha"]["perception"] > 0.6 for d in payload["dimensions"])
    assert {s["value"] for s in payload["segments"]} == {"North", "Centre", "South"}
    refused = run_line(["simulate", str(CONFIGS / "servqual.yaml"), "-o", str(first)])
    assert refused.exit_code == 2


def test_demo_json_runs_from_the_bundled_example() -> None:
    payload = json.loads(run_line(["demo", "-f", "json"]).stdout)
    assert payload["instrument"]["id"] == "restaurant"
    assert payload["sample"]["rows"] == 400
