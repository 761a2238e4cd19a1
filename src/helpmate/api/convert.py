"""Model instances to response dicts (validated against the response schemas by ninja).

List callers prefetch what these read (tags, requester emails, attachments), so a page costs a
fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from helpmate.api.conversation_schemas import PRIORITY_NAMES
from helpmate.api.schemas import actor, agent_ref, contact_ref, team_ref, utc
from helpmate.desk.models import Conversation, Event, Message


def _requester_email(conv: Conversation) -> str | None:
    """The primary email annotated by list selectors ('' when the contact has none)."""
    if hasattr(conv, "requester_email"):
        return conv.requester_email or ""
    return None


def conversation(request: HttpRequest, conv: Conversation) -> dict[str, Any]:
    return {
        "id": conv.pk,
        "subject": conv.subject,
        "status": conv.status,
        "priority": PRIORITY_NAMES.get(conv.priority, "normal"),
        "channel": conv.channel,
        "requester": contact_ref(conv.requester, email=_requester_email(conv)),
        "team": team_ref(conv.team),
        "owner": agent_ref(conv.owner),
        "tags": sorted(t.name for t in conv.tags.all()),
        "preview": conv.preview,
        "message_count": conv.message_count,
        "created_at": utc(conv.created_at),
        "updated_at": utc(conv.updated_at),
        "waiting_since": utc(conv.waiting_since),
        "last_customer_message_at": utc(conv.last_customer_message_at),
        "first_reply_at": utc(conv.first_reply_at),
        "last_reply_at": utc(conv.last_reply_at),
        "resolved_at": utc(conv.resolved_at),
        "merged_into": conv.merged_into_id,
        "url": request.build_absolute_uri(reverse("desk:conversation", args=[conv.pk])),
    }


def conversation_detail(request: HttpRequest, conv: Conversation) -> dict[str, Any]:
    data = conversation(request, conv)
    participants = conv.participants.prefetch_related("emails").order_by("name", "pk")
    data["participants"] = [contact_ref(c) for c in participants]
    return data


def message(msg: Message) -> dict[str, Any]:
    return {
        "id": msg.pk,
        "conversation": msg.conversation_id,
        "kind": msg.kind,
        "author": actor(msg.author_agent, msg.author_contact),
        "text": msg.text,
        "html": msg.html,
        "channel": msg.channel,
        "created_at": utc(msg.created_at),
        "attachments": [
            {"id": a.pk, "filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in msg.attachments.all()
        ],
    }


def event(evt: Event) -> dict[str, Any]:
    return {
        "id": evt.pk,
        "conversation": evt.conversation_id,
        "type": evt.type,
        "actor": actor(evt.actor_agent, evt.actor_contact),
        "created_at": utc(evt.created_at),
        "data": evt.data if isinstance(evt.data, dict) else {"value": evt.data},
    }
