"""Folding events into a conversation's effort row, one event at a time.

The same ``fold`` is used by the live listener (each new event, inside the writing transaction)
and by ``helpmate effort rebuild`` (batches of history); a ``Context`` supplies what an event
alone does not carry (a message's text, the contact's earlier conversations, the clock).

Rules (docs/effort.md says why):
- The customer waits on us from the conversation's creation or their message until an agent
  replies or the status becomes "waiting on customer", resolved or closed; a wait that spans a
  handoff is one wait, split between the steps for the timeline. Waits are business time of the
  team that had the conversation during each part.
- A handoff is every ``transferred`` event, and an ``assigned`` event that gives it to a named
  person other than the last named owner (claiming an unowned conversation is not one).
- Repeat contact: the contact's first message of a new conversation is compared with their
  conversations created in the 7 days before it; the newest similar one gets a repeat counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from helpmate.desk.models import DONE_STATUSES, Event, EventType, Status
from helpmate.effort.clock import Clock
from helpmate.effort.models import ConversationEffort
from helpmate.effort.score import effort_score
from helpmate.effort.similarity import is_repeat, topic_of

REPEAT_WINDOW = timedelta(days=7)
_WAIT_ENDS = {Status.WAITING_CUSTOMER, *DONE_STATUSES}


class Context(Protocol):
    clock: Clock

    def message_text(self, message_id: int) -> str: ...

    def earlier_rows(self, row: ConversationEffort) -> Iterable[ConversationEffort]:
        """The contact's conversations created in the REPEAT_WINDOW before ``row``, newest
        first (locked or otherwise safe to change)."""
        ...

    def row(self, conversation_id: int) -> ConversationEffort | None: ...

    def changed(self, other: ConversationEffort) -> None:
        """Another conversation's row was changed by this fold and must be saved."""
        ...


def _iso(at: datetime) -> str:
    return at.isoformat()


def _open_step(row: ConversationEffort, at: datetime, via: str, by: int | None) -> None:
    row.steps.append(
        {
            "start": _iso(at),
            "end": None,
            "team": row.team_id,
            "owner": row.owner_id,
            "wait": 0,
            "via": via,
            "by": by,
        }
    )


def _split_wait(row: ConversationEffort, at: datetime, ctx: Context) -> int:
    """Close the running wait's part that belongs to the current step; returns its seconds."""
    if row.step_wait_since is None:
        return 0
    part = ctx.clock.seconds(row.step_wait_since, at, row.team_id)
    if row.steps:
        row.steps[-1]["wait"] += part
    row.step_wait_since = at
    return part


def _change_hands(row: ConversationEffort, at: datetime, via: str, by: int | None) -> None:
    if row.steps:
        row.steps[-1]["end"] = _iso(at)
    _open_step(row, at, via, by)


def _start_wait(row: ConversationEffort, at: datetime) -> None:
    if row.waiting_since is None:
        row.waiting_since = at
        row.step_wait_since = at
        row.ongoing_wait_seconds = 0


def _end_wait(row: ConversationEffort, at: datetime, ctx: Context) -> None:
    if row.waiting_since is None:
        return
    total = row.ongoing_wait_seconds + _split_wait(row, at, ctx)
    row.wait_seconds += total
    row.longest_wait_seconds = max(row.longest_wait_seconds, total)
    row.waits += 1
    row.waiting_since = None
    row.step_wait_since = None
    row.ongoing_wait_seconds = 0


def _touch_team(row: ConversationEffort, team_id: int | None) -> None:
    if team_id is not None and team_id not in row.teams_touched:
        row.teams_touched = [*row.teams_touched, team_id]
        row.team_count = len(row.teams_touched)


def _named_owner(row: ConversationEffort, owner_id: int | None, at: datetime, ctx: Context) -> None:
    if owner_id is None:
        return
    row.last_named_owner_id = owner_id
    if row.owned_at is None:
        row.owned_at = at
        start = row.created_at or at
        row.time_to_owner_seconds = ctx.clock.seconds(start, at, row.team_id)


def _set_owner(
    row: ConversationEffort,
    event: Event,
    ctx: Context,
    *,
    team_id: int | None,
    owner_id: int | None,
    via: str,
) -> None:
    at = event.created_at
    if team_id == row.team_id and owner_id == row.owner_id:
        return
    part = _split_wait(row, at, ctx)
    row.ongoing_wait_seconds += part
    row.team_id = team_id
    row.owner_id = owner_id
    _touch_team(row, team_id)
    _change_hands(row, at, via, event.actor_agent_id)
    _named_owner(row, owner_id, at, ctx)


def _first_message(row: ConversationEffort, event: Event, ctx: Context) -> None:
    row.requester_id = event.actor_contact_id
    message_id = event.data.get("message")
    text = ctx.message_text(message_id) if isinstance(message_id, int) else ""
    row.topic = topic_of(row.topic, text)
    if row.requester_id is None or not row.topic or row.created_at is None:
        return
    for earlier in ctx.earlier_rows(row):
        if earlier.pk != row.pk and not earlier.merged and is_repeat(row.topic, earlier.topic):
            row.repeat_of_id = earlier.pk
            earlier.repeat_contacts += 1
            finish(earlier)
            ctx.changed(earlier)
            return


def _merged(row: ConversationEffort, event: Event, ctx: Context) -> None:
    if "into" in event.data:
        row.merged = True
        return
    source_id = event.data.get("merged")
    source = ctx.row(source_id) if isinstance(source_id, int) else None
    if source is None:
        return
    # The source's messages are this conversation's now; a duplicate the customer had to send
    # is a repeat contact unless it was already counted as one.
    row.customer_messages += source.customer_messages
    if source.repeat_of_id != row.pk and source.requester_id == row.requester_id:
        row.repeat_contacts += 1


def fold(row: ConversationEffort, event: Event, ctx: Context) -> bool:
    """Fold one event into the row; False (and no change) if it was already folded in."""
    if event.pk <= row.last_event_id:
        return False
    at = event.created_at
    kind = event.type
    data: dict[str, Any] = event.data or {}
    if kind == EventType.CREATED:
        row.created_at = at
        row.team_id = data.get("team")
        row.status = Status.NEW
        _touch_team(row, row.team_id)
        row.topic = topic_of(str(data.get("subject", "")), "")
        _open_step(row, at, "created", event.actor_agent_id)
        _start_wait(row, at)
    elif kind == EventType.MESSAGE_RECEIVED:
        if row.customer_messages == 0 and row.requester_id is None:
            _first_message(row, event, ctx)
        row.customer_messages += 1
        _start_wait(row, at)
    elif kind == EventType.REPLIED and not data.get("handoff"):
        # A handoff's "X has your request now" reply tells the customer who owns it; it is not
        # an answer, so the wait goes on (helpmate.handoffs).
        row.agent_replies += 1
        _end_wait(row, at, ctx)
    elif kind == EventType.STATUS_CHANGED:
        row.status = str(data.get("status", row.status))
        if row.status in _WAIT_ENDS:
            _end_wait(row, at, ctx)
        if row.status in DONE_STATUSES:
            row.resolved_at = row.resolved_at or at
        else:
            row.resolved_at = None
    elif kind == EventType.REOPENED:
        row.reopenings += 1
        row.resolved_at = None
    elif kind == EventType.ASSIGNED:
        owner = data.get("owner")
        if owner is not None and row.last_named_owner_id not in (None, owner):
            row.handoffs += 1
        _set_owner(row, event, ctx, team_id=row.team_id, owner_id=owner, via="assigned")
    elif kind == EventType.TRANSFERRED:
        row.handoffs += 1
        _set_owner(
            row,
            event,
            ctx,
            team_id=data.get("to_team"),
            owner_id=data.get("to_owner"),
            via="transferred",
        )
    elif kind == EventType.MERGED:
        _merged(row, event, ctx)
    elif kind == EventType.CES_REQUESTED:
        row.ces_requested_at = row.ces_requested_at or at
    elif kind == EventType.CES_ANSWERED:
        row.ces_score = data.get("score")
        row.ces_comment = str(data.get("comment", ""))
        row.ces_answered_at = at
    row.last_event_id = event.pk
    row.last_event_at = at
    finish(row)
    return True


def is_first_contact_resolution(row: ConversationEffort) -> bool:
    """Resolved (or closed) with exactly one agent reply, never reopened, not merged away, not
    itself a repeat of an earlier conversation, and no similar conversation since (a repeat
    within 7 days takes first-contact resolution away again)."""
    return (
        row.status in DONE_STATUSES
        and not row.merged
        and row.agent_replies == 1
        and row.reopenings == 0
        and row.repeat_of_id is None
        and row.repeat_contacts == 0
    )


def finish(row: ConversationEffort) -> None:
    """Recompute the derived figures (first-contact resolution, the score)."""
    row.fcr = is_first_contact_resolution(row)
    row.score = effort_score(row)
