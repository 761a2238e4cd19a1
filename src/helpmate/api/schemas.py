"""Schemas shared by every resource: ids, the error body, pages and small references.

Resource-specific request and response schemas live next to their router. Every response is an
explicit schema, so nothing the model holds (password hashes, token hashes, ...) can leak out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

if TYPE_CHECKING:
    from helpmate.people.models import Agent, Contact, Organization, Team

# Database ids are 64-bit; anything larger would crash the database driver, not just miss.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

ErrorCode = Literal[
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "conflict",
    "payload_too_large",
    "validation_error",
    "throttled",
]


class Input(Schema):
    """Base of every request body: unknown fields are refused, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Schema):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['body', 'subject']")
    message: str
    type: str = ""


class ErrorInfo(Schema):
    code: ErrorCode
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(Schema):
    """The body of every 4xx answer."""

    error: ErrorInfo


class PageBase(Schema):
    """One page of a list. Follow ``next`` (or pass ``offset=next_offset``) for the next page."""

    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last page")
    next: str | None = Field(description="URL of the next page; null on the last page")
    count: int | None = Field(
        None, description="Total number of items, only where it is cheap to know; else null"
    )


class TeamRef(Schema):
    id: int
    name: str


class AgentRef(Schema):
    id: int
    public_name: str = Field(description="The first name customers see")
    full_name: str


class OrganizationRef(Schema):
    id: int
    name: str
    kind: str


class ContactRef(Schema):
    id: int
    name: str
    kind: str
    email: str = Field(description="Primary email address, empty if none")


class Actor(Schema):
    """Who did something: an agent, a contact, or Helpmate itself (type 'system')."""

    type: Literal["agent", "contact", "system"]
    id: int | None
    name: str


# Answers documented for every authenticated operation.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorBody, 403: ErrorBody}
READ_ERRORS: dict[int, type[Schema]] = {**AUTH_ERRORS, 404: ErrorBody, 422: ErrorBody}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 400: ErrorBody, 409: ErrorBody}


def utc(value: datetime | None) -> datetime | None:
    """Datetimes leave the API in UTC (they are stored in UTC already)."""
    return value.astimezone(UTC) if value is not None else None


def team_ref(team: Team | None) -> dict[str, Any] | None:
    return {"id": team.pk, "name": team.name} if team is not None else None


def agent_ref(agent: Agent | None) -> dict[str, Any] | None:
    if agent is None:
        return None
    return {"id": agent.pk, "public_name": agent.public_name, "full_name": agent.full_name}


def organization_ref(organization: Organization | None) -> dict[str, Any] | None:
    if organization is None:
        return None
    return {"id": organization.pk, "name": organization.name, "kind": organization.kind}


def contact_ref(contact: Contact, *, email: str | None = None) -> dict[str, Any]:
    """Reads ``contact.emails`` unless the primary ``email`` is given: prefetch it in lists."""
    return {
        "id": contact.pk,
        "name": contact.name,
        "kind": contact.kind,
        "email": email if email is not None else contact.primary_email,
    }


def actor(agent: Agent | None, contact: Contact | None) -> dict[str, Any]:
    if agent is not None:
        return {"type": "agent", "id": agent.pk, "name": agent.public_name}
    if contact is not None:
        return {"type": "contact", "id": contact.pk, "name": contact.name}
    return {"type": "system", "id": None, "name": "Helpmate"}
