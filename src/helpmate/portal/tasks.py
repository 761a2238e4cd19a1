"""Background work for the portal: thin wrappers around its actions, run by the worker."""

from __future__ import annotations

from django_tasks import task

from helpmate.portal import actions


@task()
def send_sign_in_link(link_id: int) -> None:
    """Email a sign-in link (idempotent: a link is sent at most once)."""
    actions.deliver_sign_in_link(link_id=link_id)
