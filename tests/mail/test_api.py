"""POST /api/mail/inbound: the API way in, admins only, same pipeline."""

from __future__ import annotations

import pytest
from django.test import Client

from helpmate.mail.models import InboundEmail
from helpmate.people.actions import create_api_token

from .conftest import corpus_bytes

PATH = "/api/mail/inbound?mailbox=support@northwind.example"


def _post(personas, persona: str, raw: bytes):
    headers = {}
    if persona != "anonymous":
        _, token = create_api_token(agent=getattr(personas, persona), name="tests")
        headers["Authorization"] = f"Bearer {token}"
    return Client().post(PATH, raw, content_type="message/rfc822", headers=headers)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("agent", 403), ("lead", 403), ("other_agent", 403), ("anonymous", 401)],
)
def test_only_admins_feed_raw_email_through_the_api(personas, mailbox, persona, status) -> None:
    response = _post(personas, persona, corpus_bytes("gmail_alternative.eml"))
    assert response.status_code == status
    assert InboundEmail.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize("persona", ["customer", "colleague"])
def test_contacts_cannot_use_the_api(client_for, mailbox, persona) -> None:
    response = client_for(persona).post(
        PATH, corpus_bytes("cp1252.eml"), content_type="message/rfc822"
    )
    assert response.status_code in (401, 403)


def test_api_intake_is_idempotent_and_reports_the_outcome(personas, mailbox) -> None:
    raw = corpus_bytes("gmail_alternative.eml")
    first = _post(personas, "admin", raw).json()
    second = _post(personas, "admin", raw).json()
    assert first["id"] == second["id"] and first["state"] == "processed"
    assert first["conversation"] is not None
    assert InboundEmail.objects.get().source == "api"
    assert _post(personas, "admin", b"  ").status_code == 400
