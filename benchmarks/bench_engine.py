"""Engine benchmark: check wall time, symbolic-vs-naive proof time, numeric-check overhead.

Usage: python benchmarks/bench_engine.py [--sizes 2 3 4 5] [--naive-timeout 60] [--repeats 5]
       [--skip-cli] [--markdown]

Prints four tables (asserts nothing; timings are measured here, never in tests):

1. ``iclkd check`` wall time per result and for all results, each in a fresh process.
2. Symbolic proof time at symbolic dimensions (the rules' decisions and the chain's end)
   against the naive way: the same identity, definitions substituted, on explicit n×n
   matrices (``as_explicit()``, gradients entry by entry, ``simplify`` per entry), for each n
   until one takes longer than ``--naive-timeout``. SymPy's cache is cleared before each run.
3. Numeric-check cost at a realistic size (d_k = 64, N + T = 512, M = 1024, d_v = 64): the
   evaluator with its rounding-error bounds on R4/R5/R6's statements (definitions filled in,
   both sides, the comparison) against the bare NumPy products the check needs
   (``multi_dot``: the same products, no bounds). R6's gradient is taken in its closed form
   (claim (a)): central differences in all 65 536 entries of W are not a realistic cost.
4. Growth: ``check_all`` time against ``--trials``, and the R5 check against N + T.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iclkd.check import CheckSettings, check_all  # noqa: E402
from iclkd.numeric_checks.compare import compare_float  # noqa: E402
from iclkd.numeric_checks.evaluate import Evaluator  # noqa: E402
from iclkd.numeric_checks.instances import needed_definitions  # noqa: E402
from iclkd.numeric_checks.tokens import positive_features  # noqa: E402
from iclkd.symbolic.algebra import is_zero  # noqa: E402
from iclkd.symbolic.context import ProofContext  # noqa: E402
from iclkd.symbolic.objects import Gradient  # noqa: E402
from iclkd.symbolic.registry import default_registry  # noqa: E402
from iclkd.symbolic.rules import _subs as substitute  # noqa: E402
from iclkd.symbolic.timing import time_limit  # noqa: E402
from iclkd.errors import StepTimeout  # noqa: E402
from iclkd.derivations import notation as nt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IDENTITIES = (("R5", ""), ("R6", "(a)"), ("R7", "(a)"), ("R8", "(a)"))


def print_table(header, rows):
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    print()


# ---------------------------------------------------------------- 1. CLI wall time

def cli_seconds(ids, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "iclkd", "check", "--quiet", *ids], capture_output=True,
                             text=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if out.returncode != 0:
            raise SystemExit(f"iclkd check {' '.join(ids)} exited {out.returncode}:\n{out.stdout}{out.stderr}")
    return statistics.median(times)


def bench_cli(registry, repeats):
    rows = [(r.id, f"{cli_seconds([r.id], repeats):.2f}") for r in registry]
    rows.append(("all", f"{cli_seconds([], repeats):.2f}"))
    print(f"### `iclkd check` wall time (fresh process, median of {repeats})\n")
    print_table(("result", "seconds"), rows)


# ---------------------------------------------------------------- 2. symbolic vs naive

def engine_seconds(registry, rid, name):
    result = registry.get(rid)
    idx = [c.name for c in result.claims].index(name)
    ctx, claim = ProofContext(result, registry, idx), result.claims[idx]
    sp.core.cache.clear_cache()
    start = time.perf_counter()
    prev = claim.lhs
    for step in claim.proof:
        assert step.rule.symbolic(prev, step.expr, ctx).equal is True, (rid, name, step)
        prev = step.expr
    assert prev == claim.rhs or is_zero(prev - claim.rhs) is True
    return time.perf_counter() - start


def _substituted(expr, ctx):
    """Every definition substituted (not for a gradient's bound variable), until none is left."""
    defs = ctx.sampling_definitions()
    for _ in range(len(defs) + 1):
        new = expr
        for sym, value in defs:
            new = substitute(new, sym, value)
        if new == expr:
            return expr
        expr = new
    return expr


def _explicit(expr):
    mats = {m: m.as_explicit() for m in expr.atoms(sp.MatrixSymbol)}
    return expr.xreplace(mats).doit()


def _explicit_gradients(expr):
    def grad(g):
        f = _explicit(g.function)
        w = g.variable.as_explicit()
        at = dict(zip(w, _explicit(g.point)))
        return sp.ImmutableMatrix(w.rows, w.cols, [sp.diff(f, w[i, j]).xreplace(at)
                                                    for i in range(w.rows) for j in range(w.cols)])
    return expr.replace(lambda e: isinstance(e, Gradient), grad)


def naive_seconds(registry, rid, name, n):
    """The identity at explicit size n (every dimension n), entry by entry; None if it fails."""
    result = registry.get(rid)
    idx = [c.name for c in result.claims].index(name)
    ctx, claim = ProofContext(result, registry, idx), result.claims[idx]
    dims = {d: n for d in (nt.d, nt.d_k, nt.d_v, nt.N, nt.T, nt.M)}
    sp.core.cache.clear_cache()
    start = time.perf_counter()
    diff = _substituted(claim.lhs - claim.rhs, ctx).xreplace(dims)
    diff = _explicit(_explicit_gradients(diff))
    entries = diff.as_explicit() if getattr(diff, "is_Matrix", False) else [diff]
    for entry in entries:
        assert sp.simplify(entry) == 0, (rid, name, n, entry)
    return time.perf_counter() - start


def bench_symbolic(registry, sizes, limit):
    rows = []
    for rid, name in IDENTITIES:
        engine = min(engine_seconds(registry, rid, name) for _ in range(3))
        for n in sizes:
            try:
                with time_limit(limit):
                    naive = naive_seconds(registry, rid, name, n)
            except StepTimeout:
                rows.append((f"{rid}{name}", f"{engine:.3f}", n, f"> {limit:g}", f"> {limit / engine:.0f}x"))
                break
            rows.append((f"{rid}{name}", f"{engine:.3f}", n, f"{naive:.2f}", f"{naive / engine:.0f}x"))
    print("### Symbolic proof at symbolic dimensions vs naive explicit n×n (entry-by-entry simplify)\n")
    print_table(("identity", "engine s", "n", "naive s", "naive / engine"), rows)


# ---------------------------------------------------------------- 3. numeric overhead

def realistic_env(rng, n_demo, n_query, d_k=64, m=1024, d_v=64):
    keys = rng.normal(0, 0.25, (n_demo + n_query, d_k))
    omegas = rng.standard_normal((d_k, m))
    feats = np.array([positive_features(omegas, k) for k in keys])
    fq = positive_features(omegas, rng.normal(0, 0.25, d_k))
    values = rng.normal(size=(n_demo + n_query, d_v))
    return {nt.d_v: d_v, nt.M: m, nt.N: n_demo, nt.T: n_query, nt.d_k: d_k, nt.eta: 0.7,
            nt.V_D: values[:n_demo].T, nt.V_T: values[n_demo:].T, nt.Phi_D: feats[:n_demo].T,
            nt.Phi_T: feats[n_demo:].T, nt.phi_q: fq[:, None]}


def statements(registry):
    """(name, lhs, rhs, result used for definitions) of the timed statements."""
    r4, r5, r6 = (registry.get(i) for i in ("R4", "R5", "R6"))
    closed = -r6.claim("(a)").rhs  # −∇L_T(W) in closed form, at any W
    step = nt.W_0 + nt.eta * closed
    return [("R4", r4.claims[0].lhs, r4.claims[0].rhs, r4), ("R5", r5.claims[0].lhs, r5.claims[0].rhs, r5),
            ("R6(b)", step, nt.W, r6), ("R6(c)", nt.h_hat, step * nt.phi_q, r6)]


def evaluator_check(env, lhs, rhs, result, registry):
    """What the checker does on one instance: the definitions the statement needs, both
    sides, the comparison with the rounding-error tolerance."""
    full = dict(env)
    for sym, value in needed_definitions([lhs, rhs], ProofContext(result, registry, 0).sampling_definitions()):
        full[sym] = Evaluator(full).value(value)
    return compare_float(Evaluator(full).value(lhs), Evaluator(full).value(rhs)).holds


def bare_check(env, name):
    """The products the check needs, in plain NumPy (``multi_dot`` picks the cheap order)."""
    vd, vt, pd, pt, q = (env[s] for s in (nt.V_D, nt.V_T, nt.Phi_D, nt.Phi_T, nt.phi_q))
    d = float(np.linalg.multi_dot([q.T, pd, np.ones((pd.shape[1], 1))])[0, 0]
              + np.linalg.multi_dot([q.T, pt, np.ones((pt.shape[1], 1))])[0, 0])
    a, b = vd @ pd.T, vt @ pt.T
    w = (a + b) / d
    if name == "R4":
        h = np.linalg.multi_dot([np.hstack([vd, vt]), np.hstack([pd, pt]).T, q]) / d
        return np.max(np.abs(h - w @ q))
    w0, dw = vd @ pd.T / d, vt @ pt.T / d
    if name == "R5":
        return np.max(np.abs(w - (w0 + dw)))
    step = w0 + env[nt.eta] * (vt @ pt.T / (env[nt.eta] * d))
    if name == "R6(b)":
        return np.max(np.abs(step - w))
    h = np.linalg.multi_dot([np.hstack([vd, vt]), np.hstack([pd, pt]).T, q]) / d
    return np.max(np.abs(h - step @ q))


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_numeric(registry, repeats):
    env = realistic_env(np.random.default_rng(0), 256, 256)
    rows = []
    for name, lhs, rhs, result in statements(registry):
        assert evaluator_check(env, lhs, rhs, result, registry), name
        ev = best_of(lambda: evaluator_check(env, lhs, rhs, result, registry), repeats)
        bare = best_of(lambda: bare_check(env, name), repeats)
        rows.append((name, f"{1000 * ev:.1f}", f"{1000 * bare:.1f}", f"{ev / bare:.2f}x"))
    print(f"### Numeric check at d_k = 64, N + T = 512, M = 1024, d_v = 64 (best of {repeats})\n")
    print_table(("statement", "evaluator ms", "bare NumPy ms", "ratio"), rows)


# ---------------------------------------------------------------- 4. growth

def bench_growth(registry, repeats):
    rows = []
    for trials in (1, 2, 4, 8, 16):
        start = time.perf_counter()
        check_all(list(registry), registry, CheckSettings(trials=trials))
        rows.append((f"--trials {trials}", f"{time.perf_counter() - start:.2f}"))
    print("### `check_all` (every result, one process) against --trials\n")
    print_table(("setting", "seconds"), rows)
    rows = []
    r5 = registry.get("R5")
    for total in (64, 128, 256, 512, 1024, 2048):
        env = realistic_env(np.random.default_rng(1), total // 2, total - total // 2)
        ev = best_of(lambda: evaluator_check(env, r5.claims[0].lhs, r5.claims[0].rhs, r5, registry), repeats)
        bare = best_of(lambda: bare_check(env, "R5"), repeats)
        rows.append((total, f"{1000 * ev:.1f}", f"{1000 * bare:.1f}", f"{ev / bare:.2f}x"))
    print("### R5's numeric check against N + T (d_k = 64, M = 1024, d_v = 64)\n")
    print_table(("N + T", "evaluator ms", "bare NumPy ms", "ratio"), rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 3, 4, 5, 6])
    parser.add_argument("--naive-timeout", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    registry = default_registry()
    if not args.skip_cli:
        bench_cli(registry, max(1, args.repeats // 2))
    bench_symbolic(registry, args.sizes, args.naive_timeout)
    bench_numeric(registry, args.repeats)
    bench_growth(registry, args.repeats)


if __name__ == "__main__":
    main()
