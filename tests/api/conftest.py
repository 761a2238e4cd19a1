"""API test helpers: a JSON client that sends an agent's bearer token."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from helpmate.people.actions import create_api_token
from helpmate.people.models import Agent


@dataclass
class ApiClient:
    """Calls /api/... as whoever the token belongs to (or nobody, without a token)."""

    token: str | None = None
    client: Client = field(default_factory=Client)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api{path}", params or {}, headers=self._headers())

    def send(self, method: str, path: str, body: Any = None, *, raw: str | bytes | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        call = getattr(self.client, method.lower())
        return call(f"/api{path}", data, content_type="application/json", headers=self._headers())

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("PATCH", path, body, **kwargs)


@pytest.fixture
def api_for(personas) -> Callable[[str], ApiClient]:
    """``api_for("agent")``: a client with a fresh token of that agent persona."""

    def make(name: str) -> ApiClient:
        who = getattr(personas, name)
        assert isinstance(who, Agent), f"{name} is not an agent"
        _token, raw = create_api_token(agent=who, name="tests")
        return ApiClient(token=raw)

    return make


@pytest.fixture
def api(api_for) -> ApiClient:
    """Maya (agent, Support team) with a valid token."""
    return api_for("agent")


def assert_error(response, status: int, code: str) -> dict[str, Any]:
    """The response is ``status`` with the one error body, and returns its ``error`` part."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    return error
