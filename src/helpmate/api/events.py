"""The event log of a conversation: everything that happened to it, oldest first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from helpmate.api import convert
from helpmate.api.conversation_schemas import EventPage
from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import READ_ERRORS, Id
from helpmate.desk import selectors

router = Router(tags=["events"])


@router.get(
    "/conversations/{conversation_id}/events",
    response={200: EventPage, **READ_ERRORS},
    summary="The event log of a conversation",
)
def list_events(request: HttpRequest, conversation_id: Id, page: PageQuery) -> dict[str, Any]:
    """Created, messages, replies, notes, assignments, handoffs (with their reason), status,
    tag and priority changes, merges: with actor and time, oldest first."""
    conversation = selectors.get_conversation(request.user, conversation_id)
    rows = selectors.events(conversation)
    return paginate(request, rows, page, with_count=True).as_dict(convert.event)
