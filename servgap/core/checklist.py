"""The ranked improvement checklist (docs/METHOD.md A4): what to fix first, and why."""

from __future__ import annotations

import math

from servgap.core.config import InstrumentConfig
from servgap.core.management import gap_name
from servgap.core.results import Assessment, Checklist, ChecklistEntry, ManagementResult

RISK_THRESHOLD = 0.5
CAUSES_NAMED = 2


def item_priority(method: str, importance: float, gap: float) -> float:
    r"""Priority of an item's shortfall.

    ``importance_gap`` (default): :math:`w_d \cdot \max(0, -\bar G_i)`, with :math:`w_d` the
    dimension's normalised importance (equal weights when none are given); ``gap``:
    :math:`\max(0, -\bar G_i)`.

    References
    ----------
    docs/METHOD.md A4; Parasuraman, Zeithaml and Berry (1988) for importance weighting.
    """
    shortfall = max(0.0, -gap)
    return shortfall if method == "gap" else importance * shortfall


def build_checklist(config: InstrumentConfig, assessment: Assessment,
                    management: ManagementResult | None) -> Checklist:
    """Items with a shortfall ranked by priority (ties: smaller adjusted p), then management gaps.

    Items with no shortfall are listed as strengths. A management gap enters when it was measured
    with a shortfall (negative value) or its risk index is at least 0.5; these entries are ordered
    by the size of the shortfall, then by risk, and name the riskiest factors as likely causes.
    """
    method = config.analysis.priority.value
    notes = []
    if method == "zone_first":
        notes.append("zone_first needs adequate and desired ratings; items are ranked by importance × shortfall")
        method = "importance_gap"
    weights = assessment.overall.weights
    equal = 1 / len(assessment.dimensions)
    dimensions = {d.id: d for d in config.dimensions}
    items = {item.id: item for _, item in config.items()}
    candidates = []
    strengths = []
    for position, result in enumerate(assessment.items):
        if not math.isfinite(result.gap):
            continue
        if result.gap >= 0:
            strengths.append(result.id)
            continue
        importance = weights.get(result.dimension, equal) if assessment.overall.weighting != "none" else equal
        priority = item_priority(method, importance, result.gap)
        p_sort = result.p_adjusted if math.isfinite(result.p_adjusted) else math.inf
        candidates.append((-priority, p_sort, position, result, importance, priority))
    candidates.sort(key=lambda entry: entry[:3])
    entries: list[ChecklistEntry] = []
    for _, _, _, result, importance, priority in candidates:
        item = items[result.id]
        dimension = dimensions[result.dimension]
        entries.append(ChecklistEntry(
            rank=len(entries) + 1, kind="item", ref=result.id, dimension=result.dimension, title=item.text,
            priority=priority, gap=result.gap, expectation=result.expectation, perception=result.perception,
            gap_ci=result.gap_ci, p_adjusted=result.p_adjusted, importance=importance, risk=None,
            actions=[*item.actions, *dimension.actions], causes=[],
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
    return Checklist(method=method, entries=entries, strengths=strengths, notes=notes)
