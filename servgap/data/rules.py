"""Rules for survey data files checked against an instrument config (`check --data`, `analyze`)."""

from __future__ import annotations

from servgap.findings import Rule, Severity

E = Severity.ERROR
W = Severity.WARNING

DATA_UNREADABLE = Rule(
    "SG301", "data-unreadable", E,
    "The data file does not exist, cannot be opened, or is not a table.",
    "Check the path; export the survey as CSV (comma, semicolon or tab), XLSX or Parquet.", unreadable=True)
DATA_ENCODING = Rule(
    "SG302", "data-encoding", E,
    "The data file is not text in UTF-8, GB18030/GBK or CP949.",
    "Re-export as UTF-8, or name the encoding with --encoding (e.g. --encoding gb18030).", unreadable=True)
DATA_EMPTY = Rule(
    "SG303", "data-empty", E,
    "The data file is empty, or has a header but no rows.",
    "Export the responses again; check that the export includes the answers, not only the questions.")
MISSING_COLUMN = Rule(
    "SG304", "missing-column", E,
    "A column the config maps an item facet (or importance, id, segment) to is not in the file.",
    "Rename the column, or map it under data.columns in the config (by exact header text or 1-based "
    "position); the message lists the closest headers present.")
DUPLICATE_RESPONDENT = Rule(
    "SG305", "duplicate-respondent", E,
    "Two rows share a respondent id.",
    "Remove the duplicate row, or give respondents unique ids.")
INVALID_CELL = Rule(
    "SG306", "invalid-cell", E,
    "A cell is not a number, not a whole scale point, or outside the scale (importance points: "
    "not a non-negative number).",
    "Correct the cell; if it marks a missing answer add the code to data.missing_codes; or run with "
    "--invalid missing to treat invalid cells as missing (they are reported).")
INVALID_AS_MISSING = Rule(
    "SG307", "invalid-treated-as-missing", W,
    "An invalid cell was treated as missing because of --invalid missing.",
    "Correct the cell in the export if the answer can be recovered.")
LONG_LAYOUT = Rule(
    "SG308", "long-layout", E,
    "A row of a long-layout file (respondent, item, facet, value) names an unknown item or facet, "
    "or repeats a respondent's answer.",
    "Use item ids from the config, facets E, P, MIN, DES or W (or their full names), and one row per "
    "respondent, item and facet.")
AMBIGUOUS_HEADER = Rule(
    "SG309", "ambiguous-header", E,
    "A header the config names appears more than once in the file.",
    "Rename one of the columns, or map the item by its 1-based column position instead.")

LEVEL_SHEET = Rule(
    "SG310", "level-sheet", E,
    "A standards or promises sheet lacks its item/level columns, names an unknown item, or lists an item "
    "twice.",
    "Give the sheet two columns, item (an item id of the config) and level (on the item scale), one row per "
    "item.")

DATA_RULES: tuple[Rule, ...] = (
    DATA_UNREADABLE, DATA_ENCODING, DATA_EMPTY, MISSING_COLUMN, DUPLICATE_RESPONDENT, INVALID_CELL,
    INVALID_AS_MISSING, LONG_LAYOUT, AMBIGUOUS_HEADER, LEVEL_SHEET,
)
