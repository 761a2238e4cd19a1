"""The corpus of realistic messages, each pushed through the real pipeline (intake, then
processing), with what the desk must show afterwards."""

from __future__ import annotations

# ruff: noqa: RUF001 - real mail has en dashes and curly quotes
from dataclasses import dataclass, field

import pytest
from django.test import override_settings

from helpmate.desk.models import Channel, Conversation, Event, EventType, MessageKind
from helpmate.mail.models import AddressHealth, Bounce, InboundState
from helpmate.mail.quoting import split_quoted

from .conftest import corpus_bytes, thread_values


@dataclass
class Expect:
    file: str
    state: str = InboundState.PROCESSED
    outcome: str = "new"  # new | thread | bounce | auto_reply | none
    requester: str = ""
    subject: str = ""
    text: list[str] = field(default_factory=list)
    not_text: list[str] = field(default_factory=list)
    new_part_lacks: str = ""
    files: list[str] = field(default_factory=list)
    note: str = ""
    participants: list[str] = field(default_factory=list)
    bounced: str = ""
    automatic: bool = False
    reason: str = ""


CASES = [
    Expect(
        "gmail_alternative.eml",
        requester="carla@acme.example",
        subject="Order 1042 arrived damaged",
        text=["glass shade is cracked"],
    ),
    Expect(
        "outlook_html_only.eml",
        requester="dan@globex.example",
        subject="Invoice 88213 shows the wrong VAT number",
        text=["closes on Friday – thank you!", "Dan Fischer"],
        not_text=["MsoNormal", "alert("],
        files=["image001.png"],
    ),
    Expect(
        "apple_mail_attachment.eml",
        requester="sven@nordicparts.example",
        subject="Rechnung März – Lieferung 4471",
        text=["Mit freundlichen Grüßen", "40 Stück"],
        files=["Rechnung_März_4471.pdf"],
    ),
    Expect(
        "iphone_reply.eml",
        outcome="thread",
        text=["fits perfectly", "replacement shade is on its way"],
        new_part_lacks="replacement shade is on its way",
        participants=["bruno@acme.example"],
    ),
    Expect(
        "android_encoded_headers.eml",
        requester="amelie.durand@laposte.example",
        subject="Ça ne marche pas — commande 1055",
        text=["J'ai essayé une autre ampoule"],
    ),
    Expect("missing_charset.eml", requester="jonas@weber.example", text=["Viele Grüße"]),
    Expect(
        "wrong_charset_label.eml",
        subject="Ärger mit der Rechnung",
        text=["Ärger: die Rechnung nennt 12 € zu viel"],
    ),
    Expect(
        "unknown_charset.eml",
        requester="ines@sousa.example",
        text=["Olá, a minha encomenda", "Inês"],
    ),
    Expect("cp1252.eml", text=["200 “Oslo” lamps – delivered"]),
    Expect(
        "agent_forward_gmail.eml",
        requester="dan@globex.example",
        subject="Lamp flickers after the firmware update",
        text=["flickers every few"],
        not_text=["logging it for the team"],
        note="logging it for the team",
    ),
    Expect(
        "customer_forward_outlook.eml",
        requester="priya@finance.example",
        subject="FW: Payment reminder 2026-114",
        text=["We paid on 20 February", "invoice 2026-114 is overdue"],
    ),
    Expect("dsn_bounce.eml", outcome="bounce", bounced="carla@acme.example", automatic=True),
    Expect("exim_bounce.eml", outcome="bounce", bounced="dan@globex.example", automatic=True),
    Expect("qmail_bounce.eml", outcome="none", bounced="ines.old@sousa.example", automatic=True),
    Expect("ooo_rfc3834.eml", outcome="auto_reply", automatic=True),
    Expect("autoresponder_vendor.eml", outcome="auto_reply", automatic=True),
    Expect(
        "ooo_outlook_unthreaded.eml",
        state=InboundState.IGNORED,
        outcome="none",
        automatic=True,
        reason="automatic reply",
    ),
    Expect(
        "mailing_list.eml",
        requester="news@lighting-news.example",
        text=["LED prices fell"],
        automatic=True,
    ),
    Expect(
        "malformed_mime.eml",
        requester="broken@oddmail.example",
        text=["photo"],
        files=["attachment-2.jpg"],
    ),
    Expect("no_sender.eml", state=InboundState.QUARANTINED, outcome="none", reason="no sender"),
    Expect(
        "thunderbird_signature.eml",
        outcome="thread",
        text=["please go ahead", "Baker & Sons"],
        new_part_lacks="Baker & Sons",
        participants=["lena@baker.example"],
    ),
    Expect(
        "blocked_executable.eml",
        requester="dan@globex.example",
        files=["install.log"],
        note="setup.exe",
    ),
    Expect(
        "huge_attachment.eml",
        requester="sven@nordicparts.example",
        files=["label.png"],
        note="pallets.tiff",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
@override_settings(
    HELPMATE_MAX_ATTACHMENT_BYTES=64 * 1024, HELPMATE_MAIL_INLINE_RAW_BYTES=64 * 1024
)
def test_corpus_message_lands_where_it_should(case: Expect, personas, deliver) -> None:
    existing = personas.conversation(requester=personas.customer)
    before = set(Conversation.objects.values_list("pk", flat=True))
    inbound = deliver(corpus_bytes(case.file, **thread_values(existing.pk)))

    assert inbound.state == case.state, inbound.reason
    assert case.reason.lower() in inbound.reason.lower()
    assert inbound.is_automatic is case.automatic
    created = Conversation.objects.exclude(pk__in=before)
    if case.outcome == "new":
        conversation = created.get()
        assert inbound.conversation == conversation
        assert conversation.channel == Channel.EMAIL
        assert conversation.team == personas.support
        message = conversation.messages.filter(kind=MessageKind.INCOMING).get()
    else:
        assert not created.exists(), "must not open a conversation"
    if case.outcome == "thread":
        assert inbound.conversation == existing
        message = existing.messages.filter(kind=MessageKind.INCOMING).last()
        assert inbound.desk_message == message
        conversation = existing
    if case.outcome in ("new", "thread"):
        if case.requester:
            assert case.requester in conversation.requester.emails.values_list("email", flat=True)
        if case.subject:
            assert conversation.subject == case.subject
        for snippet in case.text:
            assert snippet in message.text
        for snippet in case.not_text:
            assert snippet not in message.text and snippet not in message.html
        assert "<script" not in message.html and "javascript:" not in message.html
        assert sorted(a.filename for a in message.attachments.all()) == sorted(case.files)
        if case.new_part_lacks:
            new, folded = split_quoted(message.text)
            assert case.new_part_lacks not in new and case.new_part_lacks in folded
        emails = set(conversation.participants.values_list("emails__email", flat=True))
        for address in case.participants:
            assert address in emails
        assert "support@northwind.example" not in emails
        notes = conversation.messages.filter(kind=MessageKind.NOTE)
        if case.note:
            assert any(case.note in n.text for n in notes)
        else:
            assert not notes.exists()
    if case.outcome == "auto_reply":
        assert inbound.conversation == existing
        assert Event.objects.filter(
            conversation=existing, type=EventType.AUTO_REPLY_RECEIVED
        ).exists()
        assert existing.messages.count() == 1  # recorded, not a message to answer
    if case.bounced:
        bounce = Bounce.objects.get(address=case.bounced)
        assert bounce.kind == "permanent"
        if case.outcome == "bounce":
            assert bounce.conversation == existing
            assert Event.objects.filter(
                conversation=existing, type=EventType.BOUNCE_RECEIVED
            ).exists()
        health = AddressHealth.objects.filter(contact_email__email=case.bounced).first()
        if health is not None:
            assert health.bouncing


def test_big_raw_message_is_kept_in_a_file_and_downloadable(personas, deliver, settings) -> None:
    settings.HELPMATE_MAIL_INLINE_RAW_BYTES = 64 * 1024
    raw = corpus_bytes("huge_attachment.eml")
    inbound = deliver(raw)
    assert inbound.raw_data is None and inbound.raw_path
    from helpmate.mail.intake import raw_bytes

    assert raw_bytes(inbound) == raw


def test_agent_forward_is_opened_on_behalf_of_the_customer(personas, deliver) -> None:
    inbound = deliver(corpus_bytes("agent_forward_gmail.eml"))
    created = Event.objects.get(conversation=inbound.conversation, type=EventType.CREATED)
    assert created.actor_agent == personas.agent
    assert inbound.conversation.requester == personas.other_customer
