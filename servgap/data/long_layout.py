"""The long layout: one row per respondent, item, facet and value, turned into the wide layout.

Columns (case-insensitive): ``respondent`` (or ``respondent_id``), ``item``, ``facet``, ``value``;
any other column (a segment such as ``branch``) is taken per respondent from its first row.
Facets are written ``E``/``expectation``, ``P``/``perception``, ``MIN``/``adequate``,
``DES``/``desired``; importance points use facet ``W`` with the dimension id in ``item``.
Values are validated here, so that invalid cells are reported at the long file's own rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from servgap.data import rules as data_rules
from servgap.instrument.columns import fill
from servgap.instrument.models import InstrumentConfig

if TYPE_CHECKING:
    from servgap.data.issues import DataIssue
    from servgap.data.tables import Table

RESPONDENT_HEADERS = ("respondent", "respondent_id", "id")


def widen(
    table: Table, config: InstrumentConfig, issues: list[DataIssue], invalid_as_missing: bool = False
) -> tuple[Table, InstrumentConfig]:
    """Validate a long table and pivot it into a wide one named by the default column patterns.

    Returns the wide table and a copy of ``config`` whose data mapping matches it (default
    patterns, no per-item overrides, respondent id column ``respondent_id``).
    """
    from servgap.data.cells import CellValidator, collect_invalid
    from servgap.data.issues import DataIssue
    from servgap.data.plan import FACET_CODES, IMPORTANCE_CODES
    from servgap.data.tables import Table

    lowered = {header.strip().lower(): index for index, header in enumerate(table.headers)}
    respondent_column = next((lowered[name] for name in RESPONDENT_HEADERS if name in lowered), None)
    missing = [name for name in ("item", "facet", "value") if name not in lowered]
    if respondent_column is None:
        missing.insert(0, "respondent")
    if missing or respondent_column is None:
        issues.append(DataIssue(data_rules.MISSING_COLUMN, 1, 0, "", "a long-layout file needs the columns "
                                f"respondent, item, facet and value; missing: {', '.join(missing)}"))
        return table, config
    frame = table.frame
    row_numbers = np.arange(len(frame)) + 2
    respondents = frame[respondent_column].astype("string").str.strip()
    items = frame[lowered["item"]].astype("string").str.strip()
    facet_text = frame[lowered["facet"]].astype("string").str.strip().str.lower()

    item_ids = {item.id for _, item in config.items()}
    dimension_ids = {dimension.id for dimension in config.dimensions}
    facet_of = pd.Series(
        [FACET_CODES.get(code, "importance" if code in IMPORTANCE_CODES else None) for code in facet_text.fillna("")],
        dtype=object,
    )
    items = items.fillna("")
    allowed = {facet for facet in config.instrument.facets}
    for position in np.flatnonzero(~facet_of.isin([*allowed, "importance"]).to_numpy(dtype=bool)):
        issues.append(DataIssue(data_rules.LONG_LAYOUT, int(row_numbers[position]), lowered["facet"] + 1, "facet",
                                f"facet '{facet_text.iloc[position]}' is not one of this instrument's facets "
                                f"({', '.join(f.value for f in config.instrument.facets)}) or W (importance)"))
    is_points = (facet_of == "importance").to_numpy(dtype=bool)
    known = np.where(is_points, items.isin(dimension_ids).to_numpy(), items.isin(item_ids).to_numpy())
    for position in np.flatnonzero(~known & facet_of.notna().to_numpy(dtype=bool)):
        kind = "dimension" if is_points[position] else "item"
        issues.append(DataIssue(data_rules.LONG_LAYOUT, int(row_numbers[position]), lowered["item"] + 1, "item",
                                f"'{items.iloc[position]}' is not a {kind} id of this instrument"))
    for position in np.flatnonzero(respondents.isna().to_numpy()):
        issues.append(DataIssue(data_rules.LONG_LAYOUT, int(row_numbers[position]), respondent_column + 1,
                                "respondent", "the respondent id is blank"))
    keys = pd.DataFrame({"r": respondents, "i": items, "f": facet_of.astype("string")})
    duplicated = keys.duplicated(keep="first").to_numpy()
    for position in np.flatnonzero(duplicated):
        issues.append(DataIssue(data_rules.LONG_LAYOUT, int(row_numbers[position]), lowered["item"] + 1, "item",
                                f"respondent '{respondents.iloc[position]}' answers {items.iloc[position]} "
                                f"({facet_of.iloc[position]}) twice"))
    if issues:
        return table, config

    validator = CellValidator(config)
    value_column = frame[lowered["value"]]
    policy_rule = data_rules.INVALID_AS_MISSING if invalid_as_missing else data_rules.INVALID_CELL
    values = np.full(len(frame), np.nan)
    for kind, mask in (("scale", ~is_points), ("points", is_points)):
        if not mask.any():
            continue
        numbers, absent, invalid = validator.convert(value_column[mask], kind)
        values[mask] = np.where(absent | invalid, np.nan, numbers)
        if invalid.any():
            collect_invalid(issues, invalid, value_column[mask], lowered["value"], "value", kind, config,
                             policy_rule, row_numbers[mask])

    codes, order = pd.factorize(respondents)
    wide: dict[str, object] = {"respondent_id": np.asarray(order, dtype=object)}
    patterns = config.data.patterns
    names = np.where(
        is_points,
        [fill(patterns.importance, dimension=str(i)) for i in items],
        [fill(patterns.for_facet(f), item=str(i)) if f in allowed else "" for f, i in zip(facet_of, items,
                                                                                         strict=True)],
    )
    for name in dict.fromkeys(names.tolist()):
        column = np.full(len(order), np.nan)
        selected = names == name
        column[codes[selected]] = values[selected]
        wide[name] = column
    extra = [index for name, index in lowered.items()
             if index not in (respondent_column, lowered["item"], lowered["facet"], lowered["value"])]
    first_rows = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
    for index in extra:
        wide[table.headers[index]] = frame[index].to_numpy()[first_rows]
    wide_frame = pd.DataFrame(wide)
    headers = list(wide_frame.columns)
    wide_frame.columns = list(range(len(headers)))
    wide_table = Table(wide_frame, headers, f"{table.file_format} (long layout)", table.encoding, table.delimiter,
                        row_numbers=None)
    long_config = config.model_copy(update={"data": config.data.model_copy(
        update={"columns": {}, "importance_columns": {}, "respondent_id": "respondent_id"})})
    return wide_table, long_config
