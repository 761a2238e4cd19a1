"""Reacting to the event log (registered in HandoffsConfig.ready(); run inside the desk action's
transaction, with the conversation locked):

- TRANSFERRED: record the Handoff (earlier pending ones are superseded), alert the leads when
  it is the N-th handoff or a bounce back to a team it had left;
- REPLIED with ``handoff``: link the message that told the customer;
- REPLIED / ASSIGNED to oneself by the receiver: they accepted it (replying or claiming counts);
- MESSAGE_RECEIVED: the previous owner, who follows until acceptance, is notified (a batch's
  messages with one look-up, ``on_events``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings

from helpmate.desk.models import Conversation, Event, EventType, Notification
from helpmate.desk.sanitize import preview_of
from helpmate.handoffs.actions import _record_acceptance, _record_alert, may_accept
from helpmate.handoffs.models import AlertReason, Handoff
from helpmate.people.models import Agent, Team


def on_event(event: Event) -> None:
    handler = _HANDLERS.get(event.type)
    if handler is not None:
        handler(event)


def _transferred(event: Event) -> None:
    data = event.data
    conv = event.conversation
    at = event.created_at
    actor = event.actor_agent
    Handoff.objects.filter(conversation=conv).pending().update(superseded_at=at)
    from_agent_id = data.get("from_owner") or (actor.pk if actor else None)
    to_agent_id = data.get("to_owner")
    to_self = actor is not None and to_agent_id == actor.pk
    handoff = Handoff.objects.create(
        conversation=conv,
        from_agent_id=from_agent_id,
        from_team_id=data.get("from_team"),
        to_agent_id=to_agent_id,
        to_team_id=data.get("to_team"),
        by_agent=actor,
        note=data.get("reason", ""),
        created_at=at,
        accepted_at=at if to_self else None,
        accepted_by=actor if to_self else None,
    )
    _check_mazes(conv, handoff)


def _check_mazes(conv: Conversation, handoff: Handoff) -> None:
    history = list(
        Handoff.objects.filter(conversation=conv)
        .order_by("created_at", "id")
        .values_list("from_team_id", "to_team_id")
    )
    team = Team.objects.filter(pk=handoff.to_team_id).first() if handoff.to_team_id else None
    count = len(history)
    if count >= settings.HELPMATE_HANDOFF_ALERT_COUNT:
        _record_alert(conv, AlertReason.HANDOFFS, team, handoff.created_at, str(count))
    left = {from_team for from_team, to_team in history[:-1] if from_team and from_team != to_team}
    moved = handoff.to_team_id != handoff.from_team_id
    if moved and handoff.to_team_id in left and team is not None:
        _record_alert(conv, AlertReason.BOUNCED, team, handoff.created_at, team.name)


def _replied(event: Event) -> None:
    conv = event.conversation
    if event.data.get("handoff"):
        latest = Handoff.objects.filter(conversation=conv).order_by("-created_at", "-id").first()
        if latest is not None and latest.customer_message_id is None:
            latest.customer_message_id = event.data.get("message")
            latest.save(update_fields=["customer_message"])
        return
    pending = Handoff.objects.filter(conversation=conv).pending().order_by("-created_at").first()
    _accept_implicitly(conv, pending, event.actor_agent, "replied", event)


def _assigned(event: Event) -> None:
    actor = event.actor_agent
    if actor is None or event.data.get("owner") != actor.pk or event.data.get("reason"):
        return  # only claiming counts (the reply's own assignment is handled by REPLIED)
    conv = event.conversation
    pending = Handoff.objects.filter(conversation=conv).pending().order_by("-created_at").first()
    _accept_implicitly(conv, pending, actor, "claimed", event)


def _accept_implicitly(
    conv: Conversation, handoff: Handoff | None, agent: Agent | None, how: str, event: Event
) -> None:
    if handoff is None or agent is None:
        return
    # The conversation is the action's locked instance; a claim sets the owner after its event.
    owner_id = agent.pk if how == "claimed" else conv.owner_id
    if agent.pk != handoff.from_agent_id and may_accept(handoff, agent, owner_id):
        _record_acceptance(conv, handoff, agent, how, event.created_at)


def _message_received(event: Event) -> None:
    _messages_received([event])


def _messages_received(events: list[Event]) -> None:
    """Notify each message's followers (one query for them all)."""
    later = [e for e in events if e.conversation.created_at != e.created_at]
    if not later:
        return  # messages that opened their conversation: nobody can follow them yet
    followers: dict[int, set[int]] = defaultdict(set)
    pending = (
        Handoff.objects.filter(
            conversation_id__in={e.conversation_id for e in later}, from_agent__isnull=False
        )
        .pending()
        .values_list("conversation_id", "from_agent_id")
    )
    for conversation_id, agent_id in pending:
        followers[conversation_id].add(agent_id)
    notes: list[Notification] = []
    for event in later:
        conv = event.conversation
        author = event.actor_contact.name if event.actor_contact else "The customer"
        text = f"{author} wrote again on “{preview_of(conv.subject, 80)}” (you follow it)"
        notes.extend(
            Notification(
                agent_id=agent_id,
                conversation=conv,
                message_id=event.data.get("message"),
                created_at=event.created_at,
                text=text[:300],
            )
            for agent_id in sorted(followers[conv.pk])
            if agent_id != conv.owner_id
        )
    if notes:
        Notification.objects.bulk_create(notes)


def on_events(events: list[Event]) -> None:
    """The batch form (``helpmate.desk.hooks.batched``): the events in order, each run of
    "message received" handled together (it only reads handoffs and writes notifications)."""
    received: list[Event] = []
    for event in events:
        if event.type == EventType.MESSAGE_RECEIVED:
            received.append(event)
            continue
        _messages_received(received)
        received = []
        on_event(event)
    _messages_received(received)


_HANDLERS: dict[str, Callable[[Event], None]] = {
    EventType.TRANSFERRED: _transferred,
    EventType.REPLIED: _replied,
    EventType.ASSIGNED: _assigned,
    EventType.MESSAGE_RECEIVED: _message_received,
}
