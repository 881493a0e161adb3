"""The four management gaps of the gap model, and the organisational factors behind them.

The chain runs E → M → S → D → P, with the promise C (docs/method.md §3):

====  ==============================  ========  =========================================
gap   name (seed checklist step)      value     data
====  ==============================  ========  =========================================
1     knowledge (诊断 diagnosis)       M − E     managers' estimates of customers' E
2     standards (处方 prescription)    S − M     documented standard per item
3     delivery (药房 pharmacy)         D − S     audits / mystery shopping per item
4     communication (疗效 efficacy)    D − C     promised level per item
5     customer                        P − E     the customer survey
====  ==============================  ========  =========================================

Every gap reads "second term minus first term", so negative is a shortfall. A gap whose data is
absent is "not measured" and names the data that would measure it; it is never zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from servgap.analysis.engine import analyze
from servgap.data import rules as data_rules
from servgap.data.issues import DataIssue
from servgap.data.options import ReadOptions
from servgap.data.responses import Responses, read_responses
from servgap.instrument.models import (
    DataMapping,
    Dimension,
    Facet,
    FactorSet,
    Importance,
    InstrumentConfig,
    Item,
    ItemColumns,
    LocalText,
    Patterns,
)
from servgap.results import (
    Assessment,
    FactorResult,
    GapDimension,
    GapItem,
    ManagementGap,
    ManagementResult,
    PriorityComparison,
    PriorityRow,
)
from servgap.stats.adjust import adjust
from servgap.stats.moments import welch_test

GAP_KEYS = {1: "knowledge", 2: "standards", 3: "delivery", 4: "communication"}
MANAGERS_NEEDED = "managers' estimates of customers' expectations (--managers FILE)"
STANDARDS_NEEDED = "service standards (management.standards in the config, or --standards FILE)"
AUDITS_NEEDED = "audits or mystery-shopping visits (--audits FILE)"
PROMISES_NEEDED = "promised levels (management.promises in the config, or --promises FILE)"
EXPECTATIONS_NEEDED = "customers' expectation ratings (the expectation facet in the customer survey)"


@dataclass
class ManagementData:
    """What was read for the management side; any part may be absent."""

    managers: Responses | None = None
    audits: Responses | None = None
    staff: Assessment | None = None
    factors: FactorSet | None = None
    standards: dict[str, float] = field(default_factory=dict)
    promises: dict[str, float] = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------------


def _single_facet_config(config: InstrumentConfig, pattern: str, columns: dict[str, int | str],
                         respondent_id: int | str | None, importance_pattern: str | None) -> InstrumentConfig:
    """A copy of ``config`` that reads one rating per item (as 'perception') with the given columns."""
    data = DataMapping(
        respondent_id=respondent_id,
        patterns=Patterns(perception=pattern, importance=importance_pattern or "W_{dimension}"),
        missing_codes=list(config.data.missing_codes),
        columns={item: ItemColumns(perception=ref) for item, ref in columns.items()},
    )
    return config.model_copy(update={
        "instrument": config.instrument.model_copy(update={"facets": [Facet.PERCEPTION]}),
        "data": data,
        "importance": Importance(use_points_columns=importance_pattern is not None),
    })


def staff_config(config: InstrumentConfig, factors: FactorSet) -> InstrumentConfig:
    """The staff questionnaire as an instrument: factors are its dimensions, statements its items."""
    staff = config.management.staff
    dimensions = [
        Dimension(id=factor.id, name=factor.name,
                  items=[Item(id=item.id, text=item.text, reverse=item.reverse) for item in factor.items])
        for factor in factors.factors
    ]
    reading = _single_facet_config(config, "{item}", dict(staff.columns), staff.respondent_id, None)
    return reading.model_copy(update={
        "instrument": reading.instrument.model_copy(update={"scale": factors.scale}),
        "dimensions": dimensions,
    })


def read_levels(config: InstrumentConfig, path: Path, kind: str) -> tuple[dict[str, float], list[DataIssue]]:
    """Read a standards or promises sheet: columns ``item`` and ``level`` (or ``standard``/``promise``)."""
    from servgap.data.cells import CellValidator, cell_text
    from servgap.data.issues import Refusal

    try:
        from servgap.data.tables import read_table  # pandas, only when management files are read

        table = read_table(path, ReadOptions())
    except Refusal as refusal:
        return {}, [refusal.issue]
    lowered = {header.strip().lower(): index for index, header in enumerate(table.headers)}
    level_column = next((lowered[name] for name in ("level", kind, "target") if name in lowered), None)
    if "item" not in lowered or level_column is None:
        return {}, [DataIssue(data_rules.LEVEL_SHEET, 1, 0, "", f"a {kind}s sheet needs the columns item and "
                              f"level; found: {', '.join(table.headers)}")]
    issues: list[DataIssue] = []
    item_ids = {item.id for _, item in config.items()}
    items = table.frame[lowered["item"]].astype("string").str.strip()
    values, missing, invalid = CellValidator(config).convert(table.frame[level_column], "points")
    scale = config.instrument.scale
    levels: dict[str, float] = {}
    for position, item_id in enumerate(items.tolist()):
        row = position + 2 if table.row_numbers is None else int(table.row_numbers[position])
        if item_id is None or item_id is np.nan or item_id not in item_ids:
            issues.append(DataIssue(data_rules.LEVEL_SHEET, row, lowered["item"] + 1, table.headers[lowered["item"]],
                                    f"'{item_id}' is not an item id of this instrument"))
        elif item_id in levels:
            issues.append(DataIssue(data_rules.LEVEL_SHEET, row, lowered["item"] + 1, table.headers[lowered["item"]],
                                    f"item '{item_id}' is listed twice"))
        elif missing[position] or invalid[position] or not scale.min <= values[position] <= scale.max:
            shown = cell_text(table.frame[level_column].iloc[position])
            described = f"'{shown}'" if shown else "blank"
            issues.append(DataIssue(data_rules.INVALID_CELL, row, level_column + 1, table.headers[level_column],
                                    f"{described}: a {kind} level must be a number on the scale "
                                    f"{scale.min}–{scale.max}"))
        else:
            levels[item_id] = float(values[position])
    return levels, issues


def read_management(
    config: InstrumentConfig, factors: FactorSet | None, *, managers: Path | None = None, audits: Path | None = None,
    staff: Path | None = None, standards: Path | None = None, promises: Path | None = None,
    options: ReadOptions | None = None,
) -> tuple[ManagementData, dict[str, list[DataIssue]]]:
    """Read the management inputs that were given; return the data and the issues per file."""
    data = ManagementData(factors=factors, standards=dict(config.management.standards),
                          promises=dict(config.management.promises))
    issues: dict[str, list[DataIssue]] = {}
    management = config.management
    if managers is not None:
        reading = _single_facet_config(config, management.managers.pattern, dict(management.managers.columns),
                                       management.managers.respondent_id, management.managers.importance_pattern)
        outcome = read_responses(reading, managers, options, facet_labels={Facet.PERCEPTION: "manager estimate"})
        data.managers, issues[str(managers)] = outcome.responses, outcome.issues
    if audits is not None:
        reading = _single_facet_config(config, management.audits.pattern, dict(management.audits.columns),
                                       management.audits.respondent_id, None)
        outcome = read_responses(reading, audits, options, facet_labels={Facet.PERCEPTION: "audited level"})
        data.audits, issues[str(audits)] = outcome.responses, outcome.issues
    if staff is not None:
        if factors is None:
            issues[str(staff)] = [DataIssue(data_rules.MISSING_COLUMN, 0, 0, "", "the config names no factors for "
                                            "the staff questionnaire; add `management: {factors: gap-model}`")]
        else:
            reading = staff_config(config, factors)
            outcome = read_responses(reading, staff, options, facet_labels={Facet.PERCEPTION: "answer"})
            issues[str(staff)] = outcome.issues
            if outcome.responses is not None:
                data.staff = analyze(reading, outcome.responses)
    for path, kind, target in ((standards, "standard", data.standards), (promises, "promise", data.promises)):
        if path is not None:
            levels, level_issues = read_levels(config, path, kind)
            target.update(levels)
            issues[str(path)] = level_issues
    return data, {file: found for file, found in issues.items() if found}


# --- computing --------------------------------------------------------------------------------------


def _column_means(responses: Responses) -> tuple[np.ndarray, np.ndarray]:
    matrix = responses.matrix(Facet.PERCEPTION)
    counts = (~np.isnan(matrix)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.nansum(matrix, axis=0) / counts
    return np.where(counts > 0, means, np.nan), counts


def factor_risk(score: float, direction: str, low: float, high: float) -> float:
    r"""Risk on [0, 1] that a factor's score points to its gap (docs/method.md §3).

    .. math:: r = \frac{U - s}{U - L} \text{ (protective)}, \qquad r = \frac{s - L}{U - L} \text{ (risk)}

    References
    ----------
    Zeithaml, Berry and Parasuraman (1988), Journal of Marketing 52(2), 35–48 (the factors).

    Examples
    --------
    On a 1–5 scale a protective factor scoring 11/6 (teamwork agreed with weakly) carries a risk of
    (5 − 11/6)/4 = 0.7917; a risk factor (role conflict) scoring 2 carries (2 − 1)/4 = 0.25:

    >>> round(factor_risk(11 / 6, "protective", 1, 5), 4), factor_risk(2.0, "risk", 1, 5)
    (0.7917, 0.25)
    """
    if direction == "protective":
        return (high - score) / (high - low)
    return (score - low) / (high - low)


def _factor_results(data: ManagementData) -> list[FactorResult]:
    if data.staff is None or data.factors is None:
        return []
    low, high = data.factors.scale.min, data.factors.scale.max
    by_id = {d.id: d for d in data.staff.dimensions}
    results = []
    for factor in data.factors.factors:
        scored = by_id[factor.id]
        score = scored.perception_only
        results.append(FactorResult(
            id=factor.id, gap=factor.gap, direction=factor.direction, name=factor.name, n=scored.perception_only_n,
            score=score, risk=factor_risk(score, factor.direction, low, high) if math.isfinite(score) else math.nan,
            alpha=scored.alpha["perception"].alpha, statements=len(factor.items),
        ))
    return results


def _optional(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def compute_management(config: InstrumentConfig, assessment: Assessment, customers: Responses,
                       data: ManagementData) -> ManagementResult:
    """Gaps 1–4 per item and dimension, factor risks, and gap 1's priority comparison."""
    item_ids = [item.id for _, item in config.items()]
    dimension_of = {item.id: d.id for d, item in config.items()}
    customer_e = np.array([item.expectation for item in assessment.items])

    manager_m = np.full(len(item_ids), np.nan)
    manager_n = np.zeros(len(item_ids), dtype=np.int64)
    gap1_p = np.full(len(item_ids), np.nan)
    expectation = customers.matrix(Facet.EXPECTATION) if Facet.EXPECTATION in customers.facets else None
    if data.managers is not None:
        manager_m, manager_n = _column_means(data.managers)
    if data.managers is not None and expectation is not None:
        estimates = data.managers.matrix(Facet.PERCEPTION)
        perception = customers.matrix(Facet.PERCEPTION)
        for position in range(len(item_ids)):
            managers_here = estimates[:, position][~np.isnan(estimates[:, position])]
            paired = ~np.isnan(expectation[:, position]) & ~np.isnan(perception[:, position])
            customers_here = expectation[paired, position]
            if len(managers_here) >= 2 and len(customers_here) >= 2:
                # Welch's t: managers and customers are independent samples of unequal size and variance.
                gap1_p[position] = welch_test(managers_here, customers_here, assessment.confidence)[1]
    gap1_p_adjusted = adjust(gap1_p, assessment.correction)
    delivered = np.full(len(item_ids), np.nan)
    delivered_n = np.zeros(len(item_ids), dtype=np.int64)
    if data.audits is not None:
        delivered, delivered_n = _column_means(data.audits)
    standard = np.array([data.standards.get(item_id, np.nan) for item_id in item_ids])
    promise = np.array([data.promises.get(item_id, np.nan) for item_id in item_ids])

    chain = {
        1: (customer_e, manager_m, [need for need, absent in ((EXPECTATIONS_NEEDED, expectation is None),
                                                              (MANAGERS_NEEDED, data.managers is None)) if absent]),
        2: (manager_m, standard, [need for need, absent in ((MANAGERS_NEEDED, data.managers is None),
                                                            (STANDARDS_NEEDED, not data.standards)) if absent]),
        3: (standard, delivered, [need for need, absent in ((STANDARDS_NEEDED, not data.standards),
                                                            (AUDITS_NEEDED, data.audits is None)) if absent]),
        4: (promise, delivered, [need for need, absent in ((AUDITS_NEEDED, data.audits is None),
                                                           (PROMISES_NEEDED, not data.promises)) if absent]),
    }
    factors = _factor_results(data)
    gaps = []
    for gap, (first, second, needs) in chain.items():
        values = second - first
        items = []
        for position, item_id in enumerate(item_ids):
            measured = bool(math.isfinite(values[position]))
            items.append(GapItem(
                id=item_id, dimension=dimension_of[item_id], measured=measured,
                value=_optional(values[position]), first=_optional(first[position]),
                second=_optional(second[position]),
                # n: the raters behind the rated term — managers for gaps 1 (M − E) and 2 (S − M),
                # audits for gaps 3 (D − S) and 4 (D − C); 0 when none rated the item.
                n=int(manager_n[position]) if gap in (1, 2) else int(delivered_n[position]),
                p_value=_optional(gap1_p[position]) if gap == 1 else None,
                p_adjusted=_optional(gap1_p_adjusted[position]) if gap == 1 else None,
            ))
        dimensions = []
        for dimension in config.dimensions:
            measured_values = [item.value for item in items
                               if item.dimension == dimension.id and item.value is not None]
            dimensions.append(GapDimension(
                id=dimension.id, value=float(np.mean(measured_values)) if measured_values else None,
                items_measured=len(measured_values), items=len(dimension.items),
            ))
        measured_all = [item.value for item in items if item.measured and item.value is not None]
        gap_factors = [factor for factor in factors if factor.gap == gap]
        risks = [factor.risk for factor in gap_factors if math.isfinite(factor.risk)]
        gaps.append(ManagementGap(
            gap=gap, key=GAP_KEYS[gap], measured=bool(measured_all), needs=needs if not measured_all else [],
            value=float(np.mean(measured_all)) if measured_all else None, items=items, dimensions=dimensions,
            risk=float(np.mean(risks)) if risks else None, factors=gap_factors, name=gap_name(gap),
        ))

    covered = [item_id for item_id in item_ids if item_id in data.standards]
    respondents = {
        "managers": data.managers.rows_read if data.managers else 0,
        "audits": data.audits.rows_read if data.audits else 0,
        "staff": data.staff.data_quality.rows_read if data.staff else 0,
    }
    return ManagementResult(
        gaps=gaps, priority_comparison=priority_comparison(config, assessment, data, manager_m),
        standards_coverage=len(covered) / len(item_ids),
        uncovered_items=[item_id for item_id in item_ids if item_id not in data.standards],
        respondents=respondents,
    )


def _mean_proportions(points: np.ndarray) -> np.ndarray:
    totals = points.sum(axis=1)
    usable = ~np.isnan(totals) & (totals > 0)
    return (points[usable] / totals[usable, None]).mean(axis=0)


def priority_comparison(config: InstrumentConfig, assessment: Assessment, data: ManagementData,
                        manager_m: np.ndarray) -> PriorityComparison | None:
    """Managers' versus customers' importance, ranked, with Spearman's rho (docs/method.md §3).

    Dimension weights are compared when both sides allocated points; otherwise the item expectation
    means (customers' E against managers' estimates). Rank 1 is the most important; tied values share
    their average rank (``scipy.stats.rankdata``), and ρ is Spearman's on those ranks. A positive
    displacement means managers rank the attribute lower than customers do. ``largest_displacements``
    lists at most three attributes with a non-zero displacement, the largest absolute displacement
    first, ties broken by the customers' rank (the more important to customers first).

    References
    ----------
    Spearman, C. (1904), American Journal of Psychology 15(1), 72–101; the seed material's airline
    example, after Lambert and Luiz (2011).
    """
    if data.managers is None:
        return None
    customer_weights = assessment.overall.weights
    manager_points = data.managers.points_matrix()
    if manager_points is not None and assessment.overall.weighting != "none" and customer_weights:
        basis = "dimension_weights"
        ids = [d.id for d in config.dimensions]
        names = [d.name for d in config.dimensions]
        customer = np.array([customer_weights[d] for d in ids])
        manager = _mean_proportions(manager_points)
    else:
        basis = "item_expectations"
        ids = [item.id for _, item in config.items()]
        names = [item.text for _, item in config.items()]
        customer = np.array([item.expectation for item in assessment.items])
        manager = manager_m
    usable = np.isfinite(customer) & np.isfinite(manager)
    if usable.sum() < 3:
        return None
    from scipy import stats  # only with managers' data: scipy.stats is slow to import

    customer_rank = stats.rankdata(-customer[usable])
    manager_rank = stats.rankdata(-manager[usable])
    rho = stats.spearmanr(customer[usable], manager[usable])
    kept = [index for index, keep in enumerate(usable) if keep]
    rows = [
        PriorityRow(id=ids[index], name=names[index], customer=float(customer[index]), manager=float(manager[index]),
                    customer_rank=float(customer_rank[row]), manager_rank=float(manager_rank[row]),
                    displacement=float(manager_rank[row] - customer_rank[row]))
        for row, index in enumerate(kept)
    ]
    ordered = sorted(rows, key=lambda row: (-abs(row.displacement), row.customer_rank))
    largest = [row.id for row in ordered if row.displacement != 0][:3]
    return PriorityComparison(basis=basis, rows=rows, spearman_rho=float(rho.statistic),
                              spearman_p=float(rho.pvalue), largest_displacements=largest)


def gap_name(gap: int) -> LocalText:
    """The name of a management gap in English and Chinese (with the seed's checklist step)."""
    return {
        1: {"en": "Knowledge gap (diagnosis)", "zh": "认知差距（诊断）"},
        2: {"en": "Standards gap (prescription)", "zh": "标准差距（处方）"},
        3: {"en": "Delivery gap (pharmacy)", "zh": "交付差距（药房）"},
        4: {"en": "Communication gap (efficacy)", "zh": "沟通差距（疗效）"},
    }[gap]
