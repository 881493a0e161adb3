"""Reading survey exports: formats, encodings, layouts, and every refusal with its row and column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from servgap.data.responses import InvalidPolicy, ReadOptions, read_responses
from servgap.instrument.models import Facet, ItemColumns
from tests.helpers import FIXTURES, config_from

CONFIG = config_from(FIXTURES / "mini.yaml")
FRAME = pd.read_csv(FIXTURES / "mini.csv")
EXPECTED_P = FRAME[[f"P_{i}" for i in ("T1", "T2", "R1", "R2", "R3")]].to_numpy(dtype=float)


def read(path: Path, **options):
    return read_responses(CONFIG, path, ReadOptions(**options))


def issues(path: Path, **options) -> list[tuple[str, int, int]]:
    return [(i.rule.code, i.row, i.column) for i in read(path, **options).issues]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ";"), ("gb18030", "\t"), ("cp949", ","),
])
def test_encodings_and_delimiters_are_detected(tmp_path: Path, encoding: str, delimiter: str) -> None:
    frame = FRAME.copy()
    frame["branch"] = ["北京店", "上海店", "北京店", "서울점", "上海店", "北京店"] if encoding != "cp949" else \
        ["서울점", "부산점", "서울점", "서울점", "부산점", "대구점"]
    path = tmp_path / "export.csv"
    path.write_bytes(frame.to_csv(index=False, sep=delimiter).encode(encoding, errors="strict")
                     if encoding != "gb18030" else
                     frame.assign(branch=["北京店", "上海店", "北京店", "广州店", "上海店", "北京店"])
                     .to_csv(index=False, sep=delimiter).encode(encoding))
    outcome = read_responses(CONFIG, path, segment_by=["branch"])
    assert outcome.issues == []
    responses = outcome.responses
    assert responses.delimiter == delimiter
    assert responses.encoding == ("utf-8" if encoding.startswith("utf") else encoding)
    np.testing.assert_array_equal(responses.matrix(Facet.PERCEPTION), EXPECTED_P)
    assert responses.segments["branch"][0] in ("北京店", "서울점")


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    FRAME.to_excel(path, index=False, sheet_name="Responses")
    responses = read(path).responses
    np.testing.assert_array_equal(responses.matrix(Facet.PERCEPTION), EXPECTED_P)
    assert responses.respondent_ids == [f"r{i}" for i in range(1, 7)]
    assert read(path, sheet="Nope").issues[0].rule.code == "SG301"


def test_long_layout_reads_like_wide(tmp_path: Path) -> None:
    long = FRAME.melt(id_vars="respondent_id", var_name="column", value_name="value")
    long["facet"] = long["column"].str.split("_").str[0]
    long["item"] = long["column"].str.split("_", n=1).str[1]
    path = tmp_path / "long.csv"
    long[["respondent_id", "item", "facet", "value"]].sample(frac=1, random_state=4).to_csv(path, index=False)
    responses = read(path).responses
    order = [responses.respondent_ids.index(f"r{i}") for i in range(1, 7)]
    np.testing.assert_array_equal(responses.matrix(Facet.PERCEPTION)[order], EXPECTED_P)
    assert responses.points is not None


def test_long_layout_problems_name_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("respondent,item,facet,value\nr1,T1,E,6\nr1,T9,E,6\nr1,T1,X,5\nr1,T1,E,7\nr2,T1,P,8\n")
    assert issues(path) == [("SG308", 4, 3), ("SG308", 3, 2), ("SG308", 5, 2)]


def test_invalid_cells_are_all_listed_with_spreadsheet_rows(tmp_path: Path) -> None:
    frame = FRAME.astype(object)
    frame.loc[0, "E_T1"] = "x"      # row 2, column 2
    frame.loc[3, "P_R2"] = 4.5      # row 5, column 10
    frame.loc[5, "P_R3"] = 0        # row 7, column 11
    frame.loc[4, "W_REL"] = -5      # row 6, column 13
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    outcome = read(path)
    assert outcome.responses is None
    assert [(i.rule.code, i.row, i.column, i.header, i.value) for i in outcome.issues] == [
        ("SG306", 2, 2, "E_T1", "x"), ("SG306", 5, 10, "P_R2", "4.5"), ("SG306", 7, 11, "P_R3", "0"),
        ("SG306", 6, 13, "W_REL", "-5"),
    ]
    assert "not a whole scale point" in outcome.issues[1].message
    assert "outside the scale 1–7" in outcome.issues[2].message


def test_invalid_as_missing_reads_and_reports(tmp_path: Path) -> None:
    frame = FRAME.astype(object)
    frame.loc[0, "E_T1"] = "x"
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    outcome = read(path, invalid=InvalidPolicy.missing)
    assert outcome.responses is not None
    assert np.isnan(outcome.responses.matrix(Facet.EXPECTATION)[0, 0])
    assert [(i.rule.code, i.row, i.column) for i in outcome.responses.invalid_as_missing] == [("SG307", 2, 2)]


def test_declared_missing_codes_are_missing(tmp_path: Path) -> None:
    config = CONFIG.model_copy(update={"data": CONFIG.data.model_copy(update={"missing_codes": ["NA", 99, "不适用"]})})
    frame = FRAME.astype(object)
    frame.loc[0, "E_T1"] = "NA"
    frame.loc[1, "E_T2"] = 99
    frame.loc[2, "P_R1"] = "不适用"
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    responses = read_responses(config, path).responses
    assert responses.missing_cells == {"expectation": 2, "perception": 1, "importance": 0}


def test_missing_columns_name_the_closest_headers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    FRAME.rename(columns={"P_T1": "P_T 1", "E_R3": "expect_R3"}).to_csv(path, index=False)
    found = read(path).issues
    assert [(i.rule.code, i.row, i.column) for i in found] == [("SG304", 1, 0), ("SG304", 1, 0)]
    messages = [i.message for i in found]
    assert messages[0].startswith("no column 'P_T1' for item T1 (perception); closest headers: 'P_T 1'")
    assert messages[1].startswith("no column 'E_R3' for item R3 (expectation); closest headers: ")
    assert "'E_R2'" in messages[1]


def test_partial_importance_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    FRAME.drop(columns=["W_REL"]).to_csv(path, index=False)
    assert [i.message for i in read(path).issues] == ["no column 'W_REL' for importance points of REL"]


def test_duplicate_respondents(tmp_path: Path) -> None:
    frame = FRAME.copy()
    frame.loc[4, "respondent_id"] = "r2"
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    (issue,) = read(path).issues
    assert (issue.rule.code, issue.row, issue.column) == ("SG305", 6, 1)
    assert issue.message == "respondent id 'r2' already appears on row 3"


@pytest.mark.parametrize(("content", "code"), [
    (b"", "SG303"),
    (b"respondent_id,E_T1,P_T1\n", "SG303"),
    (bytes(range(256)) * 10, "SG301"),
    (b"a,b\n1,2,3,4\n", "SG301"),
    # UTF-16 (Excel's "Unicode Text") is read: a header alone is an empty export.
    ("番号,期待\n".encode("utf-16"), "SG303"),
])
def test_files_that_are_not_usable_tables(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert [i[0] for i in issues(path)] == [code]


def test_ragged_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("respondent_id,E_T1\nr1,5\nr2,5,6,7\n")
    (issue,) = read(path).issues
    assert (issue.rule.code, issue.row) == ("SG301", 3)
    assert "row 3 has more cells than the header's 2" in issue.message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert issues(tmp_path / "none.csv") == [("SG301", 0, 0)]
    assert issues(tmp_path) == [("SG301", 0, 0)]


def test_forced_encoding_that_does_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("respondent_id,E_T1\n관리,5\n".encode("cp949"))
    (issue,) = read(path, encoding="utf-8").issues
    assert (issue.rule.code, issue.row) == ("SG302", 2)


def test_overrides_by_header_text_and_position(tmp_path: Path) -> None:
    headers = {f"E_{i}": f"How important is {i}?" for i in ("T1", "T2", "R1", "R2", "R3")}
    frame = FRAME.rename(columns=headers)
    columns = {item: {"expectation": text} for item, text in
               ((key[2:], value) for key, value in headers.items())}
    columns["T1"]["perception"] = 7  # P_T1 is the 7th column
    overrides = {item: ItemColumns(**mapping) for item, mapping in columns.items()}
    config = CONFIG.model_copy(update={"data": CONFIG.data.model_copy(update={"columns": overrides})})
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    responses = read_responses(config, path).responses
    np.testing.assert_array_equal(responses.matrix(Facet.PERCEPTION), EXPECTED_P)
    assert responses.columns["T1.expectation"] == "How important is T1?"


def test_wrong_delimiter_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    FRAME.to_csv(path, index=False)
    first = read(path, delimiter=";").issues[0]
    assert (first.rule.code, first.row, first.column) == ("SG304", 1, 1)
    assert "single column when split at ';'" in first.message


def test_csv_named_xlsx_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    FRAME.to_csv(path, index=False)
    (issue,) = read(path).issues
    assert "rename it to .csv" in issue.message


def test_parquet_reads(tmp_path: Path) -> None:
    path = tmp_path / "export.parquet"
    FRAME.to_parquet(path)  # pyarrow is a test dependency: the real Parquet path runs
    np.testing.assert_array_equal(read(path).responses.matrix(Facet.PERCEPTION), EXPECTED_P)


def test_parquet_without_pyarrow_says_what_it_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "export.parquet"
    FRAME.to_parquet(path)

    def missing(*args: object, **kwargs: object) -> None:
        raise ImportError("pyarrow")

    monkeypatch.setattr(pd, "read_parquet", missing)
    (issue,) = read(path).issues
    assert issue.rule.code == "SG301" and "pip install pyarrow" in issue.message


def test_mostly_missing_columns_are_summarised_first(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("respondent_id,E_T1,P_T1\nr1,6,5\n")
    found = read(path).issues
    assert found[0].message.startswith("8 of the 10 item columns the config expects are missing")
    assert len(found) == 9


def test_blank_lines_are_no_respondents_and_keep_their_row_numbers(tmp_path: Path) -> None:
    lines = (FIXTURES / "mini.csv").read_text().splitlines()
    # Line 3 is blank, line 5 holds delimiters only; r3 (now line 6) has P_R3 = 9 and a blank P_T1.
    r3 = lines[3].split(",")
    r3[6], r3[10] = "", "9"
    body = [lines[0], lines[1], "", lines[2], ",".join([""] * 13), ",".join(r3), *lines[4:]]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(body) + "\n\n")
    (issue,) = read(path).issues
    # The message shows the cell as the file has it ('9', not the reader's float '9.0').
    assert (issue.row, issue.column, issue.header, issue.value) == (6, 11, "P_R3", "9")
    assert issue.message.startswith("'9': outside the scale")
    r3[10] = "5"
    body[5] = ",".join(r3)
    path.write_text("\n".join(body) + "\n\n")
    responses = read(path).responses
    assert responses.respondent_ids == ["r1", "r2", "r3", "r4", "r5", "r6"]
