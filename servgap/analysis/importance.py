"""Importance: the one place an item's weight in the checklist, the bootstrap and the IPA comes from.

An item's importance is its dimension's normalised weight: the fixed weights of the config or the
mean of the respondents' importance points, whichever the analysis used, else equal weights
(docs/method.md §4).
"""

from __future__ import annotations

import numpy as np

from servgap.results import Assessment
from servgap.stats.moments import FloatArray


def dimension_importance(assessment: Assessment) -> dict[str, float]:
    """Each dimension's normalised importance: the weights the weighted score used, else 1/D.

    Examples
    --------
    >>> from types import SimpleNamespace as Fake
    >>> weighted = Fake(overall=Fake(weighting="per_respondent", weights={"TAN": 0.2833, "REL": 0.7167}),
    ...                 dimensions=[Fake(id="TAN"), Fake(id="REL")])
    >>> dimension_importance(weighted)
    {'TAN': 0.2833, 'REL': 0.7167}
    >>> unweighted = Fake(overall=Fake(weighting="none", weights={}), dimensions=weighted.dimensions)
    >>> dimension_importance(unweighted)
    {'TAN': 0.5, 'REL': 0.5}
    """
    equal = 1 / len(assessment.dimensions)
    weights = assessment.overall.weights if assessment.overall.weighting != "none" else {}
    return {d.id: float(weights.get(d.id, equal)) for d in assessment.dimensions}


def item_importance(assessment: Assessment) -> FloatArray:
    """The importance of every item (its dimension's), in the assessment's item order."""
    by_dimension = dimension_importance(assessment)
    return np.array([by_dimension[item.dimension] for item in assessment.items])


def priorities(method: str, importance: FloatArray, gaps: FloatArray) -> FloatArray:
    r"""Item priorities of a shortfall, elementwise (any array shape; NaN gaps count as no shortfall).

    ``importance_gap`` (default): :math:`w_d \cdot \max(0, -\bar G_i)`, with :math:`w_d` the item's
    dimension importance; ``gap``: :math:`\max(0, -\bar G_i)`. References: docs/method.md §4;
    Parasuraman, Zeithaml and Berry (1988) for importance weighting.

    Examples
    --------
    Item R1 of the worked fixture (gap −1.5, REL weighted 0.7167): 1.075; a surplus is no action.

    >>> import numpy as np
    >>> priorities("importance_gap", np.array([0.7167, 0.5]), np.array([-1.5, 0.25])).round(3).tolist()
    [1.075, 0.0]
    >>> priorities("gap", np.array([0.7167]), np.array([-1.5])).tolist()
    [1.5]
    """
    shortfall = np.maximum(0.0, -np.nan_to_num(np.asarray(gaps, dtype=float), nan=0.0))
    return shortfall if method == "gap" else np.asarray(importance) * shortfall
