"""Contacts: the list with search and filters, a profile with their history, create and edit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from helpmate.desk.selectors import contact_history
from helpmate.people import selectors
from helpmate.people.forms import ContactForm, time_zone_names
from helpmate.people.models import ContactKind, Organization
from helpmate.people.views.common import int_or_none, is_htmx_for, page_number, page_size, save_form
from helpmate.web.access import agent_required


@require_GET
@agent_required
def contact_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in ContactKind.values else ""
    organization_id = int_or_none(request.GET.get("organization"))
    organization = (
        Organization.objects.filter(pk=organization_id).first() if organization_id else None
    )
    page = selectors.contact_page(
        request.user,
        number=page_number(request),
        size=page_size(),
        query=query,
        kind=kind,
        organization=organization.pk if organization else None,
    )
    context = {
        "section": "contacts",
        "page": page,
        "query": query,
        "kind": kind,
        "kinds": ContactKind.choices,
        "organization": organization,
        "filtered": bool(query or kind or organization),
    }
    if is_htmx_for(request, "contact-results"):
        return render(request, "people/_contact_results.html", context)
    return render(request, "people/contact_list.html", context)


def _local_time(time_zone: str) -> datetime | None:
    try:
        return timezone.now().astimezone(ZoneInfo(time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        return None


@require_GET
@agent_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact(request.user, pk)
    return render(
        request,
        "people/contact_detail.html",
        {
            "section": "contacts",
            "contact": contact,
            "emails": list(contact.emails.all()),
            "local_time": _local_time(contact.time_zone),
            "history": list(contact_history(request.user, contact.pk)),
        },
    )


@require_http_methods(["GET", "POST"])
@agent_required
def contact_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, object] = {"organization": int_or_none(request.GET.get("organization"))}
    if request.GET.get("kind") in ContactKind.values:
        initial["kind"] = request.GET["kind"]
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        contact = save_form(form)
        if contact is not None:
            messages.success(request, f"{contact.name} was added.")
            return redirect("people:contact", pk=contact.pk)
    return render(
        request,
        "people/contact_form.html",
        {"section": "contacts", "form": form, "contact": None, "time_zones": time_zone_names()},
    )


@require_http_methods(["GET", "POST"])
@agent_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact(request.user, pk)
    form = ContactForm(request.POST if request.method == "POST" else None, contact=contact)
    if request.method == "POST":
        saved = save_form(form)
        if saved is not None:
            messages.success(request, f"{saved.name} was saved.")
            return redirect("people:contact", pk=saved.pk)
    return render(
        request,
        "people/contact_form.html",
        {"section": "contacts", "form": form, "contact": contact, "time_zones": time_zone_names()},
    )
