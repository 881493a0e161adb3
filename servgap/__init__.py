"""servgap: service-quality gap analysis with SERVQUAL.

The Python API (docs/python-api.md)::

    import servgap
    a = servgap.analyze("responses.csv", config="study.yaml", by="branch")
    a.frames()["dimensions"]          # pandas DataFrames of every table
    a.to_dict()                        # the JSON contract of `servgap analyze -f json`
    servgap.check(["configs/"])        # the findings of `servgap check`
    servgap.load_config("study.yaml")  # a checked instrument config

Names are imported when first used, so ``import servgap`` (and ``servgap check``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from servgap.version import __version__

__all__ = ["Assessment", "InstrumentConfig", "UserError", "__version__", "analyze", "check", "load_config"]

if TYPE_CHECKING:
    from servgap.api import analyze, check, load_config
    from servgap.errors import UserError
    from servgap.instrument.models import InstrumentConfig
    from servgap.results import Assessment

_LAZY = {
    "analyze": ("servgap.api", "analyze"),
    "check": ("servgap.api", "check"),
    "load_config": ("servgap.api", "load_config"),
    "Assessment": ("servgap.results", "Assessment"),
    "InstrumentConfig": ("servgap.instrument.models", "InstrumentConfig"),
    "UserError": ("servgap.errors", "UserError"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'servgap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
