"""Pages of the effort app: the leaders' radar, one conversation's journey, and the Customer
Effort Score question (by emailed link without signing in, and in the portal)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpmate.desk import selectors as desk_selectors
from helpmate.desk.actions import ActionError
from helpmate.desk.models import Conversation
from helpmate.desk.views.common import current_agent
from helpmate.effort import ces, charts, selectors
from helpmate.effort.actions import CesRefused, answer_ces
from helpmate.effort.forms import CesForm, RadarFilterForm
from helpmate.effort.models import ConversationEffort
from helpmate.effort.timeline import ongoing_wait, score_parts, steps_of
from helpmate.people.models import Contact, contact_of
from helpmate.portal.access import portal_page
from helpmate.web.access import agent_required


@agent_required
@require_GET
def radar(request: HttpRequest) -> HttpResponse:
    scope = selectors.scope_for(current_agent(request))
    form = RadarFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    rows = selectors.resolved_rows(scope, filters)
    weeks = selectors.weekly(rows, filters)
    context = {
        "section": "effort",
        "form": form,
        "filters": filters,
        "scope": scope,
        "total": selectors.total(rows),
        "weeks": weeks,
        "charts": charts.trend_charts(weeks),
        "teams": selectors.by_team(rows, scope) if filters.team is None else [],
        "agents": selectors.by_agent(rows, scope),
        "mazes": selectors.worst_mazes(scope, filters),
        "comments": list(selectors.ces_answers(scope, filters).exclude(ces_comment="")[:8]),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "effort/radar.html", context, status=status)


@agent_required
@require_GET
def conversation_effort(request: HttpRequest, pk: int) -> HttpResponse:
    conv = desk_selectors.get_conversation(request.user, pk)
    row = ConversationEffort.objects.filter(pk=conv.pk).first()
    context = {
        "section": "effort",
        "conversation": conv,
        "row": row,
        "steps": steps_of(row) if row else [],
        "waiting_now": ongoing_wait(row) if row else 0,
        "parts": score_parts(row) if row else [],
    }
    return render(request, "effort/conversation.html", context)


def _link_problem(request: HttpRequest, message: str, reason: str) -> HttpResponse:
    return render(
        request, "effort/ces_link_invalid.html", {"problem": message, "reason": reason}, status=400
    )


@require_http_methods(["GET", "POST"])
def ces_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: GET shows the question, only the POST form answers it."""
    try:
        target = ces.read_token(token)
    except ces.BadLink as exc:
        return _link_problem(request, str(exc), exc.reason)
    conv = Conversation.objects.filter(pk=target.conversation_id).first()
    contact = Contact.objects.filter(pk=target.contact_id).first()
    if conv is None or contact is None or conv.requester_id != contact.pk:
        return _link_problem(request, "This link does not match a request of yours.", "invalid")
    initial = {}
    if request.GET.get("score", "").isdigit():
        initial["score"] = int(request.GET["score"])
    form = CesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                answer_ces(
                    conversation=conv,
                    contact=contact,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except CesRefused as exc:
                return render(request, "effort/ces_thanks.html", {"note": str(exc)})
            except ActionError as exc:
                form.add_error(None, str(exc))
            else:
                return render(request, "effort/ces_thanks.html", {"note": ""})
    row = ConversationEffort.objects.filter(pk=conv.pk).first()
    return render(
        request,
        "effort/ces_link.html",
        {"form": form, "conversation": conv, "contact": contact, "row": row, "token": token},
        status=status,
    )


@require_POST
@portal_page
def ces_portal(request: HttpRequest, pk: int) -> HttpResponse:
    """The question on a resolved conversation in the portal (the requester only)."""
    conv = desk_selectors.get_conversation(request.user, pk)
    contact = contact_of(request.user)
    if contact is None:  # pragma: no cover - guaranteed by portal_page
        raise Http404
    form = CesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            answer_ces(
                conversation=conv,
                contact=contact,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ActionError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, "Thank you for telling us how easy it was.")
    return redirect("portal:conversation", pk=conv.pk)
