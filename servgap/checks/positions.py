"""Where things are in a YAML file: key paths, 1-based positions, and the map from one to the other."""

from __future__ import annotations

from dataclasses import dataclass, field

KeyPath = tuple[str | int, ...]

@dataclass(frozen=True)
class Position:
    """1-based line and column."""

    line: int
    column: int


@dataclass
class SourceMap:
    """Positions of the keys and values of a YAML document, by key path.

    ``keys[path]`` is where the key of a mapping entry stands; ``values[path]`` where its value (or
    a sequence element) starts. The root is the empty path.
    """

    keys: dict[KeyPath, Position] = field(default_factory=dict)
    values: dict[KeyPath, Position] = field(default_factory=dict)

    def at_value(self, path: KeyPath) -> Position:
        """Where the value at ``path`` starts, or the nearest existing ancestor's value."""
        return self._nearest(path, prefer_key=False)

    def at_key(self, path: KeyPath) -> Position:
        """Where the key at ``path`` stands, or the nearest existing ancestor's key."""
        return self._nearest(path, prefer_key=True)

    def has(self, path: KeyPath) -> bool:
        """Whether ``path`` was written in the file (rather than taken from a default)."""
        return path in self.values

    def _nearest(self, path: KeyPath, prefer_key: bool) -> Position:
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if prefer_key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)


def format_path(path: KeyPath) -> str:
    """Render a key path the way a user reads a YAML file: ``dimensions[0].items[2].text``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"
