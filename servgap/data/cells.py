"""Validate cells: numbers on the scale (or non-negative importance points), missing codes, and the
invalid cells listed with their rows and columns."""

from __future__ import annotations

import math
import unicodedata
from typing import TYPE_CHECKING

import numpy as np

from servgap.data import rules as data_rules
from servgap.data.issues import DataIssue, short_text
from servgap.findings import Rule
from servgap.instrument.models import InstrumentConfig, answer_key
from servgap.stats.moments import FloatArray

if TYPE_CHECKING:
    import pandas as pd


class CellValidator:
    """Turns a column into floats, marking missing codes and collecting invalid cells."""

    def __init__(self, config: InstrumentConfig, skip_markers: tuple[str, ...] = ()) -> None:
        scale = config.instrument.scale
        # A platform's numeric skip codes (问卷星's -3, Qualtrics' -99) mean "skipped" only off the
        # scale: on a −3…+3 semantic-differential scale, −3 is an answer.
        markers = [marker for marker in skip_markers if not _on_scale(marker, scale.min, scale.max)]
        codes = [*config.data.missing_codes, *markers]
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
        #: answer texts (labels in every language, aliases) → scale point, keyed by answer_key
        self.answer_points = config.instrument.scale.answer_points()

    def _out_of_range(self, values: FloatArray, kind: str) -> np.ndarray:
        """Cells off the scale (or negative points), checked in cache-sized pieces."""
        result = np.empty(len(values), dtype=bool)
        for start in range(0, len(values), CHECK_ROWS):
            piece = slice(start, start + CHECK_ROWS)
            result[piece] = out_of_range_block(values[piece], kind, self.low, self.high)
        return result

    def convert(self, column: pd.Series, kind: str) -> tuple[FloatArray, np.ndarray, np.ndarray]:
        """Return the column's numbers, and the masks of missing and of invalid cells.

        ``kind`` is 'scale' (a whole point on the scale) or 'points' (a non-negative number). A plain
        float column is returned as it is (a view, no copy): large files are never duplicated.
        """
        import pandas as pd  # a column from a table: pandas is loaded already

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
            unread = ~missing & np.isnan(values)
            if kind == "scale" and self.answer_points and unread.any():
                values[unread] = self._points_of_labels(text[unread])
            invalid = ~missing & np.isnan(values)
        missing, invalid = self.classify(values, missing, invalid, kind)
        return values, missing, invalid

    def classify(self, values: np.ndarray, missing: np.ndarray, invalid: np.ndarray,
                 kind: str) -> tuple[np.ndarray, np.ndarray]:
        """The masks of missing and invalid cells of a column of numbers (floats, or integers from a
        columnar reader): declared numeric missing codes are missing, numbers off the scale (or negative
        points) invalid. ``missing`` and ``invalid`` are the cells already known as such (blanks, text),
        updated in place."""
        for code in self.numeric_codes:
            missing |= values == code
        invalid |= self._out_of_range(values, kind) & ~missing
        return missing, invalid

    def all_valid_between(self, minimum: float, maximum: float, kind: str) -> bool:
        """Whether every number from ``minimum`` to ``maximum`` (a column's range) is a valid answer
        that no missing code claims: then a column of whole numbers needs no cell-by-cell check.
        """
        if kind == "scale" and not (self.low <= minimum and maximum <= self.high):
            return False
        if kind == "points" and not (minimum >= 0 and math.isfinite(maximum)):
            return False
        return not any(minimum <= code <= maximum for code in self.numeric_codes.tolist())

    def points_of_codes(self, value_labels: dict[float, str]) -> dict[float, float] | None:
        """SPSS/Stata value labels read through the scale: code → scale point, when every labelled
        code's label is an answer text of the scale (the file codes "Strongly agree" as 1 while the
        config's scale has it at 7, say); None when the labels are not the scale's, and the codes are
        read as they are.
        """
        if not self.answer_points or not value_labels:
            return None
        points = {code: self.answer_points.get(answer_key(text)) for code, text in value_labels.items()}
        if any(point is None for point in points.values()):
            return None
        return {code: float(point) for code, point in points.items() if point is not None}

    def _points_of_labels(self, text: pd.Series) -> FloatArray:
        """Answers exported as label text ("Strongly agree", "非常同意"): their scale points, NaN when
        a text is no label. Keys compare as :func:`answer_key` does (width, case and spacing aside)."""
        # answer_key once per distinct text (a column of labels holds a handful), then a lookup per cell.
        points = {value: self.answer_points.get(answer_key(value), np.nan) for value in text.unique()}
        return np.asarray(text.map(points).to_numpy(dtype=float, na_value=np.nan), dtype=np.float64)


CHECK_ROWS = 1 << 16


def _on_scale(text: str, low: int, high: int) -> bool:
    try:
        return low <= float(text) <= high
    except ValueError:
        return False


def out_of_range_block(values: FloatArray, kind: str, low: int, high: int) -> np.ndarray:
    """Cells of ``values`` off the scale (or, for points, negative or infinite); NaN is never out of range."""
    with np.errstate(invalid="ignore"):
        if kind == "scale":
            # NaN compares False, so missing cells are never out of range.
            return (values < low) | (values > high) | (np.floor(values) != values) & ~np.isnan(values)
        return (values < 0) | np.isinf(values)


def why_invalid(value: object, kind: str, low: int, high: int, labels: str = "") -> str:
    """Why a cell is invalid, in words, for the refusal's list (``labels``: the answer texts the
    scale reads, to name beside a text that is none of them)."""
    from servgap.data.xlsx import EXCEL_ERRORS

    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in EXCEL_ERRORS:
        return f"an Excel error value ({text}); correct the formula in the workbook, or clear the cell"
    try:
        number = float(text)
    except ValueError:
        if kind == "scale" and labels:
            return (f"neither a number nor an answer label of the scale ({labels}); add other texts under "
                    "instrument.scale.aliases")
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


def cell_text(value: object) -> str:
    """A cell as its file shows it: blank for a missing cell, ``9`` (not ``9.0``) for a whole number
    that the reader stored as a float because its column has blanks.

    >>> cell_text(9.0), cell_text(0.5), cell_text(float("nan")), cell_text("n/a"), cell_text(None)
    ('9', '0.5', '', 'n/a', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def collect_invalid(
    issues: list[DataIssue], invalid: np.ndarray, original: pd.Series, column: int, header: str, kind: str,
    config: InstrumentConfig, rule: Rule, row_numbers: np.ndarray,
) -> None:
    """Add an issue per invalid cell of one column, with its spreadsheet row, column and value."""
    scale = config.instrument.scale
    labels = "; ".join(f"{point}: {' / '.join(dict.fromkeys(label.values()))}"
                       for point, label in sorted(scale.labels.items()))
    for position in np.flatnonzero(invalid):
        value = original.iloc[position]
        shown = cell_text(value)
        message = f"'{short_text(shown, 30)}': {why_invalid(value, kind, scale.min, scale.max, labels)}"
        if rule is data_rules.INVALID_AS_MISSING:
            message += " (treated as missing)"
        issues.append(DataIssue(rule, int(row_numbers[position]), column + 1, header, message, shown))


