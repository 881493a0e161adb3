"""The bundled instrument library (configs/), found both in a checkout and in an installed wheel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SCHEMA_FILENAME = "servgap.schema.json"


def library_dir() -> Path:
    """Folder holding the bundled configs.

    The wheel ships them inside the package (``servgap/configs``); a source checkout keeps them at
    the top level (``configs/``), which an editable install sees instead.
    """
    packaged = Path(__file__).resolve().parent.parent / "configs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "configs"


@dataclass(frozen=True)
class Template:
    """A bundled instrument config."""

    name: str
    path: Path
    title: str
    items: int
    dimensions: int
    facets: tuple[str, ...]
    scale: tuple[int, int]


def templates() -> list[Template]:
    """The bundled configs, by name (file name without ``.yaml``)."""
    found = []
    for path in sorted(library_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        instrument = data["instrument"]
        dimensions = data["dimensions"]
        found.append(
            Template(
                name=path.stem,
                path=path,
                title=instrument["name"].get("en", path.stem),
                items=sum(len(d["items"]) for d in dimensions),
                dimensions=len(dimensions),
                facets=tuple(instrument.get("facets", ["expectation", "perception"])),
                scale=(instrument["scale"]["min"], instrument["scale"]["max"]),
            )
        )
    return found


def template(name: str) -> Template | None:
    """The bundled config called ``name`` (with or without ``.yaml``), or None."""
    wanted = name.removesuffix(".yaml")
    return next((t for t in templates() if t.name == wanted), None)


def schema_path() -> Path:
    """The committed JSON Schema that bundled configs reference."""
    return library_dir() / SCHEMA_FILENAME


def example_dir() -> Path:
    """Folder holding the bundled worked examples (inside the wheel, or examples/ in a checkout)."""
    packaged = Path(__file__).resolve().parent.parent / "examples"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "examples"


def factor_sets() -> dict[str, Path]:
    """The bundled factor sets (``configs/factors/*.yaml``), by name."""
    return {path.stem: path for path in sorted((library_dir() / "factors").glob("*.yaml"))}
