"""Writing an email into the outbox: inside the caller's transaction, sent after commit."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import mimetypes
import secrets
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from email.utils import formataddr, make_msgid
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from helpmate.desk.models import Attachment, Conversation, Message
from helpmate.mail.tokens import message_id_for
from helpmate.outbox.models import OutboundAttachment, OutboundEmail, OutboundKind, OutboundState

# (filename, content, mimetype) or a desk attachment (its stored file is attached as it is).
AttachmentSpec = Attachment | tuple[str, bytes, str]

log = logging.getLogger(__name__)

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "helpmate_outbox_suppressed", default=False
)


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Queue nothing inside this block (the demo seed writes hundreds of past replies)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def is_suppressed() -> bool:
    return _suppressed.get()


def default_from(name: str | None = None, address: str | None = None) -> str:
    address = address or str(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or settings.HELPMATE_COMPANY_NAME, address))


def new_message_id() -> str:
    """A Message-ID without angle brackets, on the domain of our sending address."""
    domain = str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2] or "helpmate.localhost"
    return make_msgid(domain=domain).strip("<>")


def outbound_email(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    conversation: Conversation | None = None,
    message: Message | None = None,
    kind: str = OutboundKind.NOTIFICATION,
    from_name: str | None = None,
    from_email: str | None = None,
    reply_to: str | None = None,
    headers: Mapping[str, str] | None = None,
    message_id: str | None = None,
    skipped: Mapping[str, str] | None = None,
    renderer: str = "",
    render_ref: int | None = None,
    at: datetime | None = None,
) -> OutboundEmail:
    """The outbox row ``queue_email`` writes, not saved yet (``queue_emails`` writes many such
    rows at once). Inside ``suppressed()`` it is cancelled, and writing it does nothing."""
    at = at or timezone.now()
    recipients = list(dict.fromkeys(a.strip() for a in to if a and a.strip()))
    if not recipients and not skipped:
        raise ValueError("An email needs at least one recipient.")
    extra = dict(headers or {})
    mid = (message_id or extra.pop("Message-ID", "") or new_message_id()).strip("<>")
    email = OutboundEmail(
        kind=kind,
        conversation=conversation,
        desk_message=message,
        from_email=default_from(from_name, from_email),
        to=recipients,
        reply_to=reply_to or "",
        subject=" ".join(subject.split())[:500],
        text=text,
        html=html,
        headers=extra,
        message_id=mid,
        skipped=dict(skipped or {}),
        renderer=renderer,
        render_ref=render_ref,
        created_at=at,
        next_attempt_at=at,
    )
    if is_suppressed():
        email.state = OutboundState.CANCELLED
        return email
    if not recipients:
        email.state = OutboundState.FAILED
        email.failed_at = at
        email.last_error = "Not emailed: " + "; ".join(f"{a} {r}" for a, r in email.skipped.items())
        email.last_error = email.last_error[:500]
    if conversation is not None and not message_id and "Message-ID" not in (headers or {}):
        # Our Message-ID carries the conversation's signed token, so a reply threads back even
        # when the mail client drops Reply-To. Its number only has to be unique (replies are
        # matched by the whole id, stored on the row): a random one saves an UPDATE.
        domain = (from_email or str(settings.DEFAULT_FROM_EMAIL)).rpartition("@")[2]
        email.message_id = message_id_for(
            conversation_id=conversation.pk,
            outbound_id=secrets.randbits(48),
            domain=domain or "helpmate.localhost",
        ).strip("<>")
    return email


def queue_email(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    conversation: Conversation | None = None,
    message: Message | None = None,
    kind: str = OutboundKind.NOTIFICATION,
    from_name: str | None = None,
    from_email: str | None = None,
    reply_to: str | None = None,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[AttachmentSpec] = (),
    message_id: str | None = None,
    skipped: Mapping[str, str] | None = None,
    renderer: str = "",
    render_ref: int | None = None,
    at: datetime | None = None,
) -> OutboundEmail:
    """Write one email into the outbox in the current transaction; a worker sends it after
    commit (a rolled-back transaction sends nothing).

    ``to`` may be empty only when ``skipped`` explains why (the row is then recorded as failed,
    so the agent sees that nobody was emailed). ``renderer``/``render_ref`` render the subject and
    body when the email is sent (for secrets that must not be stored). Inside ``suppressed()``
    nothing is written and an unsaved row is returned.
    """
    email = outbound_email(
        to=to,
        subject=subject,
        text=text,
        html=html,
        conversation=conversation,
        message=message,
        kind=kind,
        from_name=from_name,
        from_email=from_email,
        reply_to=reply_to,
        headers=headers,
        message_id=message_id,
        skipped=skipped,
        renderer=renderer,
        render_ref=render_ref,
        at=at,
    )
    if email.state == OutboundState.CANCELLED:
        return email
    with transaction.atomic():
        email.save()
        for item in attachments:
            _attach(email, item)
        _written(email)
    return email


def queue_emails(emails: Sequence[OutboundEmail]) -> None:
    """Write rows made by ``outbound_email`` (no attachments) with one INSERT, as
    ``queue_email`` would one by one: each gets its id and is sent after commit."""
    rows = [e for e in emails if e.state != OutboundState.CANCELLED]
    if not rows:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        OutboundEmail.objects.bulk_create(rows)
    else:  # pragma: no cover - every supported database returns the new ids
        for email in rows:
            email.save()
    queued = [email.pk for email in rows if email.state == OutboundState.QUEUED]
    for email in rows:
        if email.state != OutboundState.QUEUED:
            _written(email)
    if queued:  # one task for all of them: one write to the task queue, not one each
        transaction.on_commit(lambda: _enqueue_many(queued))


def _written(email: OutboundEmail) -> None:
    if email.state == OutboundState.QUEUED:
        _send_after_commit(email.pk)
    else:
        from helpmate.outbox.actions import log_outcome

        log_outcome(email, email.created_at)


def _attach(email: OutboundEmail, item: AttachmentSpec) -> None:
    if isinstance(item, Attachment):
        OutboundAttachment.objects.create(
            email=email, file=item.file.name, filename=item.filename, content_type=item.content_type
        )
        return
    filename, content, mimetype = item
    name = PurePath(filename).name or "attachment"
    row = OutboundAttachment(
        email=email,
        filename=name,
        content_type=mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    row.file.save(name, ContentFile(content), save=False)
    row.save()


def _send_after_commit(pk: int) -> None:
    transaction.on_commit(lambda: _enqueue(pk))


def _enqueue_many(pks: list[int]) -> None:
    """``_enqueue`` for several rows, as one task (the worker sends them one after another)."""
    if len(pks) == 1:
        _enqueue(pks[0])
        return
    from helpmate.outbox.tasks import send_outbound_many

    try:
        send_outbound_many.enqueue(pks)
    except Exception:
        log.exception("Could not enqueue outbound emails %s; the outbox.retry job sends them", pks)


def _enqueue(pk: int) -> None:
    """Ask a worker to send now. If even that fails, the row is committed and due: the
    ``outbox.retry`` job sends it, so the request that wrote it must not fail over it."""
    from helpmate.outbox.tasks import send_outbound

    try:
        send_outbound.enqueue(pk)
    except Exception:
        log.exception("Could not enqueue outbound email %s; the outbox.retry job will send it", pk)
