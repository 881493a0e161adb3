"""Read a survey export and map it onto an instrument: the `Responses` the gap engine works on.

Reading never raises for bad content. It returns a :class:`ReadOutcome` with the responses (or
None) and every data issue found, each naming the spreadsheet row (header = row 1) and the column
(1-based position and header), so that `analyze` can refuse with a complete list and
`check --data` can report the same issues as findings.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from servgap.checks.config import ConfigLoad
from servgap.data import rules as data_rules
from servgap.data.encoding import DecodeError, decode
from servgap.data.options import InvalidPolicy, Layout, ReadOptions
from servgap.data.sources import Source, SourceTooLarge, SourceUnreadable, open_source
from servgap.findings import Finding, Rule, Severity
from servgap.instrument.models import Facet, InstrumentConfig
from servgap.stats.moments import FloatArray

#: How many invalid cells a refusal lists before summarising the rest.
MAX_LISTED_CELLS = 50

FACET_CODES = {
    "e": Facet.EXPECTATION, "expectation": Facet.EXPECTATION,
    "p": Facet.PERCEPTION, "perception": Facet.PERCEPTION,
    "min": Facet.ADEQUATE, "adequate": Facet.ADEQUATE, "minimum": Facet.ADEQUATE,
    "des": Facet.DESIRED, "desired": Facet.DESIRED,
}
IMPORTANCE_CODES = {"w", "importance", "points", "weight"}


@dataclass(frozen=True)
class DataIssue:
    """A problem in a data file: rule, spreadsheet row (1 = header), column position and header."""

    rule: Rule
    row: int
    column: int
    header: str
    message: str
    value: str | None = None

    def to_finding(self, file: str) -> Finding:
        severity = Severity.WARNING if self.rule is data_rules.INVALID_AS_MISSING else None
        return Finding(file, self.row, self.column, self.rule, self.message, severity)

    def describe(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        column = f", column {self.column} '{_short(self.header)}'" if self.column else ""
        return f"{where}{column}: {self.message}"


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
    responses: Responses | None
    issues: list[DataIssue]

    @property
    def errors(self) -> list[DataIssue]:
        return [issue for issue in self.issues if issue.rule.severity is Severity.ERROR]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reading the table ---------------------------------------------------------------------------


@dataclass
class _Table:
    frame: pd.DataFrame  # columns are 0-based positions
    headers: list[str]
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    #: spreadsheet row of each frame row; None means header = row 1, so frame row r is row r + 2
    row_numbers: np.ndarray | None = None


class _Refusal(Exception):
    def __init__(self, issue: DataIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _refuse(rule: Rule, message: str, row: int = 0, column: int = 0, header: str = "") -> _Refusal:
    return _Refusal(DataIssue(rule, row, column, header, message))


def _sniff_delimiter(sample: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the first lines most consistently."""
    lines = sample.splitlines()[:20]
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t"):
        try:
            widths = [len(row) for row in csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=candidate)]
        except csv.Error:
            continue
        if not widths:
            continue
        consistent = sum(width == widths[0] for width in widths)
        score = (consistent if widths[0] > 1 else 0, widths[0])
        if score > best_score:
            best, best_score = candidate, score
    return best


def _looks_like_utf8(raw: bytes) -> bool:
    """True when the whole file is valid UTF-8 (checked without keeping a decoded copy)."""
    if raw.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = 1 << 22
    try:
        for start in range(0, len(raw), chunk):
            decoder.decode(raw[start:start + chunk], final=start + chunk >= len(raw))
    except UnicodeDecodeError:
        return False
    return True


#: The longest line (in characters) a CSV export may have; longer is not a survey export.
MAX_LINE_CHARS = 1 << 20
_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"$FL2", "an SPSS .sav file; export it from SPSS as CSV (File › Export › CSV)"),
    (b"$FL3", "an SPSS .sav file; export it from SPSS as CSV (File › Export › CSV)"),
    (b"PAR1", "parquet"),
    (b"\x1f\x8b", "a gzip-compressed file; decompress it first (gunzip)"),
    (b"%PDF", "a PDF document, not a data export"),
)
_UTF16_BOMS = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def _where_in_text(text: str, offset: int, delimiter: str) -> tuple[int, int]:
    """Spreadsheet row (header = 1) and 1-based column of character ``offset`` in CSV ``text``."""
    prefix = text[:offset]
    records = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter)) or [[""]]
    ends_in_newline = prefix.endswith(("\n", "\r"))
    row = len(records) + (1 if ends_in_newline else 0)
    column = 1 if ends_in_newline else max(len(records[-1]), 1)
    return row, column


def _check_text(text: str, delimiter: str, headers: list[str]) -> None:
    """Refuse NUL characters and over-long lines, naming the row and column as a spreadsheet shows them."""
    nul = text.find("\x00")
    if nul >= 0:
        row, column = _where_in_text(text, nul, delimiter)
        header = headers[column - 1] if 0 < column <= len(headers) else ""
        raise _refuse(data_rules.DATA_UNREADABLE, "the cell contains a NUL byte (binary data in a text export); "
                      "remove it, or export the survey again", row=row, column=column, header=header)
    start = 0
    length = len(text)
    while start < length:
        end = text.find("\n", start)
        end = length if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            row, _ = _where_in_text(text, start, delimiter)
            raise _refuse(data_rules.DATA_UNREADABLE, f"the line is longer than {MAX_LINE_CHARS:,} characters; "
                          "a survey export has no such lines (is this the right file?)", row=row)
        start = end + 1


def _refuse_binary(head: bytes) -> None:
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature) and what not in ("xlsx", "parquet", "ole"):
            raise _refuse(data_rules.DATA_UNREADABLE, f"this is {what}")
    nuls = head[:65536].count(b"\x00")
    if head[:1] == b"\x00" or nuls > len(head[:65536]) // 100:
        raise _refuse(data_rules.DATA_UNREADABLE, "the file is binary (full of NUL bytes), not a CSV export; "
                      "give a CSV, XLSX or Parquet export")


def _read_csv(source: Source, options: ReadOptions) -> _Table:
    raw = source.read_all()
    if not raw[:65536].strip() and not raw.strip():  # the whole file only when its start is blank
        raise _refuse(data_rules.DATA_EMPTY, "the file is empty")
    bom_encoding = next((name for bom, name in _UTF16_BOMS.items() if raw.startswith(bom)), None)
    if options.encoding is None and bom_encoding is None:
        _refuse_binary(raw[:65536])
    forced = options.encoding or bom_encoding
    parse_from_text = not source.regular or (forced is not None and codecs.lookup(forced).name.startswith("utf-16"))
    try:
        if forced is None and _looks_like_utf8(raw):
            # Valid UTF-8 throughout: pandas decodes it again while parsing, so only the start is
            # kept as text (for the delimiter and header), not a second copy of a large file.
            encoding, text = "utf-8", raw.decode("utf-8-sig", errors="ignore") if parse_from_text else \
                raw[: 1 << 20].decode("utf-8-sig", errors="ignore")
        else:
            decoded = decode(raw, forced)
            encoding, text = decoded.encoding, decoded.text
            del decoded
    except DecodeError as error:
        if error.offset < 0:
            raise _refuse(data_rules.DATA_ENCODING, f"--encoding: {error}") from None
        row = raw[: error.offset].count(b"\n") + 1
        raise _refuse(data_rules.DATA_ENCODING, f"{error} (first bad byte on line {row}); re-export as "
                      "UTF-8 or name the encoding with --encoding", row=row) from None
    text = text.removeprefix("\ufeff")
    delimiter = options.delimiter or _sniff_delimiter(text[:65536])
    try:
        header_row = next(csv.reader(io.StringIO(text[: 1 << 20], newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error):
        raise _refuse(data_rules.DATA_EMPTY, "the file has no header row") from None
    headers = [cell.strip() for cell in header_row]
    if encoding == "utf-8" and not parse_from_text:
        _check_bytes(raw, delimiter, headers)
    else:
        _check_text(text, delimiter, headers)
    del raw
    pandas_encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    stream: io.StringIO | Path = io.StringIO(text) if parse_from_text else source.path
    if not parse_from_text:
        del text
    try:
        with warnings.catch_warnings():
            # index_col=False makes pandas warn (not silently shift columns) when a row is too long.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # Mixed-type columns are validated cell by cell below; pandas need not warn about them.
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            frame = pd.read_csv(
                stream, sep=delimiter, header=0, encoding=None if isinstance(stream, io.StringIO) else pandas_encoding,
                keep_default_na=False, na_values=[""], skip_blank_lines=True, engine="c", index_col=False,
            )
        # Columns are addressed by position (headers may repeat); renaming is cheaper than names=.
        frame.columns = list(range(len(frame.columns)))
    except (pd.errors.ParserError, pd.errors.ParserWarning) as error:
        message = str(error).strip()
        unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
        if unclosed:
            row = int(unclosed.group(1)) + 1
            raise _refuse(data_rules.DATA_UNREADABLE, "a quoted cell starting on this row is never closed (a \" "
                          "without its closing \"); fix the quote or export again", row=row) from None
        long_row = _first_long_row(source, pandas_encoding, delimiter, len(headers))
        where = f"row {long_row} has more cells than the header's {len(headers)}" if long_row else message
        raise _refuse(data_rules.DATA_UNREADABLE, f"the file is not a regular table: {where}",
                      row=long_row or 0) from None
    except pd.errors.EmptyDataError:
        raise _refuse(data_rules.DATA_EMPTY, "the file has no rows") from None
    except UnicodeDecodeError as error:
        raise _refuse(data_rules.DATA_ENCODING, f"the file is not valid {pandas_encoding} ({error.reason}); name "
                      "the encoding with --encoding") from None
    return _Table(frame, headers, "csv", encoding, delimiter)


def _check_bytes(raw: bytes, delimiter: str, headers: list[str]) -> None:
    """:func:`_check_text` on UTF-8 bytes without decoding a large file: only the offending line is decoded."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        _check_text(raw[: nul + 1].decode("utf-8", errors="replace"), delimiter, headers)
    long_line = _long_line_start(raw)
    if long_line is not None:
        _check_text(raw[: long_line + MAX_LINE_CHARS + 2].decode("utf-8", errors="replace"), delimiter, headers)


def _long_line_start(raw: bytes) -> int | None:
    """Offset of the first line longer than :data:`MAX_LINE_CHARS` bytes, found from the positions of
    b"\\n" 16 MiB at a time (no full-size temporary array); None when there is none."""
    piece = 1 << 24
    previous = -1
    for start in range(0, len(raw), piece):
        view = np.frombuffer(raw, dtype=np.uint8, count=min(piece, len(raw) - start), offset=start)
        newlines = np.flatnonzero(view == 10) + start
        if not len(newlines):
            continue
        bounds = np.concatenate(([previous], newlines))
        lengths = np.diff(bounds) - 1
        if int(lengths.max()) > MAX_LINE_CHARS:
            return int(bounds[int(np.argmax(lengths > MAX_LINE_CHARS))]) + 1
        previous = int(newlines[-1])
    return previous + 1 if len(raw) - previous - 1 > MAX_LINE_CHARS else None


def _first_long_row(source: Source, encoding: str, delimiter: str, width: int) -> int | None:
    """The spreadsheet row of the first record with more cells than the header (None if none)."""
    text = source.read_all().decode(encoding, errors="replace")
    for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        if len(record) > width:
            return number
    return None


def _read_excel(source: Source, options: ReadOptions) -> _Table:
    from servgap.data.xlsx import WorkbookRefused, read_sheet

    try:
        sheet = read_sheet(source.data if source.data is not None else source.path, options.sheet)
    except WorkbookRefused as refusal:
        raise _refuse(data_rules.DATA_UNREADABLE, str(refusal)) from None
    if sheet.formulas_without_value:
        shown = ", ".join(f"{reference} (={_short(formula, 30)})" for reference, formula in
                          sheet.formulas_without_value[:10])
        more = len(sheet.formulas_without_value) - 10
        raise _refuse(data_rules.DATA_UNREADABLE, f"{len(sheet.formulas_without_value)} formula cell(s) have no "
                      f"saved value: {shown}{f' and {more} more' if more > 0 else ''}. servgap reads the values "
                      "Excel saved and cannot compute formulas: open and save the file in Excel (or LibreOffice), "
                      "or export CSV")
    if not sheet.rows:
        raise _refuse(data_rules.DATA_EMPTY, "the sheet is empty")
    width = sheet.width
    headers = ["" if value is None else str(value).strip() for value in sheet.rows[0]]
    headers += [""] * (width - len(headers))
    body = [row + [None] * (width - len(row)) for row in sheet.rows[1:]]
    frame = pd.DataFrame(body, columns=list(range(width)), dtype=object) if body else \
        pd.DataFrame(columns=list(range(width)), dtype=object)
    # Error cells (#DIV/0!, #N/A) stay as their text: validation lists them as invalid cells.
    row_numbers = np.array(sheet.row_numbers[1:], dtype=np.int64)
    return _Table(frame, headers, "xlsx", row_numbers=row_numbers)


def _read_parquet(source: Source) -> _Table:
    try:
        frame = pd.read_parquet(io.BytesIO(source.data) if source.data is not None else source.path)
    except ImportError:
        raise _refuse(data_rules.DATA_UNREADABLE, "reading Parquet needs pyarrow: pip install pyarrow") from None
    except Exception as error:
        raise _refuse(data_rules.DATA_UNREADABLE, f"not a readable Parquet file ({type(error).__name__})") from None
    headers = [str(column) for column in frame.columns]
    frame.columns = list(range(len(headers)))
    return _Table(frame, headers, "parquet")


def read_table(path: Path, options: ReadOptions) -> _Table:
    """Read a data file (or ``-``, standard input) into a table; refusals name what is wrong."""
    try:
        source = open_source(path, stop_early=b"\x00")
    except SourceUnreadable as error:
        raise _refuse(data_rules.DATA_UNREADABLE, str(error)) from None
    except SourceTooLarge as error:
        raise _refuse(data_rules.DATA_UNREADABLE, str(error)) from None
    suffix = path.suffix.lower() if source.regular else ""
    head = source.head(8)
    try:
        if suffix == ".xls" and not head.startswith(b"PK"):
            raise _refuse(data_rules.DATA_UNREADABLE, "old .xls workbooks are not supported; save as .xlsx or CSV")
        if suffix in (".xlsx", ".xlsm", ".xls") or (head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and \
                suffix != ".parquet"):
            table = _read_excel(source, options)
        elif suffix == ".parquet" or head.startswith(b"PAR1"):
            table = _read_parquet(source)
        else:
            table = _read_csv(source, options)
    except OSError as error:
        raise _refuse(data_rules.DATA_UNREADABLE, f"cannot read the file: {error.strerror or error}") from None
    except MemoryError:
        raise _refuse(data_rules.DATA_UNREADABLE, "not enough memory to read this file") from None
    if len(table.frame) == 0:
        raise _refuse(data_rules.DATA_EMPTY, "the file has a header row but no responses")
    return table


# --- validating cells ----------------------------------------------------------------------------


class _CellValidator:
    """Turns a column into floats, marking missing codes and collecting invalid cells."""

    def __init__(self, config: InstrumentConfig) -> None:
        codes = config.data.missing_codes
        self.text_codes = {str(code).strip() for code in codes} | {""}
        numeric = []
        for code in codes:
            try:
                numeric.append(float(code))
            except (TypeError, ValueError):
                continue
        self.numeric_codes = np.array(numeric, dtype=float)
        self.low = config.instrument.scale.min
        self.high = config.instrument.scale.max

    def _out_of_range(self, values: FloatArray, kind: str) -> np.ndarray:
        """Cells off the scale (or negative points), checked in cache-sized pieces."""
        result = np.empty(len(values), dtype=bool)
        for start in range(0, len(values), CHECK_ROWS):
            piece = slice(start, start + CHECK_ROWS)
            result[piece] = _out_of_range_block(values[piece], kind, self.low, self.high)
        return result

    def convert(self, column: pd.Series, kind: str) -> tuple[FloatArray, np.ndarray, np.ndarray]:
        """Return the column's numbers, and the masks of missing and of invalid cells.

        ``kind`` is 'scale' (a whole point on the scale) or 'points' (a non-negative number). A plain
        float column is returned as it is (a view, no copy): large files are never duplicated.
        """
        if column.dtype == np.float64:
            values = column.to_numpy()
            missing = np.isnan(values)
            invalid = np.zeros(len(values), dtype=bool)
        elif pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            values = column.to_numpy(dtype=float, na_value=np.nan)
            missing = np.isnan(values)
            invalid = np.zeros(len(values), dtype=bool)
        else:
            # NFKC: full-width digits (７, as Chinese and Japanese input methods type them) are digits.
            text = column.astype("string").str.normalize("NFKC").str.strip()
            missing = (text.isna() | text.isin(self.text_codes)).to_numpy(dtype=bool, copy=True)
            numbers = pd.to_numeric(text.mask(pd.Series(missing, index=text.index)), errors="coerce")
            values = numbers.to_numpy(dtype=float, na_value=np.nan)
            invalid = ~missing & np.isnan(values)
        for code in self.numeric_codes:
            missing |= values == code
        invalid |= self._out_of_range(values, kind) & ~missing
        return values, missing, invalid


CHECK_ROWS = 1 << 16


def _out_of_range_block(values: FloatArray, kind: str, low: int, high: int) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        if kind == "scale":
            # NaN compares False, so missing cells are never out of range.
            return (values < low) | (values > high) | (np.floor(values) != values) & ~np.isnan(values)
        return (values < 0) | np.isinf(values)


def _why_invalid(value: object, kind: str, low: int, high: int) -> str:
    from servgap.data.xlsx import EXCEL_ERRORS

    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in EXCEL_ERRORS:
        return f"an Excel error value ({text}); correct the formula in the workbook, or clear the cell"
    try:
        number = float(text)
    except ValueError:
        return "not a number"
    if math.isinf(number):
        return "a number too large to be an answer (it overflows)"
    if kind == "points":
        return "importance points must be zero or a positive number"
    if math.isnan(number):
        return "not a number"
    if number != round(number):
        return f"not a whole scale point ({low}–{high})"
    return f"outside the scale {low}–{high}"


# --- resolving columns ---------------------------------------------------------------------------


@dataclass
class _ColumnPlan:
    item_columns: dict[tuple[str, Facet], int]
    points_columns: dict[str, int] | None
    id_column: int | None
    segment_columns: dict[str, int]
    importance_columns: dict[str, int] | None = None
    overall_column: int | None = None


# Letters of other scripts that look like Latin ones: a header typed with them never matches.
_LOOK_ALIKES = dict(zip("АВЕКМНОРСТХаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοι", "ABEKMHOPCTXaeopcyxijsdqwABEZHIKMNOPTYXoi",
                        strict=True))


def _canonical(text: str) -> str:
    """A header as a reader sees it: NFKC, no format or control characters, whitespace runs as one
    space, case folded, look-alike letters as their Latin twins."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cf", "Cc"))
    text = "".join(_LOOK_ALIKES.get(char, char) for char in text)
    return " ".join(text.split()).casefold()


def show_invisible(text: str) -> str:
    """``text`` with every character a reader cannot tell apart made visible as ``<U+XXXX NAME>``.

    Examples
    --------
    >>> show_invisible("E_q1\u200b")
    'E_q1<U+200B ZERO WIDTH SPACE>'
    >>> show_invisible("Е_q1")
    '<U+0415 CYRILLIC CAPITAL LETTER IE>_q1'
    """
    shown = []
    for char in text:
        category = unicodedata.category(char)
        if char != " " and (category in ("Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Cn") or char in _LOOK_ALIKES
                            or unicodedata.normalize("NFKC", char) != char):
            shown.append(f"<U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}>")
        else:
            shown.append(char)
    return "".join(shown)


def _resolve(ref: int | str, headers: list[str], positions: dict[str, list[int]]) -> int | str | None:
    """Column index for a header text or 1-based position; None if absent; 'ambiguous' if repeated."""
    if isinstance(ref, int):
        return ref - 1 if 1 <= ref <= len(headers) else None
    found = positions.get(ref.strip())
    if not found:
        return None
    return found[0] if len(found) == 1 else "ambiguous"


def _plan_columns(config: InstrumentConfig, headers: list[str], issues: list[DataIssue],
                  facet_labels: dict[Facet, str] | None = None) -> _ColumnPlan:
    positions: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        positions.setdefault(header, []).append(index)
    mapping = config.data

    def locate(ref: int | str, what: str) -> int | None:
        index = _resolve(ref, headers, positions)
        if index == "ambiguous":
            issues.append(DataIssue(data_rules.AMBIGUOUS_HEADER, 1, positions[str(ref).strip()][1] + 1, str(ref),
                                    f"header '{_short(str(ref))}' ({what}) appears in columns "
                                    f"{', '.join(str(p + 1) for p in positions[str(ref).strip()])}; map it by "
                                    "position instead"))
            return None
        if index is None:
            position = 0
            if isinstance(ref, int):
                message = f"{what} is mapped to column position {ref}, but the file has {len(headers)} columns"
            else:
                alike = [index for index, header in enumerate(headers) if _canonical(header) == _canonical(ref)]
                if alike:
                    position = alike[0] + 1
                    shown = "; ".join(f"column {index + 1} is '{show_invisible(headers[index])}'" for index in alike)
                    message = (f"no column '{show_invisible(ref)}' for {what}, but {shown}: the headers differ only "
                               "by invisible or look-alike characters (marked <U+…>); correct the header or the "
                               "config")
                else:
                    close = difflib.get_close_matches(ref, headers, n=3, cutoff=0.5)
                    hint = ("; closest headers: " + ", ".join(f"'{show_invisible(_short(c, 40))}'" for c in close)
                            if close else "")
                    message = f"no column '{show_invisible(_short(ref))}' for {what}{hint}"
            issues.append(DataIssue(data_rules.MISSING_COLUMN, 1, position, headers[position - 1] if position else
                                    str(ref), message))
            return None
        return int(index)

    item_columns: dict[tuple[str, Facet], int] = {}
    for _, item in config.items():
        overrides = mapping.columns.get(item.id)
        for facet in config.instrument.facets:
            override = overrides.for_facet(facet) if overrides else None
            ref = override if override is not None else mapping.patterns.for_facet(facet).replace("{item}", item.id)
            label = (facet_labels or {}).get(facet, facet.value)
            item_index = locate(ref, f"item {item.id} ({label})")
            if item_index is not None:
                item_columns[(item.id, facet)] = item_index

    points_columns: dict[str, int] | None = None
    if config.importance.use_points_columns:
        wanted = {
            d.id: mapping.importance_columns.get(d.id, mapping.patterns.importance.replace("{dimension}", d.id))
            for d in config.dimensions
        }
        found = {d: _resolve(ref, headers, positions) for d, ref in wanted.items()}
        explicit = bool(mapping.importance_columns)
        if explicit or any(isinstance(index, int) for index in found.values()):
            # Some importance columns exist (or were named): then all must, or weighting is ambiguous.
            points_columns = {}
            for dimension_id, ref in wanted.items():
                points_index = locate(ref, f"importance points of {dimension_id}")
                if points_index is not None:
                    points_columns[dimension_id] = points_index

    id_column: int | None = None
    if mapping.respondent_id is not None:
        explicit_id = "respondent_id" in mapping.model_fields_set
        if explicit_id or _resolve(mapping.respondent_id, headers, positions) is not None:
            id_column = locate(mapping.respondent_id, "the respondent id")
    segment_columns = {}
    for segment in mapping.segments:
        segment_index = locate(segment, f"segment '{segment}'")
        if segment_index is not None:
            segment_columns[headers[segment_index] if isinstance(segment, int) else segment] = segment_index
    importance_columns: dict[str, int] | None = None
    wanted_importance = {item.id: mapping.patterns.item_importance.replace("{item}", item.id)
                         for _, item in config.items()}
    if any(isinstance(_resolve(ref, headers, positions), int) for ref in wanted_importance.values()):
        # Stated item importance is all-or-none, like the importance points.
        importance_columns = {}
        for item_id, ref in wanted_importance.items():
            importance_index = locate(ref, f"stated importance of {item_id}")
            if importance_index is not None:
                importance_columns[item_id] = importance_index
    overall_column = None
    if mapping.overall_quality is not None:
        overall_column = locate(mapping.overall_quality, "the overall-quality rating")
    return _ColumnPlan(item_columns, points_columns, id_column, segment_columns, importance_columns, overall_column)


# --- putting it together -------------------------------------------------------------------------


def _collect_invalid(
    issues: list[DataIssue], invalid: np.ndarray, original: pd.Series, column: int, header: str, kind: str,
    config: InstrumentConfig, rule: Rule, row_numbers: np.ndarray,
) -> None:
    scale = config.instrument.scale
    for position in np.flatnonzero(invalid):
        value = original.iloc[position]
        shown = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        message = f"'{_short(shown, 30)}': {_why_invalid(value, kind, scale.min, scale.max)}"
        if rule is data_rules.INVALID_AS_MISSING:
            message += " (treated as missing)"
        issues.append(DataIssue(rule, int(row_numbers[position]), column + 1, header, message, shown))


def read_responses(config: InstrumentConfig, path: Path, options: ReadOptions | None = None,
                   segment_by: list[str] | None = None,
                   facet_labels: dict[Facet, str] | None = None) -> ReadOutcome:
    """Read ``path`` and map it onto ``config``; see :class:`ReadOutcome`.

    Parameters
    ----------
    facet_labels:
        How messages name a facet (e.g. "manager estimate" when a managers' file is read).
    segment_by:
        Extra segment columns (by header) asked for on the command line, beside the config's.
    """
    options = options or ReadOptions()
    issues: list[DataIssue] = []
    try:
        table = read_table(path, options)
    except _Refusal as refusal:
        return ReadOutcome(None, [refusal.issue])
    long_headers = {header.strip().lower() for header in table.headers}
    is_long = options.layout is Layout.long or (
        options.layout is Layout.auto and {"item", "facet", "value"} <= long_headers
    )
    if is_long:
        from servgap.data.long_layout import widen

        table, config_for_columns = widen(table, config, issues, options.invalid is InvalidPolicy.missing)
        if any(issue.rule.severity is Severity.ERROR for issue in issues):
            return ReadOutcome(None, issues)
    else:
        config_for_columns = config

    config_with_segments = config_for_columns
    if segment_by:
        extra = [segment for segment in segment_by if segment not in config.data.segments]
        config_with_segments = config_for_columns.model_copy(
            update={"data": config_for_columns.data.model_copy(
                update={"segments": [*config_for_columns.data.segments, *extra]})}
        )
    plan = _plan_columns(config_with_segments, table.headers, issues, facet_labels)
    expected = len(config_with_segments.instrument.facets) * len(config_with_segments.items())
    absent = expected - len(plan.item_columns)
    if absent > expected / 2:
        # Most columns missing: the file and the config do not belong together; say so first.
        issues.insert(0, DataIssue(data_rules.MISSING_COLUMN, 1, 0, "",
                                   f"{absent} of the {expected} item columns the config expects are missing; "
                                   "is this the config for this file? (map question-text headers under "
                                   "data.columns)"))
    if issues and len(table.headers) == 1 and table.delimiter is not None:
        shown = {"\t": "tab", ",": "','", ";": "';'"}.get(table.delimiter, repr(table.delimiter))
        issues.insert(0, DataIssue(data_rules.MISSING_COLUMN, 1, 1, table.headers[0],
                                   f"the header is a single column when split at {shown}; give the file's "
                                   "delimiter with --delimiter (',' ';' or tab)"))
    if issues:
        return ReadOutcome(None, issues)

    frame = table.frame
    row_numbers = np.arange(len(frame)) + 2 if table.row_numbers is None else table.row_numbers
    validator = _CellValidator(config)
    invalid_rule = data_rules.INVALID_CELL if options.invalid is InvalidPolicy.refuse else data_rules.INVALID_AS_MISSING
    scale = config.instrument.scale
    item_ids = [item.id for _, item in config.items()]
    reverse = np.array([item.reverse for _, item in config.items()])
    facets: dict[Facet, FacetColumns] = {}
    missing_cells: dict[str, int] = {}
    columns_used: dict[str, str] = {}
    for facet in config.instrument.facets:
        stored = FacetColumns([], {})
        missing_total = 0
        for position, item_id in enumerate(item_ids):
            column = plan.item_columns[(item_id, facet)]
            values, missing, invalid = validator.convert(frame[column], "scale")
            missing_total += int(missing.sum())
            if invalid.any():
                _collect_invalid(issues, invalid, frame[column], column, table.headers[column], "scale", config,
                                 invalid_rule, row_numbers)
            blank = (missing | invalid) & ~np.isnan(values)
            if blank.any():
                stored.blank[position] = blank
            stored.values.append(values)
            columns_used[f"{item_id}.{facet.value}"] = table.headers[column]
        facets[facet] = stored
        missing_cells[facet.value] = missing_total

    def checked_column(column: int, kind: str) -> FloatArray:
        """One column's numbers, missing and invalid cells as NaN, invalid cells reported."""
        values, missing, invalid = validator.convert(frame[column], kind)
        if invalid.any():
            _collect_invalid(issues, invalid, frame[column], column, table.headers[column], kind, config,
                             invalid_rule, row_numbers)
        return np.where(missing | invalid, np.nan, values)

    points = None
    if plan.points_columns is not None:
        points = np.empty((len(frame), len(config.dimensions)), order="F")
        for position, dimension in enumerate(config.dimensions):
            column = plan.points_columns[dimension.id]
            points[:, position] = checked_column(column, "points")
            columns_used[f"{dimension.id}.importance"] = table.headers[column]
        missing_cells["importance"] = int(np.isnan(points).sum())

    item_importance = None
    if plan.importance_columns is not None:
        item_importance = np.column_stack([checked_column(plan.importance_columns[item_id], "scale")
                                           for item_id in item_ids])
    overall_quality = checked_column(plan.overall_column, "scale") if plan.overall_column is not None else None

    if plan.id_column is not None:
        id_text = _as_text(frame[plan.id_column])
        header = table.headers[plan.id_column]
        blank = id_text.isna().to_numpy(dtype=bool)
        repeated = (id_text.duplicated(keep="first") & ~id_text.isna()).to_numpy(dtype=bool)
        first_row = {}
        if repeated.any():
            first = ~id_text.duplicated(keep="first").to_numpy(dtype=bool) & ~blank
            first_row = dict(zip(id_text[first].tolist(), row_numbers[first].tolist(), strict=True))
        for row_index in np.flatnonzero(blank | repeated):
            message = ("the respondent id is blank; every row needs an id" if blank[row_index] else
                       f"respondent id '{id_text.iloc[row_index]}' already appears on row "
                       f"{first_row[id_text.iloc[row_index]]}")
            issues.append(DataIssue(data_rules.DUPLICATE_RESPONDENT, int(row_numbers[row_index]),
                                    plan.id_column + 1, header, message))
        ids = id_text.fillna("").tolist()
        ids_from_rows = False
    else:
        ids = [str(number) for number in row_numbers]
        ids_from_rows = True

    segments = {}
    for name, column in plan.segment_columns.items():
        segments[name] = _as_text(frame[column]).astype(object).where(lambda v: v.notna(), None).to_numpy()

    if any(issue.rule.severity is Severity.ERROR for issue in issues):
        return ReadOutcome(None, issues)
    responses = Responses(
        path=str(path), file_format=table.file_format, encoding=table.encoding, delimiter=table.delimiter,
        rows_read=len(frame), respondent_ids=ids, ids_from_rows=ids_from_rows, item_ids=item_ids, facets=facets,
        reverse=reverse, scale=(scale.min, scale.max), points=points, item_importance=item_importance,
        overall_quality=overall_quality, segments=segments, columns=columns_used,
        invalid_as_missing=[issue for issue in issues if issue.rule is data_rules.INVALID_AS_MISSING],
        missing_cells=missing_cells,
    )
    return ReadOutcome(responses, issues)


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


def check_data_file(loaded: ConfigLoad, path: Path, options: ReadOptions | None = None) -> list[Finding]:
    """Data findings of ``path`` against a loaded config, for `servgap check CONFIG --data FILE`."""
    if loaded.config is None or not loaded.ok:
        return []
    outcome = read_responses(loaded.config, path, options)
    return [issue.to_finding(str(path)) for issue in outcome.issues]
