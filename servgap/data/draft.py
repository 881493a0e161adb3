"""A config drafted from a survey export (``servgap init --from-export``).

The export's columns are read as the platform wrote them (:mod:`servgap.data.platforms`); each
column's text — its header, or the question text of Qualtrics' second row — is split into a
question and a sub-question (``Question [row]``, 问卷星's ``1、题目—子题``, Qualtrics' ``… - row``),
and its facet is read from the markers survey designers use: ``[Expectation]``/``[Perception]``,
``(expectation)``, ``(기대 설문)``/``(인지 설문)``, 期望/感知, "should" against "is". Columns of
different facets with the same item key (the sub-question, the text without its marker, or the
question number ``1-1``/``1-2``) become one item. A template's items are matched by their texts.
Whatever could not be placed is listed in the draft, for the consultant to decide.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from servgap.data.options import ReadOptions
from servgap.data.platforms import SourceInfo, is_number, recognise
from servgap.data.tables import Table, read_table
from servgap.instrument.models import Facet, answer_key

#: Facet markers, strongest first: explicit labels, then words that mark a facet in a question.
_MARKERS: list[tuple[Facet, str]] = [
    (Facet.EXPECTATION, r"[\[(（]\s*(?:expectations?|expected|기대\s*설문|期望|预期)\s*[\])）]"),
    (Facet.PERCEPTION, r"[\[(（]\s*(?:perceptions?|perceived|인지\s*설문|感知|实际)\s*[\])）]"),
    (Facet.ADEQUATE, r"[\[(（]\s*(?:adequate|minimum|最低)\s*[\])）]"),
    (Facet.DESIRED, r"[\[(（]\s*(?:desired|理想)\s*[\])）]"),
    (Facet.ADEQUATE, r"\b(?:minimum|adequate)\b|最低|可接受"),
    (Facet.DESIRED, r"\bdesired\b|理想"),
    (Facet.EXPECTATION, r"\bexpect\w*|\bexcellent\b.*\bwould\b|\bshould\b|期望|预期|기대|해야\s*한다"),
    (Facet.PERCEPTION, r"\bperce\w*|\bexperience\w*|\bactual\w*|感知|实际|인지|\bhas\b|\bis\b"),
]
#: The most segment columns a draft proposes.
MAX_SEGMENTS = 5
_CODE = re.compile(r"^(E|P|MIN|DES)_(.+)$", re.IGNORECASE)
_CODE_FACETS = {"e": Facet.EXPECTATION, "p": Facet.PERCEPTION, "min": Facet.ADEQUATE, "des": Facet.DESIRED}
_NUMBERED = re.compile(r"^\s*(\d+)\s*[-_.]\s*(\d+)\s*[.)．、]?\s*")
_METADATA = re.compile(
    r"^(start ?date|end ?date|status|ip ?address|progress|duration.*|finished|recorded ?date|response ?id|"
    r"recipient.*|external ?reference|location.*|distribution ?channel|user ?language|collector id|"
    r"respondent id|email.*|first name|last name|custom data.*|timestamp|时间戳记|序号|提交答卷时间|所用时间|来源|"
    r"来源详情|来自ip|id|start time|completion time|name|last modified time|开始时间|完成时间|电子邮件|名称)$",
    re.IGNORECASE)


@dataclass
class DraftColumn:
    """One column of the export as the drafter reads it."""

    position: int
    header: str
    text: str
    facet: Facet | None = None
    key: str = ""
    label: str = ""


@dataclass
class Draft:
    """The drafted config (as a dict) and what the consultant still has to decide."""

    config: dict[str, object]
    source: SourceInfo
    open_points: list[str] = field(default_factory=list)

    @property
    def items(self) -> int:
        """How many items were paired (the items the draft maps to columns)."""
        data = self.config["data"]
        return len(data["columns"]) if isinstance(data, dict) else 0


def _split(text: str) -> tuple[str, str]:
    """A column text as (question, sub-question); the sub-question is empty when there is none.

    >>> _split("Expectations [Modern equipment]"), _split("1、期望—服务及时")
    (('Expectations', 'Modern equipment'), ('期望', '服务及时'))
    >>> _split("An excellent company would have…\\n- Modern equipment")
    ('An excellent company would have…', 'Modern equipment')
    """
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    bracket = re.match(r"^(.*\S)\s*\[([^\[\]]+)\]\s*$", text)
    if bracket and not re.fullmatch(r"\s*(?:expectations?|perceptions?|adequate|minimum|desired)\s*",
                                    bracket.group(2), re.IGNORECASE):
        return bracket.group(1).strip(), bracket.group(2).strip()
    wjx = re.match(r"^\s*\d+\s*[、.．]\s*(.+?)\s*[—]+\s*(.+)$", text)
    if wjx:
        return wjx.group(1).strip(), wjx.group(2).strip()
    wjx_short = re.match(r"^\s*(\d+)\s*[(（]([^()（）]+)[)）]\s*$", text)
    if wjx_short and not re.fullmatch(r"\s*(?:expectations?|perceptions?|期望|感知)\s*", wjx_short.group(2),
                                      re.IGNORECASE):
        return wjx_short.group(1), wjx_short.group(2).strip()
    qualtrics = re.match(r"^(.*?)\s*\n?\s+-\s+([^\n]+)$", text, re.DOTALL)
    if qualtrics and qualtrics.group(1):
        return " ".join(qualtrics.group(1).split()), qualtrics.group(2).strip()
    return " ".join(text.split()), ""


def _facet_of(text: str) -> tuple[Facet | None, str]:
    """The facet a text marks, and the text without an explicit marker."""
    for facet, pattern in _MARKERS:
        found = re.search(pattern, text, re.IGNORECASE)
        if found:
            explicit = found.group(0)[:1] in "[(（"
            stripped = (text[:found.start()] + text[found.end():]) if explicit else text
            return facet, " ".join(stripped.split()).strip(" .。:：-—")
    return None, text


def read_columns(table: Table, source: SourceInfo) -> list[DraftColumn]:
    """Every column with its facet and item key, where the drafter can tell them."""
    columns = []
    for position, header in enumerate(table.headers):
        text = source.question_texts[position] if position < len(source.question_texts) and \
            source.question_texts[position] else header
        column = DraftColumn(position, header, text)
        code = _CODE.match(header)
        if code:
            column.facet, column.key = _CODE_FACETS[code.group(1).lower()], code.group(2)
            column.label = code.group(2)
        else:
            question, sub = _split(text)
            if sub:
                column.facet, _ = _facet_of(question)
                column.key = column.label = sub
            else:
                column.facet, stem = _facet_of(question)
                numbered = _NUMBERED.match(question)
                column.key = f"#{numbered.group(1)}" if numbered else answer_key(stem)
                column.label = _NUMBERED.sub("", stem) if numbered else stem
        columns.append(column)
    return columns


def _facets_by_order(columns: list[DraftColumn], open_points: list[str]) -> None:
    """Columns that share a sub-question but carry no facet marker (问卷星's ``1(子题)`` and
    ``2(子题)``): the earlier is read as the expectation, the later as the perception — the order
    of a SERVQUAL questionnaire — and the draft says so."""
    unmarked: dict[str, list[DraftColumn]] = {}
    for column in columns:
        if column.facet is None and column.key and not column.key.startswith("#"):
            unmarked.setdefault(column.key, []).append(column)
    paired = [group for group in unmarked.values() if len(group) == 2]
    for earlier, later in paired:
        earlier.facet, later.facet = Facet.EXPECTATION, Facet.PERCEPTION
    if paired:
        open_points.append(f"{len(paired)} item(s) have no expectation/perception marker: the earlier column of "
                           "each pair was taken as the expectation; check data.columns")


def _numbers(cells: pd.Series) -> np.ndarray:
    values = pd.to_numeric(cells.astype("string").str.normalize("NFKC").str.strip(), errors="coerce")
    return values.to_numpy(dtype=float, na_value=np.nan)


def draft_config(path: Path, template: dict[str, object] | None = None, template_name: str | None = None) -> Draft:
    """Draft a config for the export at ``path`` (optionally matched to a template's items)."""
    table, source = recognise(read_table(path, ReadOptions()))
    columns = read_columns(table, source)
    open_points: list[str] = []
    _facets_by_order(columns, open_points)
    pairs: dict[str, dict[Facet, DraftColumn]] = {}
    for column in columns:
        if column.facet is not None and column.key:
            pairs.setdefault(column.key, {})
            pairs[column.key].setdefault(column.facet, column)
    facet_sets = [set(group) for group in pairs.values() if len(group) >= 2]
    facets = max(facet_sets, key=len) if facet_sets else {Facet.EXPECTATION, Facet.PERCEPTION}
    order = [Facet.EXPECTATION, Facet.PERCEPTION] if facets <= {Facet.EXPECTATION, Facet.PERCEPTION} else \
        [Facet.ADEQUATE, Facet.DESIRED, Facet.PERCEPTION]
    items = [(key, group) for key, group in pairs.items() if set(order) <= set(group)]
    used = {group[facet].position for _, group in items for facet in order}

    values = np.concatenate([_numbers(table.frame[column.position]) for column in columns
                             if column.position in used]) if used else np.array([])
    skipped = [float(marker) for marker in source.skip_markers if is_number(marker)]
    values = values[np.isfinite(values) & ~np.isin(values, skipped)]
    scale = {"min": 1, "max": 7}
    if values.size:
        low, high = int(np.floor(values.min())), int(np.ceil(values.max()))
        scale = {"min": 0 if low <= 0 else 1, "max": next((size for size in (5, 7, 9, 10, 11) if size >= high), high)}
    elif used:
        answers = sorted({str(v) for c in columns if c.position in used for v in table.frame[c.position].dropna()})
        open_points.append("the answers are texts: label the scale points under instrument.scale.labels "
                           f"(found: {', '.join(answers[:12])}{' …' if len(answers) > 12 else ''})")

    id_header = source.id_header
    if id_header is None:
        id_header = next((h for h in table.headers if re.fullmatch(r"(respondent[ _]?id|id|序号|no\.?)", h.strip(),
                                                                      re.IGNORECASE)), None)
    segments: list[str] = []
    # Segment candidates (branch, gender, channel) are the few-valued columns before or after the
    # rating block, where questionnaires put them; questions between the ratings are other scales.
    first_rating, last_rating = (min(used), max(used)) if used else (len(columns), -1)
    for column in columns:
        if column.position in used or column.header == id_header or _METADATA.match(column.header.strip()) or \
                not column.header.strip():
            continue
        numbered_question = re.match(r"^\s*\d+(?:[-_.]\d+)*\s*[.)、．]", column.header)
        if first_rating < column.position < last_rating or numbered_question or len(segments) >= MAX_SEGMENTS:
            if column.facet is not None:
                open_points.append(f"column {column.position + 1} '{column.header}' looks like a rating "
                                   f"({column.facet.value}) but has no partner column of the other facet")
            continue
        distinct = table.frame[column.position].dropna().astype(str).str.strip()
        distinct = distinct[distinct != ""]
        if 2 <= distinct.nunique() <= 12 and distinct.nunique() < max(3, len(distinct) // 2):
            segments.append(column.header)
        elif column.facet is not None:
            open_points.append(f"column {column.position + 1} '{column.header}' looks like a rating "
                               f"({column.facet.value}) but has no partner column of the other facet")

    drafted_items: list[dict[str, object]] = []
    for number, (key, group) in enumerate(items, start=1):
        label = next((group[f].label for f in order if group[f].label), key)
        drafted_items.append({"id": f"q{number}", "text": label,
                              "columns": {facet.value: group[facet].header for facet in order}})
    dimensions, instrument = _dimensions(drafted_items, template, open_points)
    if template is None:
        instrument = {"id": re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-")[:40] or "study",
                      "name": {"en": path.stem}, "languages": ["en"], "scale": scale,
                      "facets": [facet.value for facet in order]}
        open_points.insert(0, "the items are in one dimension: group them into the study's dimensions "
                              "(or start from a template: --template servqual)")
    data: dict[str, object] = {"respondent_id": id_header, "segments": segments,
                               "columns": {item["id"]: item["columns"] for item in drafted_items}}
    if source.platform != "generic":
        data["source"] = source.platform
    config = {"format_version": 1, "instrument": instrument, "dimensions": dimensions, "data": data}
    return Draft(config, source, open_points)


def _likeness(first: str, second: str) -> float:
    """How alike two item texts are, 0 to 1: one containing the other (a template's "The company has
    modern equipment" and an export's "Modern equipment") counts as 0.9.

    >>> _likeness("dependable", "the company is dependable"), round(_likeness("fast", "slow"), 2)
    (0.9, 0.25)
    """
    ratio = difflib.SequenceMatcher(None, first, second).ratio()
    return max(ratio, 0.9) if first and second and (first in second or second in first) else ratio


def _dimensions(items: list[dict[str, object]], template: dict[str, object] | None,
                open_points: list[str]) -> tuple[list[dict[str, object]], dict[str, object]]:
    """The drafted items in dimensions: one dimension without a template; the template's, by the
    closest item text (in any of its languages), with unmatched items in 'unassigned'."""
    if template is None:
        return [{"id": "all", "name": {"en": "All items"},
                 "items": [{"id": item["id"], "text": {"en": item["text"]}} for item in items]}], {}
    instrument = dict(template["instrument"])  # type: ignore[call-overload]
    languages = list(instrument.get("languages", ["en"]))
    candidates = [(answer_key(text), dimension["id"], entry)
                  for dimension in template["dimensions"]  # type: ignore[attr-defined]
                  for entry in dimension["items"] for text in entry["text"].values()]
    chosen: dict[str, list[dict[str, object]]] = {}
    taken: set[str] = set()
    unassigned = []
    for item in items:
        wanted = answer_key(str(item["text"]))
        scored = sorted(((_likeness(wanted, text), dimension_id, entry)
                         for text, dimension_id, entry in candidates if entry["id"] not in taken),
                        key=lambda found: -found[0])
        if scored and scored[0][0] >= 0.6:
            _, dimension_id, entry = scored[0]
            taken.add(entry["id"])
            chosen.setdefault(dimension_id, []).append({**entry})
            item["id"] = entry["id"]
        else:
            unassigned.append({"id": item["id"], "text": {language: item["text"] for language in languages}})
    dimensions = [{**dimension, "items": chosen[dimension["id"]]}
                  for dimension in template["dimensions"] if dimension["id"] in chosen]  # type: ignore[attr-defined]
    missing = [entry["id"] for _, _, entry in candidates if entry["id"] not in taken]
    if missing:
        open_points.append(f"template items not found in the export (left out): {', '.join(dict.fromkeys(missing))}")
    if unassigned:
        dimensions.append({"id": "unassigned", "name": {language: "Unassigned" for language in languages},
                           "items": unassigned})
        open_points.append(f"{len(unassigned)} item(s) match no template item: they are in 'unassigned'; move "
                           "them into dimensions")
    return dimensions, instrument


def _comment(text: str) -> str:
    """Text from the export made safe inside a YAML comment: no line breaks or control characters
    (a header with a line break must not start a line of YAML)."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


def draft_text(draft: Draft, export: str) -> str:
    """The draft as a YAML config with comments on where it came from and what is left to decide."""
    export = _comment(export)
    lines = ["# yaml-language-server: $schema=servgap.schema.json",
             f"# Drafted by `servgap init --from-export` from {export} "
             f"({draft.source.name if draft.source.platform == 'generic' else draft.source.name + ' export'}): "
             f"{draft.items} item(s) paired.",
             "# Check it against the export with: servgap check THIS-FILE --data EXPORT"]
    if draft.open_points:
        lines.append("# Still to decide:")
        lines += [f"#   - {_comment(point)}" for point in draft.open_points]
    body = yaml.safe_dump(draft.config, allow_unicode=True, sort_keys=False, width=10_000)
    return "\n".join(lines) + "\n" + body
