"""The person's own requests: the list, a new request, one conversation, replying, resolving."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpmate.desk import actions as desk
from helpmate.desk import selectors as desk_selectors
from helpmate.desk.models import DONE_STATUSES, Channel, Conversation, Status
from helpmate.people.models import Contact, contact_of
from helpmate.portal import selectors
from helpmate.portal.access import portal_page
from helpmate.portal.forms import NewRequestForm, ReplyForm

PAGE_SIZE = 25
# Attachment types a browser may show in place; anything else is offered as a download only.
_INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


def _me(request: HttpRequest) -> Contact:
    contact = contact_of(request.user)
    assert contact is not None  # guaranteed by @portal_page
    return contact


@require_GET
@portal_page
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_conversations(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/home.html", {"page": page, "section": "home"})


@require_http_methods(["GET", "POST"])
@portal_page
def new_request(request: HttpRequest) -> HttpResponse:
    form = NewRequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                conversation = desk.create_conversation(
                    requester=_me(request),
                    subject=form.cleaned_data["subject"],
                    text=form.cleaned_data["message"],
                    channel=Channel.PORTAL,
                    attachments=form.cleaned_data["attachments"],
                )
            except desk.ActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    "Thank you: we have your request. We'll answer here and by email.",
                )
                return redirect("portal:conversation", pk=conversation.pk)
    return render(
        request,
        "portal/new_request.html",
        {"form": form, "section": "new", **_limits()},
        status=status,
    )


def _limits() -> dict[str, int]:
    return {
        "max_attachment_bytes": settings.HELPMATE_MAX_ATTACHMENT_BYTES,
        "max_attachments": settings.HELPMATE_MAX_ATTACHMENTS_PER_MESSAGE,
    }


def _conversation_page(
    request: HttpRequest, conversation: Conversation, form: ReplyForm, *, status: int = 200
) -> HttpResponse:
    thread = desk_selectors.thread(request.user, conversation)
    return render(
        request,
        "portal/conversation.html",
        {
            "conversation": conversation,
            "thread": thread,
            "form": form,
            "is_done": conversation.status in DONE_STATUSES,
            **_limits(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@portal_page
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    conv = desk_selectors.get_conversation(request.user, pk)
    if conv.merged_into_id is not None:
        target = desk_selectors.get_conversation(request.user, conv.merged_into_id)
        return redirect("portal:conversation", pk=target.pk)
    if request.method == "GET":
        return _conversation_page(request, conv, ReplyForm())
    form = ReplyForm(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            desk.add_incoming_message(
                conversation=conv,
                author=_me(request),
                text=form.cleaned_data["text"],
                channel=Channel.PORTAL,
                attachments=form.cleaned_data["attachments"],
            )
        except desk.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your reply is with us.")
            return redirect("portal:conversation", pk=conv.pk)
    return _conversation_page(request, conv, form, status=400)


@require_http_methods(["GET", "POST"])
@portal_page
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark as resolved, after a confirmation page (GET) so it is never a slip of the finger."""
    conv = desk_selectors.get_conversation(request.user, pk)
    if conv.merged_into_id is not None or conv.status in DONE_STATUSES:
        return redirect("portal:conversation", pk=conv.merged_into_id or conv.pk)
    if request.method == "GET":
        return render(request, "portal/resolve.html", {"conversation": conv})
    try:
        desk.change_status(conversation=conv, actor=_me(request), status=Status.RESOLVED)
    except desk.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Marked as resolved. If anything comes up again, just reply here."
        )
    return redirect("portal:conversation", pk=conv.pk)


@require_GET
@portal_page  # type: ignore[arg-type]  # a FileResponse streams; the decorator passes it on
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.get_attachment(request.user, pk)
    inline = item.content_type in _INLINE_TYPES
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=item.filename,
        content_type=item.content_type if inline else "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
