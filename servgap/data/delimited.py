"""What the start of a delimited text export says: its delimiter and its header row (no pandas here,
so that the fast reader and the table reader share the rule)."""

from __future__ import annotations

import csv
import io


def sniff_delimiter(sample: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the first lines most consistently.

    >>> sniff_delimiter("a;b;c\\n1;2;3\\n"), sniff_delimiter("a,b\\n1,2\\n"), sniff_delimiter("a\\tb\\n1\\t2\\n")
    (';', ',', '\\t')
    """
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


def header_cells(text: str, delimiter: str) -> list[str] | None:
    """The header row of CSV ``text`` (its first record), each cell stripped; None when there is none.

    >>> header_cells(' id ,"E q1",P_q1 \\n1,2,3\\n', ",")
    ['id', 'E q1', 'P_q1']
    """
    try:
        row = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error):
        return None
    return [cell.strip() for cell in row]
