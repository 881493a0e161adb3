"""Synthetic survey responses for an instrument: demos, tests and benchmarks (always labelled synthetic).

The model is deliberately simple but realistic in the ways that matter to the engine: answers are
whole scale points; items of a dimension share a respondent-level factor (so alphas are plausible);
perceptions fall short of expectations by a dimension-specific amount (0.3 to 1.3 points, the
range published SERVQUAL studies report); some cells are blank; importance points total exactly
100; a segment column shifts perceptions a little.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from servgap.instrument.columns import (
    ColumnRef,
    arrange,
    fill,
    item_column,
    item_header,
    points_column,
    points_header,
)
from servgap.instrument.models import Facet, FactorSet, InstrumentConfig

SEGMENT_VALUES = ("North", "Centre", "South")
SEGMENT_SHIFTS = (0.25, 0.0, -0.35)


def _round_to_hundred(shares: np.ndarray) -> np.ndarray:
    """Integer points per row that total exactly 100 (largest-remainder rounding)."""
    raw = shares * 100
    points = np.floor(raw).astype(np.int64)
    remainder = raw - points
    short = 100 - points.sum(axis=1)
    order = np.argsort(-remainder, axis=1)
    ranks = np.argsort(order, axis=1)
    points += ranks < short[:, None]
    return points


def simulate_responses(config: InstrumentConfig, respondents: int, seed: int, missing_rate: float = 0.02,
                       segment: str | None = None, expectation_levels: np.ndarray | None = None,
                       shortfalls: np.ndarray | None = None) -> pd.DataFrame:
    """A wide table of synthetic responses mapped with the config's default column patterns.

    ``expectation_levels`` and ``shortfalls`` (per item, config order) fix the mean expectation and
    the mean shortfall of each item; by default they are drawn at random per dimension.
    """
    rng = np.random.default_rng(seed)
    low, high = config.instrument.scale.min, config.instrument.scale.max
    span = high - low
    items = config.items()
    k = len(items)
    dimension_index = {d.id: position for position, d in enumerate(config.dimensions)}
    item_dimension = np.array([dimension_index[d.id] for d, _ in items])
    dimensions = len(config.dimensions)

    expectation_level = low + span * rng.uniform(0.74, 0.86, dimensions)
    shortfall = rng.uniform(0.3, 1.3, dimensions) * span / 6
    item_offset = rng.normal(0, 0.2 * span / 6, k)
    segment_name = segment or (str(config.data.segments[0]) if config.data.segments else "branch")
    segment_codes = rng.choice(len(SEGMENT_VALUES), size=respondents, p=(0.45, 0.35, 0.2))
    segment_shift = np.array(SEGMENT_SHIFTS)[segment_codes] * span / 6

    general = rng.normal(0, 0.45 * span / 6, (respondents, 1))
    expectation_factor = rng.normal(0, 0.35 * span / 6, (respondents, dimensions))[:, item_dimension]
    perception_factor = rng.normal(0, 0.75 * span / 6, (respondents, dimensions))[:, item_dimension]

    def noise() -> np.ndarray:
        return rng.normal(0, 0.6 * span / 6, (respondents, k))

    # Optional per-item levels (config order) replace the random ones, for examples with a story.
    item_expectation = expectation_level[item_dimension] + item_offset if expectation_levels is None \
        else expectation_levels
    item_shortfall = shortfall[item_dimension] if shortfalls is None else shortfalls
    expectation = item_expectation + general + expectation_factor + noise()
    perception = (item_expectation - item_shortfall + 0.4 * general + segment_shift[:, None] + perception_factor
                  + noise())
    values: dict[Facet, np.ndarray] = {Facet.EXPECTATION: expectation, Facet.PERCEPTION: perception}
    if Facet.ADEQUATE in config.instrument.facets:
        desired = expectation + rng.uniform(0.3, 1.0) * span / 6
        width = rng.uniform(1.2, 2.6, (respondents, 1)) * span / 8 + rng.normal(0, 0.3, (respondents, k))
        values[Facet.DESIRED] = desired
        values[Facet.ADEQUATE] = desired - np.abs(width)

    reverse = np.array([item.reverse for _, item in items])
    id_ref = config.data.respondent_id
    id_header = id_ref if isinstance(id_ref, str) else "respondent_id"
    columns: dict[str, object] = {segment_name: np.array(SEGMENT_VALUES, dtype=object)[segment_codes]}
    refs: list[tuple[ColumnRef, str]] = [(segment_name, segment_name)]
    if id_ref is not None:
        columns[id_header] = [f"R{number:06d}" for number in range(1, respondents + 1)]
        refs.insert(0, (id_ref, id_header))
    for facet in config.instrument.facets:
        answers = np.clip(np.rint(values[facet]), low, high)
        # Negatively worded items are answered on the reversed scale; the engine recodes them back.
        answers[:, reverse] = low + high - answers[:, reverse]
        blank = rng.random(answers.shape) < missing_rate
        for position, (_, item) in enumerate(items):
            column = pd.array(answers[:, position].astype(np.int64), dtype="Int64")
            column[blank[:, position]] = pd.NA
            ref = item_column(config, item.id, facet)
            header = ref if isinstance(ref, str) else item_header(config, item.id, facet)
            columns[header] = column
            refs.append((ref, header))
    if config.importance.use_points_columns:
        base = np.array([
            (config.importance.weights or {}).get(d.id, 100 / dimensions) for d in config.dimensions
        ], dtype=float)
        shares = rng.dirichlet(np.maximum(base, 1) / 4, size=respondents)
        points = _round_to_hundred(shares)
        for position, dimension in enumerate(config.dimensions):
            ref = points_column(config, dimension.id)
            header = ref if isinstance(ref, str) else points_header(config, dimension.id)
            columns[header] = points[:, position]
            refs.append((ref, header))
    # Columns the config maps by position stand at their positions, as `servgap analyze` reads them.
    order = arrange(refs)
    return pd.DataFrame({header: columns.get(header, pd.array([pd.NA] * respondents, dtype="Int64"))
                         for header in order})


def simulate_ratings(config: InstrumentConfig, respondents: int, seed: int, levels: np.ndarray, pattern: str,
                     id_prefix: str, spread: float = 0.6, missing_rate: float = 0.0,
                     points: np.ndarray | None = None) -> pd.DataFrame:
    """Synthetic ratings of every item around given levels: managers' estimates or audits.

    ``levels`` holds the expected rating per item (config order); ``points``, when given, the
    average share of importance per dimension that each rater spreads their 100 points around.
    """
    rng = np.random.default_rng(seed)
    low, high = config.instrument.scale.min, config.instrument.scale.max
    items = config.items()
    rater = rng.normal(0, spread * 0.5, (respondents, 1))
    answers = np.clip(np.rint(levels[None, :] + rater + rng.normal(0, spread, (respondents, len(items)))), low, high)
    blank = rng.random(answers.shape) < missing_rate
    columns: dict[str, object] = {"id": [f"{id_prefix}{number:03d}" for number in range(1, respondents + 1)]}
    for position, (_, item) in enumerate(items):
        column = pd.array(answers[:, position].astype(np.int64), dtype="Int64")
        column[blank[:, position]] = pd.NA
        columns[fill(pattern, item=item.id)] = column
    if points is not None:
        shares = rng.dirichlet(np.maximum(points, 0.01) * 40, size=respondents)
        allocated = _round_to_hundred(shares)
        for position, dimension in enumerate(config.dimensions):
            columns[fill(config.management.managers.importance_pattern, dimension=dimension.id)] = \
                allocated[:, position]
    return pd.DataFrame(columns)


def simulate_staff(factors: FactorSet, respondents: int, seed: int, levels: dict[str, float] | None = None,
                   missing_rate: float = 0.02) -> pd.DataFrame:
    """Synthetic answers to the staff and manager questionnaire (one column per statement id).

    ``levels`` gives the mean agreement per factor id (default: the scale's upper-middle); reversed
    statements are answered the other way round, as a real respondent would.
    """
    rng = np.random.default_rng(seed)
    low, high = factors.scale.min, factors.scale.max
    columns: dict[str, object] = {"id": [f"S{number:03d}" for number in range(1, respondents + 1)]}
    for factor in factors.factors:
        level = (levels or {}).get(factor.id, low + 0.65 * (high - low))
        latent = level + rng.normal(0, 0.6, respondents)
        for item in factor.items:
            answer = np.clip(np.rint(latent + rng.normal(0, 0.5, respondents)), low, high)
            if item.reverse:
                answer = low + high - answer
            column = pd.array(answer.astype(np.int64), dtype="Int64")
            column[rng.random(respondents) < missing_rate] = pd.NA
            columns[item.id] = column
    return pd.DataFrame(columns)
