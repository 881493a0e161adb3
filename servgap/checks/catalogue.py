"""The catalogue of rules behind `servgap check` and `servgap rules`: every family's rules, in code order.

Codes are stable: SG0xx file and YAML problems, SG1xx schema problems, SG2xx semantic problems
in an instrument config, SG3xx problems in a survey data file checked against a config
(``data/rules.py``). Names are unique.
"""

from __future__ import annotations

from servgap.checks.rules import files, importance, instrument, management, mapping, schema
from servgap.checks.rules.files import (
    ALIAS_EXPANSION,
    DUPLICATE_KEY,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    NOT_A_MAPPING,
    NOT_TEXT,
    YAML_SYNTAX,
)
from servgap.checks.rules.importance import NEGATIVE_WEIGHT, WEIGHT_MISSING, WEIGHT_TOTAL
from servgap.checks.rules.instrument import (
    DUPLICATE_ID,
    DUPLICATE_TEXT,
    EMPTY_DIMENSION_RULE,
    FEW_ITEMS,
    MISSING_TRANSLATION,
    SCALE_BOUNDS,
)
from servgap.checks.rules.management import EMPTY_FACTOR, LEVEL_OFF_SCALE
from servgap.checks.rules.mapping import COLUMN_COLLISION, UNKNOWN_REFERENCE
from servgap.checks.rules.schema import FORMAT_VERSION, INVALID_VALUE, MISSING_KEY, UNKNOWN_KEY
from servgap.findings import Rule

#: The semantic checks of a schema-valid config, family by family (each yields findings).
SEMANTIC_CHECKS = (*instrument.CHECKS, *importance.CHECKS, *mapping.CHECKS, *management.CHECKS)

#: Every rule about a config file, in code order.
CONFIG_RULES: tuple[Rule, ...] = tuple(sorted(
    (*files.RULES, *schema.RULES, *instrument.RULES, *importance.RULES, *mapping.RULES, *management.RULES),
    key=lambda rule: rule.code))


def all_rules() -> tuple[Rule, ...]:
    """Every rule servgap knows — config and data — in code order."""
    from servgap.data.rules import DATA_RULES

    return tuple(sorted(CONFIG_RULES + DATA_RULES, key=lambda rule: rule.code))


__all__ = [
    "ALIAS_EXPANSION", "COLUMN_COLLISION", "CONFIG_RULES", "DUPLICATE_ID", "DUPLICATE_KEY", "DUPLICATE_TEXT",
    "EMPTY_DIMENSION_RULE", "EMPTY_FACTOR", "FEW_ITEMS", "FILE_TOO_LARGE", "FILE_UNREADABLE", "FORMAT_VERSION",
    "INVALID_VALUE", "LEVEL_OFF_SCALE", "MISSING_KEY", "MISSING_TRANSLATION", "NEGATIVE_WEIGHT", "NOT_A_MAPPING",
    "NOT_TEXT", "SCALE_BOUNDS", "SEMANTIC_CHECKS", "UNKNOWN_KEY", "UNKNOWN_REFERENCE", "WEIGHT_MISSING",
    "WEIGHT_TOTAL", "YAML_SYNTAX", "all_rules",
]
