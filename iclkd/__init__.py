"""iclkd: state, prove, cross-check and render the results of an ML theory paper.

The public API: results, rules and objects from ``iclkd``; custom numeric checks from
:mod:`iclkd.numeric`; a paper package's :class:`~iclkd.paper.Paper` from :mod:`iclkd.paper`.

>>> from iclkd import Result, Claim, Step, Algebra
"""
__version__ = "0.1.0"

from .symbolic import precedence as _precedence  # noqa: E402,F401  (a matrix product's printing precedence, fast)
from .symbolic import doit_cache as _doit_cache  # noqa: E402,F401  (matrix sums' and products' doit, remembered)

from .symbolic.objects import FeatureAverage, GaussianExpectation, Gradient, inner, sqnorm  # noqa: E402
from .symbolic.result import (Assumption, Claim, Definition, NumericCheck, Result, Step,  # noqa: E402
                              result_symbols)
from .symbolic.rules import (Algebra, Bound, Cited, ExpectationLinearity, GaussianMGF,  # noqa: E402
                             GradientLinearity, MatrixDerivative, ScalarMultipleIff, SolveFor,
                             Substitute, TermwiseBound)
from .symbolic.objects import BallSupremum, RademacherExpectation, Vec, expectation  # noqa: E402
from .symbolic.rules_matrix import HadamardSum, LinearSupremum, ScalarFactors  # noqa: E402
from .symbolic.rules_rewrite import Integrate, Rewrite  # noqa: E402
from .symbolic.rules_normal import NormalMoments  # noqa: E402
from .symbolic.rules_probability import (GaussianCharacteristic, RademacherMoments,  # noqa: E402
                                         ScalarDerivative)
from .symbolic.rules_library import Use  # noqa: E402

__all__ = ["Result", "Claim", "Step", "Definition", "Assumption", "NumericCheck", "Gradient",
           "GaussianExpectation", "FeatureAverage", "inner", "sqnorm", "Algebra", "Bound", "Cited",
           "ExpectationLinearity", "GaussianMGF", "GradientLinearity", "MatrixDerivative",
           "ScalarMultipleIff", "SolveFor", "Substitute", "TermwiseBound", "BallSupremum",
           "RademacherExpectation", "HadamardSum", "LinearSupremum", "ScalarFactors", "RademacherMoments",
           "ScalarDerivative", "GaussianCharacteristic", "result_symbols", "Vec", "expectation", "Integrate", "Rewrite",
           "NormalMoments", "Use"]
