"""Conversations and their messages: opening one, the customer's messages, replies, notes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions.base import (
    ActionError,
    ConflictError,
    _add_message,
    _event,
    _lock,
    _queue_reply_delivery,
    _set_status,
)
from helpmate.desk.actions.opening import NewConversation, open_conversations
from helpmate.desk.attachments import validate_attachments
from helpmate.desk.models import (
    Channel,
    Conversation,
    EventType,
    Message,
    MessageKind,
    Notification,
    Priority,
    Status,
)
from helpmate.desk.sanitize import preview_of
from helpmate.people.models import Agent, Contact, Team


def create_conversation(
    *,
    requester: Contact,
    subject: str,
    text: str,
    html: str = "",
    channel: str = Channel.PORTAL,
    team: Team | None = None,
    priority: int = Priority.NORMAL,
    created_by: Agent | None = None,
    attachments: Sequence[UploadedFile] = (),
    participants: Iterable[Contact] = (),
    tags: Iterable[str] = (),
    at: datetime | None = None,
) -> Conversation:
    """Open a conversation with the requester's first message.

    ``created_by`` is the agent who logged it for the requester (a phone call, say); the
    message itself is still the requester's words.
    """
    draft = NewConversation(
        requester=requester,
        subject=subject,
        text=text,
        html=html,
        channel=channel,
        team=team,
        priority=priority,
        created_by=created_by,
        attachments=attachments,
        participants=participants,
        tags=tags,
        at=at,
    )
    ((conversation, _message),) = open_conversations([draft])
    return conversation


def add_reply(
    *,
    conversation: Conversation,
    agent: Agent,
    text: str,
    attachments: Sequence[UploadedFile] = (),
    status: str | None = None,
    at: datetime | None = None,
) -> Message:
    """An agent's reply to the requester. The replying agent becomes owner if nobody owns it.

    The status afterwards is ``status`` if given, else "waiting on customer" (kept as
    "waiting on someone else" when that was the status).
    """
    validate_attachments(attachments)
    if status is not None and status not in Status.values:
        raise ActionError(f"Unknown status {status!r}.")
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        if conv.merged_into_id is not None:
            raise ConflictError(
                "This conversation was merged; reply in the one it was merged into."
            )
        message = _add_message(
            conv,
            kind=MessageKind.REPLY,
            text=text,
            html="",
            channel=conv.channel,
            at=at,
            attachments=attachments,
            author=agent,
        )
        if conv.owner_id is None:
            conv.owner = agent
            _event(
                conv, EventType.ASSIGNED, agent, at, previous=None, owner=agent.pk, reason="replied"
            )
        _event(conv, EventType.REPLIED, agent, at, message=message.pk)
        new_status = status or (
            Status.WAITING_OTHER if conv.status == Status.WAITING_OTHER else Status.WAITING_CUSTOMER
        )
        _set_status(conv, new_status, agent, at)
        conv.first_reply_at = conv.first_reply_at or at
        conv.last_reply_at = at
        conv.waiting_since = None
        conv.updated_at = at
        conv.message_count += 1
        conv.preview = preview_of(message.text)
        conv.save()
        _queue_reply_delivery(message)
    return message


_MENTION_RE = re.compile(r"(?<![\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def mentioned_agents(text: str) -> list[Agent]:
    """Agents named with @FirstName, @first.last or @email in a note."""
    handles = {h.lower().rstrip(".") for h in _MENTION_RE.findall(text)}
    if not handles:
        return []
    found = []
    for agent in Agent.objects.active().select_related("user"):
        names = {
            agent.public_name.lower(),
            agent.user.email.lower(),
            agent.user.email.split("@")[0].lower(),
            agent.full_name.lower().replace(" ", "."),
        }
        if names & handles:
            found.append(agent)
    return found


def add_note(
    *,
    conversation: Conversation,
    agent: Agent,
    text: str,
    attachments: Sequence[UploadedFile] = (),
    at: datetime | None = None,
) -> Message:
    """An internal note, never shown to the customer. @mentions notify the agents named."""
    validate_attachments(attachments)
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        message = _add_message(
            conv,
            kind=MessageKind.NOTE,
            text=text,
            html="",
            channel=Channel.INTERNAL,
            at=at,
            attachments=attachments,
            author=agent,
        )
        mentioned = [a for a in mentioned_agents(message.text) if a.pk != agent.pk]
        if mentioned:
            message.mentions.add(*mentioned)
            Notification.objects.bulk_create(
                Notification(
                    agent=a,
                    conversation=conv,
                    message=message,
                    created_at=at,
                    text=f"{agent.public_name} mentioned you on “{preview_of(conv.subject, 80)}”",
                )
                for a in mentioned
            )
        _event(
            conv, EventType.NOTE, agent, at, message=message.pk, mentions=[a.pk for a in mentioned]
        )
        conv.updated_at = at
        conv.message_count += 1
        conv.save(update_fields=["updated_at", "message_count"])
    return message
