"""Every write of the mail app: mailboxes, retries, and what inbound mail records on a
conversation (automatic replies, bounces, follow-ups, notes about files left in the original).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions import create_conversation, lock_conversation, log_event
from helpmate.desk.models import (
    Channel,
    Conversation,
    EventType,
    Message,
    MessageKind,
)
from helpmate.desk.sanitize import text_to_html
from helpmate.mail.models import (
    AddressHealth,
    Bounce,
    InboundEmail,
    InboundState,
    Mailbox,
)
from helpmate.people.models import Agent, Contact, ContactEmail, Team


class MailError(ValueError):
    """A mail change that cannot be made, with a message fit to show."""


def save_mailbox(
    *,
    address: str,
    team: Team,
    name: str = "",
    active: bool = True,
    imap_host: str = "",
    imap_port: int = 993,
    imap_ssl: bool = True,
    imap_user: str = "",
    imap_password: str = "",
    imap_password_env: str = "",
    imap_folder: str = "INBOX",
    imap_delete: bool = False,
) -> Mailbox:
    """Create the mailbox for ``address`` or update it (the address is the key)."""
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise MailError(f"“{address}” is not an email address.") from exc
    if "+" in address.split("@")[0]:
        raise MailError("Use the plain address; replies to support+… arrive by themselves.")
    if imap_host and not imap_user:
        raise MailError("An IMAP mailbox needs a user name.")
    fields = {
        "team": team,
        "name": name.strip(),
        "active": active,
        "imap_host": imap_host.strip(),
        "imap_port": imap_port,
        "imap_ssl": imap_ssl,
        "imap_user": imap_user.strip(),
        "imap_password": imap_password,
        "imap_password_env": imap_password_env.strip(),
        "imap_folder": imap_folder.strip() or "INBOX",
        "imap_delete": imap_delete,
    }
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update(no_key=True).filter(address=address).first()
        if mailbox is None:
            return Mailbox.objects.create(address=address, **fields)
        for key, value in fields.items():
            setattr(mailbox, key, value)
        mailbox.save()
    return mailbox


def record_poll(
    *,
    mailbox: Mailbox,
    uidvalidity: int | None,
    last_uid: int,
    error: str = "",
    at: datetime | None = None,
) -> None:
    """Remember where IMAP polling left off (and the last error, never a password)."""
    with transaction.atomic():
        locked = Mailbox.objects.select_for_update(no_key=True).get(pk=mailbox.pk)
        if uidvalidity is not None:
            locked.imap_uidvalidity = uidvalidity
            locked.imap_last_uid = last_uid
        locked.last_polled_at = at or timezone.now()
        locked.last_error = error[:1000]
        locked.save(
            update_fields=["imap_uidvalidity", "imap_last_uid", "last_polled_at", "last_error"]
        )


def mark_for_retry(*, inbound: InboundEmail) -> InboundEmail:
    """Put a quarantined (or ignored) email back in the queue; processing it is the caller's."""
    with transaction.atomic():
        locked = InboundEmail.objects.select_for_update(no_key=True).get(pk=inbound.pk)
        if locked.state == InboundState.PROCESSED:
            raise MailError("This email was processed already; there is nothing to retry.")
        locked.state = InboundState.RECEIVED
        locked.save(update_fields=["state"])
    return locked


def record_auto_reply(
    *,
    conversation: Conversation,
    inbound: InboundEmail,
    author: Contact | None,
    subject: str,
    excerpt: str,
    at: datetime,
) -> Conversation:
    """An out-of-office or autoresponder answer: shown to the agent, changes nothing else."""
    with transaction.atomic():
        conv = lock_conversation(conversation)
        log_event(
            conv,
            EventType.AUTO_REPLY_RECEIVED,
            author,
            at,
            inbound=inbound.pk,
            sender=inbound.sender,
            subject=subject[:200],
            excerpt=excerpt[:300],
        )
    return conv


def record_bounce(
    *,
    inbound: InboundEmail,
    address: str,
    kind: str,
    status: str,
    diagnostic: str,
    conversation: Conversation | None,
    outbound_id: int | None,
    at: datetime,
) -> Bounce:
    """One address bounced: remember it, mark a permanent failure on the contact's address and
    tell the conversation of the email that bounced."""
    address = address.strip().lower()[:320]
    with transaction.atomic():
        contact_email = ContactEmail.objects.filter(email=address).first()
        bounce, created = Bounce.objects.get_or_create(
            inbound=inbound,
            address=address,
            defaults={
                "contact_email": contact_email,
                "kind": kind,
                "status": status,
                "diagnostic": diagnostic,
                "outbound_id": outbound_id,
                "conversation": conversation,
                "created_at": at,
            },
        )
        if not created:
            return bounce
        if contact_email is not None:
            health, _ = AddressHealth.objects.select_for_update(no_key=True).get_or_create(
                contact_email=contact_email
            )
            health.bounce_count += 1
            health.last_bounce_at = at
            health.last_reason = (diagnostic or status)[:500]
            if kind == "permanent":
                health.bouncing = True
            health.save()
        if conversation is not None:
            conv = lock_conversation(conversation)
            log_event(
                conv,
                EventType.BOUNCE_RECEIVED,
                None,
                at,
                address=address,
                kind=kind,
                status=status,
                diagnostic=diagnostic[:300],
                outbound=outbound_id,
                inbound=inbound.pk,
            )
    return bounce


def clear_bouncing(*, address: str) -> int:
    """They wrote to us from this address: it works again. (A read first: almost every
    sender has nothing to clear, and a read is cheaper than an UPDATE on every message.)"""
    rows = AddressHealth.objects.filter(contact_email__email=address.strip().lower(), bouncing=True)
    if not rows.exists():
        return 0
    return rows.update(bouncing=False)


def open_follow_up(
    *,
    previous: Conversation,
    requester: Contact,
    subject: str,
    text: str,
    html: str,
    team: Team | None,
    attachments: Sequence[UploadedFile],
    participants: Iterable[Contact],
    at: datetime,
) -> Conversation:
    """A late reply to a long-resolved conversation: a new conversation linked to the old one."""
    with transaction.atomic():
        conversation = create_conversation(
            requester=requester,
            subject=subject,
            text=text,
            html=html,
            channel=Channel.EMAIL,
            team=team,
            attachments=attachments,
            participants=participants,
            at=at,
        )
        conv = lock_conversation(conversation)
        conv.follow_up_of = previous
        conv.save(update_fields=["follow_up_of"])
        log_event(conv, EventType.FOLLOW_UP_OPENED, requester, at, previous=previous.pk)
        old = lock_conversation(previous)
        log_event(old, EventType.FOLLOW_UP_OPENED, requester, at, follow_up=conv.pk)
    return conv


def add_mail_note(
    *, conversation: Conversation, text: str, agent: Agent | None = None, at: datetime
) -> Message:
    """An internal note written by the mail pipeline (or for the agent who forwarded a mail)."""
    with transaction.atomic():
        conv = lock_conversation(conversation)
        message = Message.objects.create(
            conversation=conv,
            kind=MessageKind.NOTE,
            text=text,
            html=text_to_html(text),
            channel=Channel.INTERNAL,
            author_agent=agent,
            created_at=at,
        )
        log_event(conv, EventType.NOTE, agent, at, message=message.pk, mentions=[], mail=True)
        conv.message_count += 1
        conv.save(update_fields=["message_count"])
    return message
