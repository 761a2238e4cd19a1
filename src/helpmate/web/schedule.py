"""Periodic jobs run by the worker: polling mailboxes, retrying the outbox, promise warnings.

An app registers a job in its ``AppConfig.ready()``::

    from helpmate.web.schedule import register
    register("promises.warn", every=60, func=warn_due_promises)

Every ``helpmate worker`` runs the jobs that are due in a background thread (``--no-jobs`` turns
that off), and ``helpmate jobs --once`` runs each one once, for cron or for tests. Jobs must be
safe to run twice at the same time (several workers on PostgreSQL): they claim their rows with
``select_for_update(no_key=True, skip_locked=True)`` or make idempotent changes through actions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every: float  # seconds
    func: Callable[[], object]
    next_run: float = field(default=0.0)


JOBS: dict[str, Job] = {}


def register(name: str, *, every: float, func: Callable[[], object]) -> None:
    """Add (or replace) a periodic job; ``every`` is in seconds."""
    if every <= 0:
        raise ValueError("A job's interval must be positive.")
    JOBS[name] = Job(name=name, every=every, func=func)


def run_job(job: Job) -> bool:
    """Run one job, logging instead of raising; returns whether it succeeded."""
    close_old_connections()
    try:
        job.func()
    except Exception:
        log.exception("Periodic job %s failed; it will run again in %.0f s", job.name, job.every)
        return False
    finally:
        close_old_connections()
    return True


def run_due(now: float | None = None) -> list[str]:
    """Run every job whose time has come; returns the names that ran."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in list(JOBS.values()):
        if now >= job.next_run:
            job.next_run = now + job.every
            run_job(job)
            ran.append(job.name)
    return ran


def run_all_once(names: list[str] | None = None) -> dict[str, bool]:
    """Run each registered job (or the named ones) once, in name order."""
    results = {}
    for name in sorted(JOBS):
        if names and name not in names:
            continue
        results[name] = run_job(JOBS[name])
    return results


def start_thread(stop: threading.Event, tick: float = 1.0) -> threading.Thread:
    """Run due jobs every ``tick`` seconds until ``stop`` is set."""

    def loop() -> None:
        while not stop.is_set():
            run_due()
            stop.wait(tick)

    thread = threading.Thread(target=loop, name="helpmate-jobs", daemon=True)
    thread.start()
    return thread
