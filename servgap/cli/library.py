"""`servgap rules`, `servgap schema`, `servgap templates` and `servgap init`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from servgap.cli.common import err, handle_errors
from servgap.cli.outputs import Output, OutputPlan
from servgap.errors import ExitCode, UserError
from servgap.render.inert import inert_path


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
    template: Annotated[str, typer.Option("--template", "-t", help="Bundled config to start from "
                                          "(see `servgap templates`).")] = "servqual",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starter config (and the JSON Schema beside it, for editor completion)."""
    from servgap.instrument.library import SCHEMA_FILENAME, schema_path
    from servgap.instrument.library import template as find_template
    from servgap.instrument.library import templates as bundled

    chosen = find_template(template)
    if chosen is None:
        names = ", ".join(t.name for t in bundled())
        raise UserError(f"--template {template}: no such bundled config; choose one of: {names}", ExitCode.USAGE)
    # A .yaml ending, so that `servgap check` finds the config; no link, folder or (without --force)
    # existing file: the one output check says which.
    plan = OutputPlan([chosen.path, schema_path()])
    target = plan.add("init", path, follow_links=False, allow_stdout=False, suffixes=(".yaml", ".yml"),
                      overwrite=force)
    contents: dict[Output, object] = {target: chosen.path.read_text(encoding="utf-8")}
    schema_beside = path.parent / SCHEMA_FILENAME
    if not schema_beside.exists() and not schema_beside.is_symlink():
        contents[plan.add("init (schema)", schema_beside, follow_links=False, allow_stdout=False)] = \
            schema_path().read_bytes()
    plan.write(contents)
    err(f"{inert_path(path)} starts from the '{chosen.name}' template; edit it, then run: servgap check "
        f"{inert_path(path)}")
