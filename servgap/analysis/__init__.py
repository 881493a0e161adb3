"""From a config and `Responses` to an `Assessment`: the engine, zone of tolerance, IPA, bootstrap,
management gaps, the checklist, wave comparison, and the pipeline that runs them in order."""
