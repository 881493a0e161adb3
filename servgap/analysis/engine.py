"""The customer-gap engine (gap 5): item, dimension and overall gaps with their statistics.

Everything is computed at the respondent level first and then aggregated, over whole numpy
arrays (respondents × items); no Python loop runs over respondents. Definitions: docs/method.md
Part A, sections A1 and A5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from servgap.analysis.gap import item_gaps
from servgap.analysis.tolerance import ToleranceAccumulator
from servgap.data.responses import Responses
from servgap.instrument.models import Facet, InstrumentConfig
from servgap.results import (
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
    SegmentTest,
    WeightedScore,
)
from servgap.stats.adjust import adjust, significant
from servgap.stats.moments import FloatArray, Moments
from servgap.stats.ranks import wilcoxon_p
from servgap.stats.reliability import CoMoments

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


def _tested(t_p: FloatArray, wilcoxon: FloatArray | None, test: str,
            correction: str) -> tuple[FloatArray, FloatArray]:
    """The p-values of the chosen test (Wilcoxon's when it was chosen alone, else the t-test's), adjusted."""
    chosen = wilcoxon if test == "wilcoxon" and wilcoxon is not None else t_p
    return chosen, adjust(chosen, correction)


def required_items(item_count: int, ratio: float) -> int:
    """Items a respondent must answer on both facets for a dimension score: ⌈ratio · k⌉, at least 1
    (docs/method.md §1: at least half the items, rounded up).

    Examples
    --------
    >>> required_items(2, 0.5), required_items(3, 0.5), required_items(5, 0.5), required_items(1, 0.5)
    (1, 2, 3, 1)
    """
    return max(1, math.ceil(ratio * item_count - 1e-12))


@dataclass(frozen=True)
class PreparedBlock:
    """A block of E and P answers with masks and zero-filled copies, computed once and shared.

    ``*_zeroed`` arrays hold 0 where a value does not count, so sums need no NaN handling.
    """

    missing_e: np.ndarray
    missing_p: np.ndarray
    paired: np.ndarray
    e_zeroed: FloatArray  # E where answered
    p_zeroed: FloatArray  # P where answered
    e_paired: FloatArray  # E where both E and P are answered
    p_paired: FloatArray  # P where both E and P are answered
    g_paired: FloatArray  # P − E where both are answered

    @classmethod
    def of(cls, expectation: FloatArray, perception: FloatArray) -> PreparedBlock:
        missing_e, missing_p = np.isnan(expectation), np.isnan(perception)
        paired = ~missing_e & ~missing_p
        e_zeroed = np.where(missing_e, 0.0, expectation)
        p_zeroed = np.where(missing_p, 0.0, perception)
        e_paired = e_zeroed * paired
        p_paired = p_zeroed * paired
        return cls(missing_e, missing_p, paired, e_zeroed, p_zeroed, e_paired, p_paired, p_paired - e_paired)


def dimension_scores_of(block: PreparedBlock, groups: list[slice], ratio: float) -> DimensionScores:
    r"""Respondent dimension scores (docs/method.md §1).

    For respondent r and dimension d, over the items of d with both E and P present:

    .. math:: E_{rd} = \overline{E_{ri}}, \quad P_{rd} = \overline{P_{ri}}, \quad G_{rd} = P_{rd} - E_{rd}

    defined only when at least ⌈ratio·k_d⌉ items have both (otherwise the respondent is left out of
    d). The perception-only (SERVPERF) score averages every answered P item under the same rule.

    References
    ----------
    Parasuraman, Zeithaml and Berry (1988), Journal of Retailing 64(1); Cronin and Taylor (1992),
    Journal of Marketing 56(3) for the perception-only score.
    """
    respondents = block.paired.shape[0]
    shape = (respondents, len(groups))
    e_scores, p_scores, servperf = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    g_scores = np.full(shape, np.nan)
    answered = np.zeros(shape, dtype=np.int64)
    required = []
    for position, columns in enumerate(groups):
        count = block.paired[:, columns].sum(axis=1)
        need = required_items(columns.stop - columns.start, ratio)
        required.append(need)
        answered[:, position] = count
        with np.errstate(invalid="ignore", divide="ignore"):
            scored = count >= need
            e_scores[:, position] = np.where(scored, block.e_paired[:, columns].sum(axis=1) / count, np.nan)
            p_scores[:, position] = np.where(scored, block.p_paired[:, columns].sum(axis=1) / count, np.nan)
            # Σ(P − E) / count: the answers are whole numbers, so equal gaps come out as equal floats
            # (P̄ − Ē may differ in the last bit), which rank tests and ties depend on.
            g_scores[:, position] = np.where(scored, block.g_paired[:, columns].sum(axis=1) / count, np.nan)
            p_count = (~block.missing_p[:, columns]).sum(axis=1)
            servperf[:, position] = np.where(p_count >= need, block.p_zeroed[:, columns].sum(axis=1) / p_count,
                                             np.nan)
    return DimensionScores(e_scores, p_scores, g_scores, servperf, answered, required)


#: Respondents per block: small enough that a block's arrays stay in the CPU cache.
BLOCK_ROWS = 16_384


class _WeightedAccumulator:
    r"""Weighted SERVQUAL score (docs/method.md §1), accumulated block by block.

    Per-respondent points (used whenever the data has them): :math:`w_{rd} = pts_{rd}/\sum_d pts_{rd}`,
    :math:`WSQ_r = \sum_d w_{rd} G_{rd}` over respondents with every dimension score and a positive
    points total; the score is :math:`\overline{WSQ_r}`. The aggregate variant
    :math:`\sum_d \bar w_d \bar G_d` (mean weights over respondents with valid points) is reported
    beside it. Fixed config weights: :math:`\sum_d w_d \bar G_d` with w normalised to sum to 1.

    References
    ----------
    Parasuraman, Zeithaml and Berry (1988), Journal of Retailing 64(1), 12–40 (100-point allocation).
    """

    def __init__(self, dimensions: int, tolerance: float | None) -> None:
        self.tolerance = tolerance
        self.usable = 0
        self.score_sum = 0.0
        self.within = 0
        self.proportion_sum = np.zeros(dimensions)
        self.excluded = {"missing_points": 0, "zero_points_total": 0, "points_total_off_100": 0,
                         "missing_dimension_score": 0}

    def add(self, points: FloatArray, respondent_gaps: FloatArray) -> None:
        totals = points.sum(axis=1)  # NaN when a dimension's points are missing
        complete = ~np.isnan(totals)
        positive = complete & (totals > 0)
        within = positive if self.tolerance is None else positive & (np.abs(totals - 100) <= self.tolerance)
        scored = ~np.isnan(respondent_gaps).any(axis=1)
        usable = within & scored
        with np.errstate(invalid="ignore", divide="ignore"):
            proportions = points / totals[:, None]
        self.score_sum += float((proportions[usable] * respondent_gaps[usable]).sum())
        self.usable += int(usable.sum())
        self.proportion_sum += proportions[within].sum(axis=0)
        self.within += int(within.sum())
        self.excluded["missing_points"] += int((~complete).sum())
        self.excluded["zero_points_total"] += int((complete & ~positive).sum())
        self.excluded["points_total_off_100"] += int((positive & ~within).sum())
        self.excluded["missing_dimension_score"] += int((within & ~scored).sum())


def _weighted_result(accumulator: _WeightedAccumulator | None, fixed: dict[str, float] | None,
                     dimension_gaps: FloatArray, dimension_ids: list[str]) -> WeightedScore:
    if accumulator is not None:
        mean_weights = accumulator.proportion_sum / accumulator.within if accumulator.within else \
            np.full(len(dimension_ids), np.nan)
        return WeightedScore(
            value=accumulator.score_sum / accumulator.usable if accumulator.usable else None,
            aggregate=float((mean_weights * dimension_gaps).sum()) if accumulator.within else None,
            method="per_respondent", n=accumulator.usable,
            weights=dict(zip(dimension_ids, mean_weights.tolist(), strict=True)),
            excluded={key: count for key, count in accumulator.excluded.items() if count},
        )
    if fixed:
        raw = np.array([fixed.get(d, 0.0) for d in dimension_ids])
        weights = raw / raw.sum()
        value = float((weights * dimension_gaps).sum())
        return WeightedScore(value, value, "fixed", 0, dict(zip(dimension_ids, weights.tolist(), strict=True)), {})
    return WeightedScore(None, None, "none", 0, {}, {})


class _SegmentAccumulator:
    """Per segment value: respondents with any dimension score, and per dimension sums and counts."""

    def __init__(self, values: np.ndarray, dimensions: int) -> None:
        labels = ["\x00missing" if value is None else str(value) for value in values.tolist()]
        self.order = sorted(set(labels), key=lambda text: (text == "\x00missing", text))
        code_of = {label: code for code, label in enumerate(self.order)}
        self.codes = np.array([code_of[label] for label in labels], dtype=np.int64)
        groups = len(self.order)
        self.n = np.zeros(groups, dtype=np.int64)
        self.sums = np.zeros((groups, dimensions))
        self.counts = np.zeros((groups, dimensions), dtype=np.int64)

    def add(self, rows: slice, respondent_gaps: FloatArray) -> None:
        codes = self.codes[rows]
        groups = len(self.order)
        scored = ~np.isnan(respondent_gaps)
        self.n += np.bincount(codes[scored.any(axis=1)], minlength=groups)
        for dimension in range(respondent_gaps.shape[1]):
            members = codes[scored[:, dimension]]
            self.sums[:, dimension] += np.bincount(members, weights=respondent_gaps[scored[:, dimension], dimension],
                                                   minlength=groups)
            self.counts[:, dimension] += np.bincount(members, minlength=groups)

    def results(self, column: str, dimension_ids: list[str], minimum: int) -> list[SegmentResult]:
        with np.errstate(invalid="ignore", divide="ignore"):
            gaps = self.sums / np.where(self.counts > 0, self.counts, np.nan)
        return [
            SegmentResult(
                column=column, value=None if label == "\x00missing" else label, n=int(self.n[code]),
                small=int(self.n[code]) < minimum, gap=float(np.mean(gaps[code])),
                dimensions={d: SegmentDimension(int(self.counts[code, i]), float(gaps[code, i]))
                            for i, d in enumerate(dimension_ids)},
            )
            for code, label in enumerate(self.order)
        ]


def analyze(config: InstrumentConfig, responses: Responses, options: AnalysisOptions | None = None) -> Assessment:
    """Compute the customer-gap assessment of ``responses`` against ``config``."""
    return analyze_with_scores(config, responses, options)[0]


def analyze_with_scores(config: InstrumentConfig, responses: Responses,
                        options: AnalysisOptions | None = None) -> tuple[Assessment, FloatArray]:
    """The assessment, and the respondent dimension gaps (respondents × dimensions) behind it.

    Respondents are processed in blocks of :data:`BLOCK_ROWS`; each block adds to mergeable
    moments (counts, means, co-moments), so the result equals the whole-sample computation while
    every intermediate array stays small.
    """
    options = options or AnalysisOptions()
    analysis = config.analysis
    confidence = options.confidence or analysis.confidence
    test = options.test or analysis.test.value
    correction = options.correction or analysis.correction.value
    respondents = responses.rows_read
    item_count = len(responses.item_ids)
    has_expectation = Facet.EXPECTATION in responses.facets
    # Two block buffers, reused for every block, so that no large array is allocated per block.
    e_buffer = np.full((min(BLOCK_ROWS, max(respondents, 1)), item_count), np.nan, order="F")
    p_buffer = np.empty_like(e_buffer, order="F")
    position_of = {item_id: position for position, item_id in enumerate(responses.item_ids)}
    # Items follow config order, so each dimension's items are one contiguous run of columns.
    groups = []
    for dimension in config.dimensions:
        first = position_of[dimension.items[0].id]
        groups.append(slice(first, first + len(dimension.items)))
    dimension_ids = [d.id for d in config.dimensions]
    dimension_count = len(groups)

    item_gap = Moments(item_count)
    item_sums = np.zeros((3, item_count))  # paired E, paired P, P alone
    item_counts = np.zeros((2, item_count), dtype=np.int64)  # negative gaps, P answered
    dimension_gap = Moments(dimension_count)
    dimension_sums = np.zeros((3, dimension_count))  # E_rd, P_rd, perception-only
    dimension_counts = np.zeros((4, dimension_count), dtype=np.int64)  # negative, perception-only n, none, too few
    reliability = {(d, key): CoMoments(columns.stop - columns.start) for d, columns in enumerate(groups)
                   for key in FACET_KEYS}
    weighted = (_WeightedAccumulator(dimension_count, config.importance.points_tolerance)
                if responses.points is not None else None)
    segment_columns = list(options.segment_by) or list(responses.segments)
    segments = {column: _SegmentAccumulator(responses.segments[column], dimension_count)
                for column in segment_columns}
    rows_used = straight_liners = 0
    required: list[int] = [required_items(g.stop - g.start, analysis.min_item_ratio) for g in groups]
    # Respondent dimension gaps are kept (respondents × dimensions) for segment tests and the bootstrap.
    respondent_gaps = np.full((respondents, dimension_count), np.nan)
    respondent_measure = respondent_gaps
    has_tolerance = Facet.ADEQUATE in responses.facets and Facet.DESIRED in responses.facets
    tolerance = ToleranceAccumulator(item_count, groups, required) if has_tolerance else None
    if has_tolerance and not has_expectation:
        respondent_measure = np.full((respondents, dimension_count), np.nan)
    a_buffer = np.empty_like(p_buffer, order="F") if has_tolerance else None
    d_buffer = np.empty_like(p_buffer, order="F") if has_tolerance else None

    for start in range(0, max(respondents, 1), BLOCK_ROWS):
        rows = slice(start, min(start + BLOCK_ROWS, respondents))
        block_p = responses.block(Facet.PERCEPTION, rows, p_buffer)
        block_e = responses.block(Facet.EXPECTATION, rows, e_buffer) if has_expectation else \
            e_buffer[: block_p.shape[0]]
        block = PreparedBlock.of(block_e, block_p)
        answered_p = ~block.missing_p
        item_gap.add_present(block.g_paired, block.paired)
        item_sums[0] += block.e_paired.sum(axis=0)
        item_sums[1] += block.p_paired.sum(axis=0)
        item_sums[2] += block.p_zeroed.sum(axis=0)
        item_counts[0] += (block.g_paired < 0).sum(axis=0)
        item_counts[1] += answered_p.sum(axis=0)

        scores = dimension_scores_of(block, groups, analysis.min_item_ratio)
        respondent_gaps[rows] = scores.gap
        # Segments compare the gap; without expectation ratings, the adequacy gap MSA = P − adequate.
        segment_measure = scores.gap
        if tolerance is not None:
            block_msa = tolerance.add(responses.block(Facet.ADEQUATE, rows, a_buffer),
                                      responses.block(Facet.DESIRED, rows, d_buffer), block_p)
            if not has_expectation:
                segment_measure = block_msa
                respondent_measure[rows] = block_msa
        scored = ~np.isnan(scores.gap)
        dimension_gap.add(scores.gap)
        dimension_sums[0] += np.where(scored, scores.expectation, 0.0).sum(axis=0)
        dimension_sums[1] += np.where(scored, scores.perception, 0.0).sum(axis=0)
        servperf_scored = ~np.isnan(scores.perception_only)
        dimension_sums[2] += np.where(servperf_scored, scores.perception_only, 0.0).sum(axis=0)
        dimension_counts[0] += (scores.gap < 0).sum(axis=0)
        dimension_counts[1] += servperf_scored.sum(axis=0)
        dimension_counts[2] += (scores.answered == 0).sum(axis=0)
        dimension_counts[3] += ((scores.answered > 0) & (scores.answered < np.array(required))).sum(axis=0)
        # "Used": in the gap analysis, or (without expectation ratings) in the perception-only scores.
        rows_used += int((scored if has_expectation else servperf_scored).any(axis=1).sum())

        for d, columns in enumerate(groups):
            width = columns.stop - columns.start
            complete_e = (~block.missing_e[:, columns]).sum(axis=1) == width
            complete_p = answered_p[:, columns].sum(axis=1) == width
            reliability[(d, "expectation")].add_rows(block.e_zeroed[:, columns], complete_e)
            reliability[(d, "perception")].add_rows(block.p_zeroed[:, columns], complete_p)
            reliability[(d, "gap")].add_rows(block.g_paired[:, columns], complete_e & complete_p)
        if weighted is not None and responses.points is not None:
            weighted.add(responses.points[rows], scores.gap)
        for accumulator in segments.values():
            accumulator.add(rows, segment_measure)
        answered_count = (~block.missing_e).sum(axis=1) + answered_p.sum(axis=1)
        # fmax/fmin skip NaN; a respondent with no answers has a NaN spread and is not counted.
        spread = (np.fmax(np.fmax.reduce(block_e, axis=1), np.fmax.reduce(block_p, axis=1))
                  - np.fmin(np.fmin.reduce(block_e, axis=1), np.fmin.reduce(block_p, axis=1)))
        straight_liners += int(((answered_count >= 4) & (spread == 0)).sum())

    item_test = item_gap.summary(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        item_e = item_sums[0] / item_test.n
        item_p = item_sums[1] / item_test.n
        item_p_only = item_sums[2] / item_counts[1]
        item_share_negative = item_counts[0] / item_test.n
    item_wilcoxon = None
    dimension_wilcoxon = None
    if test in ("wilcoxon", "both"):
        # The signed-rank test needs every difference, not moments: the items' from the full arrays,
        # the dimensions' from the respondent gaps kept during the block pass.
        item_wilcoxon = wilcoxon_p(item_gaps(responses))
        dimension_wilcoxon = wilcoxon_p(respondent_gaps)
    item_p_values, item_adjusted = _tested(item_test.p, item_wilcoxon, test, correction)

    dimension_test = dimension_gap.summary(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        dimension_e = dimension_sums[0] / dimension_test.n
        dimension_p = dimension_sums[1] / dimension_test.n
        dimension_servperf = dimension_sums[2] / dimension_counts[1]
        dimension_share_negative = dimension_counts[0] / dimension_test.n
    dimension_p_values, dimension_adjusted = _tested(dimension_test.p, dimension_wilcoxon, test, correction)
    weighted_result = _weighted_result(weighted, config.importance.weights, dimension_test.mean, dimension_ids)

    alphas: dict[str, dict[str, Alpha]] = {}
    item_alpha_if_deleted: dict[str, dict[str, float]] = {item_id: {} for item_id in responses.item_ids}
    item_total: dict[str, dict[str, float]] = {item_id: {} for item_id in responses.item_ids}
    for d, dimension in enumerate(config.dimensions):
        alphas[dimension.id] = {}
        for key in FACET_KEYS:
            result = reliability[(d, key)].reliability(confidence)
            alphas[dimension.id][key] = Alpha(result.n, result.alpha, result.ci_low, result.ci_high)
            for offset, item in enumerate(dimension.items):
                item_alpha_if_deleted[item.id][key] = float(result.alpha_if_deleted[offset])
                item_total[item.id][key] = float(result.item_total[offset])

    items = []
    for position, (dimension, item) in enumerate(config.items()):
        items.append(ItemResult(
            id=item.id, dimension=dimension.id, text=item.text, reverse=item.reverse,
            n=int(item_test.n[position]), expectation=float(item_e[position]), perception=float(item_p[position]),
            gap=float(item_test.mean[position]), gap_sd=float(item_test.sd[position]),
            gap_ci=(float(item_test.ci_low[position]), float(item_test.ci_high[position])),
            t=float(item_test.t[position]), p_value=float(item_p_values[position]),
            p_adjusted=float(item_adjusted[position]),
            significant=significant(float(item_adjusted[position]), confidence),
            effect_size=float(item_test.d_z[position]),
            wilcoxon_p=None if item_wilcoxon is None else float(item_wilcoxon[position]),
            share_negative=float(item_share_negative[position]), perception_only=float(item_p_only[position]),
            perception_n=int(item_counts[1][position]), alpha_if_deleted=item_alpha_if_deleted[item.id],
            item_total=item_total[item.id],
        ))

    dimensions = []
    for position, dimension in enumerate(config.dimensions):
        no_answers, too_few = int(dimension_counts[2][position]), int(dimension_counts[3][position])
        left_out = LeftOut(total=no_answers + too_few, no_answers=no_answers, too_few_items=too_few,
                           required_items=required_items(len(dimension.items), analysis.min_item_ratio),
                           items=len(dimension.items))
        dimensions.append(DimensionResult(
            id=dimension.id, name=dimension.name, items=[item.id for item in dimension.items],
            n=int(dimension_test.n[position]), expectation=float(dimension_e[position]),
            perception=float(dimension_p[position]), gap=float(dimension_test.mean[position]),
            gap_sd=float(dimension_test.sd[position]),
            gap_ci=(float(dimension_test.ci_low[position]), float(dimension_test.ci_high[position])),
            t=float(dimension_test.t[position]), p_value=float(dimension_p_values[position]),
            p_adjusted=float(dimension_adjusted[position]),
            significant=significant(float(dimension_adjusted[position]), confidence),
            effect_size=float(dimension_test.d_z[position]),
            wilcoxon_p=None if dimension_wilcoxon is None else float(dimension_wilcoxon[position]),
            share_negative=float(dimension_share_negative[position]),
            perception_only=float(dimension_servperf[position]),
            perception_only_n=int(dimension_counts[1][position]),
            alpha=alphas[dimension.id], left_out=left_out, weight=weighted_result.weights.get(dimension.id),
        ))

    overall = Overall(
        expectation=float(np.mean(dimension_e)), perception=float(np.mean(dimension_p)),
        gap=float(np.mean(dimension_test.mean)), perception_only=float(np.mean(dimension_servperf)),
        weighted_gap=weighted_result.value, weighted_gap_aggregate=weighted_result.aggregate,
        weighting=weighted_result.method, weighted_n=weighted_result.n, weights=weighted_result.weights,
        weighting_excluded=weighted_result.excluded,
    )
    segment_results = [result for column, accumulator in segments.items()
                       for result in accumulator.results(column, dimension_ids, analysis.min_segment_n)]
    segment_tests = [test for column, accumulator in segments.items()
                     for test in segment_tests_of(column, accumulator, respondent_measure, dimension_ids,
                                                  analysis.min_segment_n, correction, confidence)]
    notes = []
    if not has_expectation:
        notes.append("no expectation ratings: gaps are not computed; perception-only scores are reported")
    if responses.ids_from_rows:
        notes.append("no respondent id column: respondents are identified by their spreadsheet row")
    quality = DataQuality(
        file=responses.path, file_format=responses.file_format, encoding=responses.encoding,
        delimiter=responses.delimiter, rows_read=respondents, rows_used=rows_used,
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
        overall=overall, segments=segment_results, data_quality=quality,
        tolerance=tolerance.result(responses.item_ids, dimension_ids, confidence) if tolerance else None,
        segment_tests=segment_tests, segment_measure="gap" if has_expectation or not has_tolerance else "msa",
        shortfalls=[item.id for item in sorted(items, key=lambda item: item.gap)
                    if item.significant and math.isfinite(item.gap) and item.gap < 0],
    ), respondent_gaps


def segment_tests_of(column: str, accumulator: _SegmentAccumulator, respondent_gaps: FloatArray,
                     dimension_ids: list[str], minimum: int, correction: str,
                     confidence: float = 0.95) -> list[SegmentTest]:
    """Do a dimension's gaps differ between segment values? Welch's t for two groups, else Kruskal–Wallis.

    Groups with fewer than ``minimum`` scored respondents (and respondents without a value) are left
    out of the test and named; p-values are adjusted across the dimensions of the column.

    References
    ----------
    Welch, B. L. (1947), Biometrika 34(1/2), 28–35; Kruskal, W. H. and Wallis, W. A. (1952), JASA
    47(260), 583–621.
    """
    from scipy import stats

    rows = []
    for position, dimension_id in enumerate(dimension_ids):
        values = respondent_gaps[:, position]
        samples, included, excluded = [], [], []
        for code, label in enumerate(accumulator.order):
            if label == "\x00missing":
                continue
            member = values[(accumulator.codes == code) & ~np.isnan(values)]
            if len(member) >= minimum:
                samples.append(member)
                included.append(label)
            else:
                excluded.append(label)
        if len(samples) < 2:
            continue
        if len(samples) == 2:
            result = stats.ttest_ind(samples[0], samples[1], equal_var=False)
            name = "welch_t"
        else:
            result = stats.kruskal(*samples)
            name = "kruskal_wallis"
        rows.append((dimension_id, name, float(result.statistic), float(result.pvalue), included, excluded))
    adjusted = adjust(np.array([row[3] for row in rows]), correction) if rows else np.array([])
    return [SegmentTest(column=column, dimension=d, test=name, statistic=statistic, p_value=p,
                        p_adjusted=float(adjusted[i]), significant=significant(float(adjusted[i]), confidence),
                        groups=included, excluded=excluded)
            for i, (d, name, statistic, p, included, excluded) in enumerate(rows)]
