"""What an analysis found: the result types, the JSON contract, pandas frames and the notebook view.

Every output — terminal, JSON, CSV, Markdown, workbook — is produced from one :class:`Assessment`.
"""

from servgap.results.model import (
    Alpha,
    Assessment,
    BootstrapResult,
    CellNote,
    ChangeRow,
    ChangeTest,
    Checklist,
    ChecklistEntry,
    DataQuality,
    DimensionResult,
    FactorResult,
    GapDimension,
    GapItem,
    Ipa,
    IpaItem,
    ItemResult,
    LeftOut,
    LeftOutGroup,
    ManagementGap,
    ManagementResult,
    Note,
    Overall,
    PairedChange,
    PriorityComparison,
    PriorityRow,
    SegmentDimension,
    SegmentResult,
    SegmentTest,
    SourceFile,
    Tolerance,
    ToleranceRow,
    WaveComparison,
    WeightedScore,
)

__all__ = [
    "Alpha", "Assessment", "BootstrapResult", "CellNote", "ChangeRow", "ChangeTest", "Checklist", "ChecklistEntry",
    "DataQuality",
    "DimensionResult", "FactorResult", "GapDimension", "GapItem", "Ipa", "IpaItem", "ItemResult", "LeftOut",
    "LeftOutGroup", "ManagementGap", "ManagementResult", "Note", "Overall", "PairedChange", "PriorityComparison",
    "PriorityRow",
    "SegmentDimension", "SegmentResult", "SegmentTest",
    "SourceFile", "Tolerance", "ToleranceRow", "WaveComparison", "WeightedScore",
]
