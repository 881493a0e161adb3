"""Render a wave comparison: terminal table, JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import asdict

from rich import box
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from servgap.render.inert import inert_assessment, json_text
from servgap.render.labels import number, p_value, pick
from servgap.results import ChangeRow, WaveComparison
from servgap.results.contract import SCHEMA_VERSION, json_safe

TITLES = {
    "en": {"title": "Change between waves: {before} → {after}", "sign": "change = later gap − earlier gap; "
           "positive = the gap narrowed", "dimension": "Dimension", "item": "Item", "before": "Before",
           "after": "After", "change": "Change", "ci": "{level:g}% CI", "p_adj": "p adj.",
           "overall": "Overall gap: {before} → {after} (change {change})",
           "significance": "* adjusted p < {alpha:g} (Welch's t, {correction})",
           "paired": "Paired (n)", "p_paired": "p adj. paired",
           "panel": "{n} respondent(s) answered in both waves: their paired change (paired t, {correction}) is "
                    "beside the waves' change"},
    "zh": {"title": "两期对比：{before} → {after}", "sign": "变化 = 后期差距 − 前期差距；正值表示差距缩小",
           "dimension": "维度", "item": "题项", "before": "前期", "after": "后期", "change": "变化",
           "ci": "{level:g}% 置信区间", "p_adj": "校正 p", "overall": "总体差距：{before} → {after}（变化 {change}）",
           "significance": "* 校正 p < {alpha:g}（Welch t 检验，{correction}）",
           "paired": "配对（n）", "p_paired": "配对校正 p",
           "panel": "{n} 位受访者两期均有作答：其配对变化（配对 t 检验，{correction}）列于两期变化旁"},
}


def _labels(language: str) -> dict[str, str]:
    return TITLES.get(language, TITLES["en"])


def _table(rows: list[ChangeRow], heading: str, comparison: WaveComparison, language: str,
           fallbacks: list[str]) -> Table:
    text = _labels(language)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column(heading, overflow="fold", ratio=1)
    for key in ("before", "after", "change"):
        table.add_column(text[key], justify="right", no_wrap=True)
    table.add_column(text["ci"].format(level=comparison.confidence * 100), justify="center", no_wrap=True)
    table.add_column(text["p_adj"], justify="right", no_wrap=True)
    if comparison.panel_n:
        table.add_column(text["paired"], justify="right", no_wrap=True)
        table.add_column(text["p_paired"], justify="right", no_wrap=True)
    for row in rows:
        star = "*" if row.significant else " "
        label = pick(row.name, language, fallbacks)
        cells = [escape(f"{row.id} {label}" if row.level == "item" else label),
                 f"{number(row.before, signed=True)} ({row.before_n})",
                 f"{number(row.after, signed=True)} ({row.after_n})", number(row.change, signed=True) + star,
                 f"{number(row.change_ci[0], signed=True)}, {number(row.change_ci[1], signed=True)}",
                 p_value(row.p_adjusted)]
        if comparison.panel_n:
            cells += _paired_cells(row)
        table.add_row(*cells)
    return table


def _paired_cells(row: ChangeRow) -> list[str]:
    """The paired change (with its n and star) and its adjusted p, or dashes."""
    if row.paired is None:
        return ["–", "–"]
    star = "*" if row.paired.significant else " "
    return [f"{number(row.paired.change, signed=True)}{star} ({row.paired.n})", p_value(row.paired.p_adjusted)]


def comparison_report(comparison: WaveComparison, language: str, fallbacks: list[str]) -> RenderableType:
    """The wave comparison for the terminal: the overall change, then dimensions and items."""
    comparison = inert_assessment(comparison)  # text from files shown as text, whoever calls
    text = _labels(language)
    return Group(
        Text(text["title"].format(before=comparison.before_label, after=comparison.after_label), style="bold"),
        Text(text["sign"], style="italic"),
        Text(text["overall"].format(before=number(comparison.overall_before, signed=True),
                                    after=number(comparison.overall_after, signed=True),
                                    change=number(comparison.overall_change,
                                                  signed=True))),
        _table(comparison.dimensions, text["dimension"], comparison, language, fallbacks),
        _table(comparison.items, text["item"], comparison, language, fallbacks),
        Text(text["significance"].format(alpha=1 - comparison.confidence, correction=comparison.correction),
             style="dim"),
        *([Text(text["panel"].format(n=comparison.panel_n, correction=comparison.correction), style="dim")]
          if comparison.panel_n else []),
    )


def comparison_json(comparison: WaveComparison, language: str, fallbacks: list[str]) -> str:
    """The wave comparison as JSON (docs/json-output.md, servgap compare)."""
    def row(entry: ChangeRow) -> dict:
        paired = None if entry.paired is None else {**asdict(entry.paired), "change_ci": list(entry.paired.change_ci)}
        return {**asdict(entry), "name": pick(entry.name, language, fallbacks), "change_ci": list(entry.change_ci),
                "paired": paired}

    payload = {
        "schema_version": SCHEMA_VERSION, "comparison": "later minus earlier wave; positive = gap narrowed",
        "before": {"label": comparison.before_label, "rows": comparison.before_rows,
                   "overall_gap": comparison.overall_before},
        "after": {"label": comparison.after_label, "rows": comparison.after_rows,
                  "overall_gap": comparison.overall_after},
        "overall_change": comparison.overall_change, "panel_n": comparison.panel_n,
        "confidence": comparison.confidence, "test": "welch_t", "correction": comparison.correction,
        "dimensions": [row(entry) for entry in comparison.dimensions],
        "items": [row(entry) for entry in comparison.items],
    }
    return json_text(json.dumps(json_safe(payload), ensure_ascii=False, indent=2, allow_nan=False) + "\n")


def comparison_markdown(comparison: WaveComparison, language: str, fallbacks: list[str]) -> str:
    """The wave comparison as Markdown tables."""
    comparison = inert_assessment(comparison)  # text from files shown as text, whoever calls
    text = _labels(language)
    level = text["ci"].format(level=comparison.confidence * 100)
    lines = [f"## {text['title'].format(before=comparison.before_label, after=comparison.after_label)}", "",
             f"*{text['sign']}*", ""]
    panel = bool(comparison.panel_n)
    for heading, rows in ((text["dimension"], comparison.dimensions), (text["item"], comparison.items)):
        extra = f" {text['paired']} | {text['p_paired']} |" if panel else ""
        lines += [f"| {heading} | {text['before']} | {text['after']} | {text['change']} | {level} | {text['p_adj']} |"
                  + extra, "|---|---:|---:|---:|:---:|---:|" + ("---:|---:|" if panel else "")]
        for row in rows:
            label = pick(row.name, language, fallbacks).replace("|", "\\|")
            paired = " " + " | ".join(_paired_cells(row)) + " |" if panel else ""
            lines.append(f"| {label} | {number(row.before, signed=True)} ({row.before_n}) | "
                         f"{number(row.after, signed=True)} ({row.after_n}) | {number(row.change, signed=True)} | "
                         f"{number(row.change_ci[0], signed=True)}, {number(row.change_ci[1], signed=True)} | "
                         f"{p_value(row.p_adjusted)} |" + paired)
        lines.append("")
    if panel:
        lines += [text["panel"].format(n=comparison.panel_n, correction=comparison.correction), ""]
    return "\n".join(lines)
