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

from servgap.data.assembly import ColumnReader, LazyTexts, PackedMask, Responses, assemble, with_segments
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
        blank = None if numbers.blank is None else numbers.blank.unpacked()
        missing = np.zeros(len(values), dtype=bool) if blank is None else blank
        invalid = np.zeros(len(values), dtype=bool)
        if numbers.low is not None and not self.validator.all_valid_between(numbers.low, numbers.high, kind):
            missing, invalid = self.validator.classify(values, missing.copy(), invalid, kind)
            if invalid.any():
                raise NotPlain  # the table reader names each invalid cell
        if values.dtype.kind == "f" and blank is not None:
            values = np.where(blank, np.nan, values)
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
        if not all_different(key):
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


def all_different(texts: pa.ChunkedArray) -> bool:
    """Whether no text of the column repeats.

    Each text of up to 15 bytes becomes a 16-byte key — its length, then its bytes, zero-padded —
    held as two 64-bit integers. The keys are one-to-one with the texts (the length tells "7" from
    "7\\0") and order them by length, then bytewise: ids exported in order, "R9999999" before
    "R10000000", are seen to be all different in one pass, a chunk at a time, holding no more than
    one chunk's keys. Otherwise the keys of texts up to 7 bytes (one integer each) are sorted,
    several times faster than hashing strings, and longer texts are hashed by pyarrow.
    """
    import pyarrow.compute as pc

    previous: tuple[int, int] | None = None
    for keys in _text_keys(texts):
        if keys is None:  # a text over 15 bytes
            return bool(pc.count_distinct(texts, mode="all").as_py() == len(texts))
        high, low = keys
        increasing = (high[1:] > high[:-1]) | ((high[1:] == high[:-1]) & (low[1:] > low[:-1]))
        if not bool(increasing.all()) or (previous is not None and previous >= (int(high[0]), int(low[0]))):
            break
        previous = int(high[-1]), int(low[-1])
    else:
        return True
    if any(int(length.max()) > 7 for length in _text_lengths(texts)):
        return bool(pc.count_distinct(texts, mode="all").as_py() == len(texts))
    ordered = np.concatenate([keys[0] for keys in _text_keys(texts) if keys is not None])
    ordered.sort()
    return not bool((ordered[1:] == ordered[:-1]).any())


def _text_lengths(texts: pa.ChunkedArray) -> Iterator[np.ndarray]:
    """Per chunk, the byte length of each text."""
    for chunk in texts.chunks:
        if len(chunk):
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
            yield np.diff(offsets)


def _text_keys(texts: pa.ChunkedArray) -> Iterator[tuple[np.ndarray, np.ndarray] | None]:
    """Per chunk, the (length, bytes) keys of its texts as two 64-bit integers each (bytewise order:
    big-endian); None for a chunk with a text over 15 bytes."""
    for chunk, length in zip((chunk for chunk in texts.chunks if len(chunk)), _text_lengths(texts), strict=True):
        if int(length.max()) > 15:
            yield None
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
        data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
        packed = np.zeros((len(chunk), 16), dtype=np.uint8)
        packed[:, 0] = length
        if int(length.min()) == int(length.max()):  # texts of one length: the bytes are already a table
            packed[:, 1:1 + int(length.max())] = data.reshape(len(chunk), -1)
        else:
            first = offsets[:-1] - offsets[0]
            for byte in range(int(length.max())):
                has = length > byte
                packed[has, 1 + byte] = data[first[has] + byte]
        keys = packed.view(">u8")
        yield keys[:, 0].astype(np.uint64), keys[:, 1].astype(np.uint64)


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
    blank: Any  # booleans as parsed; bits (PackedMask) once the batches are joined
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
    texts: dict[int, list[Any]] = {position: [] for position, kind in kinds.items() if pa.types.is_string(kind)}
    numbers: dict[int, _ColumnBuilder] = {}
    rows = 0
    size = path.stat().st_size
    try:
        for batch in _batches(path, read_options, parse_options, convert_options):
            if not numbers:
                # Room for the whole file, estimated from the first batch (exact for a file parsed at
                # once): the batches' values are copied into one array per column as they come,
                # instead of kept as thousands of small pieces to join (which fragments the heap).
                whole = size <= STREAM_BYTES
                capacity = batch.num_rows if whole else int(size / BLOCK_BYTES * batch.num_rows * 1.05) + 16
                numbers = {position: _ColumnBuilder(capacity) for position in kinds if position not in texts}
            for position, kind in kinds.items():
                column = batch.column(names[position])
                chunks = column.chunks if hasattr(column, "chunks") else [column]
                if position in texts:
                    texts[position].extend(chunks)
                else:
                    numbers[position].append(_numbers(column, chunks, kind))
            rows += batch.num_rows
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise NotPlain from None  # a cell that is no whole number, a ragged row, a long line
    if not rows:
        raise NotPlain  # a header without responses: the table reader says so
    columns: dict[int, Any] = {position: builder.result() for position, builder in numbers.items()}
    columns.update({position: pa.chunked_array(chunks, pa.string()) for position, chunks in texts.items()})
    # The parser's freed batches stay cached in pyarrow's allocator unless handed back (45 MB at 10M rows).
    pa.default_memory_pool().release_unused()
    return columns, rows


class _ColumnBuilder:
    """One number column gathered batch by batch into a single array that grows as needed, with its
    range and its blank cells (kept as bits, a batch at a time, and joined once at the end). A
    column of whole importance points stays 16-bit until a batch brings a fraction, then turns
    float64 (exact either way).

    Examples
    --------
    >>> builder = _ColumnBuilder(2)
    >>> builder.append(_Numbers(np.array([3, 5], dtype=np.int16), None, 3, 5))
    >>> builder.append(_Numbers(np.array([0.0, 12.5]), np.array([True, False]), 12.5, 12.5))
    >>> result = builder.result()
    >>> result.values.tolist(), result.blank.unpacked().tolist(), result.low, result.high
    ([3.0, 5.0, 0.0, 12.5], [False, False, True, False], 3, 12.5)
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = max(capacity, 1)
        self.values: np.ndarray | None = None
        # The blank cells of the batches that have any, as bits in one buffer (each batch from a byte
        # boundary), so that thousands of small arrays do not stay scattered over the heap.
        self.bits = np.zeros(0, dtype=np.uint8)
        self.bits_used = 0
        self.blanks: list[tuple[int, int, int]] = []  # (first row, rows, first byte in self.bits)
        self.size = 0
        self.lows: list[float] = []
        self.highs: list[float] = []

    def append(self, part: _Numbers) -> None:
        end = self.size + len(part.values)
        if self.values is None:
            self.values = np.empty(max(self.capacity, end), dtype=part.values.dtype)
        elif part.values.dtype != self.values.dtype:
            self.values = self.values.astype(np.result_type(self.values, part.values))
        if end > len(self.values):
            self.values = np.resize(self.values, max(end, len(self.values) * 3 // 2))
        self.values[self.size:end] = part.values
        if part.blank is not None:
            packed = np.packbits(np.asarray(part.blank), bitorder="little")
            if self.bits_used + len(packed) > len(self.bits):
                self.bits = np.resize(self.bits, max(self.bits_used + len(packed), self.capacity // 8 + 64,
                                                      len(self.bits) * 3 // 2))
            self.bits[self.bits_used:self.bits_used + len(packed)] = packed
            self.blanks.append((self.size, len(part.values), self.bits_used))
            self.bits_used += len(packed)
        self.lows += [] if part.low is None else [part.low]
        self.highs += [] if part.high is None else [part.high]
        self.size = end

    def result(self) -> _Numbers:
        assert self.values is not None
        blank = None
        if self.blanks:
            mask = np.zeros(self.size, dtype=bool)
            for first, count, byte in self.blanks:
                bits = self.bits[byte:byte + (count + 7) // 8]
                mask[first:first + count] = np.unpackbits(bits, count=count, bitorder="little").view(bool)
            blank = PackedMask.of(mask)
            self.bits = np.zeros(0, dtype=np.uint8)
        return _Numbers(self.values[:self.size], blank, min(self.lows) if self.lows else None,
                        max(self.highs) if self.highs else None)


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

    def arrow(self) -> Any:
        return self.array.combine_chunks()

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
