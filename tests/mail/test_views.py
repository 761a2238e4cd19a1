"""Mail pages: who may see what (every persona), query counts, retry, the original email, and the
folded quoted text in the conversation page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpmate.desk.models import MessageKind
from helpmate.mail.models import InboundEmail, InboundState

from .conftest import corpus_bytes, thread_values

EVERYONE = [
    "agent",
    "lead",
    "admin",
    "other_agent",
    "customer",
    "other_customer",
    "colleague",
    "supplier",
    "anonymous",
]
ADMIN_ONLY = {"admin"}
AGENTS = {"agent", "lead", "admin", "other_agent"}


@pytest.fixture
def stored(personas, deliver, settings):
    """A processed email (a reply in Carla's conversation) and a quarantined one."""
    conv = personas.conversation(requester=personas.customer)
    reply = deliver(corpus_bytes("iphone_reply.eml", **thread_values(conv.pk)))
    held = deliver(corpus_bytes("no_sender.eml"))
    assert reply.state == InboundState.PROCESSED and held.state == InboundState.QUARANTINED
    return conv, reply, held


def _expected(persona: str, allowed: set[str]) -> set[int]:
    if persona in allowed:
        return {200}
    if persona == "anonymous":
        return {302}
    return {403, 404}


@pytest.mark.parametrize("persona", EVERYONE)
def test_who_may_open_the_mail_pages(persona, stored, client_for) -> None:
    conv, reply, held = stored
    client = client_for(persona)
    pages = [
        ("/mail/", ADMIN_ONLY),
        ("/mail/?state=all", ADMIN_ONLY),
        (f"/mail/{held.pk}/raw/", ADMIN_ONLY),
        (f"/mail/original/{reply.desk_message_id}/", AGENTS),
        (f"/mail/notices/{conv.pk}/", AGENTS),
    ]
    for url, allowed in pages:
        assert client.get(url).status_code in _expected(persona, allowed), url


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_admins_may_retry(persona, stored, client_for) -> None:
    _, _, held = stored
    response = client_for(persona).post(f"/mail/{held.pk}/retry/")
    held.refresh_from_db()
    if persona == "admin":
        assert response.status_code == 302
        assert held.attempts == 2  # processed again (and quarantined again: still no sender)
    else:
        assert response.status_code in {302, 403} and held.attempts == 1
        if persona == "anonymous":
            assert "/signin/" in response["Location"]


def test_quarantine_list_shows_reason_and_actions(stored, client_for) -> None:
    _, _, held = stored
    html = client_for("admin").get("/mail/").content.decode()
    assert "no sender address" in html
    assert f"/mail/{held.pk}/raw/" in html and f"/mail/{held.pk}/retry/" in html
    assert "support@northwind.example" in html  # the per-mailbox table


def test_quarantine_list_query_count_does_not_grow(personas, deliver, client_for) -> None:
    client = client_for("admin")
    deliver(corpus_bytes("no_sender.eml"))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/mail/?state=all").status_code == 200
    for i in range(15):
        raw = corpus_bytes("no_sender.eml").replace(b"nosender-1", f"ns-{i}".encode())
        deliver(raw)
        deliver(corpus_bytes("cp1252.eml").replace(b"cp1252-1", f"c-{i}".encode()))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/mail/?state=all").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries) <= 10


def test_retry_turns_a_fixed_email_into_a_conversation(personas, deliver, client_for, settings):
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 1
    deliver(corpus_bytes("cp1252.eml"))
    held = deliver(corpus_bytes("cp1252.eml").replace(b"cp1252-1", b"cp1252-2"))
    assert held.state == InboundState.QUARANTINED
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 30
    client_for("admin").post(f"/mail/{held.pk}/retry/")
    held.refresh_from_db()
    assert held.state == InboundState.PROCESSED and held.conversation is not None


def test_raw_download_is_the_message_as_it_arrived(stored, client_for) -> None:
    _, _, held = stored
    response = client_for("admin").get(f"/mail/{held.pk}/raw/")
    assert response["Content-Type"] == "message/rfc822"
    assert "attachment" in response["Content-Disposition"]
    assert response.content == corpus_bytes("no_sender.eml")


def test_conversation_page_folds_quoted_text_and_links_the_original(stored, client_for):
    conv, reply, _ = stored
    html = client_for("agent").get(f"/desk/c/{conv.pk}/").content.decode()
    assert '<details class="mail-quoted"><summary>Show quoted text</summary>' in html
    new_part = html.index("fits perfectly")
    quoted = html.index("replacement shade is on its way")
    assert html.index("mail-quoted") < quoted and new_part < html.index("mail-quoted")
    assert f"/mail/original/{reply.desk_message_id}/" in html
    assert f'hx-get="/mail/notices/{conv.pk}/"' in html


def test_conversation_page_query_count_stays_flat_with_more_emails(
    personas, deliver, client_for
) -> None:
    conv = personas.conversation(requester=personas.customer)
    values = thread_values(conv.pk)
    deliver(corpus_bytes("iphone_reply.eml", **values))
    client = client_for("agent")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/desk/c/{conv.pk}/")
    for i in range(6):
        raw = corpus_bytes("iphone_reply.eml", **values).replace(b"B1C2D3E4", f"m{i}".encode())
        deliver(raw)
    assert conv.messages.filter(kind=MessageKind.INCOMING).count() == 8
    with CaptureQueriesContext(connection) as many:
        client.get(f"/desk/c/{conv.pk}/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_notices_show_bounces_and_automatic_replies(personas, deliver, client_for) -> None:
    conv = personas.conversation(requester=personas.customer)
    values = thread_values(conv.pk)
    deliver(corpus_bytes("ooo_rfc3834.eml", **values))
    deliver(corpus_bytes("dsn_bounce.eml", **values))
    html = client_for("agent").get(f"/mail/notices/{conv.pk}/").content.decode()
    assert "Automatic reply" in html and "out of the office" in html
    assert "carla@acme.example</strong> bounces" in html
    assert "5.1.1" in html
    assert InboundEmail.objects.filter(conversation=conv, is_automatic=True).count() == 2
