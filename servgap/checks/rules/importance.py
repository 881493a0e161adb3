"""SG205, 206, 212: fixed importance weights — points out of 100, one per dimension."""

from __future__ import annotations

import math
from collections.abc import Iterator

from servgap.checks.rules.common import BASE, EMPTY_DIMENSION, Context
from servgap.findings import Example, Finding, Rule, Severity

E = Severity.ERROR

NEGATIVE_WEIGHT = Rule(
    "SG205", "negative-weight", E,
    "An importance weight is negative.",
    "Importance weights are points out of 100; use zero or a positive number.",
    examples=(Example(BASE + "importance:\n  weights:\n    speed: -5\n", 25, 12),
              Example(BASE + "importance:\n  weights:\n    speed: 100\n")))
WEIGHT_TOTAL = Rule(
    "SG206", "weight-total", E,
    "Fixed importance weights do not total 100 points.",
    "Adjust the weights so they add up to exactly 100.",
    examples=(Example(BASE + "importance:\n  weights:\n    speed: 90\n", 24, 3),
              Example(BASE + "importance:\n  weights:\n    speed: 100\n")))
WEIGHT_MISSING = Rule(
    "SG212", "weight-missing", E,
    "Fixed importance weights leave out a dimension.",
    "Give every dimension a weight (zero is allowed) so the weights are an explicit 100-point split.",
    examples=(Example(BASE + EMPTY_DIMENSION + "importance:\n  weights:\n    speed: 100\n", 28, 3),
              Example(BASE + "importance:\n  weights:\n    speed: 100\n")))


def weights(context: Context) -> Iterator[Finding]:
    """SG205, SG212, SG206: no negative weight, every dimension weighted, a total of 100."""
    fixed = context.config.importance.weights
    if fixed is None:
        return
    base = ("importance", "weights")
    for dimension_id, points in fixed.items():
        if points < 0 or not math.isfinite(points):
            yield context.at(NEGATIVE_WEIGHT, (*base, dimension_id), f"weight of '{dimension_id}' is {points:g}; "
                             "weights are points out of 100, zero or positive")
    for dimension_id in context.dimension_ids:
        if dimension_id not in fixed:
            yield context.at(WEIGHT_MISSING, base, f"dimension '{dimension_id}' has no weight; give every "
                             "dimension a weight (0 is allowed)", key=True)
    total = sum(fixed.values())
    if math.isfinite(total) and abs(total - 100) > 1e-9:
        yield context.at(WEIGHT_TOTAL, base, f"weights total {total:g} points; they must total 100", key=True)


RULES = (NEGATIVE_WEIGHT, WEIGHT_TOTAL, WEIGHT_MISSING)
CHECKS = (weights,)
