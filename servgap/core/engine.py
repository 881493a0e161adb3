"""The customer-gap engine (gap 5): item, dimension and overall gaps with their statistics.

Everything is computed at the respondent level first and then aggregated, over whole numpy
arrays (respondents × items); no Python loop runs over respondents. Definitions: docs/METHOD.md
Part A, sections A1 and A5.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from servgap.core.config import Facet, InstrumentConfig
from servgap.core.responses import Responses
from servgap.core.results import (
    Alpha,
    Assessment,
    CellNote,
    DataQuality,
    DimensionResult,
    ItemResult,
    LeftOut,
    Overall,
    SegmentDimension,
    SegmentResult,
)
from servgap.core.stats import FloatArray, adjust, cronbach_alpha, mean_test, wilcoxon_p

FACET_KEYS = ("expectation", "perception", "gap")


@dataclass(frozen=True)
class AnalysisOptions:
    """Command-line overrides of the config's analysis options (None keeps the config's)."""

    confidence: float | None = None
    test: str | None = None
    correction: str | None = None
    segment_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class DimensionScores:
    """Respondent dimension scores (respondents × dimensions, NaN where a respondent is left out)."""

    expectation: FloatArray
    perception: FloatArray
    gap: FloatArray
    perception_only: FloatArray
    answered: np.ndarray  # item pairs answered, respondents × dimensions
    required: list[int]


def _masked_mean(values: FloatArray, mask: np.ndarray) -> FloatArray:
    """Row means of ``values`` over ``mask`` (NaN where the mask is empty)."""
    counts = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mask, values, 0.0).sum(axis=1) / np.where(counts > 0, counts, np.nan)


def _column_mean(values: FloatArray) -> FloatArray:
    present = ~np.isnan(values)
    counts = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(present, values, 0.0).sum(axis=0) / np.where(counts > 0, counts, np.nan)


def required_items(item_count: int, ratio: float) -> int:
    """Items a respondent must answer on both facets for a dimension score: ⌈ratio · k⌉, at least 1."""
    return max(1, math.ceil(ratio * item_count - 1e-12))


def dimension_scores(
    expectation: FloatArray, perception: FloatArray, groups: list[np.ndarray], ratio: float
) -> DimensionScores:
    r"""Respondent dimension scores (docs/METHOD.md A1).

    For respondent r and dimension d, over the items of d with both E and P present:

    .. math:: E_{rd} = \overline{E_{ri}}, \quad P_{rd} = \overline{P_{ri}}, \quad G_{rd} = P_{rd} - E_{rd}

    defined only when at least ⌈ratio·k_d⌉ items have both (otherwise the respondent is left out of
    d). The perception-only (SERVPERF) score averages every answered P item under the same rule.

    References
    ----------
    Parasuraman, Zeithaml and Berry (1988), Journal of Retailing 64(1); Cronin and Taylor (1992),
    Journal of Marketing 56(3) for the perception-only score.
    """
    respondents = expectation.shape[0]
    shape = (respondents, len(groups))
    scores = {name: np.full(shape, np.nan) for name in ("e", "p", "g", "servperf")}
    answered = np.zeros(shape, dtype=np.int64)
    required = []
    for position, columns in enumerate(groups):
        e_items, p_items = expectation[:, columns], perception[:, columns]
        paired = ~np.isnan(e_items) & ~np.isnan(p_items)
        count = paired.sum(axis=1)
        need = required_items(len(columns), ratio)
        required.append(need)
        scored = count >= need
        answered[:, position] = count
        scores["e"][:, position] = np.where(scored, _masked_mean(e_items, paired), np.nan)
        scores["p"][:, position] = np.where(scored, _masked_mean(p_items, paired), np.nan)
        p_present = ~np.isnan(p_items)
        scores["servperf"][:, position] = np.where(
            p_present.sum(axis=1) >= need, _masked_mean(p_items, p_present), np.nan
        )
    # G_rd = P_rd − E_rd exactly, so that the dimension gap equals dimension P minus dimension E.
    scores["g"] = scores["p"] - scores["e"]
    return DimensionScores(scores["e"], scores["p"], scores["g"], scores["servperf"], answered, required)


@dataclass(frozen=True)
class WeightedScore:
    value: float | None
    aggregate: float | None
    method: str
    n: int
    weights: dict[str, float]
    excluded: dict[str, int]


def weighted_score(
    dimension_gaps: FloatArray,
    respondent_gaps: FloatArray,
    points: FloatArray | None,
    fixed: dict[str, float] | None,
    dimension_ids: list[str],
    tolerance: float | None,
) -> WeightedScore:
    r"""Weighted SERVQUAL score (docs/METHOD.md A1).

    Per-respondent points (used whenever the data has them): :math:`w_{rd} = pts_{rd}/\sum_d pts_{rd}`,
    :math:`WSQ_r = \sum_d w_{rd} G_{rd}` over respondents with every dimension score and a positive
    points total, and the score is :math:`\overline{WSQ_r}`. The aggregate variant
    :math:`\sum_d \bar w_d \bar G_d` (mean weights over respondents with valid points) is reported
    beside it. Fixed config weights: :math:`\sum_d w_d \bar G_d` with w normalised to sum to 1.

    References
    ----------
    Parasuraman, Zeithaml and Berry (1988), Journal of Retailing 64(1), 12–40 (100-point allocation).
    """
    if points is not None:
        totals = points.sum(axis=1)  # NaN when a dimension's points are missing
        complete_points = ~np.isnan(totals)
        positive = complete_points & (totals > 0)
        within = positive if tolerance is None else positive & (np.abs(totals - 100) <= tolerance)
        scored = ~np.isnan(respondent_gaps).any(axis=1)
        usable = within & scored
        with np.errstate(invalid="ignore", divide="ignore"):
            proportions = points / totals[:, None]
        per_respondent = (proportions[usable] * respondent_gaps[usable]).sum(axis=1)
        mean_weights = proportions[within].mean(axis=0) if within.any() else np.full(len(dimension_ids), np.nan)
        excluded = {
            "missing_points": int((~complete_points).sum()),
            "zero_points_total": int((complete_points & ~positive).sum()),
            "points_total_off_100": int((positive & ~within).sum()),
            "missing_dimension_score": int((within & ~scored).sum()),
        }
        value = float(per_respondent.mean()) if usable.any() else None
        aggregate = float((mean_weights * dimension_gaps).sum()) if within.any() else None
        return WeightedScore(value, aggregate, "per_respondent", int(usable.sum()),
                             dict(zip(dimension_ids, mean_weights.tolist(), strict=True)),
                             {k: v for k, v in excluded.items() if v})
    if fixed:
        raw = np.array([fixed.get(d, 0.0) for d in dimension_ids])
        weights = raw / raw.sum()
        value = float((weights * dimension_gaps).sum())
        return WeightedScore(value, value, "fixed", 0, dict(zip(dimension_ids, weights.tolist(), strict=True)), {})
    return WeightedScore(None, None, "none", 0, {}, {})


def _nan_to_none(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def analyze(config: InstrumentConfig, responses: Responses, options: AnalysisOptions | None = None) -> Assessment:
    """Compute the customer-gap assessment of ``responses`` against ``config``."""
    options = options or AnalysisOptions()
    analysis = config.analysis
    confidence = options.confidence or analysis.confidence
    test = options.test or analysis.test.value
    correction = options.correction or analysis.correction.value
    respondents = responses.rows_read
    item_count = len(responses.item_ids)
    nan_matrix = np.full((respondents, item_count), np.nan)
    expectation = responses.facets.get(Facet.EXPECTATION, nan_matrix)
    perception = responses.facets[Facet.PERCEPTION]
    gaps = perception - expectation

    # --- items ---
    item_test = mean_test(gaps, confidence)
    paired = ~np.isnan(gaps)
    item_e = _column_mean(np.where(paired, expectation, np.nan))
    item_p = _column_mean(np.where(paired, perception, np.nan))
    item_p_only = _column_mean(perception)
    item_p_n = (~np.isnan(perception)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        item_share_negative = (gaps < 0).sum(axis=0) / np.where(item_test.n > 0, item_test.n, np.nan)
    item_wilcoxon = wilcoxon_p(gaps) if test in ("wilcoxon", "both") else None
    item_p_values = item_wilcoxon if test == "wilcoxon" and item_wilcoxon is not None else item_test.p
    item_adjusted = adjust(item_p_values, correction)

    # --- dimensions ---
    position_of = {item_id: position for position, item_id in enumerate(responses.item_ids)}
    groups = [np.array([position_of[item.id] for item in d.items]) for d in config.dimensions]
    scores = dimension_scores(expectation, perception, groups, analysis.min_item_ratio)
    dimension_test = mean_test(scores.gap, confidence)
    dimension_e = _column_mean(scores.expectation)
    dimension_p = _column_mean(scores.perception)
    dimension_servperf = _column_mean(scores.perception_only)
    with np.errstate(invalid="ignore", divide="ignore"):
        dimension_share_negative = (scores.gap < 0).sum(axis=0) / np.where(
            dimension_test.n > 0, dimension_test.n, np.nan
        )
    dimension_wilcoxon = wilcoxon_p(scores.gap) if test in ("wilcoxon", "both") else None
    dimension_p_values = dimension_wilcoxon if test == "wilcoxon" and dimension_wilcoxon is not None \
        else dimension_test.p
    dimension_adjusted = adjust(dimension_p_values, correction)

    dimension_ids = [d.id for d in config.dimensions]
    weighted = weighted_score(
        dimension_test.mean, scores.gap, responses.points, config.importance.weights, dimension_ids,
        config.importance.points_tolerance,
    )

    alphas: dict[str, dict[str, Alpha]] = {}
    item_alpha_if_deleted: dict[str, dict[str, float]] = {item_id: {} for item_id in responses.item_ids}
    item_total: dict[str, dict[str, float]] = {item_id: {} for item_id in responses.item_ids}
    for dimension, columns in zip(config.dimensions, groups, strict=True):
        alphas[dimension.id] = {}
        for key, matrix in zip(FACET_KEYS, (expectation, perception, gaps), strict=True):
            reliability = cronbach_alpha(matrix[:, columns], confidence)
            alphas[dimension.id][key] = Alpha(reliability.n, reliability.alpha, reliability.ci_low,
                                              reliability.ci_high)
            for offset, item in enumerate(dimension.items):
                item_alpha_if_deleted[item.id][key] = float(reliability.alpha_if_deleted[offset])
                item_total[item.id][key] = float(reliability.item_total[offset])

    items = []
    dimension_of = {item.id: d.id for d, item in config.items()}
    for position, (_, item) in enumerate(config.items()):
        items.append(ItemResult(
            id=item.id, dimension=dimension_of[item.id], text=item.text, reverse=item.reverse,
            n=int(item_test.n[position]), expectation=float(item_e[position]), perception=float(item_p[position]),
            gap=float(item_test.mean[position]), gap_sd=float(item_test.sd[position]),
            gap_ci=(float(item_test.ci_low[position]), float(item_test.ci_high[position])),
            t=float(item_test.t[position]), p_value=float(item_p_values[position]),
            p_adjusted=float(item_adjusted[position]), effect_size=float(item_test.d_z[position]),
            wilcoxon_p=None if item_wilcoxon is None else float(item_wilcoxon[position]),
            share_negative=float(item_share_negative[position]), perception_only=float(item_p_only[position]),
            perception_n=int(item_p_n[position]), alpha_if_deleted=item_alpha_if_deleted[item.id],
            item_total=item_total[item.id],
        ))

    dimensions = []
    for position, dimension in enumerate(config.dimensions):
        counts = scores.answered[:, position]
        need = scores.required[position]
        left_out = LeftOut(
            total=int((counts < need).sum()), no_answers=int((counts == 0).sum()),
            too_few_items=int(((counts > 0) & (counts < need)).sum()), required_items=need,
            items=len(dimension.items),
        )
        dimensions.append(DimensionResult(
            id=dimension.id, name=dimension.name, items=[item.id for item in dimension.items],
            n=int(dimension_test.n[position]), expectation=float(dimension_e[position]),
            perception=float(dimension_p[position]), gap=float(dimension_test.mean[position]),
            gap_sd=float(dimension_test.sd[position]),
            gap_ci=(float(dimension_test.ci_low[position]), float(dimension_test.ci_high[position])),
            t=float(dimension_test.t[position]), p_value=float(dimension_p_values[position]),
            p_adjusted=float(dimension_adjusted[position]), effect_size=float(dimension_test.d_z[position]),
            wilcoxon_p=None if dimension_wilcoxon is None else float(dimension_wilcoxon[position]),
            share_negative=float(dimension_share_negative[position]),
            perception_only=float(dimension_servperf[position]),
            perception_only_n=int((~np.isnan(scores.perception_only[:, position])).sum()),
            alpha=alphas[dimension.id], left_out=left_out,
            weight=weighted.weights.get(dimension.id),
        ))

    overall = Overall(
        expectation=float(np.mean(dimension_e)), perception=float(np.mean(dimension_p)),
        gap=float(np.mean(dimension_test.mean)), perception_only=float(np.mean(dimension_servperf)),
        weighted_gap=weighted.value, weighted_gap_aggregate=weighted.aggregate, weighting=weighted.method,
        weighted_n=weighted.n, weights=weighted.weights, weighting_excluded=weighted.excluded,
    )

    segment_columns = list(options.segment_by) or list(responses.segments)
    segments = []
    for column in segment_columns:
        segments.extend(_segments(column, responses.segments[column], scores.gap, dimension_ids,
                                  analysis.min_segment_n))

    used = ~np.isnan(scores.gap).all(axis=1)
    both_facets = np.concatenate([expectation, perception], axis=1)
    answered_count = (~np.isnan(both_facets)).sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: no answers, no spread
        spread = np.nanmax(both_facets, axis=1) - np.nanmin(both_facets, axis=1)
    straight_liners = int(((answered_count >= 4) & (spread == 0)).sum())
    notes = []
    if Facet.EXPECTATION not in responses.facets:
        notes.append("no expectation ratings: gaps are not computed; perception-only scores are reported")
    if responses.ids_from_rows:
        notes.append("no respondent id column: respondents are identified by their spreadsheet row")
    quality = DataQuality(
        file=responses.path, file_format=responses.file_format, encoding=responses.encoding,
        delimiter=responses.delimiter, rows_read=respondents, rows_used=int(used.sum()),
        ids_from_rows=responses.ids_from_rows, missing_cells=responses.missing_cells,
        invalid_as_missing=[CellNote(i.row, i.column, i.header, i.value, i.message)
                            for i in responses.invalid_as_missing],
        straight_liners=straight_liners, notes=notes,
    )
    return Assessment(
        instrument_id=config.instrument.id, instrument_name=config.instrument.name,
        languages=list(config.instrument.languages),
        scale=(config.instrument.scale.min, config.instrument.scale.max),
        facets=[facet.value for facet in config.instrument.facets], confidence=confidence, test=test,
        correction=correction, min_segment_n=analysis.min_segment_n, items=items, dimensions=dimensions,
        overall=overall, segments=segments, data_quality=quality,
    )


def _segments(column: str, values: np.ndarray, respondent_gaps: FloatArray, dimension_ids: list[str],
              minimum: int) -> list[SegmentResult]:
    """Dimension gaps per value of a segment column (respondents with no value form their own group)."""
    labels = np.array(["\x00missing" if value is None else str(value) for value in values], dtype=object)
    results = []
    for label in sorted(set(labels.tolist()), key=lambda text: (text == "\x00missing", text)):
        members = respondent_gaps[labels == label]
        scored = ~np.isnan(members)
        counts = scored.sum(axis=0)
        gaps = _column_mean(members)
        n = int((~np.isnan(members).all(axis=1)).sum())
        results.append(SegmentResult(
            column=column, value=None if label == "\x00missing" else label, n=n, small=n < minimum,
            gap=float(np.mean(gaps)),
            dimensions={d: SegmentDimension(int(counts[i]), float(gaps[i])) for i, d in enumerate(dimension_ids)},
        ))
    return results
