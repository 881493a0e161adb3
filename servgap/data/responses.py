"""Read a survey export and map it onto an instrument: the `Responses` the gap engine works on.

Reading never raises for bad content. It returns a :class:`ReadOutcome` with the responses (or
None) and every data issue found, each naming the spreadsheet row (header = row 1) and the column
(1-based position and header), so that `analyze` can refuse with a complete list and
`check --data` can report the same issues as findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from servgap.data import rules as data_rules
from servgap.data.cells import CellValidator, collect_invalid
from servgap.data.issues import DataIssue, Refusal
from servgap.data.options import InvalidPolicy, Layout, ReadOptions
from servgap.data.plan import ColumnPlan, plan_columns
from servgap.data.platforms import SourceInfo, recognise
from servgap.data.tables import Table, read_table, table_from_frame
from servgap.instrument.models import Facet, InstrumentConfig
from servgap.stats.moments import FloatArray


@dataclass
class FacetColumns:
    """One facet's answers, kept as the column arrays the reader produced (no second copy).

    ``values[j]`` holds item j's numbers; ``blank[j]``, where present, marks cells to treat as
    missing (declared missing codes, or invalid cells under ``--invalid missing``).
    """

    values: list[FloatArray]
    blank: dict[int, np.ndarray]


@dataclass
class Responses:
    """Survey answers mapped onto an instrument, in config item order.

    Answers are read block by block with :meth:`block` (respondents × items, NaN = missing,
    negatively worded items recoded ``L + U − x``) or whole with :meth:`matrix`. ``points`` is a
    respondents × dimensions array of importance points, or None when the file has none.
    """

    path: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    rows_read: int
    respondent_ids: list[str]
    ids_from_rows: bool
    item_ids: list[str]
    facets: dict[Facet, FacetColumns]
    reverse: np.ndarray
    scale: tuple[int, int]
    points: FloatArray | None
    segments: dict[str, np.ndarray]
    columns: dict[str, str]
    invalid_as_missing: list[DataIssue] = field(default_factory=list)
    #: stated importance per item (respondents × items, on the item scale), when the file has it
    item_importance: FloatArray | None = None
    #: an overall-quality rating per respondent, when the config names its column
    overall_quality: FloatArray | None = None
    missing_cells: dict[str, int] = field(default_factory=dict)
    #: the survey platform that wrote the file, and how its layout was read
    source: SourceInfo = field(default_factory=lambda: SourceInfo("generic", 1, True))

    def block(self, facet: Facet, rows: slice, out: FloatArray | None = None) -> FloatArray:
        """Answers of ``rows`` as a column-major respondents × items array (written into ``out``)."""
        start, stop, _ = rows.indices(self.rows_read)
        height = stop - start
        if out is None:
            out = np.empty((height, len(self.item_ids)), order="F")
        out = out[:height]
        stored = self.facets[facet]
        for position, column in enumerate(stored.values):
            out[:, position] = column[start:stop]
        for position, mask in stored.blank.items():
            out[mask[start:stop], position] = np.nan
        if self.reverse.any():
            low, high = self.scale
            out[:, self.reverse] = low + high - out[:, self.reverse]
        return out

    def matrix(self, facet: Facet) -> FloatArray:
        """All answers of a facet as one respondents × items array."""
        return self.block(facet, slice(None))

    def subset(self, rows: np.ndarray) -> Responses:
        """The respondents where ``rows`` (a boolean mask) is true, e.g. one wave of a tracking study."""
        facets = {facet: FacetColumns([column[rows] for column in stored.values],
                                      {position: mask[rows] for position, mask in stored.blank.items()})
                  for facet, stored in self.facets.items()}
        return replace(
            self, rows_read=int(rows.sum()), respondent_ids=[i for i, keep in zip(self.respondent_ids, rows,
                                                                                     strict=True) if keep],
            facets=facets, points=None if self.points is None else self.points[rows],
            segments={name: values[rows] for name, values in self.segments.items()},
            item_importance=None if self.item_importance is None else self.item_importance[rows],
            overall_quality=None if self.overall_quality is None else self.overall_quality[rows],
        )


@dataclass
class ReadOutcome:
    """The responses read from a file (None when it is refused) and every issue found."""

    responses: Responses | None
    issues: list[DataIssue]

    @property
    def errors(self) -> list[DataIssue]:
        """The issues that refuse the file."""
        return [issue for issue in self.issues if issue.is_error]


def read_responses(config: InstrumentConfig, path: Path | pd.DataFrame, options: ReadOptions | None = None,
                   segment_by: list[str] | None = None,
                   facet_labels: dict[Facet, str] | None = None, ids_unique_within: str | None = None) -> ReadOutcome:
    """Read ``path`` and map it onto ``config``; see :class:`ReadOutcome`.

    Parameters
    ----------
    path:
        A data file (``-`` for standard input), or a pandas DataFrame already in memory (its column
        labels are the headers; rows are numbered as in a spreadsheet, header = row 1).
    facet_labels:
        How messages name a facet (e.g. "manager estimate" when a managers' file is read).
    segment_by:
        Extra segment columns (by header) asked for on the command line, beside the config's.
    ids_unique_within:
        A segment column (a tracking study's wave) within whose values respondent ids must be unique;
        the same respondent may then answer in several waves.
    """
    options = options or ReadOptions()
    issues: list[DataIssue] = []
    try:
        table = table_from_frame(path) if isinstance(path, pd.DataFrame) else read_table(path, options)
    except Refusal as refusal:
        return ReadOutcome(None, [refusal.issue])
    table, source = recognise(table, options.source or config.data.source)
    table, config_for_columns = _widen_if_long(table, config, options, issues)
    if any(issue.is_error for issue in issues):
        return ReadOutcome(None, issues)
    plan = plan_columns(_with_segments(config_for_columns, config, segment_by), table.headers, issues, facet_labels,
                        source.id_header, source.question_texts)
    _explain_missing_columns(plan, config_for_columns, table, issues)
    if issues:
        return ReadOutcome(None, issues)

    reader = _ColumnReader(table, config, options, issues, source.skip_markers)
    item_ids = [item.id for _, item in config.items()]
    facets = {facet: reader.facet(facet, [plan.item_columns[(item_id, facet)] for item_id in item_ids], item_ids)
              for facet in config.instrument.facets}
    points = None
    if plan.points_columns is not None:
        points = np.empty((len(table.frame), len(config.dimensions)), order="F")
        for position, dimension in enumerate(config.dimensions):
            column = plan.points_columns[dimension.id]
            points[:, position] = reader.checked(column, "points")
            reader.used[f"{dimension.id}.importance"] = table.headers[column]
        reader.missing_cells["importance"] = int(np.isnan(points).sum())
    item_importance = None
    if plan.importance_columns is not None:
        item_importance = np.column_stack([reader.checked(plan.importance_columns[item_id], "scale")
                                           for item_id in item_ids])
    overall_quality = reader.checked(plan.overall_column, "scale") if plan.overall_column is not None else None
    within = plan.segment_columns.get(ids_unique_within) if ids_unique_within else None
    ids, ids_from_rows = _respondent_ids(table, plan.id_column, reader.row_numbers, issues, within)
    segments = {name: _as_text(table.frame[column]).astype(object).where(lambda v: v.notna(), None).to_numpy()
                for name, column in plan.segment_columns.items()}
    if not _explain_header_rows(plan, reader.row_numbers, source, issues):
        _explain_label_answers(config, issues)
    if any(issue.is_error for issue in issues):
        return ReadOutcome(None, issues)
    scale = config.instrument.scale
    responses = Responses(
        path="DataFrame" if isinstance(path, pd.DataFrame) else str(path), file_format=table.file_format,
        encoding=table.encoding, delimiter=table.delimiter, rows_read=len(table.frame), respondent_ids=ids,
        ids_from_rows=ids_from_rows, item_ids=item_ids, facets=facets,
        reverse=np.array([item.reverse for _, item in config.items()]), scale=(scale.min, scale.max),
        points=points, item_importance=item_importance, overall_quality=overall_quality, segments=segments,
        columns=reader.used,
        invalid_as_missing=[issue for issue in issues if issue.rule is data_rules.INVALID_AS_MISSING],
        missing_cells=reader.missing_cells, source=source,
    )
    return ReadOutcome(responses, issues)


def _widen_if_long(table: Table, config: InstrumentConfig, options: ReadOptions,
                   issues: list[DataIssue]) -> tuple[Table, InstrumentConfig]:
    """A long file (respondent, item, facet, value) made wide, with the config mapping that reads it."""
    long_headers = {header.strip().lower() for header in table.headers}
    is_long = options.layout is Layout.long or (
        options.layout is Layout.auto and {"item", "facet", "value"} <= long_headers
    )
    if not is_long:
        return table, config
    from servgap.data.long_layout import widen

    return widen(table, config, issues, options.invalid is InvalidPolicy.missing)


def _with_segments(config: InstrumentConfig, original: InstrumentConfig,
                   segment_by: list[str] | None) -> InstrumentConfig:
    """``config`` with the segment columns asked for on the command line added to its own."""
    extra = [segment for segment in segment_by or [] if segment not in original.data.segments]
    if not extra:
        return config
    return config.model_copy(update={"data": config.data.model_copy(
        update={"segments": [*config.data.segments, *extra]})})


def _explain_header_rows(plan: ColumnPlan, row_numbers: np.ndarray, source: SourceInfo,
                         issues: list[DataIssue]) -> bool:
    """Put the likely reason first when the first row below the header holds text in most rating
    columns: a second header row (question texts) of an export servgap did not recognise. True
    when it did."""
    if not len(row_numbers):
        return False
    first_row = int(row_numbers[0])
    invalid = [issue for issue in issues if issue.rule is data_rules.INVALID_CELL]
    flagged = {issue.column for issue in invalid if issue.row == first_row}
    later = {issue.column for issue in invalid if issue.row != first_row}
    ratings = {column + 1 for column in plan.item_columns.values()}
    # Text in most rating columns of the first row, and (mostly) numbers below it.
    if len(ratings) >= 2 and len(flagged & ratings) * 2 >= len(ratings) and \
            len(later & flagged & ratings) * 2 < len(flagged & ratings):
        issues.insert(0, DataIssue(data_rules.INVALID_CELL, first_row, 0, "",
                                   f"row {first_row} holds text in {len(flagged & ratings)} of the {len(ratings)} "
                                   "rating columns: it looks like a second header row (question texts). servgap "
                                   "reads Qualtrics and SurveyMonkey header rows when it recognises the export "
                                   f"(this file was read as {source.name}); name the platform with --source or "
                                   "data.source, or delete the row"))
        return True
    return False


def _explain_label_answers(config: InstrumentConfig, issues: list[DataIssue]) -> None:
    """Put the likely reason first when many invalid cells are words: answers exported as label
    text ("Strongly agree") for a scale whose labels the config does not give."""
    texts = [issue.value for issue in issues if issue.rule is data_rules.INVALID_CELL and issue.value
             and any(char.isalpha() for char in issue.value)]
    if len(texts) < 3 or config.instrument.scale.labels:
        return  # with labels, each cell's message names the labels that would be read
    examples = ", ".join(f"'{text}'" for text in list(dict.fromkeys(texts))[:3])
    issues.insert(0, DataIssue(data_rules.INVALID_CELL, 0, 0, "",
                               f"{len(texts)} cells hold words ({examples}…): answers exported as label text are "
                               "read when the config gives the scale's labels (instrument.scale.labels, and "
                               "instrument.scale.aliases for other wordings); or export numeric values"))


def _explain_missing_columns(plan: ColumnPlan, config: InstrumentConfig, table: Table,
                             issues: list[DataIssue]) -> None:
    """Put the likely reason first when columns are missing: a config for another file, or a wrong
    delimiter (the header came out as one column)."""
    expected = len(config.instrument.facets) * len(config.items())
    absent = expected - len(plan.item_columns)
    if absent > expected / 2:
        issues.insert(0, DataIssue(data_rules.MISSING_COLUMN, 1, 0, "",
                                   f"{absent} of the {expected} item columns the config expects are missing; "
                                   "is this the config for this file? (map question-text headers under "
                                   "data.columns)"))
    if issues and len(table.headers) == 1 and table.delimiter is not None:
        shown = {"\t": "tab", ",": "','", ";": "';'"}.get(table.delimiter, repr(table.delimiter))
        issues.insert(0, DataIssue(data_rules.MISSING_COLUMN, 1, 1, table.headers[0],
                                   f"the header is a single column when split at {shown}; give the file's "
                                   "delimiter with --delimiter (',' ';' or tab)"))


class _ColumnReader:
    """Reads validated columns of a table: numbers, missing and invalid cells (reported as issues
    with their spreadsheet rows), the header each input came from, and missing-cell counts."""

    def __init__(self, table: Table, config: InstrumentConfig, options: ReadOptions,
                 issues: list[DataIssue], skip_markers: tuple[str, ...] = ()) -> None:
        self.table = table
        self.config = config
        self.issues = issues
        self.validator = CellValidator(config, skip_markers)
        self.rule = data_rules.INVALID_CELL if options.invalid is InvalidPolicy.refuse else \
            data_rules.INVALID_AS_MISSING
        self.row_numbers = np.arange(len(table.frame)) + 2 if table.row_numbers is None else table.row_numbers
        self.used: dict[str, str] = {}
        self.missing_cells: dict[str, int] = {}

    def _convert(self, column: int, kind: str) -> tuple[FloatArray, np.ndarray, np.ndarray]:
        cells = self.table.frame[column]
        labelled = (self.table.value_labels or {}).get(column)
        recode = self.validator.points_of_codes(labelled) if kind == "scale" and labelled else None
        if recode is not None:
            # Codes whose value labels are the scale's answer texts are read as those answers' points.
            cells = cells.map(lambda code: recode.get(code, code))
        values, missing, invalid = self.validator.convert(cells, kind)
        if invalid.any():
            collect_invalid(self.issues, invalid, self.table.frame[column], column, self.table.headers[column], kind,
                            self.config, self.rule, self.row_numbers)
        return values, missing, invalid

    def facet(self, facet: Facet, columns: list[int], item_ids: list[str]) -> FacetColumns:
        """One facet's item columns, kept as the reader's arrays with masks of cells to treat as missing."""
        stored = FacetColumns([], {})
        missing_total = 0
        for position, (item_id, column) in enumerate(zip(item_ids, columns, strict=True)):
            values, missing, invalid = self._convert(column, "scale")
            missing_total += int(missing.sum())
            blank = (missing | invalid) & ~np.isnan(values)
            if blank.any():
                stored.blank[position] = blank
            stored.values.append(values)
            self.used[f"{item_id}.{facet.value}"] = self.table.headers[column]
        self.missing_cells[facet.value] = missing_total
        return stored

    def checked(self, column: int, kind: str) -> FloatArray:
        """One column's numbers, missing and invalid cells as NaN, invalid cells reported."""
        values, missing, invalid = self._convert(column, kind)
        return np.where(missing | invalid, np.nan, values)


def _respondent_ids(table: Table, id_column: int | None, row_numbers: np.ndarray,
                    issues: list[DataIssue], within: int | None = None) -> tuple[list[str], bool]:
    """The respondent ids as text, blank and repeated ids reported (SG305); without an id column the
    spreadsheet row numbers, and True. With ``within`` (a wave column), an id may recur in other
    values of that column but not within one."""
    if id_column is None:
        return [str(number) for number in row_numbers], True
    id_text = _as_text(table.frame[id_column])
    header = table.headers[id_column]
    blank = id_text.isna().to_numpy(dtype=bool)
    key = id_text if within is None else _as_text(table.frame[within]).fillna("\0") + "\0" + id_text
    repeated = (key.duplicated(keep="first") & ~id_text.isna()).to_numpy(dtype=bool)
    first_row = {}
    if repeated.any():
        first = ~key.duplicated(keep="first").to_numpy(dtype=bool) & ~blank
        first_row = dict(zip(key[first].tolist(), row_numbers[first].tolist(), strict=True))
    for row_index in np.flatnonzero(blank | repeated):
        message = ("the respondent id is blank; every row needs an id" if blank[row_index] else
                   f"respondent id '{id_text.iloc[row_index]}' already appears on row "
                   f"{first_row[key.iloc[row_index]]}" + (" (in the same wave)" if within is not None else ""))
        issues.append(DataIssue(data_rules.DUPLICATE_RESPONDENT, int(row_numbers[row_index]), id_column + 1, header,
                                message))
    return id_text.fillna("").tolist(), False


def _as_text(column: pd.Series) -> pd.Series:
    """Ids and segment values as text, as the spreadsheet shows them (7.0 read as a float is '7'); NA if blank."""
    if pd.api.types.is_float_dtype(column.dtype):
        whole = column.notna() & (column == column.round())
        text = column.astype(object).where(column.notna(), None)
        text[whole] = column[whole].astype("int64").astype(str)
        return text
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.astype(str).astype(object)
    # Text cells: blanks were read as missing already; values are kept exactly as exported.
    text = column.astype(object)
    return text.where(text.notna() & (text != ""), None)

