"""CSV and Markdown tables of an assessment, for pasting into reports and spreadsheets."""

from __future__ import annotations

import csv
import io
import math

from servgap.render.inert import csv_cell, inert_assessment, markdown_cell
from servgap.render.labels import labels, number, p_value, pick
from servgap.results import Assessment

CSV_COLUMNS = [
    "level", "id", "dimension", "name", "n", "expectation", "perception", "gap", "gap_sd", "gap_ci_low",
    "gap_ci_high", "t", "p_value", "p_adjusted", "effect_size", "perception_only", "alpha_expectation",
    "alpha_perception", "alpha_gap",
]


def _plain(value: float | int | None) -> str:
    """Full precision for CSV; empty for undefined."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def render_csv(assessment: Assessment, language: str) -> str:
    """One row per dimension, item and the overall score; full precision; gap = P − E."""
    assessment = inert_assessment(assessment)  # text from files shown as text, whoever calls
    fallbacks = assessment.languages
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    overall = assessment.overall
    writer.writerow(["overall", csv_cell(assessment.instrument_id), "",
                     csv_cell(pick(assessment.instrument_name, language, fallbacks)),
                     assessment.data_quality.rows_used, _plain(overall.expectation), _plain(overall.perception),
                     _plain(overall.gap), "", "", "", "", "", "", "", _plain(overall.perception_only), "", "", ""])
    for d in assessment.dimensions:
        writer.writerow(["dimension", d.id, d.id, csv_cell(pick(d.name, language, fallbacks)), d.n,
                         _plain(d.expectation),
                         _plain(d.perception), _plain(d.gap), _plain(d.gap_sd), _plain(d.gap_ci[0]),
                         _plain(d.gap_ci[1]), _plain(d.t), _plain(d.p_value), _plain(d.p_adjusted),
                         _plain(d.effect_size), _plain(d.perception_only), _plain(d.alpha["expectation"].alpha),
                         _plain(d.alpha["perception"].alpha), _plain(d.alpha["gap"].alpha)])
    for i in assessment.items:
        writer.writerow(["item", i.id, i.dimension, csv_cell(pick(i.text, language, fallbacks)), i.n,
                         _plain(i.expectation),
                         _plain(i.perception), _plain(i.gap), _plain(i.gap_sd), _plain(i.gap_ci[0]),
                         _plain(i.gap_ci[1]), _plain(i.t), _plain(i.p_value), _plain(i.p_adjusted),
                         _plain(i.effect_size), _plain(i.perception_only), "", "", ""])
    return buffer.getvalue()


def render_markdown(assessment: Assessment, language: str) -> str:
    """Dimension and item tables in GitHub-flavoured Markdown."""
    assessment = inert_assessment(assessment)  # text from files shown as text, whoever calls
    text = labels(language)
    fallbacks = assessment.languages
    level = text["ci"].format(level=assessment.confidence * 100)
    lines = [
        f"## {markdown_cell(pick(assessment.instrument_name, language, fallbacks))}",
        "",
        f"*{text['sign']}*. {text['rows']}: {assessment.data_quality.rows_read} / "
        f"{assessment.data_quality.rows_used}.",
        "",
        f"| {text['dimension']} | {text['n']} | {text['E']} | {text['P']} | {text['gap']} | {level} | "
        f"{text['p_adj']} | {text['alpha']} |",
        "|---|---:|---:|---:|---:|:---:|---:|:---:|",
    ]
    for d in assessment.dimensions:
        alpha = "/".join(number(d.alpha[key].alpha) for key in ("expectation", "perception", "gap"))
        lines.append(f"| {markdown_cell(pick(d.name, language, fallbacks))} | {d.n} | {number(d.expectation)} | "
                     f"{number(d.perception)} | {number(d.gap, signed=True)} | {number(d.gap_ci[0], signed=True)}, "
                     f"{number(d.gap_ci[1], signed=True)} | {p_value(d.p_adjusted)} | {alpha} |")
    overall = assessment.overall
    lines += ["", f"**{text['unweighted'].format(count=len(assessment.dimensions))}:** "
                  f"{number(overall.gap, signed=True)}"]
    if overall.weighted_gap is not None:
        key = "weighted_per_respondent" if overall.weighting == "per_respondent" else "weighted_fixed"
        lines.append(f"**{text[key].format(n=overall.weighted_n)}:** {number(overall.weighted_gap, signed=True)}")
    lines += ["", f"| {text['item']} | {text['text']} | {text['n']} | {text['E']} | {text['P']} | {text['gap']} | "
                  f"{level} | {text['p_adj']} |",
              "|---|---|---:|---:|---:|---:|:---:|---:|"]
    for i in assessment.items:
        lines.append(f"| {i.id} | {markdown_cell(pick(i.text, language, fallbacks))} | {i.n} | "
                     f"{number(i.expectation)} | "
                     f"{number(i.perception)} | {number(i.gap, signed=True)} | {number(i.gap_ci[0], signed=True)}, "
                     f"{number(i.gap_ci[1], signed=True)} | {p_value(i.p_adjusted)} |")
    if assessment.management is not None:
        lines += ["", *markdown_management(assessment, language)]
    if assessment.checklist is not None:
        lines += ["", *markdown_checklist(assessment, language)]
    return "\n".join(lines) + "\n"


def markdown_management(assessment: Assessment, language: str) -> list[str]:
    """The management gaps as a Markdown table."""
    from servgap.render.terminal import CHAIN

    text = labels(language)
    management = assessment.management
    assert management is not None
    lines = [f"### {text['management']}", "",
             f"| {text['gap_col']} | {text['chain']} | {text['value']} | {text['risk']} | {text['status']} |",
             "|---|:---:|---:|---:|---|"]
    for gap in management.gaps:
        status = text["measured"] if gap.measured else text["not_measured"].format(needs="; ".join(gap.needs))
        lines.append(f"| {pick(gap.name, language, assessment.languages)} | {CHAIN[gap.gap]} | "
                     f"{number(gap.value, signed=True)} | {number(gap.risk)} | {markdown_cell(status)} |")
    lines.append(f"| {text['customer_gap']} | {CHAIN[5]} | {number(assessment.overall.gap, signed=True)} | – | "
                 f"{text['measured']} |")
    comparison = management.priority_comparison
    if comparison is not None:
        lines += ["", text["priority_rho"].format(rho=number(comparison.spearman_rho),
                                                  p=p_value(comparison.spearman_p),
                                                  basis=text[f"basis_{comparison.basis}"]) + "."]
    return lines


def markdown_checklist(assessment: Assessment, language: str, top: int | None = None) -> list[str]:
    """The ranked checklist with task boxes, ready to paste into a report."""
    assessment = inert_assessment(assessment)  # text from files shown as text, whoever calls
    text = labels(language)
    fallbacks = assessment.languages
    checklist = assessment.checklist
    assert checklist is not None
    lines = [f"### {text['checklist']}", ""]
    items = [entry for entry in checklist.entries if entry.kind == "item"]
    others = [entry for entry in checklist.entries if entry.kind != "item"]
    for entry in (items[:top] if top else items) + others:
        title = markdown_cell(pick(entry.title, language, fallbacks))
        if entry.kind == "item" and entry.gap_ci is not None:
            lines.append(f"{entry.rank}. **{markdown_cell(entry.ref)}** {title} — " + text["checklist_line"].format(
                e=number(entry.expectation), p=number(entry.perception), gap=number(entry.gap, signed=True),
                low=number(entry.gap_ci[0], signed=True), high=number(entry.gap_ci[1], signed=True),
                padj=p_value(entry.p_adjusted), priority=number(entry.priority, 3)))
        else:
            detail = text["gap_line"].format(gap=number(entry.gap, signed=True), risk=number(entry.risk))
            if entry.causes:
                detail += "; " + text["causes"].format(causes=", ".join(markdown_cell(pick(c, language, fallbacks))
                                                                         for c in entry.causes))
            lines.append(f"{entry.rank}. **{title}** — {detail}")
        lines += [f"   - [ ] {markdown_cell(pick(action, language, fallbacks))}" for action in entry.actions]
    if checklist.strengths:
        lines += ["", text["strengths"].format(items=", ".join(markdown_cell(s) for s in checklist.strengths))]
    return lines
