"""One status vocabulary for the checker, the reports, the self-test, the renderer and the JSON.

Each status is a :class:`Status`, a ``str`` enum, so it compares equal to its value and is
written to JSON as that value.

* a proof step: ``PROVED``, ``CITED``, ``REFUTED``, ``UNDECIDED``, ``TIMEOUT``, ``ERROR``;
* a numeric check: ``PASSED``, ``REFUTED``, ``ERROR``, ``TIMEOUT``;
* a result: ``VERIFIED``, ``REFUTED``, ``UNPROVED``, ``TIMEOUT``, ``ERROR``;
* a self-test mutant: ``KILLED``, ``SURVIVED``, ``EQUIVALENT``, ``INVALID``.

>>> Status.VERIFIED == 'verified', f'{Status.REFUTED}'
(True, 'refuted')
"""
from __future__ import annotations

import enum


class Status(enum.StrEnum):
    PROVED = "proved"
    CITED = "cited"
    UNDECIDED = "undecided"
    PASSED = "passed"
    VERIFIED = "verified"
    UNPROVED = "unproved"
    REFUTED = "refuted"
    TIMEOUT = "timeout"
    ERROR = "error"
    KILLED = "killed"
    SURVIVED = "survived"
    EQUIVALENT = "equivalent"
    INVALID = "invalid"


PROVED, CITED, UNDECIDED, PASSED = Status.PROVED, Status.CITED, Status.UNDECIDED, Status.PASSED
VERIFIED, UNPROVED, REFUTED, TIMEOUT, ERROR = (Status.VERIFIED, Status.UNPROVED, Status.REFUTED, Status.TIMEOUT,
                                                Status.ERROR)
KILLED, SURVIVED, EQUIVALENT, INVALID = Status.KILLED, Status.SURVIVED, Status.EQUIVALENT, Status.INVALID

STEP_STATUSES = (PROVED, CITED, REFUTED, UNDECIDED, TIMEOUT, ERROR)
CHECK_STATUSES = (PASSED, REFUTED, ERROR, TIMEOUT)
RESULT_STATUSES = (VERIFIED, REFUTED, UNPROVED, TIMEOUT, ERROR)
MUTANT_STATUSES = (KILLED, SURVIVED, EQUIVALENT, INVALID)
