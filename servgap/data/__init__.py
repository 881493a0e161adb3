"""Reading survey exports into `Responses`: sources, encodings, tables, cells, column plans, layouts."""
