from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from helpmate.people.models import agent_of, contact_of


def helpmate(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "product_name": settings.HELPMATE_PRODUCT_NAME,
        "company_name": settings.HELPMATE_COMPANY_NAME,
        "current_agent": agent_of(user),
        "current_contact": contact_of(user),
    }
