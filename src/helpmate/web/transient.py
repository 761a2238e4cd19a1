"""Database errors that pass: the database gave up on a transaction because of another one.

Two workers can deadlock (PostgreSQL picks one transaction and aborts it), a serializable
transaction can fail to serialize, a lock can time out, and SQLite can stay busy past its
timeout. None of these says anything about the work itself: the whole transaction was rolled
back and trying it again is correct. Code that runs in workers (mail intake, jobs) retries such a
transaction a few times instead of recording the work as failed.
"""

from __future__ import annotations

from django.db import OperationalError

# How many times a worker tries one transaction before it leaves the work for its next run.
TRANSIENT_TRIES = 4

# SQLSTATE codes: deadlock_detected, serialization_failure, lock_not_available.
_PG_STATES = frozenset({"40P01", "40001", "55P03"})
_SQLITE_WORDS = ("database is locked", "database table is locked")


def is_transient(exc: BaseException) -> bool:
    """True when ``exc`` is a database error that another try of the same transaction may not
    meet (see the module's docstring)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _PG_STATES:
        return True
    text = str(exc).lower()
    return any(words in text for words in _SQLITE_WORDS)
