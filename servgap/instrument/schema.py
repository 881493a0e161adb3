"""JSON Schemas of the config formats, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from servgap.instrument.models import FactorSetFile, InstrumentConfig

#: schema kind → (model, committed file name in configs/)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "config": (InstrumentConfig, "servgap.schema.json"),
    "factors": (FactorSetFile, "servgap-factors.schema.json"),
}


def config_schema(kind: str = "config") -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an instrument config or of a factor-set file."""
    model, _ = SCHEMAS[kind]
    schema = model.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def config_schema_text(kind: str = "config") -> str:
    """The schema as the committed file holds it: sorted keys, two-space indent, final newline."""
    return json.dumps(config_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
