"""Reads of the promise ledger, always through conversations the user may see."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from helpmate.desk.models import Conversation
from helpmate.people.models import Agent, Contact
from helpmate.promises.actions import contact_zone
from helpmate.promises.models import Promise, PromiseState

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def visible_promises(user: User) -> QuerySet[Promise]:
    """Promises in conversations the user may see (agents: per the desk's rule; contacts and
    anyone else: none here; the portal reads its own with ``portal_promises``)."""
    return Promise.objects.filter(
        conversation__in=Conversation.objects.visible_to(user).values("pk")
    ).select_related("made_by", "made_to", "conversation")


def get_promise(user: User, pk: int) -> Promise:
    promise = visible_promises(user).filter(pk=pk).first()
    if promise is None:
        raise Http404("No such promise.")
    return promise


def conversation_promises(conversation: Conversation) -> list[Promise]:
    """All promises of a conversation (the conversation was already fetched with access)."""
    return list(
        Promise.objects.filter(conversation=conversation)
        .select_related("made_by", "made_to")
        .order_by("state", "due_at", "pk")
    )


def open_promises(conversation: Conversation) -> list[Promise]:
    return list(
        Promise.objects.filter(conversation=conversation, state=PromiseState.OPEN)
        .select_related("made_by", "made_to")
        .order_by("due_at", "pk")
    )


def portal_promises(conversation: Conversation, contact: Contact) -> list[Promise]:
    """The open promises made to this contact on a conversation they can see."""
    return list(
        Promise.objects.filter(conversation=conversation, made_to=contact, state=PromiseState.OPEN)
        .select_related("made_by")
        .order_by("due_at", "pk")
    )


def at_risk(agent: Agent, *, now: datetime | None = None, limit: int = 10) -> list[Promise]:
    """The agent's open promises due within the warning window (or already past due)."""
    now = now or timezone.now()
    horizon = now + timedelta(minutes=settings.HELPMATE_PROMISE_WARN_MINUTES)
    return list(
        Promise.objects.filter(made_by=agent, state=PromiseState.OPEN, due_at__lte=horizon)
        .select_related("made_to")
        .order_by("due_at", "pk")[:limit]
    )


def local_due(promise: Promise) -> datetime:
    """The due time in the time zone of the one it was promised to."""
    zone: ZoneInfo = contact_zone(promise.made_to)
    return promise.due_at.astimezone(zone)
