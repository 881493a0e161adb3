"""The Python API: the same pipeline as the command line, from paths or objects already in memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import servgap
from servgap import UserError
from tests.conftest import CONFIGS, EXAMPLES, FIXTURES, run_line

RESTAURANT = EXAMPLES / "restaurant"


@pytest.fixture(scope="module")
def restaurant() -> servgap.Assessment:
    return servgap.analyze(RESTAURANT / "responses.csv", config=CONFIGS / "restaurant.yaml", by="branch",
                           managers=RESTAURANT / "managers.csv", audits=RESTAURANT / "audits.csv",
                           staff=RESTAURANT / "staff.csv")


def test_to_dict_is_the_json_of_the_command_line(restaurant: servgap.Assessment) -> None:
    result = run_line(["analyze", str(RESTAURANT / "responses.csv"), "-c", str(CONFIGS / "restaurant.yaml"),
                       "--by", "branch", "--managers", str(RESTAURANT / "managers.csv"), "--audits",
                       str(RESTAURANT / "audits.csv"), "--staff", str(RESTAURANT / "staff.csv"), "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(json.dumps(restaurant.to_dict())) == json.loads(result.stdout)


def test_frames_hold_the_tables_with_the_contract_values(restaurant: servgap.Assessment) -> None:
    frames = restaurant.frames()
    assert set(frames) == {"items", "dimensions", "segments", "segment_tests", "zone", "ipa", "management",
                           "checklist"}
    payload = restaurant.to_dict()
    dimensions = frames["dimensions"].set_index("id")
    for entry in payload["dimensions"]:
        assert dimensions.loc[entry["id"], "gap"] == entry["gap"]
        assert dimensions.loc[entry["id"], "gap_ci_low"] == entry["gap_ci"][0]
        assert dimensions.loc[entry["id"], "gap_ci_high"] == entry["gap_ci"][1]
        assert dimensions.loc[entry["id"], "alpha.gap"] == pytest.approx(entry["alpha"]["gap"], nan_ok=True)
    assert len(frames["items"]) == len(payload["items"]) == 29
    assert list(frames["checklist"]["rank"]) == [entry["rank"] for entry in payload["checklist"]]
    assert set(frames["segments"]["value"]) == {segment["value"] for segment in payload["segments"]}
    assert set(frames["management"]["gap"]) == {1, 2, 3, 4}
    assert frames["zone"].empty  # an E/P study has no zone of tolerance


def test_dimension_gaps_agree_with_a_plain_pandas_computation(restaurant: servgap.Assessment) -> None:
    # Independent: respondent dimension gap = mean of (P − E) over the items answered (at least half),
    # the dimension gap is the mean of those over respondents.
    frame = pd.read_csv(RESTAURANT / "responses.csv")
    config = servgap.load_config(CONFIGS / "restaurant.yaml")
    gaps = restaurant.frames()["dimensions"].set_index("id")["gap"]
    for dimension in config.dimensions:
        ids = [item.id for item in dimension.items]
        differences = np.column_stack([frame[f"P_{i}"] - frame[f"E_{i}"] for i in ids])
        answered = (~np.isnan(differences)).sum(axis=1)
        scores = np.nansum(differences, axis=1) / np.where(answered, answered, 1)
        scored = answered >= np.ceil(len(ids) / 2)
        assert gaps[dimension.id] == pytest.approx(scores[scored].mean(), abs=1e-12)


def test_a_dataframe_and_a_config_object_give_the_same_assessment() -> None:
    config = servgap.load_config(FIXTURES / "mini.yaml")
    frame = pd.read_csv(FIXTURES / "mini.csv")
    from_paths = servgap.analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml").to_dict()
    from_objects = servgap.analyze(frame, config).to_dict()
    for key in ("overall", "dimensions", "items"):
        assert from_objects[key] == from_paths[key]
    assert from_objects["data_quality"]["format"] == "dataframe"


def test_a_changed_config_object_is_checked_like_a_file() -> None:
    config = servgap.load_config(FIXTURES / "mini.yaml")
    broken = config.model_copy(update={"dimensions": [*config.dimensions, config.dimensions[0]]})
    with pytest.raises(UserError) as caught:
        servgap.analyze(FIXTURES / "mini.csv", broken)
    assert "SG" in "\n".join(caught.value.details)


def test_refusals_name_the_file_row_and_column(tmp_path: Path) -> None:
    lines = (FIXTURES / "mini.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",6,", ",9,", 1)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(UserError) as caught:
        servgap.analyze(path, FIXTURES / "mini.yaml")
    assert str(path) in caught.value.message
    assert caught.value.details[0].startswith("row 3, column 3 'E_T2'")
    with pytest.raises(UserError) as caught:
        servgap.analyze(path, FIXTURES / "mini.yaml", confidence=2)
    assert caught.value.exit_code == 2


def test_check_and_load_config(tmp_path: Path) -> None:
    assert [f for f in servgap.check(CONFIGS) if f.level.value == "error"] == []
    broken = tmp_path / "broken.yaml"
    broken.write_text("format_version: 1\ninstrument:\n  id: x\n  nmae: y\n")
    codes = {(f.code, f.line) for f in servgap.check(broken)}
    assert ("SG101", 4) in codes  # unknown key 'nmae', on line 4
    with pytest.raises(UserError) as caught:
        servgap.load_config(broken)
    assert "broken.yaml:4:" in "\n".join(caught.value.details)


def test_the_notebook_summary_escapes_text(tmp_path: Path) -> None:
    config = (FIXTURES / "mini.yaml").read_text().replace("en: Tangibles", 'en: "<script>alert(1)</script>"')
    path = tmp_path / "c.yaml"
    path.write_text(config)
    html = servgap.analyze(FIXTURES / "mini.csv", path)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table>" in html and "−" in html


def test_importing_servgap_is_light() -> None:
    code = "import sys, servgap; print(servgap.__version__, 'pandas' in sys.modules, 'scipy' in sys.modules)"
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert finished.stdout.split()[1:] == ["False", "False"]


def documented_keys(section: str) -> set[str]:
    """The keys named in the first column of a table of docs/json-output.md under ``## section``."""
    import re

    text = (Path(__file__).parent.parent / "docs" / "json-output.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return {key for row in body.splitlines() if row.startswith("| `")
            for key in re.findall(r"`([a-z_]+)`", row.split("|")[1])}


def test_the_json_contract_and_its_documentation_agree(restaurant: servgap.Assessment) -> None:
    helpdesk = servgap.analyze(EXAMPLES / "helpdesk" / "responses.csv", CONFIGS / "helpdesk.yaml", bootstrap=20)
    with_bootstrap = servgap.analyze(RESTAURANT / "responses.csv", CONFIGS / "restaurant.yaml", bootstrap=20)
    outputs = [restaurant.to_dict(), helpdesk.to_dict(), with_bootstrap.to_dict()]
    top = documented_keys("Top level")
    found = set().union(*(payload.keys() for payload in outputs))
    assert found <= top, f"undocumented: {found - top}"
    assert top <= found, f"documented but never written: {top - found}"
    for section, key in (("`dimensions[]`", "dimensions"), ("`items[]`", "items")):
        documented = documented_keys(section)
        written = set(outputs[0][key][0])
        assert written - {"alpha_detail", "name", "text", "id", "dimension", "items", "reverse"} <= documented, \
            f"{section}: undocumented {written - documented}"
