"""A corpus of results a user of iclkd would write, with the truth of each one.

Each module (``matrix_calculus.py``, ``inverses.py``, ``trace_kron_hadamard.py``,
``scalar_facts.py``, ``small_sizes.py``, ``domains.py``) is an ordinary user module:
``iclkd check --file tests/corpus/inverses.py`` checks it. Besides ``RESULTS`` it has
``EXPECTED``, mapping every result id to ``True`` (the statement is true) or ``False``;
the labels come from the references and the mathematics in each result's notes, and are
cross-checked by independent NumPy oracles in ``tests/test_corpus.py``, never by iclkd.

The soundness criterion the corpus measures: a false result is never ``verified`` and a
true result is never ``refuted`` (``benchmarks/corpus_sweep.py`` runs it over many seeds).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def module_paths() -> list[Path]:
    """The corpus modules, in name order.

    >>> [p.name for p in module_paths()][:2]
    ['domains.py', 'inverses.py']
    """
    return sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_"))


def expected_of(path) -> dict:
    """The ``EXPECTED`` table of the corpus module at ``path`` (imported afresh).

    >>> table = expected_of(HERE / 'scalar_facts.py')
    >>> table['SF1'], table['SF1_4']
    (True, False)
    """
    spec = importlib.util.spec_from_file_location(f"corpus_expected_{Path(path).stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.EXPECTED)
