"""Matrix sums' and products' ``doit`` answers are remembered (iclkd.symbolic.doit_cache), and
never change: the same answers as SymPy's own ``doit``, per hint, per evaluation flag."""
import sympy as sp
from sympy.core.cache import clear_cache
from sympy.core.parameters import _exp_is_pow, distribute, evaluate

import iclkd  # noqa: F401  (installs the remembered doit)
from iclkd.symbolic.doit_cache import remembering

A, B, C = (sp.MatrixSymbol(n, 3, 3) for n in "ABC")
x = sp.Symbol("x")


def _nested():
    """A product whose inner sum ``doit`` combines (B + B -> 2B) only when deep."""
    return sp.MatMul(A, sp.MatAdd(B, B, evaluate=False), evaluate=False)


def test_the_remembered_doit_is_installed_on_matrix_sums_and_products():
    assert getattr(sp.MatMul.doit, "remembers", False) and getattr(sp.MatAdd.doit, "remembers", False)


def test_answers_are_sympys_own_for_each_hint_in_either_order():
    original = sp.MatMul.doit.__wrapped__
    e = _nested()
    for hints in ({}, {"deep": False}, {"deep": True}, {"deep": False}, {}):
        assert e.doit(**hints) == original(e, **hints)
    assert e.doit(deep=False) != e.doit()  # the hint matters, so a key without it would be caught


def test_a_long_product_and_sum_match_sympys_own_doit():
    original_mul, original_add = sp.MatMul.doit.__wrapped__, sp.MatAdd.doit.__wrapped__
    product = sp.MatMul(2, A, x * B, A.T, sp.Rational(1, 2), C, evaluate=False)
    total = sp.MatAdd(A, product, -A, 3 * B, evaluate=False)
    assert product.doit() == original_mul(product) == x * A * B * A.T * C
    assert total.doit() == original_add(total)


def test_answers_are_remembered_until_sympys_cache_is_cleared():
    calls = []
    doit = remembering(lambda self, **hints: calls.append(hints) or self)
    doit(A), doit(A), doit(A, deep=False)
    assert len(calls) == 2
    clear_cache()
    doit(A)
    assert len(calls) == 3


def test_nothing_is_remembered_under_sympys_evaluation_flags():
    calls = []
    doit = remembering(lambda self, **hints: calls.append(hints) or self)
    doit(B)
    with evaluate(False):
        doit(B)
    with distribute(False):
        doit(B)
    with _exp_is_pow(True):
        doit(B)
    assert len(calls) == 4


def test_the_engines_remembered_answers_are_dropped_with_sympys_cache():
    from iclkd.numeric_checks.instances import dimension_symbols
    from iclkd.symbolic.algebra import canonical_trace, scalar_normal_form

    scalar_normal_form(sp.Trace(A.T * B) + x)
    dimension_symbols([A * B])
    assert scalar_normal_form.cache_info().currsize > 0 and canonical_trace.cache_info().currsize > 0
    clear_cache()
    assert scalar_normal_form.cache_info().currsize == 0 and canonical_trace.cache_info().currsize == 0
    assert dimension_symbols([sp.Matrix([[x]])]) == set()  # an unhashable argument is worked out afresh
