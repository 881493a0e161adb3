"""Read one sheet of an .xlsx workbook safely: values as Excel last saved them, cell by cell.

Why not ``pandas.read_excel``: a workbook is a zip archive, and a hostile one (a "zip bomb") expands
to gigabytes; a stray formatted cell at row 1,048,576 makes a row-by-row reader walk a million empty
rows; a formula cell whose result was never saved reads as an empty answer; an error cell
(``#DIV/0!``) reads as text without saying where it came from. This reader

* checks the zip directory before decompressing anything (total uncompressed size, compression
  ratio of each large member, number of members) and refuses a bomb at once;
* streams the sheet XML (``xml.etree.ElementTree.iterparse``; Python's expat refuses entity
  expansion attacks) and keeps only the cells that hold a value, with their spreadsheet row
  numbers, so empty rows cost nothing;
* reports formula cells with no saved value and error cells by their cell reference;
* names a password-protected workbook and an old .xls file as such (both are OLE compound files,
  not zip archives).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse

#: Refuse workbooks that would expand beyond this many bytes in all.
MAX_UNCOMPRESSED_BYTES = 2 << 30
#: Refuse a member larger than 1 MiB that expands more than this many times (sheet XML: 5–30×).
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 10_000
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")


class WorkbookRefused(Exception):
    """The file is not a workbook servgap can read; the message says what it is and what to do."""


@dataclass
class Sheet:
    """The cells of one sheet that hold a value: ``rows[k]`` is spreadsheet row ``row_numbers[k]``."""

    rows: list[list[object]]
    row_numbers: list[int]
    width: int
    #: cells (reference, formula) whose formula has no saved value
    formulas_without_value: list[tuple[str, str]] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)


def column_letters(index: int) -> str:
    """The letters of a 0-based column index (0 → A, 26 → AA).

    Examples
    --------
    >>> column_letters(0), column_letters(25), column_letters(26), column_letters(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def identify_non_zip(head: bytes) -> str | None:
    """What a file that should be a workbook but is no zip archive is, in words (None if unknown)."""
    if head.startswith(_OLE_SIGNATURE):
        if _ENCRYPTED_MARK in head:
            return ("the workbook is password-protected (encrypted); open it in Excel, remove the password "
                    "(File › Info › Protect Workbook), save, and run again")
        return ("this is an old Excel 97–2003 workbook (.xls) or another Office file, not .xlsx; open it in "
                "Excel and save as .xlsx, or export CSV")
    return None


def read_sheet(source: Path | bytes, sheet: str | None = None) -> Sheet:
    """Read the named sheet (default: the first) of an .xlsx workbook; see the module docstring.

    Raises
    ------
    WorkbookRefused
        For a zip bomb, an encrypted or old-format workbook, a missing sheet, or damaged XML.
    """
    raw_head = source[:1 << 16] if isinstance(source, bytes) else _head(source)
    if not raw_head.startswith(b"PK"):
        described = identify_non_zip(raw_head if isinstance(source, bytes) else _head(source, 1 << 22))
        raise WorkbookRefused(described or "not an Excel workbook; if it is a CSV export with an .xlsx ending, "
                              "rename it to .csv")
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused("the workbook is damaged (not a readable zip archive); open and save it in Excel, "
                              "or export CSV") from None
    with archive:
        _check_archive(archive)
        try:
            names, target = _choose_sheet(archive, sheet)
            strings = _shared_strings(archive)
            with archive.open(target) as stream:
                result = _read_cells(stream, strings)
        except (ParseError, KeyError, IndexError, ValueError, zipfile.BadZipFile, EOFError, RuntimeError,
                NotImplementedError, zlib.error) as error:
            raise WorkbookRefused(f"the workbook is damaged or not a spreadsheet ({type(error).__name__}); open "
                                  "and save it in Excel, or export CSV") from None
    result.sheet_names = names
    return result


def _head(path: Path, size: int = 1 << 16) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused(f"the archive has {len(members):,} members; a workbook has a few dozen")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRefused(f"the workbook would expand to {total / (1 << 30):.1f} GiB; servgap refuses more than "
                              f"{MAX_UNCOMPRESSED_BYTES >> 30} GiB (a zip bomb, or export the sheet as CSV)")
    for member in members:
        if member.file_size > 1 << 20 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            ratio = member.file_size / max(member.compress_size, 1)
            raise WorkbookRefused(f"the member {member.filename!r} expands {ratio:,.0f} times (to "
                                  f"{member.file_size / (1 << 20):,.0f} MiB); servgap refuses ratios above "
                                  f"{MAX_COMPRESSION_RATIO} (a zip bomb)")


def _choose_sheet(archive: zipfile.ZipFile, wanted: str | None) -> tuple[list[str], str]:
    relations = {}
    with archive.open("xl/_rels/workbook.xml.rels") as stream:
        for _, element in iterparse(stream):
            if element.tag == f"{_PACKAGE_REL}Relationship":
                relations[element.get("Id")] = element.get("Target", "")
    sheets: list[tuple[str, str]] = []
    with archive.open("xl/workbook.xml") as stream:
        for _, element in iterparse(stream):
            if element.tag == f"{_MAIN}sheet":
                sheets.append((element.get("name", ""), relations.get(element.get(f"{_REL}id"), "")))
    names = [name for name, _ in sheets]
    if not sheets:
        raise WorkbookRefused("the workbook has no sheets")
    if wanted is None:
        target = sheets[0][1]
    else:
        found = [target for name, target in sheets if name == wanted]
        if not found:
            raise WorkbookRefused(f"the workbook has no sheet '{wanted}'; its sheets are: "
                                  + ", ".join(f"'{name}'" for name in names))
        target = found[0]
    target = target.lstrip("/")
    return names, target if target.startswith("xl/") else f"xl/{target}"


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as stream:
        for _, element in iterparse(stream):
            if element.tag == f"{_MAIN}si":
                strings.append(_rich_text(element))
                element.clear()
    return strings


def _rich_text(element: Element) -> str:
    """The text of a string item: its <t> runs, without phonetic (<rPh>) guides."""
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(run.text or "" for run in child if run.tag == f"{_MAIN}t")
    return "".join(parts)


def _read_cells(stream: IO[bytes], strings: list[str]) -> Sheet:
    rows: list[list[object]] = []
    row_numbers: list[int] = []
    formulas: list[tuple[str, str]] = []
    width = 0
    current: dict[int, object] = {}
    current_row = 0
    cell_tag, row_tag, value_tag, formula_tag, inline_tag = (f"{_MAIN}c", f"{_MAIN}row", f"{_MAIN}v", f"{_MAIN}f",
                                                             f"{_MAIN}is")
    next_row = 1
    for _, element in iterparse(stream):
        tag = element.tag
        if tag == cell_tag:
            reference = element.get("r", "")
            match = _CELL_REFERENCE.fullmatch(reference)
            column = _column_index(match.group(1)) if match else len(current)
            kind = element.get("t", "n")
            value_element = element.find(value_tag)
            formula = element.find(formula_tag)
            text = value_element.text if value_element is not None else None
            value: object = None
            if kind == "inlineStr":
                inline = element.find(inline_tag)
                value = _rich_text(inline) if inline is not None else None
            elif text is None or text == "":
                if formula is not None and (formula.text or formula.get("t") == "shared"):
                    formulas.append((reference or f"{column_letters(column)}{current_row}", formula.text or ""))
            elif kind == "s":
                value = strings[int(text)]
            elif kind in ("str", "e", "d"):
                value = text
            elif kind == "b":
                value = "TRUE" if text.strip() == "1" else "FALSE"
            else:
                try:
                    value = float(text)
                except ValueError:
                    value = text
            if value is not None and value != "":
                current[column] = value
            element.clear()
        elif tag == row_tag:
            number = element.get("r")
            current_row = int(number) if number and number.isdigit() else next_row
            next_row = current_row + 1
            if current:
                width = max(width, max(current) + 1)
                rows.append([current.get(position) for position in range(max(current) + 1)])
                row_numbers.append(current_row)
                current = {}
            element.clear()
    return Sheet(rows, row_numbers, width, formulas)
