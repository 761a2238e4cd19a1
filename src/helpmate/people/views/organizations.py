"""Organizations: customer companies, internal departments and supplier companies."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpmate.people import selectors
from helpmate.people.forms import OrganizationForm
from helpmate.people.models import OrganizationKind
from helpmate.people.views.common import is_htmx_for, page_number, page_size, save_form
from helpmate.web.access import agent_required

CONTACTS_SHOWN = 100


@require_GET
@agent_required
def organization_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in OrganizationKind.values else ""
    query = request.GET.get("q", "").strip()[:200]
    page = selectors.page_of(
        selectors.organizations(request.user, kind=kind, query=query),
        page_number(request),
        page_size(),
    )
    context = {
        "section": "organizations",
        "page": page,
        "kind": kind,
        "kinds": OrganizationKind.choices,
        "query": query,
        "filtered": bool(kind or query),
    }
    if is_htmx_for(request, "organization-results"):
        return render(request, "people/_organization_results.html", context)
    return render(request, "people/organization_list.html", context)


@require_GET
@agent_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.get_organization(pk)
    contacts = selectors.organization_contacts(request.user, organization, limit=CONTACTS_SHOWN + 1)
    return render(
        request,
        "people/organization_detail.html",
        {
            "section": "organizations",
            "organization": organization,
            "contacts": contacts[:CONTACTS_SHOWN],
            "more_contacts": len(contacts) > CONTACTS_SHOWN,
            "conversations": selectors.organization_conversations(request.user, organization),
        },
    )


@require_http_methods(["GET", "POST"])
@agent_required
def organization_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, object] = {}
    if request.GET.get("kind") in OrganizationKind.values:
        initial["kind"] = request.GET["kind"]
    form = OrganizationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        organization = save_form(form)
        if organization is not None:
            messages.success(request, f"{organization.name} was added.")
            return redirect("people:organization", pk=organization.pk)
    return render(
        request,
        "people/organization_form.html",
        {"section": "organizations", "form": form, "organization": None},
    )


@require_http_methods(["GET", "POST"])
@agent_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.get_organization(pk)
    form = OrganizationForm(
        request.POST if request.method == "POST" else None, organization=organization
    )
    if request.method == "POST":
        saved = save_form(form)
        if saved is not None:
            messages.success(request, f"{saved.name} was saved.")
            return redirect("people:organization", pk=saved.pk)
    return render(
        request,
        "people/organization_form.html",
        {"section": "organizations", "form": form, "organization": organization},
    )
