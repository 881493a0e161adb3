"""The columnar reader: a plain numeric CSV export read column by column, fast and in little memory.

Most large exports are plain: UTF-8, one header row, whole-number answers. For those, reading every
cell of every column as text (what a general CSV reader must do) costs more than the analysis. This
reader asks pyarrow's CSV parser for the mapped columns only — answers as 8-bit integers, importance
points as floats, ids and segments as text — and validates each column from its minimum, maximum and
null count; only a column whose range reaches past the scale (or holds a missing code) is looked at
cell by cell. Answers stay 8-bit integers in :class:`~servgap.data.responses.Responses` (blanks in a
mask): a 1M × 44 survey holds 44 MB of answers instead of 352 MB of floats.

The reader never reports a problem. Whenever a file is not plain — another encoding, a NUL byte, a
blank line, a platform's second header row, a long layout, a cell that is not a whole number, a cell
off the scale, a blank or repeated id, ``--invalid missing`` — it returns None, and the table reader
(``data/tables.py``) reads the file again and names every problem by row and column. Both readers
give the same numbers; the tests run each file through both.

Large files (over :data:`STREAM_BYTES`) are read as a stream of record batches, each turned into
narrow numpy arrays at once (points as 16-bit integers when they are whole), so that the peak memory
is that of the kept answers, not of the parser's tables.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from servgap.data.assembly import ColumnReader, LazyTexts, Responses, assemble, with_segments
from servgap.data.cells import CellValidator
from servgap.data.delimited import header_cells, sniff_delimiter
from servgap.data.encoding import valid_utf8
from servgap.data.options import InvalidPolicy, Layout, ReadOptions
from servgap.data.plan import ColumnPlan, plan_columns
from servgap.data.platforms import plain_source
from servgap.instrument.models import Facet, InstrumentConfig

if TYPE_CHECKING:
    import pyarrow as pa

#: File name endings the columnar reader takes (anything else goes to the table reader).
PLAIN_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ""})
#: Files larger than this are read as a stream of record batches (bounded memory; one thread).
STREAM_BYTES = 256 << 20
#: The parser's block: a line longer than this (1 MiB) is no survey export, and the parser refuses
#: it, which sends the file to the table reader and its message.
BLOCK_BYTES = 1 << 20
_SCAN_BYTES = 1 << 24
#: Text that pandas would read as a number and show otherwise ('007' as 7, '1.0' as 1).
_NUMBER_LIKE = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"
_CANONICAL_INTEGER = r"^(0|-?[1-9]\d{0,17})$"


class NotPlain(Exception):
    """The file needs the table reader (something in it is unusual, or must be reported)."""


def read_plain_csv(config: InstrumentConfig, path: Path, options: ReadOptions, segment_by: list[str] | None,
                   facet_labels: dict[Facet, str] | None, ids_unique_within: str | None) -> Responses | None:
    """The responses of a plain numeric CSV export, or None when the table reader must read it."""
    if not _may_be_plain(path, options):
        return None
    try:
        import pyarrow  # noqa: F401  (an optional speed-up: without it every file takes the table reader)
    except ImportError:
        return None
    try:
        head, has_quotes = _scan(path)
        delimiter = options.delimiter or sniff_delimiter(head[:65536])
        headers = header_cells(head, delimiter)
        if not headers or _is_long(headers, options):
            return None
        source = plain_source(headers, options.source or config.data.source)
        if source is None:
            return None
        issues: list = []
        plan = plan_columns(with_segments(config, config, segment_by), headers, issues, facet_labels,
                            source.id_header)
        if issues:
            return None
        reader = _ArrowColumns(path, headers, delimiter, has_quotes, plan, config, source.skip_markers)
        responses = assemble(config, plan, reader, source, ids_unique_within)
    except (NotPlain, OSError, MemoryError):
        return None
    return responses


def _may_be_plain(path: Path, options: ReadOptions) -> bool:
    if str(path) == "-" or path.suffix.lower() not in PLAIN_SUFFIXES:
        return False
    try:
        str(path).encode("utf-8")  # pyarrow opens files by UTF-8 name; others take the table reader
    except UnicodeEncodeError:
        return False
    if options.invalid is not InvalidPolicy.refuse or options.layout is Layout.long:
        return False
    try:
        if options.encoding is not None and codecs.lookup(options.encoding).name != "utf-8":
            return False
    except LookupError:
        return False  # the table reader names the unknown encoding
    try:
        return path.is_file()
    except OSError:
        return False


def _is_long(headers: list[str], options: ReadOptions) -> bool:
    return options.layout is Layout.auto and {"item", "facet", "value"} <= {h.strip().lower() for h in headers}


def _scan(path: Path) -> tuple[str, bool]:
    """The first MiB as text, and whether the file quotes any cell; NotPlain unless the whole file is
    UTF-8 without NUL bytes (blank lines are refused by the parser: the table reader numbers them).
    This pass over the bytes is needed because the parser decodes only the columns it keeps."""
    with path.open("rb") as stream:
        head = stream.read(BLOCK_BYTES)
        if not head.strip() or head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NotPlain
        has_quotes = False

        def chunks() -> Iterator[bytes]:
            nonlocal has_quotes
            chunk = head
            while chunk:
                if b"\x00" in chunk:
                    raise NotPlain
                has_quotes = has_quotes or b'"' in chunk
                yield chunk
                chunk = stream.read(_SCAN_BYTES)

        if not valid_utf8(chunks()):
            raise NotPlain
    first_line = head.split(b"\n", 1)[0]
    if b"\r" in first_line.rstrip(b"\r"):  # old Mac line endings: the table reader splits them
        raise NotPlain
    return head.decode("utf-8-sig", errors="ignore"), has_quotes


class _ArrowColumns(ColumnReader):
    """The mapped columns of a plain CSV file, read by pyarrow: answers as int8, points as float64
    (int16 when whole, in a streamed file), ids and segments as text."""

    file_format = "csv"
    encoding = "utf-8"

    def __init__(self, path: Path, headers: list[str], delimiter: str, has_quotes: bool, plan: ColumnPlan,
                 config: InstrumentConfig, skip_markers: tuple[str, ...]) -> None:
        import pyarrow as pa

        kinds: dict[int, Any] = {}
        for column in plan.item_columns.values():
            kinds[column] = pa.int8()
        for column in (plan.importance_columns or {}).values():
            kinds[column] = pa.int8()
        if plan.overall_column is not None:
            kinds[plan.overall_column] = pa.int8()
        for column in (plan.points_columns or {}).values():
            kinds.setdefault(column, pa.float64())
        texts = [*plan.segment_columns.values(), *([] if plan.id_column is None else [plan.id_column])]
        for text in texts:
            kinds.setdefault(text, pa.string())
        self.delimiter = delimiter
        self.validator = CellValidator(config, skip_markers)
        self.columns, rows = _read(path, headers, delimiter, has_quotes, kinds)
        super().__init__(str(path), headers, rows)

    def _convert(self, column: int, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        numbers = self.columns[column]
        values = numbers.values
        missing = np.zeros(len(values), dtype=bool) if numbers.blank is None else numbers.blank
        invalid = np.zeros(len(values), dtype=bool)
        if numbers.low is not None and not self.validator.all_valid_between(numbers.low, numbers.high, kind):
            missing, invalid = self.validator.classify(values, missing.copy(), invalid, kind)
            if invalid.any():
                raise NotPlain  # the table reader names each invalid cell
        if values.dtype.kind == "f" and numbers.blank is not None:
            values = np.where(numbers.blank, np.nan, values)
        return values, missing, invalid

    def respondent_ids(self, id_column: int | None, within: int | None) -> tuple[Sequence[str], bool]:
        if id_column is None:
            return RowNumbers(self.rows), True
        import pyarrow.compute as pc

        ids = self.columns[id_column]
        if ids.null_count or _shown_otherwise(ids):
            raise NotPlain  # blank ids are reported; '007' would read as 7 in the table reader
        key = ids if within is None else pc.binary_join_element_wise(
            pc.fill_null(self.columns[within], "\0"), ids, "\0")
        if not _all_different(key):
            raise NotPlain  # repeated ids are reported with their rows
        return TextColumn(ids), False

    def segment(self, column: int) -> np.ndarray:

        # Each distinct value becomes one Python string, shared by its rows (a segment has few).
        encoded = self.columns[column].combine_chunks().dictionary_encode()
        labels = encoded.dictionary
        if _shown_otherwise(labels):
            raise NotPlain
        texts = np.empty(len(labels) + 1, dtype=object)
        texts[:-1] = labels.to_pylist()  # the last entry, None, is a blank cell's
        indices = encoded.indices
        codes = np.frombuffer(indices.buffers()[1], dtype=np.int32)[indices.offset:indices.offset + len(indices)]
        if indices.null_count:
            # From the validity bitmap, not pyarrow's fill_null: making its fill value imports pandas.
            codes = np.where(_blank(indices), len(labels), codes)
        return texts[codes]


def _all_different(texts: pa.ChunkedArray) -> bool:
    """Whether no text of the column repeats. Texts of up to 8 bytes (R000001, a number) are packed
    into 64-bit integers, zero-padded, and compared after a sort, several times faster than hashing
    the strings. The packing is one-to-one because no text ends in a NUL byte: the file has none, and
    a wave-and-id key (``wave \\0 id``) ends with its id, which is never blank."""
    import pyarrow.compute as pc

    starts, lengths, data = [], [], []
    base = 0
    for chunk in texts.chunks:
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
        if not len(chunk):
            continue
        starts.append(offsets[:-1].astype(np.int64) - offsets[0] + base)
        lengths.append(np.diff(offsets))
        data.append(np.frombuffer(chunk.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]])
        base += int(offsets[-1] - offsets[0])
    if not starts:
        return True
    length = np.concatenate(lengths)
    if int(length.max()) > 8:
        return bool(pc.count_distinct(texts, mode="all").as_py() == len(texts))
    start, joined = np.concatenate(starts), np.concatenate(data)
    widest = int(length.max())
    packed = np.zeros((len(length), 8), dtype=np.uint8)
    if int(length.min()) == widest:  # ids of one length (R000001, …): the bytes are already a table
        packed[:, :widest] = joined.reshape(-1, widest)
    else:
        for byte in range(widest):
            has = length > byte
            packed[has, byte] = joined[start[has] + byte]
    # Big-endian keys order as the texts do: ids exported in order (the usual case) are seen to be
    # all different in one pass, without a sort.
    keys = packed.view(">u8").ravel()
    if bool((keys[1:] > keys[:-1]).all()):
        return True
    keys = np.sort(keys)
    return not bool((keys[1:] == keys[:-1]).any())


def _shown_otherwise(texts: pa.Array | pa.ChunkedArray) -> bool:
    """Whether the table reader would read this text column as numbers and show some otherwise."""
    import pyarrow.compute as pc

    present = pc.drop_null(texts)
    # A column with any text stays text, exactly as exported; its first values usually say so.
    for sample in (present[:1000], present):
        if not len(sample) or not pc.all(pc.match_substring_regex(sample, _NUMBER_LIKE)).as_py():
            return False
    return not pc.all(pc.match_substring_regex(present, _CANONICAL_INTEGER)).as_py()


@dataclass
class _Numbers:
    """A parsed number column: narrow numpy values (0 under a blank), the mask of blanks (None when
    there is none), and the smallest and largest value of its non-blank cells (None when all are blank)."""

    values: np.ndarray
    blank: np.ndarray | None
    low: float | None
    high: float | None


def _batches(path: Path, read_options: Any, parse_options: Any, convert_options: Any) -> Iterator[Any]:
    """The parsed file: one table (parsed on every core), or record batches of a file over
    :data:`STREAM_BYTES`; a batch is dropped as soon as the next is asked for."""
    import pyarrow.csv as csv

    if path.stat().st_size <= STREAM_BYTES:
        yield csv.read_csv(path, read_options, parse_options, convert_options)
    else:
        yield from csv.open_csv(path, read_options, parse_options, convert_options)


def _read(path: Path, headers: list[str], delimiter: str, has_quotes: bool,
          kinds: dict[int, Any]) -> tuple[dict[int, Any], int]:
    """The columns of ``kinds`` (position → pyarrow type): numbers as :class:`_Numbers`, texts as
    pyarrow arrays; and the row count."""
    import pyarrow as pa
    import pyarrow.csv as csv

    names = [f"c{position}" for position in range(len(headers))]
    # A blank line is a one-cell row to the parser, which then refuses the file (ignore_empty_lines
    # off): the table reader skips blank lines but keeps every later row's spreadsheet number.
    read_options = csv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_BYTES)
    parse_options = csv.ParseOptions(delimiter=delimiter, newlines_in_values=has_quotes, ignore_empty_lines=False)
    convert_options = csv.ConvertOptions(
        include_columns=[names[position] for position in sorted(kinds)],
        column_types={names[position]: kind for position, kind in kinds.items()},
        null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True)
    pieces: dict[int, list[Any]] = {position: [] for position in kinds}
    rows = 0
    try:
        for batch in _batches(path, read_options, parse_options, convert_options):
            for position, kind in kinds.items():
                column = batch.column(names[position])
                chunks = column.chunks if hasattr(column, "chunks") else [column]
                pieces[position].append(chunks if pa.types.is_string(kind) else _numbers(column, chunks, kind))
            rows += batch.num_rows
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise NotPlain from None  # a cell that is no whole number, a ragged row, a long line
    if not rows:
        raise NotPlain  # a header without responses: the table reader says so
    columns: dict[int, Any] = {}
    for position, parts in pieces.items():
        if pa.types.is_string(kinds[position]):
            columns[position] = pa.chunked_array([chunk for part in parts for chunk in part], pa.string())
        else:
            columns[position] = _joined(parts)
        parts.clear()  # the pieces go as their column is joined: the peak is one column, not two tables
    return columns, rows


def _joined(parts: list[_Numbers]) -> _Numbers:
    """The batches' pieces of one number column as one."""
    if len(parts) == 1:
        return parts[0]
    values = np.concatenate([part.values for part in parts])
    blank = None if all(part.blank is None for part in parts) else np.concatenate(
        [np.zeros(len(part.values), dtype=bool) if part.blank is None else part.blank for part in parts])
    lows = [part.low for part in parts if part.low is not None]
    highs = [part.high for part in parts if part.high is not None]
    return _Numbers(values, blank, min(lows) if lows else None, max(highs) if highs else None)


def _numbers(column: Any, chunks: list[Any], kind: Any) -> _Numbers:
    """A parsed number column as narrow numpy values, its blanks and its range (pyarrow's minimum and
    maximum, which skip blanks). The values are taken from the arrays' buffers (pyarrow's own
    conversion would import pandas)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = np.dtype(kind.to_pandas_dtype())
    values = np.concatenate([np.frombuffer(chunk.buffers()[1], dtype=dtype)[chunk.offset:chunk.offset + len(chunk)]
                             for chunk in chunks]) if chunks else np.zeros(0, dtype=dtype)
    blank = None
    if column.null_count:
        blank = np.concatenate([_blank(chunk) for chunk in chunks])
        values[blank] = 0  # whatever the buffer holds under a blank
    extremes = pc.min_max(column)
    low, high = extremes["min"].as_py(), extremes["max"].as_py()
    if pa.types.is_floating(kind) and len(values) and low is not None and high is not None and \
            max(abs(low), abs(high)) < 32_000 and np.array_equal(values, np.round(values)):
        # Whole importance points (the usual 100-point allocation) keep in 16 bits, exactly.
        values = values.astype(np.int16)
    return _Numbers(values, blank, low, high)


def _blank(chunk: Any) -> np.ndarray:
    """The blank cells of one parsed chunk, from its validity bitmap (bit 0 = null)."""
    if not chunk.null_count:
        return np.zeros(len(chunk), dtype=bool)
    bits = np.unpackbits(np.frombuffer(chunk.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[chunk.offset:chunk.offset + len(chunk)] == 0


class TextColumn(LazyTexts):
    """A column of texts held by pyarrow."""

    def __init__(self, array: pa.ChunkedArray) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def _slice(self, start: int, stop: int) -> list[str]:
        return [str(value) for value in self.array[start:stop].to_pylist()]


class RowNumbers(LazyTexts):
    """Respondent ids of a file without an id column: the spreadsheet row numbers 2, 3, … as text."""

    def __init__(self, count: int) -> None:
        self.size = count

    def __len__(self) -> int:
        return self.size

    def _slice(self, start: int, stop: int) -> list[str]:
        return [str(position + 2) for position in range(start, stop)]
