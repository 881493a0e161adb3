"""Text from files made inert for every output: the one owner of escaping.

Everything servgap shows can come from a file a stranger wrote: item texts and names from a config,
headers, cell values, segment values, respondent ids and file names from a data export. Shown raw,
such text can drive a terminal (ESC sequences set titles, move the cursor, write files through some
emulators), start a GitHub workflow command (a line beginning with ``::``), become a spreadsheet
formula (a CSV cell beginning with ``=``), or break a Markdown table (a ``|`` or a line break).

Each output format has one function here, and renderers call nothing else:

========================  ==================================================================
:func:`inert`             terminal and plain text: control characters shown as ``\\x1b``
:func:`inert_line`        one-line texts (findings, messages): line breaks escaped as well
:func:`inert_assessment`  a display copy of any result object with every text made inert
:func:`csv_cell`          a CSV text cell neutralised as OWASP recommends
:func:`markdown_cell`     a Markdown table cell that cannot break its row
:func:`json_text`         JSON with DEL, C1 controls and unpaired surrogates as ``\\u`` escapes
========================  ==================================================================

The workbook has its own rule (characters XML cannot hold are replaced, and text cells are typed as
text) in ``servgap.render.excel``, because it writes cells, not text.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")

# C0 controls but tab and newline, DEL, C1 controls, the line and paragraph separators, the
# bidirectional overrides and isolates (which reorder what a reader sees), and unpaired surrogates
# (undecodable bytes of a file name, as Python's surrogateescape keeps them).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the undecodable byte itself, as surrogateescape kept it
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def inert(text: str) -> str:
    r"""``text`` with every control character shown as an escape; tab and newline kept.

    Examples
    --------
    >>> inert("Clean\x1b]0;pwned\x07 room")
    'Clean\\x1b]0;pwned\\x07 room'
    >>> inert("two\nlines")
    'two\nlines'
    """
    return _UNSAFE.sub(_escape, text)


def inert_line(text: str) -> str:
    r"""``text`` as one line: control characters, tab and line breaks shown as escapes.

    Examples
    --------
    >>> inert_line("row 3\n::error::forged")
    'row 3\\n::error::forged'
    """
    return _UNSAFE_LINE.sub(_escape, text)


def inert_path(path: object) -> str:
    r"""A file name for a message: undecodable bytes and control characters escaped.

    Examples
    --------
    >>> inert_path("survey\udcff.csv")
    'survey\\xff.csv'
    """
    return inert_line(str(path))


#: ids of the display copies made (forgotten when a copy is collected): a renderer that hands its
#: copy to another renderer's section does not walk the tree again.
_INERT_COPIES: set[int] = set()


def inert_assessment(result: T) -> T:
    """A display copy of a result object or config (any tree of dataclasses, pydantic models, dicts,
    lists and tuples) in which every string is :func:`inert`. Enum members and numbers are kept as
    they are. A copy this function made is returned as it is."""
    if id(result) in _INERT_COPIES:
        return result
    copy = _deep_inert(result)
    try:
        weakref.finalize(copy, _INERT_COPIES.discard, id(copy))
    except TypeError:  # objects without weak references (pydantic models): no memo, the walk is cheap
        return copy  # type: ignore[no-any-return]
    _INERT_COPIES.add(id(copy))
    return copy  # type: ignore[no-any-return]


def _deep_inert(value: Any) -> Any:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return inert(value)
    fields = getattr(type(value), "model_fields", None)
    if isinstance(fields, dict) and hasattr(value, "model_copy"):  # a pydantic model (a config)
        return value.model_copy(update={name: _deep_inert(getattr(value, name)) for name in fields})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _deep_inert(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {_deep_inert(key): _deep_inert(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep_inert(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_deep_inert(item) for item in value)
    return value


# OWASP "CSV injection": a cell that starts with one of these is run as a formula by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def csv_cell(text: str) -> str:
    """A text cell for CSV output: inert, and prefixed with ``'`` when a spreadsheet would read it as a
    formula (OWASP). A text that is a plain number (``-1.5``) is left alone: it is no formula.

    Examples
    --------
    >>> csv_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_cell("-1.5")
    '-1.5'
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return inert_line(text)


def markdown_cell(text: str) -> str:
    """Text for a Markdown table cell or list line: one line, pipes escaped, HTML shown as text.

    Examples
    --------
    >>> markdown_cell("a | b\\r\\n<script>")
    'a \\\\| b &lt;script&gt;'
    """
    text = re.sub(r"\r\n|[\r\n\u2028\u2029]", " ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return inert_line(text.replace("\\", "\\\\").replace("|", "\\|"))


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(text: str) -> str:
    r"""Serialised JSON with the characters ``json.dumps(ensure_ascii=False)`` leaves raw but a
    terminal or a JavaScript parser would act on (DEL, C1, U+2028/9, bidi controls, unpaired
    surrogates) written as ``\uXXXX`` escapes: the same values, inert on screen.

    Examples
    --------
    >>> json_text('"a\x9bb"')
    '"a\\u009bb"'
    """
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
