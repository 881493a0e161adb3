"""SG211, 213: management inputs — standards and promises on the scale, factors with statements."""

from __future__ import annotations

from collections.abc import Iterator

from servgap.checks.rules.common import BASE, INLINE_FACTOR, Context
from servgap.findings import Example, Finding, Rule, Severity

E = Severity.ERROR

LEVEL_OFF_SCALE = Rule(
    "SG211", "level-off-scale", E,
    "A management level (service standard or promise) lies outside the instrument's scale.",
    "Express standards and promises on the item scale, between its min and max.",
    examples=(Example(BASE + "management:\n  standards:\n    s1: 6\n", 25, 9),
              Example(BASE + "management:\n  standards:\n    s1: 4.5\n")))
EMPTY_FACTOR = Rule(
    "SG213", "empty-factor", E,
    "An organisational factor has no statements.",
    "Add statements to the factor, or remove it from the factor set.",
    examples=(Example(BASE + INLINE_FACTOR.format(gap=1, items="items: []"), 31, 9),
              Example(BASE + INLINE_FACTOR.format(gap=1, items="items: [{id: r1, text: {en: We ask.}}]"))))


def management_levels(context: Context) -> Iterator[Finding]:
    """SG211: every standard and promise lies on the item scale."""
    scale = context.config.instrument.scale
    for section in ("standards", "promises"):
        for item_id, level in getattr(context.config.management, section).items():
            if not scale.min <= level <= scale.max:
                yield context.at(LEVEL_OFF_SCALE, ("management", section, item_id),
                                 f"{section[:-1]} level {level:g} for '{item_id}' lies outside the scale "
                                 f"{scale.min}–{scale.max}")


RULES = (LEVEL_OFF_SCALE, EMPTY_FACTOR)
CHECKS = (management_levels,)
