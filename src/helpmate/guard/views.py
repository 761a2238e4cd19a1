"""The guard's page: the rules in force (shipped and from HELPMATE_GUARD_RULES_FILE) and a box to
try a reply against them. Read-only: rules are edited in the file (see docs/handoffs-and-guard.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from helpmate.guard.check import MAX_TEXT, check_text
from helpmate.guard.rules import active_rules
from helpmate.web.access import agent_required


@agent_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "")[:MAX_TEXT] if request.method == "POST" else ""
    return render(
        request,
        "guard/rules.html",
        {
            "section": "guard",
            "rules": active_rules(),
            "rules_file": settings.HELPMATE_GUARD_RULES_FILE,
            "text": text,
            "tried": request.method == "POST",
            "flags": check_text(text) if text.strip() else [],
        },
    )
