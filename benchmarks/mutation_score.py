"""Mutation score of the statistical modules: how many deliberately broken versions the tests catch.

Runs ``mutmut`` (configured under ``[tool.mutmut]`` in pyproject.toml: servgap/stats/ and the
analysis modules that compute reported numbers) and prints, per module, the mutants killed, the
survivors, and the score over the non-equivalent mutants. Equivalent mutants — changes that cannot
alter any result — are listed in ``EQUIVALENT`` with the reason, and left out of the score.

    pip install mutmut
    python benchmarks/mutation_score.py                  # every configured module (tens of minutes)
    python benchmarks/mutation_score.py servgap/stats/adjust.py   # one module
    python benchmarks/mutation_score.py --report-only    # the score of the last run

Each mutant runs the test suite, so a full run takes a while on two cores; it works in ``mutants/``
(git-ignored).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Mutants that cannot change behaviour, by mutmut's name, with why.
EQUIVALENT = {
    "servgap.stats.adjust.x_holm__mutmut_3": "np.full_like(..., None, dtype=float) fills NaN, as np.nan does",
    "servgap.stats.adjust.x_holm__mutmut_4": "dtype=None keeps the float dtype of the p-values",
    "servgap.stats.adjust.x_holm__mutmut_7": "without dtype the float dtype of the p-values is kept",
    "servgap.stats.adjust.x_holm__mutmut_17": "argsort kind: tied p-values get the same adjusted value "
                                              "through the running maximum, whatever their order",
    "servgap.stats.adjust.x_holm__mutmut_19": "argsort kind (as above)",
    "servgap.stats.adjust.x_holm__mutmut_21": "argsort kind (as above; numpy accepts 'STABLE')",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_3": "np.full_like(..., None, dtype=float) fills NaN",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_4": "dtype=None keeps the float dtype",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_7": "without dtype the float dtype is kept",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_15": "method='bh' is scipy's default",
    "servgap.stats.adjust.x_benjamini_hochberg__mutmut_17": "scipy reads the method case-insensitively",
    "servgap.stats.adjust.x_adjust__mutmut_9": "astype(None) of float p-values is float",
    "servgap.stats.adjust.x_adjust__mutmut_12": "astype(float) copies by default, as copy=True asks",
    "servgap.stats.adjust.x_significant__mutmut_11": "rounding 1 − confidence to 13 digits instead of 12 "
                                                     "changes nothing for a confidence given to 12 digits",
    "servgap.analysis.management.x__single_facet_config__mutmut_13":
        "the importance pattern is read only when one is given (use_points_columns), so the default after "
        "`or` is never used",
    "servgap.analysis.management.x__single_facet_config__mutmut_15":
        "the default importance pattern is never used (as above)",
    "servgap.analysis.management.x__single_facet_config__mutmut_16":
        "the default importance pattern is never used (as above)",
    "servgap.analysis.management.x__single_facet_config__mutmut_28":
        "the copy then keeps the customers' importance switch; managers' points are compared only with "
        "customers' points, which that same switch governs, and audit points are never used",
    "servgap.analysis.management.x__single_facet_config__mutmut_29":
        "as above",
    "servgap.analysis.management.x_read_levels__mutmut_25":
        "a whole-sheet message prints 'row 1:' whether its column is 0 or None",
    "servgap.analysis.management.x_read_levels__mutmut_26":
        "the header is printed only with a column, and this message has none",
    "servgap.analysis.management.x_read_levels__mutmut_35":
        "as above",
    "servgap.analysis.management.x_read_levels__mutmut_48":
        "the kind only picks the range check, and every level is checked against the scale right after",
    "servgap.analysis.management.x_read_levels__mutmut_52":
        "as above",
    "servgap.analysis.management.x_read_levels__mutmut_53":
        "as above",
    "servgap.analysis.management.x_read_levels__mutmut_65":
        "None is no item id either way",
    "servgap.analysis.management.x_read_levels__mutmut_105":
        "a missing or invalid level is NaN, which fails the scale check anyway",
    "servgap.analysis.management.x_read_management__mutmut_68":
        "a file-wide message prints 'file:' whether its row is 0 or None",
    "servgap.analysis.management.x_read_management__mutmut_69":
        "no column is printed whether it is 0 or None",
    "servgap.analysis.management.x_read_management__mutmut_70":
        "the header is printed only with a column",
    "servgap.analysis.management.x_read_management__mutmut_79":
        "the header is printed only with a column",
    "servgap.analysis.management.x__column_means__mutmut_9":
        "only 0/0 can occur, which numpy reports as 'invalid', not 'divide'",
    "servgap.analysis.management.x__column_means__mutmut_11":
        "as above",
    "servgap.analysis.management.x__column_means__mutmut_29":
        "where the count is 0 the mean is already 0/0 = NaN",
    "servgap.analysis.management.x__factor_results__mutmut_29":
        "the risk of a NaN score is NaN either way",
    "servgap.analysis.management.x_compute_management__mutmut_12":
        "counts held as floats are reported through int()",
    "servgap.analysis.management.x_compute_management__mutmut_14":
        "as above",
    "servgap.analysis.management.x_compute_management__mutmut_46":
        "welch_test returns NaN when either sample has fewer than 2 values",
    "servgap.analysis.management.x_compute_management__mutmut_71":
        "counts held as floats are reported through int()",
    "servgap.analysis.management.x_compute_management__mutmut_73":
        "as above",
    "servgap.analysis.management.x_compute_management__mutmut_170":
        "an item is measured exactly when its value is not None",
    "servgap.analysis.management.x_compute_management__mutmut_199":
        "a measured gap has all of its data, so the needs are empty anyway",
    "servgap.analysis.management.x_priority_comparison__mutmut_7":
        "with weighting 'none' the customers' weights are empty, so the last condition fails anyway",
    "servgap.analysis.management.x_priority_comparison__mutmut_8":
        "as above",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁ__init____mutmut_17":
        "a float counter gives the same share below",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁ__init____mutmut_19":
        "as above",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁ__init____mutmut_35":
        "as above",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁ__init____mutmut_37":
        "as above",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁadd__mutmut_60":
        "zip of two lists built with the same length",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁadd__mutmut_63":
        "as above",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁadd__mutmut_64":
        "as above",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁadd__mutmut_69":
        "only 0/0 can occur ('invalid', not 'divide')",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁadd__mutmut_71":
        "as above",
    "servgap.analysis.tolerance.xǁToleranceAccumulatorǁadd__mutmut_79":
        "np.where(..., None) stored into a float array is NaN",
    "servgap.stats.ranks.x_wilcoxon_p__mutmut_28":
        "zero_method='wilcox' is scipy's default",
    "servgap.stats.ranks.x_wilcoxon_p__mutmut_32":
        "scipy reads zero_method case-insensitively",
    "servgap.analysis.checklist.x_ranking_method__mutmut_3":
        "data with a zone of tolerance has no expectation, so has_gap is False whenever it is read",
    "servgap.analysis.checklist.x_build_checklist__mutmut_28":
        "priorities() treats every method but 'gap' as importance × shortfall",
    "servgap.analysis.checklist.x_build_checklist__mutmut_29":
        "as above",
    "servgap.analysis.checklist.x_build_checklist__mutmut_68":
        "tiers are only compared with each other: 0 before 2 as 0 before 1",
    "servgap.analysis.checklist.x_build_checklist__mutmut_101":
        "as above",
    "servgap.analysis.checklist.x_build_checklist__mutmut_108":
        "block-wise sums differ from one-pass sums in the 15th digit, far below either rounding",
    "servgap.analysis.checklist.x_build_checklist__mutmut_110":
        "the key is the tuple's first element and ends with the unique position, so later elements are never compared",
    "servgap.analysis.checklist.x_build_checklist__mutmut_183":
        "a value of exactly 0 gives the key 0.0 either way",
    "servgap.analysis.checklist.x_build_checklist__mutmut_185":
        "every gap without a shortfall gets the same constant, still after every shortfall",
    "servgap.analysis.checklist.x_build_checklist__mutmut_191":
        "an unknown risk still sorts after every risk on [0, 1]",
    "servgap.analysis.engine.x__weighted_result__mutmut_28":
        "this branch runs only when some allocation was usable (within > 0)",
    "servgap.analysis.engine.x__weighted_result__mutmut_50":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_30":
        "the else branch is unreachable: within > 0 here",
    "servgap.analysis.engine.x__weighted_result__mutmut_31":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_32":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_33":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_58":
        "zip of the dimension ids and one weight per dimension: equal lengths",
    "servgap.analysis.engine.x__weighted_result__mutmut_61":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_62":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_93":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_96":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_97":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_66":
        "fixed weights name every dimension (the config check refuses a missing one), so the default is never used",
    "servgap.analysis.engine.x__weighted_result__mutmut_68":
        "as above",
    "servgap.analysis.engine.x__weighted_result__mutmut_69":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁ__init____mutmut_18":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁ__init____mutmut_20":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁ__init____mutmut_24":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁ__init____mutmut_26":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁ__init____mutmut_31":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁ__init____mutmut_33":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁresults__mutmut_1":
        "zero counts are replaced by NaN before dividing, so no warning arises and 0/0 would give the same NaN",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁresults__mutmut_2":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁresults__mutmut_3":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁresults__mutmut_4":
        "as above",
    "servgap.analysis.engine.xǁ_SegmentAccumulatorǁresults__mutmut_17":
        "as above",
    "servgap.analysis.engine.x__ratio__mutmut_2":
        "a share's numerator is 0 when its count is: only 0/0 ('invalid') occurs, and the result is float",
    "servgap.analysis.engine.x__ratio__mutmut_4":
        "as above",
    "servgap.analysis.engine.x__ratio__mutmut_10":
        "as above",
    "servgap.analysis.engine.x__ratio__mutmut_12":
        "as above",
    "servgap.analysis.engine.x_segment_tests_of__mutmut_1":
        "the default confidence is never used: the engine passes the analysis's",
    "servgap.analysis.engine.x_segment_tests_of__mutmut_53":
        "ignoring every warning category instead of RuntimeWarning: scipy raises no other here",
    "servgap.analysis.engine.x_segment_tests_of__mutmut_55":
        "as above",
    "servgap.analysis.engine.x_segment_tests_of__mutmut_68":
        "without rows the adjusted values are never read",
    "servgap.analysis.engine.x_segment_tests_of__mutmut_75":
        "as above",
    "servgap.stats.moments.xǁMomentsǁ__init____mutmut_3":
        "counts held as floats are reported through int()",
    "servgap.stats.moments.xǁMomentsǁ__init____mutmut_5":
        "as above",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_5":
        "only 0/0 can occur ('invalid', not 'divide')",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_7":
        "as above",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_25":
        "deviations of an empty column are multiplied by an all-false mask and its m2 is discarded (has_block)",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_27":
        "as above",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_36":
        "einsum subscripts are labels only: upper case works the same",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_42":
        "nothing in this block can divide by zero or produce an invalid value that warns",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_43":
        "as above",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_44":
        "as above",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_45":
        "as above",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_58":
        "where a column has no new values its share is 0, so the fill value is multiplied away",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_66":
        "as above",
    "servgap.stats.moments.xǁMomentsǁadd_present__mutmut_74":
        "as above",
    "servgap.stats.moments.xǁMomentsǁsummary__mutmut_27":
        "with n = 1, m2 is 0 and 0/0 is NaN anyway; t with 0 degrees of freedom is NaN",
    "servgap.stats.moments.xǁMomentsǁsummary__mutmut_42":
        "as above",
    "servgap.analysis.engine.xǁPreparedBlockǁof__mutmut_32":
        "a missing E is only read through masks (E × paired, listwise rows), so its fill never counts",
    "servgap.analysis.engine.xǁDimensionSumsǁgap_scores__mutmut_2":
        "only 0/0 can occur here ('invalid', not 'divide')",
    "servgap.analysis.engine.xǁDimensionSumsǁgap_scores__mutmut_4":
        "as above",
    "servgap.analysis.engine.x_dimension_sums_of__mutmut_9":
        "counts and sums held as floats (or numpy's default integer) hold whole numbers exactly and are "
        "reported through int() or ratios",
    "servgap.analysis.engine.x_dimension_sums_of__mutmut_11":
        "as above",
    "servgap.analysis.engine.x_dimension_sums_of__mutmut_28":
        "the assertion holds either way in this branch (it is there for the type checker)",
    "servgap.analysis.engine.x_dimension_sums_of__mutmut_42":
        "counts and sums held as floats (or numpy's default integer) hold whole numbers exactly and are "
        "reported through int() or ratios",
    "servgap.analysis.engine.x_dimension_sums_of__mutmut_46":
        "as above",
    "servgap.analysis.engine.x_dimension_sums_of__mutmut_49":
        "as above",
    "servgap.analysis.engine.x_dimension_sums_of__mutmut_51":
        "as above",
    "servgap.analysis.engine.xǁ_WeightedAccumulatorǁadd__mutmut_22":
        "only 0/0 can occur here ('invalid', not 'divide')",
    "servgap.analysis.engine.xǁ_WeightedAccumulatorǁadd__mutmut_24":
        "as above",
    "servgap.analysis.engine.xǁ_WeightedAccumulatorǁadd__mutmut_53":
        "rows outside the points tolerance get weight 0 in the product, so their fill never counts",
    "servgap.analysis.engine.x_analyze__mutmut_4":
        "keeping the respondents' scores changes memory, not results",
    "servgap.analysis.engine.x_analyze__mutmut_8":
        "as above",
    "servgap.analysis.engine.x_analyze__mutmut_9":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_10":
        "counts and sums held as floats (or numpy's default integer) hold whole numbers exactly and are "
        "reported through int() or ratios",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_12":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_15":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_17":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_20":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_22":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_25":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_27":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_30":
        "as above",
    "servgap.analysis.engine.xǁ_ItemAccumulatorǁ__init____mutmut_32":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_3":
        "a config has at least one dimension, so max() never falls back to its default",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_5":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_6":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_15":
        "only the means of the E, P and perception-only scores are reported; keeping their Σs² changes nothing",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_18":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_19":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_23":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_26":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_27":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_31":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_34":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_35":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_38":
        "counts and sums held as floats (or numpy's default integer) hold whole numbers exactly and are "
        "reported through int() or ratios",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_40":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_43":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_45":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_48":
        "as above",
    "servgap.analysis.engine.xǁ_DimensionAccumulatorǁ__init____mutmut_50":
        "as above",
    "servgap.analysis.engine.xǁ_QualityCounterǁadd__mutmut_4":
        "3k ≥ 4 and 2k ≥ 4 agree for every whole number of items k",
    "servgap.analysis.engine.xǁ_QualityCounterǁadd__mutmut_35":
        "the assertion holds either way in this branch (it is there for the type checker)",
    "servgap.analysis.engine.xǁ_QualityCounterǁadd__mutmut_36":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_1":
        "keeping the respondents' scores changes memory, not results",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_15":
        "the config allows adequate and desired only together",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_41":
        "the weighted accumulator exists exactly when the data has points",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_79":
        "memory only: an array of respondent scores that nothing reads",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_85":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_90":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_97":
        "buffers for facets the data lacks are allocated and never read",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_101":
        "buffer layout, size and reuse: the same values in other memory",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_104":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_113":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_115":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_116":
        "the number of BLAS threads changes speed, not the sums (whole numbers, exact in any order)",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_117":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_118":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_119":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_120":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_134":
        "an extra, empty block adds nothing",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_148":
        "buffer layout, size and reuse: the same values in other memory",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_151":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_157":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_160":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_187":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_190":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_193":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_196":
        "as above",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_217":
        "the weighted accumulator exists exactly when the data has points",
    "servgap.analysis.engine.x_analyze_with_scores__mutmut_220":
        "as above",
    "servgap.analysis.engine.x_segment_tests_of__mutmut_60":
        "without rows the adjusted values are never read",
    "servgap.analysis.engine.x_segment_tests_of__mutmut_67":
        "as above",
    "servgap.stats.moments.x_welch_from_summary__mutmut_1":
        "a NaN SD (never, with two values or more) gives a NaN t, p and interval past the guard as well",
    "servgap.stats.moments.x_welch_from_summary__mutmut_47":
        "the degrees of freedom of two constant samples only meet a standard error of 0: t is ±inf or NaN "
        "and the interval has width 0 for any finite value",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_1":
        "a larger default denominator adds bins that stay empty",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_6":
        "as above",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_9":
        "float counters hold whole numbers exactly below 2**53 and are read through int()",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_11": "as above",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_14": "as above",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_16": "as above",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_19": "as above",
    "servgap.stats.exact.xǁRatioMomentsǁ__init____mutmut_21": "as above",
    "servgap.stats.exact.xǁRatioMomentsǁadd__mutmut_53":
        "a longer bincount is cut to the same cells (the discarded bin and any beyond)",
    "servgap.stats.exact.xǁRatioMomentsǁadd__mutmut_68": "as above",
    "servgap.stats.exact.xǁRatioMomentsǁadd__mutmut_84": "as above",
    "servgap.stats.exact.xǁRatioMomentsǁmoments__mutmut_5":
        "counts held as floats are reported through int()",
    "servgap.stats.exact.xǁRatioMomentsǁmoments__mutmut_7": "as above",
    "servgap.stats.exact.xǁWholeCoMomentsǁ__init____mutmut_5":
        "float sums hold whole numbers exactly below 2**53 and are read through int()",
    "servgap.stats.exact.xǁWholeCoMomentsǁ__init____mutmut_7": "as above",
    "servgap.stats.exact.xǁWholeCoMomentsǁadd__mutmut_5":
        "a block without rows adds zeros either way",
    "servgap.stats.reliability.x__alpha_from_covariance__mutmut_26":
        "a total variance of 0 makes alpha 0/0 = NaN anyway",
    "servgap.stats.reliability.xǁCoMomentsǁadd__mutmut_18":
        "incomplete rows get weight 0, so their fill never counts",
    "servgap.stats.reliability.xǁCoMomentsǁadd_rows__mutmut_6":
        "astype(None) is float64",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_1":
        "the default confidence is never used: callers pass theirs",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_6":
        "float('NAN') is NaN",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_35":
        "alpha, its interval and item-total correlations are ratios of covariances: a constant factor cancels",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_36":
        "as above",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_113":
        "an item-total denominator is 0 only when its covariance numerator is 0 too: 0/0 ('invalid'), never 'divide'",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_115":
        "as above",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_130":
        "thresholds that differ only for a denominator within 1e-12 of zero",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_131":
        "as above",
    "servgap.stats.reliability.xǁCoMomentsǁreliability__mutmut_137":
        "as above",
}


def run(paths: list[str]) -> str:
    command = ["mutmut", "run"]
    if paths:
        # mutmut takes mutant-name globs: servgap/stats/adjust.py → servgap.stats.adjust.*
        command += [re.sub(r"\.py$", "", path).replace("/", ".") + ".*" for path in paths]
    if "--report-only" not in sys.argv:
        subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    finished = subprocess.run(["mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                              check=False)
    return finished.stdout


def main() -> None:
    results = run([argument for argument in sys.argv[1:] if not argument.startswith("--")])
    per_module: dict[str, Counter[str]] = {}
    for line in results.splitlines():
        match = re.match(r"\s*(\S+): (\w[\w ]*)$", line)
        if not match:
            continue
        name, status = match.groups()
        # Functions mutate as module.x_name__mutmut_N, methods as module.xǁClassǁname__mutmut_N.
        module = re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]
        key = "equivalent" if name in EQUIVALENT and status == "survived" else status
        per_module.setdefault(module, Counter())[key] += 1
    print(f"{'module':45} {'killed':>7} {'survived':>9} {'equivalent':>11} {'score':>7}")
    totals: Counter[str] = Counter()
    for module, counts in sorted(per_module.items()):
        totals.update(counts)
        scored = counts["killed"] + counts["survived"]
        score = counts["killed"] / scored if scored else float("nan")
        print(f"{module:45} {counts['killed']:7} {counts['survived']:9} {counts['equivalent']:11} {score:7.1%}")
    scored = totals["killed"] + totals["survived"]
    if scored:
        print(f"{'all':45} {totals['killed']:7} {totals['survived']:9} {totals['equivalent']:11} "
              f"{totals['killed'] / scored:7.1%}")
    for name, reason in EQUIVALENT.items():
        print(f"equivalent: {name}: {reason}")


if __name__ == "__main__":
    main()
