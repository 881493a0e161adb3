"""Exports as survey platforms write them: answers as label text, platform header rows, SPSS files.

Each export is analysed with a config only and must give the numbers of the clean numeric file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml

import servgap
from servgap.errors import UserError
from tests.conftest import FIXTURES

CLEAN = pd.read_csv(FIXTURES / "mini.csv")
LABELS = {
    1: ("Strongly disagree", "非常不同意"), 2: ("Disagree", "不同意"), 3: ("Somewhat disagree", "比较不同意"),
    4: ("Neutral", "一般"), 5: ("Somewhat agree", "比较同意"), 6: ("Agree", "同意"), 7: ("Strongly agree", "非常同意"),
}


def labelled_config(tmp_path: Path, aliases: dict[int, list[str]] | None = None) -> Path:
    """mini.yaml in English and Chinese with every scale point labelled."""
    config = yaml.safe_load((FIXTURES / "mini.yaml").read_text())
    config["instrument"]["languages"] = ["en", "zh"]
    config["instrument"]["name"]["zh"] = "小样本"
    config["instrument"]["scale"]["labels"] = {point: {"en": en, "zh": zh} for point, (en, zh) in LABELS.items()}
    if aliases:
        config["instrument"]["scale"]["aliases"] = aliases
    for dimension in config["dimensions"]:
        dimension["name"]["zh"] = dimension["id"]
        for item in dimension["items"]:
            item["text"]["zh"] = item["id"]
    path = tmp_path / "labelled.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


def same_numbers(first: servgap.Assessment, second: servgap.Assessment) -> None:
    assert [(i.id, i.n, i.expectation, i.perception) for i in first.items] == \
        [(i.id, i.n, i.expectation, i.perception) for i in second.items]
    assert first.overall.gap == second.overall.gap


def test_answers_given_as_label_text_read_as_their_points(tmp_path: Path) -> None:
    config = labelled_config(tmp_path, {6: ["Mostly agree"]})
    frame = CLEAN.astype(object)
    rating_columns = [c for c in frame.columns if c[:2] in ("E_", "P_")]
    # English, Chinese, odd case and spacing, full-width letters, an alias, and numbers in one column.
    variants = [lambda p: LABELS[p][0], lambda p: LABELS[p][1], lambda p: f"  {LABELS[p][0].upper()} ",
                lambda p: LABELS[p][0].replace(" ", "   "),
                lambda p: "ｓｔｒｏｎｇｌｙ ａｇｒｅｅ" if p == 7 else str(p),
                lambda p: "Mostly agree" if p == 6 else p]
    for row in range(len(frame)):
        for offset, column in enumerate(rating_columns):
            frame.loc[row, column] = variants[(row + offset) % len(variants)](int(CLEAN.loc[row, column]))
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    same_numbers(servgap.analyze(path, config), servgap.analyze(FIXTURES / "mini.csv", config))


def test_a_text_that_is_no_label_is_listed_with_the_labels_that_would_be_read(tmp_path: Path) -> None:
    config = labelled_config(tmp_path)
    frame = CLEAN.astype(object)
    frame.loc[2, "P_T2"] = "Kind of agree"
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(UserError) as caught:
        servgap.analyze(path, config)
    (detail,) = caught.value.details
    assert detail.startswith("row 4, column 8 'P_T2': 'Kind of agree': neither a number nor an answer label")
    assert "6: Agree / 同意" in detail and "instrument.scale.aliases" in detail


# ---------------------------------------------------------------------------------------------------
# Platform exports (tests/exports.py), each analysed with a config only.

from tests import exports  # noqa: E402


def numbers(assessment: servgap.Assessment) -> list[tuple]:
    return [(i.id, i.n, i.expectation, i.perception, i.gap, i.p_value) for i in assessment.items] + \
        [(d.id, d.n, d.gap) for d in assessment.dimensions] + [("overall", assessment.overall.gap)]


@pytest.mark.parametrize(("builder", "options", "platform", "header_rows"), [
    (exports.qualtrics, {}, "qualtrics", 3),
    (exports.qualtrics, {"labels": True}, "qualtrics", 3),
    (exports.qualtrics, {"xlsx": True}, "qualtrics", 3),
    (exports.qualtrics, {"legacy": True}, "qualtrics", 2),
    (exports.surveymonkey, {}, "surveymonkey", 2),
    (exports.surveymonkey, {"labels": True}, "surveymonkey", 2),
    (exports.google_forms, {}, "google_forms", 1),
    (exports.google_forms, {"labels": True}, "google_forms", 1),
    (exports.wjx, {}, "wjx", 1),
    (exports.wjx, {"short_headers": True, "labels": True}, "wjx", 1),
    (exports.microsoft_forms, {}, "microsoft_forms", 1),
])
def test_each_platform_export_gives_the_numbers_of_the_clean_file(tmp_path: Path, builder, options: dict,
                                                                  platform: str, header_rows: int) -> None:
    data, config = builder(tmp_path, **options)
    result = servgap.analyze(data, config)
    clean = servgap.analyze(exports.clean_file(tmp_path), FIXTURES / "mini.yaml")
    assert numbers(result) == numbers(clean)
    assert {item.id: item.n for item in result.items}["R2"] == 5  # the skipped answer (blank, -99, (跳过))
    quality = result.data_quality
    assert (quality.platform, quality.header_rows, quality.platform_detected) == (platform, header_rows, True)
    assert quality.rows_read == 6
    payload = result.to_dict()
    assert payload["data_quality"]["source"] == {"platform": platform, "header_rows": header_rows, "detected": True}


def test_spss_file_with_user_missing_values_and_value_labels(tmp_path: Path) -> None:
    import pyreadstat

    frame = exports.CLEAN.copy()
    frame["P_R2"] = frame["P_R2"].fillna(99).astype(float)  # 99: SPSS user-missing ("no answer")
    rating = [column for column in frame.columns if column[:2] in ("E_", "P_")]
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(frame, str(path), missing_ranges={"P_R2": [99]},
                         variable_value_labels={c: {p: t for p, t in exports.LABELS.items()} for c in rating})
    config = exports.config_for(tmp_path, {}, labels=True)
    result = servgap.analyze(path, config)
    clean = servgap.analyze(exports.clean_file(tmp_path), FIXTURES / "mini.yaml")
    assert numbers(result) == numbers(clean)
    assert (result.data_quality.file_format, result.data_quality.platform) == ("spss", "spss")


def test_value_labels_that_code_the_scale_the_other_way_round(tmp_path: Path) -> None:
    import pyreadstat

    frame = exports.CLEAN.copy()
    rating = [column for column in frame.columns if column[:2] in ("E_", "P_")]
    for column in rating:
        frame[column] = 8 - frame[column].astype(float)  # the file codes Strongly agree as 1
    path = tmp_path / "reversed.dta"
    pyreadstat.write_dta(frame, str(path),
                         variable_value_labels={c: {8 - p: t for p, t in exports.LABELS.items()} for c in rating})
    config = exports.config_for(tmp_path, {}, labels=True)
    result = servgap.analyze(path, config)
    assert numbers(result) == numbers(servgap.analyze(exports.clean_file(tmp_path), FIXTURES / "mini.yaml"))
    assert result.data_quality.platform == "stata"


def test_compressed_csv_and_a_broken_statistics_file(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(exports.clean_file(tmp_path).read_bytes()))
    result = servgap.analyze(path, FIXTURES / "mini.yaml")
    assert numbers(result) == numbers(servgap.analyze(exports.clean_file(tmp_path), FIXTURES / "mini.yaml"))
    broken = tmp_path / "broken.sav"
    broken.write_bytes(b"$FL2" + b"\x00" * 40)
    with pytest.raises(UserError) as caught:
        servgap.analyze(broken, FIXTURES / "mini.yaml")
    assert caught.value.exit_code == 2 and "not a readable SPSS file" in caught.value.details[0]


# ---------------------------------------------------------------------------------------------------
# servgap init --from-export

from tests.conftest import EXAMPLES, run_line  # noqa: E402


@pytest.mark.parametrize(("builder", "options"), [
    (exports.qualtrics, {}), (exports.qualtrics, {"xlsx": True}), (exports.qualtrics, {"legacy": True}),
    (exports.surveymonkey, {}), (exports.google_forms, {}), (exports.wjx, {}), (exports.wjx, {"short_headers": True}),
    (exports.microsoft_forms, {}),
])
def test_init_from_export_pairs_every_item_and_the_draft_analyses(tmp_path: Path, builder, options: dict) -> None:
    data, written = builder(tmp_path, **options)
    expected = yaml.safe_load(written.read_text())["data"]["columns"]
    draft = tmp_path / "draft.yaml"
    result = run_line(["init", str(draft), "--from-export", str(data)])
    assert result.exit_code == 0, result.output
    config = yaml.safe_load(draft.read_text())
    pairs = {(c["expectation"], c["perception"]) for c in config["data"]["columns"].values()}
    assert pairs == {(c["expectation"], c["perception"]) for c in expected.values()}
    assert config["instrument"]["scale"] == {"min": 1, "max": 7}
    assert run_line(["check", str(draft), "--data", str(data)]).exit_code == 0
    drafted = servgap.analyze(data, draft)
    clean = servgap.analyze(exports.clean_file(tmp_path), FIXTURES / "mini.yaml")
    assert [(i.n, i.gap) for i in drafted.items] == [(i.n, i.gap) for i in clean.items]


def test_init_from_the_kiosk_export_maps_every_pair_of_the_hand_written_config(tmp_path: Path) -> None:
    draft = tmp_path / "kiosk.yaml"
    assert run_line(["init", str(draft), "--from-export", str(EXAMPLES / "kiosk" / "kiosk.csv")]).exit_code == 0
    data = yaml.safe_load(draft.read_text())["data"]
    drafted = data["columns"].values()
    # Gender, age and frequency of use are proposed as segments; the Kano questions after the
    # SERVQUAL block are numbered questions, not segments.
    assert len(data["segments"]) == 3 and data["segments"][0].startswith("귀하의 성별")
    by_hand = yaml.safe_load((EXAMPLES / "kiosk" / "kiosk.yaml").read_text())["data"]["columns"].values()
    pairs = {(c["expectation"], c["perception"]) for c in drafted}
    assert {(c["expectation"], c["perception"]) for c in by_hand} <= pairs
    assert len(pairs) == 24  # the export's 24 questions, items 8 and 9 in their file order


def test_init_from_export_with_a_template_takes_its_dimensions_and_ids(tmp_path: Path) -> None:
    from servgap.data.draft import draft_config

    data, _ = exports.google_forms(tmp_path)
    template = yaml.safe_load((FIXTURES / "mini.yaml").read_text())
    for dimension in template["dimensions"]:
        for item in dimension["items"]:
            item["text"]["en"] = "The company has " + exports.TEXT[item["id"]].lower()
    draft = draft_config(data, template)
    dimensions = {d["id"]: [item["id"] for item in d["items"]] for d in draft.config["dimensions"]}
    assert dimensions == {"TAN": ["T1", "T2"], "REL": ["R1", "R2", "R3"]}
    assert draft.config["data"]["columns"]["R2"] == {"expectation": "Expectations [Dependable]",
                                                     "perception": "Perceptions [Dependable]"}
    assert draft.open_points == []


def test_init_from_export_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = run_line(["init", str(tmp_path / "d.yaml"), "--from-export", str(empty)])
    assert result.exit_code == 1 and "empty" in result.stderr
    assert not (tmp_path / "d.yaml").exists()


# ---------------------------------------------------------------------------------------------------
# Tracking panels: the same respondent in several waves.

def test_compare_waves_of_a_panel_tests_the_recurring_respondents_paired(tmp_path: Path) -> None:
    import json
    import warnings

    import numpy as np
    from scipy import stats

    first = CLEAN.drop(columns=[]).assign(wave="2025Q1")
    second = first.copy().assign(wave="2025Q2")
    rng = np.random.default_rng(7)
    for column in [c for c in first.columns if c.startswith("P_")]:
        second[column] = np.clip(pd.to_numeric(first[column]) + rng.integers(0, 2, len(first)), 1, 7)
    second = pd.concat([second.iloc[1:], pd.DataFrame([{**second.iloc[0].to_dict(), "respondent_id": "r9"}])])
    path = tmp_path / "panel.csv"
    pd.concat([first, second]).to_csv(path, index=False)
    result = run_line(["compare", str(path), "--wave", "wave", "-c", str(FIXTURES / "mini.yaml"), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["panel_n"] == 5  # r2..r6 answered twice; r1 only in the first wave, r9 only in the second
    later = second.set_index("respondent_id")
    earlier = first.set_index("respondent_id")
    both = [r for r in later.index if r in earlier.index]
    for item in payload["items"]:
        before = pd.to_numeric(earlier.loc[both, f"P_{item['id']}"]) - earlier.loc[both, f"E_{item['id']}"]
        after = pd.to_numeric(later.loc[both, f"P_{item['id']}"]) - later.loc[both, f"E_{item['id']}"]
        present = before.notna() & after.notna()
        with warnings.catch_warnings():  # scipy warns when every difference is the same (sd 0)
            warnings.simplefilter("ignore", RuntimeWarning)
            reference = stats.ttest_rel(after[present], before[present])
        paired = item["paired"]
        assert paired["n"] == int(present.sum())
        assert paired["change"] == pytest.approx((after - before)[present].mean(), abs=1e-12)
        if (after - before)[present].std() > 0:
            assert paired["p_value"] == pytest.approx(reference.pvalue, rel=1e-10)
        else:  # every recurring respondent changed alike: t is undefined, as for item gaps (sd 0)
            assert paired["p_value"] is None
    table = run_line(["compare", str(path), "--wave", "wave", "-c", str(FIXTURES / "mini.yaml")])
    assert "5 respondent(s) answered in both waves" in table.stdout


def test_an_id_repeated_within_one_wave_is_still_refused(tmp_path: Path) -> None:
    frame = CLEAN.assign(wave="2025Q1")
    frame.loc[3, "respondent_id"] = "r1"
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False)
    result = run_line(["compare", str(path), "--wave", "wave", "-c", str(FIXTURES / "mini.yaml")])
    assert result.exit_code == 1
    assert "respondent id 'r1' already appears on row 2 (in the same wave)" in result.stderr


def test_headers_differing_by_spacing_or_width_match_and_importance_maps_by_header(tmp_path: Path) -> None:
    frame = CLEAN.rename(columns={"E_T1": "E_T1  (expectation)", "P_T1": "ＰＴ１"})
    frame["How important is T1?"] = [7, 6, 7, 5, 6, 7]
    path = tmp_path / "spaced.csv"
    frame.to_csv(path, index=False)
    config = yaml.safe_load((FIXTURES / "mini.yaml").read_text())
    # The config's texts differ from the file's by a single space and by full-width letters only.
    config["data"] = {"columns": {"T1": {"expectation": "E_T1 (expectation)", "perception": "PT1",
                                         "importance": "How important is T1?"}},
                      "patterns": {"item_importance": "I_{item}"}}
    written = tmp_path / "c.yaml"
    written.write_text(yaml.safe_dump(config))
    with pytest.raises(UserError) as caught:  # importance is all-or-none: the other items' columns are named
        servgap.analyze(path, written)
    assert any("no column 'I_T2' for stated importance of T2" in detail for detail in caught.value.details)
    for item, points in zip(["T2", "R1", "R2", "R3"], ([5] * 6, [6] * 6, [7] * 6, [4] * 6), strict=True):
        frame[f"I_{item}"] = points
    frame.to_csv(path, index=False)
    result = servgap.analyze(path, written)
    assert numbers(result) == numbers(servgap.analyze(FIXTURES / "mini.csv", FIXTURES / "mini.yaml"))
    assert result.ipa.importance_source == "stated"
    assert result.ipa.items[0].importance == pytest.approx(38 / 6)


def test_platform_rows_keep_their_spreadsheet_numbers_and_skip_codes_respect_the_scale(tmp_path: Path) -> None:
    data, config = exports.qualtrics(tmp_path)
    with data.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    # Row 4 of the spreadsheet is the first respondent (rows 1-3 are Qualtrics' headers, the second
    # with line breaks inside its cells).
    rows[3][-2] = "9"  # Q3_5 (P_R3) off the 1-7 scale
    with data.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    with pytest.raises(UserError) as caught:
        servgap.analyze(data, config)
    assert caught.value.details == ["row 4, column 21 'Q3_5': '9': outside the scale 1–7"]
    # On a scale that includes it, a platform's numeric skip code is an answer, not a skip.
    from servgap.data.cells import CellValidator

    scale = servgap.load_config(FIXTURES / "mini.yaml")
    semantic = scale.model_copy(update={"instrument": scale.instrument.model_copy(
        update={"scale": scale.instrument.scale.model_copy(update={"min": -3, "max": 3})})})
    values, missing, _ = CellValidator(semantic, ("-3", "(跳过)")).convert(pd.Series(["-3", "(跳过)", "2"]), "scale")
    assert values[0] == -3 and missing.tolist() == [False, True, False]


def test_an_unrecognised_second_header_row_is_explained_first(tmp_path: Path) -> None:
    frame = CLEAN.astype(object)
    texts = pd.DataFrame([{column: f"Question {column}" for column in frame.columns}])
    path = tmp_path / "two-headers.csv"
    pd.concat([texts, frame]).to_csv(path, index=False)
    with pytest.raises(UserError) as caught:
        servgap.analyze(path, FIXTURES / "mini.yaml")
    first = caught.value.details[0]
    assert first.startswith("row 2: row 2 holds text in 10 of the 10 rating columns: it looks like a second header")
    assert "--source" in first


def test_qualtrics_columns_map_by_their_question_text_too(tmp_path: Path) -> None:
    data, written = exports.qualtrics(tmp_path)
    config = yaml.safe_load(written.read_text())
    # T1 by the question text Qualtrics writes in row 2 (with its line break and spacing loosened).
    config["data"]["columns"]["T1"] = {"expectation": "An excellent company would have… - Modern equipment",
                                       "perception": "XYZ company has…  - Modern equipment"}
    written.write_text(yaml.safe_dump(config, allow_unicode=True))
    result = servgap.analyze(data, written)
    assert result.data_quality.platform == "qualtrics"
    clean = servgap.analyze(exports.clean_file(tmp_path), FIXTURES / "mini.yaml")
    assert numbers(result) == numbers(clean)


def test_init_from_an_export_without_pairs_writes_nothing_and_says_why(tmp_path: Path) -> None:
    export = tmp_path / "other.csv"
    export.write_text("name,age,score\nA,3,5\nB,4,6\n")
    result = run_line(["init", str(tmp_path / "d.yaml"), "--from-export", str(export)])
    assert result.exit_code == 1 and "no pair of expectation and perception columns" in result.stderr
    assert not (tmp_path / "d.yaml").exists() and not (tmp_path / "servgap.schema.json").exists()


def test_a_compressed_export_cannot_expand_without_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    import servgap.data.tables as tables

    monkeypatch.setattr(tables, "MAX_EXPANDED_BYTES", 1 << 16)
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip.compress(b"respondent_id,E_T1\n" + b"r,1\n" * 100_000))
    with pytest.raises(UserError) as caught:
        servgap.analyze(bomb, FIXTURES / "mini.yaml")
    assert caught.value.exit_code == 2 and "expands to more than" in caught.value.details[0]
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(b"respondent_id,E_T1\n")[:12])
    with pytest.raises(UserError) as caught:
        servgap.analyze(broken, FIXTURES / "mini.yaml")
    assert caught.value.exit_code == 2 and "not a readable .gz file" in caught.value.details[0]


def test_a_drafted_config_keeps_hostile_headers_inert(tmp_path: Path) -> None:
    frame = CLEAN[["respondent_id", "E_T1", "P_T1", "E_T2", "P_T2"]].rename(columns={
        "E_T1": "Q1 [Expectation]\nformat_version: 99", "P_T1": "Q1 [Perception]\nformat_version: 99",
        "E_T2": "=HYPERLINK(\"x\") [Expectation]", "P_T2": "=HYPERLINK(\"x\") [Perception]"})
    export = tmp_path / "hostile.csv"
    frame.to_csv(export, index=False)
    draft = tmp_path / "d.yaml"
    assert run_line(["init", str(draft), "--from-export", str(export)]).exit_code == 0
    config = yaml.safe_load(draft.read_text())  # still one YAML document with the keys servgap wrote
    assert config["format_version"] == 1
    assert {c["expectation"] for c in config["data"]["columns"].values()} == {
        "Q1 [Expectation]\nformat_version: 99", "=HYPERLINK(\"x\") [Expectation]"}
    assert run_line(["check", str(draft), "--data", str(export)]).exit_code == 0


def test_label_answers_for_an_unlabelled_scale_are_explained_first(tmp_path: Path) -> None:
    data, _ = exports.google_forms(tmp_path, labels=True)
    numeric = tmp_path / "numeric"
    numeric.mkdir()
    _, config = exports.google_forms(numeric)  # the same export's config without scale labels
    with pytest.raises(UserError) as caught:
        servgap.analyze(data, config)
    first = caught.value.details[0]
    assert first.startswith("file: 59 cells hold words ('Agree', 'Strongly agree', 'Somewhat agree'…)")
    assert "instrument.scale.labels" in first
