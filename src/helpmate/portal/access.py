"""Who may open portal pages: contacts only (``web.access.contact_required``), and agents are
shown a 403 page that points them to the desk instead of a bare refusal."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helpmate.people.models import agent_of
from helpmate.web.access import View, contact_required


def portal_page(view: View) -> View:
    guarded = contact_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if agent_of(request.user) is not None:
            return render(request, "portal/for_agents.html", status=403)
        return guarded(request, *args, **kwargs)

    return wrapper
