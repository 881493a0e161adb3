"""Defects a reviewer found, each pinned by its minimal case (hand-worked, or against scipy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import servgap
from servgap.results.notes import note_text
from tests.conftest import FIXTURES, run_line

ZOT_CONFIG = """\
format_version: 1
instrument:
  id: zot3
  name:
    en: Zone
  scale:
    min: 1
    max: 9
  facets: [adequate, desired, perception]
dimensions:
  - id: D
    name:
      en: Desk
    items:
      - id: a
        text:
          en: A
      - id: b
        text:
          en: B
      - id: c
        text:
          en: C
"""
MINIMUM = [(2, 4, 5), (7, 8, 8), (5, 5, 5), (5, 6, 6), (4, 4, 4), (6, 6, 6), (1, 1, 1), (3, 3, 3), (4, 4, 4)]
PERCEIVED = [(3, 4, 5), (8, 8, 8), (5, 5, 5), (6, 7, 5), (4, 4, 5), (6, 6, 6), (2, 1, 1), (3, 3, 3), (4, 4, 4)]


def zot_study(tmp_path: Path) -> tuple[Path, Path]:
    lines = ["respondent_id,group," + ",".join(f"{f}_{i}" for f in ("MIN", "DES", "P") for i in "abc")]
    for r, (low, seen) in enumerate(zip(MINIMUM, PERCEIVED, strict=True)):
        row = [f"r{r + 1}", "xyz"[r // 3], *map(str, low), "9", "9", "9", *map(str, seen)]
        lines.append(",".join(row))
    data = tmp_path / "zot.csv"
    data.write_text("\n".join(lines) + "\n")
    config = tmp_path / "zot.yaml"
    config.write_text(ZOT_CONFIG + "analysis:\n  min_segment_n: 3\n")
    return data, config


def test_kruskal_wallis_on_msa_sees_the_ties(tmp_path: Path) -> None:
    # Respondent MSA = Σ(P − A)/3: 1/3, 1/3, 0 | 1/3, 1/3, 0 | 1/3, 0, 0. Ranks of the nine values
    # (four 0s share rank 2.5, five 1/3s share 7): H = 0.8 after the tie correction, p = 0.6703.
    data, config = zot_study(tmp_path)
    result = servgap.analyze(data, config, by="group")
    (test,) = [t for t in result.segment_tests if t.column == "group"]
    assert test.test == "kruskal_wallis"
    assert test.statistic == pytest.approx(0.8, abs=1e-12)
    expected = stats.kruskal([1 / 3, 1 / 3, 0], [1 / 3, 1 / 3, 0], [1 / 3, 0, 0])
    assert test.statistic == pytest.approx(expected.statistic, abs=1e-12)
    assert test.p_value == pytest.approx(0.6703, abs=5e-5)


def test_standards_and_promises_alone_report_the_management_gaps_as_not_measured(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text()
                      + "management:\n  standards:\n    T1: 6\n    R1: 6\n  promises:\n    T1: 7\n")
    payload = servgap.analyze(FIXTURES / "mini.csv", config).to_dict()
    gaps = {gap["gap"]: gap for gap in payload["management"]["gaps"]}
    assert set(gaps) == {1, 2, 3, 4}
    assert not any(gap["measured"] for gap in gaps.values())
    assert all(gap["needs"] for gap in gaps.values())  # each names the data that would measure it
    assert payload["management"]["standards_coverage"] == pytest.approx(2 / 5)
    result = run_line(["analyze", str(FIXTURES / "mini.csv"), "-c", str(config)])
    assert result.exit_code == 0 and "not measured" in result.stdout


def test_importance_columns_without_usable_points_fall_back_to_equal_weights(tmp_path: Path) -> None:
    lines = (FIXTURES / "mini.csv").read_text().splitlines()
    lines[1:] = [",".join([*line.split(",")[:-2], "", ""]) for line in lines[1:]]  # W_TAN, W_REL blank
    path = tmp_path / "blank-points.csv"
    path.write_text("\n".join(lines) + "\n")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning may leak
        result = servgap.analyze(path, FIXTURES / "mini.yaml")
    entries = result.checklist.entries
    # Equal weights 0.5: R1 0.75, R2 and R3 0.667 (tie: smaller adjusted p first), T1 and T2 0.333.
    assert [entry.ref for entry in entries] == ["R1", "R2", "R3", "T2", "T1"]
    assert entries[0].priority == pytest.approx(0.5 * 1.5)
    assert [note.code for note in result.checklist.notes] == ["no_usable_points"]
    assert result.overall.weighting == "none"
    cli = run_line(["analyze", str(path), "-c", str(FIXTURES / "mini.yaml"), "-f", "json"])
    assert cli.exit_code == 0 and "Warning" not in cli.stderr


@pytest.mark.parametrize("correction", ["none", "fdr_bh", "holm"])
def test_gap_1_p_values_follow_the_configured_correction(correction: str) -> None:
    from servgap.stats.adjust import adjust

    config = FIXTURES / "mini-management.yaml"
    result = servgap.analyze(FIXTURES / "mini.csv", config, managers=FIXTURES / "managers.csv",
                             correction=correction)
    (gap1,) = [gap for gap in result.management.gaps if gap.gap == 1]
    p = np.array([item.p_value if item.p_value is not None else np.nan for item in gap1.items])
    adjusted = [item.p_adjusted for item in gap1.items]
    assert adjusted == pytest.approx(adjust(p, correction).tolist(), nan_ok=True)
    if correction == "none":
        assert adjusted == pytest.approx(p.tolist(), nan_ok=True)


def test_compare_refuses_an_undeclared_language(tmp_path: Path) -> None:
    result = run_line(["compare", str(FIXTURES / "mini.csv"), str(FIXTURES / "mini.csv"), "-c",
                       str(FIXTURES / "mini.yaml"), "--lang", "fr"])
    assert result.exit_code == 2 and "--lang fr" in result.stderr


def test_a_form_for_a_positional_override_analyses_the_right_column(tmp_path: Path) -> None:
    import openpyxl

    config = tmp_path / "pos.yaml"
    config.write_text(ZOT_CONFIG.replace("  facets: [adequate, desired, perception]\n", "").replace("max: 9", "max: 7")
                      + "data:\n  respondent_id: null\n  columns:\n    a:\n      expectation: 5\n")
    form = tmp_path / "form.xlsx"
    assert run_line(["form", str(config), "-o", str(form)]).exit_code == 0
    book = openpyxl.load_workbook(form)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[4] == "E_a"  # the override: position 5
    for row in range(2, 8):
        for column, header in enumerate(headers, start=1):
            if header and header.startswith(("E_", "P_")):
                sheet.cell(row=row, column=column, value=7 if header.startswith("E_") else 2)
    book.save(form)
    result = servgap.analyze(form, config)
    assert {item.id: item.gap for item in result.items} == {"a": -5.0, "b": -5.0, "c": -5.0}


def test_segment_tests_name_every_respondent_left_out_and_their_direction(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(FIXTURES / "mini.csv")
    frame["branch"] = ["South", "North", "", "South", "North", ""]  # two respondents without a value
    path = tmp_path / "b.csv"
    frame.to_csv(path, index=False)
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "analysis:\n  min_segment_n: 2\n")
    result = servgap.analyze(path, config, by="branch")
    assert [segment.value for segment in result.segments] == ["South", "North", None]  # first appearance
    test = next(t for t in result.segment_tests if t.dimension == "REL")
    assert test.groups == ["South", "North"] and test.direction == "South − North"
    assert [(left.value, left.n, left.reason) for left in test.excluded] == [(None, 2, "no_value")]
    # REL gaps: South (r1, r4) −4/3, −4/3; North (r2, r5) −4/3, −2. Welch by hand: means −4/3 and
    # −5/3, variances 0 and 2/9, n 2 and 2: t = (1/3)/√(0/2 + (2/9)/2) = 1.
    assert test.statistic == pytest.approx(1.0, abs=1e-12)
    payload = result.to_dict()["segment_tests"][1]
    assert payload["direction"] == "South − North"
    assert payload["excluded"] == [{"value": None, "n": 2, "reason": "no_value"}]


def test_the_bootstrap_of_zone_of_tolerance_data_gives_msa_intervals(tmp_path: Path) -> None:
    data, config = zot_study(tmp_path)
    result = servgap.analyze(data, config, bootstrap=400, seed=5)
    boot = result.bootstrap
    assert boot.measure == "msa"
    msa = {row.id: row.msa for row in result.tolerance.dimensions}
    assert boot.estimates["D"] == pytest.approx(msa["D"], abs=1e-12)  # = mean of Σ(P − A)/3 = 5/27
    assert msa["D"] == pytest.approx(5 / 27, abs=1e-12)
    low, high = boot.dimensions["D"]
    assert np.isfinite(low) and np.isfinite(high) and low <= msa["D"] <= high
    # A plain resampling loop over the respondents' MSAs gives the same percentile interval.
    scores = np.array([1 / 3, 1 / 3, 0, 1 / 3, 1 / 3, 0, 1 / 3, 0, 0])
    rng = np.random.default_rng(5)
    loop = [scores[rng.integers(0, 9, 9)].mean() for _ in range(400)]
    assert (low, high) == pytest.approx(tuple(np.percentile(loop, [2.5, 97.5])), abs=1e-12)
    assert set(boot.rank_stability.values()) == {None}  # zone-first ranking: not decided by gaps


def test_a_quadrant_that_seems_to_contradict_the_ranking_is_explained_in_one_line() -> None:
    from tests.conftest import CONFIGS, EXAMPLES

    result = servgap.analyze(EXAMPLES / "restaurant" / "responses.csv", CONFIGS / "restaurant.yaml")
    leading = [entry for entry in result.checklist.entries[:5]
               if entry.kind == "item" and entry.quadrant == "low_priority"]
    assert leading  # the example has such items: the first is tan2, low priority in its quadrant
    notes = [note for note in result.checklist.notes
             if note.code == "quadrant_disagrees" and note.values["quadrant"] == "low_priority"]
    assert len(notes) == 1 and notes[0].values["items"] == [entry.ref for entry in leading]
    english = note_text(notes[0], "en")
    assert "importance–performance quadrant is 'low priority'" in english and leading[0].ref in english
    chinese = note_text(notes[0], "zh")
    assert "象限为“次要”" in chinese and leading[0].ref in chinese and "quadrant" not in chinese
    # The JSON words it in the report's language and keeps the code for programs.
    payload = result.to_dict(language="zh")
    assert {"code": "quadrant_disagrees", "text": chinese, "values": notes[0].values} in payload["checklist_notes"]


def test_bundled_items_carry_their_own_actions_before_their_dimensions() -> None:
    from tests.conftest import CONFIGS, EXAMPLES

    for name in ("restaurant", "airline", "servqual"):
        config = servgap.load_config(CONFIGS / f"{name}.yaml")
        assert all(item.actions for _, item in config.items()), name
    result = servgap.analyze(EXAMPLES / "restaurant" / "responses.csv", CONFIGS / "restaurant.yaml")
    config = servgap.load_config(CONFIGS / "restaurant.yaml")
    items = {item.id: (dimension, item) for dimension, item in config.items()}
    for entry in (e for e in result.checklist.entries if e.kind == "item"):
        dimension, item = items[entry.ref]
        assert entry.actions == [*item.actions, *dimension.actions]
    parking = next(e for e in result.checklist.entries if e.ref == "tan1")
    assert "parking" in parking.actions[0]["en"].lower()


def zone_study(tmp_path: Path, rows: list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]],
               extra: str = "") -> tuple[Path, Path]:
    lines = ["respondent_id," + ",".join(f"{f}_{i}" for f in ("MIN", "DES", "P") for i in "abc")]
    lines += [f"r{n}," + ",".join(map(str, (*low, *high, *seen))) for n, (low, high, seen) in enumerate(rows, 1)]
    data = tmp_path / "z.csv"
    data.write_text("\n".join(lines) + "\n")
    config = tmp_path / "z.yaml"
    config.write_text(ZOT_CONFIG + extra)
    return data, config


def test_zone_first_ranks_below_the_zone_and_counts_mss_zero_as_a_strength(tmp_path: Path) -> None:
    # a: P 4 < A 5 → below (MSA −1); b: P 6 = D 6 → within, MSS 0 → a strength; c: P 5 > D 4 → above.
    data, config = zone_study(tmp_path, [((5, 3, 2), (7, 6, 4), (4, 6, 5))] * 3)
    checklist = servgap.analyze(data, config).checklist
    assert checklist.method == "zone_first"
    assert [entry.ref for entry in checklist.entries] == ["a"]
    assert checklist.strengths == ["b", "c"]
    # b within the zone with MSS −1 (P 5 < D 6) is an action after the below-zone item.
    data, config = zone_study(tmp_path, [((5, 3, 2), (7, 6, 4), (4, 5, 5))] * 3)
    checklist = servgap.analyze(data, config).checklist
    assert [entry.ref for entry in checklist.entries] == ["a", "b"] and checklist.strengths == ["c"]


def test_a_ranking_the_data_cannot_support_falls_back_with_a_note(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text((FIXTURES / "mini.yaml").read_text() + "analysis:\n  priority: zone_first\n")
    checklist = servgap.analyze(FIXTURES / "mini.csv", config).checklist
    assert checklist.method == "importance_gap"
    assert checklist.notes[0].code == "zone_first_unavailable"
    assert note_text(checklist.notes[0], "en").startswith("zone_first needs adequate and desired ratings")
    assert note_text(checklist.notes[0], "zh").startswith("zone_first 需要可接受与期望两种评分")
    config.write_text((FIXTURES / "mini.yaml").read_text() + "analysis:\n  priority: ipa\n")
    lines = (FIXTURES / "mini.csv").read_text().splitlines()
    no_points = tmp_path / "no-points.csv"
    no_points.write_text("\n".join(",".join(line.split(",")[:-2]) for line in lines) + "\n")
    checklist = servgap.analyze(no_points, config).checklist
    assert checklist.method == "importance_gap"
    assert checklist.notes[0].code == "ipa_unavailable"
    assert note_text(checklist.notes[0], "en").startswith("ipa needs a source of importance (I_{item} columns")
    data, zone_config = zone_study(tmp_path, [((5, 3, 2), (7, 6, 4), (4, 6, 5))] * 3,
                                   "analysis:\n  priority: gap\n")
    checklist = servgap.analyze(data, zone_config).checklist
    assert checklist.method == "zone_first"
    assert checklist.notes[0].code == "ranked_by_zone"
    assert "no expectation ratings" in note_text(checklist.notes[0], "en")
