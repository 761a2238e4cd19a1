"""Reads of the mail app: the admins' incoming-mail list, per-mailbox counts, bouncing addresses,
and what the conversation page shows about email."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from helpmate.desk.models import Event, EventType
from helpmate.mail.models import AddressHealth, InboundEmail, InboundState, Mailbox

NOTICE_EVENTS = [
    EventType.AUTO_REPLY_RECEIVED,
    EventType.BOUNCE_RECEIVED,
    EventType.FOLLOW_UP_OPENED,
]


def inbound_rows(*, state: str, mailbox_id: int | None) -> QuerySet[InboundEmail]:
    """Newest first, without the raw bytes (a list never loads message bodies)."""
    rows = InboundEmail.objects.select_related("mailbox").defer("raw_data")
    if state:
        rows = rows.filter(state=state)
    if mailbox_id is not None:
        rows = rows.filter(mailbox_id=mailbox_id)
    return rows.order_by("-received_at", "-id")


def mailbox_summary() -> list[Mailbox]:
    """Every mailbox with how many of its emails are quarantined or still waiting."""
    return list(
        Mailbox.objects.select_related("team").annotate(
            quarantined=Count("inbound", filter=Q(inbound__state=InboundState.QUARANTINED)),
            waiting=Count("inbound", filter=Q(inbound__state=InboundState.RECEIVED)),
        )
    )


def is_bouncing(address: str) -> bool:
    """Mail to this address bounced permanently (and they have not written since)."""
    return AddressHealth.objects.filter(
        contact_email__email=address.strip().lower(), bouncing=True
    ).exists()


def bouncing_addresses(addresses: list[str]) -> dict[str, str]:
    """{address: last reason} for those of ``addresses`` that bounce (one query)."""
    rows = AddressHealth.objects.filter(
        contact_email__email__in=[a.lower() for a in addresses], bouncing=True
    ).values_list("contact_email__email", "last_reason")
    return dict(rows)


def mail_notices(conversation_id: int) -> list[Event]:
    return list(
        Event.objects.filter(conversation_id=conversation_id, type__in=NOTICE_EVENTS).order_by(
            "-created_at", "-id"
        )[:20]
    )


def messages_with_original(conversation_id: int) -> set[int]:
    """Ids of this conversation's messages that came by email and have their original kept."""
    return set(
        InboundEmail.objects.filter(desk_message__conversation_id=conversation_id).values_list(
            "desk_message_id", flat=True
        )
    )
