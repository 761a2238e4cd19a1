"""Who may open which page of the agents' workspace, and that guessing ids reveals nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from helpmate.desk import actions as desk
from helpmate.desk.models import Attachment, Conversation, Event, Message, Presence

pytestmark = pytest.mark.django_db

CONTACTS = ["customer", "other_customer", "colleague", "supplier"]
AGENTS = ["agent", "lead", "admin", "other_agent"]


@pytest.fixture
def conv(personas) -> Conversation:
    return desk.create_conversation(
        requester=personas.customer,
        subject="Order 1042 arrived damaged",
        text="The box was crushed.",
        team=personas.support,
        attachments=[SimpleUploadedFile("photo.png", b"\x89PNG fake", content_type="image/png")],
    )


def get_urls(conv: Conversation) -> list[str]:
    attachment = Attachment.objects.get(message__conversation=conv)
    return [
        "/desk/",
        "/desk/?view=unassigned&status=new",
        "/desk/notifications/",
        "/desk/new/",
        f"/desk/new/?contact={conv.requester_id}",
        f"/desk/c/{conv.pk}/",
        f"/desk/attachments/{attachment.pk}/",
    ]


def post_urls(conv: Conversation, personas) -> list[tuple[str, dict]]:
    pk = conv.pk
    return [
        ("/desk/bulk/", {"ids": [pk], "action": "status", "status": "resolved"}),
        (f"/desk/new/?contact={conv.requester_id}", {"subject": "Hi", "text": "x"}),
        (f"/desk/c/{pk}/presence/", {"activity": "viewing"}),
        (f"/desk/c/{pk}/reply/", {"text": "Hello", "status": "waiting_customer"}),
        (f"/desk/c/{pk}/note/", {"text": "A note"}),
        (f"/desk/c/{pk}/assign/", {"claim": "1"}),
        (f"/desk/c/{pk}/transfer/", {"team": personas.billing.pk, "note": "Yours"}),
        (f"/desk/c/{pk}/status/", {"status": "resolved"}),
        (f"/desk/c/{pk}/priority/", {"priority": "4"}),
        (f"/desk/c/{pk}/tags/", {"add": "sneaky"}),
        (f"/desk/c/{pk}/merge/", {"target": pk, "confirm": "1"}),
    ]


def snapshot(conv: Conversation) -> tuple:
    conv.refresh_from_db()
    return (
        conv.status,
        conv.owner_id,
        conv.team_id,
        conv.priority,
        Message.objects.count(),
        Event.objects.count(),
        Presence.objects.count(),
        Conversation.objects.count(),
    )


def test_anonymous_is_sent_to_sign_in_from_every_page(conv, client_for):
    client = client_for("anonymous")
    for url in get_urls(conv):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/signin/?next="), url


def test_anonymous_cannot_change_anything(conv, client_for, personas):
    client = client_for("anonymous")
    before = snapshot(conv)
    for url, data in post_urls(conv, personas):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith("/signin/"), url
    assert snapshot(conv) == before


@pytest.mark.parametrize("persona", CONTACTS)
def test_contacts_get_403_on_every_workspace_page(conv, client_for, persona):
    client = client_for(persona)
    for url in get_urls(conv):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("persona", CONTACTS)
def test_contacts_cannot_change_anything_even_their_own_conversation(
    conv, client_for, personas, persona
):
    client = client_for(persona)
    before = snapshot(conv)
    for url, data in post_urls(conv, personas):
        assert client.post(url, data).status_code == 403, url
    assert snapshot(conv) == before


@pytest.mark.parametrize("persona", AGENTS)
def test_every_agent_opens_every_page(conv, client_for, persona):
    client = client_for(persona)
    for url in get_urls(conv):
        assert client.get(url).status_code == 200, url


def test_post_only_endpoints_refuse_get(conv, client_for, personas):
    client = client_for("agent")
    for url, _ in post_urls(conv, personas):
        if "/new/" in url:
            continue
        assert client.get(url).status_code == 405, url


@override_settings(HELPMATE_AGENTS_SEE_TEAM_ONLY=True)
def test_agent_of_another_team_cannot_open_a_conversation_by_guessing_its_id(conv, client_for):
    client = client_for("other_agent")
    attachment = Attachment.objects.get(message__conversation=conv)
    assert client.get(f"/desk/c/{conv.pk}/").status_code == 404
    assert client.get(f"/desk/attachments/{attachment.pk}/").status_code == 404
    assert b"Order 1042" not in client.get("/desk/?view=open").content
    assert b"Order 1042" not in client.get("/desk/?q=crushed").content


@override_settings(HELPMATE_AGENTS_SEE_TEAM_ONLY=True)
def test_agent_of_another_team_cannot_change_a_conversation_by_guessing_its_id(
    conv, client_for, personas
):
    client = client_for("other_agent")
    before = snapshot(conv)
    for url, data in post_urls(conv, personas):
        if url.startswith("/desk/bulk/") or url.startswith("/desk/new/"):
            continue
        assert client.post(url, data).status_code == 404, url
    assert snapshot(conv) == before


@override_settings(HELPMATE_AGENTS_SEE_TEAM_ONLY=True)
def test_bulk_edit_skips_conversations_the_agent_may_not_see(conv, client_for):
    client = client_for("other_agent")
    before = snapshot(conv)
    response = client.post(
        "/desk/bulk/", {"ids": [conv.pk], "action": "status", "status": "resolved"}, follow=True
    )
    assert f"#{conv.pk}: not found".encode() in response.content
    assert snapshot(conv) == before


@override_settings(HELPMATE_AGENTS_SEE_TEAM_ONLY=True)
def test_merge_target_of_another_team_is_treated_as_unknown(conv, client_for, personas):
    own = personas.conversation(subject="Billing question", team=personas.billing)
    client = client_for("other_agent")
    response = client.post(f"/desk/c/{own.pk}/merge/", {"target": conv.pk, "confirm": "1"})
    assert response.status_code == 400
    assert f"no conversation #{conv.pk} that you can see".encode() in response.content
    own.refresh_from_db()
    assert own.merged_into_id is None


@override_settings(HELPMATE_AGENTS_SEE_TEAM_ONLY=True)
def test_admin_sees_every_team_even_when_agents_are_restricted(conv, client_for):
    assert client_for("admin").get(f"/desk/c/{conv.pk}/").status_code == 200


def test_new_conversation_for_an_unknown_contact_says_so(client_for):
    response = client_for("agent").get("/desk/new/?contact=999999")
    assert response.status_code == 404
    assert b"does not exist" in response.content
