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
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape, linebreaks

from helpmate.desk.actions import log_events, new_event
from helpmate.desk.models import Channel, Conversation, Event, EventType
from helpmate.mail.models import AddressHealth, InboundEmail
from helpmate.mail.noise import is_auto_reply
from helpmate.mail.tokens import reply_address
from helpmate.outbox.models import OutboundEmail, OutboundKind
from helpmate.outbox.queue import is_suppressed, outbound_email, queue_emails
from helpmate.outbox.replies import portal_link, team_addresses, team_name
from helpmate.people.models import ContactEmail

ACKNOWLEDGED_CHANNELS = (Channel.EMAIL, Channel.PORTAL)
RECENT_FIRST_REPLIES = 50
RECENT_DAYS = timedelta(days=30)


def on_event(event: Event) -> None:
    if event.type != EventType.CREATED or not settings.HELPMATE_ACKNOWLEDGE or is_suppressed():
        return
    conversation = event.conversation
    if should_acknowledge(conversation, event):
        acknowledge(conversation, at=event.created_at)


def on_events(events: list[Event]) -> None:
    """The batch form (``helpmate.desk.hooks.batched``, e.g. a batch of emails): the same
    decisions and words as ``on_event`` for every conversation the batch opened, with the
    look-ups made once for all of them. "Nobody's first conversation" means no earlier one: a
    requester who opened two in the batch is acknowledged once, for the first, as one at a time
    would."""
    if not settings.HELPMATE_ACKNOWLEDGE or is_suppressed():
        return
    created = {
        e.conversation_id: e
        for e in events
        if e.type == EventType.CREATED and e.actor_agent_id is None
    }
    if not created:
        return
    # Nobody's first conversation: none earlier from the same requester. The email that opened
    # it (the first one processed into a message): was it automatic mail (``is_auto_reply``)?
    earlier = Conversation.objects.filter(
        requester_id=OuterRef("requester_id"), pk__lt=OuterRef("pk")
    )
    opening = (
        InboundEmail.objects.filter(conversation_id=OuterRef("pk"), desk_message__isnull=False)
        .order_by("received_at", "pk")
        .values("is_automatic")[:1]
    )
    conversations = list(
        Conversation.objects.filter(
            pk__in=list(created), channel__in=ACKNOWLEDGED_CHANNELS, follow_up_of__isnull=True
        )
        .alias(automatic=Coalesce(Subquery(opening), Value(False)))
        .filter(~Exists(earlier), automatic=False)
        .select_related("requester", "team", "owner")
        .order_by("pk")
    )
    addresses = requester_addresses({c.requester_id for c in conversations})
    _acknowledge_all(
        [(c, created[c.pk].created_at, addresses.get(c.requester_id, "")) for c in conversations]
    )


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
    return expectations([(conversation, at)])[conversation.pk]


def expectations(items: Sequence[tuple[Conversation, datetime]]) -> dict[int, str]:
    """``when_to_expect`` for several new conversations (by id), each answered as it would have
    been alone when it was created: the queue estimates of a team are read once for all."""
    found: dict[int, str] = {}
    queued: list[tuple[Conversation, datetime]] = []
    for conversation, at in items:
        due = conversation.first_response_due_at
        if due is None:
            queued.append((conversation, at))
            continue
        local, zone = _local(due, conversation.requester.time_zone)
        day = "today" if local.date() == _local(at, zone)[0].date() else f"{local:%A %-d %B}"
        found[conversation.pk] = (
            f"You can expect a first answer {day} by {local:%H:%M} ({zone} time) at the latest."
        )
    if queued:
        found.update(_queue_estimates(queued))
    return found


def _in_teams(teams: set[int | None]) -> Q:
    named = Q(team_id__in=[t for t in teams if t is not None])
    return named | Q(team__isnull=True) if None in teams else named


def _queue_estimates(items: list[tuple[Conversation, datetime]]) -> dict[int, str]:
    """Without a due time: how many wait ahead in the same team, and the median first answer of
    its (at most RECENT_FIRST_REPLIES) newest answered conversations of the last RECENT_DAYS.

    "Ahead" means created before this one (a lower id): conversations created after it, in the
    same batch, were not there when it arrived. So the teams' figures are read once up to the
    first of these conversations, and the rows from there on (the batch's own) once, one by
    one, and each conversation counts from both what existed before it."""
    first = min(c.pk for c, _ in items)
    teams = {c.team_id for c, _ in items}
    since = min(at for _, at in items) - RECENT_DAYS
    before = Conversation.objects.filter(_in_teams(teams), pk__lt=first)
    waiting_before: dict[int | None, int] = dict(
        before.filter(waiting_since__isnull=False)
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    answered_before = {
        team: list(
            before.filter(_in_teams({team}), first_reply_at__isnull=False, created_at__gte=since)
            .order_by("-created_at", "-pk")
            .values_list("created_at", "pk", "first_reply_at")[:RECENT_FIRST_REPLIES]
        )
        for team in teams
    }
    later = list(
        Conversation.objects.filter(_in_teams(teams), pk__gte=first).values_list(
            "pk", "team_id", "waiting_since", "created_at", "first_reply_at"
        )
    )
    found: dict[int, str] = {}
    for conversation, at in items:
        pk, team, cutoff = conversation.pk, conversation.team_id, at - RECENT_DAYS
        earlier = [row for row in later if row[0] < pk and row[1] == team]
        waiting = waiting_before.get(team, 0) + sum(1 for row in earlier if row[2] is not None)
        recent = [row for row in answered_before[team] if row[0] >= cutoff]
        recent += [(c, p, r) for p, _, _, c, r in earlier if r is not None and c >= cutoff]
        recent.sort(reverse=True)  # newest first, as the query orders them
        found[pk] = _queue_sentence(waiting, [(c, r) for c, _, r in recent[:RECENT_FIRST_REPLIES]])
    return found


def _queue_sentence(waiting: int, recent: list[tuple[datetime, datetime | None]]) -> str:
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
    _acknowledge_all([(conversation, at, address)])


def _acknowledge_all(items: list[tuple[Conversation, datetime, str]]) -> None:
    """Write the acknowledgements of these conversations (at, to the requester's address) into
    the outbox with one INSERT, and log each."""
    items = [item for item in items if item[2]]  # no address, or it bounces: nothing to say
    if not items:
        return
    expected = expectations([(c, at) for c, at, _ in items])
    senders = team_addresses([c for c, _, _ in items])
    emails = [
        _acknowledgement(c, at, address, expected[c.pk], senders[c.team_id])
        for c, at, address in items
    ]
    queue_emails(emails)
    log_events(
        [
            new_event(conversation, EventType.ACKNOWLEDGED, None, at, outbound=email.pk, to=[to])
            for (conversation, at, to), email in zip(items, emails, strict=True)
        ]
    )


def _acknowledgement(
    conversation: Conversation, at: datetime, to: str, expected: str, sender: str
) -> OutboundEmail:
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
        f"{expected}\n\n"
        "If you think of anything to add, simply answer this email: it goes to the same "
        f"conversation. You can also follow it here: {link}\n\n"
        f"{signature}"
    )
    return outbound_email(
        to=[to],
        subject=f"Re: {conversation.subject} [#{conversation.pk}]",
        text=text,
        html=linebreaks(escape(text)),
        conversation=conversation,
        kind=OutboundKind.ACKNOWLEDGEMENT,
        from_name=f"{owner.public_name} at {team}" if owner else team,
        from_email=sender,
        reply_to=reply_address(sender, conversation.pk),
        headers={"Auto-Submitted": "auto-replied"},
        at=at,
    )
