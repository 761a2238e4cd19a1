"""Background work for the outbox: thin wrappers around its actions, run by the worker."""

from __future__ import annotations

from django_tasks import task

from helpmate.outbox import actions


@task()
def send_outbound(pk: int) -> None:
    """Send one queued email (does nothing if another worker has it or it is not due)."""
    actions.send_queued(pk)
