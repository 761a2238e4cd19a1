"""Messages of a conversation: the thread (internal notes included, agents only use the API),
and new replies or internal notes through the desk actions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from helpmate.api import convert
from helpmate.api.auth import current_agent
from helpmate.api.conversation_schemas import MessageIn, MessageKindName, MessageOut, MessagePage
from helpmate.api.errors import invalid
from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import READ_ERRORS, WRITE_ERRORS, Id
from helpmate.desk import actions, selectors
from helpmate.desk.models import Message

router = Router(tags=["messages"])


@router.get(
    "/conversations/{conversation_id}/messages",
    response={200: MessagePage, **READ_ERRORS},
    summary="The thread of a conversation",
)
def list_messages(
    request: HttpRequest,
    conversation_id: Id,
    page: PageQuery,
    kind: MessageKindName | None = None,
) -> dict[str, Any]:
    """Messages oldest first, internal notes included; `kind` keeps one kind only."""
    conversation = selectors.get_conversation(request.user, conversation_id)
    rows = selectors.thread(request.user, conversation)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return paginate(request, rows, page, with_count=True).as_dict(convert.message)


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    summary="Reply, or add an internal note",
)
def create_message(request: HttpRequest, conversation_id: Id, payload: MessageIn) -> Status:
    """`kind: "reply"` answers the requester (emailed after the change is saved; the replying
    agent becomes owner if nobody owns it; `status` sets the status afterwards, by default
    waiting on customer). `kind: "note"` adds an internal note; @Name mentions notify agents."""
    agent = current_agent(request)
    conversation = selectors.get_conversation(request.user, conversation_id)
    if payload.kind == "reply":
        message = actions.add_reply(
            conversation=conversation, agent=agent, text=payload.text, status=payload.status
        )
    else:
        if payload.status is not None:
            raise invalid("status", "A status goes with a reply, not with a note.")
        message = actions.add_note(conversation=conversation, agent=agent, text=payload.text)
    fresh = (
        Message.objects.select_related("author_agent", "author_contact")
        .prefetch_related("attachments")
        .get(pk=message.pk)
    )
    return Status(201, convert.message(fresh))
