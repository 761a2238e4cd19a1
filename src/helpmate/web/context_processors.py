from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from helpmate.people.models import agent_of, contact_of


def helpmate(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    agent = agent_of(user)
    return {
        "product_name": settings.HELPMATE_PRODUCT_NAME,
        "company_name": settings.HELPMATE_COMPANY_NAME,
        "current_agent": agent,
        # An agent is never also a portal contact on the same page: skip that query for them.
        "current_contact": None if agent is not None else contact_of(user),
    }
