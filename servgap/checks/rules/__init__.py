"""The rules of `servgap check`, one module per family, in yamllint's shape: each rule's code,
unique name, severity, what it finds, how to fix it, and failing and passing examples stand
together with the function that checks it.

====================  ==============================================================
family                rules
====================  ==============================================================
``files``             SG0xx: the file cannot be read, or is not YAML
``schema``            SG1xx: the config format (unknown and missing keys, values)
``instrument``        SG201–204, 207, 209: ids, dimensions, scale, texts
``importance``        SG205, 206, 212: fixed importance weights
``mapping``           SG208, 210: references to ids, data columns
``management``        SG211, 213: management levels and factor sets
====================  ==============================================================

`tests/test_config_rules.py` runs every example; `servgap rules --format markdown` writes the
rule reference of docs/config-reference.md from them.
"""
