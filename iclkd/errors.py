"""One error family: every user-facing failure is an ``IclkdError`` with a one-line message."""


class IclkdError(Exception):
    """Base class. The CLI prints ``iclkd: <message>`` and exits with code 2.

    >>> str(IclkdError("unknown result id 'R99'"))
    "unknown result id 'R99'"
    """


class UsageError(IclkdError):
    """The command line or a user module asked for something that cannot be done."""


class ResultDefinitionError(IclkdError):
    """A result is malformed: mismatched shapes, unknown dependency, cycle, bad proof."""


class StepTimeout(BaseException):
    """Raised inside a time-limited block when its time is up (never shown to users raw).

    A ``BaseException``, like ``KeyboardInterrupt``: code that catches ``Exception`` to turn a
    failure into an ``error`` verdict must not turn a timeout into one."""
