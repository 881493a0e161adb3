"""The JSON Schema of the config format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from servgap.core.config import InstrumentConfig


def config_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :class:`InstrumentConfig`, for editors and other validators."""
    schema = InstrumentConfig.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def config_schema_text() -> str:
    """The schema as the committed file holds it: sorted keys, two-space indent, final newline."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
