"""Load an instrument config and check it: YAML, schema and semantic rules, with positions.

The entry point is :func:`load_config`, which never raises for bad content: it returns the
validated :class:`~servgap.instrument.models.InstrumentConfig` (or None) and every finding, each with a
1-based line and column taken from the YAML source.
"""

from __future__ import annotations

import difflib
import math
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from servgap.checks import catalogue as rules
from servgap.checks.yamlsource import KeyPath, SourceMap, read_yaml
from servgap.findings import Finding, Rule
from servgap.instrument.columns import item_column, points_column
from servgap.instrument.models import Facet, FactorSet, FactorSetFile, InstrumentConfig, LocalText

MANAGEMENT_GAPS = (1, 2, 3, 4)


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


def format_path(path: KeyPath) -> str:
    """Render a key path the way a user reads a YAML file: ``dimensions[0].items[2].text``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


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
    result.findings.extend(SemanticChecker(config, result.path, result.source).run())
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


class SemanticChecker:
    """Rules that span the parts of a schema-valid config. Each method yields findings of one rule."""

    def __init__(self, config: InstrumentConfig, file: str, source: SourceMap) -> None:
        self.config = config
        self.file = file
        self.source = source
        self.dimension_ids = [dimension.id for dimension in config.dimensions]
        self.item_ids = list(dict.fromkeys(item.id for _, item in config.items()))

    def run(self) -> list[Finding]:
        checks = (
            self.duplicate_ids, self.dimension_sizes, self.scale_bounds, self.weights,
            self.translations, self.references, self.duplicate_texts, self.column_collisions,
            self.management_levels,
        )
        return [finding for check in checks for finding in check()]

    def _at(self, rule: Rule, path: KeyPath, message: str, key: bool = False) -> Finding:
        position = self.source.at_key(path) if key else self.source.at_value(path)
        return Finding(self.file, position.line, position.column, rule, message)

    def duplicate_ids(self) -> Iterator[Finding]:
        first: dict[str, str] = {}
        for d_index, dimension in enumerate(self.config.dimensions):
            places: list[tuple[KeyPath, str, str]] = [(("dimensions", d_index, "id"), dimension.id, "dimension")]
            places += [
                (("dimensions", d_index, "items", i_index, "id"), item.id, "item")
                for i_index, item in enumerate(dimension.items)
            ]
            for path, identifier, kind in places:
                if identifier in first:
                    yield self._at(rules.DUPLICATE_ID, path,
                                   f"{kind} id '{identifier}' is already used by {first[identifier]}; "
                                   "ids must be unique across the file")
                else:
                    first[identifier] = f"the {kind} at line {self.source.at_value(path).line}"

    def dimension_sizes(self) -> Iterator[Finding]:
        for d_index, dimension in enumerate(self.config.dimensions):
            path = ("dimensions", d_index, "items")
            if not dimension.items:
                yield self._at(rules.EMPTY_DIMENSION, path,
                               f"dimension '{dimension.id}' has no items; add items or remove it", key=True)
            elif len(dimension.items) < 3:
                yield self._at(rules.FEW_ITEMS, path,
                               f"dimension '{dimension.id}' has {len(dimension.items)} item(s); "
                               "with fewer than 3 its Cronbach's alpha is weak or undefined", key=True)

    def scale_bounds(self) -> Iterator[Finding]:
        scale = self.config.instrument.scale
        if scale.min >= scale.max:
            yield self._at(rules.SCALE_BOUNDS, ("instrument", "scale", "max"),
                           f"scale max ({scale.max}) must be greater than min ({scale.min})")
            return
        for point in scale.labels:
            if not scale.min <= point <= scale.max:
                yield self._at(rules.SCALE_BOUNDS, ("instrument", "scale", "labels", point),
                               f"label for point {point} lies outside the scale {scale.min}–{scale.max}",
                               key=True)

    def weights(self) -> Iterator[Finding]:
        weights = self.config.importance.weights
        if weights is None:
            return
        base = ("importance", "weights")
        for dimension_id, points in weights.items():
            if points < 0 or not math.isfinite(points):
                yield self._at(rules.NEGATIVE_WEIGHT, (*base, dimension_id),
                               f"weight of '{dimension_id}' is {points:g}; weights are points out of 100, "
                               "zero or positive")
        known = [d for d in self.dimension_ids if d in weights]
        for dimension_id in self.dimension_ids:
            if dimension_id not in weights:
                yield self._at(rules.WEIGHT_MISSING, base,
                               f"dimension '{dimension_id}' has no weight; give every dimension a weight "
                               "(0 is allowed)", key=True)
        total = sum(weights[d] for d in known) + sum(
            points for d, points in weights.items() if d not in self.dimension_ids
        )
        if math.isfinite(total) and abs(total - 100) > 1e-9:
            yield self._at(rules.WEIGHT_TOTAL, base,
                           f"weights total {total:g} points; they must total 100", key=True)

    def _texts(self) -> Iterator[tuple[KeyPath, LocalText]]:
        """Every localised text in the config, with its path."""
        config = self.config
        yield ("instrument", "name"), config.instrument.name
        if config.instrument.description:
            yield ("instrument", "description"), config.instrument.description
        for point, label in config.instrument.scale.labels.items():
            yield ("instrument", "scale", "labels", point), label
        for d_index, dimension in enumerate(config.dimensions):
            d_path: KeyPath = ("dimensions", d_index)
            yield (*d_path, "name"), dimension.name
            if dimension.description:
                yield (*d_path, "description"), dimension.description
            for a_index, action in enumerate(dimension.actions):
                yield (*d_path, "actions", a_index), action
            for i_index, item in enumerate(dimension.items):
                i_path: KeyPath = (*d_path, "items", i_index)
                yield (*i_path, "text"), item.text
                for a_index, action in enumerate(item.actions):
                    yield (*i_path, "actions", a_index), action
        for gap, questions in config.management.checklists.items():
            for q_index, question in enumerate(questions):
                yield ("management", "checklists", gap, q_index), question

    def translations(self) -> Iterator[Finding]:
        languages = self.config.instrument.languages
        for path, text in self._texts():
            for language in languages:
                if not text.get(language, "").strip():
                    where = (*path, language) if language in text else path
                    yield self._at(rules.MISSING_TRANSLATION, where,
                                   f"{format_path(path)} has no '{language}' text; the instrument declares "
                                   f"languages {', '.join(languages)}", key=language not in text)

    def _unknown(self, path: KeyPath, name: str, kind: str, known: list[str]) -> Finding:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"{kind}s are: {', '.join(known[:12])}"
        return self._at(rules.UNKNOWN_REFERENCE, path, f"{format_path(path[:-1])} names {kind} '{name}', "
                        f"which is not defined; {hint}", key=True)

    def references(self) -> Iterator[Finding]:
        config = self.config
        for dimension_id in config.importance.weights or {}:
            if dimension_id not in self.dimension_ids:
                yield self._unknown(("importance", "weights", dimension_id), dimension_id, "dimension",
                                    self.dimension_ids)
        for dimension_id in config.data.importance_columns:
            if dimension_id not in self.dimension_ids:
                yield self._unknown(("data", "importance_columns", dimension_id), dimension_id, "dimension",
                                    self.dimension_ids)
        for item_id in config.data.columns:
            if item_id not in self.item_ids:
                yield self._unknown(("data", "columns", item_id), item_id, "item", self.item_ids)
        for section in ("standards", "promises"):
            for item_id in getattr(config.management, section):
                if item_id not in self.item_ids:
                    yield self._unknown(("management", section, item_id), item_id, "item", self.item_ids)
        for source_name in ("managers", "audits"):
            for item_id in getattr(config.management, source_name).columns:
                if item_id not in self.item_ids:
                    yield self._unknown(("management", source_name, "columns", item_id), item_id, "item",
                                        self.item_ids)
        for gap in config.management.checklists:
            if gap not in MANAGEMENT_GAPS:
                path = ("management", "checklists", gap)
                yield self._at(rules.UNKNOWN_REFERENCE, path,
                               f"management gap {gap} does not exist; checklists are for gaps 1 to 4 "
                               "(1 knowledge, 2 standards, 3 delivery, 4 communication)", key=True)

    def duplicate_texts(self) -> Iterator[Finding]:
        for language in self.config.instrument.languages:
            seen: dict[str, str] = {}
            for d_index, dimension in enumerate(self.config.dimensions):
                for i_index, item in enumerate(dimension.items):
                    wording = " ".join(item.text.get(language, "").split()).casefold()
                    if not wording:
                        continue
                    if wording in seen:
                        yield self._at(rules.DUPLICATE_TEXT, ("dimensions", d_index, "items", i_index, "text",
                                                              language),
                                       f"item '{item.id}' has the same {language} text as item "
                                       f"'{seen[wording]}'; respondents cannot tell them apart")
                    else:
                        seen[wording] = item.id

    def column_collisions(self) -> Iterator[Finding]:
        config = self.config
        mapping = config.data
        used: dict[int | str, tuple[str, KeyPath]] = {}
        reported: set[KeyPath] = set()

        def claim(column: int | str, owner: str, origin: KeyPath) -> Iterator[Finding]:
            if column not in used:
                used[column] = (owner, origin)
                return
            earlier_owner, earlier_origin = used[column]
            # Point at whichever side the user wrote explicitly (an override rather than a default).
            where = origin if self.source.has(origin) or not self.source.has(earlier_origin) else earlier_origin
            if earlier_owner != owner and where not in reported:
                reported.add(where)
                shown = f"position {column}" if isinstance(column, int) else f"'{column}'"
                yield self._at(rules.COLUMN_COLLISION, where,
                               f"column {shown} is mapped to both {earlier_owner} and {owner}; "
                               "each input needs its own column")

        if mapping.respondent_id is not None:
            yield from claim(mapping.respondent_id, "the respondent id", ("data", "respondent_id"))
        for s_index, segment in enumerate(mapping.segments):
            yield from claim(segment, f"segment {segment!r}", ("data", "segments", s_index))
        for _, item in config.items():
            overrides = mapping.columns.get(item.id)
            for facet in config.instrument.facets:
                override = overrides.for_facet(facet) if overrides else None
                if override is not None:
                    column: int | str = override
                    origin: KeyPath = ("data", "columns", item.id, facet.value)
                else:
                    column = item_column(config, item.id, facet)
                    origin = ("data", "patterns", facet.value)
                yield from claim(column, f"{item.id} {facet.value}", origin)
        if config.importance.use_points_columns and Facet.PERCEPTION in config.instrument.facets:
            for dimension_id in self.dimension_ids:
                if dimension_id in mapping.importance_columns:
                    column = mapping.importance_columns[dimension_id]
                    origin = ("data", "importance_columns", dimension_id)
                else:
                    column = points_column(config, dimension_id)
                    origin = ("data", "patterns", "importance")
                yield from claim(column, f"importance of {dimension_id}", origin)

    def management_levels(self) -> Iterator[Finding]:
        scale = self.config.instrument.scale
        for section in ("standards", "promises"):
            for item_id, level in getattr(self.config.management, section).items():
                if not scale.min <= level <= scale.max:
                    yield self._at(rules.LEVEL_OFF_SCALE, ("management", section, item_id),
                                   f"{section[:-1]} level {level:g} for '{item_id}' lies outside the scale "
                                   f"{scale.min}–{scale.max}")


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
        return [*self.identities(), *self.texts(), *self.scale()]

    def _at(self, rule: Rule, path: KeyPath, message: str, key: bool = False) -> Finding:
        full = (*self.base, *path)
        position = self.source.at_key(full) if key else self.source.at_value(full)
        return Finding(self.file, position.line, position.column, rule, message)

    def identities(self) -> Iterator[Finding]:
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
        for f_index, factor in enumerate(self.factors.factors):
            entries: list[tuple[KeyPath, LocalText]] = [(("factors", f_index, "name"), factor.name)]
            entries += [(("factors", f_index, "items", i, "text"), item.text) for i, item in enumerate(factor.items)]
            for path, text in entries:
                for language in self.languages:
                    if not text.get(language, "").strip():
                        yield self._at(rules.MISSING_TRANSLATION, path, f"{format_path(path)} has no "
                                       f"'{language}' text; the languages are {', '.join(self.languages)}", key=True)

    def scale(self) -> Iterator[Finding]:
        if self.factors.scale.min >= self.factors.scale.max:
            yield self._at(rules.SCALE_BOUNDS, ("scale", "max"), f"scale max ({self.factors.scale.max}) must be "
                           f"greater than min ({self.factors.scale.min})")
