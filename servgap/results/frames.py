"""An assessment as pandas DataFrames, for notebooks: ``Assessment.frames()``.

The frames are built from the JSON contract (:mod:`servgap.results.contract`), so a column means
exactly what the same field means in ``servgap analyze -f json``; intervals ``[low, high]`` become
two columns ``*_low`` and ``*_high``, nested objects become dotted columns (``alpha.gap``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from servgap.results.contract import assessment_dict

if TYPE_CHECKING:
    from servgap.results.model import Assessment

#: The tables ``frames()`` returns, always all of them (empty where the study has no such data).
FRAME_NAMES = ("items", "dimensions", "segments", "segment_tests", "zone", "ipa", "management", "checklist")


def _table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a frame: dotted columns for nested objects, two columns for each 2-element interval."""
    flat = []
    for record in records:
        row: dict[str, Any] = {}
        for key, value in record.items():
            if isinstance(value, list) and len(value) == 2 and key.endswith(("_ci", "overall", "interval")):
                row[f"{key}_low"], row[f"{key}_high"] = value
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                continue  # nested tables (a gap's items) have frames of their own
            else:
                row[key] = value
        flat.append(row)
    frame = pd.json_normalize(flat, sep=".") if flat else pd.DataFrame()
    return frame.astype({column: float for column in frame.columns if frame[column].isna().all()})


def assessment_frames(assessment: Assessment, language: str) -> dict[str, pd.DataFrame]:
    """See :meth:`servgap.results.Assessment.frames`."""
    payload = assessment_dict(assessment, language)
    frames = {name: pd.DataFrame() for name in FRAME_NAMES}
    frames["items"] = _table(payload["items"])
    dimensions = [{key: value for key, value in entry.items() if key != "alpha_detail"}
                  for entry in payload["dimensions"]]
    frames["dimensions"] = _table(dimensions)
    frames["segments"] = _table([
        {"column": segment["column"], "value": segment["value"], "n": segment["n"], "small": segment["small"],
         "gap": segment["gap"], **{f"{dimension}.gap": detail["gap"] for dimension, detail in
                                   segment["dimensions"].items()},
         **{f"{dimension}.n": detail["n"] for dimension, detail in segment["dimensions"].items()}}
        for segment in payload["segments"]])
    frames["segment_tests"] = _table(payload.get("segment_tests", []))
    if "tolerance" in payload:
        frames["zone"] = _table([{"level": "dimension", **row} for row in payload["tolerance"]["dimensions"]]
                                + [{"level": "item", **row} for row in payload["tolerance"]["items"]])
    if "ipa" in payload:
        ipa = payload["ipa"]
        frames["ipa"] = _table([{**item, "importance_source": ipa["importance_source"],
                                 "crosshair": ipa["crosshair"]} for item in ipa["items"]])
    if "management" in payload:
        rows = [{"gap": gap["gap"], "key": gap["key"], "name": gap["name"], "level": "item", **item}
                for gap in payload["management"]["gaps"] for item in gap["items"]]
        rows += [{"gap": gap["gap"], "key": gap["key"], "name": gap["name"], "level": "dimension", **dimension}
                 for gap in payload["management"]["gaps"] for dimension in gap["dimensions"]]
        frames["management"] = _table(rows)
    if "checklist" in payload:
        frames["checklist"] = _table([{**entry, "actions": "; ".join(entry["actions"]),
                                       "causes": "; ".join(entry["causes"])} for entry in payload["checklist"]])
    return frames
