"""API tokens: an agent creates and revokes their own; the raw value is shown once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helpmate.people import actions
from helpmate.people.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_creating_a_token_shows_the_raw_value_once_and_stores_only_its_hash(client_for, personas):
    client = client_for("agent")
    response = client.post(reverse("people:tokens"), {"name": "Reporting script"})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw.startswith("hm_") and raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(agent=personas.agent)
    assert token.token_hash == hash_token(raw) and token.name == "Reporting script"
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    again = client.get(reverse("people:tokens")).content.decode()
    assert raw not in again and token.prefix in again and "Reporting script" in again


def test_revoking_a_token_marks_it_revoked(client_for, personas):
    token, _raw = actions.create_api_token(agent=personas.agent, name="Old")
    client = client_for("agent")
    response = client.post(reverse("people:token_revoke", args=[token.pk]))
    assert response["Location"] == reverse("people:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get(reverse("people:tokens")).content.decode()


def test_token_name_too_long_is_a_field_error(client_for, personas):
    response = client_for("agent").post(reverse("people:tokens"), {"name": "x" * 300})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_token_list_query_count_does_not_grow(client_for, personas, queries_for):
    client = client_for("agent")
    actions.create_api_token(agent=personas.agent)
    few = queries_for(client, reverse("people:tokens"))
    for _ in range(8):
        actions.create_api_token(agent=personas.agent)
    assert queries_for(client, reverse("people:tokens")) == few
