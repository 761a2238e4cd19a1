"""Reads: the inbox views, a conversation with its thread, a contact's history.

Every function starts from ``Conversation.objects.visible_to(user)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from helpmate.desk import search
from helpmate.desk.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Conversation,
    Event,
    Message,
    MessageKind,
    Status,
)
from helpmate.people.models import Agent, agent_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


INBOX_VIEWS: dict[str, str] = {
    "mine": "Mine",
    "teams": "My teams",
    "unassigned": "Unassigned",
    "open": "All open",
    "waiting": "Waiting longest",
    "resolved": "Resolved",
    "all": "Everything",
}


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    team: int | None = None
    owner: int | None = None
    channel: str = ""
    tag: str = ""
    contact_kind: str = ""
    query: str = ""
    requester: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def get_conversation(user: User, pk: int) -> Conversation:
    """The conversation if the user may see it; 404 otherwise (guessing ids reveals nothing)."""
    try:
        return (
            Conversation.objects.visible_to(user)
            .select_related("requester__organization", "team", "owner__user", "merged_into")
            .get(pk=pk)
        )
    except Conversation.DoesNotExist as exc:
        raise Http404("No such conversation.") from exc


def inbox(user: User, *, view: str = "open", filters: InboxFilters | None = None) -> QuerySet:
    """Conversations for one inbox view, filtered, longest-waiting first."""
    filters = filters or InboxFilters()
    rows = Conversation.objects.visible_to(user)
    agent = agent_of(user)
    if view in ("resolved", "all") or filters.status in DONE_STATUSES:
        # A merged conversation is closed, so only lists that include closed ones need this.
        rows = rows.filter(merged_into__isnull=True)
    if view == "mine":
        rows = rows.filter(owner=agent, status__in=OPEN_STATUSES)
    elif view == "teams":
        team_ids = list(agent.teams.values_list("pk", flat=True)) if agent else []
        rows = rows.filter(team__in=team_ids, status__in=OPEN_STATUSES)
    elif view == "unassigned":
        rows = rows.filter(owner__isnull=True, status__in=OPEN_STATUSES)
    elif view == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif view == "waiting":
        rows = rows.filter(waiting_since__isnull=False, status__in=OPEN_STATUSES)
    elif view == "resolved":
        rows = rows.filter(status__in=DONE_STATUSES)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.team:
        rows = rows.filter(team_id=filters.team)
    if filters.owner:
        rows = rows.filter(owner_id=filters.owner)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.tag:
        rows = rows.filter(tags__name=filters.tag)
    if filters.contact_kind:
        rows = rows.filter(requester__kind=filters.contact_kind)
    if filters.requester:
        rows = rows.filter(requester_id=filters.requester)
    if filters.query.strip():
        ids = search.matching_conversation_ids(filters.query)
        rows = rows.filter(pk__in=ids)
    if view == "resolved":
        ordered = rows.order_by(F("resolved_at").desc(nulls_last=True), "-pk")
    elif view in ("all",) or filters.status in DONE_STATUSES:
        ordered = rows.order_by("-updated_at", "-pk")
    else:
        ordered = rows.order_by(F("waiting_since").asc(nulls_last=True), "-updated_at", "-pk")
    return ordered.select_related("requester__organization", "team", "owner")


def thread(user: User, conversation: Conversation) -> QuerySet:
    """The messages of a conversation the user may read; internal notes only for agents."""
    messages = Message.objects.filter(conversation=conversation)
    if agent_of(user) is None:
        messages = messages.exclude(kind=MessageKind.NOTE)
    return (
        messages.select_related("author_agent", "author_contact")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def events(conversation: Conversation) -> QuerySet:
    return (
        Event.objects.filter(conversation=conversation)
        .select_related("actor_agent", "actor_contact")
        .order_by("created_at", "pk")
    )


def earlier_conversations(user: User, conversation: Conversation, limit: int = 10) -> list:
    return list(
        Conversation.objects.visible_to(user)
        .filter(requester_id=conversation.requester_id)
        .exclude(pk=conversation.pk)
        .only("pk", "subject", "status", "created_at")
        .order_by("-created_at")[:limit]
    )


def contact_history(user: User, contact_id: int, limit: int = 50) -> QuerySet:
    return (
        Conversation.objects.visible_to(user)
        .filter(requester_id=contact_id)
        .select_related("owner", "team")
        .order_by("-created_at")[:limit]
    )


def agents_for_choice() -> QuerySet:
    return (
        Agent.objects.active()
        .select_related("user")
        .prefetch_related(Prefetch("teams"))
        .order_by("public_name")
    )


STATUS_LABELS = dict(Status.choices)
