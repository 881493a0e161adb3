"""`servgap analyze --format json`: the JSON contract of `servgap.results.contract`, serialised."""

from __future__ import annotations

import json

from servgap.render.inert import json_text
from servgap.results import Assessment
from servgap.results.contract import assessment_dict


def render_json(assessment: Assessment, language: str) -> str:
    """The assessment as JSON text (UTF-8, indented; controls a terminal would act on escaped)."""
    return json_text(json.dumps(assessment_dict(assessment, language), ensure_ascii=False, indent=2,
                                allow_nan=False) + "\n")
