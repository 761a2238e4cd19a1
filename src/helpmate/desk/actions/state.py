"""Status, tags, priority, merging and participants of a conversation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from helpmate.desk import search
from helpmate.desk.actions.base import (
    ActionError,
    Actor,
    ConflictError,
    _event,
    _lock,
    _set_status,
)
from helpmate.desk.models import (
    DONE_STATUSES,
    Conversation,
    EventType,
    MessageKind,
    Priority,
    Status,
    Tag,
)
from helpmate.people.models import Agent, Contact


def change_status(
    *, conversation: Conversation, actor: Actor, status: str, at: datetime | None = None
) -> Conversation:
    if status not in Status.values:
        raise ActionError(f"Unknown status {status!r}.")
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        if conv.merged_into_id is not None:
            raise ConflictError("This conversation was merged into another one.")
        if conv.status == status:
            return conv
        _set_status(conv, status, actor, at)
        conv.updated_at = at
        conv.save()
    return conv


def _apply_tags(
    conv: Conversation, actor: Actor, *, add: Iterable[str], remove: Iterable[str], at: datetime
) -> None:
    wanted = {" ".join(t.lower().split())[:60] for t in add} - {""}
    unwanted = {" ".join(t.lower().split()) for t in remove} - {""}
    current = set(conv.tags.values_list("name", flat=True))
    to_add = sorted(wanted - current)
    to_remove = sorted(unwanted & current)
    if not to_add and not to_remove:
        return
    for name in to_add:
        tag, _ = Tag.objects.get_or_create(name=name)
        conv.tags.add(tag)
    if to_remove:
        conv.tags.remove(*Tag.objects.filter(name__in=to_remove))
    _event(conv, EventType.TAGGED, actor, at, added=to_add, removed=to_remove)


def change_tags(
    *,
    conversation: Conversation,
    actor: Actor,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    at: datetime | None = None,
) -> Conversation:
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        _apply_tags(conv, actor, add=add, remove=remove, at=at)
        conv.updated_at = at
        conv.save(update_fields=["updated_at"])
    return conv


def change_priority(
    *, conversation: Conversation, actor: Agent, priority: int, at: datetime | None = None
) -> Conversation:
    if priority not in Priority.values:
        raise ActionError(f"Unknown priority {priority!r}.")
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        if conv.priority != priority:
            _event(
                conv,
                EventType.PRIORITY_CHANGED,
                actor,
                at,
                previous=conv.priority,
                priority=priority,
            )
            conv.priority = priority
            conv.updated_at = at
            conv.save()
    return conv


def merge_conversations(
    *, source: Conversation, target: Conversation, actor: Agent, at: datetime | None = None
) -> Conversation:
    """Fold ``source`` into ``target``: messages move, people join, the source closes."""
    if source.pk == target.pk:
        raise ActionError("A conversation cannot be merged into itself.")
    at = at or timezone.now()
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Conversation.objects.select_for_update(no_key=True)
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        src, dst = locked[source.pk], locked[target.pk]
        if src.merged_into_id is not None:
            raise ConflictError(f"#{src.pk} was already merged into #{src.merged_into_id}.")
        if dst.merged_into_id is not None:
            raise ConflictError(
                f"#{dst.pk} was merged into #{dst.merged_into_id}; merge into that."
            )
        message_ids = list(src.messages.values_list("pk", flat=True))
        src.messages.update(conversation=dst)
        search.move_messages(message_ids, dst.pk)
        people = {src.requester_id, *src.participants.values_list("pk", flat=True)}
        people.discard(dst.requester_id)
        if people:
            dst.participants.add(*people)
        _event(dst, EventType.MERGED, actor, at, merged=src.pk, messages=len(message_ids))
        _event(src, EventType.MERGED, actor, at, into=dst.pk)
        src_waiting_since = src.waiting_since
        src.merged_into = dst
        _set_status(src, Status.CLOSED, actor, at)
        src.message_count = 0
        src.updated_at = at
        src.save()
        stats = dst.messages.aggregate(
            n=Count("pk"),
            last_in=Max("created_at", filter=Q(kind=MessageKind.INCOMING)),
            first_out=Min("created_at", filter=Q(kind=MessageKind.REPLY)),
            last_out=Max("created_at", filter=Q(kind=MessageKind.REPLY)),
        )
        dst.message_count = stats["n"]
        dst.last_customer_message_at = stats["last_in"]
        dst.first_reply_at = stats["first_out"]
        dst.last_reply_at = stats["last_out"]
        waits = [w for w in (src_waiting_since, dst.waiting_since) if w is not None]
        if waits and dst.status not in DONE_STATUSES:
            dst.waiting_since = min(waits)
        dst.updated_at = at
        dst.save()
    return dst


def add_participant(
    *, conversation: Conversation, actor: Actor, contact: Contact, at: datetime | None = None
) -> Conversation:
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        if contact.pk == conv.requester_id or conv.participants.filter(pk=contact.pk).exists():
            return conv
        conv.participants.add(contact)
        _event(conv, EventType.PARTICIPANT_ADDED, actor, at, contact=contact.pk)
    return conv
