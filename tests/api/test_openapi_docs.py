"""The OpenAPI schema and the docs page, which must work without internet."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED = {
    "/api/conversations": {"get", "post"},
    "/api/conversations/{conversation_id}": {"get", "patch"},
    "/api/conversations/{conversation_id}/messages": {"get", "post"},
    "/api/conversations/{conversation_id}/events": {"get"},
    "/api/contacts": {"get", "post"},
    "/api/contacts/{contact_id}": {"get", "patch"},
    "/api/organizations": {"get", "post"},
    "/api/organizations/{organization_id}": {"get", "patch"},
    "/api/agents": {"get"},
    "/api/agents/me": {"get"},
    "/api/agents/{agent_id}": {"get"},
    "/api/teams": {"get"},
    "/api/teams/{team_id}": {"get"},
    # Feature apps (each app's api.py)
    "/api/mail/inbound": {"post"},
    "/api/service/targets": {"get", "put"},
    "/api/conversations/{conversation_id}/due": {"get"},
    "/api/reports/targets": {"get"},
    "/api/reports/targets.csv": {"get"},
    "/api/promises/detect": {"post"},
    "/api/promises": {"get", "post"},
    "/api/promises/{promise_id}": {"get"},
    "/api/promises/{promise_id}/keep": {"post"},
    "/api/promises/{promise_id}/cancel": {"post"},
    "/api/promises/{promise_id}/renegotiate": {"post"},
    "/api/reports/promises": {"get"},
    "/api/reports/promises.csv": {"get"},
    "/api/conversations/{conversation_id}/effort": {"get"},
    "/api/reports/effort": {"get"},
    "/api/effort/ces-answers": {"get"},
    "/api/replies/check": {"post"},
    "/api/handoffs": {"get"},
    "/api/handoffs/{handoff_id}/accept": {"post"},
}


def test_openapi_json_is_valid_json_with_every_path():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {p: set(ops) for p, ops in schema["paths"].items()} == EXPECTED
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_every_operation_documents_the_error_body():
    schema = Client().get("/api/openapi.json").json()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert "401" in op["responses"], (method, path)
            ref = op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody")
            assert op.get("summary"), (method, path)


def test_response_schemas_do_not_leak_secrets():
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    fields = {name for s in schemas.values() for name in s.get("properties", {})}
    assert not fields & {"password", "token_hash", "user", "is_superuser", "last_login"}


def test_docs_page_loads_everything_from_our_own_server():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for url in sources:
        assert url.startswith("/"), f"external resource {url}"
    for url in sources:
        if url.startswith("/api/docs/assets/"):
            asset = Client().get(url)
            assert asset.status_code == 200, url
            assert b"".join(asset.streaming_content)


def test_docs_page_lists_operations_without_javascript():
    html = Client().get("/api/docs").content.decode()
    noscript = html[html.index("<noscript>") : html.index("</noscript>")]
    assert "/api/conversations/{conversation_id}/messages" in noscript
    assert "Reply, or add an internal note" in noscript


def test_docs_assets_are_only_the_known_files():
    assert Client().get("/api/docs/assets/..%2Fsettings.py").status_code == 404
    assert Client().get("/api/docs/assets/redoc.standalone.js.map").status_code == 404
