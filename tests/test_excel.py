"""The client workbook and the questionnaire workbook, read back and compared with the JSON of the same run."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import CONFIGS, EXAMPLES, run_line
from tests.helpers import FIXTURES

EXCEL = 1e-14  # relative precision a spreadsheet keeps (15 significant digits)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("demo")
    workbook = folder / "demo.xlsx"
    result = run_line(["demo", "-f", "json", "--excel", str(workbook)])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), workbook


def table(sheet, header_row: int = 1) -> list[dict]:
    headers = [cell.value for cell in sheet[header_row]]
    rows = []
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None:
            break
        rows.append(dict(zip(headers, row, strict=False)))
    return rows


def test_sheets_of_the_demo_workbook(demo) -> None:
    _, path = demo
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Items", "Checklist", "Management gaps", "Importance-performance",
                               "Segments", "Reliability", "Data quality", "About"]
    assert len(book["Summary"]._charts) == 2
    assert len(book["Management gaps"]._charts) == 1
    assert book.properties.creator.startswith("servgap")


def test_items_sheet_equals_the_json(demo) -> None:
    payload, path = demo
    rows = table(openpyxl.load_workbook(path)["Items"])
    assert [row["Id"] for row in rows] == [item["id"] for item in payload["items"]]
    for row, item in zip(rows, payload["items"], strict=True):
        # Full precision as far as a spreadsheet keeps it (Excel holds 15 significant digits), not a rounded copy
        assert row["Gap P−E"] == pytest.approx(item["gap"], rel=EXCEL)
        assert (row["E (expectation)"], row["P (perception)"], row["n"]) == pytest.approx(
            (item["expectation"], item["perception"], item["n"]), rel=EXCEL)
        assert (row["CI low"], row["CI high"]) == pytest.approx(tuple(item["gap_ci"]), rel=EXCEL)
        assert row["Adjusted p"] == pytest.approx(item["p_adjusted"], rel=EXCEL)
    sheet = openpyxl.load_workbook(path)["Items"]
    assert sheet["G2"].number_format == "0.00"
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref.startswith("A1:")
    ranges = [str(rule.sqref) for rule in sheet.conditional_formatting]
    assert any(r.startswith("G2:") for r in ranges) and any(r.startswith("E2:") for r in ranges)


def test_summary_and_checklist_equal_the_json(demo) -> None:
    payload, path = demo
    book = openpyxl.load_workbook(path)
    summary = book["Summary"]
    header_row = next(row for row in range(1, 30) if summary.cell(row=row, column=1).value == "Dimension")
    dimensions = table(summary, header_row)
    assert [row["Gap P−E"] for row in dimensions] == pytest.approx([d["gap"] for d in payload["dimensions"]],
                                                                    rel=EXCEL)
    assert [row["α P"] for row in dimensions] == pytest.approx([d["alpha"]["perception"]
                                                                for d in payload["dimensions"]], rel=EXCEL)
    overall = next(row for row in range(1, 20) if str(summary.cell(row=row, column=1).value).startswith("Overall gap"))
    assert summary.cell(row=overall, column=3).value == pytest.approx(payload["overall"]["gap"], rel=EXCEL)
    checklist = table(book["Checklist"])
    assert [(row["Rank"], row["Id"]) for row in checklist] == [(e["rank"], e["ref"]) for e in payload["checklist"]]
    assert all(row["Owner"] is None and row["Status"] is None for row in checklist)
    first_actions = checklist[0]["Actions"].split("\n")
    assert first_actions[0].startswith("☐ ")


def test_management_sheet_equals_the_json(demo) -> None:
    payload, path = demo
    sheet = openpyxl.load_workbook(path)["Management gaps"]
    rows = table(sheet)
    assert rows[0]["1: M − E"] == "Knowledge gap (diagnosis)"
    value_row = next(row for row in rows if row["Dimension"] == "Value")
    gaps = [gap["value"] for gap in payload["management"]["gaps"]]
    assert list(value_row.values())[1:5] == pytest.approx(gaps, rel=EXCEL)


def test_chinese_workbook(tmp_path: Path) -> None:
    path = tmp_path / "zh.xlsx"
    assert run_line(["demo", "--lang", "zh", "--excel", str(path), "-f", "json"]).exit_code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["概要", "题项", "改进清单"]
    assert book["题项"]["B2"].value == "停车方便，餐厅外观吸引人。"


def test_zone_and_ipa_sheets(tmp_path: Path) -> None:
    path = tmp_path / "zone.xlsx"
    result = run_line(["analyze", str(EXAMPLES / "helpdesk/responses.csv"), "-c", str(CONFIGS / "helpdesk.yaml"),
                       "--excel", str(path), "-f", "json"])
    payload = json.loads(result.stdout)
    book = openpyxl.load_workbook(path)
    tolerance = table(book["Zone of tolerance"])
    assert [row["MSA (P − adequate)"] for row in tolerance[:4]] == pytest.approx(
        [d["msa"] for d in payload["tolerance"]["dimensions"]], rel=EXCEL)
    assert len(book["Zone of tolerance"]._charts) == 1
    assert len(book["Importance-performance"]._charts) == 1


def test_formula_injection_is_stored_as_text(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    text = (FIXTURES / "mini.yaml").read_text().replace("en: Item T1", "en: '=HYPERLINK(\"http://x\",\"click\")'")
    config.write_text(text.replace("en: Tangibles", "en: '+Tangibles'"))
    frame = (FIXTURES / "mini.csv").read_text().splitlines()
    data = tmp_path / "data.csv"
    data.write_text("\n".join([frame[0] + ",branch"] + [line + ",@SUM(1)" for line in frame[1:]]) + "\n")
    path = tmp_path / "book.xlsx"
    result = run_line(["analyze", str(data), "-c", str(config), "--by", "branch", "--excel", str(path)])
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any("<f>" in xml for xml in sheets)
    items = openpyxl.load_workbook(path)["Items"]
    assert items["B2"].value == '=HYPERLINK("http://x","click")'
    assert items["B2"].data_type == "s"


def test_failed_run_writes_no_workbook_and_replaces_none(tmp_path: Path) -> None:
    existing = tmp_path / "report.xlsx"
    existing.write_bytes(b"previous")
    broken = tmp_path / "broken.csv"
    broken.write_text("respondent_id,E_T1\nr1,8\n")
    result = run_line(["analyze", str(broken), "-c", str(FIXTURES / "mini.yaml"), "--excel", str(existing)])
    assert result.exit_code == 1
    assert existing.read_bytes() == b"previous"
    missing_folder = tmp_path / "nope" / "report.xlsx"
    result = run_line(["analyze", str(FIXTURES / "mini.csv"), "-c", str(FIXTURES / "mini.yaml"), "--excel",
                       str(missing_folder)])
    assert result.exit_code == 2
    assert not missing_folder.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv", "report.xlsx"]


def test_questionnaire_form_round_trip(tmp_path: Path) -> None:
    form = tmp_path / "survey.xlsx"
    assert run_line(["form", str(CONFIGS / "servqual.yaml"), "-o", str(form)]).exit_code == 0
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == ["Responses", "Instructions", "Questions"]
    sheet = book["Responses"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["respondent_id", "E_tan1", "E_tan2"]
    assert headers[-5:] == ["W_tangibles", "W_reliability", "W_responsiveness", "W_assurance", "W_empathy"]
    rating = sheet.data_validations.dataValidation[0]
    assert rating.type == "list" and rating.formula1 == '"1,2,3,4,5,6,7"'
    # Complete messages, no dangling ": ." where a scale has no labels
    assert rating.error == "Answer with a whole number from 1 to 7."
    assert sheet.data_validations.dataValidation[1].error.startswith("Importance points: a whole number from 0 to 100")
    for row in range(2, 12):  # fill ten respondents by script
        for column, header in enumerate(headers, start=1):
            value = f"r{row}" if header == "respondent_id" else 20 if header.startswith("W_") else \
                (6 if header.startswith("E_") else 5)
            sheet.cell(row=row, column=column).value = value
    book.save(form)
    payload = json.loads(run_line(["analyze", str(form), "-c", str(CONFIGS / "servqual.yaml"), "-f", "json"]).stdout)
    assert payload["sample"] == {"rows": 10, "used": 10}
    assert payload["overall"]["gap"] == -1.0
    assert payload["overall"]["weighting"] == "per_respondent"


def test_form_refuses_to_overwrite(tmp_path: Path) -> None:
    form = tmp_path / "survey.xlsx"
    form.write_bytes(b"mine")
    result = run_line(["form", str(CONFIGS / "servqual.yaml"), "-o", str(form)])
    assert result.exit_code == 2
    assert form.read_bytes() == b"mine"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (apt-get install "
                    "libreoffice-calc-nogui)")
def test_libreoffice_renders_the_workbook(demo, tmp_path: Path) -> None:
    _, path = demo
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "demo.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000


def _header_rows(sheet) -> list[int]:
    """Rows styled as table headers (the header fill)."""
    return sorted({cell.row for row in sheet.iter_rows() for cell in row
                   if cell.fill is not None and cell.fill.fgColor is not None and cell.fill.fgColor.rgb == "00DDE4EE"})


def test_headers_stand_over_their_numbers(demo) -> None:
    """A header is right-aligned where its column holds numbers and left-aligned where it holds text,
    on every table of every sheet."""
    _, path = demo
    book = openpyxl.load_workbook(path)
    checked = 0
    for sheet in book.worksheets:
        for header_row in _header_rows(sheet):
            for cell in sheet[header_row]:
                if cell.value is None:
                    continue
                values = []  # the column's cells down to the table's end (its first blank row)
                for row in range(header_row + 1, sheet.max_row + 1):
                    if all(sheet.cell(row=row, column=column).value is None for column in (1, 2)):
                        break
                    values.append(sheet.cell(row=row, column=cell.column).value)
                numeric = any(isinstance(value, int | float) and not isinstance(value, bool) for value in values)
                assert cell.alignment.horizontal == ("right" if numeric else "left"), (sheet.title, cell.coordinate)
                checked += 1
    assert checked > 60  # every table header of the demo workbook


def test_every_sheet_prints_on_a4_landscape_within_its_area(demo) -> None:
    _, path = demo
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9, sheet.title  # A4
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.print_area, sheet.title
    # The charts below the tables are inside the print area.
    summary = book["Summary"]
    last_row = int(summary.print_area.split("!")[-1].split(":")[1].split("$")[-1])
    chart_rows = [chart.anchor._from.row + 1 for chart in summary._charts]
    assert chart_rows and last_row > max(chart_rows) + 10
    # Sheets of several tables repeat no header on later pages (it would stand over another table).
    for title in ("Reliability", "Management gaps"):
        assert not book[title].print_title_rows
    assert book["Items"].print_title_rows == "$1:$1"


def test_every_written_font_is_named(demo) -> None:
    """A bold or italic cell names its font: without a name LibreOffice draws it in a serif face."""
    _, path = demo
    book = openpyxl.load_workbook(path)
    fonts = {cell.font.name for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None}
    assert fonts == {"Calibri"}


def test_a_chinese_workbook_shows_no_raw_enum_value(tmp_path: Path) -> None:
    """Method names, factor directions and file facts are words of the report language, not the
    JSON's values (the demo has per-respondent weights, management factors and segment tests)."""
    path = tmp_path / "zh.xlsx"
    assert run_line(["demo", "--lang", "zh", "--excel", str(path), "-f", "json"]).exit_code == 0
    book = openpyxl.load_workbook(path)
    texts = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    raw = {"per_respondent", "fixed", "none", "welch_t", "kruskal_wallis", "protective", "risk", "format",
           "encoding", "E", "P"}
    assert not texts & raw, texts & raw
    assert {"按每位受访者的分配点数", "编码", "期望 E"} <= texts


def test_checklist_shows_only_columns_it_fills_and_gap_bars_read_as_the_table(demo) -> None:
    _, path = demo
    book = openpyxl.load_workbook(path)
    sheet = book["Checklist"]
    headers = [cell.value for cell in sheet[1] if cell.value is not None]
    rows = table(sheet)
    for header in headers:
        if header not in ("Owner", "Due", "Status"):
            assert any(row[header] not in (None, "") for row in rows), header
    assert headers[-3:] == ["Owner", "Due", "Status"] and len(headers) <= 13
    bars = next(chart for chart in book["Summary"]._charts if chart.tagname == "barChart")
    assert bars.x_axis.scaling.orientation == "maxMin"  # the first dimension on top, as in the table
    assert bars.dataLabels is not None and bars.dataLabels.showVal


def test_wrapped_facts_get_the_height_of_their_lines(demo) -> None:
    """About's sign convention and method notes, and a long data-file name on Data quality, wrap:
    their rows are made tall enough instead of printing over the next row or being cut."""
    _, path = demo
    book = openpyxl.load_workbook(path)
    about = book["About"]
    method_row = next(cell.row for cell in about["A"] if cell.value == "Method notes")
    assert (about.row_dimensions[1].height or 0) >= 28 and (about.row_dimensions[method_row].height or 0) >= 28
    quality = book["Data quality"]
    assert (quality.row_dimensions[1].height or 0) >= 28  # "responses.csv (bundled, synthetic)"


def test_small_segments_are_grey_and_outside_the_colour_scale(tmp_path: Path) -> None:
    import io

    import pandas as pd

    import servgap
    from servgap.render.excel import workbook_bytes

    frame = pd.concat([pd.read_csv(FIXTURES / "mini.csv")] * 10, ignore_index=True)
    frame["respondent_id"] = [f"r{i}" for i in range(len(frame))]
    frame["branch"] = ["North"] * 40 + ["South"] * 18 + ["East"] * 2  # minimum n 30: South and East are small
    result = servgap.analyze(frame, FIXTURES / "mini.yaml", by="branch")
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(result, "en", {})))
    sheet = book["Segments"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:4] == ["Dimension", "North", "South †", "East †"]
    scaled = " ".join(str(rule.sqref) for rule in sheet.conditional_formatting)
    assert "B" in scaled and "C" not in scaled and "D" not in scaled
    assert sheet["C4"].font.color.rgb.endswith("999999") and not (sheet["B4"].font.color and
                                                                  str(sheet["B4"].font.color.rgb).endswith("999999"))
    assert any(isinstance(cell.value, str) and cell.value.startswith("† fewer than 30") for cell in sheet["A"])
    assert book["Summary"]["A1"].value  # the workbook is whole


def test_the_management_chart_has_a_real_title(demo) -> None:
    _, path = demo
    [chart] = openpyxl.load_workbook(path)["Management gaps"]._charts
    title = "".join(run.t for paragraph in chart.title.tx.rich.p for run in (paragraph.r or []))
    assert title == "The gap chain by dimension: gaps 1–4 and the customer gap"
