"""Read a YAML file into plain Python data while remembering where every key and value stands.

PyYAML's high-level loaders lose positions, silently keep the last of two duplicate keys and
expand aliases without limit. This module composes the node graph (which keeps marks and does
not expand aliases), then walks it once: building the data, recording 1-based positions by key
path, reporting duplicate keys, and counting nodes so that an alias bomb stops early.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from servgap.checks.positions import KeyPath, Position, SourceMap
from servgap.checks.rules import files as rules
from servgap.findings import Finding

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Instrument configs are kilobytes; anything past this is not a config.
MAX_CONFIG_BYTES = 2 * 1024 * 1024
#: Nodes visited while building the data. A 29-item bilingual config has about 1,500.
MAX_NODES = 200_000

@dataclass
class LoadedYaml:
    """The outcome of reading one YAML file: data (None when unusable), positions, findings."""

    path: str
    data: Any
    source: SourceMap
    findings: list[Finding]


class _TooComplex(Exception):
    def __init__(self, position: Position, reason: str) -> None:
        super().__init__(reason)
        self.position = position
        self.reason = reason


def _position(mark: yaml.Mark | None) -> Position:
    if mark is None:
        return Position(1, 1)
    return Position(mark.line + 1, mark.column + 1)


class _Builder:
    """Turns a composed node graph into Python data, positions and duplicate-key findings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.source = SourceMap()
        self.findings: list[Finding] = []
        self.visited = 0
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _TooComplex(
                _position(node.start_mark),
                f"the document expands to more than {MAX_NODES:,} nodes (an alias bomb?)",
            )
        self.source.values.setdefault(path, _position(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            key_position = _position(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                raise _TooComplex(key_position, "a mapping key must be a plain value, not a list or mapping")
            key = self.constructor.construct_object(key_node)
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            if key in first_seen:
                earlier = first_seen[key]
                self.findings.append(
                    Finding(
                        self.file, key_position.line, key_position.column, rules.DUPLICATE_KEY,
                        f"key '{key}' appears twice in this mapping (first at line {earlier.line}); "
                        "YAML keeps only the last, so remove or rename one",
                    )
                )
            else:
                first_seen[key] = key_position
            child_path = (*path, key)
            self.source.keys.setdefault(child_path, key_position)
            result[key] = self.build(value_node, child_path)
        return result


def _line_col_of_offset(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return Position(line, column)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def read_yaml(path: Path, display: str | None = None) -> LoadedYaml:
    """Read ``path`` as a YAML document, never raising for bad content.

    Parameters
    ----------
    path:
        The file to read.
    display:
        How to name the file in findings (defaults to ``str(path)``).
    """
    name = display or str(path)
    source = SourceMap()

    def fail(rule: rules.Rule, position: Position, message: str) -> LoadedYaml:
        return LoadedYaml(name, None, source, [Finding(name, position.line, position.column, rule, message)])

    from servgap.data.sources import SourceTooLarge, SourceUnreadable, open_source

    try:
        # Pipes, standard input and devices are read once, up to the cap; /dev/zero stops at once.
        raw = open_source(path, limit=MAX_CONFIG_BYTES, file_limit=MAX_CONFIG_BYTES, stop_early=b"\x00").read_all()
    except SourceUnreadable as error:
        reason = str(error).replace("a data file", "a config file")
        return fail(rules.FILE_UNREADABLE, Position(1, 1), reason)
    except SourceTooLarge:
        return fail(
            rules.FILE_TOO_LARGE, Position(1, 1),
            f"the file is larger than {MAX_CONFIG_BYTES / 1_048_576:.0f} MB; an instrument config is at most that — "
            "is this a data file rather than a config?",
        )
    except OSError as error:
        return fail(rules.FILE_UNREADABLE, Position(1, 1), f"cannot read the file: {error.strerror or error}")

    if b"\x00" in raw:
        where = _line_col_of_offset(raw, raw.index(b"\x00"))
        return fail(rules.NOT_TEXT, where, "the file contains NUL bytes: it is binary, not a YAML config")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = _line_col_of_offset(raw, error.start)
        return fail(
            rules.NOT_TEXT, where,
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8 "
            "(a GBK/GB18030 or CP949 export must be re-encoded)",
        )
    if not text.strip() or all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip()):
        return fail(
            rules.NOT_A_MAPPING, Position(1, 1),
            "the file is empty; start from `servgap init PATH` for a complete starter config",
        )

    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or "invalid YAML"
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem = "a tab character cannot indent YAML; indent with spaces"
        context = f" ({error.context})" if error.context else ""
        return fail(rules.YAML_SYNTAX, _position(mark), f"{problem}{context}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return fail(rules.YAML_SYNTAX, _position(mark), str(error).splitlines()[0])
    except RecursionError:
        return fail(rules.ALIAS_EXPANSION, Position(1, 1), "the YAML nests too deeply to be a config")

    if node is None:
        return fail(rules.NOT_A_MAPPING, Position(1, 1), "the file holds no YAML document")
    builder = _Builder(name)
    builder.source = source
    try:
        data = builder.build(node, ())
    except _TooComplex as error:
        return fail(rules.ALIAS_EXPANSION, error.position, error.reason)
    except RecursionError:
        return fail(rules.ALIAS_EXPANSION, _position(node.start_mark), "the YAML nests too deeply to be a config")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return fail(rules.YAML_SYNTAX, _position(mark), str(error).splitlines()[0])
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return fail(
            rules.NOT_A_MAPPING, _position(node.start_mark),
            f"the top level is {kind}; a config is a mapping with keys such as format_version, "
            "instrument and dimensions",
        )
    return LoadedYaml(name, data, source, builder.findings)
