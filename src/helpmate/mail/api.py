"""API endpoints of the mail app, mounted under /api/ by helpmate.api.api.

``POST /api/mail/inbound`` takes one raw email (the request body, ``message/rfc822``) into the
same pipeline as the other ways in: stored and committed first, then processed. Admins only.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from helpmate.api.auth import current_agent
from helpmate.api.schemas import WRITE_ERRORS, ErrorBody
from helpmate.mail import intake
from helpmate.mail.models import Mailbox, Source
from helpmate.mail.process import process
from helpmate.mail.tokens import base_address

router = Router(tags=["Mail"])


class InboundOut(Schema):
    id: int
    state: str
    reason: str
    conversation: int | None


@router.post(
    "/mail/inbound",
    response={201: InboundOut, **WRITE_ERRORS, 413: ErrorBody, 503: ErrorBody},
    summary="Take in one raw email",
)
def receive_inbound(request: HttpRequest, mailbox: str = "") -> tuple[int, InboundOut]:
    """The request body is the email exactly as received. The same bytes twice are stored once.
    ``mailbox`` is the address it was sent to (it picks the team)."""
    if not current_agent(request).is_admin:
        raise HttpError(403, "Only admins can feed email into the desk.")
    raw = request.body
    if not raw.strip():
        raise HttpError(400, "The request body must be the raw email (message/rfc822).")
    if len(raw) > settings.HELPMATE_MAIL_MAX_MESSAGE_BYTES:
        raise HttpError(413, "The email is larger than HELPMATE_MAIL_MAX_MESSAGE_BYTES.")
    box = Mailbox.objects.filter(address=base_address(mailbox)).first() if mailbox else None
    try:
        stored = intake.receive(
            raw, source=Source.API, mailbox=box, envelope_to=[mailbox] if mailbox else []
        )
    except intake.StorageError as exc:
        raise HttpError(503, f"{exc} Try again later.") from exc
    row = process(stored.pk)
    return 201, InboundOut(
        id=row.pk, state=row.state, reason=row.reason, conversation=row.conversation_id
    )
