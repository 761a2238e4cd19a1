from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from helpmate.desk import actions, search
from helpmate.desk.models import Attachment, Conversation, Event, Message, Notification, Status
from helpmate.desk.selectors import InboxFilters, inbox

pytestmark = pytest.mark.django_db(transaction=True)


def types(conversation: Conversation) -> list[str]:
    return list(conversation.events.order_by("pk").values_list("type", flat=True))


def test_new_conversation_waits_on_us_and_logs_its_creation(personas):
    conv = personas.conversation()
    assert conv.status == Status.NEW
    assert conv.waiting_since is not None
    assert types(conv) == ["created", "message_received"]
    assert conv.messages.get().kind == "incoming"


def test_reply_claims_an_unowned_conversation_and_stops_the_wait(personas):
    conv = personas.conversation()
    actions.add_reply(conversation=conv, agent=personas.agent, text="Hello Carla, sorry!")
    conv.refresh_from_db()
    assert conv.owner == personas.agent
    assert conv.status == Status.WAITING_CUSTOMER
    assert conv.waiting_since is None and conv.first_reply_at is not None
    assert types(conv)[-4:] == ["assigned", "replied", "status_changed", "reply_emailed"]
    assert mail.outbox[0].to == ["carla@acme.example"]
    assert "Maya at Support" in mail.outbox[0].from_email


def test_customer_message_reopens_a_resolved_conversation(personas):
    conv = personas.conversation()
    actions.change_status(conversation=conv, actor=personas.agent, status=Status.RESOLVED)
    actions.add_incoming_message(conversation=conv, author=personas.customer, text="Still broken")
    conv.refresh_from_db()
    assert conv.status == Status.OPEN
    assert conv.resolved_at is None and conv.waiting_since is not None
    assert "reopened" in types(conv)


def test_transfer_requires_a_note_and_notifies_the_receiver(personas):
    conv = personas.conversation()
    with pytest.raises(actions.ActionError):
        actions.transfer_conversation(
            conversation=conv, actor=personas.agent, note=" ", owner=personas.other_agent
        )
    actions.transfer_conversation(
        conversation=conv,
        actor=personas.agent,
        note="Refund needed",
        team=personas.billing,
        owner=personas.other_agent,
    )
    conv.refresh_from_db()
    assert (conv.team, conv.owner) == (personas.billing, personas.other_agent)
    event = conv.events.get(type="transferred")
    assert event.data["reason"] == "Refund needed"
    assert Notification.objects.filter(agent=personas.other_agent).exists()


def test_note_mentions_notify_the_named_agent(personas):
    conv = personas.conversation()
    actions.add_note(
        conversation=conv, agent=personas.agent, text="@Omar can you check the refund?"
    )
    assert Notification.objects.get().agent == personas.other_agent


def test_merge_moves_messages_and_people(personas):
    first = personas.conversation()
    second = personas.conversation(personas.other_customer, subject="Broken lamp too")
    actions.merge_conversations(source=second, target=first, actor=personas.agent)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.message_count == 2
    assert second.merged_into == first and second.status == Status.CLOSED
    assert personas.other_customer in first.participants.all()
    assert search.matching_conversation_ids("lamp") == [first.pk]


def test_search_finds_words_in_subjects_and_messages_with_prefixes(personas):
    conv = personas.conversation(subject="Invoice question", text="Why was I charged twice?")
    personas.conversation(subject="Password reset", text="I cannot sign in")
    assert search.matching_conversation_ids("invoice") == [conv.pk]
    assert search.matching_conversation_ids("charg") == [conv.pk]
    assert search.matching_conversation_ids('"; DROP TABLE x; --') == []
    found = inbox(personas.agent.user, view="all", filters=InboxFilters(query="twice"))
    assert list(found) == [conv]


@override_settings(HELPMATE_MAX_ATTACHMENT_BYTES=2048)
def test_oversized_attachment_is_refused_and_nothing_is_saved(personas):
    big = SimpleUploadedFile("photo.jpg", b"x" * 4096, content_type="image/jpeg")
    with pytest.raises(actions.ActionError, match="limit"):
        personas.conversation  # noqa: B018
        actions.create_conversation(
            requester=personas.customer, subject="Photo", text="see", attachments=[big]
        )
    assert not Conversation.objects.exists()
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_blocked_file_type_is_refused(personas):
    conv = personas.conversation()
    exe = SimpleUploadedFile("invoice.pdf.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(actions.ActionError, match="refused"):
        actions.add_incoming_message(
            conversation=conv, author=personas.customer, text="here", attachments=[exe]
        )
    assert conv.messages.count() == 1
    assert Event.objects.filter(conversation=conv).count() == 2
