"""Every config rule, with a failing example at an exact line and column, and a passing one.

Positions were worked out by hand from the snippets (1-based, at the offending key or value; for a
missing key, at its parent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from servgap.checks.catalogue import CONFIG_RULES
from servgap.checks.config import load_config

BASE = """\
format_version: 1
instrument:
  id: mini
  name:
    en: Mini
  scale:
    min: 1
    max: 5
dimensions:
  - id: speed
    name:
      en: Speed
    items:
      - id: s1
        text:
          en: Fast service
      - id: s2
        text:
          en: Short queues
      - id: s3
        text:
          en: Quick answers
"""

EMPTY_DIMENSION = """\
  - id: empty
    name:
      en: Empty
    items: []
"""

INLINE_FACTOR = """\
management:
  factors:
    factors:
      - id: research
        gap: {gap}
        direction: protective
        name:
          en: Research
        {items}
"""

# (rule code, config text, expected line, expected column)
FAILING = [
    ("SG010", BASE.replace("  id: mini\n", "  id: mini: x\n"), 3, 11),
    ("SG011", BASE.replace("  id: mini\n", "  id: mini\n  id: again\n"), 4, 3),
    ("SG013", "- just\n- a list\n", 1, 1),
    ("SG013", "# only a comment\n", 1, 1),
    ("SG101", BASE.replace("    max: 5\n", "    max: 5\n    maximum: 7\n"), 9, 5),
    ("SG102", BASE.replace("    max: 5\n", ""), 6, 3),
    ("SG103", BASE.replace("    max: 5\n", "    max: five\n"), 8, 10),
    ("SG103", BASE.replace("  id: mini\n", "  id: 9lives\n"), 3, 7),
    ("SG104", BASE.replace("format_version: 1", "format_version: 2"), 1, 17),
    ("SG201", BASE.replace("      - id: s3\n", "      - id: s1\n"), 20, 13),
    ("SG202", BASE + EMPTY_DIMENSION, 26, 5),
    ("SG203", BASE.replace("      - id: s3\n        text:\n          en: Quick answers\n", ""), 13, 5),
    ("SG204", BASE.replace("    max: 5\n", "    max: 1\n"), 8, 10),
    ("SG204", BASE.replace("    max: 5\n", "    max: 5\n    labels:\n      6:\n        en: Beyond\n"), 10, 7),
    ("SG205", BASE + "importance:\n  weights:\n    speed: -5\n", 25, 12),
    ("SG206", BASE + "importance:\n  weights:\n    speed: 90\n", 24, 3),
    ("SG207", BASE.replace("  scale:\n", "  languages: [en, zh]\n  scale:\n"), 4, 3),
    ("SG208", BASE + "data:\n  columns:\n    s9:\n      perception: 4\n", 25, 5),
    ("SG208", BASE + "management:\n  checklists:\n    5:\n      - en: Why?\n", 25, 5),
    ("SG209", BASE.replace("en: Short queues", "en: Fast  Service"), 19, 15),
    ("SG210", BASE + "data:\n  columns:\n    s1:\n      perception: P_s2\n", 26, 19),
    ("SG210", BASE + "data:\n  respondent_id: 3\n  columns:\n    s1:\n      expectation: 3\n", 27, 20),
    ("SG211", BASE + "management:\n  standards:\n    s1: 6\n", 25, 9),
    ("SG212", BASE + EMPTY_DIMENSION + "importance:\n  weights:\n    speed: 100\n", 28, 3),
    ("SG213", BASE + INLINE_FACTOR.format(gap=1, items="items: []"), 31, 9),
    ("SG208", BASE + INLINE_FACTOR.format(gap=5, items="items: [{id: r1, text: {en: We ask.}}]"), 27, 14),
]


def write(tmp_path: Path, text: str | bytes, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def positions(path: Path) -> set[tuple[str, int, int]]:
    return {(f.code, f.line, f.column) for f in load_config(path).findings}


def test_base_config_passes_every_rule(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, BASE))
    assert loaded.findings == []
    assert loaded.ok
    assert [item.id for _, item in loaded.config.items()] == ["s1", "s2", "s3"]


@pytest.mark.parametrize(
    ("code", "text", "line", "column"), FAILING, ids=[f"{case[0]}-{index}" for index, case in enumerate(FAILING)]
)
def test_failing_example_is_found_at_its_position(
    tmp_path: Path, code: str, text: str, line: int, column: int
) -> None:
    found = positions(write(tmp_path, text))
    assert (code, line, column) in found, sorted(found)


def test_every_config_rule_has_a_failing_example() -> None:
    file_level = {"SG001", "SG002", "SG003", "SG012"}  # tested in test_hostile_input.py
    covered = {case[0] for case in FAILING} | file_level
    assert {rule.code for rule in CONFIG_RULES} <= covered


def test_missing_key_names_the_key_and_its_parent(tmp_path: Path) -> None:
    findings = load_config(write(tmp_path, BASE.replace("    max: 5\n", ""))).findings
    assert [f.message for f in findings] == ["instrument.scale needs the key 'max'"]


def test_unknown_key_suggests_the_closest_known_key(tmp_path: Path) -> None:
    text = BASE.replace("          en: Fast service\n", "          en: Fast service\n        revers: true\n")
    (finding,) = load_config(write(tmp_path, text)).findings
    assert (finding.code, finding.line, finding.column) == ("SG101", 17, 9)
    assert "did you mean 'reverse'?" in finding.message


def test_duplicate_key_message_points_at_the_first(tmp_path: Path) -> None:
    text = BASE.replace("  id: mini\n", "  id: mini\n  id: again\n")
    (finding,) = load_config(write(tmp_path, text)).findings
    assert "first at line 3" in finding.message


def test_unknown_reference_suggests_the_closest_id(tmp_path: Path) -> None:
    text = BASE + "management:\n  standards:\n    s10: 4\n"
    (finding,) = load_config(write(tmp_path, text)).findings
    assert finding.code == "SG208"
    assert "did you mean 's1'?" in finding.message


def test_warnings_do_not_make_the_config_unusable(tmp_path: Path) -> None:
    text = BASE.replace("      - id: s3\n        text:\n          en: Quick answers\n", "")
    loaded = load_config(write(tmp_path, text))
    assert [f.level.value for f in loaded.findings] == ["warning"]
    assert loaded.ok


def test_reverse_and_overrides_are_read(tmp_path: Path) -> None:
    text = BASE.replace("          en: Fast service\n", "          en: Fast service\n        reverse: true\n")
    text += "data:\n  columns:\n    s2:\n      expectation: Q2 how short should queues be?\n      perception: 7\n"
    loaded = load_config(write(tmp_path, text))
    assert loaded.findings == []
    items = {item.id: item for _, item in loaded.config.items()}
    assert items["s1"].reverse is True
    assert loaded.config.data.columns["s2"].perception == 7
