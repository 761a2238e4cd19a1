"""Logging a new conversation for a contact from the workspace."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helpmate.desk.models import Attachment, Conversation, EventType, MessageKind, Status

pytestmark = pytest.mark.django_db


def test_without_a_contact_the_agent_finds_one_first(personas, client_for):
    client = client_for("agent")
    assert "First, who is it?" in client.get("/desk/new/").content.decode()
    content = client.get("/desk/new/?q=priya").content.decode()
    assert f'href="/desk/new/?contact={personas.colleague.pk}"' in content
    assert "Nobody matches “zed”" in client.get("/desk/new/?q=zed").content.decode()


def test_form_defaults_to_a_phone_call_for_customers_and_internal_for_colleagues(
    personas, client_for
):
    client = client_for("agent")
    customer = client.get(f"/desk/new/?contact={personas.customer.pk}")
    assert customer.context["form"].initial["channel"] == "phone"
    assert customer.context["form"].initial["team"] == personas.support.pk
    colleague = client.get(f"/desk/new/?contact={personas.colleague.pk}")
    assert colleague.context["form"].initial["channel"] == "internal"


def test_agent_logs_a_phone_call_and_owns_it(personas, client_for):
    response = client_for("agent").post(
        f"/desk/new/?contact={personas.customer.pk}",
        {
            "channel": "phone",
            "team": personas.support.pk,
            "priority": "3",
            "subject": "Called about a missing refund",
            "text": "Carla called: the refund for order 1042 has not arrived.",
            "own_it": "on",
            "attachments": [SimpleUploadedFile("call.txt", b"notes", content_type="text/plain")],
        },
    )
    conv = Conversation.objects.get()
    assert response.status_code == 302 and response.url == f"/desk/c/{conv.pk}/"
    assert (conv.requester, conv.channel, conv.priority) == (personas.customer, "phone", 3)
    assert conv.owner == personas.agent and conv.status == Status.OPEN
    created = conv.events.get(type=EventType.CREATED)
    assert created.actor_agent == personas.agent
    first = conv.messages.get()
    assert first.kind == MessageKind.INCOMING and first.author_contact == personas.customer
    assert Attachment.objects.get().message == first


def test_logged_conversation_can_stay_unowned(personas, client_for):
    client_for("agent").post(
        f"/desk/new/?contact={personas.supplier.pk}",
        {"channel": "email", "team": "", "priority": "2", "subject": "Late", "text": "Truck"},
    )
    conv = Conversation.objects.get()
    assert conv.owner is None and conv.team is None


def test_missing_subject_and_text_are_field_errors_and_nothing_is_saved(personas, client_for):
    response = client_for("agent").post(
        f"/desk/new/?contact={personas.customer.pk}",
        {"channel": "phone", "priority": "2", "subject": "", "text": ""},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "A subject is needed" in content and "Write down what they asked" in content
    assert not Conversation.objects.exists()


def test_refused_attachment_keeps_the_form_and_saves_nothing(personas, client_for):
    response = client_for("agent").post(
        f"/desk/new/?contact={personas.customer.pk}",
        {
            "channel": "phone",
            "priority": "2",
            "subject": "Script",
            "text": "They sent a script",
            "attachments": [SimpleUploadedFile("run.bat", b"echo", content_type="text/plain")],
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "“run.bat” is a type of file that can carry programs" in content
    assert "They sent a script" in content
    assert not Conversation.objects.exists() and not Attachment.objects.exists()


def test_a_channel_agents_do_not_log_is_refused(personas, client_for):
    response = client_for("agent").post(
        f"/desk/new/?contact={personas.customer.pk}",
        {"channel": "portal", "priority": "2", "subject": "x", "text": "y"},
    )
    assert response.status_code == 400
    assert not Conversation.objects.exists()
