"""The self-test's table, survivor list and JSON."""
from __future__ import annotations

from collections import Counter

from .runner import EQUIVALENT, INVALID, KILLED, SURVIVED, kill_rate

VERDICTS = (EQUIVALENT, INVALID, KILLED, SURVIVED)


def rate_text(rate) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}%"


def totals(summaries) -> dict:
    """The run's summary: counts of each verdict over every mutant run, and the kill rate;
    then how the killed ones failed and why the equivalent ones are equivalent."""
    counts = {v: sum(s.count(v) for s in summaries) for v in VERDICTS}
    outcomes = [o for s in summaries for o in s.outcomes]
    return {"total": sum(counts.values()), **counts, "kill_rate": kill_rate(counts[KILLED], counts[SURVIVED]),
            "killed_by_status": dict(Counter(o.status for o in outcomes if o.verdict == KILLED).most_common()),
            "equivalent_by_reason": dict(Counter(o.reason for o in outcomes if o.verdict == EQUIVALENT).most_common())}


def table(summaries) -> str:
    """One row per result: mutants generated and run, each verdict, kill rate, seconds."""
    header = ("id", "baseline", "generated", "run", "equivalent", "invalid", "killed", "survived", "kill rate",
              "seconds")
    rows = [(s.result.id, s.baseline, str(s.generated), str(len(s.outcomes)),
             *(str(s.count(v)) for v in VERDICTS), rate_text(s.kill_rate), f"{s.seconds:.1f}") for s in summaries]
    t = totals(summaries)
    rows.append(("all", "", str(sum(s.generated for s in summaries)), str(t["total"]),
                 *(str(t[v]) for v in VERDICTS), rate_text(t["kill_rate"]), f"{sum(s.seconds for s in summaries):.1f}"))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def survivors(summaries) -> list:
    return [o for s in summaries for o in s.outcomes if o.verdict == SURVIVED]


def survivor_lines(summaries) -> list[str]:
    """Each surviving mutant: result, claim, operator, where, and the mutated expression."""
    out = []
    for o in survivors(summaries):
        m = o.mutant
        claim = "-" if m.claim is None else (m.claim or "(statement)")
        out.append(f"{m.result_id} {claim} [{m.operator}] {m.where}\n    mutant: {m.mutated}")
    return out


def as_json(summaries, settings: dict, seconds: float) -> dict:
    return {"summary": {**totals(summaries), "seconds": round(seconds, 2)},
            "results": [{"id": s.result.id, "baseline": s.baseline, "generated": s.generated,
                         "run": len(s.outcomes), **{v: s.count(v) for v in VERDICTS},
                         "kill_rate": s.kill_rate, "seconds": round(s.seconds, 2)} for s in summaries],
            "mutants": [o.as_json() for s in summaries for o in s.outcomes],
            "settings": settings}
