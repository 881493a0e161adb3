"""Checks of analysis option values, the same from the command line and the Python API; each failure
says what is allowed (a :class:`UserError` with exit code 2)."""

from __future__ import annotations

import codecs
import math

from servgap.errors import ExitCode, UserError
from servgap.instrument.models import PLATFORM_NAMES

#: The most bootstrap resamples servgap draws (10,000 already gives stable 95% percentile intervals).
MAX_BOOTSTRAP = 100_000
#: The most items or checklist entries --top lists.
MAX_TOP = 1_000
#: The most groups one --by column may have: more is an id or free-text column, not a segment.
MAX_SEGMENT_VALUES = 200

_DELIMITER_NAMES = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}


def check_standard_input(**paths: object) -> None:
    """Refuse ``-`` (standard input) for more than one input of a run: it can be read only once."""
    named = [name for name, path in paths.items() if path is not None and str(path) == "-"]
    if len(named) > 1:
        raise UserError(f"{' and '.join(named)} both read standard input (-); only one input can come from a pipe, "
                        "name the others as files", ExitCode.USAGE)


def check_report_options(*, confidence: float | None = None, delimiter: str | None = None,
                         encoding: str | None = None, top: int | None = None, bootstrap: int | None = None,
                         by: list[str] | None = None, source: str | None = None) -> str | None:
    """Refuse option values outside what servgap allows; return the delimiter as one character."""
    if source is not None and source != "auto" and source not in PLATFORM_NAMES:
        raise UserError(f"--source {source}: give auto or one of {', '.join(PLATFORM_NAMES)}", ExitCode.USAGE)
    if confidence is not None and not (math.isfinite(confidence) and 0.5 < confidence < 1):
        raise UserError(f"--confidence {confidence}: give a level between 0.5 and 1 (exclusive), e.g. 0.95",
                        ExitCode.USAGE)
    if top is not None and not 1 <= top <= MAX_TOP:
        raise UserError(f"--top {top}: give a number from 1 to {MAX_TOP}", ExitCode.USAGE)
    if bootstrap is not None and not (bootstrap == -1 or 0 <= bootstrap <= MAX_BOOTSTRAP):
        raise UserError(f"--bootstrap {bootstrap}: give 0 (off), -1 (a default that suits the sample size) or a "
                        f"number of resamples up to {MAX_BOOTSTRAP:,}", ExitCode.USAGE)
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except (LookupError, ValueError):
            info = None
        if info is None or not getattr(info, "_is_text_encoding", True):
            raise UserError(f"--encoding {encoding}: not a text encoding Python knows; use e.g. "
                            "utf-8, utf-16, gb18030, gbk, cp949 or cp1252", ExitCode.USAGE)
    for column in by or []:
        if not column.strip():
            raise UserError("--by '': name a column (its header text)", ExitCode.USAGE)
    if delimiter is None:
        return None
    chosen = _DELIMITER_NAMES.get(delimiter.lower(), delimiter)
    if len(chosen) != 1 or chosen in "\r\n\"'" or chosen.isalnum() or chosen in ".-+":
        raise UserError(f"--delimiter {delimiter!r}: give one separator character that cannot "
                        "be part of a number or a quoted text, e.g. ',' ';' '|' or tab", ExitCode.USAGE)
    return chosen
