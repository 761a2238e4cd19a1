"""Organizations: customer companies, internal departments and supplier companies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from helpmate.api.errors import invalid
from helpmate.api.pagination import PageQuery, paginate
from helpmate.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, Input, PageBase, utc
from helpmate.people import actions
from helpmate.people.models import Organization

router = Router(tags=["organizations"])

OrganizationKind = Literal["company", "department", "supplier"]


class OrganizationOut(Schema):
    id: int
    name: str
    kind: OrganizationKind = Field(
        description="company (customers), department (internal) or supplier"
    )
    domain: str = Field(description="Email domain, e.g. acme.com")
    notes: str
    created_at: datetime


class OrganizationPage(PageBase):
    items: list[OrganizationOut]


class OrganizationIn(Input):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganizationKind = "company"
    domain: str = Field("", max_length=200)
    notes: str = Field("", max_length=20_000)


class OrganizationPatch(Input):
    """Only the fields sent are changed."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: OrganizationKind | None = None
    domain: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=20_000)


def organization_out(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
        "domain": organization.domain,
        "notes": organization.notes,
        "created_at": utc(organization.created_at),
    }


def _get(organization_id: int) -> Organization:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization


@router.get(
    "/organizations",
    response={200: OrganizationPage, **READ_ERRORS},
    summary="List organizations",
)
def list_organizations(
    request: HttpRequest,
    page: PageQuery,
    q: Annotated[str, Field(max_length=200)] = "",
    kind: OrganizationKind | None = None,
) -> dict[str, Any]:
    """Organizations by name; `q` matches the name or the email domain."""
    rows = Organization.objects.order_by("name", "pk")
    if q.strip():
        from django.db.models import Q

        text = q.strip()
        rows = rows.filter(Q(name__icontains=text) | Q(domain__icontains=text))
    if kind is not None:
        rows = rows.filter(kind=kind)
    return paginate(request, rows, page, with_count=True).as_dict(organization_out)


@router.post(
    "/organizations",
    response={201: OrganizationOut, **WRITE_ERRORS},
    summary="Create an organization",
)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status:
    organization = actions.create_organization(
        name=payload.name, kind=payload.kind, domain=payload.domain, notes=payload.notes
    )
    return Status(201, organization_out(organization))


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **READ_ERRORS},
    summary="One organization",
)
def get_organization(request: HttpRequest, organization_id: Id) -> dict[str, Any]:
    return organization_out(_get(organization_id))


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **WRITE_ERRORS},
    summary="Change an organization",
)
def update_organization(
    request: HttpRequest, organization_id: Id, payload: OrganizationPatch
) -> dict[str, Any]:
    organization = _get(organization_id)
    sent = payload.model_fields_set
    for field in ("name", "kind", "domain", "notes"):
        if field in sent and getattr(payload, field) is None:
            raise invalid(field, f"'{field}' cannot be null.", "null")
    organization = actions.update_organization(
        organization=organization,
        name=payload.name if "name" in sent else organization.name,  # type: ignore[arg-type]
        kind=payload.kind if "kind" in sent else organization.kind,  # type: ignore[arg-type]
        domain=payload.domain if "domain" in sent else organization.domain,  # type: ignore[arg-type]
        notes=payload.notes if "notes" in sent else organization.notes,  # type: ignore[arg-type]
    )
    return organization_out(organization)
