"""Workbook labels and sheet names in English and Chinese."""

from __future__ import annotations

SHEETS = {
    "en": {"summary": "Summary", "items": "Items", "checklist": "Checklist", "management": "Management gaps",
           "tolerance": "Zone of tolerance", "ipa": "Importance-performance", "segments": "Segments",
           "reliability": "Reliability", "quality": "Data quality", "about": "About"},
    "zh": {"summary": "概要", "items": "题项", "checklist": "改进清单", "management": "管理差距",
           "tolerance": "容忍区间", "ipa": "重要性-绩效", "segments": "分组", "reliability": "信度",
           "quality": "数据质量", "about": "说明"},
}

WORDS = {
    "en": {
        "title": "Service-quality gap report",
        "sign": "gap = P − E (perception minus expectation); negative = shortfall",
        "instrument": "Instrument", "file": "Data file", "rows_read": "Rows read", "rows_used": "Rows used",
        "overall_gap": "Overall gap (mean of dimension gaps)", "weighted_gap": "Weighted gap",
        "weighted_aggregate": "Weighted gap (mean weights × dimension gaps)", "weighting": "Weighting",
        "servperf": "Perception-only score (SERVPERF)", "dimension": "Dimension", "item": "Item", "id": "Id",
        "text": "Wording", "n": "n", "E": "E (expectation)", "P": "P (perception)", "gap": "Gap P−E",
        "ci_low": "CI low", "ci_high": "CI high", "p": "p", "p_adj": "Adjusted p", "d_z": "d_z",
        "priority": "Priority", "alpha_e": "α E", "alpha_p": "α P", "alpha_g": "α gap", "weight": "Weight",
        "boot_low": "Bootstrap low", "boot_high": "Bootstrap high", "radar": "Expectation and perception by dimension",
        "bars": "Gap by dimension (negative = shortfall)", "rank": "Rank", "kind": "Kind", "what": "What",
        "actions": "Actions", "causes": "Likely causes", "owner": "Owner", "due": "Due", "status": "Status",
        "item_kind": "item", "gap_kind": "management gap", "strengths": "Strengths (no shortfall)",
        "stability": "Rank stability", "risk": "Risk", "chain": "Chain", "measured": "Measured",
        "needs": "Data that would measure it", "value": "Value", "factor": "Factor", "score": "Score",
        "direction": "Direction", "statements": "Statements", "coverage": "Standards coverage",
        "priority_rho": "Spearman's rho (customers vs managers)", "customer": "Customers", "manager": "Managers",
        "customer_rank": "Customers' rank", "manager_rank": "Managers' rank", "displacement": "Displacement",
        "adequate": "Adequate", "desired": "Desired", "perception": "Perceived", "msa": "MSA (P − adequate)",
        "mss": "MSS (P − desired)", "width": "Zone width", "zone": "Zone", "share_below": "Share below own minimum",
        "band": "Zone of tolerance by dimension", "importance": "Importance", "performance": "Performance",
        "quadrant": "Quadrant", "ipa_chart": "Importance–performance", "segment": "Segment", "column": "Column",
        "test": "Test", "statistic": "Statistic", "facet": "Facet", "alpha": "Cronbach's α",
        "alpha_deleted": "α if deleted", "item_total": "Corrected item–total r", "left_out": "Left out",
        "no_answers": "No answers", "too_few": "Too few items", "missing_cells": "Missing cells",
        "invalid": "Invalid cells treated as missing", "straight": "Straight-liners", "notes": "Notes",
        "config": "Config file", "sha": "SHA-256", "version": "servgap version", "date": "Date",
        "method": "Method notes", "gap5": "Customer gap", "expectation": "Expectation", "yes": "yes", "no": "no",
        "format": "Format", "encoding": "Encoding",
        "chain_chart": "The gap chain by dimension: gaps 1–4 and the customer gap",
        "small_note": "† fewer than {n} respondents: shown in grey and left out of the colour scale",
        "weighting_per_respondent": "each respondent's own points", "weighting_fixed": "fixed weights (config)",
        "weighting_none": "none (equal weights)", "welch_t": "Welch's t", "kruskal_wallis": "Kruskal–Wallis H",
        "direction_protective": "protective", "direction_risk": "risk",
        "method_text": "Gaps are computed per respondent, then averaged (pairwise-complete items; a dimension "
                       "score needs at least half of its items). Tests: paired t with adjusted p. Alpha: listwise "
                       "within each dimension. Details: docs/method-notes.md of servgap.",
    },
    "zh": {
        "title": "服务质量差距报告", "sign": "差距 = P − E（感知减期望）；负值表示未达期望",
        "instrument": "量表", "file": "数据文件", "rows_read": "读取行数", "rows_used": "使用行数",
        "overall_gap": "总体差距（维度差距均值）", "weighted_gap": "加权差距",
        "weighted_aggregate": "加权差距（平均权重 × 维度差距）", "weighting": "加权方式",
        "servperf": "仅感知得分（SERVPERF）", "dimension": "维度", "item": "题项", "id": "编号",
        "text": "题目", "n": "n", "E": "期望 E", "P": "感知 P", "gap": "差距 P−E",
        "ci_low": "区间下限", "ci_high": "区间上限", "p": "p", "p_adj": "校正 p", "d_z": "d_z",
        "priority": "优先级", "alpha_e": "α 期望", "alpha_p": "α 感知", "alpha_g": "α 差距", "weight": "权重",
        "boot_low": "Bootstrap 下限", "boot_high": "Bootstrap 上限", "radar": "各维度的期望与感知",
        "bars": "各维度差距（负值表示不足）", "rank": "排名", "kind": "类型", "what": "内容",
        "actions": "改进措施", "causes": "可能原因", "owner": "负责人", "due": "期限", "status": "状态",
        "item_kind": "题项", "gap_kind": "管理差距", "strengths": "优势（无差距）",
        "stability": "排名稳定性", "risk": "风险", "chain": "链条", "measured": "已测量",
        "needs": "测量所需数据", "value": "数值", "factor": "因素", "score": "得分",
        "direction": "方向", "statements": "题目数", "coverage": "服务标准覆盖率",
        "priority_rho": "Spearman ρ（顾客与管理者）", "customer": "顾客", "manager": "管理者",
        "customer_rank": "顾客排序", "manager_rank": "管理者排序", "displacement": "排序差",
        "adequate": "可接受", "desired": "期望", "perception": "感知", "msa": "MSA（感知 − 可接受）",
        "mss": "MSS（感知 − 期望）", "width": "区间宽度", "zone": "区间", "share_below": "低于自身最低要求的比例",
        "band": "各维度的容忍区间", "importance": "重要性", "performance": "绩效",
        "quadrant": "象限", "ipa_chart": "重要性–绩效", "segment": "分组", "column": "列",
        "test": "检验", "statistic": "统计量", "facet": "层面", "alpha": "Cronbach α",
        "alpha_deleted": "删除后 α", "item_total": "校正题项–总分相关", "left_out": "未计入",
        "no_answers": "未作答", "too_few": "作答题目不足", "missing_cells": "缺失单元格",
        "invalid": "按缺失处理的无效单元格", "straight": "直线作答", "notes": "备注",
        "config": "配置文件", "sha": "SHA-256", "version": "servgap 版本", "date": "日期",
        "method": "方法说明", "gap5": "顾客差距", "expectation": "期望", "yes": "是", "no": "否",
        "format": "格式", "encoding": "编码",
        "chain_chart": "各维度的差距链：差距 1–4 与顾客差距",
        "small_note": "† 受访者少于 {n} 人：以灰色显示，不参与色阶",
        "weighting_per_respondent": "按每位受访者的分配点数", "weighting_fixed": "固定权重（配置）",
        "weighting_none": "无（等权重）", "welch_t": "Welch t 检验", "kruskal_wallis": "Kruskal–Wallis H 检验",
        "direction_protective": "保护因素", "direction_risk": "风险因素",
        "method_text": "差距先按受访者计算再求平均（题项成对完整；维度得分至少需要一半题目）。"
                       "检验：配对 t 检验并校正 p。"
                       "信度：维度内列表删除。详见 servgap 的 docs/method-notes.md。",
    },
}


def sheet_names(language: str) -> dict[str, str]:
    """The workbook's sheet titles in ``language``."""
    return SHEETS.get(language, SHEETS["en"])


def words(language: str) -> dict[str, str]:
    """The workbook's words in ``language`` (English where a word has no translation)."""
    return WORDS.get(language, WORDS["en"])
