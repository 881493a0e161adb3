"""The pure core of servgap: no terminal, CLI or spreadsheet libraries are imported here."""
