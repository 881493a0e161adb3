"""SG0xx: the file cannot be read as a config, or is not valid YAML.

These rules are found while reading (``checks/yamlsource.py``), before any key is looked at; a
finding of an ``unreadable`` rule makes `servgap check` exit 2.
"""

from __future__ import annotations

from servgap.checks.rules.common import BASE, changed
from servgap.findings import Example, Rule, Severity

E = Severity.ERROR

FILE_UNREADABLE = Rule(
    "SG001", "file-unreadable", E,
    "The file does not exist, is a folder, or cannot be opened.",
    "Check the path and the file's permissions.", unreadable=True)
NOT_TEXT = Rule(
    "SG002", "not-utf8-text", E,
    "The file is not UTF-8 text (binary content, NUL bytes or another encoding).",
    "Save the config as UTF-8 (most editors: 'Save with encoding' > UTF-8).", unreadable=True,
    examples=(Example(changed("  id: mini\n", "  id: mi\x00ni\n"), 3, 9), Example(BASE)))
FILE_TOO_LARGE = Rule(
    "SG003", "file-too-large", E,
    "The file is larger than any instrument config could be (limit 2 MB).",
    "An instrument config is a few kilobytes; check that the path names the config and not a data "
    "file.", unreadable=True)
YAML_SYNTAX = Rule(
    "SG010", "yaml-syntax", E,
    "The file is not valid YAML.",
    "Fix the syntax at the position given: usually an indentation slip, a missing ':' or an "
    "unclosed quote.",
    examples=(Example(changed("  id: mini\n", "  id: mini: x\n"), 3, 11), Example(BASE)))
DUPLICATE_KEY = Rule(
    "SG011", "duplicate-key", E,
    "A key appears twice in the same mapping (YAML would silently keep only the last one).",
    "Remove or rename one of the two keys; the message names the line of the first.",
    examples=(Example(changed("  id: mini\n", "  id: mini\n  id: again\n"), 4, 3), Example(BASE)))
ALIAS_EXPANSION = Rule(
    "SG012", "too-complex", E,
    "The YAML expands to too many nodes or nests too deeply (for example an alias bomb).",
    "Configs need no deep nesting and few anchors/aliases; write the values out.")
NOT_A_MAPPING = Rule(
    "SG013", "not-a-mapping", E,
    "The file is empty or its top level is not a mapping of keys to values.",
    "Start from `servgap init my-instrument.yaml`, which writes a complete starter config.",
    examples=(Example("- just\n- a list\n", 1, 1), Example("# only a comment\n", 1, 1), Example(BASE)))

RULES = (FILE_UNREADABLE, NOT_TEXT, FILE_TOO_LARGE, YAML_SYNTAX, DUPLICATE_KEY, ALIAS_EXPANSION, NOT_A_MAPPING)
