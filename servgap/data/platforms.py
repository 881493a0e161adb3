"""Survey platforms' exports as they come: which platform wrote a file, and its layout made plain.

Each platform leaves fingerprints in its export — the metadata columns it always writes, and header
rows of its own below the first:

==================  ======================================================  ================
platform            fingerprint (headers)                                   header rows
==================  ======================================================  ================
qualtrics           StartDate, EndDate, ResponseId (legacy: ResponseID,     3 (names, question
                    ResponseSet)                                            text, ImportId); 2
                                                                            for legacy exports
surveymonkey        Respondent ID, Collector ID                             2 (question, then
                                                                            sub-question or
                                                                            "Response")
google_forms        Timestamp (or its translation) as the first header      1
wjx (问卷星)        序号 with 提交答卷时间 or 所用时间                      1
microsoft_forms     ID, Start time, Completion time (or 开始时间, 完成时间)  1
spss, stata         the file format itself (read with pyreadstat)           —
==================  ======================================================  ================

:func:`recognise` returns the table without the platform's extra header rows (row numbers kept as
the spreadsheet shows them), with SurveyMonkey's two-row headers joined as ``Question [Sub-question]``
(Google Forms' own grid form), and a :class:`SourceInfo` saying what it found. The platform's
skip markers (问卷星's ``(跳过)`` and ``-3``, Qualtrics' ``-99`` "seen but unanswered") read as missing
(numeric ones only when they lie off the scale).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from servgap.instrument.models import PLATFORM_NAMES

if TYPE_CHECKING:
    import pandas as pd

    from servgap.data.tables import Table

_GOOGLE_TIMESTAMPS = {"timestamp", "时间戳记", "時間戳記", "marca temporal", "horodateur", "zeitstempel",
                      "タイムスタンプ", "carimbo de data/hora", "informazioni cronologiche", "타임스탬프"}
_SURVEYMONKEY_PLAIN = {"", "response", "open-ended response", "回答", "答复"}
_SKIP_MARKERS = {
    # 问卷星 writes (跳过) for a skipped question in text downloads, -3 in numeric ones (-2: not shown).
    "wjx": ("(跳过)", "（跳过）", "(空)", "（空）", "跳过", "-3", "-2"),
    "qualtrics": ("-99",),
}
#: The platform's respondent-id header, used when the config names none that the file has.
_ID_HEADERS = {"qualtrics": ("ResponseId", "ResponseID"), "surveymonkey": ("Respondent ID",), "wjx": ("序号",),
               "microsoft_forms": ("ID",)}


@dataclass(frozen=True)
class SourceInfo:
    """Where a data file comes from, as detected (or as the config or ``--source`` said)."""

    platform: str
    #: rows of the file that are headers (1 for a plain table; 0 for SPSS and Stata, which have none)
    header_rows: int
    detected: bool
    #: the platform's respondent-id header, when the file has it
    id_header: str | None = None
    #: cell texts the platform writes for a question skipped or not shown
    skip_markers: tuple[str, ...] = field(default_factory=tuple)
    #: each column's question text, when the platform writes it in a header row of its own (Qualtrics)
    question_texts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """The platform as a report names it."""
        return PLATFORM_NAMES.get(self.platform, self.platform)


def _lowered(headers: list[str]) -> set[str]:
    return {" ".join(header.split()).casefold() for header in headers}


def detect(table: Table) -> str:
    """The platform whose fingerprints the table's headers carry ("generic" when none).

    >>> import pandas as pd
    >>> from servgap.data.tables import Table
    >>> detect(Table(pd.DataFrame(), ["StartDate", "EndDate", "ResponseId", "Q1_1"], "csv"))
    'qualtrics'
    """
    if table.file_format in ("spss", "stata"):
        return table.file_format
    return detect_headers(table.headers)


def detect_headers(headers: list[str]) -> str:
    """The platform whose fingerprints a CSV or XLSX export's headers carry ("generic" when none).

    >>> detect_headers(["序号", "提交答卷时间", "1、服务"])
    'wjx'
    """
    lowered = _lowered(headers)
    if {"startdate", "enddate", "responseid"} <= lowered or {"responseid", "responseset"} <= lowered:
        return "qualtrics"
    if {"respondent id", "collector id"} <= lowered:
        return "surveymonkey"
    if "序号" in lowered and lowered & {"提交答卷时间", "所用时间"}:
        return "wjx"
    if "id" in lowered and ({"start time", "completion time"} <= lowered or {"开始时间", "完成时间"} <= lowered):
        return "microsoft_forms"
    if headers and " ".join(headers[0].split()).casefold() in _GOOGLE_TIMESTAMPS:
        return "google_forms"
    return "generic"


def recognise(table: Table, platform: str | None = None) -> tuple[Table, SourceInfo]:
    """The table in plain form (one header row, then respondents) and what it came from.

    ``platform`` overrides detection (``data.source`` in the config, ``--source``); ``None`` or
    ``"auto"`` detects.
    """
    detected = platform in (None, "auto")
    name = detect(table) if detected else str(platform)
    if name in ("spss", "stata"):
        return table, SourceInfo(name, 0, detected)
    extra = 0
    if name == "qualtrics":
        extra = _qualtrics_header_rows(table)
    elif name == "surveymonkey":
        extra = _surveymonkey_header_rows(table)
    headers = table.headers
    questions: tuple[str, ...] = ()
    if name == "surveymonkey" and extra:
        headers = _joined_headers(table.headers, table.frame.iloc[0])
    if name == "qualtrics" and extra and not any(_is_import_id(cell) for cell in _cells(table.frame.iloc[0])):
        questions = tuple(_cells(table.frame.iloc[0]))
    if extra:
        table = _drop_rows(table, extra, headers)
    return table, _source_info(name, table.headers, detected, extra, questions)


#: Platforms whose exports may carry header rows below the first (read by :func:`recognise`).
_MULTI_HEADER = ("qualtrics", "surveymonkey")


def plain_source(headers: list[str], platform: str | None = None) -> SourceInfo | None:
    """What :func:`recognise` finds for a CSV export with one header row, from its headers alone;
    None when the platform may have written more header rows (its rows must then be looked at)."""
    detected = platform in (None, "auto")
    name = detect_headers(headers) if detected else str(platform)
    if name in _MULTI_HEADER or name in ("spss", "stata"):
        return None
    return _source_info(name, headers, detected, 0, ())


def _source_info(name: str, headers: list[str], detected: bool, extra: int,
                 questions: tuple[str, ...]) -> SourceInfo:
    id_header = next((header for header in _ID_HEADERS.get(name, ()) if header in headers), None)
    return SourceInfo(name, 1 + extra, detected, id_header, _SKIP_MARKERS.get(name, ()), questions)


def _cells(row: pd.Series) -> list[str]:
    return ["" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
            for value in row.tolist()]


def _qualtrics_header_rows(table: Table) -> int:
    """Rows below the names that Qualtrics wrote: question texts (row 2) and ImportId JSON (row 3).

    A row is a header row when its id cell holds the column's own label rather than a response id,
    or any cell holds an ImportId object.
    """
    id_index = next((i for i, h in enumerate(table.headers) if h.strip().casefold() == "responseid"), None)
    rows = 0
    for position in range(min(2, len(table.frame))):
        cells = _cells(table.frame.iloc[position])
        import_ids = any(_is_import_id(cell) for cell in cells)
        labelled = id_index is not None and cells[id_index].casefold().replace(" ", "") == "responseid"
        if not (import_ids or labelled):
            break
        rows += 1
    return rows


def _is_import_id(cell: str) -> bool:
    if not cell.startswith("{"):
        return False
    try:
        parsed = json.loads(cell)
    except ValueError:
        return False
    return isinstance(parsed, dict) and "ImportId" in parsed


def _surveymonkey_header_rows(table: Table) -> int:
    """1 when the first data row is SurveyMonkey's sub-header row (its Respondent ID cell is blank
    and some cell reads "Response" or a sub-question), else 0 (a single-header "condensed" export)."""
    if not len(table.frame):
        return 0
    id_index = next(i for i, h in enumerate(table.headers) if " ".join(h.split()).casefold() == "respondent id")
    cells = _cells(table.frame.iloc[0])
    has_text = any(cell and not is_number(cell) for cell in cells)
    return 1 if not cells[id_index] and has_text else 0


def is_number(text: str) -> bool:
    """Whether a cell's text reads as a number."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _joined_headers(names: list[str], sub_row: pd.Series) -> list[str]:
    """SurveyMonkey's two header rows as one: a question's text carries over the blank headers of its
    other columns; a sub-question joins it as ``Question [Sub-question]``.

    >>> import pandas as pd
    >>> _joined_headers(["Respondent ID", "How was it?", "", "Age"],
    ...                 pd.Series(["", "Staff", "Speed", "Response"]))
    ['Respondent ID', 'How was it? [Staff]', 'How was it? [Speed]', 'Age']
    """
    joined = []
    question = ""
    for name, sub in zip(names, _cells(sub_row), strict=True):
        if name.strip():
            question = name.strip()
        elif not sub:
            joined.append(name)
            continue
        plain = " ".join(sub.split()).casefold() in _SURVEYMONKEY_PLAIN
        joined.append(question if plain else f"{question} [{sub}]" if question else sub)
    return joined


def _drop_rows(table: Table, count: int, headers: list[str]) -> Table:
    """The table without its first ``count`` rows, each remaining row keeping its spreadsheet number."""
    numbers = np.arange(len(table.frame), dtype=np.int64) + 2 if table.row_numbers is None else table.row_numbers
    frame = table.frame.iloc[count:].reset_index(drop=True)
    return replace(table, frame=frame, headers=headers, row_numbers=numbers[count:])
