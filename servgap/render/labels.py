"""Report labels in English and Chinese, and number formatting shared by the text renderers."""

from __future__ import annotations

import math

from servgap.core.config import LocalText

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Service-quality gap report",
        "sign": "gap = P − E (perception minus expectation); negative = shortfall",
        "instrument": "Instrument",
        "file": "File",
        "rows": "Rows read / used",
        "dimensions": "Dimensions",
        "dimension": "Dimension",
        "item": "Item",
        "text": "Wording",
        "n": "n",
        "E": "E",
        "P": "P",
        "gap": "Gap",
        "ci": "{level:g}% CI",
        "alpha": "α E/P/G",
        "p_adj": "p adj.",
        "bar": "",
        "overall": "Overall",
        "unweighted": "Unweighted gap (mean of {count} dimension gaps)",
        "weighted_per_respondent": "Weighted gap (each respondent's 100 points, n = {n})",
        "weighted_aggregate": "Weighted gap (mean weights × dimension gaps)",
        "weighted_fixed": "Weighted gap (fixed weights from the config)",
        "weighted_none": "Weighted gap: no importance weights in the data or the config",
        "servperf": "Perception-only score (SERVPERF, mean of dimension P)",
        "shortfalls": "Largest significant shortfalls",
        "no_shortfalls": "No item has a significant shortfall (adjusted p < {alpha:g}).",
        "quality": "Data quality",
        "left_out": "{dimension}: {total} more respondent(s) left out ({no_answers} with no answers in it, "
                    "{too_few} with fewer than {required} of {items} items answered on both E and P)",
        "missing_cells": "Missing cells: {cells}",
        "unused": "{count} respondent(s) answered no item on both E and P and are left out of every dimension",
        "invalid_missing": "{count} invalid cell(s) treated as missing (--invalid missing), e.g. {example}",
        "straight": "{count} respondent(s) gave the same answer to every item (straight-lining)",
        "segments": "Segments by {column}",
        "segment": "Value",
        "small": "† fewer than {minimum} respondents: read with care",
        "missing_value": "(missing)",
        "significance": "* adjusted p < {alpha:g} ({correction})",
        "test": "{test} test, {correction} adjustment",
        "management": "Management gaps (each reads second − first; negative = shortfall)",
        "gap_col": "Gap",
        "chain": "Chain",
        "value": "Value",
        "risk": "Risk",
        "status": "Status",
        "measured": "measured",
        "not_measured": "not measured: needs {needs}",
        "customer_gap": "Customer gap",
        "coverage": "Standards cover {share:.0%} of items; uncovered: {items}",
        "priority_title": "What customers and managers consider important (gap 1)",
        "priority_rho": "Spearman's ρ = {rho} (p {p}) between customers' and managers' importance ({basis})",
        "basis_dimension_weights": "100-point dimension weights",
        "basis_item_expectations": "item expectations",
        "customers_rank": "Customers' rank",
        "managers_rank": "Managers' rank",
        "attribute": "Attribute",
        "checklist": "Improvement checklist",
        "checklist_line": "E {e}  P {p}  gap {gap} [{low}, {high}]  p adj. {padj}  priority {priority}",
        "gap_line": "gap {gap}  risk {risk}",
        "causes": "likely causes: {causes}",
        "no_actions": "(no actions written in the config for this item or its dimension)",
        "strengths": "Strengths (no shortfall): {items}",
        "more_items": "… {count} more item(s) with a shortfall (--top to show more)",
        "test_ttest": "paired t",
        "test_wilcoxon": "Wilcoxon signed-rank",
        "test_both": "paired t (Wilcoxon beside)",
    },
    "zh": {
        "title": "服务质量差距报告",
        "sign": "差距 = P − E（感知减期望）；负值表示未达期望",
        "instrument": "量表",
        "file": "文件",
        "rows": "读取 / 使用行数",
        "dimensions": "维度",
        "dimension": "维度",
        "item": "题项",
        "text": "题目",
        "n": "n",
        "E": "期望",
        "P": "感知",
        "gap": "差距",
        "ci": "{level:g}% 置信区间",
        "alpha": "α 期望/感知/差距",
        "p_adj": "校正 p",
        "bar": "",
        "overall": "总体",
        "unweighted": "未加权差距（{count} 个维度差距的平均）",
        "weighted_per_respondent": "加权差距（按每位受访者的 100 分权重，n = {n}）",
        "weighted_aggregate": "加权差距（平均权重 × 维度差距）",
        "weighted_fixed": "加权差距（配置中的固定权重）",
        "weighted_none": "加权差距：数据和配置中均无重要性权重",
        "servperf": "仅感知得分（SERVPERF，维度感知均值）",
        "shortfalls": "显著差距最大的题项",
        "no_shortfalls": "没有题项存在显著差距（校正 p < {alpha:g}）。",
        "quality": "数据质量",
        "left_out": "{dimension}：另有 {total} 位受访者未计入（{no_answers} 位未作答该维度，{too_few} 位在 {items} "
                    "题中同时回答期望和感知的不足 {required} 题）",
        "missing_cells": "缺失单元格：{cells}",
        "unused": "{count} 位受访者没有任何题目同时回答期望和感知，未计入任何维度",
        "invalid_missing": "{count} 个无效单元格按缺失处理（--invalid missing），例如 {example}",
        "straight": "{count} 位受访者对所有题目给出相同答案（直线作答）",
        "segments": "按 {column} 分组",
        "segment": "取值",
        "small": "† 受访者少于 {minimum} 人，解读需谨慎",
        "missing_value": "（缺失）",
        "significance": "* 校正 p < {alpha:g}（{correction}）",
        "test": "{test}检验，{correction} 校正",
        "management": "管理差距（均为后项减前项；负值表示不足）",
        "gap_col": "差距",
        "chain": "链条",
        "value": "数值",
        "risk": "风险",
        "status": "状态",
        "measured": "已测量",
        "not_measured": "未测量：需要 {needs}",
        "customer_gap": "顾客差距",
        "coverage": "服务标准覆盖 {share:.0%} 的题项；未覆盖：{items}",
        "priority_title": "顾客与管理者对重要性的看法（差距 1）",
        "priority_rho": "顾客与管理者重要性排序的 Spearman ρ = {rho}（p {p}）（依据：{basis}）",
        "basis_dimension_weights": "维度 100 分权重",
        "basis_item_expectations": "题项期望",
        "customers_rank": "顾客排序",
        "managers_rank": "管理者排序",
        "attribute": "属性",
        "checklist": "改进清单",
        "checklist_line": "期望 {e}  感知 {p}  差距 {gap} [{low}, {high}]  校正 p {padj}  优先级 {priority}",
        "gap_line": "差距 {gap}  风险 {risk}",
        "causes": "可能原因：{causes}",
        "no_actions": "（配置中没有为该题项或其维度写改进措施）",
        "strengths": "优势（无差距）：{items}",
        "more_items": "…… 另有 {count} 个存在差距的题项（用 --top 显示更多）",
        "test_ttest": "配对 t ",
        "test_wilcoxon": "Wilcoxon 符号秩",
        "test_both": "配对 t（并列 Wilcoxon）",
    },
}


def labels(language: str) -> dict[str, str]:
    """Labels for ``language`` (English for any language without its own labels)."""
    return LABELS.get(language, LABELS["en"])


def pick(text: LocalText | None, language: str, fallbacks: list[str]) -> str:
    """The text in ``language``, else in the first fallback language that has it."""
    if not text:
        return ""
    for candidate in (language, *fallbacks):
        if text.get(candidate):
            return text[candidate]
    return next(iter(text.values()))


def number(value: float | None, digits: int = 2, signed: bool = False) -> str:
    """Format a number for a report; undefined values show as '–'. Uses a true minus sign."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace("-", "−")


def p_value(value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"
