"""Domain-free statistics, vectorised with numpy and scipy, accumulated block by block:

- :mod:`~servgap.stats.moments`: means, SDs, t tests and intervals (mergeable moments);
- :mod:`~servgap.stats.ranks`: the Wilcoxon signed-rank test;
- :mod:`~servgap.stats.adjust`: Holm and Benjamini–Hochberg adjustment, the significance rule;
- :mod:`~servgap.stats.reliability`: Cronbach's alpha with its Feldt interval and item diagnostics.

Nothing here knows about items, dimensions or surveys; each statistic's docstring carries its
formula, a reference and a checked example.
"""
