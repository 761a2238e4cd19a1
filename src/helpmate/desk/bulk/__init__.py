"""Bulk synthetic data for benchmarks (``helpmate generate``).

THE ONE DOCUMENTED EXCEPTION to "every write goes through an action". Creating a million
conversations one action at a time would take hours; benchmarks need them in minutes. So this
module writes rows directly, in large batches (``executemany`` on SQLite, ``COPY`` on
PostgreSQL), one transaction per batch, with explicit ids so messages, events and the search
index can refer to each other without a round trip.

To stay honest it produces exactly what the actions would have produced for the same story:
the same event types in the same order with the same payloads (created, message_received,
assigned, replied, status_changed, note), the denormalised fields the inbox relies on
(``message_count``, ``last_customer_message_at``, ``first_reply_at``, ``last_reply_at``,
``resolved_at``, ``waiting_since`` only while the customer waits on us, ``preview``), message
HTML as ``text_to_html`` would write it, and search entries through ``desk.search.index_rows``.
Teams and agents, which are few, are still created through ``helpmate.people.actions``.

It is for benchmark and test databases only: nothing is emailed, nobody is notified.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpmate.desk import search
from helpmate.desk.bulk import people as bulk_people
from helpmate.desk.bulk.people import CONTACT_COLUMNS, DAY, EMAIL_COLUMNS, ORGANIZATION_COLUMNS
from helpmate.desk.bulk.story import Story, prepared
from helpmate.desk.bulk.writer import Writer, message_html
from helpmate.desk.models import Conversation, Event, Message
from helpmate.people.models import Contact, ContactEmail, Organization

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Generated:
    conversations: int
    messages: int
    events: int
    contacts: int
    seconds: float


CONVERSATION_COLUMNS = (
    "id", "subject", "requester_id", "team_id", "owner_id", "status", "channel", "priority",
    "merged_into_id", "created_at", "updated_at", "last_customer_message_at", "last_reply_at",
    "first_reply_at", "resolved_at", "waiting_since", "message_count", "preview",
    "first_response_due_at", "next_response_due_at", "resolution_due_at", "due_at",
    "follow_up_of_id",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "conversation_id", "kind", "author_contact_id", "author_agent_id", "text", "html",
    "channel", "created_at",
)  # fmt: skip
EVENT_COLUMNS = ("conversation_id", "type", "actor_agent_id", "actor_contact_id", "created_at",
                 "data")  # fmt: skip


def generate(
    *,
    conversations: int,
    messages_per_conversation: int = 5,
    contacts: int | None = None,
    seed: int = 1,
    years: float = 2.0,
    batch_size: int = 2000,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Generated:
    """Add ``conversations`` synthetic conversations (and contacts, agents, tags as needed)."""
    if conversations < 1 or messages_per_conversation < 1:
        raise ValueError("Ask for at least one conversation with at least one message.")
    if contacts is not None and contacts < 1:
        raise ValueError("Ask for at least one contact.")
    started = time.monotonic()
    rng = random.Random(seed)
    writer = Writer()
    now_s = (now or timezone.now()).timestamp()
    contact_count = contacts if contacts is not None else max(20, conversations // 8)
    writer.tune(bulk=True)
    try:
        with transaction.atomic():
            members, team_ids = bulk_people.staff(rng)
        tag_ids = bulk_people.tags()
        contact_ids, contact_kinds = bulk_people.contacts(writer, rng, contact_count, now_s)
        story = Story(
            rng=rng,
            writer=writer,
            now=now_s,
            start=now_s - years * 365 * DAY,
            total=conversations,
            messages_per_conversation=messages_per_conversation,
            contact_ids=contact_ids,
            contact_kinds=contact_kinds,
            members=members,
            team_ids=team_ids,
            tags=tag_ids,
        )
        done = messages = events = 0
        first_ids = (writer.next_id(Conversation), writer.next_id(Message))
        for rows in prepared(story, conversations, batch_size, first_ids):
            with transaction.atomic():
                if (writer.next_id(Conversation), writer.next_id(Message)) != rows.first_ids:
                    raise RuntimeError(
                        "Something else added conversations while generating; run it again "
                        "on a quiet database."
                    )
                writer.insert(Conversation._meta.db_table, CONVERSATION_COLUMNS, rows.conversations)
                writer.insert(Message._meta.db_table, MESSAGE_COLUMNS, rows.messages)
                writer.insert(Event._meta.db_table, EVENT_COLUMNS, rows.events)
                writer.insert(
                    Conversation.tags.through._meta.db_table,
                    ("conversation_id", "tag_id"),
                    rows.tags,
                )
                search.index_rows(rows.search)
            done += len(rows.conversations)
            messages += len(rows.messages)
            events += len(rows.events)
            if progress is not None:
                progress(done, conversations)
        writer.reset_sequences([Organization, Contact, ContactEmail, Conversation, Message])
        writer.analyze()
    finally:
        writer.tune(bulk=False)
    return Generated(
        conversations=conversations,
        messages=messages,
        events=events,
        contacts=contact_count,
        seconds=time.monotonic() - started,
    )


__all__ = [
    "CONTACT_COLUMNS",
    "CONVERSATION_COLUMNS",
    "EMAIL_COLUMNS",
    "EVENT_COLUMNS",
    "MESSAGE_COLUMNS",
    "ORGANIZATION_COLUMNS",
    "Generated",
    "generate",
    "message_html",
]
