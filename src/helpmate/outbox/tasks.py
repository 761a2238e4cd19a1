"""Background work for the outbox: thin wrappers around its actions, run by the worker."""

from __future__ import annotations

import logging

from django_tasks import task

from helpmate.outbox import actions

log = logging.getLogger(__name__)


@task()
def send_outbound(pk: int) -> None:
    """Send one queued email (does nothing if another worker has it or it is not due)."""
    actions.send_queued(pk)


@task()
def send_outbound_many(pks: list[int]) -> None:
    """Send several queued emails (written together, say a batch of acknowledgements), one
    after another; one that fails stays queued for the ``outbox.retry`` job, the rest go on."""
    for pk in pks:
        try:
            actions.send_queued(pk)
        except Exception:
            log.exception("Sending outbound email %s failed; the outbox.retry job tries again", pk)
