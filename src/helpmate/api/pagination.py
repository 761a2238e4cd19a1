"""Limit/offset pages without a total COUNT: fetch one row more than asked to know if there is a
next page, so a list stays as fast with a million rows as with ten."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 10_000_000

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (1-200)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


PageQuery = Query[PageParams]


@dataclass
class Page:
    items: list[Any]
    limit: int
    offset: int
    next_offset: int | None
    next: str | None
    count: int | None = None

    def as_dict(self, convert: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        items = [convert(item) for item in self.items] if convert else self.items
        return {
            "items": items,
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": self.next_offset,
            "next": self.next,
            "count": self.count,
        }


def _next_url(request: HttpRequest, offset: int, limit: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    return f"{request.path}?{params.urlencode()}"


def page_of(request: HttpRequest, items: list[Any], has_next: bool, page: PageParams) -> Page:
    """A page from rows already fetched by a selector that read ``limit + 1`` of them."""
    next_offset = page.offset + page.limit if has_next else None
    return Page(
        items=items,
        limit=page.limit,
        offset=page.offset,
        next_offset=next_offset,
        next=_next_url(request, next_offset, page.limit) if next_offset is not None else None,
    )


def paginate(
    request: HttpRequest,
    rows: QuerySet | Sequence[T],
    page: PageParams,
    *,
    with_count: bool = False,
) -> Page:
    """One page of ``rows``: ``limit + 1`` rows are read, never a COUNT unless asked for."""
    window = list(rows[page.offset : page.offset + page.limit + 1])
    has_next = len(window) > page.limit
    items = window[: page.limit]
    next_offset = page.offset + page.limit if has_next else None
    count = None
    if with_count:
        if not has_next and (items or page.offset == 0):
            count = page.offset + len(items)  # the last page tells the total for free
        else:
            count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return Page(
        items=items,
        limit=page.limit,
        offset=page.offset,
        next_offset=next_offset,
        next=_next_url(request, next_offset, page.limit) if next_offset is not None else None,
        count=count,
    )
