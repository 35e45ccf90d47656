"""The public API for a custom numeric check: everything a paper's :class:`~iclkd.NumericCheck`
needs, from one module.

A check is a function ``run(result, rng, trials) -> CheckOutcome``: ``rng`` is a seeded NumPy
generator. It draws instances, evaluates the result's claims on them (with rounding bounds,
or exactly on rationals) and reports ``PASSED``, or ``REFUTED`` with a counterexample:

>>> import numpy as np, sympy as sp
>>> from iclkd import Claim, NumericCheck, Result
>>> x = sp.Symbol('x', positive=True)
>>> def amgm(result, rng, trials):
...     for _ in range(trials):
...         env = {x: random_rational(rng, positive=True)}
...         lhs, rhs = claim_sides(result, '', env, exact=True)
...         if not lhs.val <= rhs.val:
...             return CheckOutcome('am-gm', REFUTED, trials, counterexample={'x': readable(env[x])})
...     return CheckOutcome('am-gm', PASSED, trials)
>>> r = Result('U1', 'Lemma 1', 'AM-GM', claims=(Claim('', 2 * x, 1 + x**2, relation='<='),),
...            numeric_checks=(NumericCheck('am-gm', amgm),))
>>> amgm(r, np.random.default_rng(0), 50).status == PASSED
True

* instances: :class:`Sampler`, :func:`gaussian`, :func:`uniform`, :func:`constant`,
  :func:`either`, :func:`random_rational`, :func:`object_array`, :func:`derived_seed`;
* evaluation: :func:`evaluate`, :class:`Evaluator`, :class:`Value` (value and rounding bound),
  :class:`EvaluationError`, :data:`UNIT_ROUNDOFF`, :func:`gamma`, :func:`claim_side`,
  :func:`claim_sides`, :func:`compare_float`, :data:`ROUNDOFF_SAFETY`;
* outcomes: :class:`CheckOutcome`, ``PASSED``, ``REFUTED``, ``ERROR``, ``TIMEOUT``,
  :func:`readable`, :func:`search_violations`;
* statistics: :func:`mean_test`, :class:`ZTest`, :data:`Z_CRITICAL` (the family-wise
  critical value), :func:`exact_binomial_upper_p`, :func:`feature_products`,
  :func:`feature_product_moment`;
* optimisation: :func:`maximise_quadratic_on_ball`.
"""
from .numeric_checks.claims import claim_side, claim_sides, search_violations
from .numeric_checks.compare import ROUNDOFF_SAFETY, compare_float
from .numeric_checks.evaluate import UNIT_ROUNDOFF, EvaluationError, Evaluator, Value, evaluate, gamma
from .numeric_checks.instances import Sampler, constant, either, gaussian, object_array, random_rational, uniform
from .numeric_checks.montecarlo import (Z_CRITICAL, ZTest, exact_binomial_upper_p, feature_product_moment,
                                        feature_products, mean_test)
from .numeric_checks.report import ERROR, PASSED, REFUTED, TIMEOUT, CheckOutcome, readable
from .numeric_checks.steps import derived_seed
from .numeric_checks.supremum import maximise_quadratic_on_ball

__all__ = ["claim_side", "claim_sides", "search_violations", "ROUNDOFF_SAFETY", "compare_float", "UNIT_ROUNDOFF",
           "EvaluationError", "Evaluator", "Value", "evaluate", "gamma", "Sampler", "constant", "either", "gaussian",
           "object_array", "random_rational", "uniform", "Z_CRITICAL", "ZTest", "exact_binomial_upper_p",
           "feature_product_moment", "feature_products", "mean_test", "ERROR", "PASSED", "REFUTED", "TIMEOUT",
           "CheckOutcome", "readable", "derived_seed", "maximise_quadratic_on_ball"]
