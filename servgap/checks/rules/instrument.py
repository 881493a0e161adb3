"""SG201–204, 207, 209: the instrument itself — ids, dimensions, the scale and the texts."""

from __future__ import annotations

from collections.abc import Iterator

from servgap.checks.positions import KeyPath, format_path
from servgap.checks.rules.common import BASE, EMPTY_DIMENSION, Context, changed
from servgap.findings import Example, Finding, Rule, Severity
from servgap.instrument.models import LocalText, answer_key

E = Severity.ERROR
W = Severity.WARNING

DUPLICATE_ID = Rule(
    "SG201", "duplicate-id", E,
    "Two dimensions or items share an id (ids must be unique across the file).",
    "Give each dimension and item its own id; ids name data columns and report rows.",
    examples=(Example(changed("      - id: s3\n", "      - id: s1\n"), 20, 13), Example(BASE)))
EMPTY_DIMENSION_RULE = Rule(
    "SG202", "empty-dimension", E,
    "A dimension has no items.",
    "Add items to the dimension or remove it.",
    examples=(Example(BASE + EMPTY_DIMENSION, 26, 5), Example(BASE)))
FEW_ITEMS = Rule(
    "SG203", "few-items", W,
    "A dimension has fewer than 3 items, so its Cronbach's alpha is weak or undefined.",
    "Add items, or merge the dimension with a related one; keep it only if the design requires it.",
    examples=(Example(changed("      - id: s3\n        text:\n          en: Quick answers\n", ""), 13, 5),
              Example(BASE)))
SCALE_BOUNDS = Rule(
    "SG204", "scale-bounds", E,
    "The scale's min is not below its max, a point label or alias lies outside the scale, or one answer "
    "text names two points.",
    "Write the scale as whole numbers with min < max (e.g. min: 1, max: 7), label only points "
    "within it, and give each answer text (labels and aliases, case and spacing aside) one point.",
    examples=(Example(changed("    max: 5\n", "    max: 1\n"), 8, 10),
              Example(changed("    max: 5\n", "    max: 5\n    labels:\n      6:\n        en: Beyond\n"), 10, 7),
              Example(changed("    max: 5\n", "    max: 5\n    aliases:\n      0: [Never]\n"), 10, 7),
              Example(changed("    max: 5\n", "    max: 5\n    labels:\n      5:\n        en: Agree\n"
                                                "    aliases:\n      4: [\" agree\"]\n"), 13, 11),
              Example(changed("    max: 5\n", "    max: 5\n    labels:\n      5:\n        en: Excellent\n"))))
MISSING_TRANSLATION = Rule(
    "SG207", "missing-translation", E,
    "A text lacks one of the languages the instrument declares.",
    "Add the missing language's text, or remove the language from instrument.languages.",
    examples=(Example(changed("  scale:\n", "  languages: [en, zh]\n  scale:\n"), 4, 3), Example(BASE)))
DUPLICATE_TEXT = Rule(
    "SG209", "duplicate-text", W,
    "Two items have the same text in one language (respondents cannot tell them apart).",
    "Reword one of the items.",
    examples=(Example(changed("en: Short queues", "en: Fast  Service"), 19, 15), Example(BASE)))


def duplicate_ids(context: Context) -> Iterator[Finding]:
    """SG201: every dimension and item id is used once in the file."""
    first: dict[str, str] = {}
    for d_index, dimension in enumerate(context.config.dimensions):
        places: list[tuple[KeyPath, str, str]] = [(("dimensions", d_index, "id"), dimension.id, "dimension")]
        places += [
            (("dimensions", d_index, "items", i_index, "id"), item.id, "item")
            for i_index, item in enumerate(dimension.items)
        ]
        for path, identifier, kind in places:
            if identifier in first:
                yield context.at(DUPLICATE_ID, path, f"{kind} id '{identifier}' is already used by "
                                 f"{first[identifier]}; ids must be unique across the file")
            else:
                first[identifier] = f"the {kind} at line {context.source.at_value(path).line}"


def dimension_sizes(context: Context) -> Iterator[Finding]:
    """SG202 and SG203: every dimension has items, preferably three or more."""
    for d_index, dimension in enumerate(context.config.dimensions):
        path = ("dimensions", d_index, "items")
        if not dimension.items:
            yield context.at(EMPTY_DIMENSION_RULE, path,
                             f"dimension '{dimension.id}' has no items; add items or remove it", key=True)
        elif len(dimension.items) < 3:
            yield context.at(FEW_ITEMS, path, f"dimension '{dimension.id}' has {len(dimension.items)} item(s); "
                             "with fewer than 3 its Cronbach's alpha is weak or undefined", key=True)


def scale_bounds(context: Context) -> Iterator[Finding]:
    """SG204: min below max, labels only for points on the scale."""
    scale = context.config.instrument.scale
    if scale.min >= scale.max:
        yield context.at(SCALE_BOUNDS, ("instrument", "scale", "max"),
                         f"scale max ({scale.max}) must be greater than min ({scale.min})")
        return
    for kind, points in (("label", scale.labels), ("alias", scale.aliases)):
        for point in points:
            if not scale.min <= point <= scale.max:
                yield context.at(SCALE_BOUNDS, ("instrument", "scale", f"{kind}es" if kind == "alias" else "labels",
                                                point),
                                 f"{kind} for point {point} lies outside the scale {scale.min}–{scale.max}", key=True)
    named = {answer_key(text): point for point, label in scale.labels.items() for text in label.values()}
    for point, aliases in scale.aliases.items():
        for index, alias in enumerate(aliases):
            other = named.setdefault(answer_key(alias), point)
            if other != point:
                yield context.at(SCALE_BOUNDS, ("instrument", "scale", "aliases", point, index),
                                 f"answer text '{alias}' would mean both {other} and {point}; an answer text "
                                 "names one point (case and spacing aside)")


def texts(context: Context) -> Iterator[tuple[KeyPath, LocalText]]:
    """Every localised text of the config, with its path."""
    config = context.config
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


def translations(context: Context) -> Iterator[Finding]:
    """SG207: every text in every declared language."""
    languages = context.config.instrument.languages
    for path, text in texts(context):
        for language in languages:
            if not text.get(language, "").strip():
                where = (*path, language) if language in text else path
                yield context.at(MISSING_TRANSLATION, where, f"{format_path(path)} has no '{language}' text; the "
                                 f"instrument declares languages {', '.join(languages)}", key=language not in text)


def duplicate_texts(context: Context) -> Iterator[Finding]:
    """SG209: no two items read the same in one language (case and spacing aside)."""
    for language in context.config.instrument.languages:
        seen: dict[str, str] = {}
        for d_index, dimension in enumerate(context.config.dimensions):
            for i_index, item in enumerate(dimension.items):
                wording = " ".join(item.text.get(language, "").split()).casefold()
                if not wording:
                    continue
                if wording in seen:
                    yield context.at(DUPLICATE_TEXT, ("dimensions", d_index, "items", i_index, "text", language),
                                     f"item '{item.id}' has the same {language} text as item '{seen[wording]}'; "
                                     "respondents cannot tell them apart")
                else:
                    seen[wording] = item.id


RULES = (DUPLICATE_ID, EMPTY_DIMENSION_RULE, FEW_ITEMS, SCALE_BOUNDS, MISSING_TRANSLATION, DUPLICATE_TEXT)
CHECKS = (duplicate_ids, dimension_sizes, scale_bounds, translations, duplicate_texts)
