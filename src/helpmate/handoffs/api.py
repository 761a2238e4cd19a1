"""API endpoints of the handoffs app, mounted under /api/ by helpmate.api.api."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from helpmate.api.auth import current_agent
from helpmate.api.schemas import READ_ERRORS, WRITE_ERRORS, Id
from helpmate.handoffs import actions, selectors
from helpmate.handoffs.models import Handoff

router = Router(tags=["Handoffs"])


class HandoffOut(Schema):
    id: int
    conversation: int
    subject: str
    from_agent: int | None
    from_team: int | None
    to_agent: int | None
    to_team: int | None
    note: str
    customer_message: int | None = Field(description="The reply that told the customer, if any")
    created_at: datetime
    accepted_at: datetime | None
    accepted_by: int | None


def _out(h: Handoff) -> dict[str, Any]:
    return {
        "id": h.pk,
        "conversation": h.conversation_id,
        "subject": h.conversation.subject,
        "from_agent": h.from_agent_id,
        "from_team": h.from_team_id,
        "to_agent": h.to_agent_id,
        "to_team": h.to_team_id,
        "note": h.note,
        "customer_message": h.customer_message_id,
        "created_at": h.created_at,
        "accepted_at": h.accepted_at,
        "accepted_by": h.accepted_by_id,
    }


@router.get(
    "/handoffs",
    response={200: list[HandoffOut], **READ_ERRORS},
    summary="List pending handoffs",
)
def list_handoffs(
    request: HttpRequest, scope: Literal["to_me", "following", "all"] = "to_me"
) -> list[dict[str, Any]]:
    """Pending (not yet accepted) handoffs: `to_me` (the caller may accept them: to them or to
    their team with nobody named), `following` (the caller handed them over), or `all` they
    can see. At most 200, newest first."""
    agent = current_agent(request)
    if scope == "to_me":
        rows = selectors.to_accept(request.user, agent)
    elif scope == "following":
        rows = selectors.following(request.user, agent)
    else:
        rows = selectors.visible_handoffs(request.user).pending()
    return [_out(h) for h in rows[:200]]


@router.post(
    "/handoffs/{handoff_id}/accept",
    response={200: HandoffOut, **WRITE_ERRORS},
    summary="Accept a handoff",
)
def accept_handoff(request: HttpRequest, handoff_id: Id) -> dict[str, Any]:
    """The receiver takes the conversation on (and owns it, if nobody does yet); the previous
    owner stops following it. 409 when it was already accepted or handed on again."""
    agent = current_agent(request)
    handoff = selectors.visible_handoffs(request.user).filter(pk=handoff_id).first()
    if handoff is None:
        raise Http404("No such handoff.")
    if handoff.is_pending and not actions.may_accept(handoff, agent, handoff.conversation.owner_id):
        raise PermissionDenied(f"This handoff is for {handoff.receiver_name}, not for you.")
    actions.accept_handoff(handoff=handoff, agent=agent)
    handoff.refresh_from_db()
    return _out(handoff)
