"""``check --jobs``: results checked on several processes give the same reports, dependency
adjustments included, as one process (timings apart)."""
from __future__ import annotations

import json
import textwrap

from iclkd.check import CheckSettings, check_all
from iclkd.cli import main
from iclkd.parallel import default_jobs

MODULE = textwrap.dedent('''
    import sympy as sp
    from iclkd import Algebra, Claim, Result, Step
    x, y = sp.symbols('x y', real=True)
    RESULTS = [
        Result('U1', 'Lemma 1', 'true', claims=(Claim('', (x + 1)**2, x**2 + 2*x + 1,
                                                      proof=(Step(x**2 + 2*x + 1, Algebra()),)),)),
        Result('U2', 'Lemma 2', 'false', claims=(Claim('', (x + y)**2, x**2 + y**2,
                                                       proof=(Step(x**2 + y**2, Algebra()),)),)),
        Result('U3', 'Lemma 3', 'true, but uses a false one', depends_on=('U2',),
               claims=(Claim('', x * y, y * x, proof=(Step(y * x, Algebra()),)),)),
        Result('U4', 'Lemma 4', 'unproved', claims=(Claim('', sp.Abs(x), sp.Abs(x)),)),
    ]
''')


def _without_timings(value):
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items()
                if k not in ("seconds", "symbolic_seconds", "numeric_seconds", "created", "wall_seconds")}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def test_parallel_and_sequential_json_reports_are_the_same(tmp_path):
    (tmp_path / "mine.py").write_text(MODULE)
    outputs = {}
    for jobs in ("1", "2"):
        path = tmp_path / f"jobs{jobs}.json"
        assert main(["check", "--file", str(tmp_path / "mine.py"), "--jobs", jobs, "--json", str(path)]) == 1
        outputs[jobs] = _without_timings(json.loads(path.read_text()))
    assert outputs["1"]["results"] == outputs["2"]["results"]
    statuses = [r["status"] for r in outputs["2"]["results"]]
    assert statuses == ["verified", "refuted", "unproved", "unproved"]  # U3 by its dependency


def test_parallel_check_all_keeps_the_order_and_the_result_objects(registry):
    chosen = [registry.get(i) for i in ("R5", "R3", "R14")]
    reports = check_all(chosen, registry, CheckSettings(trials=2), jobs=2)
    assert [r.result for r in reports] == chosen
    assert all(r.result is c for r, c in zip(reports, chosen))


def test_default_jobs_is_a_positive_count():
    assert default_jobs() >= 1
