"""Justifications of proof steps.

A rule either *verifies* a step symbolically (``symbolic`` returns a :class:`Decision`)
or is *cited* (a named theorem from the literature, shown as cited, never counted as
proved by algebra). Every step, cited or not, is also evaluated numerically by the
checker; rules only decide the symbolic side.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import sympy as sp

from .algebra import is_zero, scalar_normal_form, simplify_traces_opaque
from .objects import GaussianExpectation, Gradient, sqnorm

SYMBOLIC, EXPLICIT = "symbolic-dims", "explicit-size"


@dataclass
class Decision:
    """The symbolic verdict on a step: ``equal`` is True, False or None (undecided)."""

    equal: Optional[bool]
    detail: str = ""
    explicit_fallback: bool = True
    witness_note: str = ""


class Rule:
    """Base class: ``name`` is shown beside the step; ``cited`` rules are not verified."""

    name = "rule"
    cited = False
    reference = ""
    # The relations a successful symbolic check establishes: an equality gives "=" and "<=";
    # a bound gives "<=" only, a strict bound "<" too (the checker refuses any other use).
    relations = ("=", "<=", "iff")

    def symbolic(self, prev, nxt, ctx) -> Decision:  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:
        return self.name

    def references(self) -> tuple:
        """Definitions, hypotheses and claims this step rewrites with (validated up front)."""
        return ()


def _equal(a, b) -> Optional[bool]:
    return is_zero(a - b)


@dataclass
class Algebra(Rule):
    """Pure algebra: expansion, traces, exponentials, cancellation of inverses.

    >>> x = sp.Symbol('x')
    >>> Algebra().symbolic((x + 1)**2, x**2 + 2*x + 1, None).equal
    True
    """

    hint: str = ""
    name = "algebra"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        return Decision(_equal(prev, nxt))

    def describe(self) -> str:
        return self.hint or "algebra"


@dataclass
class Substitute(Rule):
    """Rewrite with an equation: a definition, a hypothesis or an earlier claim.

    ``ref`` is a symbol with a definition in this result, the name of an equation
    assumption, or a claim reference ``"R1"``, ``"R7(a)"``, ``"(a)"``. ``instance`` maps
    the referenced claim's symbols to the expressions they stand for here.
    """

    ref: object
    instance: dict = field(default_factory=dict)
    reverse: bool = False
    name = "substitution"

    def refs(self) -> tuple:
        return tuple(self.ref) if isinstance(self.ref, (tuple, list)) else (self.ref,)

    def references(self) -> tuple:
        return self.refs()

    def symbolic(self, prev, nxt, ctx) -> Decision:
        p, n = prev, nxt
        for ref in self.refs():
            lhs, rhs = ctx.equation(ref, self.instance)
            if self.reverse:
                lhs, rhs = rhs, lhs
            p2, n2 = _subs(p, lhs, rhs), _subs(n, lhs, rhs)
            if p2 == p and n2 == n:
                return Decision(None, f"{lhs} does not occur in the step", explicit_fallback=False)
            p, n = p2, n2
        return Decision(_equal(p, n))

    def describe(self) -> str:
        return "by " + ", ".join(map(str, self.refs()))


def _subs(expr, lhs, rhs):
    """Replace ``lhs`` by ``rhs``, leaving the bound variable of a ``Gradient`` alone."""
    if isinstance(expr, Gradient):
        f = expr.function if lhs.has(expr.variable) else _subs(expr.function, lhs, rhs)
        return Gradient(f, expr.variable, _subs(expr.point, lhs, rhs))
    if expr == lhs:
        return rhs
    if not expr.args or isinstance(expr, (sp.MatrixSymbol, sp.Symbol)):
        return expr
    if not any(isinstance(n, Gradient) for n in sp.preorder_traversal(expr)):
        out = expr.xreplace({lhs: rhs})
        if out == expr and not isinstance(lhs, (sp.Symbol, sp.MatrixSymbol)):
            try:
                out = expr.subs(lhs, rhs)
            except (TypeError, ValueError, AttributeError):
                pass
        return out
    return expr.func(*[_subs(a, lhs, rhs) if isinstance(a, sp.Basic) else a for a in expr.args])


@dataclass
class MatrixDerivative(Rule):
    """Replace every ``Gradient`` by SymPy's matrix derivative, then algebra.

    SymPy's answer is a witness, not a proof (``confirm_by_entries``): the checker counts the
    step as proved only once exact entrywise differentiation at explicit sizes confirms it
    (:func:`~iclkd.symbolic.witness.confirm_derivative`), and compares it with finite
    differences on every instance; a disagreement of either refutes it.
    """

    name = "matrix calculus"
    confirm_by_entries = True

    def symbolic(self, prev, nxt, ctx) -> Decision:
        gradients = [g for g in sp.preorder_traversal(prev) if isinstance(g, Gradient)]
        if not gradients:
            return Decision(None, "no gradient to differentiate")
        mapping = {}
        for g in gradients:
            derivative = g.function.diff(g.variable)
            if derivative == 0 and g.function.has(g.variable):
                return Decision(None, f"SymPy returned 0 for the derivative of {g.function}, "
                                      "which depends on the variable (a known SymPy fault)",
                                witness_note="sympy-zero-derivative")
            mapping[g] = derivative.xreplace({g.variable: g.point}) if g.point != g.variable else derivative
        return Decision(_equal(prev.xreplace(mapping), nxt))


@dataclass
class GradientLinearity(Rule):
    """``∇(Σ c_k f_k) = Σ c_k ∇f_k`` for constants ``c_k``; constants have gradient 0."""

    name = "linearity of the gradient"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        if not any(isinstance(g, Gradient) for g in sp.preorder_traversal(prev)):
            return Decision(None, "no gradient to split", explicit_fallback=False)
        return Decision(_equal(_split_gradients(prev), _split_gradients(nxt)), explicit_fallback=False)


def _split_gradients(expr):
    """Every ``Gradient`` of a sum becomes a sum of constant multiples of gradients."""
    mapping = {}
    for g in (g for g in sp.preorder_traversal(expr) if isinstance(g, Gradient)):
        total = sp.ZeroMatrix(*g.shape)
        for term in sp.Add.make_args(sp.expand(g.function)):
            coeff, rest = _split_constant(term, g.variable)
            if rest != 1:
                total = total + coeff * Gradient(rest, g.variable, g.point)
        mapping[g] = total
    return expr.xreplace(mapping)


def _split_constant(term, variable):
    const, rest = [], []
    for f in sp.Mul.make_args(term):
        (rest if f.has(variable) else const).append(f)
    return sp.Mul(*const), sp.Mul(*rest)


@lru_cache(maxsize=1)
def gaussian_mgf_lemma() -> bool:
    """``∫ e^{cu} e^{-u²/2}/√(2π) du = e^{c²/2}`` over the real line (checked once), by the
    fundamental theorem of calculus: ``F(u) = e^{c²/2}(1 + erf((u − c)/√2))/2`` (completing the
    square) has ``F' = e^{cu − u²/2}/√(2π)``, and ``F → e^{c²/2}, 0`` as ``u → ±∞`` since
    ``erf → ±1`` (:func:`antiderivative_gives`).

    >>> gaussian_mgf_lemma()
    True
    """
    u, c = sp.Symbol("u", real=True), sp.Symbol("c", real=True)
    integrand = sp.exp(c * u - u**2 / 2) / sp.sqrt(2 * sp.pi)
    antiderivative = sp.exp(c**2 / 2) * (1 + sp.erf((u - c) / sp.sqrt(2))) / 2
    return antiderivative_gives(integrand, antiderivative, u, sp.exp(c**2 / 2))


def antiderivative_gives(integrand, antiderivative, u, value) -> bool:
    """Whether ``∫_ℝ integrand du = value`` follows from ``antiderivative``: its derivative is the
    integrand (exactly, after expansion; both are continuous) and its values at ``±∞`` (SymPy's
    limits of ``erf``, ``exp``, … there) differ by ``value``.

    >>> u = sp.Symbol('u', real=True)
    >>> phi = sp.exp(-u**2 / 2) / sp.sqrt(2 * sp.pi)
    >>> antiderivative_gives(phi, (1 + sp.erf(u / sp.sqrt(2))) / 2, u, 1)
    True
    >>> antiderivative_gives(2 * phi, (1 + sp.erf(u / sp.sqrt(2))) / 2, u, 2)
    False
    """
    difference = sp.diff(antiderivative, u) - integrand
    if sp.expand(sp.powsimp(sp.expand(difference), combine="exp")) != 0:
        return False
    upper, lower = antiderivative.xreplace({u: sp.oo}), antiderivative.xreplace({u: -sp.oo})
    if not all(v.is_finite for v in (upper, lower)):
        return False
    return sp.expand(upper - lower - value) == 0


def _linear_part(exponent, omega):
    """Split ``exponent`` into ``tr(ω^T c)`` plus a part free of ``ω``; None if not linear.

    ``ω`` may sit at either end of a longer product: ``tr(qᵀ L ω)`` gives ``c = Lᵀq``.

    >>> w, q, L = sp.MatrixSymbol('omega', 2, 1), sp.MatrixSymbol('q', 2, 1), sp.MatrixSymbol('L', 2, 2)
    >>> _linear_part(sp.Trace(q.T * L * w) + 1, w)
    (L.T*q, 1)
    """
    c = sp.ZeroMatrix(*omega.shape)
    rest = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(scalar_normal_form(exponent))):
        if not term.has(omega):
            rest += term
            continue
        coeff, tr = _split_constant(term, omega)
        if not isinstance(tr, sp.Trace):
            return None
        arg = tr.arg
        factors = list(arg.args) if isinstance(arg, sp.MatMul) else [arg]
        if len(factors) >= 2 and factors[0] == omega.T and not sp.MatMul(*factors[1:]).has(omega):
            c = c + coeff * sp.MatMul(*factors[1:]).doit()
        elif len(factors) >= 2 and factors[-1] == omega and not sp.MatMul(*factors[:-1]).has(omega):
            c = c + coeff * sp.MatMul(*factors[:-1]).doit().T
        else:
            return None
    return c, rest


@dataclass
class GaussianMGF(Rule):
    """``E_ω[K e^{ω^T c + r}] = K e^{||c||²/2 + r}`` for ``ω ~ N(0, I)``, ``K, c, r`` free of ``ω``.

    Verified by the 1-D Gaussian integral (:func:`gaussian_mgf_lemma`, from its antiderivative) and
    independence of the coordinates; the checker adds quadrature on every instance.
    """

    name = "Gaussian integral (MGF)"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        if not gaussian_mgf_lemma():
            return Decision(None, "SymPy did not confirm the 1-D Gaussian integral")
        mapping = {}
        for e in (e for e in sp.preorder_traversal(prev) if isinstance(e, GaussianExpectation)):
            omega = e.variable
            integrand = sp.powsimp(sp.expand(scalar_normal_form(e.integrand), power_exp=False), combine="exp")
            const, rest = _split_constant(integrand, omega)
            if not isinstance(rest, sp.exp):
                return Decision(None, f"integrand is not of the form K·exp(linear in {omega})",
                                explicit_fallback=False)
            split = _linear_part(rest.args[0], omega)
            if split is None:
                return Decision(None, f"exponent is not linear in {omega}", explicit_fallback=False)
            c, free = split
            mapping[e] = const * sp.exp(sqnorm(c) / 2 + free)
        if not mapping:
            return Decision(None, "no Gaussian expectation to evaluate", explicit_fallback=False)
        return Decision(_equal(prev.xreplace(mapping), nxt), explicit_fallback=False)


@dataclass
class ExpectationLinearity(Rule):
    """``E[a X + b] = a E[X] + b`` for ``a, b`` free of the random variable."""

    name = "linearity of expectation"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        a, b = _expand_expectations(prev), _expand_expectations(nxt)
        return Decision(_equal(a, b), explicit_fallback=False)


def _expand_expectations(expr):
    def expand_one(e):
        omega = e.variable
        total = sp.Integer(0)
        body = sp.expand(scalar_normal_form(e.integrand), power_exp=True)
        for term in sp.Add.make_args(body):
            const, rest = _split_constant(term, omega)
            total += const * (GaussianExpectation(sp.powsimp(rest, combine="exp"), omega) if rest != 1 else 1)
        return total
    return expr.replace(lambda x: isinstance(x, GaussianExpectation), expand_one)


@dataclass
class Bound(Rule):
    """An inequality step ``prev <= nxt`` proved by the sign of ``nxt - prev``.

    The difference must be a sum of terms the engine knows are nonnegative: squared
    norms ``tr(XᵀX)``, even powers, exponentials, positive symbols and their products,
    after using the result's hypotheses ``h >= 0`` (:func:`prove_nonnegative`).
    Monotonicity: ``K·f(A) <= K·f(B)`` for a common nonnegative factor ``K`` reduces to
    ``f(A) <= f(B)``; for ``exp`` to ``A <= B``, for nonnegative sides to ``A² <= B²``.
    ``strict=True`` proves ``prev < nxt`` from a visibly positive difference (:func:`positive`).

    >>> x = sp.Symbol('x', positive=True)
    >>> Bound(strict=True).symbolic(-x, sp.Integer(0), None).equal
    True
    """

    hint: str = ""
    strict: bool = False
    name = "bound"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        facts = ctx.positive_facts() if ctx else set()
        if self.strict:
            gaps = [nxt - prev] + ([nxt.args[0] - prev.args[0]] if isinstance(prev, sp.exp)
                                   and isinstance(nxt, sp.exp) else [])
            sign = any(positive(g) or positive(scalar_normal_form(g)) for g in gaps)
        else:
            gaps = list(monotone_gaps(prev, nxt, facts))
            sign = any(nonnegative(g, facts) for g in gaps) or any(prove_nonnegative(g, facts) for g in gaps)
        return Decision(True if sign else None,
                        "" if sign else f"could not show {nxt - prev} {'>' if self.strict else '>='} 0",
                        explicit_fallback=False)

    @property
    def relations(self) -> tuple:
        return ("<=", "<") if self.strict else ("<=",)

    def describe(self) -> str:
        return self.hint or "bound"


def monotone_gaps(prev, nxt, facts=frozenset()):
    """Differences whose nonnegativity implies ``prev <= nxt`` (see :class:`Bound`), the
    reduced ones first: exponents, bases of equal powers, squares when a square root is
    involved, then the difference with the common nonnegative factor dropped (or the plain one).

    >>> x, y = sp.symbols('x y', positive=True)
    >>> list(monotone_gaps(2*sp.exp(x), 2*sp.exp(y)))[0]
    -x + y
    """
    common = [f for f in sp.Mul.make_args(prev) if f in sp.Mul.make_args(nxt)]
    p_rest, n_rest = _drop_factors(prev, common), _drop_factors(nxt, common)
    if not nonnegative(sp.Mul(*common), facts):
        yield nxt - prev
        return
    if isinstance(p_rest, sp.exp) and isinstance(n_rest, sp.exp):
        yield n_rest.args[0] - p_rest.args[0]
    elif nonnegative(p_rest, facts) and nonnegative(n_rest, facts):
        if (isinstance(p_rest, sp.Pow) and isinstance(n_rest, sp.Pow) and p_rest.exp == n_rest.exp
                and p_rest.exp.is_positive and nonnegative(p_rest.base, facts) and nonnegative(n_rest.base, facts)):
            yield n_rest.base - p_rest.base
        if any(isinstance(f, sp.Pow) and f.exp == sp.S.Half
               for f in (*sp.Mul.make_args(p_rest), *sp.Mul.make_args(n_rest))):
            yield sp.expand(n_rest**2 - p_rest**2)
    yield n_rest - p_rest


def _drop_factors(expr, factors):
    rest = list(sp.Mul.make_args(expr))
    for f in factors:
        rest.remove(f)
    return sp.Mul(*rest)


def prove_nonnegative(gap, facts=frozenset()) -> bool:
    """``gap >= 0`` visibly, after factoring, or as a nonnegative combination of hypotheses
    ``h >= 0`` plus a visibly nonnegative rest.

    Each hypothesis is matched on an atom that occurs in no other hypothesis: its multiple
    is the ratio of that atom's coefficients in the gap and in the hypothesis (linear atoms).

    >>> x, y, R = sp.symbols('x y R', positive=True)
    >>> prove_nonnegative(2*R - 2*x, {R - x})
    True
    """
    if nonnegative(gap, facts):
        return True
    normal = scalar_normal_form(gap)
    if nonnegative(normal, facts):
        return True
    if _factored_nonnegative(normal, facts):
        return True
    return bool(facts) and _combination_of_facts(normal, [scalar_normal_form(f) for f in facts])


def _factored_nonnegative(expr, facts=frozenset()) -> bool:
    try:
        return nonnegative(sp.factor(expr), facts)
    except (sp.PolynomialError, TypeError, ValueError):
        return False


def _atoms(expr):
    return expr.atoms(sp.Symbol, sp.Trace, sp.Pow) - {sp.S.Half}


def _linear_coefficient(expr, atom):
    x = sp.Dummy("x")
    f = sp.expand(expr.xreplace({atom: x}))
    if f.has(atom):
        return None
    slope = sp.diff(f, x)
    return None if slope.has(x) else slope


def _combination_of_facts(gap, facts) -> bool:
    rest = sp.expand(gap)
    for i, fact in enumerate(facts):
        others = set().union(*(_atoms(f) for j, f in enumerate(facts) if j != i))
        for atom in sorted(_atoms(fact) - others, key=sp.default_sort_key):
            in_fact, in_gap = _linear_coefficient(fact, atom), _linear_coefficient(rest, atom)
            if not in_fact or in_gap is None or in_gap == 0:
                continue
            multiple = simplify_traces_opaque(in_gap / in_fact)
            if nonnegative(multiple):
                rest = sp.expand(rest - multiple * fact)
                break
    return nonnegative(rest) or _factored_nonnegative(rest)


def positive(expr) -> bool:
    """True when ``expr`` is visibly ``> 0``: exponentials, positive symbols, their products,
    sums of nonnegative terms with one positive term.

    >>> positive(sp.exp(sp.Symbol('s')) / 2)
    True
    """
    expr = sp.sympify(expr)
    if expr.is_number:
        return bool(expr > 0)
    if expr.is_positive or isinstance(expr, sp.exp):
        return True
    if isinstance(expr, sp.Mul):
        return all(positive(a) for a in expr.args)
    if isinstance(expr, sp.Add):
        return all(nonnegative(a) for a in expr.args) and any(positive(a) for a in expr.args)
    if isinstance(expr, sp.Pow):
        return positive(expr.base) and bool(expr.exp.is_real)
    return False


def nonnegative(expr, facts=frozenset()) -> bool:
    """True when ``expr`` is visibly ``>= 0``: sums and products of known-nonnegative parts.

    >>> a = sp.MatrixSymbol('a', 3, 1)
    >>> nonnegative(sp.Trace(a.T*a) + sp.exp(sp.Symbol('x')))
    True
    """
    expr = sp.sympify(expr)
    if expr.is_number:
        return bool(expr >= 0)
    if expr in facts or expr.is_nonnegative:
        return True
    if isinstance(expr, sp.Trace) and _is_gram(expr.arg):
        return True
    if isinstance(expr, sp.exp):
        return True
    if isinstance(expr, sp.Add):
        return all(nonnegative(a, facts) for a in expr.args)
    if isinstance(expr, sp.Mul):
        return all(nonnegative(a, facts) for a in expr.args)
    if isinstance(expr, sp.Pow):
        return (expr.exp.is_even is True) or (nonnegative(expr.base, facts) and expr.exp.is_real)
    return False


def _is_gram(arg) -> bool:
    factors = list(arg.args) if isinstance(arg, sp.MatMul) else [arg]
    if len(factors) % 2:
        return False
    half = len(factors) // 2
    left, right = factors[:half], factors[half:]
    return [sp.Transpose(f).doit() for f in reversed(left)] == right


@dataclass
class TermwiseBound(Rule):
    """Average of a termwise bound: ``avg_m f(ω_m) <= avg_m g(ω_m)`` when claim ``ref``
    states ``f(ω) <= g(ω)`` for every ``ω``."""

    ref: str = ""
    name = "average of a termwise bound"
    relations = ("<=",)

    def symbolic(self, prev, nxt, ctx) -> Decision:
        from .objects import FeatureAverage

        claim = ctx.referenced_claim(self.ref)
        if claim.relation not in ("<=", "<"):
            return Decision(None, f"{self.ref} is not an inequality", explicit_fallback=False)
        if not (isinstance(prev, FeatureAverage) and isinstance(nxt, FeatureAverage)
                and prev.variable == nxt.variable and prev.draws == nxt.draws):
            return Decision(None, "both sides must average over the same draws", explicit_fallback=False)
        same = _equal(prev.summand, claim.lhs) and _equal(nxt.summand, claim.rhs)
        return Decision(True if same else None,
                        "" if same else f"the summands are not the two sides of {self.ref}",
                        explicit_fallback=False)

    def describe(self) -> str:
        return f"averaging {self.ref}"

    def references(self) -> tuple:
        return (self.ref,)


@dataclass
class ScalarMultipleIff(Rule):
    """``X = Y  ⟺  c = 0`` when ``X - Y = c·A`` with ``A ≠ 0`` (a hypothesis).

    The step's statements are ``Eq(X, Y)`` and ``Eq(u, v)`` with ``c = u - v``.
    """

    factor: sp.Basic = None
    by: str = ""
    name = "scalar multiple of a nonzero matrix"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        if not ctx.is_nonzero(self.factor):
            return Decision(None, f"no hypothesis that {self.factor} is nonzero", explicit_fallback=False)
        c = nxt.lhs - nxt.rhs
        difference = prev.lhs - prev.rhs
        if self.by:
            lhs, rhs = ctx.equation(self.by)
            if _equal(lhs, difference) is not True:
                return Decision(None, f"{self.by} is not about {difference}", explicit_fallback=False)
            difference = rhs
        return Decision(_equal(difference, c * self.factor), explicit_fallback=False)

    def describe(self) -> str:
        return f"{self.by}, and {self.factor} is nonzero" if self.by else self.name

    def references(self) -> tuple:
        return (self.by,) if self.by else ()


@dataclass
class SolveFor(Rule):
    """``u = v  ⟺  x = s`` when ``u - v`` is linear in ``x`` with a nonzero coefficient."""

    symbol: sp.Symbol = None
    name = "solving a linear equation"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        x = self.symbol
        if nxt.lhs != x:
            return Decision(None, f"the step should read {x} = …", explicit_fallback=False)
        diff = sp.expand(prev.lhs - prev.rhs)
        slope = sp.diff(diff, x)
        if sp.diff(slope, x) != 0 or slope.has(x):
            return Decision(None, f"not linear in {x}", explicit_fallback=False)
        if not (slope.is_nonzero or slope.is_positive or slope.is_negative):
            return Decision(None, f"coefficient {slope} of {x} may vanish", explicit_fallback=False)
        solution = sp.solve(sp.Eq(prev.lhs, prev.rhs), x)
        if len(solution) != 1:
            return Decision(None, f"expected one solution for {x}, got {solution}", explicit_fallback=False)
        return Decision(_equal(solution[0], nxt.rhs), explicit_fallback=False)


@dataclass
class Cited(Rule):
    """A named result from the literature: shown as cited, never counted as proved.

    ``instance``, when given, is the theorem as instantiated at the one step that uses it:
    ``(left, right)``. The checker then requires the step to read exactly ``left ≤ right``
    (up to algebra), so a cited theorem cannot be applied to a changed expression; without
    it, only the numbers check the step.

    >>> Cited('Jensen', 'Jensen 1906').cited
    True
    """

    theorem: str = ""
    reference_text: str = ""
    instance: tuple = ()
    cited = True
    name = "cited"

    @property
    def reference(self) -> str:
        return self.reference_text

    def symbolic(self, prev, nxt, ctx) -> Decision:
        return Decision(None, f"cited: {self.theorem}", explicit_fallback=False)

    def describe(self) -> str:
        return f"{self.theorem} (cited)"
