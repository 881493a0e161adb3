"""Management gaps, factor risks, the priority comparison and the checklist, against hand-worked values.

The fixture is docs/method.md §7's six customers (tests/fixtures/mini.csv) with three managers,
two audits, three staff answers, standards and promises (tests/fixtures/mini-management.yaml).
The expected values below were worked out by hand from those files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from servgap import analyze
from servgap.analysis.management import factor_risk
from servgap.errors import UserError
from tests.conftest import CONFIGS, EXAMPLES, run_line
from tests.helpers import FIXTURES

CONFIG = FIXTURES / "mini-management.yaml"
DATA = FIXTURES / "mini.csv"
ALL = {"managers": FIXTURES / "managers.csv", "audits": FIXTURES / "audits.csv", "staff": FIXTURES / "staff.csv"}
APPROX = {"abs": 5e-5}


def gaps(assessment) -> dict:
    return {gap.gap: gap for gap in assessment.management.gaps}


def item_values(gap) -> dict:
    return {item.id: item.value for item in gap.items}


@pytest.fixture(scope="module")
def assessment():
    return analyze(DATA, CONFIG, **ALL)


def test_gap_values_per_item(assessment) -> None:
    by_gap = gaps(assessment)
    # gap 1 = M − E: E = 6.1667, 6.0, 6.6667, 6.6667, 6.5; M = 6.0, 6.0, 5.3333, 6.0, 6.5
    assert item_values(by_gap[1]) == pytest.approx(
        {"T1": -1 / 6, "T2": 0.0, "R1": -4 / 3, "R2": -2 / 3, "R3": 0.0}, **APPROX)
    # gap 2 = S − M where a standard exists (T1 6, T2 5, R1 6)
    assert item_values(by_gap[2]) == pytest.approx({"T1": 0.0, "T2": -1.0, "R1": 2 / 3, "R2": None, "R3": None},
                                                   **APPROX)
    # gap 3 = D − S: D = 5.5, 4.5, 6.0, 6.0, 4.0
    assert item_values(by_gap[3]) == pytest.approx({"T1": -0.5, "T2": -0.5, "R1": 0.0, "R2": None, "R3": None},
                                                   **APPROX)
    # gap 4 = D − C where a promise exists (T1 7, R1 6, R3 5)
    assert item_values(by_gap[4]) == pytest.approx({"T1": -1.5, "T2": None, "R1": 0.0, "R2": None, "R3": -1.0},
                                                   **APPROX)


def test_gap_values_per_dimension_and_overall(assessment) -> None:
    by_gap = gaps(assessment)
    assert [d.value for d in by_gap[1].dimensions] == pytest.approx([-1 / 12, -2 / 3], **APPROX)
    assert [(d.items_measured, d.items) for d in by_gap[2].dimensions] == [(2, 2), (1, 3)]
    assert [by_gap[g].value for g in (1, 2, 3, 4)] == pytest.approx([-13 / 30, -1 / 9, -1 / 3, -5 / 6], **APPROX)
    assert assessment.management.standards_coverage == pytest.approx(0.6)
    assert assessment.management.uncovered_items == ["R2", "R3"]


def test_gap_one_test_is_welch(assessment) -> None:
    item = gaps(assessment)[1].items[0]
    reference = stats.ttest_ind([5, 6, 7], [6, 7, 5, 6, 7, 6], equal_var=False)
    assert item.p_value == pytest.approx(reference.pvalue, rel=1e-12)
    assert item.n == 3


def test_factor_scores_risks_and_alpha(assessment) -> None:
    factors = {factor.id: factor for factor in gaps(assessment)[1].factors}
    # research: a1 = 2, 3, 1; a2 reversed (6 − x) = 2, 2, 1 → respondent means 2, 2.5, 1 → 1.8333
    assert factors["research"].score == pytest.approx(11 / 6, **APPROX)
    assert factors["research"].risk == pytest.approx((5 - 11 / 6) / 4, **APPROX)
    assert factors["research"].alpha == pytest.approx(6 / 7, **APPROX)  # 2 × (1 − (1 + 1/3) / (7/3))
    assert factors["layers"].score == pytest.approx(4.0)
    assert factors["layers"].risk == pytest.approx(0.75)
    assert np.isnan(factors["layers"].alpha)  # one statement: alpha undefined
    assert gaps(assessment)[1].risk == pytest.approx(((5 - 11 / 6) / 4 + 0.75) / 2, **APPROX)
    assert gaps(assessment)[2].risk is None  # no factor of gap 2 in this set


def test_factor_risk_formula() -> None:
    assert factor_risk(5, "protective", 1, 5) == 0.0
    assert factor_risk(1, "protective", 1, 5) == 1.0
    assert factor_risk(4, "risk", 1, 7) == 0.5


def test_checklist_order_with_ties(assessment) -> None:
    entries = assessment.checklist.entries
    # priorities: R1 0.7167 × 1.5; R2 and R3 0.7167 × 1.3333 (tie: R2's adjusted p 0.0058 < R3's 0.0310);
    # T1 and T2 0.2833 × 0.6667 (tie: T2's adjusted p 0.0501 < T1's 0.1019)
    assert [(e.rank, e.ref) for e in entries if e.kind == "item"] == [(1, "R1"), (2, "R2"), (3, "R3"), (4, "T2"),
                                                                       (5, "T1")]
    assert entries[0].priority == pytest.approx(0.7167 * 1.5, abs=1e-3)
    # management gaps by shortfall: gap 4 (−0.83), gap 1 (−0.43), gap 3 (−0.33), gap 2 (−0.11)
    assert [e.ref for e in entries if e.kind == "management_gap"] == ["gap4", "gap1", "gap3", "gap2"]
    gap1 = next(e for e in entries if e.ref == "gap1")
    assert [c["en"] for c in gap1.causes] == ["Customer research", "Management layers"]
    assert [a["en"] for a in gap1.actions] == ["Do we know what customers expect?"]
    assert assessment.checklist.strengths == []


def test_checklist_without_management_data_and_equal_weights(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(DATA).drop(columns=["W_TAN", "W_REL"])
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    result = analyze(path, CONFIG)
    # The config's standards alone measure no gap: every gap is reported as not measured (issue:
    # "an unmeasured gap is reported as not measured"), and none enters the checklist.
    assert result.management is not None and not any(gap.measured for gap in result.management.gaps)
    assert [e.ref for e in result.checklist.entries] == ["R1", "R2", "R3", "T2", "T1"]
    assert result.checklist.entries[0].priority == pytest.approx(0.5 * 1.5)


def test_unmeasured_gaps_name_their_data_and_risk_alone_enters(tmp_path: Path) -> None:
    result = analyze(DATA, CONFIG, staff=FIXTURES / "staff.csv")
    by_gap = gaps(result)
    assert not by_gap[1].measured and by_gap[1].value is None
    assert "--managers" in by_gap[1].needs[0]
    assert not by_gap[3].measured and any("--audits" in need for need in by_gap[3].needs)
    assert [e.ref for e in result.checklist.entries if e.kind == "management_gap"] == ["gap1"]  # risk 0.77 ≥ 0.5


def test_strengths_are_listed_apart(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(DATA)
    frame["P_T1"] = 7  # T1 now exceeds expectations for everyone
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    result = analyze(path, CONFIG)
    assert result.checklist.strengths == ["T1"]
    assert "T1" not in [e.ref for e in result.checklist.entries]


def test_airline_example_reproduces_the_seed_ranking_story() -> None:
    folder = EXAMPLES / "airline"
    result = analyze(folder / "passengers.csv", CONFIGS / "airline.yaml", managers=folder / "managers.csv",
                     audits=folder / "audits.csv", staff=folder / "staff.csv")
    comparison = result.management.priority_comparison
    assert comparison.basis == "item_expectations"
    assert comparison.spearman_rho < -0.5
    rows = {row.id: row for row in comparison.rows}
    for item in ("inf1", "inf2", "crw1", "pun1", "cmf1"):  # passengers value these more than managers think
        assert rows[item].displacement > 0
    for item in ("saf1", "cmf2", "crw3", "pun2", "crw2"):  # managers value these more
        assert rows[item].displacement < 0
    reference = stats.spearmanr([row.customer for row in comparison.rows], [row.manager for row in comparison.rows])
    assert comparison.spearman_rho == pytest.approx(reference.statistic)
    assert all(gap.measured for gap in result.management.gaps)


def test_json_management_and_checklist_sections() -> None:
    result = run_line(["analyze", str(DATA), "-c", str(CONFIG), "--managers", str(FIXTURES / "managers.csv"),
                       "--audits", str(FIXTURES / "audits.csv"), "--staff", str(FIXTURES / "staff.csv"), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    first = payload["management"]["gaps"][0]
    assert set(first) >= {"gap", "name", "measured", "value", "dimensions", "items", "risk", "factors"}
    assert payload["management"]["customer_gap"]["gap"] == 5
    assert set(payload["management"]["priority_comparison"]) >= {"basis", "rows", "spearman_rho",
                                                                  "largest_displacements"}
    entry = payload["checklist"][0]
    assert set(entry) >= {"rank", "kind", "ref", "priority", "gap", "actions"}
    assert entry["ref"] == "R1"


def test_checklist_command_markdown_has_boxes() -> None:
    result = run_line(["checklist", str(DATA), "-c", str(CONFIG), "--audits", str(FIXTURES / "audits.csv"),
                       "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("### Improvement checklist")
    assert "   - [ ] Do we promise only what we deliver?" in result.stdout


def test_demo_shows_management_gaps_and_checklist() -> None:
    result = run_line(["demo"])
    assert "Management gaps" in result.stdout
    assert "Improvement checklist" in result.stdout
    assert "[ ]" in result.stdout


# --- bad management input ---------------------------------------------------------------------------

def refusal(tmp_path: Path, **files) -> UserError:
    with pytest.raises(UserError) as caught:
        analyze(DATA, CONFIG, **files)
    return caught.value


def test_managers_file_missing_a_column(tmp_path: Path) -> None:
    path = tmp_path / "managers.csv"
    path.write_text("M_T1,M_T2,M_R1,M_R2\n5,6,5,6\n")
    error = refusal(tmp_path, managers=path)
    assert error.exit_code == 1
    assert error.details == ["row 1: no column 'M_R3' for item R3 (manager estimate); closest headers: 'M_R2' "
                             "(column 4; the config has 'R3', the file 'R2'), 'M_R1' (column 3), 'M_T2' (column 2)"]


def test_audits_with_an_invalid_cell(tmp_path: Path) -> None:
    path = tmp_path / "audits.csv"
    path.write_text("AUD_T1,AUD_T2,AUD_R1,AUD_R2,AUD_R3\n5,4,6,5,4\n6,5,8,7,4\n")
    error = refusal(tmp_path, audits=path)
    assert error.details == ["row 3, column 3 'AUD_R1': '8': outside the scale 1–7"]


def test_staff_file_missing_a_statement(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("a1,b1\n2,4\n")
    error = refusal(tmp_path, staff=path)
    assert "no column 'a2' for item a2 (answer)" in error.details[0]


def test_staff_answers_on_the_factor_scale(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("a1,a2,b1\n2,4,6\n")
    error = refusal(tmp_path, staff=path)
    assert error.details == ["row 2, column 3 'b1': '6': outside the scale 1–5"]


def test_standards_sheet_problems(tmp_path: Path) -> None:
    path = tmp_path / "standards.csv"
    path.write_text("item,level\nT1,6\nT9,5\nT1,5\nR1,9\n")
    error = refusal(tmp_path, standards=path)
    assert error.details == [
        "row 3, column 1 'item': 'T9' is not an item id of this instrument",
        "row 4, column 1 'item': item 'T1' is listed twice",
        "row 5, column 2 'level': '9': a standard level must be a number on the scale 1–7",
    ]


def test_promises_sheet_without_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "promises.csv"
    path.write_text("what,how much\nT1,6\n")
    error = refusal(tmp_path, promises=path)
    assert "needs the columns item and level" in error.details[0]


def test_promises_sheet_overrides_the_config(tmp_path: Path) -> None:
    path = tmp_path / "promises.csv"
    path.write_text("item,promise\nT1,6\nT2,5\n")
    result = analyze(DATA, CONFIG, audits=FIXTURES / "audits.csv", promises=path)
    assert item_values(gaps(result)[4]) == pytest.approx({"T1": -0.5, "T2": -0.5, "R1": 0.0, "R2": None,
                                                          "R3": -1.0})


def test_staff_without_factors_in_the_config(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        analyze(DATA, FIXTURES / "mini.yaml", staff=FIXTURES / "staff.csv")
    assert caught.value.message.startswith(str(FIXTURES / "staff.csv"))
    assert caught.value.details == ["file: the config names no factors for the staff questionnaire; add "
                                    "`management: {factors: gap-model}`"]


def test_cli_refusal_names_the_management_file(tmp_path: Path) -> None:
    path = tmp_path / "managers.csv"
    path.write_text("M_T1\n5\n")
    result = run_line(["analyze", str(DATA), "-c", str(CONFIG), "--managers", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.stderr and "nothing was written" in result.stderr


@pytest.mark.parametrize(("sheet", "details"), [
    # A level column may be called level, standard or target; the scale's ends are valid levels.
    ("item,target\nT1,1\nT2,7\n", None),
    ("item,standard\nT1,6\n", None),
    # Only one of the two columns: the message names what is needed and what was found.
    ("item,lvl\nT1,6\n", ["row 1: a standards sheet needs the columns item and level; found: item, lvl"]),
    ("level\n6\n", ["row 1: a standards sheet needs the columns item and level; found: level"]),
    # Blank lines keep their row numbers, as a spreadsheet shows them; blanks and numbers read as such.
    ("item,level\nT1,6\n\nT9,5\nT2,\nR1,8\nR2,0.5\n", [
        "row 4, column 1 'item': 'T9' is not an item id of this instrument",
        "row 5, column 2 'level': blank: a standard level must be a number on the scale 1–7",
        "row 6, column 2 'level': '8': a standard level must be a number on the scale 1–7",
        "row 7, column 2 'level': '0.5': a standard level must be a number on the scale 1–7",
    ]),
])
def test_standards_sheet_columns_and_cells(tmp_path: Path, sheet: str, details: list[str] | None) -> None:
    path = tmp_path / "standards.csv"
    path.write_text(sheet)
    if details is not None:
        assert refusal(tmp_path, standards=path).details == details
        return
    result = analyze(DATA, CONFIG, audits=FIXTURES / "audits.csv", standards=path)
    levels = {item.id: item.first for item in gaps(result)[3].items if item.first is not None}
    expected = {"T1": 1.0, "T2": 7.0} if "target" in sheet else {"T1": 6.0}
    assert levels == {**{"T1": 6.0, "T2": 5.0, "R1": 6.0}, **expected}


@pytest.mark.parametrize("kind", ["audits", "staff", "standards"])
def test_a_bad_management_file_is_named_in_the_refusal(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text({"audits": "AUD_T1\nx\n", "staff": "a1,a2\n2,9\n", "standards": "item,level\nT9,5\n"}[kind])
    result = run_line(["analyze", str(DATA), "-c", str(CONFIG), f"--{kind}", str(path)])
    assert result.exit_code == 1 and str(path) in result.stderr, result.stderr


def test_management_files_follow_the_reading_options_and_name_their_facet(tmp_path: Path) -> None:
    audits = tmp_path / "audits.csv"
    audits.write_text("visit,AUD_T1,AUD_T2,AUD_R1,AUD_R2,AUD_R3\nv1,5,4,6,5,4\nv2,6,5,6,7,lots\n")
    with pytest.raises(UserError) as caught:
        analyze(DATA, CONFIG, audits=audits)
    assert caught.value.details == ["row 3, column 6 'AUD_R3': 'lots': not a number"]
    # --invalid missing reaches the management files too: R3's delivered level is then v1's alone.
    result = analyze(DATA, CONFIG, audits=audits, invalid="missing")
    delivered = {item.id: (item.second, item.n) for item in gaps(result)[3].items}
    assert delivered["R3"] == (4.0, 1) and delivered["T1"] == (5.5, 2)
    missing = tmp_path / "audits-missing.csv"
    missing.write_text("visit,AUD_T1\nv1,5\n")
    with pytest.raises(UserError) as caught:
        analyze(DATA, CONFIG, audits=missing)
    assert caught.value.details[1] == "row 1: no column 'AUD_T2' for item T2 (audited level); closest headers: " \
        "'AUD_T1' (column 2; the config has 'T2', the file 'T1')"


def test_management_ids_missing_codes_and_column_overrides_follow_the_config(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(CONFIG.read_text().replace("management:\n", "data:\n  missing_codes: [NA]\nmanagement:\n"
                                                 "  managers:\n    respondent_id: manager\n"
                                                 "    columns:\n      T1: How do customers rate T1?\n", 1))
    managers = tmp_path / "managers.csv"
    managers.write_text("manager,How do customers rate T1?,M_T2,M_R1,M_R2,M_R3\n"
                        "m1,5,6,5,6,NA\nm2,6,6,5,6,7\nm3,7,6,6,6,6\n")
    result = analyze(DATA, config, managers=managers)
    items = {item.id: item for item in gaps(result)[1].items}
    assert (items["T1"].second, items["T1"].n) == (6.0, 3)  # mapped by its header text
    assert (items["R3"].second, items["R3"].n) == (6.5, 2)  # NA is a declared missing code
    assert result.management.respondents == {"managers": 3, "audits": 0, "staff": 0}
    managers.write_text("manager,How do customers rate T1?,M_T2,M_R1,M_R2,M_R3\nm1,5,6,5,6,6\nm1,6,6,5,6,7\n")
    with pytest.raises(UserError) as caught:
        analyze(DATA, config, managers=managers)
    assert caught.value.details == ["row 3, column 1 'manager': respondent id 'm1' already appears on row 2"]


def test_unmeasured_gaps_name_exactly_the_data_they_lack(tmp_path: Path) -> None:
    from servgap.analysis.management import (
        AUDITS_NEEDED,
        EXPECTATIONS_NEEDED,
        MANAGERS_NEEDED,
        PROMISES_NEEDED,
        STANDARDS_NEEDED,
    )

    config = tmp_path / "c.yaml"
    text = CONFIG.read_text()
    start = text.index("  standards:")
    end = text.index("  factors:")
    config.write_text(text[:start] + text[end:])  # no standards, no promises
    result = analyze(DATA, config, audits=FIXTURES / "audits.csv")
    needs = {gap.gap: gap.needs for gap in result.management.gaps}
    assert needs == {1: [MANAGERS_NEEDED], 2: [MANAGERS_NEEDED, STANDARDS_NEEDED], 3: [STANDARDS_NEEDED],
                     4: [PROMISES_NEEDED]}
    assert result.management.respondents == {"managers": 0, "audits": 2, "staff": 0}
    # A perception-only survey cannot measure gap 1 even with managers' estimates, and says why.
    servperf = tmp_path / "servperf.yaml"
    servperf.write_text(config.read_text().replace("    max: 7\n", "    max: 7\n  facets: [perception]\n", 1))
    result = analyze(DATA, servperf, managers=FIXTURES / "managers.csv")
    first = result.management.gaps[0]
    assert (first.measured, first.needs) == (False, [EXPECTATIONS_NEEDED])
    assert all(item.p_value is None for item in first.items)
    assert AUDITS_NEEDED in result.management.gaps[2].needs


def test_gap_one_is_tested_with_two_customers_and_two_managers(tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    lines = DATA.read_text().splitlines()
    blanked = [lines[0]] + [",".join("" if header == "P_T1" and k > 2 else cell
                                     for header, cell in zip(lines[0].split(","), line.split(","), strict=True))
                            for k, line in enumerate(lines[1:], start=1)]
    customers.write_text("\n".join(blanked) + "\n")  # only r1 and r2 rated T1 on both facets
    item = gaps(analyze(customers, CONFIG, managers=FIXTURES / "managers.csv"))[1].items[0]
    reference = stats.ttest_ind([5, 6, 7], [6, 7], equal_var=False)
    assert item.p_value == pytest.approx(reference.pvalue, rel=1e-12)


def test_staff_ids_follow_the_config(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(CONFIG.read_text().replace("management:\n", "management:\n  staff:\n    respondent_id: who\n", 1))
    staff = tmp_path / "staff.csv"
    staff.write_text("who,a1,a2,b1\ns1,2,4,4\ns1,3,4,5\n")
    with pytest.raises(UserError) as caught:
        analyze(DATA, config, staff=staff)
    assert caught.value.details == ["row 3, column 1 'who': respondent id 's1' already appears on row 2"]


def test_every_management_file_follows_invalid_missing(tmp_path: Path) -> None:
    managers = tmp_path / "managers.csv"
    managers.write_text("M_T1,M_T2,M_R1,M_R2,M_R3\n5,6,5,6,x\n6,6,5,6,7\n7,6,6,6,6\n")
    staff = tmp_path / "staff.csv"
    staff.write_text("a1,a2,b1\n2,4,4\n3,4,5\n1,5,x\n")
    for files in ({"managers": managers}, {"staff": staff}):
        with pytest.raises(UserError):
            analyze(DATA, CONFIG, **files)
    result = analyze(DATA, CONFIG, managers=managers, staff=staff, invalid="missing")
    assert {item.id: item.n for item in gaps(result)[1].items}["R3"] == 2
    layers = {factor.id: factor for factor in gaps(result)[1].factors}["layers"]
    assert (layers.n, layers.score) == (2, 4.5)
    assert result.management.respondents == {"managers": 3, "audits": 0, "staff": 3}


def test_audit_ids_follow_the_config(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(CONFIG.read_text().replace("management:\n", "management:\n  audits:\n    respondent_id: visit\n",
                                                 1))
    audits = tmp_path / "audits.csv"
    audits.write_text("visit,AUD_T1,AUD_T2,AUD_R1,AUD_R2,AUD_R3\nv1,5,4,6,5,4\nv1,6,5,6,7,4\n")
    with pytest.raises(UserError) as caught:
        analyze(DATA, config, audits=audits)
    assert caught.value.details == ["row 3, column 1 'visit': respondent id 'v1' already appears on row 2"]
