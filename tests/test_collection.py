"""A folder or glob pattern of exports analysed as one dataset: the same assessment as the joined
file, and each refusal naming the file it is about."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import servgap
from servgap.data.collection import ChainedTexts, dataset_files
from servgap.errors import ExitCode, UserError
from tests.conftest import CONFIGS, EXAMPLES, run_line

CONFIG = CONFIGS / "restaurant.yaml"
EXPORT = EXAMPLES / "restaurant" / "responses.csv"


def _split(folder: Path, sizes: tuple[int, ...] = (150, 100, 150), xlsx: int | None = None) -> pd.DataFrame:
    """The restaurant example cut into monthly files (one of them an XLSX workbook when ``xlsx``)."""
    frame = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    folder.mkdir(exist_ok=True)
    start = 0
    for month, size in enumerate(sizes, start=1):
        part = frame.iloc[start:start + size]
        if month == xlsx:
            part.replace("", None).to_excel(folder / f"2026-{month:02d}.xlsx", index=False)
        else:
            part.to_csv(folder / f"2026-{month:02d}.csv", index=False)
        start += size
    return frame


def _without_files(payload: dict) -> dict:
    quality = payload["data_quality"]
    for key in ("file", "files", "format", "encoding", "delimiter"):
        quality.pop(key)
    return payload


@pytest.mark.parametrize("xlsx", [None, 2])
def test_a_folder_is_analysed_as_the_joined_file(tmp_path: Path, xlsx: int | None) -> None:
    _split(tmp_path / "months", xlsx=xlsx)
    whole = servgap.analyze(EXPORT, CONFIG, by=["branch"]).to_dict()
    joined = servgap.analyze(tmp_path / "months", CONFIG, by=["branch"]).to_dict()
    files = joined["data_quality"]["files"]
    assert [Path(file["path"]).name for file in files] == ["2026-01.csv", "2026-02." + ("xlsx" if xlsx else "csv"),
                                                           "2026-03.csv"]
    assert [file["rows"] for file in files] == [150, 100, 150]
    assert joined["data_quality"]["format"] == ("mixed" if xlsx else "csv")
    assert _without_files(joined) == _without_files(whole)  # every number, exactly


def test_a_pattern_chooses_files_in_name_order(tmp_path: Path) -> None:
    frame = _split(tmp_path / "months")
    pattern = str(tmp_path / "months" / "2026-0[13].csv")
    assert [path.name for path in dataset_files(Path(pattern)) or []] == ["2026-01.csv", "2026-03.csv"]
    result = servgap.analyze(pattern, CONFIG)
    assert result.data_quality.rows_read == 300
    expected = pd.concat([frame.iloc[:150], frame.iloc[250:]])
    assert result.data_quality.rows_read == len(expected)
    assert dataset_files(EXPORT) is None  # one file is one file


def test_chained_ids_read_across_files() -> None:
    ids = ChainedTexts([["a", "b"], [], ["c"], ["d", "e"]])
    assert len(ids) == 5 and list(ids) == ["a", "b", "c", "d", "e"]
    assert ids[1:4] == ["b", "c", "d"] and ids[-1] == "e" and ids[2] == "c"
    import pyarrow as pa

    from servgap.data.columnar import TextColumn

    mixed = ChainedTexts([["a"], TextColumn(pa.chunked_array([pa.array(["b"]), pa.array(["c"])]))])
    assert mixed.arrow().to_pylist() == ["a", "b", "c"]  # as one array, the reader's part not copied to Python


def test_an_empty_folder_and_a_pattern_without_match_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("not an export")
    with pytest.raises(UserError) as empty:
        servgap.analyze(tmp_path / "empty", CONFIG)
    assert empty.value.exit_code == ExitCode.USAGE and "no survey export" in str(empty.value)
    with pytest.raises(UserError) as nothing:
        servgap.analyze(str(tmp_path / "none" / "*.csv"), CONFIG)
    assert nothing.value.exit_code == ExitCode.USAGE and "no file matches" in str(nothing.value)


def test_a_respondent_in_two_files_is_refused_with_both_places(tmp_path: Path) -> None:
    frame = _split(tmp_path / "months")
    frame.iloc[[0, 7]].to_csv(tmp_path / "months" / "2026-04.csv", index=False)
    with pytest.raises(UserError) as refused:
        servgap.analyze(tmp_path / "months", CONFIG)
    message = str(refused.value)
    assert refused.value.exit_code == ExitCode.FINDINGS
    assert f"'{frame.iloc[0]['respondent_id']}'" in message
    assert "2026-01.csv (row 2)" in message and "2026-04.csv (row 2)" in message


def test_files_that_disagree_on_importance_points_are_refused(tmp_path: Path) -> None:
    frame = _split(tmp_path / "months")
    frame.iloc[400 - 10:].drop(columns=[c for c in frame if c.startswith("W_")]).to_csv(
        tmp_path / "months" / "2026-03.csv", index=False)
    with pytest.raises(UserError) as refused:
        servgap.analyze(tmp_path / "months", CONFIG)
    assert refused.value.exit_code == ExitCode.FINDINGS
    assert "2026-01.csv has importance points but" in str(refused.value) and "2026-03.csv has none" in str(
        refused.value)


def test_a_bad_cell_is_named_with_its_file(tmp_path: Path) -> None:
    frame = _split(tmp_path / "months")
    broken = frame.iloc[150:250].copy()
    broken.iloc[3, broken.columns.get_loc("P_rel2")] = "9"
    broken.to_csv(tmp_path / "months" / "2026-02.csv", index=False)
    refused = run_line(["analyze", str(tmp_path / "months"), "-c", str(CONFIG), "-f", "json"])
    assert refused.exit_code == 1
    assert "2026-02.csv" in refused.stderr and "row 5" in refused.stderr and "P_rel2" in refused.stderr
    kept = servgap.analyze(tmp_path / "months", CONFIG, invalid="missing")
    [note] = kept.data_quality.invalid_as_missing
    assert Path(note.file or "").name == "2026-02.csv" and note.row == 5 and note.header == "P_rel2"


def test_no_output_replaces_a_file_of_the_dataset(tmp_path: Path) -> None:
    _split(tmp_path / "months")
    before = (tmp_path / "months" / "2026-02.csv").read_bytes()
    refused = run_line(["analyze", str(tmp_path / "months"), "-c", str(CONFIG), "-f", "csv", "-o",
                        str(tmp_path / "months" / "2026-02.csv")])
    assert refused.exit_code == 2 and "input" in refused.stderr
    assert (tmp_path / "months" / "2026-02.csv").read_bytes() == before


def test_waves_may_be_folders(tmp_path: Path) -> None:
    _split(tmp_path / "first", (200, 200))
    _split(tmp_path / "second", (100, 300))
    compared = run_line(["compare", str(tmp_path / "first"), str(tmp_path / "second"), "-c", str(CONFIG), "-f",
                         "json"])
    assert compared.exit_code == 0, compared.stderr
