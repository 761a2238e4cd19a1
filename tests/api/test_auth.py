"""Who may use the API: agents with a valid token (or their session), nobody else."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from helpmate.people import actions as people
from helpmate.people.models import ApiToken

from .conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db

# Every operation, with a body that would be accepted, so only authentication decides.
ENDPOINTS = [
    ("GET", "/conversations"),
    ("POST", "/conversations"),
    ("GET", "/conversations/{conv}"),
    ("PATCH", "/conversations/{conv}"),
    ("GET", "/conversations/{conv}/messages"),
    ("POST", "/conversations/{conv}/messages"),
    ("GET", "/conversations/{conv}/events"),
    ("GET", "/contacts"),
    ("POST", "/contacts"),
    ("GET", "/contacts/{contact}"),
    ("PATCH", "/contacts/{contact}"),
    ("GET", "/organizations"),
    ("POST", "/organizations"),
    ("GET", "/organizations/{org}"),
    ("PATCH", "/organizations/{org}"),
    ("GET", "/agents"),
    ("GET", "/agents/me"),
    ("GET", "/agents/{agent}"),
    ("GET", "/teams"),
    ("GET", "/teams/{team}"),
]

BODIES = {
    ("POST", "/conversations"): {"requester_email": "x@y.example", "subject": "s", "text": "t"},
    ("PATCH", "/conversations/{conv}"): {"status": "open"},
    ("POST", "/conversations/{conv}/messages"): {"kind": "note", "text": "hello"},
    ("POST", "/contacts"): {"name": "Someone"},
    ("PATCH", "/contacts/{contact}"): {"phone": "123"},
    ("POST", "/organizations"): {"name": "Initech"},
    ("PATCH", "/organizations/{org}"): {"notes": "x"},
}


def call(client: ApiClient, personas, method: str, template: str):
    conv = personas.conversation()
    path = template.format(
        conv=conv.pk,
        contact=personas.customer.pk,
        org=personas.acme.pk,
        agent=personas.agent.pk,
        team=personas.support.pk,
    )
    if method == "GET":
        return client.get(path)
    return client.send(method, path, BODIES[(method, template)])


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_refuses_a_request_without_a_token(personas, method, path):
    response = call(ApiClient(), personas, method, path)
    error = assert_error(response, 401, "unauthorized")
    assert "Bearer" in error["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_refuses_a_revoked_token(personas, method, path):
    token, raw = people.create_api_token(agent=personas.agent)
    people.revoke_api_token(token=token)
    assert_error(call(ApiClient(token=raw), personas, method, path), 401, "unauthorized")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_refuses_a_garbage_token(personas, method, path):
    assert_error(call(ApiClient(token="hm_nonsense"), personas, method, path), 401, "unauthorized")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_accepts_a_valid_agent_token(personas, api, method, path):
    response = call(api, personas, method, path)
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "hm_abc", "Bearer " + "x" * 5000, "Token abc"],
)
def test_malformed_authorization_headers_answer_401(personas, header):
    client = Client()
    response = client.get("/api/conversations", headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")


def test_token_of_a_deactivated_agent_is_refused(personas):
    _token, raw = people.create_api_token(agent=personas.other_agent)
    user = personas.other_agent.user
    user.is_active = False
    user.save()
    assert_error(ApiClient(token=raw).get("/conversations"), 401, "unauthorized")


@pytest.mark.parametrize("persona", ["customer", "colleague", "supplier"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_contacts_signed_in_to_the_portal_cannot_use_the_api(
    personas, client_for, persona, method, path
):
    client = ApiClient(client=client_for(persona))
    error = assert_error(call(client, personas, method, path), 403, "forbidden")
    assert "agents" in error["message"]


def test_customer_cannot_read_a_conversation_through_the_api_even_their_own(personas, client_for):
    conv = personas.conversation(personas.customer)
    client = ApiClient(client=client_for("customer"))
    assert_error(client.get(f"/conversations/{conv.pk}"), 403, "forbidden")


def test_an_agents_session_can_read(personas, client_for):
    conv = personas.conversation()
    client = ApiClient(client=client_for("agent"))
    response = client.get(f"/conversations/{conv.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == conv.pk


def test_an_agents_session_cannot_write_without_the_csrf_token(personas):
    conv = personas.conversation()
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.agent.user)
    response = client.patch(
        f"/api/conversations/{conv.pk}", '{"status": "open"}', content_type="application/json"
    )
    error = assert_error(response, 403, "forbidden")
    assert "CSRF" in error["message"]
    conv.refresh_from_db()
    assert conv.status == "new"


def test_an_agents_session_writes_with_the_csrf_token(personas):
    conv = personas.conversation()
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.agent.user)
    client.get("/api/docs")  # sets the CSRF cookie, as the docs page does for "Try it out"
    token = client.cookies["csrftoken"].value
    response = client.patch(
        f"/api/conversations/{conv.pk}",
        '{"status": "open"}',
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"


def test_a_token_works_without_csrf(personas, api):
    conv = personas.conversation()
    api.client = Client(enforce_csrf_checks=True)
    assert api.patch(f"/conversations/{conv.pk}", {"status": "open"}).status_code == 200


def test_token_use_is_recorded_at_most_once_a_minute(personas):
    token, raw = people.create_api_token(agent=personas.agent)
    client = ApiClient(token=raw)
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False):
        client.get("/teams")
        token.refresh_from_db()
        first = token.last_used_at
        assert first == timezone.now()
    with time_machine.travel("2026-03-02 10:00:30+00:00", tick=False):
        client.get("/teams")
        token.refresh_from_db()
        assert token.last_used_at == first
    with time_machine.travel("2026-03-02 10:01:30+00:00", tick=False):
        client.get("/teams")
        token.refresh_from_db()
        assert token.last_used_at > first


def test_only_the_hash_of_a_token_is_stored(personas):
    token, raw = people.create_api_token(agent=personas.agent)
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.token_hash, stored.prefix, stored.name)


def test_the_calling_agent_is_who_the_token_belongs_to(personas, api_for):
    body = api_for("lead").get("/agents/me").json()
    assert body["id"] == personas.lead.pk
    assert body["role"] == "lead"


@override_settings(DEBUG=False)
def test_openapi_schema_and_docs_need_no_token(personas):
    client = Client()
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200
