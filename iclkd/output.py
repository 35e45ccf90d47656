"""Writing files atomically, and the readable table of a check run."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path, text, make_parents: bool = True) -> None:
    """Write ``text`` (``str``, or ``bytes`` as is) to ``path`` through a temporary file
    and a rename, so an interrupted write leaves the previous file intact; the file gets the
    mode a plain ``open`` would give it (``0o666`` less the umask). Without ``make_parents``
    a missing folder is a usage error.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), 'x.txt'); write_atomically(p, 'hi'); open(p).read()
    'hi'
    """
    target = Path(path)
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    elif not target.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
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
    """Atomic, stable JSON (sorted keys are not used: field order is the schema's). ``path``
    may be an open stream (``--json -``: the command line hands over standard output). The
    folder must exist: a typo in it is an error, not a new folder."""
    text = json.dumps(data, indent=2, default=str) + "\n"
    if hasattr(path, "write"):
        path.write(text)
        path.flush()
        return
    write_atomically(path, text, make_parents=False)


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
