"""The Django admin: mailboxes saved through the action, inbound mail read-only, no secrets."""

from __future__ import annotations

from helpmate.mail.models import Mailbox

from .conftest import corpus_bytes


def test_admin_adds_a_mailbox_through_the_action(personas, admin_client) -> None:
    response = admin_client.post(
        "/admin/mail/mailbox/add/",
        {
            "address": "Sales@Northwind.example",
            "name": "Sales",
            "team": personas.billing.pk,
            "active": "on",
            "imap_port": 993,
            "imap_folder": "INBOX",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert Mailbox.objects.get().address == "sales@northwind.example"


def test_admin_lists_inbound_mail_but_cannot_change_it(deliver, admin_client) -> None:
    inbound = deliver(corpus_bytes("cp1252.eml"))
    assert admin_client.get("/admin/mail/inboundemail/").status_code == 200
    page = admin_client.get(f"/admin/mail/inboundemail/{inbound.pk}/change/")
    assert page.status_code == 200 and b"Save" not in page.content
    assert b'imap_password"' not in admin_client.get("/admin/mail/mailbox/add/").content
