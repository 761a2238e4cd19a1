"""An agent's reply, as the customer's mail server receives it."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.desk.models import EventType
from helpmate.mail.actions import save_mailbox
from helpmate.mail.models import AddressHealth, InboundEmail
from helpmate.mail.tokens import token_from_addresses, token_from_message_ids
from helpmate.outbox.models import OutboundEmail, OutboundState
from helpmate.people.models import ContactEmail

pytestmark = pytest.mark.django_db(transaction=True)


def inbound(conversation, message_id: str) -> InboundEmail:
    """The customer's email that opened the conversation, as the mail pipeline stores it."""
    return InboundEmail.objects.create(
        source="smtp",
        message_id=message_id,
        checksum=hashlib.sha256(message_id.encode()).hexdigest(),
        size=100,
        received_at=conversation.created_at,
        conversation=conversation,
    )


def test_reply_comes_from_the_agent_at_the_team_and_threads(smtp_server, personas):
    save_mailbox(address="help@northwind.example", team=personas.support)
    conv = personas.conversation()
    inbound(conv, "<first@acme.example>")
    desk.add_reply(conversation=conv, agent=personas.agent, text="Sorry, Carla!")
    desk.add_reply(
        conversation=conv,
        agent=personas.agent,
        text="The **new lamp** is on its way.",
        attachments=[SimpleUploadedFile("label.pdf", b"%PDF-1.4 label", "application/pdf")],
    )
    first_row, second_row = OutboundEmail.objects.order_by("pk")
    first, second = (r.message for r in smtp_server.received)
    assert second["From"] == "Maya at Support <help@northwind.example>"
    assert second["Message-ID"] == f"<{second_row.message_id}>"
    assert token_from_message_ids([second["Message-ID"]]) == conv.pk
    assert token_from_addresses([second["Reply-To"]]) == conv.pk
    assert second["Reply-To"].startswith("help+")
    assert first["In-Reply-To"] == "<first@acme.example>"
    assert second["In-Reply-To"] == "<first@acme.example>"
    assert second["References"] == f"<first@acme.example> <{first_row.message_id}>"
    assert second["Subject"] == f"Re: Order 1042 arrived damaged [#{conv.pk}]"
    body = second.get_body(("plain",)).get_content()
    assert "The **new lamp** is on its way." in body
    assert second.get_body(("html",)).get_content_type() == "text/html"
    [attached] = list(second.iter_attachments())
    assert attached.get_filename() == "label.pdf"
    assert attached.get_content() == b"%PDF-1.4 label"
    assert conv.events.filter(type=EventType.REPLY_EMAILED).count() == 2


def test_without_a_mailbox_the_team_address_is_used(smtp_server, personas):
    conv = personas.conversation()
    desk.add_reply(conversation=conv, agent=personas.agent, text="Hello")
    [got] = smtp_server.received
    assert got.message["From"] == "Maya at Support <support@example.com>"


def test_participants_get_the_reply_but_a_bouncing_address_is_left_out_and_shown(
    smtp_server, personas
):
    conv = personas.conversation()
    desk.add_participant(conversation=conv, actor=personas.agent, contact=personas.other_customer)
    desk.add_participant(conversation=conv, actor=personas.agent, contact=personas.supplier)
    AddressHealth.objects.create(
        contact_email=ContactEmail.objects.get(email="sven@nordicparts.example"),
        bouncing=True,
        bounce_count=1,
        last_bounce_at=timezone.now(),
        last_reason="550 5.1.1 user unknown",
    )
    desk.add_reply(conversation=conv, agent=personas.agent, text="Hello all")
    [got] = smtp_server.received
    assert sorted(got.rcpt_tos) == ["carla@acme.example", "dan@globex.example"]
    row = OutboundEmail.objects.get()
    assert list(row.skipped) == ["sven@nordicparts.example"]
    assert "550 5.1.1 user unknown" in row.skipped["sven@nordicparts.example"]


def test_a_reply_nobody_can_receive_is_failed_and_logged_not_lost(smtp_server, personas):
    conv = personas.conversation()
    AddressHealth.objects.create(
        contact_email=ContactEmail.objects.get(email="carla@acme.example"), bouncing=True
    )
    desk.add_reply(conversation=conv, agent=personas.agent, text="Hello")
    row = OutboundEmail.objects.get()
    assert row.state == OutboundState.FAILED
    assert "carla@acme.example bounced" in row.last_error
    assert conv.events.get(type=EventType.EMAIL_FAILED).data["outbound"] == row.pk
    assert smtp_server.received == []
