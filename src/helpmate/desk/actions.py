"""Every write to a conversation goes through one of these functions.

Web views, API endpoints, email intake, imports, bulk edits and tasks all call them. Each runs in
one transaction, locks the conversation row, appends to the event log in the same transaction and
queues side effects (email, notifications) with ``transaction.on_commit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from helpmate.desk import search
from helpmate.desk.attachments import save_attachments, validate_attachments
from helpmate.desk.models import (
    DONE_STATUSES,
    Channel,
    Conversation,
    Event,
    EventType,
    Message,
    MessageKind,
    Notification,
    Priority,
    Status,
    Tag,
)
from helpmate.desk.sanitize import clean_html, html_to_text, preview_of, text_to_html
from helpmate.people.models import Agent, Contact, Team


class ActionError(ValueError):
    """A request that cannot be carried out, with a message fit to show the person."""


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
    return Event.objects.create(
        conversation=conversation, type=type_, created_at=at, data=data, **_actor_fields(actor)
    )


def _lock(conversation: Conversation | int) -> Conversation:
    pk = conversation if isinstance(conversation, int) else conversation.pk
    return Conversation.objects.select_for_update().get(pk=pk)


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
    from helpmate.desk.tasks import deliver_reply

    transaction.on_commit(lambda: deliver_reply.enqueue(message.pk))


# --- creating conversations and messages ------------------------------------------------------


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
    subject = " ".join(subject.split())[:300]
    if not subject:
        raise ActionError("A subject is needed: a few words that say what it is about.")
    validate_attachments(attachments)
    at = at or timezone.now()
    plain, _ = _body(text, html)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            subject=subject,
            requester=requester,
            team=team,
            channel=channel,
            priority=priority,
            status=Status.NEW,
            created_at=at,
            updated_at=at,
            last_customer_message_at=at,
            waiting_since=at,
            message_count=1,
            preview=preview_of(plain),
        )
        extra = [p for p in participants if p.pk != requester.pk]
        if extra:
            conversation.participants.add(*extra)
        actor: Actor = created_by or requester
        _event(
            conversation,
            EventType.CREATED,
            actor,
            at,
            channel=channel,
            subject=subject,
            team=team.pk if team else None,
        )
        message = _add_message(
            conversation,
            kind=MessageKind.INCOMING,
            text=text,
            html=html,
            channel=channel,
            at=at,
            attachments=attachments,
            author=requester,
            subject_for_index=subject,
        )
        _event(conversation, EventType.MESSAGE_RECEIVED, requester, at, message=message.pk)
        if tags:
            _apply_tags(conversation, actor, add=tags, remove=(), at=at)
    return conversation


def add_incoming_message(
    *,
    conversation: Conversation,
    author: Contact,
    text: str,
    html: str = "",
    channel: str = Channel.PORTAL,
    attachments: Sequence[UploadedFile] = (),
    at: datetime | None = None,
) -> Message:
    """A message from the requester or a participant. Reopens a resolved conversation."""
    validate_attachments(attachments)
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        while conv.merged_into_id is not None:
            conv = _lock(conv.merged_into_id)
        if conv.status in DONE_STATUSES:
            _event(conv, EventType.REOPENED, author, at, previous=conv.status)
            conv.resolved_at = None
        if conv.status != Status.NEW:
            if conv.status != Status.OPEN:
                _event(
                    conv,
                    EventType.STATUS_CHANGED,
                    author,
                    at,
                    previous=conv.status,
                    status=Status.OPEN,
                )
            conv.status = Status.OPEN
        if author.pk != conv.requester_id:
            conv.participants.add(author)
        message = _add_message(
            conv,
            kind=MessageKind.INCOMING,
            text=text,
            html=html,
            channel=channel,
            at=at,
            attachments=attachments,
            author=author,
        )
        _event(conv, EventType.MESSAGE_RECEIVED, author, at, message=message.pk)
        conv.waiting_since = conv.waiting_since or at
        conv.last_customer_message_at = at
        conv.updated_at = at
        conv.message_count += 1
        conv.preview = preview_of(message.text)
        conv.save()
    return message


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
            raise ActionError("This conversation was merged; reply in the one it was merged into.")
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


# --- ownership ----------------------------------------------------------------------------------


def assign_conversation(
    *, conversation: Conversation, actor: Agent, owner: Agent | None, at: datetime | None = None
) -> Conversation:
    """Give the conversation a named owner (or none). Claiming is assigning to oneself."""
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        if conv.owner_id == (owner.pk if owner else None):
            return conv
        _event(
            conv,
            EventType.ASSIGNED,
            actor,
            at,
            previous=conv.owner_id,
            owner=owner.pk if owner else None,
        )
        conv.owner = owner
        if conv.status == Status.NEW and owner is not None:
            _set_status(conv, Status.OPEN, actor, at)
        conv.updated_at = at
        conv.save()
        if owner is not None and owner.pk != actor.pk:
            Notification.objects.create(
                agent=owner,
                conversation=conv,
                created_at=at,
                text=f"{actor.public_name} gave you “{preview_of(conv.subject, 80)}”",
            )
    return conv


def transfer_conversation(
    *,
    conversation: Conversation,
    actor: Agent,
    note: str,
    team: Team | None = None,
    owner: Agent | None = None,
    at: datetime | None = None,
) -> Conversation:
    """Hand the conversation to another team or agent, with a note for the receiver."""
    note = note.strip()
    if not note:
        raise ActionError("Write a handoff note so the new owner gets the story.")
    if team is None and owner is None:
        raise ActionError("Choose the team or the person to hand it to.")
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        new_team = team or conv.team
        if team is not None and owner is None and conv.owner is not None:
            # The current owner keeps it only if they belong to the receiving team.
            keeps = conv.owner.teams.filter(pk=team.pk).exists()
            new_owner = conv.owner if keeps else None
        else:
            new_owner = owner if owner is not None else conv.owner
        if new_team == conv.team and new_owner == conv.owner:
            raise ActionError("It already sits with that team and owner.")
        _event(
            conv,
            EventType.TRANSFERRED,
            actor,
            at,
            from_team=conv.team_id,
            to_team=new_team.pk if new_team else None,
            from_owner=conv.owner_id,
            to_owner=new_owner.pk if new_owner else None,
            reason=note,
        )
        conv.team = new_team
        conv.owner = new_owner
        conv.updated_at = at
        conv.save()
        message = _add_message(
            conv,
            kind=MessageKind.NOTE,
            text=f"Handoff: {note}",
            html="",
            channel=Channel.INTERNAL,
            at=at,
            attachments=(),
            author=actor,
        )
        conv.message_count += 1
        conv.save(update_fields=["message_count"])
        receivers = [new_owner] if new_owner else list(new_team.agents.all()) if new_team else []
        Notification.objects.bulk_create(
            Notification(
                agent=r,
                conversation=conv,
                message=message,
                created_at=at,
                text=f"{actor.public_name} handed over “{preview_of(conv.subject, 80)}”",
            )
            for r in receivers
            if r.pk != actor.pk
        )
    return conv


# --- status, tags, priority ------------------------------------------------------------------


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


def change_status(
    *, conversation: Conversation, actor: Actor, status: str, at: datetime | None = None
) -> Conversation:
    if status not in Status.values:
        raise ActionError(f"Unknown status {status!r}.")
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        if conv.merged_into_id is not None:
            raise ActionError("This conversation was merged into another one.")
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
            for c in Conversation.objects.select_for_update()
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        src, dst = locked[source.pk], locked[target.pk]
        if src.merged_into_id is not None:
            raise ActionError(f"#{src.pk} was already merged into #{src.merged_into_id}.")
        if dst.merged_into_id is not None:
            raise ActionError(f"#{dst.pk} was merged into #{dst.merged_into_id}; merge into that.")
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


def mark_notifications_read(*, agent: Agent, conversation: Conversation | None = None) -> int:
    rows = Notification.objects.filter(agent=agent, read_at__isnull=True)
    if conversation is not None:
        rows = rows.filter(conversation=conversation)
    return rows.update(read_at=timezone.now())


def touch_presence(
    *, conversation: Conversation, agent: Agent, activity: str, at: datetime | None = None
) -> None:
    """Record that an agent has the conversation open (viewing, or replying).

    Presence is not a change to the conversation, so no Event is written. One row per
    conversation and agent, refreshed by the page every few seconds.
    """
    from django.db import IntegrityError

    from helpmate.desk.models import Presence, PresenceActivity

    if activity not in PresenceActivity.values:
        raise ActionError(f"Unknown activity {activity!r}.")
    at = at or timezone.now()
    rows = Presence.objects.filter(conversation=conversation, agent=agent)
    if rows.update(activity=activity, seen_at=at):
        return
    try:
        with transaction.atomic():
            Presence.objects.create(
                conversation=conversation, agent=agent, activity=activity, seen_at=at
            )
    except IntegrityError:  # another tab of the same agent created it at the same moment
        rows.update(activity=activity, seen_at=at)
