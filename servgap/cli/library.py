"""`servgap rules`, `servgap schema`, `servgap templates` and `servgap init`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from servgap.cli.common import err, handle_errors
from servgap.cli.outputs import Output, OutputPlan
from servgap.errors import ExitCode, UserError
from servgap.render.inert import inert_path

if TYPE_CHECKING:
    from servgap.data.draft import Draft


class ListFormat(StrEnum):
    """The formats of `servgap templates --format`."""

    text = "text"
    json = "json"


class RulesFormat(StrEnum):
    """The formats of `servgap rules --format` (markdown: the table of docs/config-reference.md)."""

    text = "text"
    json = "json"
    markdown = "markdown"


@handle_errors
def rules(
    output_format: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format (markdown: the table "
                                                       "of docs/config-reference.md).")] = RulesFormat.text,
) -> None:
    """List every rule code servgap checks, with what it finds and how to fix it."""
    from servgap.checks.catalogue import all_rules

    catalogue = all_rules()
    if output_format is RulesFormat.markdown:
        from servgap.render.findings import rules_markdown

        sys.stdout.write(rules_markdown(catalogue))
        return
    if output_format is RulesFormat.json:
        payload = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary,
             "explanation": r.explanation}
            for r in catalogue
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    for rule in catalogue:
        sys.stdout.write(f"{rule.code} {rule.name} ({rule.severity.value})\n    {rule.summary}\n"
                         f"    Fix: {rule.explanation}\n")


class SchemaKind(StrEnum):
    """Which JSON Schema `servgap schema` prints."""

    config = "config"
    factors = "factors"


@handle_errors
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.",
                                                show_default=False)] = None,
    kind: Annotated[SchemaKind, typer.Option("--kind", help="config: instrument configs; factors: factor-set "
                                             "files.")] = SchemaKind.config,
) -> None:
    """Print the JSON Schema of the config format (for editors and other validators)."""
    from servgap.instrument.schema import config_schema_text

    plan = OutputPlan([])
    target = plan.add("--output", output)
    plan.write({target: config_schema_text(kind.value)})


@handle_errors
def templates(
    output_format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
) -> None:
    """List the bundled instrument configs that `servgap init --template` can start from."""
    from servgap.instrument.library import templates as bundled

    found = bundled()
    if output_format is ListFormat.json:
        payload = [
            {"name": t.name, "title": t.title, "dimensions": t.dimensions, "items": t.items,
             "facets": list(t.facets), "scale": list(t.scale)}
            for t in found
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    width = max(len(t.name) for t in found)
    for t in found:
        sys.stdout.write(f"{t.name:<{width}}  {t.title} — {t.dimensions} dimensions, {t.items} items, "
                         f"{t.scale[0]}–{t.scale[1]} scale, {'/'.join(t.facets)}\n")


@handle_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the new config (e.g. my-study.yaml).",
                                         show_default=False)],
    template: Annotated[str | None, typer.Option("--template", "-t", help="Bundled config to start from "
                                                 "(see `servgap templates`; default: servqual, or none with "
                                                 "--from-export).", show_default=False)] = None,
    from_export: Annotated[Path | None, typer.Option(
        "--from-export", help="Draft the config from this survey export: pair its expectation and perception "
        "columns, map the id and segment columns, and list what is left to decide.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starter config (and the JSON Schema beside it, for editor completion)."""
    from servgap.instrument.library import SCHEMA_FILENAME, schema_path
    from servgap.instrument.library import template as find_template
    from servgap.instrument.library import templates as bundled

    name = template if template is not None or from_export is not None else "servqual"
    chosen = find_template(name) if name is not None else None
    if name is not None and chosen is None:
        names = ", ".join(t.name for t in bundled())
        raise UserError(f"--template {name}: no such bundled config; choose one of: {names}", ExitCode.USAGE)
    # A .yaml ending, so that `servgap check` finds the config; no link, folder or (without --force)
    # existing file: the one output check says which.
    inputs = [schema_path()] + ([chosen.path] if chosen else []) + ([from_export] if from_export else [])
    plan = OutputPlan(inputs)
    target = plan.add("init", path, follow_links=False, allow_stdout=False, suffixes=(".yaml", ".yml"),
                      overwrite=force)
    if from_export is not None:
        draft = _draft(from_export, chosen.path if chosen else None)
        text = draft_text_of(draft, from_export)
    else:
        assert chosen is not None
        text = chosen.path.read_text(encoding="utf-8")
    contents: dict[Output, object] = {target: text}
    schema_beside = path.parent / SCHEMA_FILENAME
    if not schema_beside.exists() and not schema_beside.is_symlink():
        contents[plan.add("init (schema)", schema_beside, follow_links=False, allow_stdout=False)] = \
            schema_path().read_bytes()
    plan.write(contents)
    if from_export is not None:
        err(f"{inert_path(path)}: {draft.items} item(s) paired from {inert_path(from_export)}"
            + (f" ({len(draft.open_points)} point(s) to decide, listed at its top)" if draft.open_points else "")
            + f"; then run: servgap check {inert_path(path)} --data {inert_path(from_export)}")
        return
    assert chosen is not None
    err(f"{inert_path(path)} starts from the '{chosen.name}' template; edit it, then run: servgap check "
        f"{inert_path(path)}")


def _draft(export: Path, template_path: Path | None) -> Draft:
    """The drafted config, or the export's refusal as a user error naming the file."""
    import yaml

    from servgap.data.draft import draft_config
    from servgap.data.issues import Refusal

    template = yaml.safe_load(template_path.read_text(encoding="utf-8")) if template_path else None
    try:
        draft = draft_config(export, template)
    except Refusal as refusal:
        raise UserError(f"{inert_path(export)}: {refusal.issue.describe()}", ExitCode.USAGE
                        if refusal.issue.rule.unreadable else ExitCode.FINDINGS) from None
    if not draft.items:
        raise UserError(f"{inert_path(export)}: no pair of expectation and perception columns found, so no config "
                        "was written. servgap pairs columns that repeat a question with facet markers "
                        "([Expectation]/[Perception], (expectation), 期望/感知, E_/P_ prefixes…); start from a "
                        "template instead (servgap init study.yaml --template servqual) and map the columns under "
                        "data.columns (docs/platforms.md)", ExitCode.FINDINGS)
    return draft


def draft_text_of(draft: Draft, export: Path) -> str:
    from servgap.data.draft import draft_text

    return draft_text(draft, export.name)
