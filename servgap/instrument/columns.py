"""The one rule that names data columns.

A config maps every item facet, importance-points column and stated-importance column to a column
of the export, by header text or by 1-based position: an override under ``data.columns`` (or
``data.importance_columns``) wins, else the pattern under ``data.patterns`` with ``{item}`` or
``{dimension}`` replaced by the id. Reading a file, checking a config for collisions, writing a
questionnaire and simulating data all ask this module, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from servgap.instrument.models import Facet, InstrumentConfig

#: A column as a config names it: header text, or a 1-based position.
ColumnRef = int | str


def fill(pattern: str, *, item: str | None = None, dimension: str | None = None) -> str:
    """A column-name pattern with its placeholder replaced.

    Examples
    --------
    >>> fill("E_{item}", item="T1"), fill("W_{dimension}", dimension="TAN")
    ('E_T1', 'W_TAN')
    """
    if item is not None:
        pattern = pattern.replace("{item}", item)
    if dimension is not None:
        pattern = pattern.replace("{dimension}", dimension)
    return pattern


def item_column(config: InstrumentConfig, item_id: str, facet: Facet) -> ColumnRef:
    """The column of one item facet: the item's override for the facet, else the facet's pattern."""
    overrides = config.data.columns.get(item_id)
    override = overrides.for_facet(facet) if overrides else None
    return override if override is not None else item_header(config, item_id, facet)


def item_header(config: InstrumentConfig, item_id: str, facet: Facet) -> str:
    """The header the facet's pattern gives an item (what a questionnaire writes when no header text
    is configured, e.g. for an item mapped by position)."""
    return fill(config.data.patterns.for_facet(facet), item=item_id)


def points_column(config: InstrumentConfig, dimension_id: str) -> ColumnRef:
    """The importance-points column of a dimension: its override, else the importance pattern."""
    return config.data.importance_columns.get(dimension_id, points_header(config, dimension_id))


def points_header(config: InstrumentConfig, dimension_id: str) -> str:
    """The header the importance pattern gives a dimension's points column."""
    return fill(config.data.patterns.importance, dimension=dimension_id)


def stated_importance_column(config: InstrumentConfig, item_id: str) -> ColumnRef:
    """The stated-importance column of an item: its override (``data.columns.<item>.importance``),
    else the pattern (``I_{item}`` by default)."""
    overrides = config.data.columns.get(item_id)
    if overrides is not None and overrides.importance is not None:
        return overrides.importance
    return fill(config.data.patterns.item_importance, item=item_id)


def arrange(columns: Sequence[tuple[ColumnRef, str]]) -> list[str]:
    """Headers in file order for columns given as (reference, header): a column mapped to position N
    is placed at N (its header is only a label there); the others fill the free places in order.

    Examples
    --------
    >>> arrange([("id", "id"), (4, "E_T1"), ("P_T1", "P_T1")])
    ['id', 'P_T1', 'column 3', 'E_T1']
    """
    fixed = {ref: header for ref, header in columns if isinstance(ref, int)}
    named = [header for ref, header in columns if not isinstance(ref, int)]
    width = max([len(columns), *fixed])
    order: list[str] = []
    for position in range(1, width + 1):
        if position in fixed:
            order.append(fixed[position])
        elif named:
            order.append(named.pop(0))
        else:
            order.append(f"column {position}")
    return order + named
