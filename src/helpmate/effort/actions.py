"""Writes of the effort app: asking for and recording the Customer Effort Score.

Both lock the conversation and log an event (``ces_requested`` / ``ces_answered``); the effort
listener folds the event into ``ConversationEffort`` in the same transaction. The email is
written to the durable outbox inside the transaction and sent by the worker after commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions import ActionError, ConflictError, lock_conversation, log_event
from helpmate.desk.models import DONE_STATUSES, Conversation, EventType
from helpmate.effort import ces
from helpmate.effort.models import ConversationEffort
from helpmate.people.models import Contact, ContactEmail


class CesRefused(ConflictError):
    """An answer that cannot be taken now (already answered, reopened), said kindly."""


def _queue(**kwargs: Any) -> None:
    try:
        from helpmate.outbox import queue_email
    except ImportError:  # pragma: no cover - the outbox app is built alongside
        transaction.on_commit(
            lambda: send_mail(
                kwargs["subject"], kwargs["text"], None, kwargs["to"], fail_silently=True
            )
        )
        return
    queue_email(**kwargs)


def _email_text(conv: Conversation, contact: Contact, url: str) -> str:
    hello = f"Hi {contact.greeting_name}," if contact.greeting_name else "Hello,"
    return (
        f"{hello}\n\n"
        f"Your request “{conv.subject}” is sorted, we hope for good.\n\n"
        f"{ces.QUESTION}\n"
        f"Tell us on a scale from 1 (very difficult) to 7 (very easy), with a comment if you "
        f"like. It takes ten seconds:\n\n{url}\n\n"
        f"Your answer helps us take the runaround out of our service.\n\n"
        f"{settings.HELPMATE_COMPANY_NAME}\n"
    )


def is_agent_address(contact: Contact) -> bool:
    """The requester's address belongs to one of our agents (a test or an internal note)."""
    from django.contrib.auth.models import User

    emails = [e.email for e in contact.emails.all()]
    return bool(emails) and User.objects.filter(agent__isnull=False, email__in=emails).exists()


def request_ces(*, conversation: Conversation, at: datetime | None = None) -> bool:
    """Ask the requester how easy it was (once per conversation); False if not asked now."""
    at = at or timezone.now()
    with transaction.atomic():
        conv = lock_conversation(conversation)
        row = ConversationEffort.objects.filter(pk=conv.pk).first()
        if row is None or row.ces_requested_at is not None or row.ces_answered_at is not None:
            return False
        if conv.status not in DONE_STATUSES or conv.merged_into_id is not None:
            return False
        requester = conv.requester
        if is_agent_address(requester):
            return False
        address = (
            ContactEmail.objects.filter(contact=requester)
            .order_by("-is_primary", "email")
            .values_list("email", flat=True)
            .first()
        )
        log_event(conv, EventType.CES_REQUESTED, None, at, emailed=bool(address))
        if address:
            url = ces.link_url(conv.pk, requester.pk)
            _queue(
                to=[address],
                subject=f"{ces.QUESTION} (your request #{conv.pk})",
                text=_email_text(conv, requester, url),
                conversation=conv,
                kind="notification",
            )
    return True


def answer_ces(
    *,
    conversation: Conversation,
    contact: Contact,
    score: int,
    comment: str = "",
    at: datetime | None = None,
) -> ConversationEffort:
    """Record the requester's answer (1 = very difficult .. 7 = very easy).

    One answer per conversation: a second one within HELPMATE_CES_CHANGE_MINUTES replaces the
    first (a slip of the finger); later it is refused with a thank-you.
    """
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 7:
        raise ActionError("Choose a number from 1 (very difficult) to 7 (very easy).")
    comment = comment.strip()
    if len(comment) > ces.MAX_COMMENT:
        raise ActionError(f"Please keep the comment under {ces.MAX_COMMENT} characters.")
    at = at or timezone.now()
    with transaction.atomic():
        conv = lock_conversation(conversation)
        if conv.requester_id != contact.pk:
            raise ActionError("Only the person who made this request can answer for it.")
        if conv.merged_into_id is not None:
            raise CesRefused("This request was merged into another one; nothing to rate here.")
        if conv.status not in DONE_STATUSES:
            raise CesRefused("This request is open again; we'll ask once it is sorted.")
        row = ConversationEffort.objects.select_for_update(no_key=True).filter(pk=conv.pk).first()
        replaces = False
        if row is not None and row.ces_answered_at is not None:
            window = timedelta(minutes=settings.HELPMATE_CES_CHANGE_MINUTES)
            if at - row.ces_answered_at > window:
                raise CesRefused("Thank you, we already have your answer for this request.")
            replaces = True
        log_event(
            conv,
            EventType.CES_ANSWERED,
            contact,
            at,
            score=score,
            comment=comment,
            replaces=replaces,
        )
    return ConversationEffort.objects.get(pk=conv.pk)
