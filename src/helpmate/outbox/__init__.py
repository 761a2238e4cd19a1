"""Email out: a durable outbox written in the same transaction as the reply or notification, sent
by the worker over SMTP at most once, with retries and recorded failures.

Other apps call ``queue_email(...)`` inside their transaction; the demo seed wraps itself in
``suppressed()`` so that past replies do not leave emails queued.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["OutboundEmail", "queue_email", "suppressed"]

if TYPE_CHECKING:
    from helpmate.outbox.models import OutboundEmail
    from helpmate.outbox.queue import queue_email, suppressed


def __getattr__(name: str) -> Any:
    # Imported lazily: this package is imported while Django loads apps, before models exist.
    if name in ("queue_email", "suppressed"):
        from helpmate.outbox import queue

        return getattr(queue, name)
    if name == "OutboundEmail":
        from helpmate.outbox.models import OutboundEmail

        return OutboundEmail
    raise AttributeError(name)
