"""The JSON contract of an assessment (documented in docs/json-output.md): `Assessment.to_dict()`.

The one place that decides the contract's fields; `servgap analyze -f json` only serialises it."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from servgap.instrument.models import pick
from servgap.results.notes import note_text
from servgap.version import __version__

if TYPE_CHECKING:
    from servgap.results.model import Assessment, Note

SCHEMA_VERSION = "2.0"


def json_safe(value: Any) -> Any:
    """Replace NaN and infinities by None, recursively, so the JSON never holds NaN."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def _note(note: Note, language: str) -> dict[str, Any]:
    return {"code": note.code, "text": note_text(note, language), "values": dict(note.values)}


def assessment_dict(assessment: Assessment, language: str) -> dict[str, Any]:
    """The JSON payload as a dict (full precision; None where a statistic is undefined)."""
    fallbacks = assessment.languages
    quality = assessment.data_quality
    payload: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"servgap {__version__}",
        "gap_definition": "gap = P - E; negative = shortfall",
        "instrument": {
            "id": assessment.instrument_id,
            "name": pick(assessment.instrument_name, language, fallbacks),
            "scale": {"min": assessment.scale[0], "max": assessment.scale[1]},
            "facets": assessment.facets,
        },
        "options": {
            "confidence": assessment.confidence,
            "test": assessment.test,
            "correction": assessment.correction,
            "wilcoxon_method": assessment.wilcoxon_method,
            "language": language,
        },
        "sample": {"rows": quality.rows_read, "used": quality.rows_used},
        "overall": asdict(assessment.overall),
        "dimensions": [],
        "items": [],
        "segment_measure": assessment.segment_measure,
        "shortfalls": list(assessment.shortfalls),
        "segments": [asdict(segment) for segment in assessment.segments],
        "data_quality": {
            "file": quality.file,
            "files": [asdict(file) for file in quality.files],
            "format": quality.file_format,
            "source": {"platform": quality.platform, "header_rows": quality.header_rows,
                       "detected": quality.platform_detected},
            "encoding": quality.encoding,
            "delimiter": quality.delimiter,
            "rows_read": quality.rows_read,
            "rows_used": quality.rows_used,
            "respondent_ids_from_rows": quality.ids_from_rows,
            "missing_cells": quality.missing_cells,
            "invalid_treated_as_missing": [asdict(note) for note in quality.invalid_as_missing],
            "straight_liners": quality.straight_liners,
            "left_out": {d.id: asdict(d.left_out) for d in assessment.dimensions},
            "notes": [_note(note, language) for note in quality.notes],
        },
    }
    for dimension in assessment.dimensions:
        entry = asdict(dimension)
        entry["name"] = pick(dimension.name, language, fallbacks)
        entry["gap_ci"] = list(dimension.gap_ci)
        entry["alpha_detail"] = entry.pop("alpha")
        entry["alpha"] = {facet: detail.alpha for facet, detail in dimension.alpha.items()}
        payload["dimensions"].append(entry)
    for item in assessment.items:
        entry = asdict(item)
        entry["text"] = pick(item.text, language, fallbacks)
        entry["gap_ci"] = list(item.gap_ci)
        payload["items"].append(entry)
    if assessment.tolerance is not None:
        payload["tolerance"] = {
            "items": [{**asdict(row), "dimension": item.dimension, "msa_ci": list(row.msa_ci),
                       "mss_ci": list(row.mss_ci)}
                      for row, item in zip(assessment.tolerance.items, assessment.items, strict=True)],
            "dimensions": [{**asdict(row), "msa_ci": list(row.msa_ci), "mss_ci": list(row.mss_ci)}
                           for row in assessment.tolerance.dimensions],
        }
    if assessment.ipa is not None:
        payload["ipa"] = asdict(assessment.ipa)
    if assessment.segment_tests:
        payload["segment_tests"] = [asdict(test) for test in assessment.segment_tests]
    if assessment.bootstrap is not None:
        result = assessment.bootstrap
        payload["bootstrap"] = {
            "method": "percentile", "measure": result.measure, "estimates": result.estimates,
            "overall_estimate": result.overall_estimate, "resamples": result.resamples, "seed": result.seed,
            "confidence": result.confidence, "overall": list(result.overall),
            "dimensions": {key: list(value) for key, value in result.dimensions.items()},
            "top": result.top, "rank_stability": result.rank_stability,
        }
    if assessment.management is not None:
        payload["management"] = _management(assessment, language)
    if assessment.checklist is not None:
        payload["checklist"] = [_checklist_entry(entry, language, fallbacks) for entry in assessment.checklist.entries]
        payload["checklist_method"] = assessment.checklist.method
        payload["strengths"] = assessment.checklist.strengths
        payload["checklist_notes"] = [_note(note, language) for note in assessment.checklist.notes]
    return json_safe(payload)


def _management(assessment: Assessment, language: str) -> dict[str, Any]:
    management = assessment.management
    assert management is not None
    fallbacks = assessment.languages
    gaps = []
    for gap in management.gaps:
        entry = asdict(gap)
        entry["name"] = pick(gap.name, language, fallbacks)
        entry["factors"] = [{**asdict(factor), "name": pick(factor.name, language, fallbacks)}
                            for factor in gap.factors]
        gaps.append(entry)
    gap5 = {
        "gap": 5, "key": "customer", "name": "Customer gap" if language != "zh" else "顾客差距", "measured": True,
        "needs": [], "value": assessment.overall.gap,
        "dimensions": [{"id": d.id, "value": d.gap} for d in assessment.dimensions],
    }
    comparison = None
    if management.priority_comparison is not None:
        comparison = asdict(management.priority_comparison)
        comparison["rows"] = [{**asdict(row), "name": pick(row.name, language, fallbacks)}
                              for row in management.priority_comparison.rows]
    return {
        "gaps": gaps,
        "customer_gap": gap5,
        "priority_comparison": comparison,
        "standards_coverage": management.standards_coverage,
        "uncovered_items": management.uncovered_items,
        "respondents": management.respondents,
    }


def _checklist_entry(entry: Any, language: str, fallbacks: list[str]) -> dict[str, Any]:
    data = asdict(entry)
    data["title"] = pick(entry.title, language, fallbacks)
    data["actions"] = [pick(action, language, fallbacks) for action in entry.actions]
    data["causes"] = [pick(cause, language, fallbacks) for cause in entry.causes]
    data["gap_ci"] = list(entry.gap_ci) if entry.gap_ci else None
    return data
