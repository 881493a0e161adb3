"""Notes on how an analysis went (:class:`servgap.results.Note`), worded in English or Chinese.

The codes are what the results hold; this module is the one place their wording lives, so the terminal,
the workbook and the JSON say the same thing in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Note:
    """A remark on how the analysis went, as a code and its values; the report words it in its language.

    Codes: ``perception_only`` and ``ids_from_rows`` (data quality); ``zone_first_unavailable``,
    ``ipa_unavailable``, ``no_usable_points``, ``ranked_by_zone`` and ``quadrant_disagrees``
    (values ``items``, ``quadrant``, ``places``) for the checklist. :func:`note_text`
    words a note in English or Chinese.
    """

    code: str
    values: dict[str, Any] = field(default_factory=dict)


#: The importance–performance quadrants' names (the renderers' labels take them from here).
QUADRANT_NAMES: dict[str, dict[str, str]] = {
    "en": {"concentrate_here": "Concentrate here", "keep_up_the_good_work": "Keep up the good work",
           "low_priority": "Low priority", "possible_overkill": "Possible overkill"},
    "zh": {"concentrate_here": "重点改进", "keep_up_the_good_work": "继续保持", "low_priority": "次要",
           "possible_overkill": "可能过度"},
}

#: How each note (servgap.results.Note) reads; ``{items}`` is a list joined the language's way.
NOTE_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "perception_only": "no expectation ratings: gaps are not computed; perception-only scores are reported",
        "ids_from_rows": "no respondent id column: respondents are identified by their spreadsheet row",
        "zone_first_unavailable": "zone_first needs adequate and desired ratings; items are ranked by importance × "
                                  "shortfall",
        "ipa_unavailable": "ipa needs a source of importance (I_{{item}} columns, importance points or an "
                           "overall-quality column); items are ranked by importance × shortfall",
        "no_usable_points": "the importance-point columns hold no usable allocation; items are ranked with equal "
                            "weights",
        "ranked_by_zone": "the data has no expectation ratings; items are ranked by their zone of tolerance",
        "quadrant_disagrees": "{items} ranks among the first {places} although its importance–performance quadrant "
                              "is '{quadrant}': the checklist weighs the size of each shortfall by its dimension's "
                              "importance, the quadrant only compares an item with the crosshair",
        "quadrant_disagrees_many": "{items} rank among the first {places} although their importance–performance "
                                   "quadrant is '{quadrant}': the checklist weighs the size of each shortfall by its "
                                   "dimension's importance, the quadrant only compares an item with the crosshair",
    },
    "zh": {
        "perception_only": "数据中没有期望评分：不计算差距，只报告感知得分",
        "ids_from_rows": "没有受访者编号列：以表格行号标识受访者",
        "zone_first_unavailable": "zone_first 需要可接受与期望两种评分；题项按重要性 × 差距排序",
        "ipa_unavailable": "ipa 需要重要性来源（I_{{item}} 列、重要性分配或总体质量评分列）；题项按重要性 × 差距排序",
        "no_usable_points": "重要性分配列中没有可用的分配；题项按相同权重排序",
        "ranked_by_zone": "数据中没有期望评分；题项按容忍区间排序",
        "quadrant_disagrees": "{items} 位列前 {places}，但其重要性–绩效象限为“{quadrant}”："
                              "清单按维度重要性加权差距大小，象限只比较题项与分界线",
    },
}


def note_text(note: Note, language: str) -> str:
    """A note worded in ``language`` (English for any language without its own wording).

    >>> note = Note("quadrant_disagrees", {"items": ["R1", "T2"], "quadrant": "low_priority", "places": 5})
    >>> note_text(note, "zh")
    'R1、T2 位列前 5，但其重要性–绩效象限为“次要”：清单按维度重要性加权差距大小，象限只比较题项与分界线'
    >>> note_text(note, "en")[:50]
    'R1 and T2 rank among the first 5 although their im'
    """
    texts = NOTE_TEXTS.get(language, NOTE_TEXTS["en"])
    values = dict(note.values)
    code = note.code
    if "items" in values:
        items = [str(item) for item in values["items"]]
        if language == "zh":
            values["items"] = "、".join(items)
        else:
            values["items"] = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
            if len(items) > 1:
                code += "_many"
    if "quadrant" in values:
        values["quadrant"] = QUADRANT_NAMES.get(language, QUADRANT_NAMES["en"])[values["quadrant"]]
        if language != "zh":
            values["quadrant"] = values["quadrant"].lower()
    template = texts.get(code, texts[note.code])
    return template.format(**values)
