"""Outbox pages: "send again" on a reply whose email failed, and the admins' outbox list."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from helpmate.desk.views.common import current_agent
from helpmate.outbox import actions, selectors
from helpmate.outbox.models import OutboundState
from helpmate.web.access import admin_required, agent_required

FILTERS = [
    ("", "All"),
    ("queued", "Queued"),
    ("retrying", "Retrying"),
    (OutboundState.FAILED, "Failed"),
    (OutboundState.UNKNOWN, "Unknown"),
    (OutboundState.SENT, "Sent"),
]


@agent_required
@require_POST
def send_again(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.email_for_agent(request.user, pk)
    if row is None:
        raise Http404("No such email.")
    try:
        actions.send_again(email=row, agent=current_agent(request))
    except actions.OutboxError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The email is queued to be sent again.")
    if row.conversation_id is not None:
        anchor = f"#m{row.desk_message_id}" if row.desk_message_id else ""
        return redirect(reverse("desk:conversation", args=[row.conversation_id]) + anchor)
    return redirect("outbox:list")


@admin_required
@require_GET
def outbox_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in {value for value, _ in FILTERS}:
        state = ""
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    size = settings.HELPMATE_PAGE_SIZE
    start = (page - 1) * size
    rows = list(selectors.outbox_rows(request.user, state=state)[start : start + size + 1])
    return render(
        request,
        "outbox/list.html",
        {
            "section": "outbox",
            "rows": rows[:size],
            "state": state,
            "filters": FILTERS,
            "page": page,
            "has_next": len(rows) > size,
            "has_previous": page > 1,
        },
    )
