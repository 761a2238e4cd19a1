"""Mailboxes, every inbound email as received (raw bytes first), bounces and bouncing addresses.

Writes go through ``helpmate.mail.actions`` and the pipeline (``intake`` stores, ``process``
parses and turns a stored email into desk actions).
"""

from __future__ import annotations

import os

from django.db import models

from helpmate.desk.models import Conversation, Message
from helpmate.people.models import ContactEmail, Team


class Mailbox(models.Model):
    """An address customers write to, mapped to the team that answers it.

    The IMAP fields are optional: a mailbox fed by the SMTP/LMTP listener or by pipe delivery
    needs only the address. The IMAP password is either stored here or, better, read from the
    environment variable named in ``imap_password_env``; it is never logged or shown.
    """

    address = models.EmailField(unique=True, help_text="e.g. support@northwind.example")
    name = models.CharField(max_length=120, blank=True, help_text="Display name, e.g. Support")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="mailboxes")
    active = models.BooleanField(default=True)

    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_ssl = models.BooleanField(default=True, help_text="IMAPS (TLS from the start)")
    imap_user = models.CharField(max_length=255, blank=True)
    imap_password = models.CharField(max_length=255, blank=True)
    imap_password_env = models.CharField(
        max_length=100, blank=True, help_text="Name of an environment variable with the password"
    )
    imap_folder = models.CharField(max_length=255, default="INBOX")
    imap_delete = models.BooleanField(
        default=False, help_text="Delete fetched messages on the server (else flag them \\Seen)"
    )
    # Where polling left off: UIDs are only meaningful within one UIDVALIDITY.
    imap_uidvalidity = models.PositiveBigIntegerField(null=True, blank=True)
    imap_last_uid = models.PositiveBigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address

    def save(self, *args: object, **kwargs: object) -> None:
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def polls_imap(self) -> bool:
        return bool(self.imap_host and self.imap_user)

    def imap_secret(self) -> str:
        """The IMAP password (from the environment variable if one is named)."""
        if self.imap_password_env:
            return os.environ.get(self.imap_password_env, "")
        return self.imap_password


class Source(models.TextChoices):
    IMAP = "imap", "IMAP polling"
    LMTP = "lmtp", "LMTP listener"
    SMTP = "smtp", "SMTP listener"
    PIPE = "pipe", "Pipe delivery"
    API = "api", "API"


class InboundState(models.TextChoices):
    RECEIVED = "received", "Received, not processed yet"
    PROCESSED = "processed", "Processed"
    QUARANTINED = "quarantined", "Quarantined"
    IGNORED = "ignored", "Ignored"


class InboundKind(models.TextChoices):
    MESSAGE = "message", "Message"
    AUTO_REPLY = "auto_reply", "Automatic reply"
    BULK = "bulk", "Bulk or list mail"
    BOUNCE = "bounce", "Bounce"


class InboundEmail(models.Model):
    """One email as it arrived. The raw bytes are committed before anything parses them.

    Small messages keep their bytes in ``raw_data``; bigger ones in a file under
    ``DATA_DIR/mail/raw`` named by the checksum (written and fsynced before the row commits).
    The unique (message_id, checksum) pair makes intake idempotent: the same bytes delivered
    twice are one row.
    """

    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    message_id = models.CharField(max_length=500, blank=True)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the raw bytes")
    size = models.PositiveBigIntegerField()
    raw_data = models.BinaryField(null=True, blank=True)
    raw_path = models.CharField(max_length=200, blank=True)
    envelope_to = models.CharField(max_length=500, blank=True)

    received_at = models.DateTimeField()
    state = models.CharField(
        max_length=12, choices=InboundState.choices, default=InboundState.RECEIVED
    )
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    # Filled by processing (cheap to show in lists without re-parsing).
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=InboundKind.choices, blank=True)
    is_automatic = models.BooleanField(
        default=False, help_text="An automatic reply or bulk mail: never answer it automatically"
    )
    conversation = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_emails",
        db_index=False,
    )
    desk_message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_email"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message_id", "checksum"], name="inbound_once"),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="inbound_state"),
            models.Index(fields=["sender", "received_at"], name="inbound_sender"),
            models.Index(fields=["conversation", "received_at"], name="inbound_conv"),
        ]
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"inbound #{self.pk} {self.message_id or self.checksum[:12]}"


class BounceKind(models.TextChoices):
    PERMANENT = "permanent", "Permanent (the address does not work)"
    TEMPORARY = "temporary", "Temporary (delayed, full mailbox)"


class Bounce(models.Model):
    """A delivery failure report about one address, linked to what we sent if we can tell."""

    inbound = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="bounces")
    address = models.CharField(max_length=320)
    contact_email = models.ForeignKey(
        ContactEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    kind = models.CharField(max_length=10, choices=BounceKind.choices)
    status = models.CharField(max_length=20, blank=True, help_text="DSN status, e.g. 5.1.1")
    diagnostic = models.TextField(blank=True)
    # The outbox row (helpmate.outbox.OutboundEmail) that bounced, when it could be found; a
    # plain id so the mail app does not depend on the outbox app's migrations.
    outbound_id = models.PositiveBigIntegerField(null=True, blank=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inbound", "address"], name="bounce_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} bounce for {self.address}"


class AddressHealth(models.Model):
    """Whether mail to a contact's address bounces (cleared when they write to us again)."""

    contact_email = models.OneToOneField(
        ContactEmail, on_delete=models.CASCADE, related_name="mail_health"
    )
    bouncing = models.BooleanField(default=False)
    bounce_count = models.PositiveIntegerField(default=0)
    last_bounce_at = models.DateTimeField(null=True, blank=True)
    last_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.contact_email_id}: {'bouncing' if self.bouncing else 'ok'}"
