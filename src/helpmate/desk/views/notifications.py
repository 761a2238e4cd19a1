"""The agent's notifications: mentions, handovers, assignments. Opening the page reads them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helpmate.desk import actions, selectors
from helpmate.desk.views.common import current_agent
from helpmate.web.access import agent_required


@agent_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    agent = current_agent(request)
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 100))
    except ValueError:
        page = 1
    size = settings.HELPMATE_PAGE_SIZE
    start = (page - 1) * size
    rows = list(selectors.notifications_for(agent)[start : start + size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    # Shown as unread this once, then marked read.
    if any(n.read_at is None for n in rows):
        actions.mark_notifications_read(agent=agent)
    return render(
        request,
        "desk/notifications.html",
        {
            "section": "notifications",
            "rows": rows,
            "page": page,
            "has_next": has_next,
            "has_previous": page > 1,
        },
    )
