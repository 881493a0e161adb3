"""The bundled instrument library, `servgap templates`, `servgap init` and the committed schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servgap.checks.config import load_config
from servgap.instrument.library import templates
from servgap.instrument.schema import config_schema_text
from tests.conftest import CONFIGS, run_line

EXPECTED_SHAPES = {
    "servqual": [("tangibles", 4), ("reliability", 5), ("responsiveness", 4), ("assurance", 4), ("empathy", 5)],
    "restaurant": [("tangibles", 10), ("reliability", 5), ("responsiveness", 3), ("assurance", 6), ("empathy", 5)],
}


@pytest.mark.parametrize(("kind", "name"), [("config", "servgap.schema.json"),
                                           ("factors", "servgap-factors.schema.json")])
def test_committed_schemas_are_current(kind: str, name: str) -> None:
    committed = (CONFIGS / name).read_text(encoding="utf-8")
    assert committed == config_schema_text(kind), f"regenerate with: servgap schema --kind {kind} -o configs/{name}"


def test_schema_command_prints_the_schema() -> None:
    assert json.loads(run_line("schema").stdout) == json.loads(config_schema_text())


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_config_is_clean_and_points_editors_at_the_schema(path: Path) -> None:
    loaded = load_config(path)
    assert loaded.findings == []
    assert path.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=servgap.schema.json"
    for _, item in loaded.config.items():
        assert set(item.text) >= {"en", "zh"}


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPES))
def test_instrument_structure(name: str) -> None:
    config = load_config(CONFIGS / f"{name}.yaml").config
    assert [(d.id, len(d.items)) for d in config.dimensions] == EXPECTED_SHAPES[name]


def test_servqual_item_ids_and_block_style() -> None:
    config = load_config(CONFIGS / "servqual.yaml").config
    ids = [item.id for _, item in config.items()]
    expected = ([f"tan{i}" for i in range(1, 5)] + [f"rel{i}" for i in range(1, 6)] + [f"res{i}" for i in range(1, 5)]
                + [f"asr{i}" for i in range(1, 5)] + [f"emp{i}" for i in range(1, 6)])
    assert ids == expected
    assert "      - id: tan1\n" in (CONFIGS / "servqual.yaml").read_text(encoding="utf-8")
    assert (config.instrument.scale.min, config.instrument.scale.max) == (1, 7)


def test_restaurant_has_the_four_step_checklist() -> None:
    config = load_config(CONFIGS / "restaurant.yaml").config
    assert sorted(config.management.checklists) == [1, 2, 3, 4]
    assert all(dimension.actions for dimension in config.dimensions)


def test_helpdesk_is_a_nine_point_zone_of_tolerance_instrument() -> None:
    config = load_config(CONFIGS / "helpdesk.yaml").config
    assert (config.instrument.scale.min, config.instrument.scale.max) == (1, 9)
    assert [f.value for f in config.instrument.facets] == ["adequate", "desired", "perception"]


def test_templates_lists_the_library() -> None:
    names = [t.name for t in templates()]
    assert names == ["airline", "helpdesk", "restaurant", "servqual"]
    assert run_line("templates").stdout.splitlines()[0].startswith("airline")


def test_init_writes_a_config_that_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "study.yaml"
    result = run_line(["init", "--template", "restaurant", str(target)])
    assert result.exit_code == 0
    assert (tmp_path / "servgap.schema.json").exists()
    assert run_line(["check", "--strict", str(target)]).exit_code == 0


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "study.yaml"
    target.write_text("mine\n")
    result = run_line(["init", str(target)])
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert target.read_text() == "mine\n"
    assert run_line(["init", "--force", str(target)]).exit_code == 0
    assert target.read_text() != "mine\n"


def test_init_unknown_template(tmp_path: Path) -> None:
    result = run_line(["init", "--template", "bank", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert "servqual" in result.stderr
    assert not (tmp_path / "x.yaml").exists()
