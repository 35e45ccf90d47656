"""Engine benchmark: check wall time, symbolic-vs-naive proof time, numeric-check overhead.

Usage: python benchmarks/bench_engine.py [--sizes 2 3 4 5 6] [--naive-timeout 60] [--repeats 5]
       [--instances 31] [--skip-cli] [--only numeric] [--blas-threads N] [--system-malloc]

Prints four tables, 3 first (timings are measured here, never asserted, never in tests):

1. ``iclkd check`` wall time per result and for all results, each in a fresh process.
2. Symbolic proof time at symbolic dimensions (the rules' decisions and the chain's end)
   against the naive way: the same identity, definitions substituted, on explicit n×n
   matrices (``as_explicit()``, gradients entry by entry, ``simplify`` per entry), for each n
   until one takes longer than ``--naive-timeout``. SymPy's cache is cleared before each run.
3. Numeric-check cost at a realistic size (d_k = 64, N + T = 512, M = 1024, d_v = 64): the
   evaluator with its rounding-error bounds on R4/R5/R6's statements (definitions filled in,
   both sides, the comparison with its tolerance) against the bare NumPy products the check
   needs (each product once, shared by both sides, and the largest difference), each on a
   fresh frozen instance (nothing remembered from an earlier run), best of ``--instances``;
   and the floor: the bare check made rigorous by hand (``by_hand_check``), with a generic
   bound (each side on its own, as the evaluator must) and with one specific to the statement.
   R6's gradient is taken in its closed form (claim (a)): central differences in all 65 536
   entries of W are not a realistic cost. The column "at tiny size" is the evaluator's check at
   d_k = 2, N + T = 4, M = 4: the interpreter's share, which does not grow with the sizes.
4. Growth: ``check_all`` time against ``--trials``, and the R5 check against N + T.

``--blas-threads N`` runs NumPy's BLAS with N threads (it sets ``OPENBLAS_NUM_THREADS`` and
friends before NumPy is imported); by default BLAS uses every core.

The timings run with glibc told to keep freed memory (``mallopt``: no trimming, no ``mmap`` below
32 MiB) so that no check pays the kernel for zeroing fresh pages: on this VM that costs about
2 µs per 4 KiB page, 0.25 ms for one 512 KiB array, and which check pays it depends on what the
one before it freed (a bare check then ran slower than the evaluator's). ``--system-malloc``
keeps glibc's defaults.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

if "--blas-threads" in sys.argv[:-1]:  # before NumPy loads its BLAS
    _threads = sys.argv[sys.argv.index("--blas-threads") + 1]
    for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_name] = _threads

import numpy as np
import sympy as sp


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse (see the module docstring); False if it cannot."""
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # from <malloc.h>
    return bool(libc.mallopt(m_mmap_threshold, 32 << 20)) and bool(libc.mallopt(m_trim_threshold, 1 << 30))


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iclkd.check import CheckSettings, check_all  # noqa: E402
from iclkd.numeric_checks.compare import compare_float  # noqa: E402
from iclkd.numeric_checks.bounds import note_nonnegative  # noqa: E402
from iclkd.numeric_checks.evaluate import Evaluator  # noqa: E402
from iclkd.numeric_checks.frozen import freeze  # noqa: E402
from iclkd.numeric_checks.instances import define_all, needed_definitions  # noqa: E402
from iclkd.derivations.brewing.tokens import positive_features  # noqa: E402
from iclkd.symbolic.algebra import is_zero  # noqa: E402
from iclkd.symbolic.context import ProofContext  # noqa: E402
from iclkd.symbolic.objects import Gradient  # noqa: E402
from iclkd.paper import load_paper  # noqa: E402
from iclkd.symbolic.rules import _subs as substitute  # noqa: E402
from iclkd.symbolic.timing import time_limit  # noqa: E402
from iclkd.errors import StepTimeout  # noqa: E402
from iclkd.derivations.brewing import notation as nt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
U = 2.0 ** -53  # unit roundoff of float64
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
    env = {nt.d_v: d_v, nt.M: m, nt.N: n_demo, nt.T: n_query, nt.d_k: d_k, nt.eta: 0.7,
           nt.V_D: values[:n_demo].T, nt.V_T: values[n_demo:].T, nt.Phi_D: feats[:n_demo].T,
           nt.Phi_T: feats[n_demo:].T, nt.phi_q: fq[:, None]}
    return frozen_instance(env)


def frozen_instance(env):
    """Fresh frozen copies of the arrays, the features stated nonnegative: what make_instance
    hands the checker (its feature sampler declares its support)."""
    out = dict(env)
    for name in (nt.V_D, nt.V_T, nt.Phi_D, nt.Phi_T, nt.phi_q):
        out[name] = freeze(np.array(env[name]))
    for name in (nt.Phi_D, nt.Phi_T, nt.phi_q):
        note_nonnegative(out[name])
    return out


def statements(registry):
    """(name, lhs, rhs, definitions it needs) of the timed statements; the definitions are
    found once per claim, as the checker does, not per instance."""
    r4, r5, r6 = (registry.get(i) for i in ("R4", "R5", "R6"))
    closed = -r6.claim("(a)").rhs  # −∇L_T(W) in closed form, at any W
    step = nt.W_0 + nt.eta * closed
    rows = [("R4", r4.claims[0].lhs, r4.claims[0].rhs, r4), ("R5", r5.claims[0].lhs, r5.claims[0].rhs, r5),
            ("R6(b)", step, nt.W, r6), ("R6(c)", nt.h_hat, step * nt.phi_q, r6)]
    return [(name, lhs, rhs, needed_definitions([lhs, rhs], ProofContext(result, registry, 0).sampling_definitions()))
            for name, lhs, rhs, result in rows]


def evaluator_check(env, lhs, rhs, definitions):
    """What the checker does with one fresh instance: the definitions evaluated as
    make_instance does (one evaluator, one memo), both sides, the comparison with the
    rounding-error tolerance."""
    evaluator = Evaluator(env, memo={})
    define_all(evaluator, definitions)
    return compare_float(evaluator.value(lhs), evaluator.value(rhs)).holds


def bare_check(env, name):
    """The products the statement needs, each computed once, in plain NumPy, and the
    largest difference (``multi_dot`` picks the cheap order for the vector chains)."""
    vd, vt, pd, pt, q, eta = (env[s] for s in (nt.V_D, nt.V_T, nt.Phi_D, nt.Phi_T, nt.phi_q, nt.eta))
    d = float((q.T @ pd).sum() + (q.T @ pt).sum())  # D' = φᵀ Φ_D 1 + φᵀ Φ_T 1
    a, b = vd @ pd.T, vt @ pt.T  # V_D Φ_Dᵀ and V_T Φ_Tᵀ
    if name in ("R4", "R6(c)"):
        h = np.linalg.multi_dot([np.hstack([vd, vt]), np.vstack([pd.T, pt.T]), q]) / d
    if name == "R4":
        return np.max(np.abs(h - ((a + b) / d) @ q))
    if name == "R5":
        return np.max(np.abs((a + b) / d - (a / d + b / d)))
    step = a / d + eta * (b / (eta * d))  # W_0 + η (−∇L_T) in closed form
    if name == "R6(b)":
        return np.max(np.abs(step - (a + b) / d))
    return np.max(np.abs(h - step @ q))


def by_hand_check(env, name, right_factor=1.0, generic=False):
    """The bare check made rigorous by hand: the same products, and each side's rounding error
    bounded with the cheapest bound the statement allows (``u`` = 2⁻⁵³, ``γ_k = k u/(1 − k u)``).

    R5 and R6(b) compare elementwise functions of the shared products ``ã = fl(V_D Φ_Dᵀ)``,
    ``b̃`` and ``d̃ = fl(D')`` that are equal for any values of those, so only the elementwise
    operations round: ``|left − right| ≤ 4u (|ã| + |b̃|)/d̃`` (R5) and ``6u (…)`` (R6(b)) to first
    order; ``8u`` is used. R4 and R6(c) compute ``h`` as ``[V_D V_T]([Φ_Dᵀ; Φ_Tᵀ] φ)/d̃`` and
    the right side through ``ã + b̃``: each side is within ``(γ_{M+N+T} + 5u)|X| Y φ / d̃`` of
    ``X Y φ / d̃`` to first order (``Y, φ ≥ 0``), where ``X = [V_D V_T]``; ``4γ_{M+N+T+8}`` covers
    both sides, the second-order terms and the rounding of the bound itself. A NaN or inf fails. ``right_factor`` scales the right side
    (the tests refute a doubled one).

    ``generic=True`` gives R5 and R6(b) no credit for the shared products, as the engine's
    bounds (sound for any statement) cannot: each side is within ``(γ_N + 5u)(|V_D||Φ_D|ᵀ +
    |V_T||Φ_T|ᵀ)/d̃`` of the exact value (N ≥ T here), bounded entrywise by Cauchy–Schwarz on
    rows, ``‖V_D[i,:]‖ ‖Φ_D[j,:]‖``; ``4γ_{N+5}`` covers both sides and the rounding of the bound.
    (``d̃`` is still taken as given: its own rounding would change the coefficient, not the cost.)
    R4 and R6(c) are unchanged (their bound has no shared product to take credit for).
    """
    vd, vt, pd, pt, q, eta = (env[s] for s in (nt.V_D, nt.V_T, nt.Phi_D, nt.Phi_T, nt.phi_q, nt.eta))
    d = float((q.T @ pd).sum() + (q.T @ pt).sum())
    a, b = vd @ pd.T, vt @ pt.T
    if name in ("R4", "R6(c)"):
        x, yq = np.hstack([vd, vt]), np.vstack([pd.T, pt.T]) @ q
        left = (x @ yq) / d
        total = sum(pd.shape) + pt.shape[1] + 8
        size = (np.abs(x) @ yq) * (4 * total * U / (1 - total * U) / d)
    elif generic:
        n = pd.shape[1] + 5
        size = _cauchy_schwarz(vd, pd, vt, pt) * (4 * n * U / (1 - n * U) / d)
    else:
        size = (np.abs(a) + np.abs(b)) * (8 * U / d)
    if name == "R4":
        right = ((a + b) / d) @ q
    elif name == "R5":
        left, right = (a + b) / d, a / d + b / d
    elif name == "R6(b)":
        left, right = a / d + eta * (b / (eta * d)), (a + b) / d
    else:
        right = (a / d + eta * (b / (eta * d))) @ q
    return bool(np.all(np.abs(left - right_factor * right) <= size))


def _cauchy_schwarz(vd, pd, vt, pt):
    """``‖V_D[i,:]‖ ‖Φ_D[j,:]‖ + ‖V_T[i,:]‖ ‖Φ_T[j,:]‖`` ≥ ``(|V_D||Φ_D|ᵀ + |V_T||Φ_T|ᵀ)_ij``."""
    def rows(x):
        return np.sqrt(np.einsum("ij,ij->i", x, x))
    return np.stack([rows(vd), rows(vt)], axis=1) @ np.stack([rows(pd), rows(pt)], axis=0)


def fresh_times(base, checks, repeats):
    """Wall times of each of ``checks`` on ``repeats`` fresh frozen copies of the instance (one
    row per repeat): each run starts with nothing computed on it (no memo, no remembered norms).
    The checks take turns within each repeat, in an order rotated from one repeat to the next,
    so that a drift of this machine's speed, or the cache state one check leaves to the next,
    reaches all of them alike."""
    times = np.zeros((repeats, len(checks)))
    for r in range(repeats):
        for k in np.roll(np.arange(len(checks)), r):
            env = frozen_instance(base)
            start = time.perf_counter()
            checks[k](env)
            times[r, k] = time.perf_counter() - start
    return times


def fresh_best(base, checks, repeats):
    """The best time of each check over :func:`fresh_times`."""
    return list(fresh_times(base, checks, repeats).min(axis=0))


def paired_ratio(times, k, base_k) -> float:
    """The median over repeats of ``time[k] / time[base_k]`` measured in the same repeat: this
    machine's speed wanders from second to second, which a ratio of two best times would
    compare across (the rows of :func:`fresh_times` are a few milliseconds apart)."""
    return float(np.median(times[:, k] / times[:, base_k]))


def bench_numeric(registry, repeats):
    base = realistic_env(np.random.default_rng(0), 256, 256)
    tiny = realistic_env(np.random.default_rng(0), 2, 2, d_k=2, m=4, d_v=2)
    rows = []
    for name, lhs, rhs, definitions in statements(registry):
        assert evaluator_check(frozen_instance(base), lhs, rhs, definitions), name
        assert by_hand_check(frozen_instance(base), name) and by_hand_check(frozen_instance(base), name, generic=True)
        times = fresh_times(base, [lambda env: evaluator_check(env, lhs, rhs, definitions),
                                   lambda env: by_hand_check(env, name, generic=True),
                                   lambda env: by_hand_check(env, name),
                                   lambda env: bare_check(env, name)], repeats)
        ev, generic, hand, bare = times.min(axis=0)
        small, = fresh_best(tiny, [lambda env: evaluator_check(env, lhs, rhs, definitions)], 5 * repeats)
        rows.append((name, f"{1000 * ev:.2f}", f"{1000 * small:.2f}", f"{1000 * generic:.2f}", f"{1000 * hand:.2f}",
                     f"{1000 * bare:.2f}", f"{paired_ratio(times, 0, 3):.2f}x", f"{paired_ratio(times, 1, 3):.2f}x",
                     f"{paired_ratio(times, 2, 3):.2f}x"))
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    blas = f"BLAS on {threads} thread{'s' if threads != '1' else ''}" if threads else "BLAS on every core"
    print(f"### Numeric check at d_k = 64, N + T = 512, M = 1024, d_v = 64 ({repeats} fresh instances; {blas})\n")
    print("Times are the best of the runs; ratios the median of ratios within a run.\n")
    print_table(("statement", "evaluator ms", "at tiny size ms", "generic by hand ms", "specific by hand ms",
                 "bare NumPy ms", "evaluator / bare", "generic / bare", "specific / bare"), rows)


# ---------------------------------------------------------------- 4. growth

def bench_growth(registry, instances):
    check_all(list(registry), registry, CheckSettings(trials=1))  # warm: imports and SymPy's caches
    rows = []
    for trials in (1, 2, 4, 8, 16):
        times = []
        for _ in range(2):  # this machine's timings wander by ±20 %: the better of two runs
            start = time.perf_counter()
            check_all(list(registry), registry, CheckSettings(trials=trials))
            times.append(time.perf_counter() - start)
        rows.append((f"--trials {trials}", f"{min(times):.2f}"))
    print("### `check_all` (every result, one process, after a warm-up run; best of 2) against --trials\n")
    print_table(("setting", "seconds"), rows)
    rows = []
    _, lhs, rhs, definitions = statements(registry)[1]
    for total in (64, 128, 256, 512, 1024, 2048):
        base = realistic_env(np.random.default_rng(1), total // 2, total - total // 2)
        times = fresh_times(base, [lambda env: evaluator_check(env, lhs, rhs, definitions),
                                   lambda env: bare_check(env, "R5")], instances)
        ev, bare = times.min(axis=0)
        rows.append((total, f"{1000 * ev:.1f}", f"{1000 * bare:.1f}", f"{paired_ratio(times, 0, 1):.2f}x"))
    print(f"### R5's numeric check against N + T (d_k = 64, M = 1024, d_v = 64, best of {instances})\n")
    print_table(("N + T", "evaluator ms", "bare NumPy ms", "ratio"), rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 3, 4, 5, 6])
    parser.add_argument("--naive-timeout", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--instances", type=int, default=31,
                        help="fresh instances per numeric timing, the best one reported (default: 31)")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--only", choices=["numeric"], help="only the numeric-overhead table")
    parser.add_argument("--blas-threads", type=int, help="BLAS threads (default: every core)")
    parser.add_argument("--system-malloc", action="store_true", help="keep glibc's default trimming of freed memory")
    args = parser.parse_args()
    if not args.system_malloc and not keep_freed_memory():
        print("note: could not set glibc's malloc options; timings include fresh-page faults\n")
    registry = load_paper("brewing").registry()
    if args.only == "numeric":
        bench_numeric(registry, args.instances)
        return
    # The numeric timings first: this VM runs slower after minutes of full load (the naive proofs).
    bench_numeric(registry, args.instances)
    if not args.skip_cli:
        bench_cli(registry, max(1, args.repeats // 2))
    bench_symbolic(registry, args.sizes, args.naive_timeout)
    bench_growth(registry, args.instances)


if __name__ == "__main__":
    main()
