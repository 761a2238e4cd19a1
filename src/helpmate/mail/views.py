"""Mail pages: the admins' incoming-mail list (the quarantine), the raw message, retry; and the
original email behind a desk message for agents who can see its conversation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from helpmate.desk.models import Message
from helpmate.desk.selectors import get_conversation
from helpmate.mail import selectors
from helpmate.mail.actions import MailError, mark_for_retry
from helpmate.mail.intake import raw_bytes
from helpmate.mail.models import InboundEmail, InboundState
from helpmate.mail.process import process
from helpmate.people.models import ContactEmail
from helpmate.web.access import admin_required, agent_required

FILTERS = [
    (InboundState.QUARANTINED, "Quarantined"),
    (InboundState.IGNORED, "Ignored"),
    (InboundState.RECEIVED, "Waiting"),
    (InboundState.PROCESSED, "Processed"),
    ("all", "All"),
]


def _raw_response(inbound: InboundEmail) -> HttpResponse:
    try:
        data = raw_bytes(inbound)
    except OSError as exc:
        raise Http404("The stored message file is missing.") from exc
    response = HttpResponse(data, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="email-{inbound.pk}.eml"'
    return response


@admin_required
@require_GET
def inbound_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", InboundState.QUARANTINED)
    if state not in {value for value, _ in FILTERS}:
        state = InboundState.QUARANTINED
    try:
        mailbox_id: int | None = int(request.GET["mailbox"])
    except (KeyError, ValueError):
        mailbox_id = None
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    size = settings.HELPMATE_PAGE_SIZE
    start = (page - 1) * size
    rows = selectors.inbound_rows(state="" if state == "all" else state, mailbox_id=mailbox_id)
    found = list(rows[start : start + size + 1])
    return render(
        request,
        "mail/inbound_list.html",
        {
            "section": "mail",
            "rows": found[:size],
            "state": state,
            "filters": FILTERS,
            "mailboxes": selectors.mailbox_summary(),
            "mailbox_id": mailbox_id,
            "page": page,
            "has_next": len(found) > size,
            "has_previous": page > 1,
        },
    )


@admin_required
@require_GET
def raw_message(request: HttpRequest, pk: int) -> HttpResponse:
    return _raw_response(get_object_or_404(InboundEmail, pk=pk))


@admin_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    inbound = get_object_or_404(InboundEmail, pk=pk)
    try:
        mark_for_retry(inbound=inbound)
    except MailError as exc:
        messages.error(request, str(exc))
        return redirect("mail:inbound")
    inbound = process(inbound.pk)
    if inbound.state == InboundState.PROCESSED:
        messages.success(request, f"Email #{inbound.pk} processed: {inbound.reason}")
    else:
        messages.error(request, f"Email #{inbound.pk} is {inbound.state} again: {inbound.reason}")
    return redirect(reverse("mail:inbound") + f"?state={InboundState.QUARANTINED}")


@agent_required
@require_GET
def original(request: HttpRequest, message_pk: int) -> HttpResponse:
    """The email a desk message came from, exactly as it arrived (for agents who can see it)."""
    message = get_object_or_404(Message.objects.only("pk", "conversation_id"), pk=message_pk)
    get_conversation(request.user, message.conversation_id)  # 404 unless visible
    inbound = InboundEmail.objects.filter(desk_message_id=message.pk).first()
    if inbound is None:
        raise Http404("This message did not come by email.")
    return _raw_response(inbound)


@agent_required
@require_GET
def notices(request: HttpRequest, pk: int) -> HttpResponse:
    """Automatic replies, bounces and follow-ups of a conversation (a fragment for its page)."""
    conversation = get_conversation(request.user, pk)
    people = Q(contact_id=conversation.requester_id) | Q(
        contact__in=conversation.participants.values("pk")
    )
    emails = list(ContactEmail.objects.filter(people).values_list("email", flat=True))
    return render(
        request,
        "mail/_notices.html",
        {
            "notices": selectors.mail_notices(conversation.pk),
            "bouncing": selectors.bouncing_addresses(emails),
        },
    )
