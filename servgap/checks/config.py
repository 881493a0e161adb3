"""Load an instrument config and check it: YAML, schema and semantic rules, with positions.

The entry point is :func:`load_config`, which never raises for bad content: it returns the
validated :class:`~servgap.instrument.models.InstrumentConfig` (or None) and every finding, each with a
1-based line and column taken from the YAML source.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from servgap.checks import catalogue as rules
from servgap.checks.positions import KeyPath, SourceMap, format_path
from servgap.checks.rules.common import Context
from servgap.checks.rules.mapping import MANAGEMENT_GAPS
from servgap.checks.yamlsource import read_yaml
from servgap.findings import Finding, Rule
from servgap.instrument.models import FactorSet, FactorSetFile, InstrumentConfig, LocalText


@dataclass
class ConfigLoad:
    """The result of loading one config file."""

    path: str
    config: InstrumentConfig | None
    findings: list[Finding] = field(default_factory=list)
    source: SourceMap = field(default_factory=SourceMap)
    #: the organisational factors the config uses (resolved from a name or file), if any
    factors: FactorSet | None = None
    #: set instead of ``config`` when the file is a factor-set file
    factor_set: FactorSetFile | None = None

    @property
    def ok(self) -> bool:
        """True when the config is usable: it validated and has no error-level finding."""
        return self.config is not None and not any(f.is_error for f in self.findings)


def load_config(path: Path, display: str | None = None) -> ConfigLoad:
    """Read, validate and check an instrument config (or a factor-set file) at ``path``."""
    loaded = read_yaml(path, display)
    result = ConfigLoad(loaded.path, None, list(loaded.findings), loaded.source)
    if loaded.data is None:
        return result
    if "factor_set" in loaded.data:
        try:
            factor_file = FactorSetFile.model_validate(loaded.data)
        except ValidationError as error:
            result.findings.extend(_schema_findings(error, loaded.path, loaded.source, FactorSetFile))
        else:
            result.factor_set = factor_file
            result.findings.extend(FactorChecker(factor_file, factor_file.factor_set.languages, loaded.path,
                                                 loaded.source, ()).run())
        result.findings.sort(key=Finding.sort_key)
        return result
    try:
        config = InstrumentConfig.model_validate(loaded.data)
    except ValidationError as error:
        result.findings.extend(_schema_findings(error, loaded.path, loaded.source, InstrumentConfig))
    else:
        _check_instrument(config, path, result)
    result.findings.sort(key=Finding.sort_key)
    return result


def check_config_object(config: InstrumentConfig, display: str = "<config object>") -> ConfigLoad:
    """Check an :class:`InstrumentConfig` built in Python (e.g. in a notebook) with the same semantic
    rules as a file; a factor-set file it names is looked up beside the working folder."""
    result = ConfigLoad(display, None)
    _check_instrument(config, Path(display), result)
    result.findings.sort(key=Finding.sort_key)
    return result


def _check_instrument(config: InstrumentConfig, path: Path, result: ConfigLoad) -> None:
    """The semantic rules, the factor set and its staff references of a validated config."""
    result.config = config
    result.findings.extend(semantic_findings(config, result.path, result.source))
    result.factors = _resolve_factors(config, path, result)
    if result.factors is not None:
        base: KeyPath = ("management", "factors") if isinstance(config.management.factors, FactorSet) else ()
        if base:
            result.findings.extend(FactorChecker(result.factors, config.instrument.languages, result.path,
                                                 result.source, base).run())
        result.findings.extend(_staff_references(config, result.factors, result.path, result.source))


def _resolve_factors(config: InstrumentConfig, path: Path, result: ConfigLoad) -> FactorSet | None:
    """The factor set a config names: inline, a file beside the config, or a bundled set."""
    reference = config.management.factors
    if reference is None or isinstance(reference, FactorSet):
        return reference
    from servgap.instrument.library import factor_sets

    bundled = factor_sets()
    if reference.endswith((".yaml", ".yml")):
        target = path.parent / reference
        shown = str(Path(result.path).parent / reference)
    elif reference in bundled:
        target, shown = bundled[reference], f"factor set '{reference}'"
    else:
        position = result.source.at_value(("management", "factors"))
        close = difflib.get_close_matches(reference, list(bundled), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"bundled sets: {', '.join(bundled) or 'none'}"
        result.findings.append(Finding(result.path, position.line, position.column, rules.UNKNOWN_REFERENCE,
                                       f"management.factors names '{reference}', which is neither a bundled "
                                       f"factor set nor a .yaml file; {hint}"))
        return None
    factor_load = load_config(target, shown)
    if factor_load.factor_set is None:
        position = result.source.at_value(("management", "factors"))
        problem = "has problems (see the findings for that file)" if factor_load.findings else \
            "is not a factor-set file (it has no factor_set key)"
        if not target.exists():
            problem = "does not exist"
        result.findings.append(Finding(result.path, position.line, position.column, rules.UNKNOWN_REFERENCE,
                                       f"management.factors: {shown} {problem}"))
    result.findings.extend(factor_load.findings)
    return factor_load.factor_set


def _staff_references(config: InstrumentConfig, factors: FactorSet, file: str, source: SourceMap) -> list[Finding]:
    statements = [item.id for factor in factors.factors for item in factor.items]
    findings = []
    for statement in config.management.staff.columns:
        if statement not in statements:
            position = source.at_key(("management", "staff", "columns", statement))
            close = difflib.get_close_matches(statement, statements, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use a statement id of the factor set"
            findings.append(Finding(file, position.line, position.column, rules.UNKNOWN_REFERENCE,
                                    f"management.staff.columns names statement '{statement}', which the factor "
                                    f"set does not have; {hint}"))
    return findings


# --- schema errors -------------------------------------------------------------------------------


def _model_at(path: KeyPath, root: type[BaseModel] = InstrumentConfig) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``path``, if any."""
    current: Any = root
    for part in path:
        current = _unwrap_model(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        else:
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            if origin is list and isinstance(part, int):
                current = args[0]
            elif origin is dict:
                current = args[1]
            else:
                return None
    current = _unwrap_model(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap_model(annotation: Any) -> Any:
    """Strip ``X | None`` so that the model inside can be walked."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        models = [arg for arg in members if isinstance(arg, type) and issubclass(arg, BaseModel)]
        if len(members) == 1:
            return members[0]
        if len(models) == 1:
            return models[0]
    return annotation


def _schema_findings(error: ValidationError, file: str, source: SourceMap,
                     root: type[BaseModel]) -> list[Finding]:
    findings: list[Finding] = []
    messages_by_path: dict[tuple[KeyPath, str], list[str]] = {}
    for detail in error.errors(include_url=False):
        loc: KeyPath = tuple(detail["loc"])
        kind = detail["type"]
        if kind in ("extra_forbidden", "missing"):
            messages_by_path.setdefault((loc, kind), []).append(detail["msg"])
            continue
        # Union members add their own tags (e.g. 'int', 'constrained-str') to the location;
        # cut back to the part of the path that exists in the file.
        tags = []
        while loc and not source.has(loc):
            tags.append(str(loc[-1]))
            loc = loc[:-1]
        message = _friendly(detail)
        if tags and all(tag.endswith(("int", "str")) for tag in tags):
            message = "a column is named by its exact header text or by its 1-based position (1, 2, …)"
        messages_by_path.setdefault((loc, kind), []).append(message)

    merged: dict[KeyPath, list[str]] = {}
    for (loc, kind), messages in messages_by_path.items():
        if kind == "extra_forbidden":
            key = loc[-1]
            parent_model = _model_at(loc[:-1], root)
            known = sorted(parent_model.model_fields) if parent_model else []
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys here: {', '.join(known)}"
            position = source.at_key(loc)
            findings.append(Finding(file, position.line, position.column, rules.UNKNOWN_KEY,
                                    f"unknown key '{key}' in {format_path(loc[:-1])}; {hint}"))
        elif kind == "missing":
            position = source.at_key(loc[:-1])
            findings.append(Finding(file, position.line, position.column, rules.MISSING_KEY,
                                    f"{format_path(loc[:-1])} needs the key '{loc[-1]}'"))
        else:
            merged.setdefault(loc, []).extend(messages)
    for loc, messages in merged.items():
        position = source.at_value(loc)
        unique = list(dict.fromkeys(messages))
        rule = rules.FORMAT_VERSION if loc == ("format_version",) else rules.INVALID_VALUE
        text = " or ".join(unique) if len(unique) > 1 else unique[0]
        if rule is rules.FORMAT_VERSION:
            text = "format_version must be 1 (the only version this servgap reads)"
        findings.append(Finding(file, position.line, position.column, rule, f"{format_path(loc)}: {text}"))
    return findings


def _friendly(detail: Any) -> str:
    message = str(detail["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    elif detail["type"] == "string_pattern_mismatch" and "A-Za-z" in str(detail.get("ctx", {}).get("pattern", "")):
        message = "an id starts with a letter and uses only letters, digits, '_' and '-'"
    elif detail["type"] == "string_pattern_mismatch":
        message = "a language code is two or three lower-case letters, e.g. en or zh"
    if detail["type"] in ("model_type", "dict_type"):
        message = "expected a mapping of keys to values here (lines like 'id: …' under it)"
    elif detail["type"] == "list_type":
        message = "expected a list here (one entry per line, each starting with '- ')"
    return message[0].lower() + message[1:] if message else message


# --- semantic rules ------------------------------------------------------------------------------


def semantic_findings(config: InstrumentConfig, file: str, source: SourceMap) -> list[Finding]:
    """The findings of every semantic rule family (checks/rules/) for a schema-valid config."""
    context = Context(config, file, source)
    return [finding for check in rules.SEMANTIC_CHECKS for finding in check(context)]


class FactorChecker:
    """Semantic rules of a factor set (a factor-set file, or factors written in a config)."""

    def __init__(self, factors: FactorSet, languages: list[str], file: str, source: SourceMap,
                 base: KeyPath) -> None:
        self.factors = factors
        self.languages = languages
        self.file = file
        self.source = source
        self.base = base

    def run(self) -> list[Finding]:
        """Every finding of the factor set's rules."""
        return [*self.identities(), *self.texts(), *self.scale()]

    def _at(self, rule: Rule, path: KeyPath, message: str, key: bool = False) -> Finding:
        full = (*self.base, *path)
        position = self.source.at_key(full) if key else self.source.at_value(full)
        return Finding(self.file, position.line, position.column, rule, message)

    def identities(self) -> Iterator[Finding]:
        """SG201, SG213, SG208: unique ids, factors with statements, gaps 1 to 4."""

        first: dict[str, int] = {}
        for f_index, factor in enumerate(self.factors.factors):
            places: list[tuple[KeyPath, str]] = [(("factors", f_index, "id"), factor.id)]
            places += [(("factors", f_index, "items", i, "id"), item.id) for i, item in enumerate(factor.items)]
            for path, identifier in places:
                if identifier in first:
                    yield self._at(rules.DUPLICATE_ID, path, f"id '{identifier}' is already used at line "
                                   f"{first[identifier]}; factor and statement ids must be unique")
                else:
                    first[identifier] = self.source.at_value((*self.base, *path)).line
            if not factor.items:
                yield self._at(rules.EMPTY_FACTOR, ("factors", f_index, "items"),
                               f"factor '{factor.id}' has no statements; add some or remove the factor", key=True)
            if factor.gap not in MANAGEMENT_GAPS:
                yield self._at(rules.UNKNOWN_REFERENCE, ("factors", f_index, "gap"),
                               f"factor '{factor.id}' names gap {factor.gap}; factors belong to management gaps "
                               "1 to 4")

    def texts(self) -> Iterator[Finding]:
        """SG207: every factor name and statement in every declared language."""
        for f_index, factor in enumerate(self.factors.factors):
            entries: list[tuple[KeyPath, LocalText]] = [(("factors", f_index, "name"), factor.name)]
            entries += [(("factors", f_index, "items", i, "text"), item.text) for i, item in enumerate(factor.items)]
            for path, text in entries:
                for language in self.languages:
                    if not text.get(language, "").strip():
                        yield self._at(rules.MISSING_TRANSLATION, path, f"{format_path(path)} has no "
                                       f"'{language}' text; the languages are {', '.join(self.languages)}", key=True)

    def scale(self) -> Iterator[Finding]:
        """SG204: the factor set's scale has min below max."""
        if self.factors.scale.min >= self.factors.scale.max:
            yield self._at(rules.SCALE_BOUNDS, ("scale", "max"), f"scale max ({self.factors.scale.max}) must be "
                           f"greater than min ({self.factors.scale.min})")
