"""Which column of the file holds each item facet, importance, id and segment: the column plan."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from servgap.data import rules as data_rules
from servgap.data.issues import DataIssue, short_text
from servgap.instrument.columns import item_column, points_column, stated_importance_column
from servgap.instrument.models import Facet, InstrumentConfig, loose_text

FACET_CODES = {
    "e": Facet.EXPECTATION, "expectation": Facet.EXPECTATION,
    "p": Facet.PERCEPTION, "perception": Facet.PERCEPTION,
    "min": Facet.ADEQUATE, "adequate": Facet.ADEQUATE, "minimum": Facet.ADEQUATE,
    "des": Facet.DESIRED, "desired": Facet.DESIRED,
}
IMPORTANCE_CODES = {"w", "importance", "points", "weight"}


@dataclass
class ColumnPlan:
    """Where each input of the config is in the table: 0-based column positions by item and facet, and the rest."""

    item_columns: dict[tuple[str, Facet], int]
    points_columns: dict[str, int] | None
    id_column: int | None
    segment_columns: dict[str, int]
    importance_columns: dict[str, int] | None = None
    overall_column: int | None = None


# Letters of other scripts that look like Latin ones: a header typed with them never matches.
_LOOK_ALIKES = dict(zip("АВЕКМНОРСТХаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοι", "ABEKMHOPCTXaeopcyxijsdqwABEZHIKMNOPTYXoi",
                        strict=True))


def canonical_header(text: str) -> str:
    """A header as a reader sees it: NFKC, no format or control characters, whitespace runs as one
    space, case folded, look-alike letters as their Latin twins."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cf", "Cc"))
    text = "".join(_LOOK_ALIKES.get(char, char) for char in text)
    return " ".join(text.split()).casefold()


def show_invisible(text: str) -> str:
    """``text`` with every character a reader cannot tell apart made visible as ``<U+XXXX NAME>``.

    Examples
    --------
    >>> show_invisible("E_q1\u200b")
    'E_q1<U+200B ZERO WIDTH SPACE>'
    >>> show_invisible("Е_q1")
    '<U+0415 CYRILLIC CAPITAL LETTER IE>_q1'
    """
    shown = []
    for char in text:
        category = unicodedata.category(char)
        if char != " " and (category in ("Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Cn") or char in _LOOK_ALIKES
                            or unicodedata.normalize("NFKC", char) != char):
            shown.append(f"<U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}>")
        else:
            shown.append(char)
    return "".join(shown)


@dataclass(frozen=True)
class HeaderIndex:
    """Where each header stands: by its exact text, by :func:`loose_text` (differences no reader
    sees: a double space, a full-width letter), and by the question text of a platform's second
    header row (Qualtrics) — looked up in that order."""

    headers: list[str]
    exact: dict[str, list[int]]
    loose: dict[str, list[int]]
    questions: dict[str, list[int]]

    @classmethod
    def of(cls, headers: list[str], questions: tuple[str, ...] = ()) -> HeaderIndex:
        def positions(texts: list[str] | tuple[str, ...], key: Callable[[str], str]) -> dict[str, list[int]]:
            found: dict[str, list[int]] = {}
            for index, text in enumerate(texts):
                if text.strip():
                    found.setdefault(key(text), []).append(index)
            return found

        return cls(headers, positions(headers, str), positions(headers, loose_text), positions(questions, loose_text))

    def matches(self, text: str) -> list[int]:
        """The columns a header text names (several when it is repeated; none when absent)."""
        return self.exact.get(text.strip()) or self.loose.get(loose_text(text)) or \
            self.questions.get(loose_text(text)) or []

    def resolve(self, ref: int | str) -> int | str | None:
        """Column index for a header text or 1-based position; None if absent; 'ambiguous' if repeated.

        >>> index = HeaderIndex.of(["id", "P_T1", "P  T2", "P_T1"])
        >>> index.resolve("P T2"), index.resolve(2), index.resolve("P_T1"), index.resolve("nope")
        (2, 1, 'ambiguous', None)
        """
        if isinstance(ref, int):
            return ref - 1 if 1 <= ref <= len(self.headers) else None
        found = self.matches(ref)
        if not found:
            return None
        return found[0] if len(found) == 1 else "ambiguous"


def difference(wanted: str, found: str) -> str:
    """Where a header differs from the text the config gives, made visible.

    >>> difference("P_T1", "P_T 1"), difference("Perception of speed", "Perceptions of speed")
    ("the config has 'T1', the file 'T 1'", "the config has 'Perception ', the file 'Perceptions '")
    """
    matcher = difflib.SequenceMatcher(None, wanted, found, autojunk=False)
    changes = [code for code in matcher.get_opcodes() if code[0] != "equal"]
    if not changes:
        return "the same text"
    w_start, f_start = changes[0][1], changes[0][3]
    w_stop, f_stop = changes[-1][2], changes[-1][4]
    # A word's worth of context on each side, so that a space or a letter shows where it is.
    left = max(0, min(w_start, f_start) - 1)
    while left > 0 and not wanted[left - 1].isspace() and wanted[left - 1] not in "_-":
        left -= 1
    shown_wanted = wanted[left:min(len(wanted), w_stop + 1)]
    shown_found = found[left:min(len(found), f_stop + 1)]
    return f"the config has '{show_invisible(shown_wanted)}', the file '{show_invisible(shown_found)}'"


def plan_columns(config: InstrumentConfig, headers: list[str], issues: list[DataIssue],
                 facet_labels: dict[Facet, str] | None = None, platform_id: str | None = None,
                 questions: tuple[str, ...] = ()) -> ColumnPlan:
    """The column plan of a table's headers for ``config``; every column not found is an issue (SG304, SG309).

    ``platform_id`` is the respondent-id header of the platform that wrote the file (Qualtrics'
    ResponseId…), used when the config does not name an id column the file has; ``questions`` are
    the question texts of its second header row, by which a column may be mapped too."""

    index_of = HeaderIndex.of(headers, questions)
    mapping = config.data

    def locate(ref: int | str, what: str) -> int | None:
        index = index_of.resolve(ref)
        if index == "ambiguous":
            repeated = index_of.matches(str(ref))
            issues.append(DataIssue(data_rules.AMBIGUOUS_HEADER, 1, repeated[1] + 1, str(ref),
                                    f"header '{short_text(str(ref))}' ({what}) appears in columns "
                                    f"{', '.join(str(p + 1) for p in repeated)}; map it by position instead"))
            return None
        if index is None:
            position = 0
            if isinstance(ref, int):
                message = f"{what} is mapped to column position {ref}, but the file has {len(headers)} columns"
            else:
                wanted = canonical_header(ref)
                alike = [index for index, header in enumerate(headers) if canonical_header(header) == wanted]
                if alike:
                    position = alike[0] + 1
                    shown = "; ".join(f"column {index + 1} is '{show_invisible(headers[index])}'" for index in alike)
                    message = (f"no column '{show_invisible(ref)}' for {what}, but {shown}: the headers differ only "
                               "by invisible or look-alike characters (marked <U+…>); correct the header or the "
                               "config")
                else:
                    close = difflib.get_close_matches(ref, headers, n=3, cutoff=0.5)
                    hint = ("; closest headers: " + ", ".join(
                        f"'{show_invisible(short_text(c, 40))}' (column {headers.index(c) + 1}"
                        + (f"; {difference(ref, c)}" if rank == 0 else "") + ")" for rank, c in enumerate(close))
                        if close else "")
                    message = f"no column '{show_invisible(short_text(ref))}' for {what}{hint}"
            issues.append(DataIssue(data_rules.MISSING_COLUMN, 1, position, headers[position - 1] if position else
                                    str(ref), message))
            return None
        return int(index)

    item_columns: dict[tuple[str, Facet], int] = {}
    for _, item in config.items():
        for facet in config.instrument.facets:
            ref = item_column(config, item.id, facet)
            label = (facet_labels or {}).get(facet, facet.value)
            item_index = locate(ref, f"item {item.id} ({label})")
            if item_index is not None:
                item_columns[(item.id, facet)] = item_index

    points_columns: dict[str, int] | None = None
    if config.importance.use_points_columns:
        wanted = {
            d.id: points_column(config, d.id) for d in config.dimensions
        }
        found = {d: index_of.resolve(ref) for d, ref in wanted.items()}
        explicit = bool(mapping.importance_columns)
        if explicit or any(isinstance(index, int) for index in found.values()):
            # Some importance columns exist (or were named): then all must, or weighting is ambiguous.
            points_columns = {}
            for dimension_id, ref in wanted.items():
                points_index = locate(ref, f"importance points of {dimension_id}")
                if points_index is not None:
                    points_columns[dimension_id] = points_index

    id_column: int | None = None
    if mapping.respondent_id is not None:
        explicit_id = "respondent_id" in mapping.model_fields_set
        if explicit_id or index_of.resolve(mapping.respondent_id) is not None:
            id_column = locate(mapping.respondent_id, "the respondent id")
        elif platform_id is not None:
            id_column = locate(platform_id, "the respondent id")
    segment_columns = {}
    for segment in mapping.segments:
        segment_index = locate(segment, f"segment '{segment}'")
        if segment_index is not None:
            segment_columns[headers[segment_index] if isinstance(segment, int) else segment] = segment_index
    importance_columns: dict[str, int] | None = None
    wanted_importance = {item.id: stated_importance_column(config, item.id)
                         for _, item in config.items()}
    if any(isinstance(index_of.resolve(ref), int) for ref in wanted_importance.values()):
        # Stated item importance is all-or-none, like the importance points.
        importance_columns = {}
        for item_id, ref in wanted_importance.items():
            importance_index = locate(ref, f"stated importance of {item_id}")
            if importance_index is not None:
                importance_columns[item_id] = importance_index
    overall_column = None
    if mapping.overall_quality is not None:
        overall_column = locate(mapping.overall_quality, "the overall-quality rating")
    return ColumnPlan(item_columns, points_columns, id_column, segment_columns, importance_columns, overall_column)


