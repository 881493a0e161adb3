"""Which files `servgap check` looks at: config files named, and the YAML files below folders."""

from __future__ import annotations

from pathlib import Path

from servgap.errors import ExitCode, UserError


def collect_config_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the YAML files below them (hidden folders skipped), keeping order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml") and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise UserError(f"{path}: no .yaml or .yml files in this folder", ExitCode.USAGE)
            files.extend(found)
        else:
            files.append(path)
    return list(dict.fromkeys(files))
