"""Read a survey export and map it onto an instrument: the `Responses` the gap engine works on.

Reading never raises for bad content. It returns a :class:`ReadOutcome` with the responses (or
None) and every data issue found, each naming the spreadsheet row (header = row 1) and the column
(1-based position and header), so that `analyze` can refuse with a complete list and
`check --data` can report the same issues as findings.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from servgap.data import rules as data_rules
from servgap.data.assembly import ColumnReader, Responses, assemble, with_segments
from servgap.data.cells import CellValidator, collect_invalid
from servgap.data.issues import DataIssue, Refusal
from servgap.data.options import InvalidPolicy, Layout, ReadOptions
from servgap.data.plan import ColumnPlan, plan_columns
from servgap.data.platforms import SourceInfo
from servgap.instrument.models import Facet, InstrumentConfig

if TYPE_CHECKING:
    import pandas as pd

    from servgap.data.tables import Table


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

    A plain numeric CSV export is read by the columnar reader (``data/columnar.py``: only the mapped
    columns, as narrow integers, validated a column at a time); every other file, and any file in
    which something must be reported, by the table reader below, which names each problem.

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
    frame = _is_frame(path)
    if not frame:
        from servgap.data.columnar import read_plain_csv

        plain = read_plain_csv(config, Path(path), options, segment_by, facet_labels, ids_unique_within)  # type: ignore[arg-type]
        if plain is not None:
            return ReadOutcome(plain, [])
    from servgap.data.platforms import recognise
    from servgap.data.tables import read_table, table_from_frame

    issues: list[DataIssue] = []
    try:
        table = table_from_frame(path) if frame else read_table(path, options)  # type: ignore[arg-type]
    except Refusal as refusal:
        return ReadOutcome(None, [refusal.issue])
    table, source = recognise(table, options.source or config.data.source)
    table, config_for_columns = _widen_if_long(table, config, options, issues)
    if any(issue.is_error for issue in issues):
        return ReadOutcome(None, issues)
    plan = plan_columns(with_segments(config_for_columns, config, segment_by), table.headers, issues, facet_labels,
                        source.id_header, source.question_texts)
    _explain_missing_columns(plan, config_for_columns, table, issues)
    if issues:
        return ReadOutcome(None, issues)
    reader = _TableColumns("DataFrame" if frame else str(path), table, config, options, issues,
                           source.skip_markers)
    responses = assemble(config, plan, reader, source, ids_unique_within)
    if not _explain_header_rows(plan, reader.row_numbers, source, issues):
        _explain_label_answers(config, issues)
    if any(issue.is_error for issue in issues):
        return ReadOutcome(None, issues)
    return ReadOutcome(responses, issues)


def _is_frame(path: object) -> bool:
    """Whether ``path`` is a pandas DataFrame (without importing pandas when nothing has)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(path, pandas.DataFrame)


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


class _TableColumns(ColumnReader):
    """Columns of a table read by ``data/tables.py``, checked cell by cell: invalid cells are
    reported as issues with their spreadsheet rows."""

    def __init__(self, name: str, table: Table, config: InstrumentConfig, options: ReadOptions,
                 issues: list[DataIssue], skip_markers: tuple[str, ...] = ()) -> None:
        super().__init__(name, table.headers, len(table.frame), issues)
        self.table = table
        self.config = config
        self.file_format, self.encoding, self.delimiter = table.file_format, table.encoding, table.delimiter
        self.validator = CellValidator(config, skip_markers)
        self.rule = data_rules.INVALID_CELL if options.invalid is InvalidPolicy.refuse else \
            data_rules.INVALID_AS_MISSING
        self.row_numbers = np.arange(len(table.frame)) + 2 if table.row_numbers is None else table.row_numbers

    def _convert(self, column: int, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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

    def respondent_ids(self, id_column: int | None, within: int | None) -> tuple[Sequence[str], bool]:
        return _respondent_ids(self.table, id_column, self.row_numbers, self.issues, within)

    def segment(self, column: int) -> np.ndarray:
        return _as_text(self.table.frame[column]).astype(object).where(lambda v: v.notna(), None).to_numpy()


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
    import pandas as pd  # the column is a pandas Series already

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

