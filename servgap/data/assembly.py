"""What a reader produces: the `Responses` mapped onto an instrument, and how they are assembled
from validated columns, whichever reader (the table reader, the columnar reader) supplies them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np

from servgap.data import rules as data_rules
from servgap.data.issues import DataIssue
from servgap.data.plan import ColumnPlan
from servgap.data.platforms import SourceInfo
from servgap.instrument.models import Facet, InstrumentConfig
from servgap.stats.moments import FloatArray


class LazyTexts(Sequence[str]):
    """A sequence of texts made on demand (a Python string per row only when one is asked for)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def arrow(self) -> Any:
        """The texts as one pyarrow string array (subclasses that hold one hand it over as it is)."""
        import pyarrow as pa

        return pa.array(list(self), pa.string())

    def _slice(self, start: int, stop: int) -> list[str]:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return self._slice(start, max(start, stop))[::step]
        position = range(len(self))[index]  # negative positions and IndexError as a list has them
        return self._slice(position, position + 1)[0]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), 1 << 16):
            yield from self._slice(start, min(start + (1 << 16), len(self)))


@dataclass(frozen=True)
class PackedMask:
    """A mask of cells stored as bits (a bit a respondent, not a byte: 1.25 MB per ten million), read
    back by rows.

    Examples
    --------
    >>> mask = PackedMask.of(np.array([False, True, False, False, True, True, False, False, False, True]))
    >>> mask[3:10].tolist(), mask[np.array([9, 1, 0])].tolist(), len(mask)
    ([False, True, True, False, False, False, True], [True, True, False], 10)
    """

    bits: np.ndarray
    size: int

    @classmethod
    def of(cls, mask: np.ndarray) -> PackedMask:
        return cls(np.packbits(mask, bitorder="little"), len(mask))

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, rows: slice | np.ndarray) -> np.ndarray:
        """The mask of ``rows`` (a slice, or positions or a boolean mask of respondents) as booleans."""
        if isinstance(rows, slice):
            start, stop, _ = rows.indices(self.size)
            first = start // 8
            part = np.unpackbits(self.bits[first:(stop + 7) // 8], bitorder="little")
            return part[start - 8 * first:stop - 8 * first].view(bool)
        return self.unpacked()[rows]

    def unpacked(self) -> np.ndarray:
        """The whole mask as booleans."""
        return np.unpackbits(self.bits, count=self.size, bitorder="little").view(bool)


@dataclass
class FacetColumns:
    """One facet's answers, kept as the column arrays the reader produced (no second copy).

    ``values[j]`` holds item j's numbers (floats with NaN for blanks, or whole numbers in a narrow
    integer type from the fast reader); ``blank[j]``, where present, marks cells to treat as missing
    (blanks of an integer column, declared missing codes, invalid cells under ``--invalid missing``).
    """

    values: list[np.ndarray]
    blank: dict[int, PackedMask]


@dataclass
class Responses:
    """Survey answers mapped onto an instrument, in config item order.

    Answers are read block by block with :meth:`block` (respondents × items, NaN = missing,
    negatively worded items recoded ``L + U − x``) or whole with :meth:`matrix`. ``points`` holds the
    importance points per dimension as the reader's columns (None when the file has none), read by
    block with :meth:`points_block` or whole with :meth:`points_matrix`.
    """

    path: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    rows_read: int
    #: the respondents' ids as text (a list, or a lazy sequence over a columnar reader's array)
    respondent_ids: Sequence[str]
    ids_from_rows: bool
    item_ids: list[str]
    facets: dict[Facet, FacetColumns]
    reverse: np.ndarray
    scale: tuple[int, int]
    points: FacetColumns | None
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
    #: the files of a dataset read from a folder or pattern: (path, rows, format, encoding) each;
    #: empty for one file
    files: list[tuple[str, int, str, str | None]] = field(default_factory=list)

    def block(self, facet: Facet, rows: slice | np.ndarray, out: FloatArray | None = None) -> FloatArray:
        """Answers of ``rows`` (a slice, or an array of row positions) as a column-major respondents ×
        items array (written into ``out``)."""
        out = _as_floats(self.facets[facet], rows, self.rows_read, out)
        if self.reverse.any():
            low, high = self.scale
            out[:, self.reverse] = low + high - out[:, self.reverse]
        return out

    def points_block(self, rows: slice) -> FloatArray | None:
        """Importance points of ``rows`` (respondents × dimensions, NaN = missing), or None without points."""
        return None if self.points is None else _as_floats(self.points, rows, self.rows_read)

    def points_matrix(self) -> FloatArray | None:
        """All importance points as one respondents × dimensions array, or None without points."""
        return self.points_block(slice(None))

    def matrix(self, facet: Facet) -> FloatArray:
        """All answers of a facet as one respondents × items array."""
        return self.block(facet, slice(None))

    def subset(self, rows: np.ndarray) -> Responses:
        """The respondents where ``rows`` (a boolean mask) is true, e.g. one wave of a tracking study."""
        facets = {facet: _rows_of(stored, rows) for facet, stored in self.facets.items()}
        return replace(
            self, rows_read=int(rows.sum()), respondent_ids=[i for i, keep in zip(self.respondent_ids, rows.tolist(),
                                                                                     strict=True) if keep],
            facets=facets, points=None if self.points is None else _rows_of(self.points, rows),
            segments={name: values[rows] for name, values in self.segments.items()},
            item_importance=None if self.item_importance is None else self.item_importance[rows],
            overall_quality=None if self.overall_quality is None else self.overall_quality[rows],
        )


def id_texts(ids: Sequence[str]) -> Any:
    """Respondent ids as one pyarrow string array, for matching and counting them without a Python
    string per row when a reader already holds them in pyarrow.

    >>> id_texts(["a", "b"]).to_pylist()
    ['a', 'b']
    """
    if isinstance(ids, LazyTexts):
        return ids.arrow()
    import pyarrow as pa

    return pa.array(list(ids), pa.string())


def _as_floats(stored: FacetColumns, rows: slice | np.ndarray, height: int, out: FloatArray | None = None
               ) -> FloatArray:
    """Columns' ``rows`` (a slice, or an array of row positions) as a column-major float array, NaN
    where a cell counts as missing."""
    if isinstance(rows, slice):
        start, stop, _ = rows.indices(height)
        rows = slice(start, stop)
        count = stop - start
    else:
        count = len(rows)
    if out is None:
        out = np.empty((count, len(stored.values)), order="F")
    out = out[:count]
    for position, column in enumerate(stored.values):
        out[:, position] = column[rows]
    for position, mask in stored.blank.items():
        out[mask[rows], position] = np.nan
    return out


def _rows_of(stored: FacetColumns, rows: np.ndarray) -> FacetColumns:
    """The columns of the respondents where ``rows`` is true."""
    return FacetColumns([column[rows] for column in stored.values],
                        {position: PackedMask.of(mask[rows]) for position, mask in stored.blank.items()})


class ColumnReader:
    """Reads validated columns: numbers, missing and invalid cells, the header each input came from,
    and missing-cell counts. Subclasses say where the cells come from (:meth:`_convert`) and how ids
    and segment values are read."""

    file_format: str
    encoding: str | None = None
    delimiter: str | None = None

    def __init__(self, name: str, headers: list[str], rows: int, issues: list[DataIssue] | None = None) -> None:
        self.name = name
        self.headers = headers
        self.rows = rows
        #: the problems found in cells, ids and segments (the columnar reader finds none: it declines)
        self.issues: list[DataIssue] = [] if issues is None else issues
        self.used: dict[str, str] = {}
        self.missing_cells: dict[str, int] = {}

    def _convert(self, column: int, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A column's numbers (whole numbers may stay integers), and its masks of missing and invalid cells."""
        raise NotImplementedError

    def respondent_ids(self, id_column: int | None, within: int | None) -> tuple[Sequence[str], bool]:
        """The respondent ids as text, and whether they are row numbers (no id column)."""
        raise NotImplementedError

    def segment(self, column: int) -> np.ndarray:
        """A segment column's values as text (None where blank)."""
        raise NotImplementedError

    def facet(self, facet: Facet, columns: list[int], item_ids: list[str]) -> FacetColumns:
        """One facet's item columns, kept as the reader's arrays with masks of cells to treat as missing."""
        stored, missing = self.narrow(columns, "scale")
        for item_id, column in zip(item_ids, columns, strict=True):
            self.used[f"{item_id}.{facet.value}"] = self.headers[column]
        self.missing_cells[facet.value] = missing
        return stored

    def narrow(self, columns: list[int], kind: str) -> tuple[FacetColumns, int]:
        """Columns as the reader's arrays (whole numbers may stay narrow integers) with masks of the
        cells to treat as missing (blank, a missing code, invalid under ``--invalid missing``), and
        the count of missing cells (answers: blank or a missing code; points: every cell without a
        value, invalid ones included, as the weighting reports them)."""
        stored = FacetColumns([], {})
        missing_total = 0
        for position, column in enumerate(columns):
            values, missing, invalid = self._convert(column, kind)
            blank = missing | invalid
            missing_total += int((blank if kind == "points" else missing).sum())
            if values.dtype.kind == "f":
                without_value = np.isnan(values)
                if kind == "points":
                    missing_total += int((without_value & ~blank).sum())
                blank &= ~without_value  # NaN is missing already
            if blank.any():
                stored.blank[position] = PackedMask.of(blank)  # a bit a cell: 10M rows × 44 answers in 55 MB
            stored.values.append(values)
        return stored, missing_total

    def checked(self, column: int, kind: str) -> FloatArray:
        """One column's numbers, missing and invalid cells as NaN, invalid cells reported."""
        values, missing, invalid = self._convert(column, kind)
        return np.where(missing | invalid, np.nan, values)


def assemble(config: InstrumentConfig, plan: ColumnPlan, reader: ColumnReader, source: SourceInfo,
             ids_unique_within: str | None = None) -> Responses:
    """The responses of the columns ``plan`` maps, read through ``reader`` (whose issues it collects)."""
    item_ids = [item.id for _, item in config.items()]
    facets = {facet: reader.facet(facet, [plan.item_columns[(item_id, facet)] for item_id in item_ids], item_ids)
              for facet in config.instrument.facets}
    points = None
    if plan.points_columns is not None:
        columns = [plan.points_columns[dimension.id] for dimension in config.dimensions]
        points, reader.missing_cells["importance"] = reader.narrow(columns, "points")
        for dimension, column in zip(config.dimensions, columns, strict=True):
            reader.used[f"{dimension.id}.importance"] = reader.headers[column]
    item_importance = None
    if plan.importance_columns is not None:
        item_importance = np.column_stack([reader.checked(plan.importance_columns[item_id], "scale")
                                           for item_id in item_ids])
    overall_quality = reader.checked(plan.overall_column, "scale") if plan.overall_column is not None else None
    within = plan.segment_columns.get(ids_unique_within) if ids_unique_within else None
    ids, ids_from_rows = reader.respondent_ids(plan.id_column, within)
    segments = {name: reader.segment(column) for name, column in plan.segment_columns.items()}
    scale = config.instrument.scale
    return Responses(
        path=reader.name, file_format=reader.file_format, encoding=reader.encoding, delimiter=reader.delimiter,
        rows_read=reader.rows, respondent_ids=ids, ids_from_rows=ids_from_rows, item_ids=item_ids, facets=facets,
        reverse=np.array([item.reverse for _, item in config.items()]), scale=(scale.min, scale.max),
        points=points, item_importance=item_importance, overall_quality=overall_quality, segments=segments,
        columns=reader.used, missing_cells=reader.missing_cells, source=source,
        invalid_as_missing=[issue for issue in reader.issues if issue.rule is data_rules.INVALID_AS_MISSING],
    )


def with_segments(config: InstrumentConfig, original: InstrumentConfig,
                   segment_by: list[str] | None) -> InstrumentConfig:
    """``config`` with the segment columns asked for on the command line added to its own."""
    extra = [segment for segment in segment_by or [] if segment not in original.data.segments]
    if not extra:
        return config
    return config.model_copy(update={"data": config.data.model_copy(
        update={"segments": [*config.data.segments, *extra]})})
