"""Background work of the service app (thin wrappers calling actions)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from helpmate.service import actions


@task()
def recompute_due_times() -> int:
    """Recompute the due times of every open conversation (after targets or calendars changed)."""
    return actions.recompute_due_times()


def recompute_after_commit() -> None:
    """Queue a recompute once the change that needs it is committed."""
    transaction.on_commit(lambda: recompute_due_times.enqueue())
