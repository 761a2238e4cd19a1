"""Django admin for mailboxes (saved through the action) and a read-only view of inbound mail.

The IMAP password field is left out on purpose: name an environment variable instead
(``imap_password_env``), or set it with ``helpmate mail mailboxes add``; secrets are never shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from helpmate.mail.actions import save_mailbox
from helpmate.mail.models import InboundEmail, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["address", "team", "active", "imap_host", "last_polled_at", "last_error"]
    list_filter = ["active", "team"]
    fields = [
        "address",
        "name",
        "team",
        "active",
        "imap_host",
        "imap_port",
        "imap_ssl",
        "imap_user",
        "imap_password_env",
        "imap_folder",
        "imap_delete",
    ]

    def save_model(self, request: HttpRequest, obj: Mailbox, form: Any, change: bool) -> None:
        saved = save_mailbox(
            address=obj.address,
            team=obj.team,
            name=obj.name,
            active=obj.active,
            imap_host=obj.imap_host,
            imap_port=obj.imap_port,
            imap_ssl=obj.imap_ssl,
            imap_user=obj.imap_user,
            imap_password=obj.imap_password,
            imap_password_env=obj.imap_password_env,
            imap_folder=obj.imap_folder,
            imap_delete=obj.imap_delete,
        )
        obj.pk = saved.pk


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["pk", "received_at", "source", "sender", "subject", "state", "reason"]
    list_filter = ["state", "source", "kind", "mailbox"]
    search_fields = ["sender", "subject", "message_id"]
    exclude = ["raw_data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
