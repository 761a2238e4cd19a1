"""``helpmate effort rebuild``: fold the event log into effort rows in batches.

For data that did not pass through the listener: ``helpmate generate`` (which bulk-inserts past
the actions), a desk that had conversations before effort was installed, or after changing the
rules (``--full`` forgets every row first). Each batch of conversations is one transaction: it
locks their effort rows, reads their events in one query (only those after each row's cursor),
the first messages and the contacts' earlier conversations in one query each, folds in memory
and writes back with prepared statements. Running it twice changes nothing the second time.

The event listener's batch form (``fold_events``, once per batch of emails) is the same fold,
handed the batch's events: it reads back only what it does not hold (nothing for the
conversations the batch opened), and the earlier conversations of only those contacts whose
first message it folds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field, Q

from helpmate.desk.models import Conversation, Event, EventType, Message
from helpmate.effort.clock import Clock
from helpmate.effort.fold import REPEAT_WINDOW, fold
from helpmate.effort.live import RELEVANT
from helpmate.effort.models import ConversationEffort
from helpmate.web.rows import update_each

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RebuildResult:
    conversations: int
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class BatchContext:
    def __init__(self, clock: Clock, texts: dict[int, str]) -> None:
        self.clock = clock
        self.texts = texts
        self.rows: dict[int, ConversationEffort] = {}
        # Rows by requester: this batch's (as they are folded) and the week before it's.
        self.by_requester: dict[int, list[ConversationEffort]] = defaultdict(list)
        self.dirty: dict[int, ConversationEffort] = {}

    def message_text(self, message_id: int) -> str:
        return self.texts.get(message_id, "")

    def earlier_rows(self, row: ConversationEffort) -> Iterable[ConversationEffort]:
        assert row.created_at is not None
        start, end = row.created_at - REPEAT_WINDOW, row.created_at
        found = [
            r
            for r in self.by_requester.get(row.requester_id or 0, [])
            if r.pk != row.pk and r.created_at is not None and start <= r.created_at <= end
        ]
        found.sort(key=lambda r: (r.created_at, r.pk), reverse=True)
        return found[:20]

    def row(self, conversation_id: int) -> ConversationEffort | None:
        if conversation_id in self.rows:
            return self.rows[conversation_id]
        return ConversationEffort.objects.filter(pk=conversation_id).first()

    def changed(self, other: ConversationEffort) -> None:
        if other.pk not in self.rows:
            self.dirty[other.pk] = other


def _first_message_ids(events: list[Event], rows: dict[int, ConversationEffort]) -> list[int]:
    wanted, seen = [], set()
    for event in events:
        cid = event.conversation_id
        if event.type != EventType.MESSAGE_RECEIVED or cid in seen:
            continue
        seen.add(cid)
        row = rows.get(cid)
        if (row is None or row.requester_id is None) and isinstance(event.data.get("message"), int):
            wanted.append(event.data["message"])
    return wanted


OR_CHUNK = 200  # SQLite refuses expressions deeper than 1000


def _unseen_events(
    ids: list[int], existing: dict[int, ConversationEffort], known: list[Event]
) -> list[Event]:
    """The events after each row's own cursor (the conversations' event ids interleave, so one
    cursor for the whole batch would read nearly everything again).

    ``known``: events of these conversations already in hand (the batch listener's, all those
    written since the batch began), so only the ones before each conversation's first known
    event are read, none at all for a conversation the batch created."""
    have: dict[int, list[Event]] = defaultdict(list)
    for event in known:
        if event.type in RELEVANT:
            have[event.conversation_id].append(_as_read(event))
    events: list[Event] = []
    read_all: list[int] = []
    unseen: list[Q] = []
    for pk in ids:
        row = existing.get(pk)
        cursor = row.last_event_id if row is not None else 0
        mine = sorted(have.get(pk, ()), key=lambda e: e.pk)
        events += [e for e in mine if e.pk > cursor]
        if mine and mine[0].type == EventType.CREATED:
            continue  # nothing comes before a conversation's creation
        if mine:
            unseen.append(Q(conversation_id=pk, pk__gt=cursor, pk__lt=mine[0].pk))
        elif row is None:
            read_all.append(pk)
        else:
            unseen.append(Q(conversation_id=pk, pk__gt=cursor))
    # The event types are picked here, not in SQL: given ``type IN (...)``, SQLite walks the
    # (type, time) index through nearly the whole log instead of each conversation's events.
    read: list[Event] = []
    if read_all:
        read += Event.objects.filter(conversation_id__in=read_all).order_by()
    for start in range(0, len(unseen), OR_CHUNK):
        either = Q()
        for condition in unseen[start : start + OR_CHUNK]:
            either |= condition
        read += Event.objects.filter(either).order_by()
    events += [e for e in read if e.type in RELEVANT]
    events.sort(key=lambda e: (e.conversation_id, e.pk))
    return events


def _as_read(event: Event) -> Event:
    """The event as the database gives it back: its time in UTC (the steps keep ISO times)."""
    if event.created_at.tzinfo is UTC:
        return event
    return Event(
        pk=event.pk,
        conversation_id=event.conversation_id,
        type=event.type,
        created_at=event.created_at.astimezone(UTC),
        actor_agent_id=event.actor_agent_id,
        actor_contact_id=event.actor_contact_id,
        data=event.data,
    )


def fold_events(events: list[Event]) -> None:
    """The event listener's batch form (``helpmate.desk.hooks.batched``): fold the
    conversations these events touched in one pass, inside the caller's transaction."""
    ids = sorted({e.conversation_id for e in events if e.type in RELEVANT})
    if ids:
        _fold_batch(ids, Clock(), known=events)


def _fold_batch(ids: list[int], clock: Clock, known: list[Event] | None = None) -> int:
    existing = {
        r.pk: r
        for r in ConversationEffort.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
    }
    events = _unseen_events(ids, existing, known or [])
    texts = dict(
        Message.objects.filter(pk__in=_first_message_ids(events, existing)).values_list(
            "pk", "text"
        )
    )
    ctx = BatchContext(clock, texts)
    people = _first_contacts(events, existing)
    if people:
        times: list[datetime] = [t for _, t in people]
        # The contacts' conversations that a first message folded here may repeat, locked too
        # (in one order): folding may raise their repeat-contact counts.
        for row in (
            ConversationEffort.objects.select_for_update(no_key=True)
            .filter(
                requester_id__in={r for r, _ in people},
                created_at__gte=min(times) - REPEAT_WINDOW,
                created_at__lte=max(times),
            )
            .exclude(pk__in=ids)
            .order_by("pk")
        ):
            ctx.by_requester[row.requester_id or 0].append(row)
    by_conversation: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_conversation[event.conversation_id].append(event)
    written, folded = [], 0
    for pk in ids:
        row = existing.get(pk) or ConversationEffort(conversation_id=pk)
        ctx.rows[pk] = row
        changed = False
        for event in by_conversation.get(pk, []):
            if fold(row, event, ctx):
                changed = True
                folded += 1
        if row.requester_id is not None:
            ctx.by_requester[row.requester_id].append(row)
        if pk not in existing or changed:
            written.append(row)
    if written:
        _upsert(written)
    if ctx.dirty:
        _save_repeats(list(ctx.dirty.values()))
    return folded


def _first_contacts(
    events: list[Event], existing: dict[int, ConversationEffort]
) -> list[tuple[int, datetime]]:
    """(contact, conversation created at) of each conversation whose first message these
    events bring: what ``BatchContext.earlier_rows`` will be asked about while folding them (the
    message's author and the time folded from the creation, or the row's)."""
    created: dict[int, datetime] = {}
    found: list[tuple[int, datetime]] = []
    seen: set[int] = set()
    for event in events:  # in order within each conversation
        cid = event.conversation_id
        if event.type == EventType.CREATED:
            created[cid] = event.created_at
            continue
        if event.type != EventType.MESSAGE_RECEIVED or cid in seen:
            continue
        seen.add(cid)
        row = existing.get(cid)
        if row is not None and (row.requester_id is not None or row.customer_messages):
            continue
        at = created.get(cid) or (row.created_at if row is not None else None)
        if event.actor_contact_id is not None and at is not None:
            found.append((event.actor_contact_id, at))
    return found


# Rows are written with prepared statements run once per row (``executemany``): building
# bulk_create's or bulk_update's one big statement through the ORM cost more than the fold.
_FIELDS = [cast(Field, f) for f in ConversationEffort._meta.concrete_fields]
_KEY = cast(Field, ConversationEffort._meta.pk)
_REPEAT_FIELDS = [  # what a later repeat changes in an earlier row
    cast(Field, ConversationEffort._meta.get_field(name))
    for name in ("repeat_contacts", "fcr", "score")
]


def _column(field: Field) -> str:
    return str(connection.ops.quote_name(cast(str, field.column)))


def _params(row: ConversationEffort, fields: list[Field]) -> list[Any]:
    return [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]


def _upsert(rows: list[ConversationEffort]) -> None:
    """Write new and changed rows alike: INSERT ... ON CONFLICT DO UPDATE, the same statement
    on SQLite and PostgreSQL."""
    table = connection.ops.quote_name(ConversationEffort._meta.db_table)
    columns = ", ".join(_column(f) for f in _FIELDS)
    marks = ", ".join(["%s"] * len(_FIELDS))
    updates = ", ".join(
        f"{_column(f)} = EXCLUDED.{_column(f)}" for f in _FIELDS if not f.primary_key
    )
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({_column(_KEY)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [_params(row, _FIELDS) for row in rows])


def _save_repeats(rows: list[ConversationEffort]) -> None:
    """Write the repeat count (and the figures derived from it) of earlier conversations that a
    first message folded here repeated."""
    update_each(ConversationEffort, rows, _REPEAT_FIELDS)


def rebuild(
    *,
    full: bool = False,
    batch_size: int = 500,
    progress: Progress | None = None,
    conversation_ids: Iterable[int] | None = None,
) -> RebuildResult:
    """Fold every conversation's unfolded events (all of them with ``full``)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.monotonic()
    if full:
        ConversationEffort.objects.all().delete()
    query = Conversation.objects.order_by("pk").values_list("pk", flat=True)
    if conversation_ids is not None:
        query = query.filter(pk__in=list(conversation_ids))
    total = query.count()
    clock = Clock()
    done = events = 0
    last = 0
    while True:
        ids = list(query.filter(pk__gt=last)[:batch_size])
        if not ids:
            break
        with transaction.atomic():
            events += _fold_batch(ids, clock)
        last = ids[-1]
        done += len(ids)
        if progress:
            progress(done, total)
    return RebuildResult(conversations=done, events=events, seconds=time.monotonic() - started)
