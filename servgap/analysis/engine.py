"""The customer-gap engine (gap 5): item, dimension and overall gaps with their statistics.

Everything is computed at the respondent level first and then aggregated, over whole numpy
arrays (respondents × items); no Python loop runs over respondents. Definitions: docs/method.md
§1 and §5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

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
    LeftOutGroup,
    Note,
    Overall,
    SegmentDimension,
    SegmentResult,
    SegmentTest,
    SourceFile,
    WeightedScore,
)
from servgap.stats.adjust import adjust, significant
from servgap.stats.exact import RatioMoments, WholeCoMoments, column_sums, whole
from servgap.stats.moments import FloatArray, MeanTest, welch_test
from servgap.stats.ranks import WILCOXON_METHOD, kruskal_wallis, wilcoxon_p

FACET_KEYS = ("expectation", "perception", "gap")


@dataclass(frozen=True)
class AnalysisOptions:
    """Command-line overrides of the config's analysis options (None keeps the config's)."""

    confidence: float | None = None
    test: str | None = None
    correction: str | None = None
    segment_by: tuple[str, ...] = ()


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

    ``*_zeroed`` arrays hold 0 where a value does not count, so sums need no NaN handling. In a
    complete block — no E or P answer missing, the usual case — the masks are None and the
    zero-filled arrays are the answers themselves.
    """

    missing_e: np.ndarray | None
    missing_p: np.ndarray | None
    paired: np.ndarray | None
    e_zeroed: FloatArray  # E where answered
    p_zeroed: FloatArray  # P where answered
    e_paired: FloatArray  # E where both E and P are answered
    p_paired: FloatArray  # P where both E and P are answered
    g_paired: FloatArray  # P − E where both are answered

    @property
    def complete(self) -> bool:
        """Whether every respondent of the block answered every item on both facets."""
        return self.paired is None

    @property
    def rows(self) -> int:
        return self.g_paired.shape[0]

    @classmethod
    def of(cls, expectation: FloatArray, perception: FloatArray) -> PreparedBlock:
        """The prepared block of E and P answers (respondents × items, NaN = missing)."""
        missing_e, missing_p = np.isnan(expectation), np.isnan(perception)
        if not missing_e.any() and not missing_p.any():
            return cls(None, None, None, expectation, perception, expectation, perception, perception - expectation)
        paired = ~missing_e & ~missing_p
        e_zeroed = np.where(missing_e, 0.0, expectation)
        p_zeroed = np.where(missing_p, 0.0, perception)
        e_paired = e_zeroed * paired
        p_paired = p_zeroed * paired
        return cls(missing_e, missing_p, paired, e_zeroed, p_zeroed, e_paired, p_paired, p_paired - e_paired)


@dataclass(frozen=True)
class DimensionSums:
    """Per respondent and dimension (respondents × dimensions): the sums of P − E, E and P over the
    items answered on both facets and their count ``paired``, and the sum of the answered P items
    and their count ``perception_n`` (for the perception-only score). ``scored`` marks respondents
    with enough items for a score, ``perception_scored`` the same for the perception-only score.

    In a complete block the counts are one per dimension (its number of items) and the masks None:
    every respondent is scored.
    """

    gap: FloatArray
    expectation: FloatArray
    perception: FloatArray
    paired: NDArray[np.int64]
    perception_only: FloatArray
    perception_n: NDArray[np.int64]
    scored: np.ndarray | None
    perception_scored: np.ndarray | None
    #: answered E items per respondent and dimension (for alpha's listwise-complete rows); None when complete
    expectation_n: NDArray[np.int64] | None = None

    def gap_scores(self) -> FloatArray:
        r"""The respondents' dimension gaps :math:`G_{rd} = \sum_i (P_{ri} - E_{ri}) / c_{rd}` over the
        :math:`c_{rd}` items of d answered on both facets; NaN where the respondent is left out.

        :math:`\sum (P - E) / c` rather than :math:`\bar P - \bar E`: the answers are whole numbers,
        so equal gaps come out as equal floats (P̄ − Ē may differ in the last bit), which rank tests
        and ties depend on.
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = self.gap / self.paired
        return scores if self.scored is None else np.where(self.scored, scores, np.nan)


@dataclass(frozen=True)
class DimensionLayout:
    """Each dimension's items as a run of columns, the 0/1 membership matrix (items × dimensions)
    whose product with a block sums them, the dimensions' item counts and the items each needs for
    a score (⌈ratio·k⌉): made once per analysis, shared by every block."""

    groups: list[slice]
    membership: FloatArray
    widths: NDArray[np.int64]
    required: NDArray[np.int64]

    @classmethod
    def of(cls, groups: list[slice], ratio: float) -> DimensionLayout:
        membership = np.zeros((max((g.stop for g in groups), default=0), len(groups)))
        for position, columns in enumerate(groups):
            membership[columns, position] = 1.0
        widths = np.array([columns.stop - columns.start for columns in groups], dtype=np.int64)
        return cls(groups, membership, widths,
                   np.array([required_items(int(width), ratio) for width in widths], dtype=np.int64))


def dimension_sums_of(block: PreparedBlock, layout: DimensionLayout) -> DimensionSums:
    r"""Respondent dimension sums and counts (docs/method.md §1).

    For respondent r and dimension d, over the :math:`c_{rd}` items of d with both E and P present:

    .. math:: E_{rd} = \overline{E_{ri}}, \quad P_{rd} = \overline{P_{ri}}, \quad G_{rd} = P_{rd} - E_{rd}

    defined only when :math:`c_{rd}` ≥ ⌈ratio·k_d⌉ (otherwise the respondent is left out of d).
    The perception-only (SERVPERF) score averages every answered P item under the same rule. The
    sums are whole numbers; the scores are these sums divided by the counts.

    References
    ----------
    Parasuraman, Zeithaml and Berry (1988), Journal of Retailing 64(1); Cronin and Taylor (1992),
    Journal of Marketing 56(3) for the perception-only score.

    Examples
    --------
    The TAN dimension (items T1, T2) of the worked fixture, docs/method.md §7: respondent gaps
    −0.5, −1.0, −0.5, −0.5, −1.5, 0.0; with T2 of r3 unanswered, r3 keeps one of two items (enough).

    >>> import numpy as np
    >>> e = np.array([[6, 6], [7, 6], [5, 5], [6, 7], [7, 7], [6, 5]], dtype=float)
    >>> p = np.array([[5, 6], [6, 5], [5, 4], [6, 6], [5, 6], [6, 5]], dtype=float)
    >>> tan = DimensionLayout.of([slice(0, 2)], 0.5)
    >>> dimension_sums_of(PreparedBlock.of(e, p), tan).gap_scores()[:, 0].tolist()
    [-0.5, -1.0, -0.5, -0.5, -1.5, 0.0]
    >>> p[2, 1] = np.nan
    >>> dimension_sums_of(PreparedBlock.of(e, p), tan).gap_scores()[2, 0]
    np.float64(0.0)
    """
    membership, widths = layout.membership, layout.widths
    # Row sums per dimension as one product with the 0/1 membership matrix: sums of whole numbers,
    # exact whatever order BLAS adds them in.
    gap, expectation, perception = block.g_paired @ membership, block.e_paired @ membership, \
        block.p_paired @ membership
    if block.complete:
        return DimensionSums(gap, expectation, perception, widths, perception, widths, None, None)
    assert block.paired is not None and block.missing_p is not None
    assert block.missing_e is not None
    need = layout.required
    # Counts as products too: the masks are made floats first (a boolean matrix times a float one
    # takes numpy's generic loop, about four times slower than the conversion and BLAS together).
    paired = np.rint(block.paired.astype(float) @ membership).astype(np.int64)
    perception_n = np.rint((~block.missing_p).astype(float) @ membership).astype(np.int64)
    expectation_n = np.rint((~block.missing_e).astype(float) @ membership).astype(np.int64)
    return DimensionSums(gap, expectation, perception, paired, block.p_zeroed @ membership, perception_n,
                         paired >= need, perception_n >= need, expectation_n)


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
        ones = np.ones(points.shape[1])
        totals = points @ ones  # NaN when a dimension's points are missing
        complete = ~np.isnan(totals)
        positive = complete & (totals > 0)
        within = positive if self.tolerance is None else positive & (np.abs(totals - 100) <= self.tolerance)
        with np.errstate(invalid="ignore", divide="ignore"):
            proportions = points / totals[:, None]
        weighted_gaps = (proportions * respondent_gaps) @ ones  # NaN without every dimension score
        scored = ~np.isnan(respondent_gaps @ ones)
        usable = within & scored
        self.score_sum += float(weighted_gaps[usable].sum())
        self.usable += int(np.count_nonzero(usable))
        self.proportion_sum += within @ np.where(within[:, None], proportions, 0.0)
        self.within += int(np.count_nonzero(within))
        self.excluded["missing_points"] += int(np.count_nonzero(~complete))
        self.excluded["zero_points_total"] += int(np.count_nonzero(complete & ~positive))
        self.excluded["points_total_off_100"] += int(np.count_nonzero(positive & ~within))
        self.excluded["missing_dimension_score"] += int(np.count_nonzero(within & ~scored))


def _weighted_result(accumulator: _WeightedAccumulator | None, fixed: dict[str, float] | None,
                     dimension_gaps: FloatArray, dimension_ids: list[str]) -> WeightedScore:
    if accumulator is not None and not accumulator.within:
        # Points columns without a single usable allocation weigh nothing: fall back to the config's
        # fixed weights, else to none (equal weights in the checklist), and keep the reasons.
        excluded = {key: count for key, count in accumulator.excluded.items() if count}
        fallback = _weighted_result(None, fixed, dimension_gaps, dimension_ids)
        return WeightedScore(fallback.value, fallback.aggregate, fallback.method, fallback.n, fallback.weights,
                             excluded)
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


#: The label of respondents without a value in a segment column (shown as "(missing)").
MISSING = "\x00missing"


class _SegmentAccumulator:
    """Per segment value: respondents with any dimension score, and per dimension sums and counts."""

    def __init__(self, values: np.ndarray, dimensions: int) -> None:
        labels = [MISSING if value is None else str(value) for value in values.tolist()]
        # Values in order of first appearance (a wave column stays in time order); no value last.
        self.order = [label for label in dict.fromkeys(labels) if label != MISSING]
        self.order += [MISSING] if MISSING in labels else []
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
                column=column, value=None if label == MISSING else label, n=int(self.n[code]),
                small=int(self.n[code]) < minimum, gap=float(np.mean(gaps[code])),
                dimensions={d: SegmentDimension(int(self.counts[code, i]), float(gaps[code, i]))
                            for i, d in enumerate(dimension_ids)},
            )
            for code, label in enumerate(self.order)
        ]


def analyze(config: InstrumentConfig, responses: Responses, options: AnalysisOptions | None = None) -> Assessment:
    """Compute the customer-gap assessment of ``responses`` against ``config``."""
    return analyze_with_scores(config, responses, options, keep_scores=False)[0]


class _ItemAccumulator:
    """Per item, over blocks: the exact moments of the respondents' gaps (pairwise complete), the
    sums of the paired E and P, the sum of P alone, and the counts of negative gaps and of answered P."""

    def __init__(self, items: int) -> None:
        self.ones = np.ones(items, dtype=np.int64)
        self.gap = RatioMoments(items)
        self.paired_expectation = np.zeros(items, dtype=np.int64)
        self.paired_perception = np.zeros(items, dtype=np.int64)
        self.perception = np.zeros(items, dtype=np.int64)
        self.negative = np.zeros(items, dtype=np.int64)
        self.perception_n = np.zeros(items, dtype=np.int64)

    def add(self, block: PreparedBlock) -> None:
        self.gap.add(block.g_paired, self.ones, block.paired)
        self.paired_expectation += whole(column_sums(block.e_paired))
        self.paired_perception += whole(column_sums(block.p_paired))
        self.perception += whole(column_sums(block.p_zeroed))
        self.negative += np.count_nonzero(block.g_paired < 0, axis=0)
        self.perception_n += block.rows if block.missing_p is None else np.count_nonzero(~block.missing_p, axis=0)


class _DimensionAccumulator:
    """Per dimension, over blocks: the exact moments of the respondent dimension gaps, of their E,
    P and perception-only scores, and the counts of negative gaps and of respondents left out with
    no answers or with too few."""

    def __init__(self, widths: list[int]) -> None:
        dimensions, largest = len(widths), max(widths, default=1)
        self.gap = RatioMoments(dimensions, largest)
        # Of the respondents' E, P and perception-only scores only the means are reported.
        self.expectation = RatioMoments(dimensions, largest, with_squares=False)
        self.perception = RatioMoments(dimensions, largest, with_squares=False)
        self.perception_only = RatioMoments(dimensions, largest, with_squares=False)
        self.negative = np.zeros(dimensions, dtype=np.int64)
        self.no_answers = np.zeros(dimensions, dtype=np.int64)
        self.too_few = np.zeros(dimensions, dtype=np.int64)

    def add(self, sums: DimensionSums) -> None:
        self.gap.add(sums.gap, sums.paired, sums.scored)
        self.expectation.add(sums.expectation, sums.paired, sums.scored)
        self.perception.add(sums.perception, sums.paired, sums.scored)
        self.perception_only.add(sums.perception_only, sums.perception_n, sums.perception_scored)
        negative = sums.gap < 0
        if sums.scored is None:
            self.negative += np.count_nonzero(negative, axis=0)
            return
        self.negative += np.count_nonzero(negative & sums.scored, axis=0)
        self.no_answers += np.count_nonzero(sums.paired == 0, axis=0)
        self.too_few += np.count_nonzero((sums.paired > 0) & ~sums.scored, axis=0)


class _ReliabilityAccumulator:
    """Per dimension and facet (E, P, gap): the exact co-moments of the listwise-complete respondents."""

    def __init__(self, groups: list[slice]) -> None:
        self.groups = groups
        self.sums = {(d, key): WholeCoMoments(columns.stop - columns.start) for d, columns in enumerate(groups)
                     for key in FACET_KEYS}

    def add(self, block: PreparedBlock, sums: DimensionSums) -> None:
        for d, columns in enumerate(self.groups):
            complete_e: np.ndarray | None = None
            complete_p: np.ndarray | None = None
            complete_both: np.ndarray | None = None
            if sums.expectation_n is not None:  # rows with every item of the dimension answered
                width = columns.stop - columns.start
                complete_e, complete_p = sums.expectation_n[:, d] == width, sums.perception_n[:, d] == width
                complete_both = complete_e & complete_p
            self.sums[(d, "expectation")].add(block.e_zeroed[:, columns], complete_e)
            self.sums[(d, "perception")].add(block.p_zeroed[:, columns], complete_p)
            self.sums[(d, "gap")].add(block.g_paired[:, columns], complete_both)

    def results(self, config: InstrumentConfig, confidence: float) -> tuple[
            dict[str, dict[str, Alpha]], dict[str, dict[str, float]], dict[str, dict[str, float]]]:
        """Alpha per dimension and facet; alpha-if-deleted and item–total r per item and facet."""
        alphas: dict[str, dict[str, Alpha]] = {}
        if_deleted: dict[str, dict[str, float]] = {item.id: {} for _, item in config.items()}
        item_total: dict[str, dict[str, float]] = {item.id: {} for _, item in config.items()}
        for d, dimension in enumerate(config.dimensions):
            alphas[dimension.id] = {}
            for key in FACET_KEYS:
                result = self.sums[(d, key)].comoments().reliability(confidence)
                alphas[dimension.id][key] = Alpha(result.n, result.alpha, result.ci_low, result.ci_high)
                for offset, item in enumerate(dimension.items):
                    if_deleted[item.id][key] = float(result.alpha_if_deleted[offset])
                    item_total[item.id][key] = float(result.item_total[offset])
        return alphas, if_deleted, item_total


class _QualityCounter:
    """Respondents used (in the gap analysis, or without expectation ratings in the perception-only
    scores) and straight-liners (at least four answers, all the same)."""

    def __init__(self, has_expectation: bool) -> None:
        self.has_expectation = has_expectation
        self.rows_used = 0
        self.straight_liners = 0

    def add(self, block_e: FloatArray, block_p: FloatArray, block: PreparedBlock, sums: DimensionSums) -> None:
        if block.complete:
            # Every respondent answered every item on both facets: all are used, none has a NaN.
            self.rows_used += block.rows
            if 2 * block_p.shape[1] >= 4:
                spread = (np.maximum(block_e.max(axis=1), block_p.max(axis=1))
                          - np.minimum(block_e.min(axis=1), block_p.min(axis=1)))
                self.straight_liners += int(np.count_nonzero(spread == 0))
            return
        used = sums.scored if self.has_expectation else sums.perception_scored
        assert used is not None and block.missing_e is not None and block.missing_p is not None
        self.rows_used += int(used.any(axis=1).sum())
        answered = (~block.missing_e).sum(axis=1) + (~block.missing_p).sum(axis=1)
        # fmax/fmin skip NaN; a respondent with no answers has a NaN spread and is not counted.
        spread = (np.fmax(np.fmax.reduce(block_e, axis=1), np.fmax.reduce(block_p, axis=1))
                  - np.fmin(np.fmin.reduce(block_e, axis=1), np.fmin.reduce(block_p, axis=1)))
        self.straight_liners += int(((answered >= 4) & (spread == 0)).sum())


def item_groups(config: InstrumentConfig, responses: Responses) -> list[slice]:
    """Each dimension's items as one run of columns (items follow config order)."""
    position_of = {item_id: position for position, item_id in enumerate(responses.item_ids)}
    groups = []
    for dimension in config.dimensions:
        first = position_of[dimension.items[0].id]
        groups.append(slice(first, first + len(dimension.items)))
    return groups


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> FloatArray:
    """numerator / denominator, NaN where the denominator is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(numerator / denominator, dtype=float)


def _gap_test_fields(test_result: MeanTest, position: int, p_values: FloatArray, adjusted: FloatArray,
                     ranks: FloatArray | None, confidence: float) -> dict[str, object]:
    """The fields an item and a dimension share (results.GapTest), at ``position`` of the arrays."""
    return dict(
        n=int(test_result.n[position]), gap=float(test_result.mean[position]),
        gap_sd=float(test_result.sd[position]),
        gap_ci=(float(test_result.ci_low[position]), float(test_result.ci_high[position])),
        t=float(test_result.t[position]), p_value=float(p_values[position]),
        p_adjusted=float(adjusted[position]), significant=significant(float(adjusted[position]), confidence),
        effect_size=float(test_result.d_z[position]),
        wilcoxon_p=None if ranks is None else float(ranks[position]),
    )


def _data_quality(responses: Responses, quality: _QualityCounter, has_expectation: bool) -> DataQuality:
    """What was read and used, missing and invalid cells, straight-liners, and notes."""
    notes: list[Note] = []
    if not has_expectation:
        notes.append(Note("perception_only"))
    if responses.ids_from_rows:
        notes.append(Note("ids_from_rows"))
    return DataQuality(
        file=responses.path, file_format=responses.file_format, encoding=responses.encoding,
        delimiter=responses.delimiter, rows_read=responses.rows_read, rows_used=quality.rows_used,
        ids_from_rows=responses.ids_from_rows, missing_cells=responses.missing_cells,
        invalid_as_missing=[CellNote(i.row, i.column, i.header, i.value, i.message, i.file)
                            for i in responses.invalid_as_missing],
        straight_liners=quality.straight_liners, notes=notes, platform=responses.source.platform,
        header_rows=responses.source.header_rows, platform_detected=responses.source.detected,
        files=[SourceFile(*entry) for entry in responses.files] or [
            SourceFile(responses.path, responses.rows_read, responses.file_format, responses.encoding)],
    )


def analyze_with_scores(config: InstrumentConfig, responses: Responses, options: AnalysisOptions | None = None,
                        keep_scores: bool = True) -> tuple[Assessment, FloatArray | None]:
    """The assessment, and the respondent dimension scores behind its segments (respondents ×
    dimensions): the gaps P − E, or for zone-of-tolerance data without expectations the MSA P − A.

    Respondents are processed in blocks of :data:`BLOCK_ROWS`; each block adds to mergeable
    accumulators (exact sums of whole numbers, co-moments), so the result equals the whole-sample
    computation while every intermediate array stays small. The respondents' scores are kept only
    when something needs them: segments, the signed-rank test, or the caller (``keep_scores``, for
    the bootstrap and wave comparisons); otherwise None is returned in their place and memory does
    not grow with the file. Definitions: docs/method.md §1 and §5.
    """
    options = options or AnalysisOptions()
    analysis = config.analysis
    confidence = options.confidence or analysis.confidence
    test = options.test or analysis.test.value
    correction = options.correction or analysis.correction.value
    respondents = responses.rows_read
    has_expectation = Facet.EXPECTATION in responses.facets
    has_tolerance = Facet.ADEQUATE in responses.facets and Facet.DESIRED in responses.facets
    groups = item_groups(config, responses)
    dimension_ids = [d.id for d in config.dimensions]
    layout = DimensionLayout.of(groups, analysis.min_item_ratio)
    widths, required = layout.widths.tolist(), layout.required.tolist()

    items = _ItemAccumulator(len(responses.item_ids))
    dimensions = _DimensionAccumulator(widths)
    reliability = _ReliabilityAccumulator(groups)
    quality = _QualityCounter(has_expectation)
    weighted = (_WeightedAccumulator(len(groups), config.importance.points_tolerance)
                if responses.points is not None else None)
    segments = {column: _SegmentAccumulator(responses.segments[column], len(groups))
                for column in list(options.segment_by) or list(responses.segments)}
    tolerance = ToleranceAccumulator(len(responses.item_ids), groups, required) if has_tolerance else None
    # Without expectation ratings, segments compare the adequacy gap MSA = P − adequate.
    wilcoxon = test in ("wilcoxon", "both")
    measure_is_gap = has_expectation or not has_tolerance
    keep_measure = keep_scores or bool(segments)
    shape = (respondents, len(groups))
    respondent_gaps = np.full(shape, np.nan) if wilcoxon or (keep_measure and measure_is_gap) else None
    respondent_measure = respondent_gaps if measure_is_gap else np.full(shape, np.nan) if keep_measure else None
    # Block buffers, reused for every block, so that no large array is allocated per block.
    read = (Facet.EXPECTATION, Facet.PERCEPTION, *((Facet.ADEQUATE, Facet.DESIRED) if has_tolerance else ()))
    buffer = {facet: np.full((min(BLOCK_ROWS, max(respondents, 1)), len(responses.item_ids)), np.nan, order="F")
              for facet in read}

    # The products of a block are small (16,384 × 22 by a few columns): BLAS threads cost more to wake
    # than they save, and while they wait they spin, so a block pass on several threads burns about
    # twice the CPU for no gain in time. One thread for the pass; the reader and the bootstrap keep theirs.
    with threadpool_limits(limits=1, user_api="blas"):
        for start in range(0, max(respondents, 1), BLOCK_ROWS):
            rows = slice(start, min(start + BLOCK_ROWS, respondents))
            block_p = responses.block(Facet.PERCEPTION, rows, buffer[Facet.PERCEPTION])
            block_e = responses.block(Facet.EXPECTATION, rows, buffer[Facet.EXPECTATION]) if has_expectation else \
                buffer[Facet.EXPECTATION][: block_p.shape[0]]
            block = PreparedBlock.of(block_e, block_p)
            sums = dimension_sums_of(block, layout)
            block_gaps = block_measure = sums.gap_scores()
            if respondent_gaps is not None:
                respondent_gaps[rows] = block_gaps
            if tolerance is not None:
                block_msa = tolerance.add(responses.block(Facet.ADEQUATE, rows, buffer[Facet.ADEQUATE]),
                                          responses.block(Facet.DESIRED, rows, buffer[Facet.DESIRED]), block_p)
                if not measure_is_gap:
                    block_measure = block_msa
                    if respondent_measure is not None:
                        respondent_measure[rows] = block_msa
            items.add(block)
            dimensions.add(sums)
            reliability.add(block, sums)
            quality.add(block_e, block_p, block, sums)
            if weighted is not None:  # made exactly when the data has points
                points = responses.points_block(rows)
                assert points is not None
                weighted.add(points, block_gaps)
            for accumulator in segments.values():
                accumulator.add(rows, block_measure)

    # The signed-rank test needs every difference, not moments: the items' from the full arrays,
    # the dimensions' from the respondent gaps kept during the block pass.
    item_test = items.gap.moments().summary(confidence)
    item_wilcoxon = wilcoxon_p(item_gaps(responses)) if wilcoxon else None
    item_p_values, item_adjusted = _tested(item_test.p, item_wilcoxon, test, correction)
    dimension_test = dimensions.gap.moments().summary(confidence)
    dimension_wilcoxon = wilcoxon_p(respondent_gaps) if wilcoxon and respondent_gaps is not None else None
    dimension_p_values, dimension_adjusted = _tested(dimension_test.p, dimension_wilcoxon, test, correction)
    weighted_result = _weighted_result(weighted, config.importance.weights, dimension_test.mean, dimension_ids)
    alphas, alpha_if_deleted, item_total = reliability.results(config, confidence)

    item_e, item_p = _ratio(items.paired_expectation, item_test.n), _ratio(items.paired_perception, item_test.n)
    item_p_only, item_negative = _ratio(items.perception, items.perception_n), _ratio(items.negative, item_test.n)
    item_results = [
        ItemResult(
            id=item.id, dimension=dimension.id, text=item.text, reverse=item.reverse,
            expectation=float(item_e[position]), perception=float(item_p[position]),
            share_negative=float(item_negative[position]), perception_only=float(item_p_only[position]),
            perception_n=int(items.perception_n[position]), alpha_if_deleted=alpha_if_deleted[item.id],
            item_total=item_total[item.id],
            **_gap_test_fields(item_test, position, item_p_values, item_adjusted, item_wilcoxon,  # type: ignore[arg-type]
                                confidence),
        )
        for position, (dimension, item) in enumerate(config.items())
    ]
    dimension_e, dimension_p = dimensions.expectation.means(), dimensions.perception.means()
    dimension_servperf = dimensions.perception_only.means()
    perception_only_n = dimensions.perception_only.counts()
    dimension_negative = _ratio(dimensions.negative, dimension_test.n)
    dimension_results = [
        DimensionResult(
            id=dimension.id, name=dimension.name, items=[item.id for item in dimension.items],
            expectation=float(dimension_e[position]), perception=float(dimension_p[position]),
            share_negative=float(dimension_negative[position]), perception_only=float(dimension_servperf[position]),
            perception_only_n=int(perception_only_n[position]), alpha=alphas[dimension.id],
            left_out=LeftOut(total=int(dimensions.no_answers[position] + dimensions.too_few[position]),
                             no_answers=int(dimensions.no_answers[position]),
                             too_few_items=int(dimensions.too_few[position]), required_items=required[position],
                             items=len(dimension.items)),
            weight=weighted_result.weights.get(dimension.id),
            **_gap_test_fields(dimension_test, position, dimension_p_values,  # type: ignore[arg-type]
                               dimension_adjusted, dimension_wilcoxon, confidence),
        )
        for position, dimension in enumerate(config.dimensions)
    ]
    overall = Overall(
        expectation=float(np.mean(dimension_e)), perception=float(np.mean(dimension_p)),
        gap=float(np.mean(dimension_test.mean)), perception_only=float(np.mean(dimension_servperf)),
        weighted_gap=weighted_result.value, weighted_gap_aggregate=weighted_result.aggregate,
        weighting=weighted_result.method, weighted_n=weighted_result.n, weights=weighted_result.weights,
        weighting_excluded=weighted_result.excluded,
    )
    data_quality = _data_quality(responses, quality, has_expectation)
    return Assessment(
        instrument_id=config.instrument.id, instrument_name=config.instrument.name,
        languages=list(config.instrument.languages),
        scale=(config.instrument.scale.min, config.instrument.scale.max),
        facets=[facet.value for facet in config.instrument.facets], confidence=confidence, test=test,
        correction=correction, min_segment_n=analysis.min_segment_n, items=item_results,
        dimensions=dimension_results, overall=overall,
        segments=[result for column, accumulator in segments.items()
                  for result in accumulator.results(column, dimension_ids, analysis.min_segment_n)],
        data_quality=data_quality,
        tolerance=tolerance.result(responses.item_ids, dimension_ids, confidence) if tolerance else None,
        segment_tests=[result for column, accumulator in segments.items() if respondent_measure is not None
                       for result in segment_tests_of(column, accumulator, respondent_measure, dimension_ids,
                                                      analysis.min_segment_n, correction, confidence)],
        segment_measure="gap" if measure_is_gap else "msa",
        wilcoxon_method=WILCOXON_METHOD if wilcoxon else None,
    ), respondent_measure


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
    rows = []
    for position, dimension_id in enumerate(dimension_ids):
        values = respondent_gaps[:, position]
        samples, included, excluded = [], [], []
        for code, label in enumerate(accumulator.order):
            member = values[(accumulator.codes == code) & ~np.isnan(values)]
            if label == MISSING:
                if len(member):
                    excluded.append(LeftOutGroup(None, len(member), "no_value"))
            elif len(member) >= minimum:
                samples.append(member)
                included.append(label)
            else:
                excluded.append(LeftOutGroup(label, len(member), "below_minimum_n"))
        if len(samples) < 2:
            continue
        if len(samples) == 2:
            statistic, p, _ = welch_test(samples[0], samples[1], confidence)
            name, direction = "welch_t", f"{included[0]} − {included[1]}"
        else:
            statistic, p = kruskal_wallis(samples)
            name, direction = "kruskal_wallis", None
        rows.append((dimension_id, name, statistic, p, included, excluded, direction))
    adjusted = adjust(np.array([row[3] for row in rows]), correction) if rows else np.array([])
    return [SegmentTest(column=column, dimension=d, test=name, statistic=statistic, p_value=p,
                        p_adjusted=float(adjusted[i]), significant=significant(float(adjusted[i]), confidence),
                        groups=included, excluded=excluded, direction=direction)
            for i, (d, name, statistic, p, included, excluded, direction) in enumerate(rows)]
