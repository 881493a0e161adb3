"""The version of servgap (one place; the package metadata and every output read it)."""

__version__ = "0.1.0"
