"""servgap: service-quality gap analysis with SERVQUAL."""

__version__ = "0.1.0"
