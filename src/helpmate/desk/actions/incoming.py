"""A customer's messages into existing conversations: one (``add_incoming_message``) or a batch
(``add_incoming_messages``).

Both are the same code. A batch of emails that continue conversations is written with one query
to lock the conversations, one insert per table (messages, search entries, events, participants)
and one prepared UPDATE run for each conversation, instead of a dozen statements per email. The
rows, events and listener calls are those one ``add_incoming_message`` after another would
write, in the same order within each conversation; only the numbering across the batch's
conversations differs (all of the batch's messages are numbered before their events).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from helpmate.desk.actions.base import (
    ActionError,
    IncomingRow,
    _body,
    _lock,
    insert_incoming,
    insert_participants,
    log_events,
    new_event,
)
from helpmate.desk.attachments import validate_attachments
from helpmate.desk.models import (
    DONE_STATUSES,
    Channel,
    Conversation,
    Event,
    EventType,
    Message,
    Status,
)
from helpmate.desk.sanitize import preview_of
from helpmate.people.models import Contact
from helpmate.web.rows import update_each


@dataclass
class IncomingMessage:
    """What ``add_incoming_message`` takes, as one item of a batch. ``participants`` are other
    people (in Cc, say) who join the conversation with this message."""

    conversation: Conversation | int
    author: Contact
    text: str
    html: str = ""
    channel: str = Channel.PORTAL
    attachments: Sequence[UploadedFile] = ()
    participants: Iterable[Contact] = ()
    at: datetime | None = None


@dataclass
class _Checked:
    item: IncomingMessage
    plain: str
    safe: str
    at: datetime


def add_incoming_message(
    *,
    conversation: Conversation | int,
    author: Contact,
    text: str,
    html: str = "",
    channel: str = Channel.PORTAL,
    attachments: Sequence[UploadedFile] = (),
    at: datetime | None = None,
) -> Message:
    """A message from the requester or a participant. Reopens a resolved conversation."""
    item = IncomingMessage(conversation, author, text, html, channel, attachments, (), at)
    (message,) = add_incoming_messages([item])
    return message


def _check(item: IncomingMessage) -> _Checked:
    validate_attachments(item.attachments)
    plain, safe = _body(item.text, item.html)
    if not plain and not item.attachments:
        raise ActionError("The message is empty: write something or attach a file.")
    return _Checked(item, plain, safe, item.at or timezone.now())


def add_incoming_messages(items: Sequence[IncomingMessage]) -> list[Message]:
    """Add these messages, in the order given, in one transaction; returns them in that order.
    A message to a merged conversation goes to the one it was merged into. Checks every item
    before writing anything (an ActionError names what is wrong with the first bad one)."""
    checked = [_check(item) for item in items]
    if not checked:
        return []
    with transaction.atomic():
        targets = _lock_all([c.item.conversation for c in checked])
        _know_requesters(targets, [c.item.author for c in checked])
        members = _participants(targets)
        before: list[list[Event]] = []  # each message's events that come before it
        joined: list[list[Contact]] = []  # and the people who join with it
        for entry, conv in zip(checked, targets, strict=True):
            before.append(_reopen(conv, entry.item.author, entry.at))
            joined.append(_joining(conv, entry.item, members[conv.pk]))
            conv.waiting_since = conv.waiting_since or entry.at
            conv.last_customer_message_at = entry.at
            conv.updated_at = entry.at
            conv.message_count += 1
            conv.preview = preview_of(entry.plain)
        messages = insert_incoming(
            [
                IncomingRow(
                    conversation=conv,
                    author=entry.item.author,
                    plain=entry.plain,
                    safe=entry.safe,
                    channel=entry.item.channel,
                    at=entry.at,
                    attachments=entry.item.attachments,
                )
                for entry, conv in zip(checked, targets, strict=True)
            ]
        )
        insert_participants(
            (conv, person)
            for conv, people in zip(targets, joined, strict=True)
            for person in people
        )
        _save_all(list({conv.pk: conv for conv in targets}.values()))
        events: list[Event] = []
        for entry, conv, message, early, people in zip(
            checked, targets, messages, before, joined, strict=True
        ):
            author = entry.item.author
            events.extend(early)
            events.append(
                new_event(conv, EventType.MESSAGE_RECEIVED, author, entry.at, message=message.pk)
            )
            events.extend(
                new_event(conv, EventType.PARTICIPANT_ADDED, author, entry.at, contact=person.pk)
                for person in people
                if person.pk != author.pk
            )
        log_events(events)
    return messages


def _lock_all(targets: list[Conversation | int]) -> list[Conversation]:
    """The conversations, locked in one query (in one order, so two batches cannot deadlock),
    each followed to the one it was merged into; one instance per conversation."""
    pks = [t if isinstance(t, int) else t.pk for t in targets]
    locked = {
        conv.pk: conv
        for conv in Conversation.objects.select_for_update(no_key=True)
        .filter(pk__in=set(pks))
        .order_by("pk")
    }
    found: list[Conversation] = []
    for pk in pks:
        conv = locked.get(pk)
        if conv is None:
            raise Conversation.DoesNotExist(f"Conversation {pk} does not exist.")
        while conv.merged_into_id is not None:
            target = cast(int, conv.merged_into_id)
            conv = locked[target] if target in locked else _lock(target)
            locked[conv.pk] = conv
        found.append(conv)
    return found


def _know_requesters(conversations: list[Conversation], authors: list[Contact]) -> None:
    """Give each conversation its requester (the service receiver reads the kind), from the
    authors at hand or with one query for the rest."""
    known = {author.pk: author for author in authors}
    missing = {c.requester_id for c in conversations if c.requester_id not in known}
    if missing:
        known.update(Contact.objects.in_bulk(missing))
    for conv in conversations:
        if conv.requester_id in known:
            conv.requester = known[conv.requester_id]


def _participants(conversations: list[Conversation]) -> dict[int, set[int]]:
    through = Conversation.participants.through
    members: dict[int, set[int]] = defaultdict(set)
    pks = {conv.pk for conv in conversations}
    for conv_id, contact_id in through.objects.filter(conversation_id__in=pks).values_list(
        "conversation_id", "contact_id"
    ):
        members[conv_id].add(contact_id)
    return members


def _reopen(conv: Conversation, author: Contact, at: datetime) -> list[Event]:
    """A message opens the conversation again: its events, the status set on the instance."""
    events = []
    if conv.status in DONE_STATUSES:
        events.append(new_event(conv, EventType.REOPENED, author, at, previous=conv.status))
        conv.resolved_at = None
    if conv.status != Status.NEW:
        if conv.status != Status.OPEN:
            events.append(
                new_event(
                    conv,
                    EventType.STATUS_CHANGED,
                    author,
                    at,
                    previous=conv.status,
                    status=Status.OPEN,
                )
            )
        conv.status = Status.OPEN
    return events


def _joining(conv: Conversation, item: IncomingMessage, members: set[int]) -> list[Contact]:
    """The author (if not the requester) and the item's other people who are not yet in the
    conversation; ``members`` is updated."""
    joining = []
    for person in [item.author, *item.participants]:
        if person.pk != conv.requester_id and person.pk not in members:
            members.add(person.pk)
            joining.append(person)
    return joining


_FIELDS = [f for f in Conversation._meta.concrete_fields if not f.primary_key]


def _save_all(conversations: list[Conversation]) -> None:
    """``save()`` for each conversation, as one prepared UPDATE run for each, with the save
    signals sent as ``save`` sends them (the service app's receiver sets the due times)."""
    for conv in conversations:
        pre_save.send(sender=Conversation, instance=conv, raw=False, using="default")
    update_each(Conversation, conversations, _FIELDS)
    for conv in conversations:
        post_save.send(
            sender=Conversation, instance=conv, created=False, raw=False, using="default"
        )
