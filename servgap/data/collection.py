"""A dataset of several files: a folder of exports, or a glob pattern (monthly exports with the same
columns), read file by file with the same config and options and joined into one `Responses`.

Each file is read and validated on its own, so a problem is reported with the file's own rows and
columns. The files must agree on what the config maps beyond the answers — all or none of them
with importance points, item importance or the overall rating — and a respondent id may appear in
only one of them (a respondent answering twice is two waves: ``servgap compare``).
"""

from __future__ import annotations

import glob
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from servgap.data.assembly import FacetColumns, LazyTexts, PackedMask, Responses, id_texts
from servgap.data.columnar import all_different
from servgap.errors import ExitCode, UserError

#: What a folder's files must end in to be read as exports (a glob pattern chooses its own).
EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".gz", ".xlsx", ".xlsm", ".parquet", ".sav", ".zsav", ".dta")
_PATTERN_CHARACTERS = frozenset("*?[")


def dataset_files(data: Path) -> list[Path] | None:
    """The files a data argument names when it is a folder or a glob pattern (sorted by name, so that
    monthly exports come in order); None when it names one file (or standard input).

    A folder contributes its survey exports (by suffix; hidden files and Office lock files are
    skipped), not its subfolders; a pattern contributes every file it matches (``**`` reaches into
    subfolders). Neither may come up empty.

    Examples
    --------
    >>> dataset_files(Path("-")) is None
    True
    """
    text = str(data)
    if text == "-":
        return None
    if data.is_dir():
        files = sorted(path for path in data.iterdir() if path.is_file() and _is_export(path))
        if not files:
            raise UserError(f"{data}: the folder has no survey export ({', '.join(EXPORT_SUFFIXES)}); name a file, "
                            f"or a pattern such as '{data / '*.csv'}' in quotes", ExitCode.USAGE)
        return files
    if data.exists() or not _PATTERN_CHARACTERS & set(text):
        return None
    files = sorted(Path(match) for match in glob.glob(text, recursive=True) if Path(match).is_file())
    if not files:
        raise UserError(f"{text}: no file matches this pattern; check the folder and the pattern (quote it, so "
                        "that the shell passes it on)", ExitCode.USAGE)
    return files


def _is_export(path: Path) -> bool:
    return path.suffix.lower() in EXPORT_SUFFIXES and not path.name.startswith((".", "~$"))


class ChainedTexts(LazyTexts):
    """The respondent ids of several files, one after the other, without copying them."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts
        self.starts = np.cumsum([0, *(len(part) for part in parts)]).tolist()

    def __len__(self) -> int:
        return int(self.starts[-1])

    def arrow(self) -> Any:
        import pyarrow as pa

        return pa.concat_arrays([id_texts(part) for part in self.parts]) if self.parts else pa.array([], pa.string())

    def _slice(self, start: int, stop: int) -> list[str]:
        texts: list[str] = []
        part = bisect_right(self.starts, start) - 1
        while start < stop and part < len(self.parts):
            offset = self.starts[part]
            end = min(stop, self.starts[part + 1])
            texts.extend(self.parts[part][start - offset:end - offset])
            start, part = end, part + 1
        return texts


def combine(files: list[Path], parts: list[Responses], name: str, ids_unique_within: str | None = None
            ) -> Responses:
    """The responses of several files as one dataset, in file order (see the module docstring).

    Refuses (exit 1) files that disagree on importance points, item importance or the overall
    rating, and a respondent id found in two files (with its files and rows).
    """
    first = parts[0]
    for attribute, what in (("points", "importance points"), ("item_importance", "item importance ratings"),
                            ("overall_quality", "an overall-quality rating")):
        having = [file for file, part in zip(files, parts, strict=True) if getattr(part, attribute) is not None]
        if having and len(having) < len(files):
            lacking = next(file for file in files if file not in having)
            raise UserError(f"{name}: {having[0]} has {what} but {lacking} has none; the files of one dataset need "
                            "the same columns (analyse them separately, or add the columns)", ExitCode.FINDINGS)
    if not any(part.ids_from_rows for part in parts):
        _refuse_repeated_ids(files, parts, name, ids_unique_within)
    facets = {facet: _joined_facet([part.facets[facet] for part in parts], [part.rows_read for part in parts])
              for facet in first.facets}
    missing: dict[str, int] = {}
    for part in parts:
        for key, count in part.missing_cells.items():
            missing[key] = missing.get(key, 0) + count

    def stacked(attribute: str) -> Any:
        arrays = [getattr(part, attribute) for part in parts]
        return None if arrays[0] is None else np.concatenate(arrays)

    def same(attribute: str, mixed: Any) -> Any:
        values = {getattr(part, attribute) for part in parts}
        return values.pop() if len(values) == 1 else mixed

    return replace(
        first, path=name, file_format=same("file_format", "mixed"), encoding=same("encoding", None),
        delimiter=same("delimiter", None), rows_read=sum(part.rows_read for part in parts),
        respondent_ids=ChainedTexts([part.respondent_ids for part in parts]),
        ids_from_rows=any(part.ids_from_rows for part in parts), facets=facets,
        points=None if first.points is None else _joined_facet(
            [part.points for part in parts if part.points is not None], [part.rows_read for part in parts]),
        item_importance=stacked("item_importance"),
        overall_quality=stacked("overall_quality"),
        segments={column: np.concatenate([part.segments[column] for part in parts]) for column in first.segments},
        invalid_as_missing=[replace(issue, file=str(file)) for file, part in zip(files, parts, strict=True)
                            for issue in part.invalid_as_missing],
        missing_cells=missing,
        files=[(str(file), part.rows_read, part.file_format, part.encoding)
               for file, part in zip(files, parts, strict=True)],
    )


def _joined_facet(facets: list[FacetColumns], rows: list[int]) -> FacetColumns:
    """One facet's item columns of several files, end to end, with their blank masks."""
    values = [np.concatenate([facet.values[item] for facet in facets]) for item in range(len(facets[0].values))]
    blank = {}
    for item in range(len(values)):
        if any(item in facet.blank for facet in facets):
            blank[item] = PackedMask.of(np.concatenate([
                facet.blank[item].unpacked() if item in facet.blank else np.zeros(count, dtype=bool)
                for facet, count in zip(facets, rows, strict=True)]))
    return FacetColumns(values, blank)


def _refuse_repeated_ids(files: list[Path], parts: list[Responses], name: str, within: str | None) -> None:
    """Refuse a respondent id (within one value of ``within``, when given) found in two files."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def keys(part: Responses) -> Any:
        ids = id_texts(part.respondent_ids)
        if within is None:
            return ids
        waves = pa.array([None if value is None else str(value) for value in part.segments[within].tolist()],
                         pa.string())
        return pc.binary_join_element_wise(pc.fill_null(waves, "\0"), ids, "\0")

    all_keys = pa.chunked_array([keys(part) for part in parts], pa.string())
    if all_different(all_keys):  # the columnar reader's check: one pass for ids in order
        return
    counts = pc.value_counts(all_keys)
    repeated = counts.filter(pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
    places = []
    for file, part in zip(files, parts, strict=True):
        rows = np.flatnonzero(np.asarray(pc.equal(keys(part), repeated).to_numpy(zero_copy_only=False)))
        # spreadsheet rows: after the file's header rows (one, or a platform's two or three)
        places += [f"{file} (row {int(row) + part.source.header_rows + 1})" for row in rows[:2]]
    shown = repeated.split("\0")[-1]
    raise UserError(f"{name}: respondent id '{shown}' is in {' and '.join(places[:2])}; a respondent may appear in "
                    "only one file of a dataset (two waves of the same people: servgap compare BEFORE AFTER)",
                    ExitCode.FINDINGS)
