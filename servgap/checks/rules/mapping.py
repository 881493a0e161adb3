"""SG208, 210: what a config points at — ids it refers to, and the data columns it maps."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from servgap.checks.positions import KeyPath, format_path
from servgap.checks.rules.common import BASE, INLINE_FACTOR, Context
from servgap.findings import Example, Finding, Rule, Severity
from servgap.instrument.columns import ColumnRef, item_column, points_column
from servgap.instrument.models import Facet

E = Severity.ERROR

#: The management gaps of the gap model that checklists and factors can belong to.
MANAGEMENT_GAPS = (1, 2, 3, 4)

UNKNOWN_REFERENCE = Rule(
    "SG208", "unknown-reference", E,
    "A reference names an item, dimension or management gap that does not exist.",
    "Use an id defined under dimensions (or gap numbers 1 to 4); the message suggests the closest.",
    examples=(Example(BASE + "data:\n  columns:\n    s9:\n      perception: 4\n", 25, 5),
              Example(BASE + "management:\n  checklists:\n    5:\n      - en: Why?\n", 25, 5),
              Example(BASE + INLINE_FACTOR.format(gap=5, items="items: [{id: r1, text: {en: We ask.}}]"), 27, 14),
              Example(BASE + "data:\n  columns:\n    s1:\n      perception: 4\n")))
COLUMN_COLLISION = Rule(
    "SG210", "column-collision", E,
    "Two different inputs are mapped to the same data column.",
    "Give each item facet, the respondent id and each segment its own column.",
    examples=(Example(BASE + "data:\n  columns:\n    s1:\n      perception: P_s2\n", 26, 19),
              Example(BASE + "data:\n  respondent_id: 3\n  columns:\n    s1:\n      expectation: 3\n", 27, 20),
              Example(BASE + "data:\n  columns:\n    s1:\n      perception: How fast was it?\n")))


def unknown(context: Context, path: KeyPath, name: str, kind: str, known: list[str]) -> Finding:
    """An SG208 finding for ``name``, with the closest known id suggested."""
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"{kind}s are: {', '.join(known[:12])}"
    return context.at(UNKNOWN_REFERENCE, path, f"{format_path(path[:-1])} names {kind} '{name}', which is not "
                      f"defined; {hint}", key=True)


def references(context: Context) -> Iterator[Finding]:
    """SG208: weights, column overrides, standards, promises and management sources name known ids;
    checklists name gaps 1 to 4."""
    config = context.config
    for section, known, kind in ((("importance", "weights"), context.dimension_ids, "dimension"),
                                 (("data", "importance_columns"), context.dimension_ids, "dimension"),
                                 (("data", "columns"), context.item_ids, "item"),
                                 (("management", "standards"), context.item_ids, "item"),
                                 (("management", "promises"), context.item_ids, "item"),
                                 (("management", "managers", "columns"), context.item_ids, "item"),
                                 (("management", "audits", "columns"), context.item_ids, "item")):
        mapping: object = config
        for key in section:
            mapping = getattr(mapping, key)
        for name in mapping or {}:  # type: ignore[attr-defined]
            if name not in known:
                yield unknown(context, (*section, name), name, kind, known)
    for gap in config.management.checklists:
        if gap not in MANAGEMENT_GAPS:
            yield context.at(UNKNOWN_REFERENCE, ("management", "checklists", gap),
                             f"management gap {gap} does not exist; checklists are for gaps 1 to 4 "
                             "(1 knowledge, 2 standards, 3 delivery, 4 communication)", key=True)


def column_collisions(context: Context) -> Iterator[Finding]:
    """SG210: the respondent id, the segments, every item facet and every importance column read
    different columns (by the one naming rule of ``instrument/columns.py``)."""
    config = context.config
    mapping = config.data
    used: dict[ColumnRef, tuple[str, KeyPath]] = {}
    reported: set[KeyPath] = set()

    def claim(column: ColumnRef, owner: str, origin: KeyPath) -> Iterator[Finding]:
        if column not in used:
            used[column] = (owner, origin)
            return
        earlier_owner, earlier_origin = used[column]
        # Point at whichever side the user wrote explicitly (an override rather than a default).
        where = origin if context.source.has(origin) or not context.source.has(earlier_origin) else earlier_origin
        if earlier_owner != owner and where not in reported:
            reported.add(where)
            shown = f"position {column}" if isinstance(column, int) else f"'{column}'"
            yield context.at(COLUMN_COLLISION, where, f"column {shown} is mapped to both {earlier_owner} and "
                             f"{owner}; each input needs its own column")

    if mapping.respondent_id is not None:
        yield from claim(mapping.respondent_id, "the respondent id", ("data", "respondent_id"))
    for s_index, segment in enumerate(mapping.segments):
        yield from claim(segment, f"segment {segment!r}", ("data", "segments", s_index))
    for _, item in config.items():
        overrides = mapping.columns.get(item.id)
        for facet in config.instrument.facets:
            explicit = overrides is not None and overrides.for_facet(facet) is not None
            origin: KeyPath = ("data", "columns", item.id, facet.value) if explicit else \
                ("data", "patterns", facet.value)
            yield from claim(item_column(config, item.id, facet), f"{item.id} {facet.value}", origin)
        if overrides is not None and overrides.importance is not None:
            yield from claim(overrides.importance, f"{item.id} importance", ("data", "columns", item.id, "importance"))
    if mapping.overall_quality is not None:
        yield from claim(mapping.overall_quality, "the overall-quality rating", ("data", "overall_quality"))
    if config.importance.use_points_columns and Facet.PERCEPTION in config.instrument.facets:
        for dimension_id in context.dimension_ids:
            origin = ("data", "importance_columns", dimension_id) if dimension_id in mapping.importance_columns \
                else ("data", "patterns", "importance")
            yield from claim(points_column(config, dimension_id), f"importance of {dimension_id}", origin)


RULES = (UNKNOWN_REFERENCE, COLUMN_COLLISION)
CHECKS = (references, column_collisions)
