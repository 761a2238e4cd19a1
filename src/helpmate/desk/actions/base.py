"""Shared pieces of the desk's actions: the error type, events, locking, message bodies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from helpmate.desk import hooks, search
from helpmate.desk.attachments import save_attachments
from helpmate.desk.models import (
    DONE_STATUSES,
    Conversation,
    Event,
    EventType,
    Message,
    MessageKind,
    Status,
)
from helpmate.desk.sanitize import clean_html, html_to_text, text_to_html
from helpmate.people.models import Agent, Contact


class ActionError(ValueError):
    """A request that cannot be carried out, with a message fit to show the person."""


class ConflictError(ActionError):
    """Refused because of the conversation's current state (already so, merged), not the input."""


Actor = Agent | Contact | None


def _actor_fields(actor: Actor) -> dict[str, Any]:
    if isinstance(actor, Agent):
        return {"actor_agent": actor}
    if isinstance(actor, Contact):
        return {"actor_contact": actor}
    return {}


def _event(
    conversation: Conversation, type_: str, actor: Actor, at: datetime, **data: Any
) -> Event:
    """Append an event (call it inside the action's transaction) and tell the listeners."""
    event = new_event(conversation, type_, actor, at, **data)
    event.save(force_insert=True)
    hooks.event_recorded(event)
    return event


def log_events(events: list[Event]) -> list[Event]:
    """``_event``'s batch form: append these (unsaved) events with one INSERT, then tell the
    listeners about each, in the order given."""
    Event.objects.bulk_create(events)
    for event in events:
        hooks.event_recorded(event)
    return events


def new_event(
    conversation: Conversation, type_: str, actor: Actor, at: datetime, **data: Any
) -> Event:
    """An unsaved event, for ``log_events``."""
    return Event(
        conversation=conversation, type=type_, created_at=at, data=data, **_actor_fields(actor)
    )


# Feature apps (mail, promises, effort, ...) log events and lock conversations with these too.
log_event = _event


def _lock(conversation: Conversation | int) -> Conversation:
    pk = conversation if isinstance(conversation, int) else conversation.pk
    return Conversation.objects.select_for_update(no_key=True).get(pk=pk)


lock_conversation = _lock


def _body(text: str, html: str) -> tuple[str, str]:
    """Normalise a message body: sanitised HTML always, plain text always."""
    if html.strip():
        safe = clean_html(html)
        plain = text.strip() or html_to_text(safe)
    else:
        plain = text.strip()
        safe = text_to_html(plain) if plain else ""
    return plain, safe


def _add_message(
    conversation: Conversation,
    *,
    kind: str,
    text: str,
    html: str,
    channel: str,
    at: datetime,
    attachments: Sequence[UploadedFile],
    author: Actor,
    subject_for_index: str = "",
) -> Message:
    plain, safe = _body(text, html)
    if not plain and not attachments:
        raise ActionError("The message is empty: write something or attach a file.")
    message = Message.objects.create(
        conversation=conversation,
        kind=kind,
        text=plain,
        html=safe,
        channel=channel,
        created_at=at,
        author_agent=author if isinstance(author, Agent) else None,
        author_contact=author if isinstance(author, Contact) else None,
    )
    save_attachments(message, attachments)
    search.index_rows([(message.pk, conversation.pk, subject_for_index, plain)])
    return message


def _queue_reply_delivery(message: Message) -> None:
    """Write the reply's email into the durable outbox, in the reply's transaction; the worker
    sends it after commit (see helpmate.outbox)."""
    from helpmate.outbox.replies import queue_reply

    queue_reply(message)


def _set_status(conv: Conversation, status: str, actor: Actor, at: datetime) -> None:
    """Change the status in memory and log it; the caller saves."""
    if conv.status == status:
        return
    previous = conv.status
    if previous in DONE_STATUSES and status not in DONE_STATUSES:
        _event(conv, EventType.REOPENED, actor, at, previous=previous)
        conv.resolved_at = None
    _event(conv, EventType.STATUS_CHANGED, actor, at, previous=previous, status=status)
    conv.status = status
    if status in DONE_STATUSES:
        conv.resolved_at = conv.resolved_at or at
    if status in (*DONE_STATUSES, Status.WAITING_CUSTOMER):
        # The ball is in the customer's court (or it is over): nobody waits on us.
        conv.waiting_since = None


@dataclass
class IncomingRow:
    """A customer's message of a batch, checked and ready to write."""

    conversation: Conversation
    author: Contact
    plain: str
    safe: str
    channel: str
    at: datetime
    attachments: Sequence[UploadedFile] = ()
    subject: str = ""  # searched with the message (a conversation's first message carries it)


def insert_incoming(rows: list[IncomingRow]) -> list[Message]:
    """Customers' messages, written together: one insert, their files, one insert into the
    search index. Returns the messages in the order given."""
    messages = Message.objects.bulk_create(
        Message(
            conversation=row.conversation,
            kind=MessageKind.INCOMING,
            text=row.plain,
            html=row.safe,
            channel=row.channel,
            created_at=row.at,
            author_contact=row.author,
        )
        for row in rows
    )
    for row, message in zip(rows, messages, strict=True):
        if row.attachments:
            save_attachments(message, row.attachments)
    search.index_rows(
        (message.pk, row.conversation.pk, row.subject, row.plain)
        for row, message in zip(rows, messages, strict=True)
    )
    return messages


def insert_participants(pairs: Iterable[tuple[Conversation, Contact]]) -> None:
    """Add these people to these conversations (none of them in it yet), with one insert."""
    through = Conversation.participants.through
    rows = [through(conversation_id=conv.pk, contact_id=person.pk) for conv, person in pairs]
    if rows:
        through.objects.bulk_create(rows)
