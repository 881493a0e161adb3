"""The client workbook: every section of the analysis as Excel sheets with native charts.

Values are written as computed numbers at full precision (openpyxl writes no formulas, which it
could not calculate) and shown through number formats. Text from the config or the data that
starts with = + - or @ is stored as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, RadarChart, Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.worksheet import Worksheet

from servgap.render.excel_labels import sheet_names, words
from servgap.render.inert import inert_assessment, inert_path
from servgap.render.labels import labels, note_text, pick
from servgap.results import Assessment
from servgap.version import __version__

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
#: One sans-serif family for every cell (the workbook's default font); spreadsheet programs draw
#: Chinese and Korean text in it with the system's CJK fallback (DengXian or Microsoft YaHei in
#: Excel on Windows, PingFang on macOS, Noto Sans CJK in LibreOffice). A font without a name would
#: be drawn in the program's own default, a serif face in LibreOffice.
FONT_NAME = "Calibri"
HEADER_FONT = Font(name=FONT_NAME, bold=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
ITALIC_FONT = Font(name=FONT_NAME, italic=True)
GREY_FONT = Font(name=FONT_NAME, color="999999")
NUMBER = "0.00"
PRECISE = "0.000"
P_VALUE = '[<0.001]"<0.001";0.000'
PERCENT = "0%"
FORMULA_START = ("=", "+", "-", "@")
INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def safe_sheet_title(title: str) -> str:
    """A valid sheet title: at most 31 characters, none of []:*?/\\ ."""
    cleaned = INVALID_SHEET_CHARACTERS.sub("-", title).strip("'") or "Sheet"
    return cleaned[:31]


def put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None = None,
        bold: bool = False, wrap: bool = True) -> None:
    """Write one cell: NaN and None stay empty; text that looks like a formula stays text."""
    cell = sheet.cell(row=row, column=column)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        cell.value = None
        return
    if isinstance(value, str):
        # Characters XML 1.0 cannot hold (C0 controls) would make openpyxl refuse the whole workbook.
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"  # stored as text: a value starting with '=' would otherwise be a formula
        cell.alignment = Alignment(wrap_text=wrap and (len(value) > 30 or "\n" in value), vertical="top")
    else:
        cell.value = value
        cell.alignment = Alignment(vertical="top")
        if number_format and not (isinstance(value, int) and number_format in (NUMBER, PRECISE)):
            cell.number_format = number_format
    if bold:
        cell.font = HEADER_FONT


def write_table(sheet: Worksheet, top: int, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                formats: Sequence[str | None] | None = None, widths: Sequence[int] | None = None) -> tuple[int, int]:
    """A header row and data rows starting at ``top``; returns (first data row, last data row)."""
    for column, header in enumerate(headers, start=1):
        put(sheet, top, column, header, bold=True)
        sheet.cell(row=top, column=column).fill = HEADER_FILL
        # A header stands over its numbers: right-aligned where the column holds numbers.
        numeric = any(isinstance(row[column - 1], int | float) and not isinstance(row[column - 1], bool)
                      for row in rows if column - 1 < len(row))
        sheet.cell(row=top, column=column).alignment = Alignment(
            wrap_text=True, vertical="top", horizontal="right" if numeric else "left")
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            fmt = formats[column - 1] if formats and column - 1 < len(formats) else None
            put(sheet, top + offset, column, value, fmt)
    for column, width in enumerate(widths or [], start=1):
        current = sheet.column_dimensions[get_column_letter(column)].width or 0
        sheet.column_dimensions[get_column_letter(column)].width = max(current, width)
    fit_row_heights(sheet, top, top + len(rows))
    return top + 1, top + len(rows)


def fit_row_heights(sheet: Worksheet, first: int, last: int) -> None:
    """Give rows with wrapped text the height their lines need (spreadsheets do not always do it)."""
    for row in range(first, last + 1):
        lines = 1
        for cell in sheet[row]:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = sheet.column_dimensions[cell.column_letter].width or 10
                characters = max(1.0, width * 1.1)
                needed = sum(max(1, math.ceil(len(part) / characters)) for part in cell.value.split("\n"))
                lines = max(lines, needed)
        if lines > 1:
            sheet.row_dimensions[row].height = 14 * lines


def print_setup(sheet: Worksheet, header_row: int | None = None) -> None:
    """A4 landscape, fit to the page width, the used cells as the print area, and — on a sheet that
    holds one table — its header row repeated on every printed page (a sheet of several tables
    repeats none: another table's rows would print under the first one's header)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    corners = [_chart_corner(sheet, chart) for chart in sheet._charts]
    last_column = max([sheet.max_column, *(column for column, _ in corners)])
    last_row = max([sheet.max_row, *(row for _, row in corners)])
    sheet.print_area = f"A1:{get_column_letter(last_column)}{last_row}"
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"


#: A default row is 15 pt high (0.53 cm); a column of width w characters is about 0.19·w + 0.14 cm.
ROW_CM, CHARACTER_CM = 0.53, 0.19


def _chart_corner(sheet: Worksheet, chart: Any) -> tuple[int, int]:
    """The last column and row a chart covers, from its anchor cell and its size in cm, so that the
    print area takes in the charts below and beside the tables."""
    anchor = chart.anchor if isinstance(chart.anchor, str) else "A1"
    column, row = coordinate_to_tuple(anchor)[1], coordinate_to_tuple(anchor)[0]
    width = 0.0
    while width < chart.width:
        width += CHARACTER_CM * (sheet.column_dimensions[get_column_letter(column)].width or 8.43) + 0.14
        column += 1
    return column, row + math.ceil(chart.height / ROW_CM)


def show_axes(chart: Any) -> None:
    """openpyxl marks axes as deleted by default in recent versions; Excel then hides them."""
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class WorkbookBuilder:
    """Builds the workbook of one assessment in one language."""

    def __init__(self, assessment: Assessment, language: str, sources: dict[str, Path]) -> None:
        self.a = assessment
        self.language = language
        self.w = words(language)
        self.text = labels(language)
        self.names = sheet_names(language)
        self.sources = sources
        self.book = Workbook()
        self.book.remove(self.book.active)

    def pick(self, text: Any) -> str:
        """A text in the workbook's language."""
        return pick(text, self.language, self.a.languages)

    def sheet(self, key: str) -> Worksheet:
        """A new sheet with its title in the workbook's language."""
        return self.book.create_sheet(safe_sheet_title(self.names[key]))

    def build(self) -> bytes:
        """Every sheet the assessment has data for, as .xlsx bytes."""
        self.summary()
        self.items()
        self.checklist()
        if self.a.management is not None:
            self.management()
        if self.a.tolerance is not None:
            self.tolerance()
        if self.a.ipa is not None:
            self.ipa()
        if self.a.segments:
            self.segments()
        self.reliability()
        self.quality()
        self.about()
        properties = self.book.properties
        properties.title = f"{self.w['title']}: {self.pick(self.a.instrument_name)}"
        properties.creator = f"servgap {__version__}"
        properties.subject = self.w["sign"]
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()

    # --- sheets ----------------------------------------------------------------------------------

    def summary(self) -> None:
        """The Summary sheet: dimension gaps with intervals, the radar and the gap bars."""
        a, w = self.a, self.w
        sheet = self.sheet("summary")
        put(sheet, 1, 1, w["title"])
        sheet.cell(row=1, column=1).font = TITLE_FONT
        put(sheet, 2, 1, w["sign"])
        sheet.cell(row=2, column=1).font = ITALIC_FONT
        weighting = w.get(f"weighting_{a.overall.weighting}", a.overall.weighting)
        facts = [
            (w["instrument"], f"{self.pick(a.instrument_name)} ({a.instrument_id})"),
            (w["file"], Path(a.data_quality.file).name),
            (w["rows_read"], a.data_quality.rows_read), (w["rows_used"], a.data_quality.rows_used),
            (w["overall_gap"], a.overall.gap), (w["weighted_gap"], a.overall.weighted_gap),
            (w["weighted_aggregate"], a.overall.weighted_gap_aggregate), (w["weighting"], weighting),
            (w["servperf"], a.overall.perception_only),
        ]
        for offset, (label, value) in enumerate(facts, start=4):
            put(sheet, offset, 1, label, bold=True, wrap=False)
            put(sheet, offset, 3, value, NUMBER, wrap=False)
        top = 4 + len(facts) + 1
        # The E and P headers name the radar's series: in words, in the report language.
        headers = [w["dimension"], w["n"], w["E"], w["P"], w["gap"], w["ci_low"], w["ci_high"], w["p_adj"],
                   w["alpha_e"], w["alpha_p"], w["alpha_g"], w["weight"]]
        rows = [[self.pick(d.name), d.n, d.expectation, d.perception, d.gap, d.gap_ci[0], d.gap_ci[1], d.p_adjusted,
                 d.alpha["expectation"].alpha, d.alpha["perception"].alpha, d.alpha["gap"].alpha, d.weight]
                for d in a.dimensions]
        formats = [None, "0", NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, P_VALUE, NUMBER, NUMBER, NUMBER, PERCENT]
        if a.bootstrap is not None:
            headers += [w["boot_low"], w["boot_high"]]
            for row, d in zip(rows, a.dimensions, strict=True):
                row += list(a.bootstrap.dimensions[d.id])
            formats += [NUMBER, NUMBER]
        first, last = write_table(sheet, top, headers, rows, formats, [40, 8, 10, 10, 11, 10, 10, 10, 8, 8, 8, 8])
        sheet.freeze_panes = sheet.cell(row=top + 1, column=2)
        if a.dimensions and any(math.isfinite(d.expectation) for d in a.dimensions):
            radar = RadarChart()
            radar.type = "marker"
            radar.title = w["radar"]
            radar.add_data(Reference(sheet, min_col=3, max_col=4, min_row=top, max_row=last), titles_from_data=True)
            radar.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
            radar.y_axis.scaling.min = a.scale[0]
            radar.y_axis.scaling.max = a.scale[1]
            radar.height, radar.width = 9, 14
            show_axes(radar)
            sheet.add_chart(radar, f"A{last + 3}")
            bars = BarChart()
            bars.type = "bar"
            bars.title = w["bars"]
            bars.add_data(Reference(sheet, min_col=5, min_row=top, max_row=last), titles_from_data=True)
            bars.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
            bars.x_axis.tickLblPos = "low"  # category labels clear of bars that point left (negative gaps)
            bars.x_axis.scaling.orientation = "maxMin"  # the first dimension at the top, as in the table
            # The value alone at the base of each bar, clear of the category labels at the left.
            bars.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                            showLegendKey=False, showPercent=False, dLblPos="inBase")
            bars.dataLabels.numFmt = NUMBER
            bars.legend = None
            bars.height, bars.width = 9, 14
            show_axes(bars)
            sheet.add_chart(bars, f"H{last + 3}")
        print_setup(sheet, top)

    def items(self) -> None:
        """The Items sheet: every item's E, P, gap, interval, test and effect size."""
        a, w = self.a, self.w
        sheet = self.sheet("items")
        priority = {e.ref: e.priority for e in a.checklist.entries if e.kind == "item"} if a.checklist else {}
        names = {d.id: self.pick(d.name) for d in a.dimensions}
        headers = [w["id"], w["text"], w["dimension"], w["n"], w["E"], w["P"], w["gap"], w["ci_low"], w["ci_high"],
                   w["p"], w["p_adj"], w["d_z"], w["priority"]]
        rows = [[i.id, self.pick(i.text), names[i.dimension], i.n, i.expectation, i.perception, i.gap, i.gap_ci[0],
                 i.gap_ci[1], i.p_value, i.p_adjusted, i.effect_size, priority.get(i.id)] for i in a.items]
        formats = [None, None, None, "0", NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, P_VALUE, P_VALUE, NUMBER, PRECISE]
        first, last = write_table(sheet, 1, headers, rows, formats, [8, 50, 18, 7, 10, 10, 10, 9, 9, 9, 9, 8, 9])
        sheet.freeze_panes = "C2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
        if rows:
            sheet.conditional_formatting.add(f"G{first}:G{last}", ColorScaleRule(
                start_type="min", start_color="F8696B", mid_type="num", mid_value=0, mid_color="FFFFFF",
                end_type="max", end_color="63BE7B"))
            for column in ("E", "F"):
                sheet.conditional_formatting.add(f"{column}{first}:{column}{last}", DataBarRule(
                    start_type="num", start_value=a.scale[0], end_type="num", end_value=a.scale[1], color="5B9BD5"))
        print_setup(sheet, 1)

    def checklist(self) -> None:
        """The Checklist sheet, with Owner, Due and Status columns to fill in."""
        a, w = self.a, self.w
        sheet = self.sheet("checklist")
        checklist = a.checklist
        entries = checklist.entries if checklist else []
        stability = a.bootstrap.rank_stability if a.bootstrap else {}
        names = {d.id: self.pick(d.name) for d in a.dimensions}
        # (header, width, number format, the entry's value, shown only when some entry has one)
        columns: list[tuple[str, int, str | None, Any, bool]] = [
            (w["rank"], 7, "0", lambda e: e.rank, False),
            (w["kind"], 14, None, lambda e: w["item_kind"] if e.kind == "item" else w["gap_kind"], False),
            (w["id"], 8, None, lambda e: e.ref, False),
            (w["what"], 44, None, lambda e: self.pick(e.title), False),
            (w["dimension"], 18, None, lambda e: names.get(e.dimension or "", ""), True),
            (w["gap"], 9, NUMBER, lambda e: e.gap if e.gap is not None else e.msa, False),
            (w["priority"], 9, PRECISE, lambda e: e.priority, True),
            (w["risk"], 8, NUMBER, lambda e: e.risk, True),
            (w["actions"], 60, None, lambda e: "\n".join("☐ " + self.pick(action) for action in e.actions), False),
            (w["causes"], 30, None, lambda e: ", ".join(self.pick(cause) for cause in e.causes), True),
            (w["stability"], 10, PERCENT, lambda e: stability.get(e.ref), True),
            (w["owner"], 14, None, lambda e: None, False),
            (w["due"], 12, None, lambda e: None, False),
            (w["status"], 12, None, lambda e: None, False),
        ]
        # Columns no entry fills (causes without management data, stability without a bootstrap) are
        # left out, so that the sheet fits a page at a readable size.
        shown = [column for column in columns
                 if not column[4] or any(column[3](e) not in (None, "") for e in entries)]
        headers = [column[0] for column in shown]
        rows = [[column[3](e) for column in shown] for e in entries]
        _, last = write_table(sheet, 1, headers, rows, [column[2] for column in shown],
                              [column[1] for column in shown])
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(last, 1)}"
        if checklist and checklist.strengths:
            put(sheet, last + 2, 1, w["strengths"], bold=True)
            put(sheet, last + 2, 4, ", ".join(checklist.strengths))
        print_setup(sheet, 1)

    def management(self) -> None:
        """The Management sheet: gaps 1–4 beside the customer gap, factors and their risks."""
        from servgap.render.terminal import CHAIN

        a, w = self.a, self.w
        management = a.management
        assert management is not None
        sheet = self.sheet("management")
        # Short headers (gap number and chain) keep the chart's axis readable; the names follow in row 2.
        headers = [w["dimension"]] + [f"{g.gap}: {CHAIN[g.gap]}" for g in management.gaps] + [f"5: {CHAIN[5]}"]
        rows: list[list[Any]] = [[w["what"]] + [self.pick(g.name) for g in management.gaps] + [w["gap5"]]]
        for position, dimension in enumerate(a.dimensions):
            rows.append([self.pick(dimension.name)] + [g.dimensions[position].value for g in management.gaps]
                        + [dimension.gap])
        rows.append([w["value"]] + [g.value for g in management.gaps] + [a.overall.gap])
        rows.append([w["risk"]] + [g.risk for g in management.gaps] + [None])
        rows.append([w["measured"]] + [w["yes"] if g.measured else w["no"] for g in management.gaps] + [w["yes"]])
        rows.append([w["needs"]] + ["; ".join(g.needs) for g in management.gaps] + [""])
        _, last = write_table(sheet, 1, headers, rows, [None] + [NUMBER] * 5, [28, 26, 26, 26, 26, 26])
        chart = BarChart()
        chart.type = "col"
        chart.title = w["chain_chart"]
        value_row = len(a.dimensions) + 3
        chart.add_data(Reference(sheet, min_col=2, max_col=len(headers), min_row=value_row, max_row=value_row),
                       from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(sheet, min_col=2, max_col=len(headers), min_row=1, max_row=1))
        chart.x_axis.tickLblPos = "low"
        chart.legend = None
        chart.height, chart.width = 8, 16
        show_axes(chart)
        sheet.add_chart(chart, f"A{last + 3}")
        top = last + 20
        factors = [f for g in management.gaps for f in g.factors]
        if factors:
            write_table(sheet, top, [w["factor"], "gap", w["direction"], w["n"], w["score"], w["risk"], w["alpha"],
                                     w["statements"]],
                        [[self.pick(f.name), f.gap, w.get(f"direction_{f.direction}", f.direction), f.n, f.score,
                          f.risk, f.alpha, f.statements]
                         for f in factors], [None, "0", None, "0", NUMBER, NUMBER, NUMBER, "0"])
            top += len(factors) + 3
        put(sheet, top, 1, w["coverage"], bold=True)
        put(sheet, top, 2, management.standards_coverage, PERCENT)
        comparison = management.priority_comparison
        if comparison is not None:
            put(sheet, top + 1, 1, w["priority_rho"], bold=True)
            put(sheet, top + 1, 2, comparison.spearman_rho, NUMBER)
            write_table(sheet, top + 3, [w["item"], w["customer"], w["manager"], w["customer_rank"],
                                         w["manager_rank"], w["displacement"]],
                        [[self.pick(r.name), r.customer, r.manager, r.customer_rank, r.manager_rank, r.displacement]
                         for r in comparison.rows], [None, PRECISE, PRECISE, "0.0", "0.0", "0.0"])
        print_setup(sheet)  # the gaps, the factors and the priorities: no one header repeats

    def tolerance(self) -> None:
        """The Zone sheet: adequate, desired, perceived, MSA, MSS and the zone."""
        a, w = self.a, self.w
        tolerance = a.tolerance
        assert tolerance is not None
        sheet = self.sheet("tolerance")
        names = {d.id: self.pick(d.name) for d in a.dimensions} | {i.id: i.id for i in a.items}
        headers = [w["dimension"], w["n"], w["adequate"], w["desired"], w["perception"], w["msa"], w["mss"],
                   w["width"], w["zone"], w["share_below"]]
        rows = [[names[r.id], r.n, r.adequate, r.desired, r.perception, r.msa, r.mss, r.width,
                 self.text.get(f"zone_{r.zone}", "") if r.zone else "", r.share_below]
                for r in tolerance.dimensions + tolerance.items]
        formats = [None, "0", NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, None, PERCENT]
        first, last = write_table(sheet, 1, headers, rows, formats, [28, 7, 10, 10, 10, 14, 14, 10, 10, 14])
        dimension_last = first + len(tolerance.dimensions) - 1
        # The band: an invisible bar up to "adequate", a visible bar of the zone's width on top, and
        # the perceived level as markers.
        band = BarChart()
        band.type = "col"
        band.grouping = "stacked"
        band.overlap = 100
        band.title = w["band"]
        band.add_data(Reference(sheet, min_col=3, min_row=1, max_row=dimension_last), titles_from_data=True)
        band.add_data(Reference(sheet, min_col=8, min_row=1, max_row=dimension_last), titles_from_data=True)
        band.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=dimension_last))
        band.series[0].graphicalProperties.noFill = True
        band.series[0].graphicalProperties.line.noFill = True
        band.series[1].graphicalProperties.solidFill = "BDD7EE"
        band.y_axis.scaling.min = a.scale[0]
        band.y_axis.scaling.max = a.scale[1]
        perceived = LineChart()
        perceived.add_data(Reference(sheet, min_col=5, min_row=1, max_row=dimension_last), titles_from_data=True)
        perceived.series[0].marker.symbol = "diamond"
        perceived.series[0].marker.size = 10
        perceived.series[0].marker.graphicalProperties.solidFill = "C00000"
        perceived.series[0].marker.graphicalProperties.line.solidFill = "C00000"
        perceived.series[0].graphicalProperties.line.noFill = True
        band += perceived
        band.height, band.width = 9, 16
        show_axes(band)
        sheet.add_chart(band, f"A{last + 3}")
        print_setup(sheet, 1)

    def ipa(self) -> None:
        """The IPA sheet: importance against performance per item, with the quadrant."""
        a, w = self.a, self.w
        ipa = a.ipa
        assert ipa is not None
        sheet = self.sheet("ipa")
        headers = [w["id"], w["dimension"], w["importance"], w["performance"], w["quadrant"]]
        names = {d.id: self.pick(d.name) for d in a.dimensions}
        rows = [[i.id, names[i.dimension], i.importance, i.performance,
                 self.text.get(i.quadrant, "") if i.quadrant else ""] for i in ipa.items]
        first, last = write_table(sheet, 1, headers, rows, [None, None, PRECISE, NUMBER, None], [8, 24, 12, 12, 24])
        put(sheet, last + 2, 1, w["importance"], bold=True)
        put(sheet, last + 2, 3, ipa.importance_cross, PRECISE)
        put(sheet, last + 3, 1, w["performance"], bold=True)
        put(sheet, last + 3, 4, ipa.performance_cross, NUMBER)
        chart = ScatterChart()
        chart.title = w["ipa_chart"]
        chart.style = 13
        chart.x_axis.title = w["importance"]
        chart.y_axis.title = w["performance"]
        series = Series(Reference(sheet, min_col=4, min_row=first, max_row=last),
                        Reference(sheet, min_col=3, min_row=first, max_row=last), title=w["item"])
        series.marker.symbol = "circle"
        series.marker.size = 8
        series.marker.graphicalProperties.solidFill = "2F5597"
        series.marker.graphicalProperties.line.solidFill = "2F5597"
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
        chart.legend = None
        show_axes(chart)
        sheet.add_chart(chart, "G2")
        print_setup(sheet, 1)

    def segments(self) -> None:
        """The Segments sheet: dimension gaps per segment value, and the tests between them."""
        a, w = self.a, self.w
        sheet = self.sheet("segments")
        top = 1
        for column in dict.fromkeys(s.column for s in a.segments):
            # A value no respondent has a score for has nothing to show (the JSON keeps it).
            rows = [s for s in a.segments if s.column == column and s.n > 0]
            put(sheet, top, 1, f"{w['column']}: {column}", bold=True)
            headers = [w["dimension"]] + [("(–)" if s.value is None else s.value) + (" †" if s.small else "")
                                          for s in rows]
            table: list[list[Any]] = [[w["n"], *(s.n for s in rows)]]
            table += [[self.pick(d.name), *(s.dimensions[d.id].gap for s in rows)] for d in a.dimensions]
            table += [[w["overall_gap"], *(s.gap for s in rows)]]
            first, last = write_table(sheet, top + 1, headers, table, [None] + [NUMBER] * len(rows),
                                      [30] + [12] * len(rows))
            # The colour scale spans the groups large enough to compare; small ones are grey text.
            large = [get_column_letter(position) for position, s in enumerate(rows, start=2) if not s.small]
            if large:
                sheet.conditional_formatting.add(
                    " ".join(f"{letter}{first + 1}:{letter}{last}" for letter in large), ColorScaleRule(
                        start_type="min", start_color="F8696B", mid_type="num", mid_value=0, mid_color="FFFFFF",
                        end_type="max", end_color="63BE7B"))
            for position, s in enumerate(rows, start=2):
                if s.small:
                    for row in range(first, last + 1):
                        sheet.cell(row=row, column=position).font = GREY_FONT
            if any(s.small for s in rows):
                put(sheet, last + 1, 1, w["small_note"].format(n=a.min_segment_n), wrap=False)
                last += 1
            top = last + 2
            tests = [t for t in a.segment_tests if t.column == column]
            if tests:
                names = {d.id: self.pick(d.name) for d in a.dimensions}
                _, top = write_table(sheet, top, [w["dimension"], w["test"], w["statistic"], w["p"], w["p_adj"]],
                                     [[names[t.dimension], w.get(t.test, t.test), t.statistic, t.p_value, t.p_adjusted]
                                      for t in tests], [None, None, PRECISE, P_VALUE, P_VALUE])
                top += 2
        print_setup(sheet)

    def reliability(self) -> None:
        """The Reliability sheet: alphas with intervals, alpha-if-deleted and item–total r."""
        a, w = self.a, self.w
        sheet = self.sheet("reliability")
        facets = (("expectation", w["E"]), ("perception", w["P"]), ("gap", w["gap"]))
        rows = [[self.pick(d.name), label, d.alpha[key].n, d.alpha[key].alpha, d.alpha[key].ci_low,
                 d.alpha[key].ci_high] for d in a.dimensions for key, label in facets]
        _, last = write_table(sheet, 1, [w["dimension"], w["facet"], w["n"], w["alpha"], w["ci_low"], w["ci_high"]],
                              rows, [None, None, "0", PRECISE, PRECISE, PRECISE], [28, 16, 8, 12, 10, 10])
        item_rows = [[i.id, i.dimension, label, i.alpha_if_deleted.get(key), i.item_total.get(key)]
                     for i in a.items for key, label in facets]
        write_table(sheet, last + 3, [w["item"], w["dimension"], w["facet"], w["alpha_deleted"], w["item_total"]],
                    item_rows, [None, None, None, PRECISE, PRECISE])
        print_setup(sheet)  # two tables: neither header repeats over the other

    def quality(self) -> None:
        """The Data quality sheet: rows read and used, missing and invalid cells, notes."""
        a, w = self.a, self.w
        quality = a.data_quality
        sheet = self.sheet("quality")
        facts = [(w["file"], Path(quality.file).name), (w["format"], quality.file_format),
                 (w["encoding"], quality.encoding), (w["rows_read"], quality.rows_read),
                 (w["rows_used"], quality.rows_used), (w["straight"], quality.straight_liners)]
        facts += [(f"{w['missing_cells']}: {facet}", count) for facet, count in quality.missing_cells.items()]
        for row, (label, value) in enumerate(facts, start=1):
            put(sheet, row, 1, label, bold=True)
            put(sheet, row, 2, value)
        fit_row_heights(sheet, 1, len(facts))  # a long file name wraps: its row grows instead of overprinting
        top = len(facts) + 2
        _, last = write_table(sheet, top, [w["dimension"], w["left_out"], w["no_answers"], w["too_few"]],
                              [[self.pick(d.name), d.left_out.total, d.left_out.no_answers, d.left_out.too_few_items]
                               for d in a.dimensions], None, [30, 12, 12, 14])
        if len(quality.files) > 1:
            _, last = write_table(sheet, last + 2, [w["file"], w["rows_read"], w["format"], w["encoding"]],
                                  [[file.path, file.rows, file.format, file.encoding] for file in quality.files])
        if quality.invalid_as_missing:
            several = len(quality.files) > 1
            _, last = write_table(sheet, last + 2, [*([w["file"]] if several else []), "row", "column", "header",
                                                    "value", w["invalid"]],
                                  [[*([n.file] if several else []), n.row, n.column, n.header, n.value, n.message]
                                   for n in quality.invalid_as_missing])
        for offset, note in enumerate(quality.notes, start=last + 2):
            put(sheet, offset, 1, note_text(note, self.language))
        print_setup(sheet)

    def about(self) -> None:
        """The About sheet: version, date, the files and their SHA-256, how it was computed."""
        w = self.w
        sheet = self.sheet("about")
        rows: list[tuple[str, Any]] = [(w["sign"], ""), (w["version"], __version__),
                                       (w["date"], dt.date.today().isoformat())]
        for key, path in self.sources.items():
            label = w["config"] if key == "config" else w["file"] if key == "data" else key
            # Only a regular file is hashed: a pipe or standard input was read once and is gone.
            rows += [(label, inert_path(path.name)), (f"{label} {w['sha']}", sha256(path) if path.is_file() else "")]
        rows.append((w["method"], w["method_text"]))
        for row, (label, value) in enumerate(rows, start=1):
            put(sheet, row, 1, label, bold=True)
            put(sheet, row, 2, value)
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 90
        fit_row_heights(sheet, 1, len(rows))  # the sign convention and the method notes wrap
        print_setup(sheet)


def workbook_bytes(assessment: Assessment, language: str, sources: dict[str, Path]) -> bytes:
    """The client workbook of ``assessment`` as .xlsx bytes."""
    assessment = inert_assessment(assessment)  # text from files shown as text, whoever calls
    return WorkbookBuilder(assessment, language, sources).build()
