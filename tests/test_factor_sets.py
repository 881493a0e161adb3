"""Factor sets: the bundled one, factor-set files, and how configs refer to them."""

from __future__ import annotations

from pathlib import Path

from servgap.checks.config import load_config
from tests.conftest import CONFIGS
from tests.test_config_rules import BASE


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_factor_set_has_sixteen_factors_over_four_gaps() -> None:
    loaded = load_config(CONFIGS / "factors" / "gap-model.yaml")
    assert loaded.findings == []
    factors = loaded.factor_set.factors
    assert len(factors) == 16
    assert [sum(f.gap == gap for f in factors) for gap in (1, 2, 3, 4)] == [3, 4, 7, 2]
    assert {f.direction for f in factors if f.id in ("management_layers", "role_conflict", "role_ambiguity",
                                                     "over_promising")} == {"risk"}
    assert all(set(item.text) == {"en", "zh"} for f in factors for item in f.items)


def test_config_uses_the_bundled_set_by_name(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, "c.yaml", BASE + "management:\n  factors: gap-model\n"))
    assert loaded.findings == []
    assert len(loaded.factors.factors) == 16


def test_unknown_factor_set_name_suggests_the_bundled_one(tmp_path: Path) -> None:
    (finding,) = load_config(write(tmp_path, "c.yaml", BASE + "management:\n  factors: gap-modle\n")).findings
    assert (finding.code, finding.line, finding.column) == ("SG208", 24, 12)
    assert "did you mean 'gap-model'?" in finding.message


def test_factor_set_file_beside_the_config_with_its_own_findings(tmp_path: Path) -> None:
    write(tmp_path, "mine.yaml", "format_version: 1\nfactor_set:\n  id: mine\n  name: {en: Mine}\nfactors:\n"
          "  - id: f1\n    gap: 2\n    direction: risk\n    name: {en: F1}\n    items: []\n")
    loaded = load_config(write(tmp_path, "c.yaml", BASE + "management:\n  factors: mine.yaml\n"))
    found = sorted((Path(f.file).name, f.line, f.code) for f in loaded.findings)
    assert found == [("mine.yaml", 10, "SG213")]
    assert not loaded.ok


def test_missing_factor_set_file(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, "c.yaml", BASE + "management:\n  factors: none.yaml\n"))
    assert any(f.code == "SG208" and "does not exist" in f.message for f in loaded.findings)


def test_staff_column_for_an_unknown_statement(tmp_path: Path) -> None:
    text = BASE + "management:\n  factors: gap-model\n  staff:\n    columns:\n      mr9: Q9\n"
    (finding,) = load_config(write(tmp_path, "c.yaml", text)).findings
    assert (finding.code, finding.line, finding.column) == ("SG208", 27, 7)


def test_managers_column_for_an_unknown_item(tmp_path: Path) -> None:
    text = BASE + "management:\n  managers:\n    columns:\n      s9: 4\n"
    (finding,) = load_config(write(tmp_path, "c.yaml", text)).findings
    assert (finding.code, finding.line, finding.column) == ("SG208", 26, 7)


def test_check_recurses_into_factor_sets() -> None:
    from tests.conftest import run_line

    result = run_line(["check", "--strict", str(CONFIGS)])
    assert result.exit_code == 0
    assert "checked 5 file(s)" in result.stderr
