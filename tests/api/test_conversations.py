"""Conversations through the API: lists like the inbox, creating, and changes via the actions."""

from __future__ import annotations

import pytest
from django.core import mail

from helpmate.desk import actions
from helpmate.desk.models import Conversation, Event
from helpmate.people.models import Contact

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def event_types(conv_id: int) -> list[str]:
    return list(
        Event.objects.filter(conversation_id=conv_id).order_by("pk").values_list("type", flat=True)
    )


# --- list ------------------------------------------------------------------------------------


def test_list_is_the_open_inbox_longest_waiting_first(personas, api):
    first = personas.conversation(subject="First in")
    second = personas.conversation(subject="Second in")
    answered = personas.conversation(subject="Answered")
    actions.add_reply(conversation=answered, agent=personas.agent, text="On it")
    resolved = personas.conversation(subject="Done")
    actions.change_status(conversation=resolved, actor=personas.agent, status="resolved")
    ids = [c["id"] for c in api.get("/conversations").json()["items"]]
    assert ids == [first.pk, second.pk, answered.pk]


def test_list_items_carry_requester_team_owner_and_tags(personas, api):
    conv = personas.conversation()
    actions.change_tags(conversation=conv, actor=personas.agent, add=["damaged", "lamp"])
    actions.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)
    item = api.get("/conversations").json()["items"][0]
    assert item["requester"] == {
        "id": personas.customer.pk,
        "name": "Carla Mendes",
        "kind": "customer",
        "email": "carla@acme.example",
    }
    assert item["team"] == {"id": personas.support.pk, "name": "Support"}
    assert item["owner"]["public_name"] == "Maya"
    assert item["tags"] == ["damaged", "lamp"]
    assert item["status"] == "open" and item["priority"] == "normal"
    assert item["created_at"].endswith("Z")
    assert item["url"].endswith(f"/desk/c/{conv.pk}/")
    assert "password" not in str(item)


def test_status_filter_without_a_view_lists_every_conversation_with_that_status(personas, api):
    personas.conversation()
    done = personas.conversation(subject="Done")
    actions.change_status(conversation=done, actor=personas.agent, status="resolved")
    items = api.get("/conversations", {"status": "resolved"}).json()["items"]
    assert [c["id"] for c in items] == [done.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"view": "mine"}, ["mine"]),
        ({"view": "unassigned"}, ["billing", "supplier"]),
        ({"view": "teams"}, ["mine"]),
        ({"view": "resolved"}, ["resolved"]),
        ({"team": "billing"}, ["billing"]),
        ({"owner": "agent"}, ["mine"]),
        ({"channel": "email"}, ["supplier"]),
        ({"tag": "refund"}, ["billing"]),
        ({"contact_kind": "supplier"}, ["supplier"]),
        ({"requester": "supplier"}, ["supplier"]),
        ({"view": "all"}, ["resolved", "supplier", "billing", "mine"]),
    ],
)
def test_list_filters_match_the_inbox(personas, api, params, expected):
    convs = {}
    convs["mine"] = personas.conversation(subject="Mine")
    actions.assign_conversation(
        conversation=convs["mine"], actor=personas.agent, owner=personas.agent
    )
    convs["billing"] = personas.conversation(
        personas.other_customer, subject="Billing", team=personas.billing
    )
    actions.change_tags(conversation=convs["billing"], actor=personas.agent, add=["refund"])
    convs["supplier"] = actions.create_conversation(
        requester=personas.supplier, subject="Invoice", text="Invoice 7", channel="email"
    )
    convs["resolved"] = personas.conversation(subject="Resolved")
    actions.change_status(conversation=convs["resolved"], actor=personas.agent, status="resolved")
    lookup = {
        "billing": personas.billing.pk,
        "agent": personas.agent.pk,
        "supplier": personas.supplier.pk,
    }
    query = {
        k: lookup.get(v, v) if k in ("team", "owner", "requester") else v for k, v in params.items()
    }
    items = api.get("/conversations", query).json()["items"]
    got = {c["id"] for c in items}
    assert got == {convs[name].pk for name in expected}


def test_search_finds_words_in_subjects_and_messages(personas, api):
    lamp = personas.conversation(subject="Lamp broken", text="The glass shade shattered")
    personas.conversation(subject="Invoice question", text="Please resend invoice 88")
    assert [c["id"] for c in api.get("/conversations", {"q": "shattered"}).json()["items"]] == [
        lamp.pk
    ]
    assert [c["id"] for c in api.get("/conversations", {"q": "lamp"}).json()["items"]] == [lamp.pk]
    assert api.get("/conversations", {"q": "nothing-like-this"}).json()["items"] == []


def test_pages_follow_next_without_a_total_count(personas, api):
    made = [personas.conversation(subject=f"Case {i}").pk for i in range(5)]
    body = api.get("/conversations", {"limit": 2}).json()
    assert body["count"] is None
    seen = [c["id"] for c in body["items"]]
    while body["next"]:
        assert body["next"].startswith("/api/conversations?")
        body = api.client.get(body["next"], headers=api._headers()).json()
        seen += [c["id"] for c in body["items"]]
    assert seen == made
    assert body["next_offset"] is None


def test_limit_above_200_is_refused(personas, api):
    error = assert_error(api.get("/conversations", {"limit": 201}), 422, "validation_error")
    assert error["details"][0]["loc"] == ["query", "limit"]


# --- get ---------------------------------------------------------------------------------------


def test_get_shows_participants(personas, api):
    conv = personas.conversation()
    actions.add_participant(conversation=conv, actor=personas.agent, contact=personas.colleague)
    body = api.get(f"/conversations/{conv.pk}").json()
    assert body["participants"] == [
        {
            "id": personas.colleague.pk,
            "name": "Priya Nair",
            "kind": "colleague",
            "email": "priya@finance.example",
        }
    ]


def test_unknown_conversation_is_404_with_the_error_body(personas, api):
    error = assert_error(api.get("/conversations/987654"), 404, "not_found")
    assert error["message"] == "No such conversation."


# --- create ------------------------------------------------------------------------------------


def test_create_by_requester_email_makes_the_contact_and_logs_who_created_it(personas, api):
    response = api.post(
        "/conversations",
        {
            "requester_email": "New.Person@Initech.example",
            "requester_name": "Nadia Petrova",
            "subject": "Cannot log in",
            "text": "Since this morning the login page says my account is locked.",
            "team": personas.support.pk,
            "priority": "high",
            "tags": ["login", "Account"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "api"
    assert body["status"] == "new"
    assert body["priority"] == "high"
    assert body["tags"] == ["account", "login"]
    assert body["requester"]["email"] == "new.person@initech.example"
    assert body["requester"]["name"] == "Nadia Petrova"
    conv = Conversation.objects.get(pk=body["id"])
    created = conv.events.get(type="created")
    assert created.actor_agent == personas.agent
    assert conv.messages.get().author_contact.name == "Nadia Petrova"


def test_create_by_email_of_an_existing_contact_reuses_it(personas, api):
    response = api.post(
        "/conversations",
        {"requester_email": "carla@acme.example", "subject": "Again", "text": "Hello again"},
    )
    assert response.json()["requester"]["id"] == personas.customer.pk
    assert Contact.objects.filter(emails__email="carla@acme.example").count() == 1


def test_create_by_requester_id(personas, api):
    response = api.post(
        "/conversations",
        {
            "requester": personas.supplier.pk,
            "subject": "Invoice 7",
            "text": "Attached",
            "channel": "email",
        },
    )
    assert response.status_code == 201
    assert response.json()["requester"]["kind"] == "supplier"
    assert response.json()["channel"] == "email"


def test_create_needs_exactly_one_way_to_name_the_requester(personas, api):
    both = {"requester": personas.customer.pk, "requester_email": "a@b.example"}
    for extra in ({}, both):
        response = api.post("/conversations", {"subject": "s", "text": "t", **extra})
        error = assert_error(response, 422, "validation_error")
        assert error["details"][0]["loc"] == ["body", "requester"]
    assert Conversation.objects.count() == 0


def test_create_with_an_unknown_requester_or_team_is_refused(personas, api):
    for body in (
        {"requester": 999999, "subject": "s", "text": "t"},
        {"requester_email": "a@b.example", "team": 999999, "subject": "s", "text": "t"},
    ):
        error = assert_error(api.post("/conversations", body), 422, "validation_error")
        assert "999999" in error["message"]
    assert Conversation.objects.count() == 0
    assert not Contact.objects.filter(emails__email="a@b.example").exists()


def test_refused_create_does_not_keep_a_new_contact(personas, api):
    response = api.post(
        "/conversations", {"requester_email": "ghost@x.example", "subject": "  ", "text": "t"}
    )
    assert_error(response, 400, "bad_request")
    assert not Contact.objects.filter(emails__email="ghost@x.example").exists()


def test_create_with_an_invalid_email_is_refused(personas, api):
    response = api.post(
        "/conversations", {"requester_email": "not an email", "subject": "s", "text": "t"}
    )
    error = assert_error(response, 400, "bad_request")
    assert "not an email address" in error["message"]


# --- update ------------------------------------------------------------------------------------


def test_patch_status_logs_a_status_change(personas, api):
    conv = personas.conversation()
    response = api.patch(f"/conversations/{conv.pk}", {"status": "waiting_other"})
    assert response.status_code == 200
    assert response.json()["status"] == "waiting_other"
    last = Event.objects.filter(conversation=conv).last()
    assert (last.type, last.actor_agent, last.data) == (
        "status_changed",
        personas.agent,
        {"previous": "new", "status": "waiting_other"},
    )


def test_patch_owner_assigns_and_opens(personas, api):
    conv = personas.conversation()
    body = api.patch(f"/conversations/{conv.pk}", {"owner": personas.lead.pk}).json()
    assert body["owner"]["id"] == personas.lead.pk
    assert body["status"] == "open"
    assert event_types(conv.pk)[-2:] == ["assigned", "status_changed"]


def test_patch_owner_null_unassigns(personas, api):
    conv = personas.conversation()
    actions.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)
    body = api.patch(f"/conversations/{conv.pk}", {"owner": None}).json()
    assert body["owner"] is None


def test_patch_team_needs_a_handoff_note(personas, api):
    conv = personas.conversation()
    error = assert_error(
        api.patch(f"/conversations/{conv.pk}", {"team": personas.billing.pk}),
        422,
        "validation_error",
    )
    assert error["details"][0]["loc"] == ["body", "note"]
    conv.refresh_from_db()
    assert conv.team == personas.support


def test_patch_team_with_a_note_transfers_with_the_reason(personas, api):
    conv = personas.conversation()
    body = api.patch(
        f"/conversations/{conv.pk}",
        {"team": personas.billing.pk, "owner": personas.other_agent.pk, "note": "Refund due"},
    ).json()
    assert body["team"]["name"] == "Billing"
    assert body["owner"]["id"] == personas.other_agent.pk
    event = Event.objects.get(conversation=conv, type="transferred")
    assert event.data["reason"] == "Refund due"
    assert conv.messages.filter(kind="note", text__contains="Refund due").exists()


def test_patch_owner_with_a_note_is_a_handoff(personas, api):
    conv = personas.conversation()
    api.patch(f"/conversations/{conv.pk}", {"owner": personas.lead.pk, "note": "VIP? No: urgent"})
    assert Event.objects.filter(conversation=conv, type="transferred").exists()


def test_patch_note_alone_is_refused(personas, api):
    conv = personas.conversation()
    assert_error(api.patch(f"/conversations/{conv.pk}", {"note": "hi"}), 422, "validation_error")


def test_patch_tags_replaces_the_set_and_logs_it(personas, api):
    conv = personas.conversation()
    actions.change_tags(conversation=conv, actor=personas.agent, add=["old", "keep"])
    body = api.patch(f"/conversations/{conv.pk}", {"tags": ["keep", "New"]}).json()
    assert body["tags"] == ["keep", "new"]
    event = Event.objects.filter(conversation=conv, type="tagged").last()
    assert event.data == {"added": ["new"], "removed": ["old"]}


def test_patch_add_and_remove_tags(personas, api):
    conv = personas.conversation()
    actions.change_tags(conversation=conv, actor=personas.agent, add=["a", "b"])
    body = api.patch(f"/conversations/{conv.pk}", {"add_tags": ["c"], "remove_tags": ["a"]}).json()
    assert body["tags"] == ["b", "c"]


def test_patch_priority(personas, api):
    conv = personas.conversation()
    body = api.patch(f"/conversations/{conv.pk}", {"priority": "urgent"}).json()
    assert body["priority"] == "urgent"
    assert event_types(conv.pk)[-1] == "priority_changed"


def test_patch_several_fields_at_once_applies_them_all(personas, api):
    conv = personas.conversation()
    body = api.patch(
        f"/conversations/{conv.pk}",
        {"owner": personas.agent.pk, "status": "resolved", "priority": "low", "tags": ["x"]},
    ).json()
    assert (body["owner"]["id"], body["status"], body["priority"], body["tags"]) == (
        personas.agent.pk,
        "resolved",
        "low",
        ["x"],
    )


def test_failed_patch_changes_nothing(personas, api):
    conv = personas.conversation()
    conv.merged_into = personas.conversation(subject="Target")
    conv.save()
    before = event_types(conv.pk)
    response = api.patch(
        f"/conversations/{conv.pk}", {"owner": personas.agent.pk, "status": "open"}
    )
    assert_error(response, 409, "conflict")
    conv.refresh_from_db()
    assert conv.owner is None
    assert event_types(conv.pk) == before


def test_patch_with_an_unknown_owner_or_team_is_refused(personas, api):
    conv = personas.conversation()
    for body in ({"owner": 999999}, {"team": 999999, "note": "x"}):
        assert_error(api.patch(f"/conversations/{conv.pk}", body), 422, "validation_error")


def test_patch_team_null_is_refused(personas, api):
    conv = personas.conversation()
    assert_error(api.patch(f"/conversations/{conv.pk}", {"team": None}), 422, "validation_error")


def test_patch_unknown_conversation_is_404(personas, api):
    assert_error(api.patch("/conversations/999999", {"status": "open"}), 404, "not_found")


def test_reply_claims_and_mails_the_requester(personas, api, django_capture_on_commit_callbacks):
    conv = personas.conversation()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/conversations/{conv.pk}/messages",
            {"kind": "reply", "text": "Hello Carla, a new lamp is on its way."},
        )
    assert response.status_code == 201
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carla@acme.example"]
    assert "a new lamp is on its way" in mail.outbox[0].body
    body = api.get(f"/conversations/{conv.pk}").json()
    assert body["owner"]["id"] == personas.agent.pk
    assert body["status"] == "waiting_customer"
