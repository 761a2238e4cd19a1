"""Sending replies to customers by email (through Django's configured email backend).

Kept idempotent: a reply that was already delivered is not sent again when a task is retried.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from helpmate.desk.models import Event, EventType, Message, MessageKind

log = logging.getLogger(__name__)


def send_reply(message_id: int) -> bool:
    """Send one reply; returns False when there was nothing (more) to send."""
    message = (
        Message.objects.select_related(
            "conversation__requester", "conversation__team", "author_agent"
        )
        .filter(pk=message_id, kind=MessageKind.REPLY)
        .first()
    )
    if message is None:
        return False
    conversation = message.conversation
    if Event.objects.filter(
        conversation=conversation, type=EventType.REPLY_EMAILED, data__message=message_id
    ).exists():
        return False
    recipients = [conversation.requester.primary_email]
    recipients += [p.primary_email for p in conversation.participants.all()]
    recipients = [r for r in dict.fromkeys(recipients) if r]
    if not recipients:
        return False
    agent = message.author_agent
    team = conversation.team.name if conversation.team else settings.HELPMATE_COMPANY_NAME
    sender_name = f"{agent.public_name} at {team}" if agent else team
    portal_link = settings.BASE_URL + reverse("portal:conversation", args=[conversation.pk])
    body = (
        f"{message.text}\n\n--\nYou can read the whole conversation and reply here: "
        f"{portal_link}\nOr simply answer this email."
    )
    email = EmailMultiAlternatives(
        subject=f"Re: {conversation.subject} [#{conversation.pk}]",
        body=body,
        from_email=f"{sender_name} <{settings.DEFAULT_FROM_EMAIL}>",
        to=recipients,
    )
    email.attach_alternative(
        message.html + f'<p><a href="{portal_link}">Open the conversation</a></p>', "text/html"
    )
    email.send()
    with transaction.atomic():
        Event.objects.create(
            conversation=conversation,
            type=EventType.REPLY_EMAILED,
            created_at=timezone.now(),
            data={"message": message_id, "to": len(recipients)},
        )
    log.info("Reply %s emailed for conversation %s", message_id, conversation.pk)
    return True
