"""Importance–performance analysis (Martilla and James 1977): which items to concentrate on.

Importance comes, in order of preference, from stated importance ratings (``I_{item}`` columns),
the 100-point dimension weights, or derived importance: Pearson's r between the item's perception
and an overall-quality rating. Performance is the item's mean perception. Items fall in four
quadrants around the crosshair (grand means by default, or the scale midpoint):

====================  ==================  =================
                      performance low     performance high
importance high       concentrate here    keep up the good work
importance low        low priority        possible overkill
====================  ==================  =================

References
----------
Martilla, J. A. and James, J. C. (1977), Journal of Marketing 41(1), 77–79.
"""

from __future__ import annotations

import numpy as np

from servgap.analysis.importance import item_importance
from servgap.data.responses import Responses
from servgap.instrument.models import Facet, InstrumentConfig
from servgap.results import Assessment, Ipa, IpaItem

QUADRANTS = ("concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill")


def quadrant(importance: float, performance: float, importance_cross: float, performance_cross: float) -> str | None:
    """The importance–performance quadrant of a point (Martilla and James 1977, Journal of Marketing
    41(1), 77–79): high importance and low performance is "concentrate here". A value on the
    crosshair counts as high.

    Examples
    --------
    >>> quadrant(6.5, 4.0, 6.0, 5.0), quadrant(6.0, 5.0, 6.0, 5.0), quadrant(5.0, 4.0, 6.0, 5.0)
    ('concentrate_here', 'keep_up_the_good_work', 'low_priority')
    """
    if not (np.isfinite(importance) and np.isfinite(performance)):
        return None
    high_importance = importance >= importance_cross
    high_performance = performance >= performance_cross
    if high_importance:
        return "keep_up_the_good_work" if high_performance else "concentrate_here"
    return "possible_overkill" if high_performance else "low_priority"


def importance_performance(config: InstrumentConfig, assessment: Assessment, responses: Responses) -> Ipa | None:
    """The IPA of an assessment, or None when the study has no source of importance."""
    dimension_of = {item.id: d.id for d, item in config.items()}
    ids = [item.id for _, item in config.items()]
    if responses.item_importance is not None:
        source = "stated"
        with np.errstate(invalid="ignore", divide="ignore"):
            present = ~np.isnan(responses.item_importance)
            importance = np.where(present, responses.item_importance, 0).sum(axis=0) / present.sum(axis=0)
    elif assessment.overall.weighting != "none" and assessment.overall.weights:
        source = "dimension_weights"
        importance = item_importance(assessment)
    elif responses.overall_quality is not None:
        from scipy import stats  # only for derived importance: scipy.stats is slow to import

        source = "derived"
        perception = responses.matrix(Facet.PERCEPTION)
        importance = np.full(len(ids), np.nan)
        for position in range(len(ids)):
            paired = ~np.isnan(perception[:, position]) & ~np.isnan(responses.overall_quality)
            if paired.sum() >= 3 and perception[paired, position].std() > 0 and \
                    responses.overall_quality[paired].std() > 0:
                importance[position] = stats.pearsonr(perception[paired, position],
                                                      responses.overall_quality[paired]).statistic
    else:
        return None
    performance = np.array([item.perception_only for item in assessment.items])
    low, high = assessment.scale
    crosshair = config.analysis.ipa_crosshair
    if crosshair == "midpoint":
        performance_cross = (low + high) / 2
        importance_cross = (low + high) / 2 if source == "stated" else float(np.nanmean(importance))
    else:
        performance_cross = float(np.nanmean(performance))
        importance_cross = float(np.nanmean(importance))
    items = [IpaItem(id=item_id, dimension=dimension_of[item_id], importance=float(importance[position]),
                     performance=float(performance[position]),
                     quadrant=quadrant(importance[position], performance[position], importance_cross,
                                       performance_cross))
             for position, item_id in enumerate(ids)]
    return Ipa(importance_source=source, crosshair=crosshair, importance_cross=importance_cross,
               performance_cross=performance_cross, items=items)
