"""An honest acknowledgement of a new requester's first message.

Said once, to someone writing to us for the first time (by email or the portal): who will look
at it (the owner by first name, or the team) and when to expect an answer (the conversation's
first-response due time, or an estimate from the team's queue when no target applies), signed
by that person or the team, from an address that takes replies (they thread back to the same
conversation). Never sent for automatic mail, for conversations an agent logged for someone, for
internal notes between colleagues, for follow-ups, or to an address that bounces.

Registered with ``helpmate.desk.hooks.on_event``: it runs inside the transaction that creates the
conversation, so the outbox row commits (or rolls back) with it.
"""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.html import escape, linebreaks

from helpmate.desk.actions import log_event
from helpmate.desk.models import Channel, Conversation, Event, EventType
from helpmate.mail.models import AddressHealth, InboundEmail
from helpmate.mail.noise import is_auto_reply
from helpmate.mail.tokens import reply_address
from helpmate.outbox.models import OutboundKind
from helpmate.outbox.queue import is_suppressed, queue_email
from helpmate.outbox.replies import portal_link, team_address, team_name
from helpmate.people.models import ContactEmail

ACKNOWLEDGED_CHANNELS = (Channel.EMAIL, Channel.PORTAL)
RECENT_FIRST_REPLIES = 50


def on_event(event: Event) -> None:
    if event.type != EventType.CREATED or not settings.HELPMATE_ACKNOWLEDGE or is_suppressed():
        return
    conversation = event.conversation
    if should_acknowledge(conversation, event):
        acknowledge(conversation, at=event.created_at)


def on_events(events: list[Event]) -> None:
    """The batch form (``helpmate.desk.hooks.batched``, e.g. a batch of emails): the same
    decisions as ``on_event`` for every conversation the batch opened, with the look-ups made
    once for all of them. "Nobody's first conversation" means no earlier one: a requester who
    opened two in the batch is acknowledged once, for the first, as one at a time would."""
    if not settings.HELPMATE_ACKNOWLEDGE or is_suppressed():
        return
    created = {
        e.conversation_id: e
        for e in events
        if e.type == EventType.CREATED and e.actor_agent_id is None
    }
    if not created:
        return
    conversations = [
        c
        for c in Conversation.objects.filter(pk__in=list(created))
        .select_related("requester", "team", "owner")
        .order_by("pk")
        if c.channel in ACKNOWLEDGED_CHANNELS and not c.follow_up_of_id
    ]
    requesters = {c.requester_id for c in conversations}
    first_of: dict[int, int] = {}
    for requester_id, pk in (
        Conversation.objects.filter(requester_id__in=requesters)
        .order_by("requester_id", "pk")
        .values_list("requester_id", "pk")
    ):
        first_of.setdefault(requester_id, pk)
    automatic = _first_email_automatic([c.pk for c in conversations])
    addresses = requester_addresses(requesters)
    for conversation in conversations:
        if first_of.get(conversation.requester_id) != conversation.pk:
            continue
        if automatic.get(conversation.pk, False):
            continue
        acknowledge(
            conversation,
            at=created[conversation.pk].created_at,
            address=addresses.get(conversation.requester_id, ""),
        )


def _first_email_automatic(conversation_ids: list[int]) -> dict[int, bool]:
    """Per conversation: was the email that opened it automatic mail (as ``is_auto_reply``)?"""
    first: dict[int, bool] = {}
    rows = (
        InboundEmail.objects.filter(
            conversation_id__in=conversation_ids, desk_message__isnull=False
        )
        .order_by("conversation_id", "received_at", "pk")
        .values_list("conversation_id", "is_automatic")
    )
    for conversation_id, is_automatic in rows:
        first.setdefault(conversation_id, bool(is_automatic))
    return first


def should_acknowledge(conversation: Conversation, event: Event) -> bool:
    if event.actor_agent_id is not None:  # an agent logged it (a call, a forward)
        return False
    if conversation.channel not in ACKNOWLEDGED_CHANNELS or conversation.follow_up_of_id:
        return False
    if (
        Conversation.objects.filter(requester_id=conversation.requester_id)
        .exclude(pk=conversation.pk)
        .exists()
    ):
        return False
    return not is_auto_reply(conversation)


def requester_address(conversation: Conversation) -> str:
    """The requester's primary address unless it bounces (one query)."""
    return requester_addresses({conversation.requester_id}).get(conversation.requester_id, "")


def requester_addresses(contact_ids: set[int]) -> dict[int, str]:
    """Each contact's primary address, left out when it bounces (one query for all)."""
    bouncing = AddressHealth.objects.filter(contact_email=OuterRef("pk"), bouncing=True)
    rows = (
        ContactEmail.objects.filter(contact_id__in=contact_ids)
        .annotate(bouncing=Exists(bouncing))
        .order_by("contact_id", "-is_primary", "email")
        .values_list("contact_id", "email", "bouncing")
    )
    found: dict[int, tuple[str, bool]] = {}
    for contact_id, email, is_bouncing in rows:
        found.setdefault(contact_id, (email, is_bouncing))
    return {pk: email for pk, (email, is_bouncing) in found.items() if not is_bouncing}


def _local(at: datetime, zone_name: str) -> tuple[datetime, str]:
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone, zone_name = ZoneInfo("UTC"), "UTC"
    return at.astimezone(zone), zone_name


def _duration(delta: timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 90:
        return f"{minutes} minutes"
    hours = round(minutes / 60)
    if hours < 36:
        return f"{hours} hours"
    return f"{round(hours / 24)} days"


def when_to_expect(conversation: Conversation, at: datetime) -> str:
    """One honest sentence on when the first answer should come."""
    due = conversation.first_response_due_at
    if due is not None:
        local, zone = _local(due, conversation.requester.time_zone)
        day = "today" if local.date() == _local(at, zone)[0].date() else f"{local:%A %-d %B}"
        return f"You can expect a first answer {day} by {local:%H:%M} ({zone} time) at the latest."
    same_team = Q(team_id=conversation.team_id) if conversation.team_id else Q(team__isnull=True)
    waiting = (
        Conversation.objects.filter(same_team, waiting_since__isnull=False)
        .exclude(pk=conversation.pk)
        .count()
    )
    recent = list(
        Conversation.objects.filter(
            same_team, first_reply_at__isnull=False, created_at__gte=at - timedelta(days=30)
        )
        .order_by("-created_at")
        .values_list("created_at", "first_reply_at")[:RECENT_FIRST_REPLIES]
    )
    ahead = (
        "Nobody else is waiting right now, so yours is next."
        if waiting == 0
        else f"{waiting} conversation{'s are' if waiting != 1 else ' is'} ahead of yours."
    )
    if len(recent) >= 5:
        typical = statistics.median((r - c).total_seconds() for c, r in recent if r is not None)
        return (
            f"We answer in the order people wrote to us; {ahead} Lately our first answer has "
            f"taken about {_duration(timedelta(seconds=typical))}."
        )
    return f"We answer in the order people wrote to us; {ahead}"


def acknowledge(
    conversation: Conversation, *, at: datetime | None = None, address: str | None = None
) -> None:
    """Queue the acknowledgement (``address``: the requester's, when already looked up)."""
    at = at or timezone.now()
    address = requester_address(conversation) if address is None else address
    if not address:
        return  # no address, or it bounces: nothing honest to say by email
    to = [address]
    owner = conversation.owner
    team = team_name(conversation)
    who = (
        f"{owner.public_name} from our {team} team is looking after it"
        if owner
        else f"it is with our {team} team, and whoever takes it on will answer you by name"
    )
    signature = f"{owner.public_name}\n{team}" if owner else f"The {team} team"
    company = settings.HELPMATE_COMPANY_NAME
    if company and company != team:
        signature += f", {company}"
    link = portal_link(conversation)
    text = (
        f"Hello {conversation.requester.greeting_name},\n\n"
        f"Thank you for writing to us about “{conversation.subject}”. It has reached us: "
        f"{who}.\n\n"
        f"{when_to_expect(conversation, at)}\n\n"
        "If you think of anything to add, simply answer this email: it goes to the same "
        f"conversation. You can also follow it here: {link}\n\n"
        f"{signature}"
    )
    address = team_address(conversation)
    email = queue_email(
        to=to,
        subject=f"Re: {conversation.subject} [#{conversation.pk}]",
        text=text,
        html=linebreaks(escape(text)),
        conversation=conversation,
        kind=OutboundKind.ACKNOWLEDGEMENT,
        from_name=f"{owner.public_name} at {team}" if owner else team,
        from_email=address,
        reply_to=reply_address(address, conversation.pk),
        headers={"Auto-Submitted": "auto-replied"},
        at=at,
    )
    log_event(conversation, EventType.ACKNOWLEDGED, None, at, outbound=email.pk, to=to)
