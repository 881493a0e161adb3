"""What the rule families share: the config every example starts from, and the context a check runs in."""

from __future__ import annotations

from dataclasses import dataclass, field

from servgap.checks.positions import KeyPath, SourceMap
from servgap.findings import Finding, Rule
from servgap.instrument.models import InstrumentConfig

#: A config that passes every rule; each example changes it in one place.
BASE = """\
format_version: 1
instrument:
  id: mini
  name:
    en: Mini
  scale:
    min: 1
    max: 5
dimensions:
  - id: speed
    name:
      en: Speed
    items:
      - id: s1
        text:
          en: Fast service
      - id: s2
        text:
          en: Short queues
      - id: s3
        text:
          en: Quick answers
"""

#: A dimension with no items, to append under ``dimensions``.
EMPTY_DIMENSION = """\
  - id: empty
    name:
      en: Empty
    items: []
"""

#: An inline factor set with one factor, to append to BASE (``{gap}`` and ``{items}`` filled in).
INLINE_FACTOR = """\
management:
  factors:
    factors:
      - id: research
        gap: {gap}
        direction: protective
        name:
          en: Research
        {items}
"""


def changed(old: str, new: str) -> str:
    """BASE with one text replaced (the replacement must apply)."""
    assert old in BASE, old
    return BASE.replace(old, new, 1)


@dataclass
class Context:
    """A schema-valid config being checked, with the positions of its keys and values."""

    config: InstrumentConfig
    file: str
    source: SourceMap
    dimension_ids: list[str] = field(init=False)
    item_ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.dimension_ids = [dimension.id for dimension in self.config.dimensions]
        self.item_ids = list(dict.fromkeys(item.id for _, item in self.config.items()))

    def at(self, rule: Rule, path: KeyPath, message: str, key: bool = False) -> Finding:
        """A finding of ``rule`` at the value (or, with ``key``, the key) at ``path``."""
        position = self.source.at_key(path) if key else self.source.at_value(path)
        return Finding(self.file, position.line, position.column, rule, message)
