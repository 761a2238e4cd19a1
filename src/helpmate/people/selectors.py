"""Reads for the people pages: contacts, organizations, teams, agents and API tokens.

Contacts always start from ``Contact.objects.visible_to(user)`` and conversation counts from
``Conversation.objects.visible_to(user)``, so a list never shows what its reader may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from helpmate.desk.models import OPEN_STATUSES, Conversation
from helpmate.people.models import (
    Agent,
    ApiToken,
    Contact,
    ContactEmail,
    ContactKind,
    ContactQuerySet,
    Organization,
    OrganizationKind,
    Team,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Page:
    """One page of a list, found without counting the whole table."""

    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_of(rows: QuerySet, number: int, size: int) -> Page:
    """Rows ``size * (number - 1)`` onward: one query, fetching one extra row to see if more."""
    number = max(1, number)
    start = (number - 1) * size
    found = list(rows[start : start + size + 1])
    return Page(rows=found[:size], number=number, has_next=len(found) > size)


def _count(rows: QuerySet, outer_field: str) -> Coalesce:
    """A correlated ``COUNT`` of ``rows`` (already filtered on ``outer_field=OuterRef(...)``).

    One subquery per row of the page, answered from the foreign key's index: much cheaper than
    a GROUP BY join over the whole table when only one page of rows is shown.
    """
    counted = rows.order_by().values(outer_field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _open_conversations(user: User) -> Coalesce:
    rows = Conversation.objects.visible_to(user).filter(
        requester=OuterRef("pk"), status__in=OPEN_STATUSES, merged_into__isnull=True
    )
    return _count(rows, "requester")


def contacts(
    user: User, *, query: str = "", kind: str = "", organization: int | None = None
) -> ContactQuerySet:
    """The contacts a list shows, searched and filtered, in name order."""
    rows = Contact.objects.visible_to(user).search(query)
    # Naming every kind when there is no kind filter lets the (kind, name) index serve the
    # ORDER BY name: SQLite then reads one page instead of sorting every contact.
    rows = (
        rows.filter(kind=kind)
        if kind in ContactKind.values
        else rows.filter(kind__in=ContactKind.values)
    )
    if organization:
        rows = rows.filter(organization_id=organization)
    return rows.order_by("name", "pk")


def _first_email() -> Subquery:
    return Subquery(
        ContactEmail.objects.filter(contact=OuterRef("pk"))
        .order_by("-is_primary", "email")
        .values("email")[:1]
    )


def contact_page(
    user: User,
    *,
    number: int,
    size: int,
    query: str = "",
    kind: str = "",
    organization: int | None = None,
) -> Page:
    """One page of contacts with organization, primary email and open conversations: one query.

    The page's ids are chosen by an inner, sliced subquery; the email and count subqueries then
    run only for those rows, not for every contact that matched.
    """
    number = max(1, number)
    start = (number - 1) * size
    chosen = contacts(user, query=query, kind=kind, organization=organization).values("pk")[
        start : start + size + 1
    ]
    rows = list(
        Contact.objects.filter(pk__in=chosen)
        .select_related("organization")
        .annotate(first_email=_first_email(), open_count=_open_conversations(user))
        .order_by("name", "pk")
    )
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size)


def get_contact(user: User, pk: int) -> Contact:
    """The contact with its emails and organization, or 404 if the user may not see it."""
    try:
        return (
            Contact.objects.visible_to(user)
            .select_related("organization")
            .prefetch_related("emails")
            .get(pk=pk)
        )
    except Contact.DoesNotExist as exc:
        raise Http404("No such contact.") from exc


def organizations(user: User, *, kind: str = "", query: str = "") -> QuerySet:
    """Organizations by name, each with how many contacts (that the user may see) it has."""
    rows = Organization.objects.all()
    if kind in OrganizationKind.values:
        rows = rows.filter(kind=kind)
    if query.strip():
        rows = rows.filter(Q(name__icontains=query.strip()) | Q(domain__icontains=query.strip()))
    members = Contact.objects.visible_to(user).filter(organization=OuterRef("pk"))
    return rows.annotate(contact_count=_count(members, "organization")).order_by("name", "pk")


def get_organization(pk: int) -> Organization:
    try:
        return Organization.objects.get(pk=pk)
    except Organization.DoesNotExist as exc:
        raise Http404("No such organization.") from exc


def organization_contacts(user: User, organization: Organization, limit: int = 100) -> list:
    return list(
        Contact.objects.visible_to(user)
        .filter(organization=organization)
        .annotate(first_email=_first_email())
        .order_by("name", "pk")[:limit]
    )


def organization_conversations(user: User, organization: Organization, limit: int = 20) -> list:
    return list(
        Conversation.objects.visible_to(user)
        .filter(requester__organization=organization, merged_into__isnull=True)
        .select_related("requester", "owner")
        .order_by("-created_at", "-pk")[:limit]
    )


def teams() -> QuerySet:
    """Every team with its active members (prefetched) and how many there are."""
    active = Agent.objects.active().order_by("full_name")
    return (
        Team.objects.annotate(
            member_count=Count("agents", filter=Q(agents__user__is_active=True), distinct=True)
        )
        .prefetch_related(Prefetch("agents", queryset=active, to_attr="active_members"))
        .order_by("name")
    )


def get_team(pk: int) -> Team:
    try:
        return Team.objects.get(pk=pk)
    except Team.DoesNotExist as exc:
        raise Http404("No such team.") from exc


def agents(*, include_inactive: bool = True) -> QuerySet:
    rows = Agent.objects.select_related("user").prefetch_related("teams")
    if not include_inactive:
        rows = rows.active()
    return rows.order_by("-user__is_active", "full_name", "pk")


def get_agent(pk: int) -> Agent:
    try:
        return Agent.objects.select_related("user").prefetch_related("teams").get(pk=pk)
    except Agent.DoesNotExist as exc:
        raise Http404("No such agent.") from exc


def tokens_of(agent: Agent) -> QuerySet:
    """Only this agent's tokens: nobody lists another agent's."""
    return ApiToken.objects.filter(agent=agent).order_by("revoked_at", "-created_at", "-pk")


def get_own_token(agent: Agent, pk: int) -> ApiToken:
    try:
        return ApiToken.objects.get(pk=pk, agent=agent)
    except ApiToken.DoesNotExist as exc:
        raise Http404("No such token.") from exc
