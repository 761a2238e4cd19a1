"""Handoff pages: what waits for me to accept and what I follow; accepting; and the live
preview of the customer message in the transfer form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpmate.desk import selectors as desk_selectors
from helpmate.desk.actions import ActionError
from helpmate.desk.actions.ownership import transfer_target
from helpmate.desk.views.common import current_agent, safe_next
from helpmate.handoffs import actions, selectors
from helpmate.handoffs.wording import customer_message
from helpmate.people.models import Agent, Team
from helpmate.web.access import agent_required

LIST_SIZE = 100


@agent_required
@require_GET
def handoff_list(request: HttpRequest) -> HttpResponse:
    agent = current_agent(request)
    return render(
        request,
        "handoffs/list.html",
        {
            "section": "handoffs",
            "to_accept": list(selectors.to_accept(request.user, agent)[:LIST_SIZE]),
            "following": list(selectors.following(request.user, agent)[:LIST_SIZE]),
        },
    )


@agent_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    handoff = get_object_or_404(selectors.visible_handoffs(request.user), pk=pk)
    back = safe_next(request, request.POST.get("next"), "/handoffs/")
    try:
        actions.accept_handoff(handoff=handoff, agent=agent)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    giver = handoff.from_agent.public_name if handoff.from_agent else "The previous owner"
    messages.success(request, f"It's yours. {giver} no longer follows it.")
    return redirect(back)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def message_context(
    *, conversation: Any, agent: Agent, data: Any, bound: bool, reset: bool = False
) -> dict[str, Any]:
    """The customer-message part of the transfer form, for the receiver chosen in ``data``."""
    team_id, owner_id = _int(data.get("team")), _int(data.get("owner"))
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    owner = (
        Agent.objects.filter(pk=owner_id).prefetch_related("teams").first()
        if owner_id is not None
        else None
    )
    suggested = ""
    if team is not None or owner is not None:
        to_team, to_owner = transfer_target(conversation, team=team, owner=owner)
        suggested = customer_message(
            conversation=conversation, sender=agent, to_agent=to_owner, to_team=to_team
        )
    current = data.get("customer_message", "") if bound else ""
    previous = data.get("customer_message_suggested", "") if bound else ""
    edited = bool(current.strip()) and current.strip() != previous.strip() and not reset
    return {
        "conversation": conversation,
        "customer_name": conversation.requester.greeting_name or "the customer",
        "tell": (data.get("tell_customer") in ("on", "true", "1")) if bound else True,
        "message": current if edited else suggested,
        "suggested": suggested,
        "edited": edited and current.strip() != suggested.strip(),
    }


@agent_required
@require_POST
def transfer_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-rendered when the receiver changes: a new suggestion, unless the agent edited it."""
    agent = current_agent(request)
    conv = desk_selectors.get_conversation(request.user, pk)
    context = message_context(
        conversation=conv,
        agent=agent,
        data=request.POST,
        bound=True,
        reset=request.POST.get("reset") == "1",
    )
    return render(request, "handoffs/_transfer_message_fields.html", context)


@agent_required
@require_GET
def pending(request: HttpRequest, pk: int) -> HttpResponse:
    """The pending handoff of a conversation, loaded into its page (accept or follow)."""
    from helpmate.handoffs.templatetags.handoffs_tags import pending_context

    agent = current_agent(request)
    conv = desk_selectors.get_conversation(request.user, pk)
    return render(request, "handoffs/_pending.html", pending_context(conv, agent))
