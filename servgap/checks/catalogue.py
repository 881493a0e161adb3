"""The catalogue of rules behind `servgap check` and `servgap rules`.

Codes are stable: SG0xx file and YAML problems, SG1xx schema problems, SG2xx semantic problems
in an instrument config, SG3xx problems in a survey data file checked against a config.
"""

from __future__ import annotations

from servgap.findings import Rule, Severity

E = Severity.ERROR
W = Severity.WARNING

FILE_UNREADABLE = Rule(
    "SG001", "file-unreadable", E,
    "The file does not exist, is a folder, or cannot be opened.",
    "Check the path and the file's permissions.", unreadable=True)
NOT_TEXT = Rule(
    "SG002", "not-utf8-text", E,
    "The file is not UTF-8 text (binary content, NUL bytes or another encoding).",
    "Save the config as UTF-8 (most editors: 'Save with encoding' > UTF-8).", unreadable=True)
FILE_TOO_LARGE = Rule(
    "SG003", "file-too-large", E,
    "The file is larger than any instrument config could be (limit 2 MB).",
    "An instrument config is a few kilobytes; check that the path names the config and not a data "
    "file.", unreadable=True)
YAML_SYNTAX = Rule(
    "SG010", "yaml-syntax", E,
    "The file is not valid YAML.",
    "Fix the syntax at the position given: usually an indentation slip, a missing ':' or an "
    "unclosed quote.")
DUPLICATE_KEY = Rule(
    "SG011", "duplicate-key", E,
    "A key appears twice in the same mapping (YAML would silently keep only the last one).",
    "Remove or rename one of the two keys; the message names the line of the first.")
ALIAS_EXPANSION = Rule(
    "SG012", "too-complex", E,
    "The YAML expands to too many nodes or nests too deeply (for example an alias bomb).",
    "Configs need no deep nesting and few anchors/aliases; write the values out.")
NOT_A_MAPPING = Rule(
    "SG013", "not-a-mapping", E,
    "The file is empty or its top level is not a mapping of keys to values.",
    "Start from `servgap init my-instrument.yaml`, which writes a complete starter config.")
UNKNOWN_KEY = Rule(
    "SG101", "unknown-key", E,
    "A key the config format does not know (often a typo).",
    "Remove the key or correct its spelling; the message suggests the closest known key.")
MISSING_KEY = Rule(
    "SG102", "missing-key", E,
    "A required key is missing.",
    "Add the key named in the message to the mapping at the position given.")
INVALID_VALUE = Rule(
    "SG103", "invalid-value", E,
    "A value has the wrong type or is not one of the allowed values.",
    "Change the value as the message says; `servgap schema` prints the full format.")
FORMAT_VERSION = Rule(
    "SG104", "format-version", E,
    "The config's format_version is not one this servgap reads.",
    "Set `format_version: 1`, or upgrade servgap if the config was written for a newer one.")
DUPLICATE_ID = Rule(
    "SG201", "duplicate-id", E,
    "Two dimensions or items share an id (ids must be unique across the file).",
    "Give each dimension and item its own id; ids name data columns and report rows.")
EMPTY_DIMENSION = Rule(
    "SG202", "empty-dimension", E,
    "A dimension has no items.",
    "Add items to the dimension or remove it.")
FEW_ITEMS = Rule(
    "SG203", "few-items", W,
    "A dimension has fewer than 3 items, so its Cronbach's alpha is weak or undefined.",
    "Add items, or merge the dimension with a related one; keep it only if the design requires it.")
SCALE_BOUNDS = Rule(
    "SG204", "scale-bounds", E,
    "The scale's min is not below its max, or a point label lies outside the scale.",
    "Write the scale as whole numbers with min < max (e.g. min: 1, max: 7) and label only points "
    "within it.")
NEGATIVE_WEIGHT = Rule(
    "SG205", "negative-weight", E,
    "An importance weight is negative.",
    "Importance weights are points out of 100; use zero or a positive number.")
WEIGHT_TOTAL = Rule(
    "SG206", "weight-total", E,
    "Fixed importance weights do not total 100 points.",
    "Adjust the weights so they add up to exactly 100.")
MISSING_TRANSLATION = Rule(
    "SG207", "missing-translation", E,
    "A text lacks one of the languages the instrument declares.",
    "Add the missing language's text, or remove the language from instrument.languages.")
UNKNOWN_REFERENCE = Rule(
    "SG208", "unknown-reference", E,
    "A reference names an item, dimension or management gap that does not exist.",
    "Use an id defined under dimensions (or gap numbers 1 to 4); the message suggests the closest.")
DUPLICATE_TEXT = Rule(
    "SG209", "duplicate-text", W,
    "Two items have the same text in one language (respondents cannot tell them apart).",
    "Reword one of the items.")
COLUMN_COLLISION = Rule(
    "SG210", "column-collision", E,
    "Two different inputs are mapped to the same data column.",
    "Give each item facet, the respondent id and each segment its own column.")
LEVEL_OFF_SCALE = Rule(
    "SG211", "level-off-scale", E,
    "A management level (service standard or promise) lies outside the instrument's scale.",
    "Express standards and promises on the item scale, between its min and max.")

CONFIG_RULES: tuple[Rule, ...] = (
    FILE_UNREADABLE, NOT_TEXT, FILE_TOO_LARGE, YAML_SYNTAX, DUPLICATE_KEY, ALIAS_EXPANSION,
    NOT_A_MAPPING, UNKNOWN_KEY, MISSING_KEY, INVALID_VALUE, FORMAT_VERSION, DUPLICATE_ID,
    EMPTY_DIMENSION, FEW_ITEMS, SCALE_BOUNDS, NEGATIVE_WEIGHT, WEIGHT_TOTAL, MISSING_TRANSLATION,
    UNKNOWN_REFERENCE, DUPLICATE_TEXT, COLUMN_COLLISION, LEVEL_OFF_SCALE,
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule servgap knows, in code order."""
    from servgap.data.rules import DATA_RULES

    return tuple(sorted(CONFIG_RULES + DATA_RULES, key=lambda rule: rule.code))

WEIGHT_MISSING = Rule(
    "SG212", "weight-missing", E,
    "Fixed importance weights leave out a dimension.",
    "Give every dimension a weight (zero is allowed) so the weights are an explicit 100-point split.")

EMPTY_FACTOR = Rule(
    "SG213", "empty-factor", E,
    "An organisational factor has no statements.",
    "Add statements to the factor, or remove it from the factor set.")

CONFIG_RULES = (*CONFIG_RULES, WEIGHT_MISSING, EMPTY_FACTOR)
