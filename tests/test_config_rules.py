"""Every config rule, with a failing example at an exact line and column, and a passing one.

Positions were worked out by hand from the snippets (1-based, at the offending key or value; for a
missing key, at its parent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from servgap.checks.catalogue import CONFIG_RULES, all_rules
from servgap.checks.config import load_config
from servgap.checks.rules.common import BASE

# Every failing and passing example lives with its rule (servgap/checks/rules/); this file runs them.
EXAMPLES = [(rule.code, example) for rule in CONFIG_RULES for example in rule.examples]
FAILING = [(code, example.config, example.line, example.column) for code, example in EXAMPLES if example.fails]
PASSING = [(code, example.config) for code, example in EXAMPLES if not example.fails]


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


@pytest.mark.parametrize(("code", "text"), PASSING, ids=[f"{case[0]}-{index}" for index, case in enumerate(PASSING)])
def test_passing_example_has_no_finding_of_its_rule(tmp_path: Path, code: str, text: str) -> None:
    assert code not in {found[0] for found in positions(write(tmp_path, text))}


def test_every_config_rule_has_a_failing_and_a_passing_example() -> None:
    beyond_a_snippet = {"SG001", "SG003", "SG012"}  # a missing file, 2 MB, an alias bomb: test_hostile_input.py
    failing = {case[0] for case in FAILING} | beyond_a_snippet
    passing = {case[0] for case in PASSING} | beyond_a_snippet
    assert {rule.code for rule in CONFIG_RULES} <= failing & passing


def test_rule_codes_and_names_are_unique() -> None:
    rules = all_rules()
    assert len({rule.code for rule in rules}) == len(rules)
    assert len({rule.name for rule in rules}) == len(rules)


def test_the_rule_reference_in_the_docs_is_generated_from_the_catalogue() -> None:
    from servgap.render.findings import rules_markdown

    reference = (Path(__file__).parent.parent / "docs" / "config-reference.md").read_text(encoding="utf-8")
    assert rules_markdown(all_rules()) in reference, "run: servgap rules --format markdown, paste into the docs"


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
