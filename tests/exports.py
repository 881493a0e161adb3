"""Faithful replicas of survey platforms' exports of the mini fixture (tests/fixtures/mini.csv).

Each builder writes the same six respondents as the platform would export them — its metadata
columns, its header rows, its question-text headers, its skip markers — and a config that maps
them, so that a test can compare the analysis with that of the clean file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ITEMS = ["T1", "T2", "R1", "R2", "R3"]
#: The clean file with one answer skipped (r3's P_R2), as every replica skips it too.
CLEAN = pd.read_csv(FIXTURES / "mini.csv").drop(columns=["W_TAN", "W_REL"])
CLEAN["P_R2"] = CLEAN["P_R2"].astype(object)
CLEAN.loc[2, "P_R2"] = None
TEXT = {"T1": "Modern equipment", "T2": "Appealing facilities", "R1": "Keeps promises", "R2": "Dependable",
        "R3": "Right the first time"}
LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Somewhat disagree", 4: "Neither agree nor disagree",
          5: "Somewhat agree", 6: "Agree", 7: "Strongly agree"}
#: 问卷星's option texts for a 7-point agreement scale.
CHINESE = {1: "非常不同意", 2: "不同意", 3: "比较不同意", 4: "一般", 5: "比较同意", 6: "同意", 7: "非常同意"}


def clean_file(folder: Path) -> Path:
    path = folder / "clean.csv"
    CLEAN.to_csv(path, index=False)
    return path


def config_for(folder: Path, columns: dict[str, tuple[str, str]], *, respondent_id: str | None = "auto",
               labels: bool | str = False, source: str | None = None) -> Path:
    """mini.yaml mapping each item's expectation and perception to the given headers."""
    config = yaml.safe_load((FIXTURES / "mini.yaml").read_text())
    data: dict[str, object] = {"columns": {item: {"expectation": e, "perception": p}
                                           for item, (e, p) in columns.items()}}
    if respondent_id != "auto":
        data["respondent_id"] = respondent_id
    if source:
        data["source"] = source
    config["data"] = data
    if labels == "zh":
        config["instrument"]["scale"]["labels"] = {point: {"en": text} for point, text in LABELS.items()}
        config["instrument"]["scale"]["aliases"] = {point: [text] for point, text in CHINESE.items()}
    elif labels:
        config["instrument"]["scale"]["labels"] = {point: {"en": text} for point, text in LABELS.items()}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


def _answers(row: pd.Series, facet: str, labels: bool | str, skip: str = "") -> list[str]:
    words = CHINESE if labels == "zh" else LABELS
    values = []
    for item in ITEMS:
        value = row[f"{facet}_{item}"]
        values.append(skip if pd.isna(value) else words[int(value)] if labels else str(int(value)))
    return values


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as stream:
        csv.writer(stream).writerows(rows)
    return path


def qualtrics(folder: Path, *, labels: bool = False, xlsx: bool = False, legacy: bool = False) -> tuple[Path, Path]:
    """Qualtrics: names (Q2_1…), question text (multi-line), ImportId JSON; -99 for seen but unanswered."""
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
            "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage"]
    if legacy:
        meta = ["ResponseID", "ResponseSet", "Name", "EmailAddress", "IPAddress", "Status", "StartDate", "EndDate",
                "Finished"]
    names = [f"Q2_{k}" for k in range(1, 6)] + [f"Q3_{k}" for k in range(1, 6)] + ["Q3_5_TEXT"]
    texts = [f"An excellent company would have…\n- {TEXT[item]}" for item in ITEMS] + \
        [f"XYZ company has…\n- {TEXT[item]}" for item in ITEMS] + ["Anything else? - Text"]
    rows = [meta + names, [{"ResponseId": "Response ID", "ResponseID": "ResponseID"}.get(m, m) for m in meta] + texts]
    if not legacy:
        rows.append([json.dumps({"ImportId": m.lower()}) for m in meta] +
                    [json.dumps({"ImportId": f"QID{n[1]}_{n.split('_')[1]}"}) for n in names])
    for _, row in CLEAN.iterrows():
        answers = _answers(row, "E", labels) + _answers(row, "P", labels, skip="" if labels else "-99")
        meta_values = {"ResponseId": f"R_{row['respondent_id']}", "ResponseID": f"R_{row['respondent_id']}",
                       "Finished": "True", "Progress": "100"}
        rows.append([meta_values.get(m, "2026-11-01 10:00:00" if "Date" in m else "x") for m in meta]
                    + answers + [""])
    columns = {item: (f"Q2_{k}", f"Q3_{k}") for k, item in enumerate(ITEMS, start=1)}
    if xlsx:
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        path = folder / "qualtrics.xlsx"
        book.save(path)
    else:
        path = _write_csv(folder / "qualtrics.csv", rows, "utf-8-sig")
    return path, config_for(folder, columns, labels=labels)


def surveymonkey(folder: Path, *, labels: bool = False) -> tuple[Path, Path]:
    """SurveyMonkey: a question row (blank over a matrix's other columns) and a sub-question row."""
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
            "Last Name", "Custom Data 1"]
    expect, perceive = "An excellent company would have:", "XYZ company has:"
    first = [*meta, expect, "", "", "", "", perceive, "", "", "", "", "Your branch"]
    second = [""] * len(meta) + [TEXT[item] for item in ITEMS] * 2 + ["Response"]
    rows = [first, second]
    for number, (_, row) in enumerate(CLEAN.iterrows()):
        rows.append([str(11_400_000_000 + number), "431234567", "11/01/2026 10:00:00 AM", "11/01/2026 10:07:12 AM",
                     "203.0.113.9", "", "", "", "", *_answers(row, "E", labels), *_answers(row, "P", labels),
                     "North" if number < 3 else "South"])
    columns = {item: (f"{expect} [{TEXT[item]}]", f"{perceive} [{TEXT[item]}]") for item in ITEMS}
    return _write_csv(folder / "surveymonkey.csv", rows), config_for(folder, columns, labels=labels)


def google_forms(folder: Path, *, labels: bool = False) -> tuple[Path, Path]:
    """Google Forms: Timestamp first, grid questions as ``Question [row]``."""
    expect, perceive = "Expectations", "Perceptions"
    header = ["Timestamp", "Email Address"] + [f"{expect} [{TEXT[i]}]" for i in ITEMS] + \
        [f"{perceive} [{TEXT[i]}]" for i in ITEMS]
    rows = [header]
    for number, (_, row) in enumerate(CLEAN.iterrows()):
        rows.append([f"2026/11/0{number + 1} 10:00:00 AM GMT+8", f"r{number}@example.com",
                     *_answers(row, "E", labels), *_answers(row, "P", labels)])
    columns = {item: (f"{expect} [{TEXT[item]}]", f"{perceive} [{TEXT[item]}]") for item in ITEMS}
    return _write_csv(folder / "google-forms.csv", rows), config_for(folder, columns, respondent_id=None,
                                                                      labels=labels)


def wjx(folder: Path, *, short_headers: bool = False, labels: bool = False) -> tuple[Path, Path]:
    """问卷星: 序号, 提交答卷时间 …, matrix headers ``1、题目—子题`` (or ``1(子题)``), ``(跳过)``;
    answers by option number, or by option text (下载答卷数据 → 按文本)."""
    meta = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    if short_headers:
        names = {"E": [f"1({TEXT[i]})" for i in ITEMS], "P": [f"2({TEXT[i]})" for i in ITEMS]}
    else:
        names = {"E": [f"1、期望—{TEXT[i]}" for i in ITEMS], "P": [f"2、感知—{TEXT[i]}" for i in ITEMS]}
    header = meta + names["E"] + names["P"]
    rows = [header]
    for number, (_, row) in enumerate(CLEAN.iterrows(), start=1):
        rows.append([str(number), "2026/11/1 10:00:00", "120秒", "手机提交", "直接访问", "203.0.113.9(上海-上海)",
                     *_answers(row, "E", "zh" if labels else False),
                     *_answers(row, "P", "zh" if labels else False, skip="(跳过)")])
    columns = {item: (names["E"][k], names["P"][k]) for k, item in enumerate(ITEMS)}
    return _write_csv(folder / "wjx.csv", rows, "gb18030"), config_for(folder, columns,
                                                                        labels="zh" if labels else False)


def microsoft_forms(folder: Path) -> tuple[Path, Path]:
    """Microsoft Forms (an .xlsx): ID, Start time, Completion time, Email, Name, then the questions."""
    from openpyxl import Workbook

    meta = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header = meta + [f"{TEXT[i]} (expectation)" for i in ITEMS] + [f"{TEXT[i]} (perception)" for i in ITEMS]
    book = Workbook()
    book.active.append(header)
    for number, (_, row) in enumerate(CLEAN.iterrows(), start=1):
        answers = [None if pd.isna(row[f"{f}_{i}"]) else int(row[f"{f}_{i}"]) for f in ("E", "P") for i in ITEMS]
        book.active.append([number, "11/1/26 10:00:00", "11/1/26 10:05:00", "anonymous", "", "", *answers])
    path = folder / "microsoft-forms.xlsx"
    book.save(path)
    columns = {item: (f"{TEXT[item]} (expectation)", f"{TEXT[item]} (perception)") for item in ITEMS}
    return path, config_for(folder, columns)
