from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

PUSHY = "Hi Carla,\n\nI'm sorry, that's not our department. Please contact billing.\n\nMaya"


@pytest.mark.parametrize("persona", ["agent", "lead", "admin", "other_agent"])
def test_agents_with_a_token_get_the_flags(api_for, persona):
    response = api_for(persona).post("/replies/check", {"text": PUSHY})
    assert response.status_code == 200
    flags = response.json()["flags"]
    assert [f["sentence"] for f in flags] == [
        "I'm sorry, that's not our department.",
        "Please contact billing.",
    ]
    first = flags[0]
    assert PUSHY[first["start"] : first["end"]] == first["sentence"]
    assert first["reason"] and first["better"] and first["rule"] == "not-our-department"
    assert set(first) == {"sentence", "start", "end", "rule", "rules", "reason", "better", "move"}


def test_a_helpful_reply_gets_an_empty_list(api):
    text = "I've asked our billing team to refund you and they confirmed it."
    assert api.post("/replies/check", {"text": text}).json() == {"flags": []}


def test_anonymous_callers_are_refused():
    response = ApiClient().post("/replies/check", {"text": PUSHY})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("persona", ["customer", "colleague", "supplier"])
def test_portal_users_are_refused(personas, client_for, persona):
    client: Client = client_for(persona)
    response = client.post("/api/replies/check", {"text": PUSHY}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_a_signed_in_agent_session_works(personas, client_for):
    response = client_for("agent").post(
        "/api/replies/check", {"text": PUSHY}, content_type="application/json"
    )
    assert response.status_code == 200 and len(response.json()["flags"]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": 12}, "text"),
        ({"text": "x" * 20_001}, "text"),
        ({"text": "ok", "extra": 1}, "extra"),
    ],
)
def test_bad_payloads_get_the_one_error_body(api, body, field):
    response = api.post("/replies/check", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["loc"][:2] == ["body", field]


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"text"'])
def test_bodies_that_are_not_an_object_are_refused(api, raw):
    response = api.post("/replies/check", raw=raw)
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) == {"code", "message", "details"}
