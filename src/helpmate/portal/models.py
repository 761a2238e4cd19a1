"""The portal's own data: one-time sign-in links for customers, colleagues and suppliers."""

from __future__ import annotations

from django.db import models

from helpmate.people.models import Contact


class SignInLink(models.Model):
    """A one-time link emailed to an address so its owner can sign in without a password.

    Only a SHA-256 hash of the token is stored, and the nonce it is derived from; the token
    itself is an HMAC of the nonce under the site's secret key (see ``portal.actions``), so a
    copy of the database alone cannot be turned into working links.
    """

    email = models.EmailField(help_text="The address the link was sent to")
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who owned the address when asked, then who signed in with it",
    )
    nonce = models.CharField(max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    next_path = models.CharField(max_length=300, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["email", "created_at"], name="signin_email_time"),
            models.Index(fields=["requested_ip", "created_at"], name="signin_ip_time"),
        ]

    def __str__(self) -> str:
        return f"Sign-in link for {self.email}"
