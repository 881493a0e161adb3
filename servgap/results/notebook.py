"""The summary a Jupyter notebook shows for an assessment (``Assessment._repr_html_``)."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from servgap.instrument.models import pick

if TYPE_CHECKING:
    from servgap.results.model import Assessment


def _number(value: float | None, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:+.2f}".replace("-", "−") if signed else f"{value:.2f}"


def summary_html(assessment: Assessment, checklist_rows: int = 5) -> str:
    """An HTML fragment: title, the overall gap, one row per dimension, the first checklist entries.
    Every text from the config or data is escaped."""
    language = assessment.languages[0]
    fallbacks = assessment.languages

    def text(value: object) -> str:
        return html.escape(str(value), quote=True)

    quality = assessment.data_quality
    rows = "".join(
        f"<tr><td>{text(pick(d.name, language, fallbacks))}</td><td>{d.n}</td><td>{_number(d.expectation)}</td>"
        f"<td>{_number(d.perception)}</td><td><b>{_number(d.gap, signed=True)}</b></td>"
        f"<td>{_number(d.gap_ci[0], signed=True)}, {_number(d.gap_ci[1], signed=True)}</td>"
        f"<td>{'yes' if d.significant else 'no'}</td></tr>"
        for d in assessment.dimensions)
    parts = [
        f"<div class='servgap-assessment'><h4>{text(pick(assessment.instrument_name, language, fallbacks))}</h4>",
        f"<p>{text(quality.file)}: {quality.rows_used:,} of {quality.rows_read:,} respondents used. "
        f"Overall gap (P − E) <b>{_number(assessment.overall.gap, signed=True)}</b>; negative = shortfall.</p>",
        "<table><thead><tr><th>Dimension</th><th>n</th><th>E</th><th>P</th><th>Gap</th>"
        f"<th>{assessment.confidence:.0%} CI</th><th>Significant</th></tr></thead><tbody>{rows}</tbody></table>",
    ]
    if assessment.checklist is not None and assessment.checklist.entries:
        entries = "".join(f"<li>{text(pick(entry.title, language, fallbacks))} "
                          f"(gap {_number(entry.gap, signed=True)})</li>"
                          for entry in assessment.checklist.entries[:checklist_rows])
        parts.append(f"<p>Improvement checklist, first {min(checklist_rows, len(assessment.checklist.entries))}:"
                     f"</p><ol>{entries}</ol>")
    parts.append("<p><small>a.frames() for every table; a.to_dict() for the JSON contract.</small></p></div>")
    return "".join(parts)
