"""Checking configs: reading YAML with positions, schema and semantic rules, findings."""
