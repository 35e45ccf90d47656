"""Running a command on a user's module in a child process that must report back.

A user module can call ``sys.exit(0)`` or ``os._exit(0)``, or fork, at import or inside a
check; in CI any of these would otherwise end the run with exit code 0 having checked nothing.
The command runs in a forked child, which writes ``<pid> <exit code>`` to a pipe when it has
finished; the parent returns that code, or 2 with one line if the child ended without
reporting. Where ``os.fork`` does not exist the command runs in-process (``sys.exit`` is
still caught there).
"""
from __future__ import annotations

import os
import sys
import traceback

from ..errors import IclkdError


def guarded(func, args) -> int:
    """``func(args)`` with every way out turned into an exit code and at most one line.

    >>> guarded(lambda a: sys.exit(0), None)
    2
    """
    try:
        return int(func(args))
    except IclkdError as exc:
        sys.stderr.write(f"iclkd: {exc}\n")
        return 2
    except SystemExit as exc:
        sys.stderr.write(f"iclkd: a user module called sys.exit({exc.code!r}): no verdict\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("iclkd: interrupted\n")
        return 130


def run_isolated(func, args) -> int:
    """Run ``func(args)`` in a forked child and return the exit code it reports (see the module).

    >>> run_isolated(lambda a: 1, None)
    1
    >>> run_isolated(lambda a: os._exit(0), None)
    2
    """
    if not hasattr(os, "fork"):
        return guarded(func, args)
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run, report, and never return into the caller's stack
        os.close(read)
        me, code = os.getpid(), 2
        try:
            code = guarded(func, args)
        except Exception as exc:  # a bug in iclkd, not the user's input: say so, don't die silently
            traceback.print_exc()
            sys.stderr.write(f"iclkd: internal error ({type(exc).__name__}: {exc}); no verdict\n")
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            if os.getpid() == me:
                os.write(write, f"{me} {code}\n".encode())
            os._exit(code if os.getpid() == me else 2)
    os.close(write)
    status = _wait(pid)
    report = _read_all(read)
    for line in report.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == str(pid) and parts[1].lstrip("-").isdigit():
            return int(parts[1])
    how = (f"exit code {os.WEXITSTATUS(status)}" if os.WIFEXITED(status)
           else f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"status {status}")
    sys.stderr.write(f"iclkd: the run ended without reporting a verdict ({how}): a user module called "
                     "os._exit or the process was killed; nothing was checked to the end\n")
    return 2


def _wait(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except KeyboardInterrupt:  # the child got the same SIGINT: wait for its report
            continue
        except ChildProcessError:
            return 0


def _read_all(fd: int) -> str:
    os.set_blocking(fd, False)  # a grandchild may hold the pipe open: read what is there
    chunks = []
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    except BlockingIOError:
        pass
    finally:
        os.close(fd)
    return b"".join(chunks).decode(errors="replace")
