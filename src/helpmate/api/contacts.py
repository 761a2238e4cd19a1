"""Contacts: the customers, colleagues and suppliers the desk serves. Writes go through
``helpmate.people.actions``; reads start from ``Contact.objects.visible_to(user)``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from helpmate.api.errors import invalid
from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
    Input,
    OrganizationRef,
    PageBase,
    organization_ref,
    utc,
)
from helpmate.people import actions
from helpmate.people.models import Contact, Organization

router = Router(tags=["contacts"])

ContactKind = Literal["customer", "colleague", "supplier"]
Email = Annotated[str, Field(min_length=3, max_length=254)]


class ContactOut(Schema):
    id: int
    kind: ContactKind
    name: str
    preferred_name: str = Field(description="What they like to be called")
    greeting_name: str = Field(description="The name to greet them by")
    email: str = Field(description="Primary email address, empty if none")
    emails: list[str]
    phone: str
    language: str
    time_zone: str
    organization: OrganizationRef | None
    notes: str
    created_at: datetime


class ContactPage(PageBase):
    items: list[ContactOut]


class ContactIn(Input):
    name: str = Field(min_length=1, max_length=200)
    kind: ContactKind = "customer"
    emails: list[Email] = Field(default_factory=list, max_length=20)
    preferred_name: str = Field("", max_length=80)
    phone: str = Field("", max_length=40)
    language: str = Field("en", max_length=12)
    time_zone: str = Field("UTC", max_length=64, description="e.g. Europe/Berlin")
    organization: Id | None = None
    notes: str = Field("", max_length=20_000)


class ContactPatch(Input):
    """Only the fields sent are changed. ``emails`` replaces the whole list (first = primary)."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ContactKind | None = None
    emails: list[Email] | None = Field(None, max_length=20)
    preferred_name: str | None = Field(None, max_length=80)
    phone: str | None = Field(None, max_length=40)
    language: str | None = Field(None, max_length=12)
    time_zone: str | None = Field(None, max_length=64)
    organization: Id | None = None
    notes: str | None = Field(None, max_length=20_000)


def contact_out(contact: Contact) -> dict[str, Any]:
    emails = [e.email for e in contact.emails.all()]
    return {
        "id": contact.pk,
        "kind": contact.kind,
        "name": contact.name,
        "preferred_name": contact.preferred_name,
        "greeting_name": contact.greeting_name,
        "email": contact.primary_email,
        "emails": emails,
        "phone": contact.phone,
        "language": contact.language,
        "time_zone": contact.time_zone,
        "organization": organization_ref(contact.organization),
        "notes": contact.notes,
        "created_at": utc(contact.created_at),
    }


def _contacts(request: HttpRequest):
    return (
        Contact.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related("emails")
    )


def _get_contact(request: HttpRequest, contact_id: int) -> Contact:
    contact = _contacts(request).filter(pk=contact_id).first()
    if contact is None:
        raise Http404("No such contact.")
    return contact


def _organization(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise invalid("organization", f"No organization with id {organization_id}.", "not_found")
    return organization


@router.get("/contacts", response={200: ContactPage, **READ_ERRORS}, summary="List contacts")
def list_contacts(
    request: HttpRequest,
    page: PageQuery,
    q: Annotated[str, Field(max_length=200)] = "",
    kind: ContactKind | None = None,
    organization: Id | None = None,
) -> dict[str, Any]:
    """Contacts by name. `q` searches names, preferred names, emails and organization names."""
    rows = _contacts(request)
    if q.strip():
        rows = rows.search(q)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if organization is not None:
        rows = rows.filter(organization_id=organization)
    return paginate(request, rows.order_by("name", "pk"), page).as_dict(contact_out)


@router.post("/contacts", response={201: ContactOut, **WRITE_ERRORS}, summary="Create a contact")
def create_contact(request: HttpRequest, payload: ContactIn) -> Status:
    contact = actions.create_contact(
        name=payload.name,
        emails=payload.emails,
        kind=payload.kind,
        preferred_name=payload.preferred_name,
        phone=payload.phone,
        language=payload.language,
        time_zone=payload.time_zone,
        organization=_organization(payload.organization),
        notes=payload.notes,
    )
    return Status(201, contact_out(_get_contact(request, contact.pk)))


@router.get(
    "/contacts/{contact_id}", response={200: ContactOut, **READ_ERRORS}, summary="One contact"
)
def get_contact(request: HttpRequest, contact_id: Id) -> dict[str, Any]:
    return contact_out(_get_contact(request, contact_id))


@router.patch(
    "/contacts/{contact_id}", response={200: ContactOut, **WRITE_ERRORS}, summary="Change a contact"
)
def update_contact(request: HttpRequest, contact_id: Id, payload: ContactPatch) -> dict[str, Any]:
    """Send only what changes; `"organization": null` removes the organization."""
    contact = _get_contact(request, contact_id)
    sent = payload.model_fields_set
    for field in ("name", "kind", "emails", "preferred_name", "phone", "language", "time_zone"):
        if field in sent and getattr(payload, field) is None:
            raise invalid(field, f"'{field}' cannot be null.", "null")
    if "notes" in sent and payload.notes is None:
        raise invalid("notes", "'notes' cannot be null; send an empty string.", "null")

    def value(field: str, current: Any) -> Any:
        return getattr(payload, field) if field in sent else current

    organization = (
        _organization(payload.organization) if "organization" in sent else contact.organization
    )
    actions.update_contact(
        contact=contact,
        name=value("name", contact.name),
        emails=value("emails", [e.email for e in contact.emails.all()]),
        kind=value("kind", contact.kind),
        preferred_name=value("preferred_name", contact.preferred_name),
        phone=value("phone", contact.phone),
        language=value("language", contact.language),
        time_zone=value("time_zone", contact.time_zone),
        organization=organization,
        notes=value("notes", contact.notes),
    )
    return contact_out(_get_contact(request, contact_id))
