"""The ranked improvement checklist (docs/method.md §4): what to fix first, and why."""

from __future__ import annotations

import math

import numpy as np

from servgap.analysis.importance import item_importance, priorities
from servgap.analysis.management import gap_name
from servgap.instrument.models import InstrumentConfig
from servgap.results import Assessment, Checklist, ChecklistEntry, ItemResult, ManagementResult, Note

RISK_THRESHOLD = 0.5
CAUSES_NAMED = 2


def ranking_method(config: InstrumentConfig, assessment: Assessment) -> tuple[str, list[Note]]:
    """The ranking the checklist uses — the configured ``analysis.priority`` unless the data cannot
    support it — with a note for each fallback. The bootstrap's rank stability follows the same one."""
    method = config.analysis.priority.value
    notes: list[Note] = []
    has_gap = any(math.isfinite(item.gap) for item in assessment.items)
    if method == "zone_first" and not assessment.tolerance:
        notes.append(Note("zone_first_unavailable"))
        method = "importance_gap"
    if method == "ipa" and not assessment.ipa:
        notes.append(Note("ipa_unavailable"))
        method = "importance_gap"
    if assessment.overall.weighting == "none" and assessment.overall.weighting_excluded:
        notes.append(Note("no_usable_points"))
    if method != "zone_first" and not has_gap and assessment.tolerance:
        notes.append(Note("ranked_by_zone"))
        method = "zone_first"
    return method, notes


def build_checklist(config: InstrumentConfig, assessment: Assessment,
                    management: ManagementResult | None) -> Checklist:
    """Items with a shortfall ranked by priority (ties: smaller adjusted p), then management gaps.

    Items with no shortfall are listed as strengths. With ``zone_first`` (three-column data), items
    below the zone of tolerance come first by MSA, then items within it by MSS; items above it are
    strengths. With ``ipa``, items in the "concentrate here" quadrant come first. A management gap
    enters when it was measured with a shortfall (negative value) or its risk index is at least 0.5;
    these entries are ordered by the size of the shortfall, then by risk, and name the riskiest
    factors as likely causes.
    """
    method, notes = ranking_method(config, assessment)
    tolerance = {row.id: row for row in assessment.tolerance.items} if assessment.tolerance else {}
    quadrants = {row.id: row.quadrant for row in assessment.ipa.items} if assessment.ipa else {}
    importance = item_importance(assessment)
    # Every item's priority at once, under the method the checklist ranks by (zone and IPA rankings
    # use importance × shortfall within their tiers).
    item_priority = priorities("gap" if method == "gap" else "importance_gap", importance,
                               np.array([item.gap for item in assessment.items]))
    dimensions = {d.id: d for d in config.dimensions}
    items = {item.id: item for _, item in config.items()}
    candidates: list[tuple[tuple[float, ...], ItemResult, float, float]] = []
    strengths = []
    for position, result in enumerate(assessment.items):
        p_sort = result.p_adjusted if math.isfinite(result.p_adjusted) else math.inf
        if method == "zone_first":
            row = tolerance.get(result.id)
            if row is None or row.zone is None:
                continue
            if row.zone == "above" or (row.zone == "within" and row.mss >= 0):
                strengths.append(result.id)
                continue
            tier = 0 if row.zone == "below" else 1
            shortfall = -row.msa if tier == 0 else -row.mss
            candidates.append(((tier, -shortfall, position), result, float(importance[position]), shortfall))
            continue
        if not math.isfinite(result.gap):
            continue
        if result.gap >= 0:
            strengths.append(result.id)
            continue
        priority = float(item_priority[position])
        tier = 0 if method != "ipa" or quadrants.get(result.id) == "concentrate_here" else 1
        # Priorities equal but for the last bits of floating point (block-wise means) are ties.
        candidates.append(((tier, -round(priority, 10), p_sort, position), result, float(importance[position]),
                           priority))
    candidates.sort(key=lambda entry: entry[0])
    entries: list[ChecklistEntry] = []
    for _, result, weight, priority in candidates:
        item = items[result.id]
        dimension = dimensions[result.dimension]
        row = tolerance.get(result.id)
        entries.append(ChecklistEntry(
            rank=len(entries) + 1, kind="item", ref=result.id, dimension=result.dimension, title=item.text,
            priority=priority, gap=result.gap, expectation=result.expectation, perception=result.perception,
            gap_ci=result.gap_ci, p_adjusted=result.p_adjusted, importance=weight, risk=None,
            actions=[*item.actions, *dimension.actions], causes=[],
            zone=row.zone if row else None, msa=row.msa if row else None, mss=row.mss if row else None,
            quadrant=quadrants.get(result.id),
        ))

    if management is not None:
        chosen = [gap for gap in management.gaps
                  if (gap.value is not None and gap.value < 0) or (gap.risk is not None and gap.risk >= RISK_THRESHOLD)]
        chosen.sort(key=lambda gap: (gap.value if gap.value is not None and gap.value < 0 else 0.0,
                                     -(gap.risk if gap.risk is not None else -1.0), gap.gap))
        for gap in chosen:
            weakest = sorted((f for f in gap.factors if math.isfinite(f.risk)), key=lambda f: -f.risk)[:CAUSES_NAMED]
            entries.append(ChecklistEntry(
                rank=len(entries) + 1, kind="management_gap", ref=f"gap{gap.gap}", dimension=None,
                title=gap_name(gap.gap), priority=None, gap=gap.value, expectation=None, perception=None,
                gap_ci=None, p_adjusted=None, importance=None, risk=gap.risk,
                actions=list(config.management.checklists.get(gap.gap, [])), causes=[f.name for f in weakest],
            ))
    notes += quadrant_notes(entries, method)
    return Checklist(method=method, entries=entries, strengths=strengths, notes=notes)


#: Checklist places for which a disagreement with the IPA quadrant is explained.
EXPLAINED_PLACES = 5


def quadrant_notes(entries: list[ChecklistEntry], method: str) -> list[Note]:
    """One line per leading item whose IPA quadrant seems to contradict its place in the checklist.

    The ranking weighs the size of each shortfall by its dimension's importance; the quadrant only
    compares an item's importance and performance with the crosshair (their means or the scale
    midpoint). A large shortfall can therefore rank high while the item sits in "low priority".
    """
    if method == "ipa":
        return []
    notes = []
    for quadrant in ("low_priority", "possible_overkill"):
        refs = [entry.ref for entry in entries[:EXPLAINED_PLACES]
                if entry.kind == "item" and entry.quadrant == quadrant]
        if refs:
            notes.append(Note("quadrant_disagrees", {"items": refs, "quadrant": quadrant, "places": EXPLAINED_PLACES}))
    return notes
