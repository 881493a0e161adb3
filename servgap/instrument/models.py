"""The instrument config: pydantic models of the YAML format (format_version 1).

The models are strict (a string is not silently turned into a number) and forbid unknown keys,
so that a typo in a config is an error, never a silently ignored setting. Semantic rules that
span several parts of a config (unique ids, weights totalling 100, references) live in
:mod:`servgap.checks.config`, where each has its own rule code and position.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, field_validator

FORMAT_VERSION = 1

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", max_length=64),
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
#: A text in several languages, e.g. ``{en: Tangibles, zh: 有形性}``.
LocalText = dict[LanguageCode, str]
#: A data column named by its exact header text or by its 1-based position.
ColumnRef = Annotated[int, Field(ge=1)] | Annotated[str, StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Facet(StrEnum):
    """The ratings a respondent gives per item."""

    EXPECTATION = "expectation"
    PERCEPTION = "perception"
    ADEQUATE = "adequate"
    DESIRED = "desired"


FacetValue = Annotated[Facet, Strict(False)]


class Scale(_Strict):
    """The response scale: whole points from ``min`` to ``max``, some of them labelled."""

    min: int = Field(description="Lowest scale point (e.g. 1).")
    max: int = Field(description="Highest scale point (e.g. 7).")
    labels: dict[int, LocalText] = Field(
        default_factory=dict, description="Labels of scale points, e.g. {1: {en: Strongly disagree}}; answers "
        "exported as these texts are read as their points."
    )
    aliases: dict[int, list[Annotated[str, StringConstraints(min_length=1)]]] = Field(
        default_factory=dict, description="More answer texts per scale point, as survey platforms export them, "
        "e.g. {5: [Agree, Somewhat agree, 比较同意]}."
    )

    def answer_points(self) -> dict[str, int]:
        """Every answer text this scale reads (labels in every language, and aliases), normalised by
        :func:`answer_key`, with its point. A text that names two points is left out (the config check
        reports it).

        >>> Scale(min=1, max=5, labels={5: {"en": "Strongly agree", "zh": "非常同意"}},
        ...       aliases={4: ["Agree"]}).answer_points()
        {'strongly agree': 5, '非常同意': 5, 'agree': 4}
        """
        points: dict[str, int] = {}
        ambiguous = set()
        texts = [(point, text) for point, label in self.labels.items() for text in label.values()]
        texts += [(point, text) for point, aliases in self.aliases.items() for text in aliases]
        for point, text in texts:
            key = answer_key(text)
            if points.get(key, point) != point:
                ambiguous.add(key)
            points[key] = point
        return {key: point for key, point in points.items() if key not in ambiguous}


def loose_text(text: str) -> str:
    """Text as a reader sees it: Unicode width folded (NFKC), runs of whitespace as one space, none at
    the ends. Headers are matched in this form when none is exactly the same.

    >>> loose_text(" 1. Prompt\u3000  service "), loose_text("Ｅ_q1")
    ('1. Prompt service', 'E_q1')
    """
    return " ".join(unicodedata.normalize("NFKC", text).split())


def answer_key(text: str) -> str:
    """An answer text as servgap compares it: :func:`loose_text`, case-folded.

    >>> answer_key("  Strongly\u3000 AGREE "), answer_key("ｓｔｒｏｎｇｌｙ agree")
    ('strongly agree', 'strongly agree')
    """
    return loose_text(text).casefold()


class Instrument(_Strict):
    """What the questionnaire is and how it is answered."""

    id: Identifier = Field(description="Short identifier, e.g. servqual.")
    name: LocalText = Field(description="Name per language.")
    description: LocalText | None = Field(default=None, description="What the instrument measures.")
    source: str | None = Field(default=None, description="Where the instrument comes from (citation, licence).")
    languages: list[LanguageCode] = Field(
        default_factory=lambda: ["en"], min_length=1,
        description="Languages every text must be given in; the first is the default report language.",
    )
    scale: Scale
    facets: list[FacetValue] = Field(
        default_factory=lambda: [Facet.EXPECTATION, Facet.PERCEPTION], min_length=1,
        description="Ratings per item: [expectation, perception] (SERVQUAL), "
        "[adequate, desired, perception] (zone of tolerance) or [perception] (SERVPERF).",
    )

    @field_validator("facets")
    @classmethod
    def _facets_make_sense(cls, facets: list[Facet]) -> list[Facet]:
        if len(set(facets)) != len(facets):
            raise ValueError("each facet may be listed once")
        if Facet.PERCEPTION not in facets:
            raise ValueError("facets must include perception")
        if (Facet.ADEQUATE in facets) != (Facet.DESIRED in facets):
            raise ValueError("the zone of tolerance needs both adequate and desired")
        return facets

    @field_validator("languages")
    @classmethod
    def _languages_unique(cls, languages: list[str]) -> list[str]:
        if len(set(languages)) != len(languages):
            raise ValueError("each language may be listed once")
        return languages


class Item(_Strict):
    """One questionnaire item (asked once per facet)."""

    id: Identifier = Field(description="Item id, unique across the file; names data columns (E_{item}).")
    text: LocalText = Field(description="Item wording per language.")
    reverse: bool = Field(default=False, description="True for a negatively worded item (recoded L + U − x).")
    actions: list[LocalText] = Field(default_factory=list, description="Improvement actions for this item.")


class Dimension(_Strict):
    """A quality dimension and its items."""

    id: Identifier = Field(description="Dimension id, unique across the file.")
    name: LocalText
    description: LocalText | None = None
    items: list[Item] = Field(description="The dimension's items (at least one; three or more advised).")
    actions: list[LocalText] = Field(default_factory=list, description="Improvement actions for the dimension.")


class Importance(_Strict):
    """How dimensions are weighted in the weighted score and the checklist priority."""

    weights: dict[Identifier, float] | None = Field(
        default=None, description="Fixed weights per dimension id, in points totalling 100."
    )
    use_points_columns: bool = Field(
        default=True,
        description="Use per-respondent 100-point allocations (W_{dimension} columns) when the data has them.",
    )
    points_tolerance: float | None = Field(
        default=None, ge=0,
        description="If set, a respondent whose points differ from 100 by more than this is left out of the "
        "weighted score; by default any positive total is used (renormalised to proportions).",
    )


class Patterns(_Strict):
    """Default data column names; ``{item}`` and ``{dimension}`` are replaced by ids."""

    expectation: str = "E_{item}"
    perception: str = "P_{item}"
    adequate: str = "MIN_{item}"
    desired: str = "DES_{item}"
    importance: str = "W_{dimension}"
    item_importance: str = Field(default="I_{item}", description="Stated importance of an item (for IPA).")

    @field_validator("expectation", "perception", "adequate", "desired", "item_importance")
    @classmethod
    def _has_item_placeholder(cls, pattern: str) -> str:
        if "{item}" not in pattern:
            raise ValueError("an item column pattern must contain {item}, e.g. E_{item}")
        return pattern

    @field_validator("importance")
    @classmethod
    def _has_dimension_placeholder(cls, pattern: str) -> str:
        if "{dimension}" not in pattern:
            raise ValueError("the importance column pattern must contain {dimension}, e.g. W_{dimension}")
        return pattern

    def for_facet(self, facet: Facet) -> str:
        """The column-name pattern of one facet."""
        return str(getattr(self, facet.value))


class ItemColumns(_Strict):
    """Per-item column overrides, by exact header text or 1-based position."""

    expectation: ColumnRef | None = None
    perception: ColumnRef | None = None
    adequate: ColumnRef | None = None
    desired: ColumnRef | None = None
    importance: ColumnRef | None = Field(default=None, description="The item's stated-importance column.")

    def for_facet(self, facet: Facet) -> int | str | None:
        """The column an item's facet is mapped to here (header text or 1-based position), if any."""

        value: int | str | None = getattr(self, facet.value)
        return value


#: The survey platforms whose exports servgap reads as they come, as reports name them.
PLATFORM_NAMES = {
    "generic": "a plain table", "qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey",
    "google_forms": "Google Forms", "wjx": "问卷星 (wjx)", "microsoft_forms": "Microsoft Forms", "spss": "SPSS",
    "stata": "Stata",
}
Platform = Literal["generic", "qualtrics", "surveymonkey", "google_forms", "wjx", "microsoft_forms", "spss", "stata"]


class DataMapping(_Strict):
    """How a survey export's columns map onto the instrument."""

    respondent_id: ColumnRef | None = Field(
        default="respondent_id",
        description="Column holding the respondent id (null: rows are numbered instead).",
    )
    patterns: Patterns = Field(default_factory=Patterns)
    segments: list[ColumnRef] = Field(default_factory=list, description="Columns to break results down by.")
    missing_codes: list[str | int | float] = Field(
        default_factory=list, description="Values meaning 'no answer', e.g. [NA, 99, 不适用]. Blank is always missing."
    )
    columns: dict[Identifier, ItemColumns] = Field(
        default_factory=dict, description="Per-item overrides: item id → {expectation, perception, …}."
    )
    importance_columns: dict[Identifier, ColumnRef] = Field(
        default_factory=dict, description="Per-dimension overrides of the importance-points column."
    )
    overall_quality: ColumnRef | None = Field(
        default=None, description="Column of an overall-quality rating (on the item scale), for derived importance.",
    )
    source: Literal["auto"] | Platform = Field(
        default="auto", description="The survey platform that wrote the export (auto: recognised from the file); "
        "decides its header rows, id column and skip markers.",
    )


class Test(StrEnum):
    """The significance test of the gaps: paired t, Wilcoxon signed-rank, or both (t drives significance)."""

    TTEST = "ttest"
    WILCOXON = "wilcoxon"
    BOTH = "both"


class Correction(StrEnum):
    """The multiple-comparison adjustment: Holm, Benjamini–Hochberg, or none."""

    HOLM = "holm"
    FDR_BH = "fdr_bh"
    NONE = "none"


class PriorityMethod(StrEnum):
    """How the checklist ranks items (docs/method.md §4)."""

    IMPORTANCE_GAP = "importance_gap"
    GAP = "gap"
    ZONE_FIRST = "zone_first"
    IPA = "ipa"


class Analysis(_Strict):
    """Statistical options."""

    confidence: float = Field(default=0.95, gt=0.5, lt=1, description="Confidence level of intervals.")
    test: Annotated[Test, Strict(False)] = Field(
        default=Test.TTEST, description="Significance test of gaps: ttest, wilcoxon or both."
    )
    correction: Annotated[Correction, Strict(False)] = Field(
        default=Correction.HOLM, description="Multiple-comparison correction: holm, fdr_bh or none."
    )
    priority: Annotated[PriorityMethod, Strict(False)] = Field(
        default=PriorityMethod.IMPORTANCE_GAP, description="Checklist priority method."
    )
    min_item_ratio: float = Field(
        default=0.5, gt=0, le=1,
        description="Share of a dimension's items a respondent must answer (E and P) to get a dimension score.",
    )
    min_segment_n: int = Field(default=30, ge=1, description="Segments smaller than this are flagged.")
    ipa_crosshair: Literal["means", "midpoint"] = Field(
        default="means", description="IPA crosshair: the grand means, or the scale midpoint.",
    )
    bootstrap: int = Field(
        default=0, ge=0, le=100_000,
        description="Bootstrap resamples for dimension and overall gaps (0: off; --bootstrap turns it on).",
    )
    bootstrap_seed: int = Field(default=1, ge=0, description="Seed of the bootstrap (recorded in the output).")


class _ItemRatingsInput(_Strict):
    """Columns of a file with one rating per item and one row per rater (managers, audits)."""

    pattern: str = Field(description="Column of an item's rating; must contain {item}.")
    respondent_id: ColumnRef | None = Field(default=None, description="Column with the row's id (optional).")
    columns: dict[Identifier, ColumnRef] = Field(default_factory=dict, description="Per-item overrides.")

    @field_validator("pattern")
    @classmethod
    def _has_item(cls, pattern: str) -> str:
        return Patterns._has_item_placeholder(pattern)


class ManagersInput(_ItemRatingsInput):
    """Columns of the managers' file: their estimates of customers' expectations (gap 1)."""

    pattern: str = Field(default="M_{item}", description="Column of a manager's estimate of E for an item.")
    importance_pattern: str = Field(default="W_{dimension}", description="Importance points per dimension.")


class AuditsInput(_ItemRatingsInput):
    """Columns of the audits file: delivered level per item, one row per audit or visit (gap 3)."""

    pattern: str = Field(default="AUD_{item}", description="Column of the delivered level of an item.")


class FactorItem(_Strict):
    """A statement of the staff and manager questionnaire."""

    id: Identifier
    text: LocalText
    reverse: bool = Field(default=False, description="True when agreeing means less of the factor.")


class Factor(_Strict):
    """An organisational cause of a management gap (extended gap model)."""

    id: Identifier
    gap: int = Field(description="The management gap (1–4) the factor drives.")
    direction: Literal["protective", "risk"] = Field(
        description="protective: more of the factor narrows the gap; risk: more of it widens the gap."
    )
    name: LocalText
    items: list[FactorItem]


class FactorSet(_Strict):
    """Factors of the staff and manager questionnaire, with its own response scale."""

    scale: Scale = Field(default_factory=lambda: Scale(min=1, max=5))
    factors: list[Factor] = Field(min_length=1)


class FactorSetInfo(_Strict):
    """A factor set's identity: id, name per language, and its languages."""

    id: Identifier
    name: LocalText
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"], min_length=1)
    source: str | None = None


class FactorSetFile(FactorSet):
    """A factor-set file of the library (``configs/factors/*.yaml``), shared by several configs."""

    format_version: Literal[1]
    factor_set: FactorSetInfo


class StaffInput(_Strict):
    """Columns of the staff and manager questionnaire file."""

    respondent_id: ColumnRef | None = Field(default=None, description="Column with the respondent id (optional).")
    columns: dict[Identifier, ColumnRef] = Field(
        default_factory=dict, description="Per-statement overrides; by default a statement's column is its id."
    )


class Management(_Strict):
    """Management-gap inputs held in the config, and how to read the management data files."""

    checklists: dict[int, list[LocalText]] = Field(
        default_factory=dict,
        description="Checklist questions per management gap 1–4 (诊断, 处方, 药房, 疗效).",
    )
    standards: dict[Identifier, float] = Field(
        default_factory=dict, description="Documented service standard per item id, on the item scale (gap 2)."
    )
    promises: dict[Identifier, float] = Field(
        default_factory=dict, description="Promised level per item id, on the item scale (gap 4)."
    )
    managers: ManagersInput = Field(default_factory=ManagersInput)
    audits: AuditsInput = Field(default_factory=AuditsInput)
    factors: str | FactorSet | None = Field(
        default=None,
        description="Organisational factors: a bundled factor set by name (gap-model), a factor-set file "
        "relative to this config, or the factors written here.",
    )
    staff: StaffInput = Field(default_factory=StaffInput)


class InstrumentConfig(_Strict):
    """A servgap instrument config."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, title="servgap instrument config"
    )

    format_version: Literal[1] = Field(description="Version of the config format; this is version 1.")
    instrument: Instrument
    dimensions: list[Dimension] = Field(min_length=1)
    importance: Importance = Field(default_factory=Importance)
    data: DataMapping = Field(default_factory=DataMapping)
    analysis: Analysis = Field(default_factory=Analysis)
    management: Management = Field(default_factory=Management)

    def items(self) -> list[tuple[Dimension, Item]]:
        """Every (dimension, item) pair in config order."""
        return [(dimension, item) for dimension in self.dimensions for item in dimension.items]

    def text(self, localised: LocalText | None, language: str | None = None) -> str:
        """Pick ``language`` from a localised text, falling back to the instrument's first language."""
        if not localised:
            return ""
        for candidate in (language, *self.instrument.languages):
            if candidate and localised.get(candidate):
                return localised[candidate]
        return next(iter(localised.values()))


def pick(text: LocalText | None, language: str, fallbacks: list[str]) -> str:
    """The text in ``language``, else in the first fallback language that has it."""
    if not text:
        return ""
    for candidate in (language, *fallbacks):
        if text.get(candidate):
            return text[candidate]
    return next(iter(text.values()))
