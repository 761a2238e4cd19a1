"""Reads: the inbox views, a conversation with its thread, a contact's history.

Every function starts from ``Conversation.objects.visible_to(user)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

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
from helpmate.people.models import Agent, Contact, Team, agent_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


INBOX_VIEWS: dict[str, str] = {
    "mine": "Mine",
    "teams": "My teams",
    "unassigned": "Unassigned",
    "open": "All open",
    "due": "Due soon",
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
            .select_related("requester__organization", "team", "owner")
            .get(pk=pk)
        )
    except Conversation.DoesNotExist as exc:
        raise Http404("No such conversation.") from exc


def _inbox_rows(
    user: User, view: str, filters: InboxFilters, *, waiting_only: bool = False
) -> QuerySet:
    """The conversations of one inbox view with its filters applied, unordered.

    ``waiting_only`` keeps the conversations waiting on us; as only open ones do, the open-status
    condition is left out then, so the database walks the waiting_since index without doubt.
    """
    rows = Conversation.objects.visible_to(user)
    agent = agent_of(user)
    if view in ("resolved", "all") or filters.status in DONE_STATUSES:
        # A merged conversation is closed, so only lists that include closed ones need this.
        rows = rows.filter(merged_into__isnull=True)
    if waiting_only:
        rows = rows.filter(waiting_since__isnull=False)
    open_only = {} if waiting_only or view == "due" else {"status__in": OPEN_STATUSES}
    if view == "mine":
        rows = rows.filter(owner=agent, **open_only)
    elif view == "teams":
        team_ids = agent.teams.values("pk") if agent else Team.objects.none().values("pk")
        rows = rows.filter(team__in=team_ids, **open_only)
    elif view == "unassigned":
        rows = rows.filter(owner__isnull=True, **open_only)
    elif view == "open":
        rows = rows.filter(**open_only)
    elif view == "waiting":
        rows = rows.filter(waiting_since__isnull=False)
    elif view == "due":
        # due_at is set only while a conversation is open (helpmate.service keeps it), so the
        # range alone selects open ones and the database walks the due_at index.
        rows = rows.filter(due_at__lte=due_soon_until())
    elif view == "resolved":
        rows = rows.filter(resolved_at__isnull=False)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.team:
        rows = rows.filter(team_id=filters.team)
    if filters.owner:
        rows = rows.filter(owner_id=filters.owner)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    # Correlated EXISTS rather than joins: the database keeps walking the ordering index and
    # checks each row, instead of starting from the other table and sorting everything.
    if filters.tag:
        tagged = Conversation.tags.through.objects.filter(
            conversation_id=OuterRef("pk"), tag__name=filters.tag
        )
        rows = rows.filter(Exists(tagged))
    if filters.contact_kind:
        kind = Contact.objects.filter(pk=OuterRef("requester_id"), kind=filters.contact_kind)
        rows = rows.filter(Exists(kind))
    if filters.requester:
        rows = rows.filter(requester_id=filters.requester)
    if filters.query.strip():
        rows = rows.filter(pk__in=search.matching_conversation_ids(filters.query))
    return rows


def due_soon_until() -> datetime:
    """The end of the "Due soon" window: now plus HELPMATE_DUE_SOON_MINUTES (overdue included)."""
    return timezone.now() + timedelta(minutes=settings.HELPMATE_DUE_SOON_MINUTES)


def _is_queue(view: str, filters: InboxFilters) -> bool:
    """Lists of open conversations are ordered by how long the customer has waited (those
    waiting on the customer or on a third party by latest activity)."""
    if filters.status:
        return filters.status in (Status.NEW, Status.OPEN)
    return view in ("mine", "teams", "unassigned", "open", "waiting")


def inbox(user: User, *, view: str = "open", filters: InboxFilters | None = None) -> QuerySet:
    """Conversations for one inbox view, filtered and ordered (the longest wait first for open
    lists, the latest resolution for resolved ones, the latest activity otherwise).

    For pages use ``inbox_page``: it reads only the ids of one page through the indexes and
    stays fast with millions of conversations.
    """
    filters = filters or InboxFilters()
    rows = _inbox_rows(user, view, filters)
    if view == "due":
        ordered = rows.order_by("due_at", "pk")
    elif _is_queue(view, filters):
        ordered = rows.order_by(F("waiting_since").asc(nulls_last=True), "-updated_at", "-pk")
    elif view == "resolved":
        ordered = rows.order_by(F("resolved_at").desc(nulls_last=True), "-pk")
    else:
        ordered = rows.order_by("-updated_at", "-pk")
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


@dataclass(frozen=True)
class AgentEntry:
    """An active agent as select boxes and event lines show them (plain values, no model)."""

    pk: int
    public_name: str
    full_name: str
    team_names: tuple[str, ...]

    @property
    def label(self) -> str:
        """The full name with the teams in brackets, or the full name alone (no team)."""
        teams = ", ".join(self.team_names)
        return f"{self.full_name} ({teams})" if teams else self.full_name


def agent_directory() -> list[AgentEntry]:
    """The active agents by public name, each with their teams' names: one query, no model
    objects (by public name; an agent's teams by name)."""
    rows = (
        Agent.objects.active()
        .order_by("public_name", "pk", "teams__name")
        .values_list("pk", "public_name", "full_name", "teams__name")
    )
    found: dict[int, tuple[str, str, list[str]]] = {}
    for pk, public_name, full_name, team_name in rows:
        entry = found.setdefault(pk, (public_name, full_name, []))
        if team_name is not None:
            entry[2].append(team_name)
    return [AgentEntry(pk, pub, full, tuple(teams)) for pk, (pub, full, teams) in found.items()]


STATUS_LABELS = dict(Status.choices)


# --- workspace helpers (inbox counts, presence, notifications, stale-reply guard) -------------


def capped_count(rows: QuerySet, cap: int = 1000) -> int:
    """How many rows, counting at most ``cap`` (so a huge view never costs a full COUNT)."""
    return rows.order_by().values("pk")[:cap].count()


def present_agents(conversation: Conversation, *, exclude: Agent, seconds: int = 30) -> list:
    """Presence rows of other agents seen on this conversation in the last ``seconds``."""
    from datetime import timedelta

    from django.utils import timezone

    from helpmate.desk.models import Presence

    since = timezone.now() - timedelta(seconds=seconds)
    return list(
        Presence.objects.filter(conversation=conversation, seen_at__gte=since)
        .exclude(agent=exclude)
        .select_related("agent")
        .order_by("agent__public_name")
    )


def notifications_for(agent: Agent) -> QuerySet:
    from helpmate.desk.models import Notification

    return (
        Notification.objects.filter(agent=agent)
        .select_related("conversation")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(agent: Agent, cap: int = 100) -> int:
    from helpmate.desk.models import Notification

    return Notification.objects.filter(agent=agent, read_at__isnull=True)[:cap].count()


def newer_messages(conversation: Conversation, *, after_id: int, agent: Agent) -> list:
    """Messages added after ``after_id`` by anyone but ``agent`` (for the stale-reply guard)."""
    return list(
        Message.objects.filter(conversation=conversation, pk__gt=after_id)
        .exclude(author_agent=agent)
        .select_related("author_agent", "author_contact")
        .order_by("created_at", "pk")
    )
