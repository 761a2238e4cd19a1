"""Opening conversations: one (``create_conversation``) or a batch (``open_conversations``).

Both are the same code: a batch of emails that each open a conversation is written with one
insert per table (conversations, their first messages, the events, the search entries) instead
of one per row, and a single conversation is a batch of one. The rows, events and listener
calls are those one ``create_conversation`` after another would write, in the same order per
conversation; only the numbering across conversations of one batch differs (all of the batch's
conversations are numbered before their messages).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from helpmate.desk.actions.base import (
    ActionError,
    Actor,
    IncomingRow,
    _body,
    insert_incoming,
    insert_participants,
    log_events,
    new_event,
)
from helpmate.desk.actions.state import _apply_tags
from helpmate.desk.attachments import validate_attachments
from helpmate.desk.models import (
    Channel,
    Conversation,
    Event,
    EventType,
    Message,
    Priority,
    Status,
)
from helpmate.desk.sanitize import preview_of
from helpmate.people.models import Agent, Contact, Team


@dataclass
class NewConversation:
    """What ``create_conversation`` takes, as one item of a batch."""

    requester: Contact
    subject: str
    text: str
    html: str = ""
    channel: str = Channel.PORTAL
    team: Team | None = None
    priority: int = Priority.NORMAL
    created_by: Agent | None = None
    attachments: Sequence[UploadedFile] = ()
    participants: Iterable[Contact] = ()
    tags: Iterable[str] = ()
    at: datetime | None = None


@dataclass
class _Checked:
    draft: NewConversation
    subject: str
    at: datetime
    plain: str
    safe: str
    participants: list[Contact] = field(default_factory=list)


def _check(draft: NewConversation) -> _Checked:
    subject = " ".join(draft.subject.split())[:300]
    if not subject:
        raise ActionError("A subject is needed: a few words that say what it is about.")
    validate_attachments(draft.attachments)
    plain, safe = _body(draft.text, draft.html)
    if not plain and not draft.attachments:
        raise ActionError("The message is empty: write something or attach a file.")
    extra = {p.pk: p for p in draft.participants if p.pk != draft.requester.pk}
    return _Checked(draft, subject, draft.at or timezone.now(), plain, safe, list(extra.values()))


def open_conversations(drafts: Sequence[NewConversation]) -> list[tuple[Conversation, Message]]:
    """Open these conversations, each with its requester's first message, in one transaction;
    returns each conversation with that message, in the order given. Checks every draft before
    writing anything (an ActionError names what is wrong with the first bad one)."""
    checked = [_check(draft) for draft in drafts]
    if not checked:
        return []
    with transaction.atomic():
        conversations = _insert_conversations(checked)
        insert_participants(
            (conversation, person)
            for item, conversation in zip(checked, conversations, strict=True)
            for person in item.participants
        )
        messages = insert_incoming(
            [
                IncomingRow(
                    conversation=conversation,
                    author=item.draft.requester,
                    plain=item.plain,
                    safe=item.safe,
                    channel=item.draft.channel,
                    at=item.at,
                    attachments=item.draft.attachments,
                    subject=item.subject,
                )
                for item, conversation in zip(checked, conversations, strict=True)
            ]
        )
        _insert_events(checked, conversations, messages)
        for item, conversation in zip(checked, conversations, strict=True):
            if item.draft.tags:
                actor: Actor = item.draft.created_by or item.draft.requester
                _apply_tags(conversation, actor, add=item.draft.tags, remove=(), at=item.at)
    return list(zip(conversations, messages, strict=True))


def _insert_conversations(checked: list[_Checked]) -> list[Conversation]:
    """``bulk_create`` sends no save signals; they are sent here as ``save`` would (the service
    app's receiver sets the due times from the targets, for instance)."""
    conversations = [
        Conversation(
            subject=item.subject,
            requester=item.draft.requester,
            team=item.draft.team,
            channel=item.draft.channel,
            priority=item.draft.priority,
            status=Status.NEW,
            created_at=item.at,
            updated_at=item.at,
            last_customer_message_at=item.at,
            waiting_since=item.at,
            message_count=1,
            preview=preview_of(item.plain),
        )
        for item in checked
    ]
    for conversation in conversations:
        pre_save.send(sender=Conversation, instance=conversation, raw=False, using="default")
    Conversation.objects.bulk_create(conversations)
    for conversation in conversations:
        post_save.send(
            sender=Conversation, instance=conversation, created=True, raw=False, using="default"
        )
    return conversations


def _insert_events(
    checked: list[_Checked], conversations: list[Conversation], messages: list[Message]
) -> None:
    """Each conversation's "created" then "message received", written together, then handed to
    the listeners in that order."""
    events: list[Event] = []
    for item, conversation, message in zip(checked, conversations, messages, strict=True):
        draft = item.draft
        opener: Actor = draft.created_by or draft.requester
        team = draft.team.pk if draft.team else None
        events.append(
            new_event(
                conversation,
                EventType.CREATED,
                opener,
                item.at,
                channel=draft.channel,
                subject=item.subject,
                team=team,
            )
        )
        events.append(
            new_event(
                conversation,
                EventType.MESSAGE_RECEIVED,
                draft.requester,
                item.at,
                message=message.pk,
            )
        )
    log_events(events)
