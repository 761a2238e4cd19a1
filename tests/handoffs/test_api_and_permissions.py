"""Who may see and do what: handoff pages, the preview, accepting, and the API."""

from __future__ import annotations

import pytest

from helpmate.desk import actions as desk
from helpmate.handoffs.models import Handoff
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

PORTAL_PEOPLE = ["customer", "other_customer", "colleague", "supplier"]


@pytest.fixture
def handoff(conv, personas):
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Refund due", owner=personas.other_agent
    )
    return Handoff.objects.get()


@pytest.mark.parametrize("persona", ["agent", "lead", "admin", "other_agent"])
def test_agents_open_the_handoffs_page(client_for, persona, handoff):
    assert client_for(persona).get("/handoffs/").status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", *PORTAL_PEOPLE])
def test_others_cannot_open_handoff_pages_or_accept(client_for, persona, handoff, conv):
    client = client_for(persona)
    for response in (
        client.get("/handoffs/"),
        client.get(f"/handoffs/c/{conv.pk}/pending/"),
        client.post(f"/handoffs/c/{conv.pk}/message/", {"owner": handoff.to_agent_id}),
        client.post(f"/handoffs/{handoff.pk}/accept/"),
    ):
        assert response.status_code in (302, 403, 404), response
        assert b"Refund due" not in response.content
    handoff.refresh_from_db()
    assert handoff.is_pending


def test_page_names_the_handoff_for_the_receiver_and_the_follower(
    client_for, handoff, conv, personas
):
    mine = client_for("other_agent").get("/handoffs/").content.decode()
    assert "Refund due" in mine and f'action="/handoffs/{handoff.pk}/accept/"' in mine
    theirs = client_for("agent").get("/handoffs/").content.decode()
    assert "Nothing to accept." in theirs and "Omar" in theirs
    empty = client_for("lead").get("/handoffs/").content.decode()
    assert "Nothing to accept." in empty and "You follow nothing." in empty


def test_conversation_page_loads_the_pending_handoff_with_an_accept_button(
    client_for, handoff, conv
):
    page = client_for("other_agent").get(f"/desk/c/{conv.pk}/").content.decode()
    assert f'hx-get="/handoffs/c/{conv.pk}/pending/"' in page
    banner = client_for("other_agent").get(f"/handoffs/c/{conv.pk}/pending/").content.decode()
    assert "Accept the handoff" in banner and "Refund due" in banner
    follower = client_for("agent").get(f"/handoffs/c/{conv.pk}/pending/").content.decode()
    assert "You follow this conversation until Omar accepts it" in follower
    bystander = client_for("lead").get(f"/handoffs/c/{conv.pk}/pending/").content.decode()
    assert "Accept the handoff" not in bystander


def test_accept_button_accepts_and_goes_back(client_for, handoff, conv):
    response = client_for("other_agent").post(
        f"/handoffs/{handoff.pk}/accept/", {"next": f"/desk/c/{conv.pk}/"}
    )
    assert response.status_code == 302 and response.url == f"/desk/c/{conv.pk}/"
    handoff.refresh_from_db()
    assert not handoff.is_pending


def test_someone_else_pressing_accept_is_told_and_nothing_changes(client_for, handoff):
    response = client_for("lead").post(f"/handoffs/{handoff.pk}/accept/", follow=True)
    assert "only they can accept it" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.is_pending


def test_handoffs_page_query_count_does_not_grow(
    client_for, personas, django_assert_max_num_queries
):
    def hand_over(n):
        for i in range(n):
            conv = personas.conversation(subject=f"Case {i}")
            desk.transfer_conversation(
                conversation=conv, actor=personas.agent, note=f"n{i}", owner=personas.other_agent
            )

    client = client_for("other_agent")
    hand_over(1)
    with django_assert_max_num_queries(8):
        client.get("/handoffs/")
    hand_over(15)
    with django_assert_max_num_queries(8):
        assert len(client.get("/handoffs/").context["to_accept"]) == 16


# --- API --------------------------------------------------------------------------------------


def test_api_lists_pending_handoffs_by_scope(api_for, handoff, personas):
    to_me = api_for("other_agent").get("/handoffs").json()
    assert [h["id"] for h in to_me] == [handoff.pk]
    assert to_me[0]["to_agent"] == personas.other_agent.pk and to_me[0]["note"] == "Refund due"
    assert api_for("agent").get("/handoffs").json() == []
    following = api_for("agent").get("/handoffs", {"scope": "following"}).json()
    assert [h["id"] for h in following] == [handoff.pk]
    assert len(api_for("lead").get("/handoffs", {"scope": "all"}).json()) == 1
    bad = api_for("agent").get("/handoffs", {"scope": "everything"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"


def test_api_accept_by_the_receiver(api_for, handoff, personas):
    response = api_for("other_agent").post(f"/handoffs/{handoff.pk}/accept")
    assert response.status_code == 200
    assert response.json()["accepted_by"] == personas.other_agent.pk
    again = api_for("other_agent").post(f"/handoffs/{handoff.pk}/accept")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_api_accept_by_someone_else_is_forbidden(api_for, handoff):
    response = api_for("lead").post(f"/handoffs/{handoff.pk}/accept")
    assert response.status_code == 403
    assert "for Omar" in response.json()["error"]["message"]


def test_api_unknown_handoff_is_404(api):
    response = api.post("/handoffs/999999/accept")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_api_needs_an_agent(handoff, client_for):
    assert ApiClient().get("/handoffs").status_code == 401
    assert ApiClient().post(f"/handoffs/{handoff.pk}/accept").status_code == 401
    portal = client_for("customer").get("/api/handoffs")
    assert portal.status_code in (401, 403)


def test_api_hides_handoffs_of_conversations_the_agent_cannot_see(
    api_for, conv, settings, personas
):
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True
    desk.transfer_conversation(
        conversation=conv,
        actor=personas.agent,
        note="Refund due",
        team=personas.billing,
        owner=personas.other_agent,
    )
    handoff = Handoff.objects.get()
    # Omar (Billing) owns it now; Maya (Support) no longer sees it.
    assert api_for("agent").get("/handoffs", {"scope": "following"}).json() == []
    assert api_for("agent").post(f"/handoffs/{handoff.pk}/accept").status_code == 404
    assert len(api_for("other_agent").get("/handoffs").json()) == 1
