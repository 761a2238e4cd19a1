"""The durable outbox: one row per email, written in the transaction that decided to send it.

States (see docs/email.md, "Outbound", for the at-most-once argument):

- ``queued``: waiting for a worker (``next_attempt_at`` says when; after a temporary failure it
  is in the future: "retrying").
- ``sending``: claimed by one worker (conditional UPDATE), talking to the SMTP server, the final
  dot of DATA not yet sent. The server cannot have accepted the message yet, so a crashed
  worker's ``sending`` row may safely go back to ``queued``.
- ``handover``: committed just before the final dot is written. If the worker dies now, nobody
  knows whether the server accepted it: the row becomes ``unknown`` and an agent decides.
- ``sent``, ``failed`` (permanent: 5xx, no deliverable address, too many attempts),
  ``unknown`` (needs a check; "send again" re-queues it as a new attempt), ``cancelled``.
"""

from __future__ import annotations

from django.db import models

from helpmate.desk.models import Conversation, Message


class OutboundState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    HANDOVER = "handover", "Handing over"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown: needs a check"
    CANCELLED = "cancelled", "Cancelled"


IN_FLIGHT = (OutboundState.SENDING, OutboundState.HANDOVER)


class OutboundKind(models.TextChoices):
    REPLY = "reply", "Reply"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    SIGN_IN = "sign_in", "Sign-in link"
    NOTIFICATION = "notification", "Notification"


class OutboundEmail(models.Model):
    kind = models.CharField(max_length=20, default=OutboundKind.NOTIFICATION)
    state = models.CharField(
        max_length=10, choices=OutboundState.choices, default=OutboundState.QUEUED
    )
    conversation = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
        db_index=False,  # served by the (conversation, created_at) index
    )
    # The desk message this email carries (a reply); named so that ``message_id`` stays the
    # Message-ID header below.
    desk_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_emails"
    )
    from_email = models.CharField(max_length=400, help_text="Display name and address")
    to = models.JSONField(default=list)
    reply_to = models.CharField(max_length=400, blank=True)
    subject = models.CharField(max_length=500)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # Emails carrying a secret (a sign-in link) are rendered when sent, so the secret is never
    # stored: the dotted path of a function taking ``render_ref`` and returning
    # ``(subject, text, html)``, or None when the email is no longer needed.
    renderer = models.CharField(max_length=200, blank=True)
    render_ref = models.BigIntegerField(null=True, blank=True)
    # Our Message-ID without angle brackets; inbound threading looks replies up by it.
    message_id = models.CharField(max_length=300, db_index=True)
    # Addresses left out before sending (known to bounce), with the reason shown to the agent.
    skipped = models.JSONField(default=dict, blank=True)
    # Recipients the server refused while accepting the others: {address: "550 ..."}.
    refused = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["conversation", "created_at"], name="outbox_conv"),
            models.Index(fields=["created_at"], name="outbox_created"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} to {', '.join(self.to)}: {self.subject}"


def outbound_attachment_path(instance: OutboundAttachment, filename: str) -> str:
    return f"outbox/{instance.email_id}/{filename}"


class OutboundAttachment(models.Model):
    """A file to attach. Reply attachments point at the desk attachment's stored file."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=outbound_attachment_path, max_length=400)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.filename
