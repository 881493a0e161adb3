"""The Rich terminal report of an assessment, readable at 80 columns and without colour."""

from __future__ import annotations

import math

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from servgap.instrument.models import PLATFORM_NAMES
from servgap.render.inert import inert_assessment
from servgap.render.labels import labels, note_text, number, p_value, pick
from servgap.results import Assessment, DimensionResult

BAR_WIDTH = 8
CORRECTION_NAMES = {"holm": "Holm", "fdr_bh": "Benjamini–Hochberg", "none": "none"}


def gap_bar(gap: float, scale_span: float, width: int = BAR_WIDTH) -> Text:
    """A bar pointing left for a shortfall, right for a surplus; length relative to a third of the scale."""
    if not math.isfinite(gap):
        return Text("")
    half = width // 2
    cells = min(half, round(abs(gap) / (scale_span / 3) * half + 0.49)) if gap else 0
    if gap < 0:
        return Text(" " * (half - cells)) + Text("█" * cells, style="red") + Text("│")
    return Text(" " * half + "│") + Text("█" * cells, style="green")


def _ci(interval: tuple[float, float]) -> str:
    return f"{number(interval[0], signed=True)}, {number(interval[1], signed=True)}"


def _alpha_cell(dimension: DimensionResult) -> str:
    return "/".join(number(dimension.alpha[key].alpha) for key in ("expectation", "perception", "gap"))


def build_report(assessment: Assessment, language: str, top: int = 5) -> RenderableType:
    """The whole report as one Rich renderable: header, dimensions, overall scores, bootstrap, zone of
    tolerance, IPA, largest shortfalls, segments, management gaps, the checklist, data quality."""
    assessment = inert_assessment(assessment)  # text from files shown as text, whoever calls
    has_gap = any(math.isfinite(d.gap) for d in assessment.dimensions)
    parts: list[RenderableType] = [*header_section(assessment, language)]
    if has_gap:
        parts += dimension_section(assessment, language)
    parts += overall_section(assessment, language, has_gap)
    if assessment.bootstrap is not None:
        parts += bootstrap_section(assessment, language)
    if assessment.tolerance is not None:
        parts += tolerance_section(assessment, language)
    if assessment.ipa is not None:
        parts += ipa_section(assessment, language)
    if has_gap:
        parts += shortfall_section(assessment, language, top)
    if has_gap or assessment.segment_measure == "msa":
        parts += segment_sections(assessment, language)
    if assessment.management is not None:
        parts += management_section(assessment, language)
    if assessment.checklist is not None:
        parts += checklist_section(assessment, language, top)
    parts += quality_section(assessment, language)
    return Group(*parts)


def header_section(assessment: Assessment, language: str) -> list[RenderableType]:
    """Title, instrument, file, rows read and used, and the sign convention."""
    text = labels(language)
    quality = assessment.data_quality
    header = Table.grid(padding=(0, 1))
    header.add_column(style="bold")
    header.add_column()
    header.add_row(text["instrument"], escape(f"{pick(assessment.instrument_name, language, assessment.languages)} "
                                              f"({assessment.instrument_id})"))
    platform = "" if quality.platform == "generic" else " " + text["platform"].format(
        platform=PLATFORM_NAMES.get(quality.platform, quality.platform), rows=quality.header_rows)
    files = f" ({len(quality.files)} files)" if len(quality.files) > 1 else ""
    header.add_row(text["file"], escape(quality.file + files + platform))
    header.add_row(text["rows"], f"{quality.rows_read} / {quality.rows_used}")
    return [Text(text["title"], style="bold"), header, Text(text["sign"], style="italic"), Text("")]


def dimension_section(assessment: Assessment, language: str) -> list[RenderableType]:
    """The dimension table (n, E, P, gap with its star, interval, alphas, a bar) and its legend."""
    text = labels(language)
    fallbacks = assessment.languages
    span = assessment.scale[1] - assessment.scale[0]
    table = Table(title=text["dimensions"], box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False,
                  collapse_padding=True)
    longest = max(len(pick(d.name, language, fallbacks)) for d in assessment.dimensions)
    table.add_column(text["dimension"], overflow="fold", min_width=min(longest, 15))
    table.add_column(text["n"], justify="right")
    table.add_column(text["E"], justify="right")
    table.add_column(text["P"], justify="right")
    table.add_column(text["gap"], justify="right")
    table.add_column(text["ci"].format(level=assessment.confidence * 100), justify="center", no_wrap=True)
    table.add_column(text["alpha"], justify="center", no_wrap=True)
    table.add_column("", no_wrap=True, min_width=BAR_WIDTH + 1, max_width=BAR_WIDTH + 1)
    for dimension in assessment.dimensions:
        star = "*" if dimension.significant else " "
        table.add_row(
            escape(pick(dimension.name, language, fallbacks)), str(dimension.n), number(dimension.expectation),
            number(dimension.perception), number(dimension.gap, signed=True) + star, _ci(dimension.gap_ci),
            _alpha_cell(dimension), gap_bar(dimension.gap, span),
        )
    correction = CORRECTION_NAMES.get(assessment.correction, assessment.correction)
    legend = (text["significance"].format(alpha=1 - assessment.confidence, correction=correction) + "; "
              + text["test"].format(test=text.get(f"test_{assessment.test}", assessment.test), correction=correction))
    return [table, Text(legend, style="dim"), Text("")]


def overall_section(assessment: Assessment, language: str, has_gap: bool) -> list[RenderableType]:
    """The unweighted and weighted overall scores and the perception-only score."""
    text = labels(language)
    overall = assessment.overall
    summary = Table.grid(padding=(0, 2))
    summary.add_column()
    summary.add_column(justify="right")
    if has_gap:
        summary.add_row(text["unweighted"].format(count=len(assessment.dimensions)),
                        number(overall.gap, signed=True))
    if has_gap and overall.weighting == "per_respondent":
        summary.add_row(text["weighted_per_respondent"].format(n=overall.weighted_n),
                        number(overall.weighted_gap, signed=True))
        summary.add_row(text["weighted_aggregate"], number(overall.weighted_gap_aggregate, signed=True))
    elif has_gap and overall.weighting == "fixed":
        summary.add_row(text["weighted_fixed"], number(overall.weighted_gap, signed=True))
    elif has_gap:
        summary.add_row(text["weighted_none"], "–")
    summary.add_row(text["servperf"], number(overall.perception_only))
    return [Text(text["overall"], style="bold"), summary, Text("")]


def shortfall_section(assessment: Assessment, language: str, top: int) -> list[RenderableType]:
    """The ``top`` largest significant shortfalls (the assessment's ``shortfalls``, in its order)."""
    text = labels(language)
    by_id = {item.id: item for item in assessment.items}
    shortfalls = [by_id[item_id] for item_id in assessment.shortfalls[:top]]
    parts: list[RenderableType] = [Text(text["shortfalls"], style="bold")]
    if shortfalls:
        items = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        items.add_column(text["item"], no_wrap=True)
        items.add_column(text["text"], overflow="fold", ratio=1)
        items.add_column(text["gap"], justify="right")
        items.add_column(text["ci"].format(level=assessment.confidence * 100), justify="center", no_wrap=True)
        items.add_column(text["p_adj"], justify="right")
        for item in shortfalls:
            items.add_row(item.id, escape(pick(item.text, language, assessment.languages)),
                          number(item.gap, signed=True), _ci(item.gap_ci), p_value(item.p_adjusted))
        parts.append(items)
    else:
        parts.append(Text(text["no_shortfalls"].format(alpha=1 - assessment.confidence)))
    return [*parts, Text("")]


def segment_sections(assessment: Assessment, language: str) -> list[RenderableType]:
    """Per segment column: dimension gaps per value (values across, dimensions down) and the tests."""
    text = labels(language)
    fallbacks = assessment.languages
    parts: list[RenderableType] = []
    for column in dict.fromkeys(segment.column for segment in assessment.segments):
        rows = [segment for segment in assessment.segments if segment.column == column]
        # Segments run across (there are usually a few), dimensions down, so long names never squeeze.
        title = text["segments"].format(column=escape(column))
        if assessment.segment_measure == "msa":
            title += " — MSA (P − adequate)"
        segment_table = Table(title=title, box=box.SIMPLE_HEAD,
                              title_justify="left", pad_edge=False, collapse_padding=True)
        segment_table.add_column(text["dimension"], overflow="fold")
        for segment in rows:
            label = text["missing_value"] if segment.value is None else escape(segment.value)
            segment_table.add_column(label + (" †" if segment.small else ""), justify="right", overflow="fold")
        segment_table.add_row(text["n"], *[str(segment.n) for segment in rows])
        for dimension in assessment.dimensions:
            segment_table.add_row(escape(pick(dimension.name, language, fallbacks)),
                                  *[number(segment.dimensions[dimension.id].gap, signed=True) for segment in rows])
        segment_table.add_row(text["overall"], *[number(segment.gap, signed=True) for segment in rows],
                              style="bold")
        parts.append(segment_table)
        if any(segment.small for segment in rows):
            parts.append(Text(text["small"].format(minimum=assessment.min_segment_n), style="dim"))
        names = {d.id: pick(d.name, language, fallbacks) for d in assessment.dimensions}
        for test in (t for t in assessment.segment_tests if t.column == column):
            star = "*" if test.significant else ""
            parts.append(Text(text["segment_test"].format(
                dimension=names[test.dimension], test=text[test.test], statistic=number(test.statistic),
                p=p_value(test.p_adjusted)) + star))
        parts.append(Text(""))
    return parts


def quality_section(assessment: Assessment, language: str) -> list[RenderableType]:
    """Data-quality notes: respondents not used, left out per dimension, missing and invalid cells."""
    text = labels(language)
    quality = assessment.data_quality
    notes: list[str] = []
    unused = quality.rows_read - quality.rows_used
    if unused:
        notes.append(text["unused"].format(count=unused))
    for dimension in assessment.dimensions:
        left = dimension.left_out
        # Respondents left out of every dimension were reported once above.
        if left.total > unused:
            notes.append(text["left_out"].format(
                dimension=pick(dimension.name, language, assessment.languages), total=left.total - unused,
                no_answers=left.no_answers - unused, too_few=left.too_few_items, required=left.required_items,
                items=left.items))
    missing = ", ".join(f"{facet} {count}" for facet, count in quality.missing_cells.items() if count)
    if missing:
        notes.append(text["missing_cells"].format(cells=missing))
    if quality.invalid_as_missing:
        first = quality.invalid_as_missing[0]
        where = (f"{first.file}, " if first.file else "") + f"row {first.row}"
        notes.append(text["invalid_missing"].format(
            count=len(quality.invalid_as_missing), example=f"{where}, {first.header}: {first.value!r}"))
    if quality.straight_liners:
        notes.append(text["straight"].format(count=quality.straight_liners))
    notes.extend(note_text(note, language) for note in quality.notes)
    if not notes:
        return []
    return [Text(text["quality"], style="bold"), *(Text("• " + note) for note in notes)]


def plain_text(renderable: RenderableType, width: int = 100) -> str:
    """A renderable as plain text (no colour), e.g. for --output files."""
    import io

    console = Console(file=io.StringIO(), width=width, color_system=None, record=True, force_terminal=False)
    console.print(renderable)
    return console.export_text()


def report_text(assessment: Assessment, language: str, width: int = 100, top: int = 5) -> str:
    """The report as plain text (no colour), e.g. for --output."""
    return plain_text(build_report(assessment, language, top), width)


CHAIN = {1: "M − E", 2: "S − M", 3: "D − S", 4: "D − C", 5: "P − E"}


def management_section(assessment: Assessment, language: str) -> list[RenderableType]:
    """The four management gaps beside the customer gap, standards coverage and gap 1's priorities."""

    text = labels(language)
    fallbacks = assessment.languages
    management = assessment.management
    assert management is not None
    table = Table(title=text["management"], box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False,
                  collapse_padding=True)
    table.add_column(text["gap_col"], overflow="fold")
    table.add_column(text["chain"], no_wrap=True)
    table.add_column(text["value"], justify="right")
    table.add_column(text["risk"], justify="right")
    table.add_column(text["status"], overflow="fold", ratio=1)
    for gap in management.gaps:
        status = text["measured"] if gap.measured else text["not_measured"].format(needs="; ".join(gap.needs))
        table.add_row(escape(pick(gap.name, language, fallbacks)), CHAIN[gap.gap],
                      number(gap.value, signed=True), number(gap.risk), escape(status))
    table.add_row(text["customer_gap"], CHAIN[5], number(assessment.overall.gap, signed=True), "–",
                  text["measured"])
    parts: list[RenderableType] = [table]
    if management.uncovered_items:
        parts.append(Text(text["coverage"].format(share=management.standards_coverage,
                                                  items=", ".join(management.uncovered_items[:12])), style="dim"))
    comparison = management.priority_comparison
    if comparison is not None:
        parts += [Text(""), Text(text["priority_title"], style="bold"), Text(text["priority_rho"].format(
            rho=number(comparison.spearman_rho), p=p_value(comparison.spearman_p),
            basis=text[f"basis_{comparison.basis}"]))]
        ranks = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        ranks.add_column(text["attribute"], overflow="fold", ratio=1)
        ranks.add_column(text["customers_rank"], justify="right")
        ranks.add_column(text["managers_rank"], justify="right")
        rows = {row.id: row for row in comparison.rows}
        for row_id in comparison.largest_displacements:
            row = rows[row_id]
            label = pick(row.name, language, fallbacks)
            if comparison.basis == "item_expectations":
                label = f"{row.id} {label}"
            ranks.add_row(escape(label), f"{row.customer_rank:g}", f"{row.manager_rank:g}")
        parts.append(ranks)
    parts.append(Text(""))
    return parts


def checklist_section(assessment: Assessment, language: str, top: int) -> list[RenderableType]:
    """The ranked checklist as a consultant hands it over: what, why, and boxes to tick."""
    assessment = inert_assessment(assessment)  # text from files shown as text, whoever calls
    text = labels(language)
    fallbacks = assessment.languages
    checklist = assessment.checklist
    assert checklist is not None
    parts: list[RenderableType] = [Text(text["checklist"], style="bold")]
    item_entries = [entry for entry in checklist.entries if entry.kind == "item"]
    hidden = len(item_entries) - top

    def indented(line: str, style: str = "") -> Padding:
        # Padding keeps wrapped continuation lines under the text, not at the margin.
        return Padding(Text(line, style=style), (0, 0, 0, 4), expand=False)

    for entry in [*item_entries[:top], None, *(e for e in checklist.entries if e.kind != "item")]:
        if entry is None:
            if hidden > 0:
                parts.append(indented(text["more_items"].format(count=hidden), "dim"))
            continue
        title = pick(entry.title, language, fallbacks)
        if entry.kind == "item":
            assert entry.gap_ci is not None
            parts.append(Text.assemble((f"{entry.rank:>2}. ", "bold"), (f"{entry.ref} ", "bold"), title))
            if math.isfinite(entry.gap or math.nan):
                parts.append(indented(text["checklist_line"].format(
                    e=number(entry.expectation), p=number(entry.perception), gap=number(entry.gap, signed=True),
                    low=number(entry.gap_ci[0], signed=True), high=number(entry.gap_ci[1], signed=True),
                    padj=p_value(entry.p_adjusted), priority=number(entry.priority, 3)), "dim"))
            if entry.zone is not None and assessment.tolerance is not None:
                row = next(r for r in assessment.tolerance.items if r.id == entry.ref)
                parts.append(indented(text["zone_line"].format(
                    a=number(row.adequate), d=number(row.desired), p=number(row.perception),
                    msa=number(row.msa, signed=True), mss=number(row.mss, signed=True),
                    zone=text[f"zone_{row.zone}"]), "dim"))
            if entry.quadrant is not None:
                parts.append(indented(text["quadrant_line"].format(quadrant=text[entry.quadrant]), "dim"))
            if assessment.bootstrap is not None and assessment.bootstrap.rank_stability.get(entry.ref) is not None:
                parts.append(indented(text["stability"].format(top=assessment.bootstrap.top,
                                                               share=assessment.bootstrap.rank_stability[entry.ref]),
                                      "dim"))
        else:
            parts.append(Text.assemble((f"{entry.rank:>2}. ", "bold"), (title, "bold")))
            line = text["gap_line"].format(gap=number(entry.gap, signed=True), risk=number(entry.risk))
            if entry.causes:
                line += "; " + text["causes"].format(
                    causes=", ".join(pick(cause, language, fallbacks) for cause in entry.causes))
            parts.append(indented(line, "dim"))
        for action in entry.actions:
            parts.append(indented("[ ] " + pick(action, language, fallbacks)))
        if not entry.actions:
            parts.append(indented(text["no_actions"], "dim"))
    if checklist.strengths:
        parts.append(Text(text["strengths"].format(items=", ".join(checklist.strengths)), style="green"))
    parts.extend(Text(note_text(note, language), style="dim") for note in checklist.notes)
    parts.append(Text(""))
    return parts


THERMOMETER_WIDTH = 30


def thermometer(adequate: float, desired: float, perception: float, low: int, high: int,
                width: int = THERMOMETER_WIDTH) -> Text:
    """A band from adequate to desired (░) on the scale, with the perceived level marked (●)."""
    if not all(math.isfinite(value) for value in (adequate, desired, perception)):
        return Text("")

    def cell(value: float) -> int:
        return min(width - 1, max(0, round((value - low) / (high - low) * (width - 1))))

    line = ["·"] * width
    for index in range(cell(min(adequate, desired)), cell(max(adequate, desired)) + 1):
        line[index] = "░"
    marker = cell(perception)
    text = Text("".join(line[:marker]), style="cyan")
    style = "red" if perception < adequate else "green" if perception > desired else "bold"
    text.append("●", style=style)
    text.append("".join(line[marker + 1:]), style="cyan")
    return text


def bootstrap_section(assessment: Assessment, language: str) -> list[RenderableType]:
    """The bootstrap intervals and the rank stability note, for the terminal."""
    text = labels(language)
    result = assessment.bootstrap
    assert result is not None
    table = Table(title=text["bootstrap"].format(level=result.confidence * 100, resamples=result.resamples,
                                                 seed=result.seed),
                  box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, collapse_padding=True)
    table.add_column(text["dimension"], overflow="fold")
    table.add_column(text["gap"] if result.measure == "gap" else "MSA", justify="right")
    table.add_column(text["ci"].format(level=result.confidence * 100), justify="center", no_wrap=True)
    for dimension in assessment.dimensions:
        low, high = result.dimensions[dimension.id]
        table.add_row(escape(pick(dimension.name, language, assessment.languages)),
                      number(result.estimates.get(dimension.id), signed=True),
                      f"{number(low, signed=True)}, {number(high, signed=True)}")
    table.add_row(text["overall"], number(result.overall_estimate, signed=True),
                  f"{number(result.overall[0], signed=True)}, {number(result.overall[1], signed=True)}", style="bold")
    return [table, Text("")]


def tolerance_section(assessment: Assessment, language: str) -> list[RenderableType]:
    """The zone-of-tolerance table with its thermometers, for the terminal."""
    text = labels(language)
    tolerance = assessment.tolerance
    assert tolerance is not None
    low, high = assessment.scale
    table = Table(title=text["tolerance"].format(low=low, high=high), box=box.SIMPLE_HEAD, title_justify="left",
                  pad_edge=False, collapse_padding=True)
    table.add_column(text["dimension"], overflow="fold")
    table.add_column(f"{low}{' ' * (THERMOMETER_WIDTH - len(str(low)) - len(str(high)))}{high}", no_wrap=True)
    table.add_column(text["zone"], no_wrap=True)
    table.add_column("MSA", justify="right", no_wrap=True)
    table.add_column("MSS", justify="right", no_wrap=True)
    names = {d.id: pick(d.name, language, assessment.languages) for d in assessment.dimensions}
    for row in tolerance.dimensions:
        table.add_row(escape(names[row.id]), thermometer(row.adequate, row.desired, row.perception, low, high),
                      text[f"zone_{row.zone}"] if row.zone else "–", number(row.msa, signed=True),
                      number(row.mss, signed=True))
    return [table, Text("")]


def ipa_section(assessment: Assessment, language: str) -> list[RenderableType]:
    """The importance–performance quadrants, for the terminal."""
    text = labels(language)
    ipa = assessment.ipa
    assert ipa is not None
    groups: dict[str, list[str]] = {key: [] for key in ("concentrate_here", "keep_up_the_good_work",
                                                         "low_priority", "possible_overkill")}
    for item in ipa.items:
        if item.quadrant is not None:
            groups[item.quadrant].append(item.id)
    table = Table(title=text["ipa"].format(source=text[f"ipa_{ipa.importance_source}"],
                                           crosshair=text[f"ipa_{ipa.crosshair}"]),
                  box=box.SQUARE, title_justify="left", show_lines=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column(text["performance_low"], overflow="fold", ratio=1)
    table.add_column(text["performance_high"], overflow="fold", ratio=1)

    def cell(key: str) -> Text:
        return Text.assemble((text[key] + "\n", "bold"), ", ".join(groups[key]) or "–")

    table.add_row(text["importance_high"], cell("concentrate_here"), cell("keep_up_the_good_work"))
    table.add_row(text["importance_low"], cell("low_priority"), cell("possible_overkill"))
    return [table, Text("")]
