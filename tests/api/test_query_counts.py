"""Lists cost a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpmate.desk import actions
from helpmate.people import actions as people

pytestmark = pytest.mark.django_db


def queries(api, path, params=None) -> int:
    api.get(path, params)  # warm up: the token's last use is recorded once a minute
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def add_conversations(personas, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        requester = people.create_contact(
            name=f"Customer {i}", emails=[f"c{i}@acme.example"], organization=personas.acme
        )
        conv = personas.conversation(requester, subject=f"Case {i}")
        actions.change_tags(conversation=conv, actor=personas.agent, add=[f"t{i}", "common"])
        actions.assign_conversation(
            conversation=conv, actor=personas.agent, owner=[personas.agent, personas.lead][i % 2]
        )


@pytest.mark.parametrize(
    "params",
    [{}, {"view": "all"}, {"view": "mine"}, {"view": "teams"}, {"tag": "common"}, {"q": "case"}],
)
def test_conversation_list_queries_do_not_grow_with_rows(personas, api, params):
    add_conversations(personas, 2)
    few = queries(api, "/conversations", params)
    add_conversations(personas, 8, start=2)
    many = queries(api, "/conversations", params)
    assert many == few
    assert many <= 8


def test_contact_list_queries_do_not_grow_with_rows(personas, api):
    few = queries(api, "/contacts")
    for i in range(10):
        people.create_contact(
            name=f"Person {i}",
            emails=[f"p{i}@acme.example", f"p{i}@home.example"],
            organization=personas.acme,
        )
    assert queries(api, "/contacts") == few
    assert queries(api, "/contacts", {"q": "person"}) == few
    assert few <= 4


def test_message_list_queries_do_not_grow_with_rows(personas, api):
    conv = personas.conversation()
    few = queries(api, f"/conversations/{conv.pk}/messages")
    for i in range(10):
        actions.add_reply(conversation=conv, agent=personas.agent, text=f"Reply {i}")
        actions.add_incoming_message(conversation=conv, author=personas.customer, text=f"Q {i}")
        actions.add_note(conversation=conv, agent=personas.lead, text=f"Note {i}")
    assert queries(api, f"/conversations/{conv.pk}/messages") == few
    assert few <= 6


def test_event_list_queries_do_not_grow_with_rows(personas, api):
    conv = personas.conversation()
    few = queries(api, f"/conversations/{conv.pk}/events")
    for i in range(10):
        actions.add_reply(conversation=conv, agent=personas.agent, text=f"Reply {i}")
        actions.add_incoming_message(conversation=conv, author=personas.customer, text=f"Q {i}")
    assert queries(api, f"/conversations/{conv.pk}/events") == few
    assert few <= 5


def test_organization_agent_and_team_lists_do_not_grow_with_rows(personas, api):
    paths = ["/organizations", "/agents", "/teams"]
    few = [queries(api, p) for p in paths]
    for i in range(6):
        team = people.create_team(name=f"Team {i}")
        people.create_organization(name=f"Org {i}", kind="company")
        people.create_agent(
            email=f"a{i}@helpmate.test", name=f"Agent {i}", password=None, teams=[team]
        )
    assert [queries(api, p) for p in paths] == few
    assert max(few) <= 4


def test_conversation_detail_costs_a_few_queries(personas, api):
    conv = personas.conversation()
    for contact in (personas.colleague, personas.supplier, personas.other_customer):
        actions.add_participant(conversation=conv, actor=personas.agent, contact=contact)
    assert queries(api, f"/conversations/{conv.pk}") <= 6


def test_requesters_without_an_email_cost_no_extra_queries(personas, api):
    add_conversations(personas, 2)
    few = queries(api, "/conversations")
    for i in range(5):
        nobody = people.create_contact(name=f"Walk-in {i}")
        personas.conversation(nobody, subject=f"Phone call {i}")
    assert queries(api, "/conversations") == few
    emails = [c["requester"]["email"] for c in api.get("/conversations").json()["items"]]
    assert emails.count("") == 5
