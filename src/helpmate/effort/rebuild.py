"""``helpmate effort rebuild``: fold the event log into effort rows in batches.

For data that did not pass through the listener: ``helpmate generate`` (which bulk-inserts past
the actions), a desk that had conversations before effort was installed, or after changing the
rules (``--full`` forgets every row first). Each batch of conversations is one transaction: it
locks their effort rows, reads their events in one query (only those after each row's cursor),
the first messages and the contacts' earlier conversations in one query each, folds in memory
and writes back with bulk inserts and updates. Running it twice changes nothing the second time.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from helpmate.desk.models import Conversation, Event, EventType, Message
from helpmate.effort.clock import Clock
from helpmate.effort.fold import REPEAT_WINDOW, fold
from helpmate.effort.live import RELEVANT
from helpmate.effort.models import ConversationEffort

Progress = Callable[[int, int], None]
_SAVED_FIELDS = [
    f.name for f in ConversationEffort._meta.concrete_fields if f.name != "conversation"
]


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


def _unseen_events(ids: list[int], existing: dict[int, ConversationEffort]) -> list[Event]:
    """The events after each row's own cursor (the conversations' event ids interleave, so one
    cursor for the whole batch would read nearly everything again)."""
    events = list(
        Event.objects.filter(conversation_id__in=[i for i in ids if i not in existing])
        .filter(type__in=RELEVANT)
        .order_by("conversation_id", "pk")
    )
    rows = list(existing.values())
    for start in range(0, len(rows), OR_CHUNK):
        unseen = Q()
        for row in rows[start : start + OR_CHUNK]:
            unseen |= Q(conversation_id=row.pk, pk__gt=row.last_event_id)
        events += Event.objects.filter(unseen).filter(type__in=RELEVANT)
    events.sort(key=lambda e: (e.conversation_id, e.pk))
    return events


def fold_events(events: list[Event]) -> None:
    """The event listener's batch form (``helpmate.desk.hooks.batched``): fold the
    conversations these events touched in one pass, inside the caller's transaction."""
    ids = sorted({e.conversation_id for e in events if e.type in RELEVANT})
    if ids:
        _fold_batch(ids, Clock())


def _fold_batch(ids: list[int], clock: Clock) -> int:
    existing = {
        r.pk: r
        for r in ConversationEffort.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
    }
    events = _unseen_events(ids, existing)
    texts = dict(
        Message.objects.filter(pk__in=_first_message_ids(events, existing)).values_list(
            "pk", "text"
        )
    )
    ctx = BatchContext(clock, texts)
    people = list(Conversation.objects.filter(pk__in=ids).values_list("requester_id", "created_at"))
    if people:
        times: list[datetime] = [t for _, t in people]
        # Locked too (in one order): folding may raise their repeat-contact counts.
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
    new, updated, folded = [], [], 0
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
        if pk not in existing:
            new.append(row)
        elif changed:
            updated.append(row)
    # One upsert (INSERT ... ON CONFLICT DO UPDATE) writes new and changed rows alike: far
    # cheaper to build than bulk_update's CASE per column.
    if new or updated:
        ConversationEffort.objects.bulk_create(
            new + updated,
            update_conflicts=True,
            unique_fields=["conversation"],
            update_fields=_SAVED_FIELDS,
        )
    if ctx.dirty:
        ConversationEffort.objects.bulk_update(
            list(ctx.dirty.values()), ["repeat_contacts", "fcr", "score"]
        )
    return folded


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
