"""With HELPMATE_AGENTS_SEE_TEAM_ONLY, an agent of another team cannot find a conversation by
guessing its id, nor see it in any list."""

from __future__ import annotations

import pytest
from django.test import override_settings

from helpmate.desk.models import Conversation

from .conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("team_only")]


@pytest.fixture
def team_only():
    with override_settings(HELPMATE_AGENTS_SEE_TEAM_ONLY=True):
        yield


@pytest.fixture
def support_conv(personas):
    return personas.conversation(subject="Support case")


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"status": "resolved"}),
        ("GET", "/messages", None),
        ("POST", "/messages", {"kind": "reply", "text": "Hello from billing"}),
        ("POST", "/messages", {"kind": "note", "text": "peek"}),
        ("GET", "/events", None),
    ],
)
def test_other_team_agent_gets_404_for_a_support_conversation(
    personas, api_for, support_conv, method, suffix, body
):
    omar = api_for("other_agent")
    path = f"/conversations/{support_conv.pk}{suffix}"
    response = omar.get(path) if method == "GET" else omar.send(method, path, body)
    error = assert_error(response, 404, "not_found")
    assert error["message"] == "No such conversation."
    support_conv.refresh_from_db()
    assert support_conv.status == "new"
    assert support_conv.messages.count() == 1


@pytest.mark.parametrize("view", ["open", "all", "unassigned", "waiting", "resolved"])
def test_support_conversations_are_absent_from_other_team_lists(
    personas, api_for, support_conv, view
):
    billing_conv = personas.conversation(personas.other_customer, team=personas.billing)
    ids = [
        c["id"]
        for c in api_for("other_agent").get("/conversations", {"view": view}).json()["items"]
    ]
    assert support_conv.pk not in ids
    if view in ("open", "all", "unassigned", "waiting"):
        assert billing_conv.pk in ids


def test_support_conversations_are_absent_from_search_and_filters(personas, api_for, support_conv):
    omar = api_for("other_agent")
    for params in (
        {"q": "crushed"},
        {"team": personas.support.pk},
        {"requester": personas.customer.pk},
    ):
        assert omar.get("/conversations", params).json()["items"] == []


def test_own_team_agent_and_admin_still_see_it(personas, api_for, support_conv):
    for persona in ("agent", "lead", "admin"):
        assert api_for(persona).get(f"/conversations/{support_conv.pk}").status_code == 200


def test_other_team_agent_can_see_what_they_own(personas, api_for, support_conv):
    maya = api_for("agent")
    maya.patch(f"/conversations/{support_conv.pk}", {"owner": personas.other_agent.pk})
    assert api_for("other_agent").get(f"/conversations/{support_conv.pk}").status_code == 200


def test_handing_a_conversation_away_still_answers_with_the_result(personas, api_for, support_conv):
    """Maya sends it to Billing and no longer sees it, but her change is confirmed."""
    maya = api_for("agent")
    response = maya.patch(
        f"/conversations/{support_conv.pk}",
        {"team": personas.billing.pk, "note": "Billing question"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["team"]["name"] == "Billing"
    assert_error(maya.get(f"/conversations/{support_conv.pk}"), 404, "not_found")
    assert Conversation.objects.get(pk=support_conv.pk).team == personas.billing
