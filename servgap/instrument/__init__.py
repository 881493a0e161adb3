"""The instrument: config models, the bundled library, the JSON Schema."""
