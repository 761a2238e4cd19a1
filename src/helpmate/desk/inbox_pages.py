"""Pages of an inbox view: the rows' ids by walking an index, then their values.

The web inbox reads plain values (``InboxEntry``: 50 rows a request, no model objects); the API
reads conversations (``inbox_window``). Both take the rows ``selectors.inbox`` would list, in
its order, from ``Conversation.objects.visible_to(user)``, without counting the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery

from helpmate.desk.models import OPEN_STATUSES, Conversation
from helpmate.desk.selectors import InboxFilters, _inbox_rows, _is_queue
from helpmate.people.models import ContactEmail

if TYPE_CHECKING:
    from helpmate.desk.selectors import User


@dataclass(frozen=True)
class InboxEntry:
    """One conversation of an inbox page as plain values (no model objects: the page reads 50
    of them per request). ``due_badge`` reads the due fields by the same names."""

    pk: int
    subject: str
    preview: str
    priority: int
    status: str
    owner_id: int | None
    waiting_since: datetime | None
    resolved_at: datetime | None
    last_reply_at: datetime | None
    due_at: datetime | None
    first_response_due_at: datetime | None
    next_response_due_at: datetime | None
    resolution_due_at: datetime | None
    team_name: str | None
    owner_name: str | None
    requester_name: str
    requester_kind: str
    organization_name: str | None
    tags: list[str] = field(default_factory=list)  # names, in name order


# The database columns of InboxEntry's fields, in the same order (tags come separately).
_ENTRY_FIELDS = [f.name for f in fields(InboxEntry) if f.name != "tags"]
_ENTRY_COLUMNS = (
    "pk",
    "subject",
    "preview",
    "priority",
    "status",
    "owner_id",
    "waiting_since",
    "resolved_at",
    "last_reply_at",
    "due_at",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "team__name",
    "owner__public_name",
    "requester__name",
    "requester__kind",
    "requester__organization__name",
)


@dataclass
class InboxPage:
    rows: list[InboxEntry]
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page_ids(user: User, view: str, filters: InboxFilters, offset: int, want: int) -> list[int]:
    rows = _inbox_rows(user, view, filters)
    if view == "due":  # the earliest due first, straight from the due_at indexes
        return list(
            rows.order_by("due_at", "pk").values_list("pk", flat=True)[offset : offset + want]
        )
    if not _is_queue(view, filters):
        order = ("-resolved_at", "-pk") if view == "resolved" else ("-updated_at", "-pk")
        return list(rows.order_by(*order).values_list("pk", flat=True)[offset : offset + want])
    # Two walks over two indexes instead of one sort over every open conversation: first the
    # conversations waiting on us (longest wait first), then the other open ones (latest first).
    waiting = _inbox_rows(user, view, filters, waiting_only=True).order_by("waiting_since", "pk")
    ids = list(waiting.values_list("pk", flat=True)[offset : offset + want])
    if len(ids) == want or view == "waiting":
        return ids
    waiting_total = offset + len(ids) if ids else waiting.count()
    rest_offset = max(0, offset - waiting_total)
    rest = rows.filter(waiting_since__isnull=True, status__in=OPEN_STATUSES).order_by(
        "-updated_at", "-pk"
    )
    ids += list(rest.values_list("pk", flat=True)[rest_offset : rest_offset + want - len(ids)])
    return ids


def inbox_page(
    user: User,
    *,
    view: str = "open",
    filters: InboxFilters | None = None,
    page: int = 1,
    per_page: int = 50,
) -> InboxPage:
    """One page of an inbox view, in the same order as ``inbox``, without counting the rest.

    A few queries whatever the data size: the page's ids, then those rows' values with their
    requester's, organization's, team's and owner's names, then their tags' names.
    """
    page = max(1, page)
    ids, has_next = _window_ids(
        user, view, filters or InboxFilters(), (page - 1) * per_page, per_page
    )
    found = {
        values[0]: values
        for values in Conversation.objects.filter(pk__in=ids).values_list(*_ENTRY_COLUMNS)
    }
    names = tag_names(ids) if ids else {}
    rows = [
        InboxEntry(**dict(zip(_ENTRY_FIELDS, found[pk], strict=True)), tags=names[pk])
        for pk in ids
        if pk in found
    ]
    return InboxPage(rows=rows, number=page, per_page=per_page, has_next=has_next)


def tag_names(conversation_ids: list[int]) -> dict[int, list[str]]:
    """The tags' names of these conversations, each list in name order: one query of plain
    values (no tag objects or related managers per row)."""
    found: dict[int, list[str]] = {pk: [] for pk in conversation_ids}
    links = (
        Conversation.tags.through.objects.filter(conversation_id__in=conversation_ids)
        .order_by("tag__name")
        .values_list("conversation_id", "tag__name")
    )
    for conversation_id, name in links:
        found[conversation_id].append(name)
    return found


def inbox_window(
    user: User,
    *,
    view: str = "open",
    filters: InboxFilters | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Conversation], bool]:
    """``limit`` conversations of an inbox view from ``offset`` (the API's pages), in the order
    of ``inbox``, and whether more follow. The same index walks as ``inbox_page``; each row
    carries ``requester_email``, the requester's primary address ('' or None if they have none)."""
    ids, has_next = _window_ids(user, view, filters or InboxFilters(), max(0, offset), limit)
    primary_email = ContactEmail.objects.filter(contact=OuterRef("requester_id")).order_by(
        "-is_primary", "email"
    )
    found = (
        Conversation.objects.filter(pk__in=ids)
        .select_related("requester__organization", "team", "owner")
        .prefetch_related("tags")
        .annotate(requester_email=Subquery(primary_email.values("email")[:1]))
        .in_bulk()
        if ids
        else {}
    )
    return [found[pk] for pk in ids if pk in found], has_next


def _window_ids(
    user: User, view: str, filters: InboxFilters, offset: int, limit: int
) -> tuple[list[int], bool]:
    """The ids of ``limit`` rows from ``offset`` in the view's order, and whether more follow."""
    ids = _page_ids(user, view, filters, offset, limit + 1)
    return ids[:limit], len(ids) > limit
