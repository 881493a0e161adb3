"""Result objects of an analysis. One `Assessment` feeds the terminal, JSON, CSV and Markdown.

Values keep full precision; NaN marks an undefined statistic (renderers show it as null or "–").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from servgap.instrument.models import LocalText
from servgap.results.notes import Note

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha of one facet of a dimension, over ``n`` listwise-complete respondents."""

    n: int
    alpha: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class GapTest:
    """The gap statistics an item and a dimension share (gap = P − E).

    ``significant`` is the one verdict every output shows: the adjusted p below 1 − confidence.
    """

    n: int
    expectation: float
    perception: float
    gap: float
    gap_sd: float
    gap_ci: tuple[float, float]
    t: float
    p_value: float
    p_adjusted: float
    significant: bool
    effect_size: float
    wilcoxon_p: float | None
    share_negative: float
    perception_only: float


@dataclass(frozen=True, kw_only=True)
class ItemResult(GapTest):
    """Gap statistics of one item over respondents with both E and P (pairwise complete)."""

    id: str
    dimension: str
    text: LocalText
    reverse: bool
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


@dataclass(frozen=True, kw_only=True)
class DimensionResult(GapTest):
    """Gap statistics of one dimension over its respondent dimension scores."""

    id: str
    name: LocalText
    items: list[str]
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
    """One dimension's gap among the respondents of a segment value."""

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
    """An invalid cell treated as missing: row, column, header, value and why."""

    row: int
    column: int
    header: str
    value: str | None
    message: str
    #: the file, in a dataset of several files (None for one file)
    file: str | None = None


@dataclass(frozen=True)
class SourceFile:
    """One file read: its path, rows, format and encoding."""

    path: str
    rows: int
    format: str
    encoding: str | None


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
    notes: list[Note] = field(default_factory=list)
    #: the survey platform that wrote the file ("generic" for a plain table), its header rows, and
    #: whether it was recognised from the file (else the config or --source named it)
    platform: str = "generic"
    header_rows: int = 1
    platform_detected: bool = True
    #: every file read (one, or each file of a folder or pattern), in order
    files: list[SourceFile] = field(default_factory=list)


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
    """One management gap for one dimension: the mean over its measured items."""

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
    #: the gap's name per language (the gap model's name and the seed's checklist step)
    name: LocalText = field(default_factory=dict)


@dataclass(frozen=True)
class PriorityRow:
    """One row of gap 1's priority comparison: customers' and managers' importance and ranks."""

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
    """The four management gaps, gap 1's priority comparison and the standards coverage."""

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
    """The ranked improvement checklist, the strengths, and notes on how it was ranked."""

    method: str
    entries: list[ChecklistEntry]
    strengths: list[str]
    notes: list[Note]


@dataclass(frozen=True)
class LeftOutGroup:
    """Respondents a segment test leaves out: a value with fewer than the minimum n (``reason``
    ``below_minimum_n``), or the respondents with no value in the column (``value`` None, ``reason``
    ``no_value``)."""

    value: str | None
    n: int
    reason: str


@dataclass(frozen=True)
class SegmentTest:
    """A test of a dimension's gap between the values of a segment column.

    ``groups`` are the values compared, in order of first appearance in the file; for Welch's t
    (two groups) the statistic is that of ``groups[0]`` minus ``groups[1]``, as ``direction`` says.
    """

    column: str
    dimension: str
    test: str
    statistic: float
    p_value: float
    p_adjusted: float
    significant: bool
    groups: list[str]
    excluded: list[LeftOutGroup]
    #: for two groups: "A − B", the difference the statistic's sign refers to; None for more groups
    direction: str | None = None


@dataclass(frozen=True)
class IpaItem:
    """One item's importance, performance and quadrant."""

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
    #: share of resamples in which the item stays in the checklist's top ``top``; None where the
    #: checklist ranks by zone or quadrant, which resampled gaps alone do not decide
    rank_stability: dict[str, float | None]
    #: what the intervals are of: "gap" (P − E) or "msa" (P − adequate, zone-of-tolerance data)
    measure: str = "gap"
    #: the full-sample dimension scores the intervals are about
    estimates: dict[str, float] = field(default_factory=dict)

    @property
    def overall_estimate(self) -> float:
        """The overall score the overall interval is about: the mean of the dimension estimates."""
        values = list(self.estimates.values())
        return float(sum(values) / len(values)) if values else float("nan")


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
    #: how Wilcoxon p-values were computed (exact or normal approximation), when the test asked for them
    wilcoxon_method: str | None = None

    @property
    def shortfalls(self) -> list[str]:
        """Ids of the items with a significant shortfall (``significant`` and gap < 0), largest first:
        the report's "largest significant shortfalls". Gaps equal but for the last bits of block-wise
        means are ties, broken by the smaller adjusted p, then by config order (as in the checklist)."""
        short = [item for item in self.items if item.significant and math.isfinite(item.gap) and item.gap < 0]
        return [item.id for item in sorted(short, key=lambda item: (round(item.gap, 10), item.p_adjusted))]

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        """The JSON contract (docs/json-output.md) as a dict; texts in ``language`` (default: the
        instrument's first language). ``json.dumps(a.to_dict())`` equals ``servgap analyze -f json``."""
        from servgap.results.contract import assessment_dict

        return assessment_dict(self, language or self.languages[0])

    def frames(self, language: str | None = None) -> dict[str, pd.DataFrame]:
        """The results as pandas DataFrames, one per table: ``items``, ``dimensions``, ``segments``,
        ``segment_tests``, ``zone``, ``ipa``, ``management``, ``checklist`` (tables the study has
        no data for are empty). Numbers at full precision; NaN where a statistic is undefined."""
        from servgap.results.frames import assessment_frames

        return assessment_frames(self, language or self.languages[0])

    def _repr_html_(self) -> str:
        """A readable summary for Jupyter: the overall gap, the dimension table, the first checklist
        entries (all text escaped)."""
        from servgap.results.notebook import summary_html

        return summary_html(self)


# --- zone of tolerance, weighted scores, wave comparison ------------------------------------------


@dataclass(frozen=True)
class ToleranceRow:
    """Zone-of-tolerance statistics of one item or dimension."""

    id: str
    n: int
    adequate: float
    desired: float
    perception: float
    msa: float
    msa_ci: tuple[float, float]
    mss: float
    mss_ci: tuple[float, float]
    width: float
    zone: str | None
    share_below: float


@dataclass(frozen=True)
class Tolerance:
    """Zone-of-tolerance rows per item and per dimension."""

    items: list[ToleranceRow]
    dimensions: list[ToleranceRow]


@dataclass(frozen=True)
class WeightedScore:
    """The weighted gap: its value, the aggregate variant, the method, n, weights and exclusions."""

    value: float | None
    aggregate: float | None
    method: str
    n: int
    weights: dict[str, float]
    excluded: dict[str, int]


@dataclass(frozen=True)
class ChangeTest:
    """A change of a gap between two waves with its test: the change, its interval, t, p and the
    adjusted p with the verdict."""

    change: float
    change_ci: tuple[float, float]
    t: float
    p_value: float
    p_adjusted: float
    significant: bool


@dataclass(frozen=True)
class PairedChange(ChangeTest):
    """The change among the respondents who answered in both waves (a panel): the mean of each
    respondent's later gap minus their earlier one, with the paired t test, over ``n`` respondents."""

    n: int


@dataclass(frozen=True)
class ChangeRow(ChangeTest):
    """The change of one item's or dimension's gap between the two waves (independent samples,
    Welch's t), and, when respondents recur, the paired change of those present in both."""

    level: str
    id: str
    name: LocalText
    before_n: int
    before: float
    after_n: int
    after: float
    paired: PairedChange | None = None


@dataclass(frozen=True)
class WaveComparison:
    """The change of every gap between two waves, with the overall change."""

    before_label: str
    after_label: str
    before_rows: int
    after_rows: int
    confidence: float
    correction: str
    overall_before: float
    overall_after: float
    items: list[ChangeRow]
    dimensions: list[ChangeRow]
    #: respondents (by id) who answered in both waves; 0 when none recur or ids are row numbers
    panel_n: int = 0

    @property
    def overall_change(self) -> float:
        """The later wave's overall gap minus the earlier one's (positive: the gap narrowed)."""
        return self.overall_after - self.overall_before
