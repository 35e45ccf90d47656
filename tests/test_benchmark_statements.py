"""The benchmark times what it says: its evaluator check and its bare NumPy check compute the
same statements (no timings here; those live in benchmarks/)."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from iclkd.paper import load_paper

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_engine.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_engine", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def timed(bench):
    return bench.statements(load_paper("brewing").registry())


@pytest.fixture(scope="module")
def small_env(bench):
    return bench.realistic_env(np.random.default_rng(3), 5, 4, d_k=4, m=8, d_v=3)


def test_the_timed_statements_are_r4_r5_and_r6s_step_and_prediction(timed):
    assert [name for name, *_ in timed] == ["R4", "R5", "R6(b)", "R6(c)"]


def test_the_evaluator_check_passes_each_timed_statement(bench, timed, small_env):
    for name, lhs, rhs, definitions in timed:
        assert bench.evaluator_check(bench.frozen_instance(small_env), lhs, rhs, definitions), name


def test_the_evaluator_check_refutes_a_doubled_right_side(bench, timed, small_env):
    for name, lhs, rhs, definitions in timed:
        assert not bench.evaluator_check(bench.frozen_instance(small_env), lhs, 2 * rhs, definitions), name


def test_the_bare_check_computes_the_same_identities_to_roundoff(bench, timed, small_env):
    for name, *_ in timed:
        gap = bench.bare_check(bench.frozen_instance(small_env), name)
        assert 0 <= gap < 1e-13, (name, gap)



@pytest.fixture(scope="module")
def realistic_env(bench):
    return bench.realistic_env(np.random.default_rng(4), 256, 256)


@pytest.mark.parametrize("generic", [False, True])
@pytest.mark.parametrize("name", ["R4", "R5", "R6(b)", "R6(c)"])
def test_the_rigorous_by_hand_check_passes_each_statement_at_both_sizes(bench, name, generic, small_env,
                                                                         realistic_env):
    for env in (small_env, realistic_env):
        assert bench.by_hand_check(bench.frozen_instance(env), name, generic=generic), name


@pytest.mark.parametrize("generic", [False, True])
@pytest.mark.parametrize("name", ["R4", "R5", "R6(b)", "R6(c)"])
@pytest.mark.parametrize("factor", [2.0, -1.0, 1 + 1e-9])
def test_the_rigorous_by_hand_check_refutes_a_scaled_right_side(bench, name, factor, generic, small_env,
                                                                 realistic_env):
    # 1 + 1e-9 moves the largest entries by 1e-9 of their size; the bounds there are about 1e-12 of it.
    for env in (small_env, realistic_env):
        assert not bench.by_hand_check(bench.frozen_instance(env), name, factor, generic), (name, factor)


@pytest.mark.parametrize("generic", [False, True])
def test_the_rigorous_by_hand_check_fails_on_nan(bench, generic, small_env):
    env = bench.frozen_instance(small_env)
    values = np.array(env[bench.nt.V_T])
    values[0, 0] = np.nan
    env[bench.nt.V_T] = values
    for name in ("R4", "R5", "R6(b)", "R6(c)"):
        assert not bench.by_hand_check(env, name, generic=generic), name
