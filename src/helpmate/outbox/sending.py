"""Talking to the mail server: one outbox row becomes one email, handed over at most once.

With Django's SMTP backend (the production setting) the SMTP dialogue is driven step by step so
that the moment of no return, the final dot of DATA, is known: ``on_handover`` is called (and
commits the ``handover`` state) just before it is written. Everything before that point can
fail and be retried safely, because a server accepts a message only once it has the final dot
and has answered 250. Other backends (files, memory, console) are used as they are.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.utils.module_loading import import_string

from helpmate.outbox.models import OutboundEmail

SENT = "sent"
RETRY = "retry"  # temporary: nothing was accepted, try again later
FAILED = "failed"  # permanent: the server refused it for good
UNKNOWN = "unknown"  # the connection broke after the final dot: it may have been accepted
CANCELLED = "cancelled"  # nothing to send any more


@dataclass
class Outcome:
    result: str
    error: str = ""
    code: int | None = None
    # Recipients refused while others were accepted (or all refused): {address: "550 ..."}.
    refused: dict[str, str] = field(default_factory=dict)


class NothingToSend(Exception):
    """A rendered email that is no longer needed (its sign-in link was used or expired)."""


def build_message(row: OutboundEmail) -> EmailMultiAlternatives:
    subject, text, html = row.subject, row.text, row.html
    if row.renderer:
        rendered = import_string(row.renderer)(row.render_ref)
        if rendered is None:
            raise NothingToSend(row.pk)
        subject, text, html = rendered
    headers = dict(row.headers)
    headers["Message-ID"] = f"<{row.message_id}>"
    if row.reply_to:
        headers["Reply-To"] = row.reply_to
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=row.from_email,
        to=list(row.to),
        headers=headers,
    )
    if html:
        email.attach_alternative(html, "text/html")
    for item in row.attachments.all():
        with item.file.open("rb") as fh:
            email.attach(item.filename, fh.read(), item.content_type)
    return email


def _reply_text(code: int, resp: bytes | str) -> str:
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return f"{code} {' '.join(text.split())}"[:300]


def _classify(code: int, resp: bytes | str) -> Outcome:
    result = RETRY if 400 <= code < 500 else FAILED
    return Outcome(result, _reply_text(code, resp), code)


_LEADING_DOT = re.compile(rb"(?m)^\.")


def deliver(row: OutboundEmail, on_handover: Callable[[], None]) -> Outcome:
    """Send one row; never raises for mail-server trouble (the outcome says what happened)."""
    try:
        message = build_message(row)
    except NothingToSend:
        return Outcome(CANCELLED, "No longer needed (the link was used or has expired).")
    backend = get_connection(fail_silently=False)
    if not isinstance(backend, SmtpBackend):
        on_handover()
        try:
            backend.send_messages([message])
        except Exception as exc:
            return Outcome(UNKNOWN, f"The email backend failed: {exc.__class__.__name__}")
        return Outcome(SENT)
    try:
        return _smtp_dialogue(backend, message, on_handover)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail
            backend.close()


def _smtp_dialogue(
    backend: SmtpBackend, message: EmailMultiAlternatives, on_handover: Callable[[], None]
) -> Outcome:
    try:
        backend.open()
    except smtplib.SMTPResponseException as exc:
        return Outcome(RETRY, _reply_text(exc.smtp_code, exc.smtp_error), exc.smtp_code)
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome(RETRY, f"Cannot reach the mail server: {exc.__class__.__name__} {exc}")
    conn = backend.connection
    assert conn is not None
    encoding = message.encoding or settings.DEFAULT_CHARSET
    from_addr = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(a, encoding) for a in message.recipients()]
    raw = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    dot_sent = False
    try:
        conn.ehlo_or_helo_if_needed()
        options = [f"size={len(raw)}"] if conn.has_extn("size") else []
        code, resp = conn.mail(from_addr, options)
        if code != 250:
            conn.rset()
            return _classify(code, resp)
        refused: dict[str, tuple[int, str]] = {}
        accepted = []
        for address in recipients:
            code, resp = conn.rcpt(address)
            if code in (250, 251):
                accepted.append(address)
            else:
                refused[address] = (code, _reply_text(code, resp))
        refused_text = {a: text for a, (_, text) in refused.items()}
        if not accepted:
            conn.rset()
            temporary = any(400 <= c < 500 for c, _ in refused.values())
            first_code = next(iter(refused.values()))[0] if refused else 550
            return Outcome(
                RETRY if temporary else FAILED,
                "; ".join(f"{a}: {t}" for a, t in refused_text.items())[:500],
                first_code,
                refused_text,
            )
        code, resp = conn.docmd("data")
        if code != 354:
            conn.rset()
            return _classify(code, resp)
        body = _LEADING_DOT.sub(b"..", raw)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        conn.send(body)
        on_handover()
        dot_sent = True
        conn.send(b".\r\n")
        code, resp = conn.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        if dot_sent:
            return Outcome(
                UNKNOWN,
                f"The connection broke after the message was handed over ({exc.__class__.__name__})"
                "; the server may or may not have accepted it.",
            )
        return Outcome(RETRY, f"The mail server connection failed: {exc.__class__.__name__} {exc}")
    if code == 250:
        return Outcome(SENT, refused=refused_text)
    outcome = _classify(code, resp)
    outcome.refused = refused_text
    return outcome


def display_address(name: str, address: str) -> str:
    return formataddr((name, address))
