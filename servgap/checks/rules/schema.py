"""SG1xx: the config format — keys the format does not know, keys it needs, values it does not allow.

Found by validating the YAML against the pydantic models of ``instrument/models.py`` (the JSON
Schema of ``servgap schema`` is generated from the same models); ``checks/config.py`` turns each
validation error into a finding at the key's position.
"""

from __future__ import annotations

from servgap.checks.rules.common import BASE, changed
from servgap.findings import Example, Rule, Severity

E = Severity.ERROR

UNKNOWN_KEY = Rule(
    "SG101", "unknown-key", E,
    "A key the config format does not know (often a typo).",
    "Remove the key or correct its spelling; the message suggests the closest known key.",
    examples=(Example(changed("    max: 5\n", "    max: 5\n    maximum: 7\n"), 9, 5), Example(BASE)))
MISSING_KEY = Rule(
    "SG102", "missing-key", E,
    "A required key is missing.",
    "Add the key named in the message to the mapping at the position given.",
    examples=(Example(changed("    max: 5\n", ""), 6, 3), Example(BASE)))
INVALID_VALUE = Rule(
    "SG103", "invalid-value", E,
    "A value has the wrong type or is not one of the allowed values.",
    "Change the value as the message says; `servgap schema` prints the full format.",
    examples=(Example(changed("    max: 5\n", "    max: five\n"), 8, 10),
              Example(changed("  id: mini\n", "  id: 9lives\n"), 3, 7), Example(BASE)))
FORMAT_VERSION = Rule(
    "SG104", "format-version", E,
    "The config's format_version is not one this servgap reads.",
    "Set `format_version: 1`, or upgrade servgap if the config was written for a newer one.",
    examples=(Example(changed("format_version: 1", "format_version: 2"), 1, 17), Example(BASE)))

RULES = (UNKNOWN_KEY, MISSING_KEY, INVALID_VALUE, FORMAT_VERSION)
