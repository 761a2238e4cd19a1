"""The event listener that keeps ``ConversationEffort`` current as events are written.

Registered with ``helpmate.desk.hooks.on_event`` in ``EffortConfig.ready()``. It runs inside the
action's transaction (the conversation row is locked), reads and locks the effort row, folds the
event in and saves: two queries per event. A conversation whose row does not exist yet (history
from before effort was installed) is caught up from its own events once.
"""

from __future__ import annotations

from collections.abc import Iterable

from helpmate.desk.models import Event, EventType, Message
from helpmate.effort.clock import Clock
from helpmate.effort.fold import REPEAT_WINDOW, fold
from helpmate.effort.models import ConversationEffort

# The event types effort reads; the others (tags, emails sent, promises, ...) are skipped
# outright, so they cost nothing and leave the row alone.
RELEVANT = frozenset(
    {
        EventType.CREATED,
        EventType.MESSAGE_RECEIVED,
        EventType.REPLIED,
        EventType.STATUS_CHANGED,
        EventType.REOPENED,
        EventType.ASSIGNED,
        EventType.TRANSFERRED,
        EventType.MERGED,
        EventType.CES_REQUESTED,
        EventType.CES_ANSWERED,
    }
)


class LiveContext:
    def __init__(self) -> None:
        self.clock = Clock()
        self._changed: dict[int, ConversationEffort] = {}

    def message_text(self, message_id: int) -> str:
        text = Message.objects.filter(pk=message_id).values_list("text", flat=True).first()
        return text or ""

    def earlier_rows(self, row: ConversationEffort) -> Iterable[ConversationEffort]:
        assert row.created_at is not None
        return (
            ConversationEffort.objects.select_for_update(no_key=True)
            .filter(
                requester_id=row.requester_id,
                created_at__gte=row.created_at - REPEAT_WINDOW,
                created_at__lte=row.created_at,
            )
            .exclude(pk=row.pk)
            .order_by("-created_at", "-pk")[:20]
        )

    def row(self, conversation_id: int) -> ConversationEffort | None:
        return ConversationEffort.objects.filter(pk=conversation_id).first()

    def changed(self, other: ConversationEffort) -> None:
        self._changed[other.pk] = other

    def save_changed(self) -> None:
        for other in self._changed.values():
            other.save(update_fields=["repeat_contacts", "fcr", "score"])
        self._changed.clear()


def record_event(event: Event) -> None:
    if event.type not in RELEVANT:
        return
    found = list(
        ConversationEffort.objects.select_for_update(no_key=True).filter(pk=event.conversation_id)
    )
    row = found[0] if found else None
    ctx = LiveContext()
    if row is None:
        row = ConversationEffort(conversation_id=event.conversation_id)
        history = Event.objects.filter(conversation_id=event.conversation_id, pk__lte=event.pk)
        events: Iterable[Event] = (
            history.filter(type__in=RELEVANT).order_by("pk")
            if event.type != EventType.CREATED
            else [event]
        )
        for item in events:
            fold(row, item, ctx)
        row.save(force_insert=True)
    else:
        before = _values(row)
        if fold(row, event, ctx):
            after = _values(row)
            row.save(update_fields=[name for name, value in after.items() if before[name] != value])
    ctx.save_changed()


_FIELDS = [f for f in ConversationEffort._meta.concrete_fields if not f.primary_key]


def _values(row: ConversationEffort) -> dict[str, object]:
    """The row's field values, to write back only what a fold changed (lists copied, since
    the fold may append to the steps in place)."""
    values: dict[str, object] = {}
    for f in _FIELDS:
        value = getattr(row, f.attname)
        values[f.name] = (
            [dict(v) if isinstance(v, dict) else v for v in value]
            if isinstance(value, list)
            else value
        )
    return values
