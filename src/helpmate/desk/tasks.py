"""Background work for the desk: thin wrappers around delivery code, run by the worker."""

from __future__ import annotations

from django_tasks import task

from helpmate.desk import delivery


@task()
def deliver_reply(message_id: int) -> None:
    """Email an agent's reply to the requester and participants."""
    delivery.send_reply(message_id)
