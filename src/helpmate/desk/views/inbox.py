"""The inbox: views in a sidebar, filters, search, pagination without counting big lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from helpmate.desk import inbox_pages, selectors
from helpmate.desk.forms import BULK_ACTIONS, InboxFilterForm
from helpmate.desk.models import Status
from helpmate.desk.views.common import Directory, current_agent
from helpmate.desk.views.inbox_rows import inbox_rows
from helpmate.web.access import agent_required

COUNT_CAP = 1000  # sidebar counts stop here ("999+"), so they stay cheap on any desk
SIDEBAR_VIEWS = ["mine", "teams", "unassigned", "open", "due", "waiting", "resolved"]
COUNTED_VIEWS = ["mine", "unassigned"]
MAX_PAGE = 200  # deeper than this, filters and search are the better tool


@agent_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    agent = current_agent(request)
    directory = Directory.load()
    form = InboxFilterForm(
        request.GET, teams=directory.team_choices, agents=directory.agent_choices
    )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    query = (data.get("q") or "").strip()
    view = data.get("view") or ("all" if query else "mine")
    filters = form.filters()
    page = data.get("page") or 1
    size = settings.HELPMATE_PAGE_SIZE

    result = inbox_pages.inbox_page(
        request.user, view=view, filters=filters, page=page, per_page=size
    )
    rows = result.rows

    htmx = getattr(request, "htmx", None)
    partial = htmx is not None and bool(htmx) and htmx.target == "inbox-list"
    counts: dict[str, int] = {}
    if not partial or not rows:
        for name in COUNTED_VIEWS:
            counts[name] = selectors.capped_count(
                selectors.inbox(request.user, view=name), COUNT_CAP
            )

    context: dict[str, Any] = {
        "section": "inbox",
        "agent": agent,
        "form": form,
        "view": view,
        "view_label": selectors.INBOX_VIEWS.get(view, "Inbox"),
        "views": [
            (name, selectors.INBOX_VIEWS[name], _shown(counts.get(name))) for name in SIDEBAR_VIEWS
        ],
        "counts": counts,
        "query": query,
        "filtered": form.has_filters(),
        "rows": inbox_rows(result.rows, agent_pk=agent.pk),
        # One reverse() instead of one per row: "/desk/c/" + pk + "/".
        "conversation_url": reverse("desk:conversation", args=[0]).removesuffix("0/"),
        "page": page,
        "has_next": result.has_next and page < MAX_PAGE,
        "has_previous": result.has_previous,
        "max_page": MAX_PAGE,
        # Values as text for the bulk owner select: the template prints them without localising.
        "bulk_owners": [(str(pk), label) for pk, label in directory.agent_choices],
        "statuses": Status.choices,
        "bulk_actions": BULK_ACTIONS,
        "has_teams": agent.teams.exists() if view == "teams" and not rows else True,
        "due_soon_minutes": settings.HELPMATE_DUE_SOON_MINUTES,
    }
    template = "desk/_inbox_list.html" if partial else "desk/inbox.html"
    return render(request, template, context)


def _shown(count: int | None) -> str:
    if count is None:
        return ""
    return f"{COUNT_CAP - 1}+" if count >= COUNT_CAP else str(count)
