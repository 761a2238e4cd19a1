"""Reads of the handoffs app (always through Conversation.objects.visible_to)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from helpmate.desk.models import Conversation
from helpmate.handoffs.models import Handoff, HandoffQuerySet
from helpmate.people.models import Agent

RELATED = (
    "conversation__requester",
    "conversation__owner",
    "conversation__team",
    "from_agent",
    "from_team",
    "to_agent",
    "to_team",
    "by_agent",
)


def visible_handoffs(user: AbstractBaseUser | AnonymousUser) -> HandoffQuerySet:
    return Handoff.objects.filter(
        conversation__in=Conversation.objects.visible_to(user).values("pk")
    ).select_related(*RELATED)


def to_accept(user: AbstractBaseUser | AnonymousUser, agent: Agent) -> HandoffQuerySet:
    """Pending handoffs this agent may accept (to them, or to their team with nobody named)."""
    return visible_handoffs(user).pending().for_receiver(agent)


def following(user: AbstractBaseUser | AnonymousUser, agent: Agent) -> HandoffQuerySet:
    """Pending handoffs this agent gave: they follow those conversations until acceptance."""
    return visible_handoffs(user).pending().filter(from_agent=agent)


def pending_for(conversation: Conversation) -> Handoff | None:
    return (
        Handoff.objects.filter(conversation=conversation)
        .pending()
        .select_related("from_agent", "to_agent", "to_team")
        .first()
    )
