"""Downloading an attachment: only from a conversation the agent may see, never inline."""

from __future__ import annotations

import re
from typing import cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from helpmate.desk.models import Attachment, Conversation
from helpmate.web.access import agent_required

_MIME_RE = re.compile(r"^[\w.+-]+/[\w.+-]+$")


@agent_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = (
        Attachment.objects.filter(
            pk=pk,
            message__conversation__in=Conversation.objects.visible_to(request.user).values("pk"),
        )
        .only("file", "filename", "content_type")
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment.")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The file of this attachment is missing from storage.") from exc
    content_type = attachment.content_type.lower().strip()
    if not _MIME_RE.match(content_type):
        content_type = "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # a streaming response; the decorators' type is wider
