"""The Typer command-line interface: parse options, call the core, pick a renderer."""
