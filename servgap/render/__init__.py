"""Renderers: turn result objects into text, JSON, CSV, Markdown, SARIF and annotations."""
