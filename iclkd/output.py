"""Writing files atomically, and the readable table of a check run."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_atomically(path, text) -> None:
    """Write ``text`` (``str``, or ``bytes`` as is) to ``path`` through a temporary file
    and a rename, so an interrupted write leaves the previous file intact.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), 'x.txt'); write_atomically(p, 'hi'); open(p).read()
    'hi'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())  # the rename must never expose a file whose data is not on disk
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json(path, data) -> None:
    """Atomic, stable JSON (sorted keys are not used: field order is the schema's)."""
    write_atomically(path, json.dumps(data, indent=2, default=str) + "\n")


def format_error(value) -> str:
    return "-" if value is None else f"{value:.1e}"


def table(reports) -> str:
    """The readable table of ``iclkd check``.

    Columns: id, label, status, method, trials, worst relative error, seconds.
    """
    header = ("id", "label", "status", "method", "trials", "worst error", "seconds")
    rows = [(r.result.id, r.result.label, r.status, r.method, str(r.trials), format_error(r.max_error),
             f"{r.seconds:.2f}") for r in reports]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)
