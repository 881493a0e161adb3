"""Result objects of an analysis. One `Assessment` feeds the terminal, JSON, CSV and Markdown.

Values keep full precision; NaN marks an undefined statistic (renderers show it as null or "–").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from servgap.core.config import LocalText
from servgap.core.tolerance import Tolerance


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha of one facet of a dimension, over ``n`` listwise-complete respondents."""

    n: int
    alpha: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ItemResult:
    """Gap statistics of one item over respondents with both E and P (pairwise complete)."""

    id: str
    dimension: str
    text: LocalText
    reverse: bool
    n: int
    expectation: float
    perception: float
    gap: float
    gap_sd: float
    gap_ci: tuple[float, float]
    t: float
    p_value: float
    p_adjusted: float
    effect_size: float
    wilcoxon_p: float | None
    share_negative: float
    perception_only: float
    perception_n: int
    alpha_if_deleted: dict[str, float]
    item_total: dict[str, float]


@dataclass(frozen=True)
class LeftOut:
    """Respondents without a score for a dimension, and why."""

    total: int
    no_answers: int
    too_few_items: int
    required_items: int
    items: int


@dataclass(frozen=True)
class DimensionResult:
    """Gap statistics of one dimension over its respondent dimension scores."""

    id: str
    name: LocalText
    items: list[str]
    n: int
    expectation: float
    perception: float
    gap: float
    gap_sd: float
    gap_ci: tuple[float, float]
    t: float
    p_value: float
    p_adjusted: float
    effect_size: float
    wilcoxon_p: float | None
    share_negative: float
    perception_only: float
    perception_only_n: int
    alpha: dict[str, Alpha]
    left_out: LeftOut
    weight: float | None


@dataclass(frozen=True)
class Overall:
    """Instrument-level scores: the mean of the dimension scores, and the weighted score."""

    expectation: float
    perception: float
    gap: float
    perception_only: float
    weighted_gap: float | None
    weighted_gap_aggregate: float | None
    weighting: str
    weighted_n: int
    weights: dict[str, float]
    weighting_excluded: dict[str, int]


@dataclass(frozen=True)
class SegmentDimension:
    n: int
    gap: float


@dataclass(frozen=True)
class SegmentResult:
    """Dimension gaps of the respondents in one segment value."""

    column: str
    value: str | None
    n: int
    small: bool
    gap: float
    dimensions: dict[str, SegmentDimension]


@dataclass(frozen=True)
class CellNote:
    row: int
    column: int
    header: str
    value: str | None
    message: str


@dataclass(frozen=True)
class DataQuality:
    """What was read, what was used, and what was left out."""

    file: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    rows_read: int
    rows_used: int
    ids_from_rows: bool
    missing_cells: dict[str, int]
    invalid_as_missing: list[CellNote]
    straight_liners: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GapItem:
    """One management gap for one item: ``value = second − first`` (negative = shortfall)."""

    id: str
    dimension: str
    measured: bool
    value: float | None
    first: float | None
    second: float | None
    n: int | None = None
    p_value: float | None = None
    p_adjusted: float | None = None


@dataclass(frozen=True)
class GapDimension:
    id: str
    value: float | None
    items_measured: int
    items: int


@dataclass(frozen=True)
class FactorResult:
    """An organisational factor's score and its risk on [0, 1] (1 = the factor points to the gap)."""

    id: str
    gap: int
    direction: str
    name: LocalText
    n: int
    score: float
    risk: float
    alpha: float
    statements: int


@dataclass(frozen=True)
class ManagementGap:
    """A gap of the chain E → M → S → D → P (with the promise C), measured or not."""

    gap: int
    key: str
    measured: bool
    needs: list[str]
    value: float | None
    items: list[GapItem]
    dimensions: list[GapDimension]
    risk: float | None
    factors: list[FactorResult]


@dataclass(frozen=True)
class PriorityRow:
    id: str
    name: LocalText
    customer: float
    manager: float
    customer_rank: float
    manager_rank: float
    displacement: float


@dataclass(frozen=True)
class PriorityComparison:
    """Gap 1's comparison of what customers and managers consider important."""

    basis: str
    rows: list[PriorityRow]
    spearman_rho: float
    spearman_p: float
    largest_displacements: list[str]


@dataclass(frozen=True)
class ManagementResult:
    gaps: list[ManagementGap]
    priority_comparison: PriorityComparison | None
    standards_coverage: float
    uncovered_items: list[str]
    respondents: dict[str, int]


@dataclass(frozen=True)
class ChecklistEntry:
    """One line of the ranked improvement checklist."""

    rank: int
    kind: str
    ref: str
    dimension: str | None
    title: LocalText
    priority: float | None
    gap: float | None
    expectation: float | None
    perception: float | None
    gap_ci: tuple[float, float] | None
    p_adjusted: float | None
    importance: float | None
    risk: float | None
    actions: list[LocalText]
    causes: list[LocalText]
    zone: str | None = None
    msa: float | None = None
    mss: float | None = None
    quadrant: str | None = None


@dataclass(frozen=True)
class Checklist:
    method: str
    entries: list[ChecklistEntry]
    strengths: list[str]
    notes: list[str]


@dataclass(frozen=True)
class SegmentTest:
    """A test of a dimension's gap between the values of a segment column."""

    column: str
    dimension: str
    test: str
    statistic: float
    p_value: float
    p_adjusted: float
    groups: list[str]
    excluded: list[str]


@dataclass(frozen=True)
class IpaItem:
    id: str
    dimension: str
    importance: float
    performance: float
    quadrant: str | None


@dataclass(frozen=True)
class Ipa:
    """Importance–performance analysis: each item's quadrant around the crosshair."""

    importance_source: str
    crosshair: str
    importance_cross: float
    performance_cross: float
    items: list[IpaItem]


@dataclass(frozen=True)
class BootstrapResult:
    """Percentile bootstrap intervals (respondents resampled) and the checklist's rank stability."""

    resamples: int
    seed: int
    confidence: float
    dimensions: dict[str, tuple[float, float]]
    overall: tuple[float, float]
    top: int
    rank_stability: dict[str, float]


@dataclass(frozen=True)
class Assessment:
    """Everything an analysis found, ready for any renderer."""

    instrument_id: str
    instrument_name: LocalText
    languages: list[str]
    scale: tuple[int, int]
    facets: list[str]
    confidence: float
    test: str
    correction: str
    min_segment_n: int
    items: list[ItemResult]
    dimensions: list[DimensionResult]
    overall: Overall
    segments: list[SegmentResult]
    data_quality: DataQuality
    management: ManagementResult | None = None
    checklist: Checklist | None = None
    tolerance: Tolerance | None = None
    segment_tests: list[SegmentTest] = field(default_factory=list)
    #: what segments and segment tests compare: "gap" (P − E) or "msa" (P − adequate, for zone data)
    segment_measure: str = "gap"
    ipa: Ipa | None = None
    bootstrap: BootstrapResult | None = None
