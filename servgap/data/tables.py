"""Read a data file into a table of cells: CSV (any delimiter, UTF-8/UTF-16/GB18030/CP949, from a
file, a pipe or standard input), XLSX and Parquet, or a DataFrame. Refusals name what is wrong."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from servgap.data import rules as data_rules
from servgap.data.delimited import header_cells, sniff_delimiter
from servgap.data.encoding import DecodeError, decode, valid_utf8
from servgap.data.issues import refuse, short_text
from servgap.data.options import ReadOptions
from servgap.data.sources import Source, SourceTooLarge, SourceUnreadable, open_source


@dataclass
class Table:
    """A data file as cells: a DataFrame with 0-based column positions, the headers, and how it was read."""

    frame: pd.DataFrame  # columns are 0-based positions
    headers: list[str]
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    #: spreadsheet row of each frame row; None means header = row 1, so frame row r is row r + 2
    row_numbers: np.ndarray | None = None
    #: SPSS and Stata value labels per column position: code → label text
    value_labels: dict[int, dict[float, str]] | None = None


#: The longest line (in characters) a CSV export may have; longer is not a survey export.
MAX_LINE_CHARS = 1 << 20
#: Files that are no data export at all. (Workbooks, Parquet, SPSS, Stata and gzip files are told by
#: their first bytes in :func:`read_table` and never reach the CSV reader.)
_NOT_DATA = ((b"%PDF", "a PDF document, not a data export"),)
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
        raise refuse(data_rules.DATA_UNREADABLE, "the cell contains a NUL byte (binary data in a text export); "
                      "remove it, or export the survey again", row=row, column=column, header=header)
    start = 0
    length = len(text)
    while start < length:
        end = text.find("\n", start)
        end = length if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            row, _ = _where_in_text(text, start, delimiter)
            raise refuse(data_rules.DATA_UNREADABLE, f"the line is longer than {MAX_LINE_CHARS:,} characters; "
                          "a survey export has no such lines (is this the right file?)", row=row)
        start = end + 1


def _refuse_binary(head: bytes) -> None:
    for signature, what in _NOT_DATA:
        if head.startswith(signature):
            raise refuse(data_rules.DATA_UNREADABLE, f"this is {what}")
    nuls = head[:65536].count(b"\x00")
    if head[:1] == b"\x00" or nuls > len(head[:65536]) // 100:
        raise refuse(data_rules.DATA_UNREADABLE, "the file is binary (full of NUL bytes), not a CSV export; "
                      "give a CSV, XLSX or Parquet export")


def _read_csv(source: Source, options: ReadOptions) -> Table:
    raw = source.read_all()
    if not raw[:65536].strip() and not raw.strip():  # the whole file only when its start is blank
        raise refuse(data_rules.DATA_EMPTY, "the file is empty")
    bom_encoding = next((name for bom, name in _UTF16_BOMS.items() if raw.startswith(bom)), None)
    if options.encoding is None and bom_encoding is None:
        _refuse_binary(raw[:65536])
    forced = options.encoding or bom_encoding
    parse_from_text = not source.regular or (forced is not None and codecs.lookup(forced).name.startswith("utf-16"))
    try:
        if forced is None and valid_utf8(raw[start:start + (1 << 22)] for start in range(0, len(raw), 1 << 22)):
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
            raise refuse(data_rules.DATA_ENCODING, f"--encoding: {error}") from None
        row = raw[: error.offset].count(b"\n") + 1
        raise refuse(data_rules.DATA_ENCODING, f"{error} (first bad byte on line {row}); re-export as "
                      "UTF-8 or name the encoding with --encoding", row=row) from None
    text = text.removeprefix("\ufeff")
    delimiter = options.delimiter or sniff_delimiter(text[:65536])
    headers = header_cells(text[: 1 << 20], delimiter)
    if headers is None:
        raise refuse(data_rules.DATA_EMPTY, "the file has no header row")
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
                keep_default_na=False, na_values=[""], skip_blank_lines=False, engine="c", index_col=False,
            )
        # Columns are addressed by position (headers may repeat); renaming is cheaper than names=.
        frame.columns = list(range(len(frame.columns)))
    except (pd.errors.ParserError, pd.errors.ParserWarning) as error:
        message = str(error).strip()
        unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
        if unclosed:
            row = int(unclosed.group(1)) + 1
            raise refuse(data_rules.DATA_UNREADABLE, "a quoted cell starting on this row is never closed (a \" "
                          "without its closing \"); fix the quote or export again", row=row) from None
        long_row = _first_long_row(source, pandas_encoding, delimiter, len(headers))
        where = f"row {long_row} has more cells than the header's {len(headers)}" if long_row else message
        raise refuse(data_rules.DATA_UNREADABLE, f"the file is not a regular table: {where}",
                      row=long_row or 0) from None
    except pd.errors.EmptyDataError:
        raise refuse(data_rules.DATA_EMPTY, "the file has no rows") from None
    except UnicodeDecodeError as error:
        raise refuse(data_rules.DATA_ENCODING, f"the file is not valid {pandas_encoding} ({error.reason}); name "
                      "the encoding with --encoding") from None
    # Blank lines (and lines of delimiters only) are no respondents, as in a spreadsheet, but they
    # keep their row numbers so that every message names the row a spreadsheet shows.
    # Only rows whose first cell is blank can be empty: the whole-row check runs on those alone.
    empty = frame[0].isna().to_numpy(copy=True) if len(frame.columns) else np.zeros(len(frame), dtype=bool)
    if empty.any():
        empty[empty] = frame[empty].isna().all(axis=1).to_numpy()
    if empty.any():
        row_numbers = (np.arange(len(frame), dtype=np.int64) + 2)[~empty]
        return Table(frame[~empty].reset_index(drop=True), headers, "csv", encoding, delimiter, row_numbers)
    return Table(frame, headers, "csv", encoding, delimiter)


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


def _read_excel(source: Source, options: ReadOptions) -> Table:
    from servgap.data.xlsx import WorkbookRefused, read_sheet

    try:
        sheet = read_sheet(source.data if source.data is not None else source.path, options.sheet)
    except WorkbookRefused as refusal:
        raise refuse(data_rules.DATA_UNREADABLE, str(refusal)) from None
    if sheet.formulas_without_value:
        shown = ", ".join(f"{reference} (={short_text(formula, 30)})" for reference, formula in
                          sheet.formulas_without_value[:10])
        more = len(sheet.formulas_without_value) - 10
        raise refuse(data_rules.DATA_UNREADABLE, f"{len(sheet.formulas_without_value)} formula cell(s) have no "
                      f"saved value: {shown}{f' and {more} more' if more > 0 else ''}. servgap reads the values "
                      "Excel saved and cannot compute formulas: open and save the file in Excel (or LibreOffice), "
                      "or export CSV")
    if not sheet.rows:
        raise refuse(data_rules.DATA_EMPTY, "the sheet is empty")
    width = sheet.width
    headers = ["" if value is None else str(value).strip() for value in sheet.rows[0]]
    headers += [""] * (width - len(headers))
    body = [row + [None] * (width - len(row)) for row in sheet.rows[1:]]
    frame = pd.DataFrame(body, columns=list(range(width)), dtype=object) if body else \
        pd.DataFrame(columns=list(range(width)), dtype=object)
    # Error cells (#DIV/0!, #N/A) stay as their text: validation lists them as invalid cells.
    row_numbers = np.array(sheet.row_numbers[1:], dtype=np.int64)
    return Table(frame, headers, "xlsx", row_numbers=row_numbers)


def _read_parquet(source: Source) -> Table:
    try:
        frame = pd.read_parquet(io.BytesIO(source.data) if source.data is not None else source.path)
    except ImportError:
        raise refuse(data_rules.DATA_UNREADABLE, "reading Parquet needs pyarrow: pip install pyarrow") from None
    except Exception as error:
        raise refuse(data_rules.DATA_UNREADABLE, f"not a readable Parquet file ({type(error).__name__})") from None
    headers = [str(column) for column in frame.columns]
    frame.columns = list(range(len(headers)))
    return Table(frame, headers, "parquet")


#: The most bytes a compressed (.gz) export may expand to.
MAX_EXPANDED_BYTES = 1 << 30


def _read_statistics_file(source: Source, kind: str) -> Table:
    """An SPSS (.sav, .zsav) or Stata (.dta) file through pyreadstat: variable names are the headers,
    user-defined missing values (SPSS) read as missing, value labels kept for the answers. Cases are
    numbered from 1, as SPSS's Data View and Stata's browser show them."""
    if source.data is not None:
        raise refuse(data_rules.DATA_UNREADABLE, f"{'SPSS' if kind == 'spss' else 'Stata'} files are read from a "
                      "file path, not from standard input or a pipe; save the data to a file")
    import pyreadstat

    reader = pyreadstat.read_sav if kind == "spss" else pyreadstat.read_dta
    try:
        frame, meta = reader(str(source.path), apply_value_formats=False, user_missing=False)
    except Exception as error:  # pyreadstat raises its own error types for every kind of damage
        raise refuse(data_rules.DATA_UNREADABLE, f"not a readable {'SPSS' if kind == 'spss' else 'Stata'} file "
                      f"({str(error).strip() or type(error).__name__})") from None
    headers = [str(column) for column in frame.columns]
    frame.columns = list(range(len(headers)))
    labels = {position: {float(code): str(text) for code, text in meta.variable_value_labels[name].items()
                         if isinstance(code, int | float)}
              for position, name in enumerate(headers) if name in meta.variable_value_labels}
    return Table(frame, headers, kind, row_numbers=np.arange(1, len(frame) + 1, dtype=np.int64),
                 value_labels=labels or None)


def _expand_gzip(source: Source) -> Source:
    """A .gz export decompressed in memory (up to :data:`MAX_EXPANDED_BYTES`, so no archive can
    expand without end)."""
    import gzip
    import zlib

    with gzip.open(io.BytesIO(source.data) if source.data is not None else source.path) as stream:
        try:
            data = stream.read(MAX_EXPANDED_BYTES + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise refuse(data_rules.DATA_UNREADABLE, f"not a readable .gz file ({error})") from None
    if len(data) > MAX_EXPANDED_BYTES:
        raise refuse(data_rules.DATA_UNREADABLE, f"the compressed file expands to more than "
                      f"{MAX_EXPANDED_BYTES >> 20} MiB; decompress it and convert it to Parquet")
    return Source(source.path.with_suffix(""), False, data)


def table_from_frame(frame: pd.DataFrame) -> Table:
    """A DataFrame as a table: its column labels are the headers, its cells are validated like a file's."""
    if len(frame) == 0:
        raise refuse(data_rules.DATA_EMPTY, "the DataFrame has no rows")
    headers = [str(column).strip() for column in frame.columns]
    body = frame.reset_index(drop=True)
    body.columns = list(range(len(headers)))
    return Table(body, headers, "dataframe")


def read_table(path: Path, options: ReadOptions) -> Table:
    """Read a data file (or ``-``, standard input) into a table; refusals name what is wrong."""
    try:
        source = open_source(path, stop_early=b"\x00")
    except SourceUnreadable as error:
        raise refuse(data_rules.DATA_UNREADABLE, str(error)) from None
    except SourceTooLarge as error:
        raise refuse(data_rules.DATA_UNREADABLE, str(error)) from None
    suffix = path.suffix.lower() if source.regular else ""
    head = source.head(8)
    try:
        if suffix == ".gz" or head.startswith(b"\x1f\x8b"):
            source = _expand_gzip(source)
            suffix, head = source.path.suffix.lower(), source.head(8)
        if suffix == ".xls" and not head.startswith(b"PK"):
            raise refuse(data_rules.DATA_UNREADABLE, "old .xls workbooks are not supported; save as .xlsx or CSV")
        if suffix in (".sav", ".zsav") or head.startswith((b"$FL2", b"$FL3")):
            table = _read_statistics_file(source, "spss")
        elif suffix == ".dta" or head.startswith(b"<stata_dta>"):
            table = _read_statistics_file(source, "stata")
        elif suffix in (".xlsx", ".xlsm", ".xls") or (head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and \
                suffix != ".parquet"):
            table = _read_excel(source, options)
        elif suffix == ".parquet" or head.startswith(b"PAR1"):
            table = _read_parquet(source)
        else:
            table = _read_csv(source, options)
    except OSError as error:
        raise refuse(data_rules.DATA_UNREADABLE, f"cannot read the file: {error.strerror or error}") from None
    except MemoryError:
        raise refuse(data_rules.DATA_UNREADABLE, "not enough memory to read this file") from None
    if len(table.frame) == 0:
        raise refuse(data_rules.DATA_EMPTY, "the file has a header row but no responses")
    return table


