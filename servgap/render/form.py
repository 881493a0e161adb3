"""The questionnaire workbook: a data-collection sheet generated from an instrument config.

Its column headers are exactly the names the config maps (patterns, or per-item header overrides),
with drop-down validation restricted to the scale points, so that the filled workbook analyses
with no mapping work.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from servgap.instrument.columns import (
    ColumnRef,
    arrange,
    item_column,
    item_header,
    points_column,
    points_header,
)
from servgap.instrument.models import Facet, InstrumentConfig
from servgap.render.excel import TITLE_FONT, put, safe_sheet_title
from servgap.render.inert import inert_assessment
from servgap.render.labels import pick

ROWS = 1000
FORM_STEPS: dict[str, list[str]] = {
    "en": ["Enter one respondent per row of the Responses sheet, starting in row 2.",
           "Leave a cell empty when a question was not answered.",
           "Do not rename, move or delete the column headers: servgap reads them by name.",
           "Importance points (W_ columns), where present, should add up to 100 per respondent."],
    "zh": ["在“答卷”表中每行填写一位受访者，从第 2 行开始。",
           "未作答的题目请留空。",
           "请勿修改、移动或删除列标题：servgap 按名称读取。",
           "如有重要性分值（W_ 列），每位受访者的分值合计应为 100。"],
}
FORM_WORDS: dict[str, dict[str, str]] = {
    "en": {"instructions": "Instructions", "responses": "Responses", "questions": "Questions",
           "column": "Column", "question": "Question", "facet": "Rating", "dimension": "Dimension",
           "scale": "Answer with a whole number from {low} to {high}: {labels}.",
           "rating_error": "Answer with a whole number from {low} to {high}.",
           "points_error": "Importance points: a whole number from 0 to 100 (a respondent's points total 100).",
           "expectation": "Expectation: what an excellent provider would offer",
           "perception": "Perception: what this provider offers",
           "adequate": "Adequate: the minimum service you would accept",
           "desired": "Desired: the service you would like to receive",
           "importance": "Importance points for this dimension (out of 100)",
           "respondent": "Respondent id (unique)", "segment": "Segment",
           "unused": "Not used by the analysis (keeps the mapped columns at their positions)"},
    "zh": {"instructions": "填写说明", "responses": "答卷", "questions": "题目",
           "column": "列名", "question": "题目", "facet": "评价类型", "dimension": "维度",
           "scale": "请填写 {low} 到 {high} 之间的整数：{labels}。",
           "rating_error": "请填写 {low} 到 {high} 之间的整数。",
           "points_error": "重要性分值：0 到 100 之间的整数（每位受访者的分值合计 100）。",
           "expectation": "期望：优秀的服务提供者应提供的服务",
           "perception": "感知：本服务提供者实际提供的服务",
           "adequate": "可接受：您能接受的最低服务水平",
           "desired": "期望：您希望得到的服务水平",
           "importance": "该维度的重要性分值（满分 100）",
           "respondent": "受访者编号（唯一）", "segment": "分组",
           "unused": "分析不使用此列（使按位置映射的列保持在其位置）"},
}


#: Excel's limits: columns in a worksheet, characters in a drop-down list's formula.
MAX_COLUMNS = 16_384
MAX_LIST_FORMULA = 255


def form_columns(config: InstrumentConfig, language: str) -> list[tuple[str, str, str]]:
    """(header, description, kind) of every column, in the order ``servgap analyze`` reads them: a
    column the config maps by position stands at that position (servgap.instrument.columns)."""
    words = FORM_WORDS.get(language, FORM_WORDS["en"])
    fallbacks = list(config.instrument.languages)
    described: list[tuple[ColumnRef, str, str, str]] = []
    data = config.data
    if data.respondent_id is not None:
        described.append((data.respondent_id, str(data.respondent_id) if isinstance(data.respondent_id, str)
                          else "respondent_id", words["respondent"], "id"))
    for segment in data.segments:
        described.append((segment, str(segment) if isinstance(segment, str) else f"segment {segment}",
                          words["segment"], "segment"))
    for facet in config.instrument.facets:
        for _, item in config.items():
            ref = item_column(config, item.id, facet)
            header = ref if isinstance(ref, str) else item_header(config, item.id, facet)
            text = pick(item.text, language, fallbacks)
            described.append((ref, header, f"{words[facet.value]} — {text}", facet.value))
    if config.importance.use_points_columns and Facet.PERCEPTION in config.instrument.facets:
        for dimension in config.dimensions:
            ref = points_column(config, dimension.id)
            header = ref if isinstance(ref, str) else points_header(config, dimension.id)
            described.append((ref, header, f"{words['importance']} — {pick(dimension.name, language, fallbacks)}",
                              "importance"))
    by_header = {header: (header, description, kind) for _, header, description, kind in described}
    filler = (words["unused"], "")
    return [by_header.get(header, (header, *filler)) for header in arrange([(ref, header) for ref, header, *_ in
                                                                             described])]


def form_bytes(config: InstrumentConfig, language: str) -> bytes:
    """The questionnaire workbook as .xlsx bytes."""
    config = inert_assessment(config)  # text from files shown as text, whoever calls
    words = FORM_WORDS.get(language, FORM_WORDS["en"])
    fallbacks = list(config.instrument.languages)
    scale = config.instrument.scale
    book = Workbook()
    instructions = book.active
    instructions.title = safe_sheet_title(words["instructions"])
    put(instructions, 1, 1, pick(config.instrument.name, language, fallbacks))
    instructions.cell(row=1, column=1).font = TITLE_FONT
    put(instructions, 2, 1, pick(config.instrument.description, language, fallbacks))
    labels = ", ".join(f"{point} = {pick(text, language, fallbacks)}" for point, text in
                       sorted(scale.labels.items()))
    put(instructions, 4, 1, words["scale"].format(low=scale.min, high=scale.max, labels=labels or "–"))
    for offset, line in enumerate(FORM_STEPS.get(language, FORM_STEPS["en"]), start=6):
        put(instructions, offset, 1, f"• {line}")
    instructions.column_dimensions["A"].width = 110

    responses = book.create_sheet(safe_sheet_title(words["responses"]))
    columns = form_columns(config, language)
    points = '"' + ",".join(str(point) for point in range(scale.min, scale.max + 1)) + '"'
    message = words["rating_error"].format(low=scale.min, high=scale.max)
    if len(points) <= MAX_LIST_FORMULA:
        rating = DataValidation(type="list", formula1=points, allow_blank=True, showErrorMessage=True,
                                errorTitle="servgap", error=message)
    else:  # Excel's drop-down list holds at most 255 characters: a long scale gets a whole-number check
        rating = DataValidation(type="whole", operator="between", formula1=str(scale.min), formula2=str(scale.max),
                                allow_blank=True, showErrorMessage=True, errorTitle="servgap", error=message)
    importance = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
                                showErrorMessage=True, errorTitle="servgap", error=words["points_error"])
    responses.add_data_validation(rating)
    responses.add_data_validation(importance)
    for index, (header, description, kind) in enumerate(columns, start=1):
        cell = responses.cell(row=1, column=index)
        put(responses, 1, index, header, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.comment = Comment(description, "servgap")
        letter = get_column_letter(index)
        responses.column_dimensions[letter].width = max(10, min(len(header) + 2, 40))
        if kind in ("expectation", "perception", "adequate", "desired"):
            rating.add(f"{letter}2:{letter}{ROWS + 1}")
        elif kind == "importance":
            importance.add(f"{letter}2:{letter}{ROWS + 1}")
    responses.freeze_panes = "B2"

    questions = book.create_sheet(safe_sheet_title(words["questions"]))
    for index, header in enumerate((words["column"], words["question"]), start=1):
        put(questions, 1, index, header, bold=True)
    for row, (header, description, _) in enumerate(columns, start=2):
        put(questions, row, 1, header)
        put(questions, row, 2, description)
        questions.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    questions.column_dimensions["A"].width = 24
    questions.column_dimensions["B"].width = 100
    # The responses come first: `servgap analyze` reads the first sheet unless told otherwise.
    book.move_sheet(responses, offset=-book.index(responses))
    book.active = 0
    book.properties.title = pick(config.instrument.name, language, fallbacks)
    book.properties.creator = "servgap"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
