"""Template context for the workspace: the unread-notification count in the top bar.

Lazy: the count is only queried when a template shows it (partials never pay for it), at
most once per request, and capped so it stays one cheap index read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from helpmate.people.models import agent_of


def workspace(request: HttpRequest) -> dict[str, Any]:
    @cache
    def unread_notifications() -> int:
        from helpmate.desk.selectors import unread_notification_count

        agent = agent_of(getattr(request, "user", None))
        return unread_notification_count(agent) if agent is not None else 0

    return {"unread_notifications": unread_notifications}
