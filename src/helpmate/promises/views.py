"""Promise pages: keep or cancel from the conversation's sidebar, the delay notice, the report."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from helpmate.desk import actions as desk_actions
from helpmate.desk.actions import ActionError
from helpmate.desk.models import Status
from helpmate.desk.views.common import current_agent
from helpmate.promises import actions, delay, selectors
from helpmate.promises.composer import INPUT_FORMAT, parse_local
from helpmate.promises.models import PromiseState
from helpmate.web.access import agent_required


def _back(promise_conversation_id: int) -> HttpResponse:
    return redirect("desk:conversation", pk=promise_conversation_id)


@agent_required
@require_POST
def keep(request: HttpRequest, pk: int) -> HttpResponse:
    promise = selectors.get_promise(request.user, pk)
    try:
        kept = actions.keep_promise(promise=promise, actor=current_agent(request))
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Promise recorded as {kept.get_state_display().lower()}.")
    return _back(promise.conversation_id)


@agent_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    promise = selectors.get_promise(request.user, pk)
    try:
        actions.cancel_promise(
            promise=promise,
            actor=current_agent(request),
            reason=request.POST.get("reason", "")[:300],
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Promise cancelled.")
    return _back(promise.conversation_id)


@agent_required
@require_http_methods(["GET", "POST"])
def delay_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft (and send) an honest delay notice with a new time; sent before the due time, the
    promise counts as renegotiated early."""
    agent = current_agent(request)
    promise = selectors.get_promise(request.user, pk)
    now = timezone.now()
    zone = actions.contact_zone(promise.made_to)
    errors: dict[str, str] = {}
    reason = request.POST.get("reason", "").strip()[:300]
    new_due: datetime | None
    if request.method == "POST":
        new_due = parse_local(request.POST.get("new_due", ""), promise.conversation)
        if new_due is None:
            errors["new_due"] = "Give the new time as a date and time."
    else:
        new_due = delay.suggested_new_time(promise, now=now)
    text = request.POST.get("text", "")
    redraft = request.method == "GET" or "redraft" in request.POST or not text.strip()
    if new_due is not None and redraft:
        text = delay.draft(promise, agent=agent, new_due=new_due, reason=reason)
    status = 200
    if request.method == "POST" and "send" in request.POST and not errors and new_due:
        if promise.state not in (PromiseState.OPEN, PromiseState.BROKEN):
            errors["form"] = f"This promise is already {promise.get_state_display().lower()}."
        else:
            try:
                with transaction.atomic():
                    message = desk_actions.add_reply(
                        conversation=promise.conversation,
                        agent=agent,
                        text=text,
                        status=Status.OPEN,
                    )
                    actions.renegotiate_promise(
                        promise=promise,
                        actor=agent,
                        new_due_at=new_due,
                        reason=reason,
                        message=message,
                        at=message.created_at,
                    )
            except ActionError as exc:
                errors["form"] = str(exc)
            else:
                messages.success(request, "Delay notice sent; the new time is recorded.")
                return _back(promise.conversation_id)
        status = 400
    elif errors:
        status = 400
    return render(
        request,
        "promises/delay.html",
        {
            "section": "inbox",
            "promise": promise,
            "due_local": selectors.local_due(promise),
            "zone": zone.key,
            "new_due_value": new_due.astimezone(zone).strftime(INPUT_FORMAT) if new_due else "",
            "reason": reason,
            "text": text,
            "errors": errors,
            "early": now < promise.due_at,
        },
        status=status,
    )
