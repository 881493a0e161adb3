"""Hostile and broken files end cleanly: a finding with a position, the right exit code, no traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

from servgap.checks.config import load_config
from tests.conftest import CONFIGS, run_line


def codes(path: Path) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in load_config(path).findings]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("")
    assert codes(path) == [("SG013", 1, 1)]


def test_non_utf8_bytes_report_the_offending_byte(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("format_version: 1\ninstrument:\n  id: 餐厅\n".encode("gbk"))
    # line 3: "  id: " is six bytes, so the first GBK byte is column 7
    assert codes(path) == [("SG002", 3, 7)]
    result = run_line(["check", str(path)])
    assert result.exit_code == 2
    assert "not valid UTF-8" in result.stdout


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    assert [c[0] for c in codes(path)] == ["SG002"]


def test_top_level_list(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- format_version: 1\n")
    assert codes(path) == [("SG013", 1, 1)]


def test_alias_bomb_stops_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    found = codes(path)
    assert time.perf_counter() - started < 10  # a guard against hanging, not a benchmark
    assert [c[0] for c in found] == ["SG012"]


def test_recursive_alias(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("a: &loop\n  - *loop\n")
    assert [c[0] for c in codes(path)] == ["SG012"]


def test_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert [c[0] for c in codes(path)] in (["SG012"], ["SG010"])


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    assert codes(path) == [("SG003", 1, 1)]
    assert run_line(["check", str(path)]).exit_code == 2


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_line(["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "SG001" in result.stdout and "no such file" in result.stdout


def test_folder_without_configs_is_a_usage_error(tmp_path: Path) -> None:
    result = run_line(["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "no .yaml or .yml files" in result.stderr
    assert result.stdout == ""


def test_folder_of_a_thousand_configs(tmp_path: Path) -> None:
    text = (CONFIGS / "servqual.yaml").read_text(encoding="utf-8")
    for index in range(1000):
        (tmp_path / f"c{index:04d}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "c0500.yaml").write_text(text.replace("max: 7", "max: seven"), encoding="utf-8")
    result = run_line(["check", "--format", "json", str(tmp_path)])
    payload = json.loads(result.stdout)
    assert result.exit_code == 1
    assert payload["summary"] == {"files": 1000, "errors": 1, "warnings": 0, "unreadable": 0}
    assert payload["findings"][0]["file"].endswith("c0500.yaml")


def test_tab_indentation_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("format_version: 1\ninstrument:\n\tid: x\n")
    (finding,) = load_config(path).findings
    assert (finding.code, finding.line, finding.column) == ("SG010", 3, 1)
    assert "tab" in finding.message
