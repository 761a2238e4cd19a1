"""The thread and the event log of a conversation through the API."""

from __future__ import annotations

import pytest
from django.core import mail

from helpmate.desk import actions
from helpmate.desk.models import Notification

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_thread_lists_messages_oldest_first_with_notes(personas, api):
    conv = personas.conversation()
    actions.add_note(conversation=conv, agent=personas.agent, text="Check the courier")
    actions.add_reply(conversation=conv, agent=personas.agent, text="Sorry Carla!")
    body = api.get(f"/conversations/{conv.pk}/messages").json()
    assert [m["kind"] for m in body["items"]] == ["incoming", "note", "reply"]
    assert body["count"] == 3
    first = body["items"][0]
    assert first["author"] == {
        "type": "contact",
        "id": personas.customer.pk,
        "name": "Carla Mendes",
    }
    assert first["html"].startswith("<p>")
    assert body["items"][2]["author"] == {"type": "agent", "id": personas.agent.pk, "name": "Maya"}


def test_thread_can_keep_one_kind(personas, api):
    conv = personas.conversation()
    actions.add_note(conversation=conv, agent=personas.agent, text="internal")
    items = api.get(f"/conversations/{conv.pk}/messages", {"kind": "note"}).json()["items"]
    assert [m["text"] for m in items] == ["internal"]


def test_note_is_not_mailed_and_mentions_notify(personas, api, django_capture_on_commit_callbacks):
    conv = personas.conversation()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/conversations/{conv.pk}/messages", {"kind": "note", "text": "@Omar refund please"}
        )
    assert response.status_code == 201
    assert response.json()["kind"] == "note"
    assert mail.outbox == []
    assert Notification.objects.filter(agent=personas.other_agent).exists()


def test_reply_with_a_status_sets_it(personas, api, django_capture_on_commit_callbacks):
    conv = personas.conversation()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/conversations/{conv.pk}/messages",
            {"kind": "reply", "text": "Refunded, all done.", "status": "resolved"},
        )
    assert response.status_code == 201
    assert response.json()["author"]["name"] == "Maya"
    conv.refresh_from_db()
    assert conv.status == "resolved"
    assert len(mail.outbox) == 1


def test_note_with_a_status_is_refused(personas, api):
    conv = personas.conversation()
    response = api.post(
        f"/conversations/{conv.pk}/messages", {"kind": "note", "text": "x", "status": "open"}
    )
    assert_error(response, 422, "validation_error")
    assert conv.messages.count() == 1


@pytest.mark.parametrize("text", ["   ", "\n\t"])
def test_blank_message_is_refused_and_nothing_is_saved(personas, api, text):
    conv = personas.conversation()
    response = api.post(f"/conversations/{conv.pk}/messages", {"kind": "reply", "text": text})
    assert_error(response, 400, "bad_request")
    conv.refresh_from_db()
    assert conv.messages.count() == 1 and conv.owner is None


def test_reply_html_is_escaped(personas, api):
    conv = personas.conversation()
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    body = api.post(f"/conversations/{conv.pk}/messages", {"kind": "note", "text": payload}).json()
    assert "<script" not in body["html"] and "<img" not in body["html"]


def test_messages_of_an_unknown_conversation_are_404(personas, api):
    assert_error(api.get("/conversations/424242/messages"), 404, "not_found")
    response = api.post("/conversations/424242/messages", {"kind": "note", "text": "x"})
    assert_error(response, 404, "not_found")


def test_unknown_message_kind_is_refused(personas, api):
    conv = personas.conversation()
    response = api.post(f"/conversations/{conv.pk}/messages", {"kind": "incoming", "text": "x"})
    error = assert_error(response, 422, "validation_error")
    assert error["details"][0]["loc"] == ["body", "kind"]


def test_events_show_what_happened_with_actor_and_time(personas, api):
    conv = personas.conversation()
    api.patch(f"/conversations/{conv.pk}", {"owner": personas.agent.pk})
    api.patch(f"/conversations/{conv.pk}", {"team": personas.billing.pk, "note": "Refund"})
    api.patch(f"/conversations/{conv.pk}", {"tags": ["refund"], "status": "waiting_other"})
    body = api.get(f"/conversations/{conv.pk}/events").json()
    types = [e["type"] for e in body["items"]]
    assert types == [
        "created",
        "message_received",
        "assigned",
        "status_changed",
        "transferred",
        "status_changed",
        "tagged",
    ]
    assert body["count"] == len(types)
    created = body["items"][0]
    assert created["actor"]["type"] == "contact"
    transferred = body["items"][4]
    assert transferred["actor"] == {"type": "agent", "id": personas.agent.pk, "name": "Maya"}
    assert transferred["data"]["reason"] == "Refund"
    assert transferred["data"]["to_team"] == personas.billing.pk
    assert transferred["created_at"].endswith("Z")


def test_events_page(personas, api):
    conv = personas.conversation()
    for status in ("open", "waiting_other", "open", "waiting_customer"):
        actions.change_status(conversation=conv, actor=personas.agent, status=status)
    body = api.get(f"/conversations/{conv.pk}/events", {"limit": 4}).json()
    assert len(body["items"]) == 4 and body["next_offset"] == 4
    rest = api.get(f"/conversations/{conv.pk}/events", {"limit": 4, "offset": 4}).json()
    assert len(rest["items"]) == 2 and rest["next"] is None and rest["count"] == 6
