"""The workspace shows what became of each reply's email; admins see the outbox; permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.outbox.models import OutboundEmail, OutboundState

pytestmark = pytest.mark.django_db


def reply(personas, conv=None, text="Sorry, Carla!"):
    conv = conv or personas.conversation()
    desk.add_reply(conversation=conv, agent=personas.agent, text=text)
    return conv, OutboundEmail.objects.filter(conversation=conv).latest("pk")


def set_state(row, **fields):
    OutboundEmail.objects.filter(pk=row.pk).update(**fields)


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"state": "sent", "sent_at": timezone.now()}, "Emailed ✓"),
        ({"state": "queued", "attempts": 0}, "Sending…"),
        ({"state": "queued", "attempts": 2}, "Retrying (next try"),
        ({"state": "failed", "last_error": "550 5.1.1 mailbox unknown"}, "Failed: 550 5.1.1"),
        ({"state": "unknown", "last_error": "may or may not"}, "Delivery unknown"),
    ],
)
def test_each_reply_shows_what_became_of_its_email(personas, client_for, fields, shown):
    conv, row = reply(personas)
    set_state(row, **fields)
    page = client_for("agent").get(f"/desk/c/{conv.pk}/").content.decode()
    assert shown in page
    assert (f"/outbox/{row.pk}/send-again/" in page) == (fields["state"] in ("failed", "unknown"))


def test_skipped_addresses_are_named_under_the_reply(personas, client_for):
    conv, row = reply(personas)
    set_state(row, state="sent", skipped={"sven@nordicparts.example": "bounced on 1 Mar 2026"})
    page = client_for("agent").get(f"/desk/c/{conv.pk}/").content.decode()
    assert "Not emailed to sven@nordicparts.example: bounced on 1 Mar 2026" in page


def test_email_statuses_of_a_thread_cost_one_query(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for("agent")
    conv, _ = reply(personas)
    client.get(f"/desk/c/{conv.pk}/")  # warm caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(f"/desk/c/{conv.pk}/")
    for i in range(6):
        reply(personas, conv, text=f"Update {i}")
    with django_assert_max_num_queries(len(one)):
        client.get(f"/desk/c/{conv.pk}/")
    outbox_queries = [q for q in one.captured_queries if "outbox_outboundemail" in q["sql"]]
    assert len(outbox_queries) == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", 302),
        ("lead", 302),
        ("admin", 302),
        ("other_agent", 302),  # every agent sees every conversation by default
        ("customer", 403),  # signed in to the portal, not an agent
        ("colleague", 403),
        ("anonymous", 302),  # to the sign-in page
    ],
)
def test_send_again_is_for_agents_who_can_see_the_conversation(
    personas, client_for, persona, expected
):
    conv, row = reply(personas)
    set_state(row, state="failed", last_error="550")
    response = client_for(persona).post(f"/outbox/{row.pk}/send-again/")
    assert response.status_code == expected
    row.refresh_from_db()
    is_agent = persona in ("agent", "lead", "admin", "other_agent")
    assert (row.state == OutboundState.FAILED) != is_agent
    if is_agent:
        assert response["Location"].endswith(f"/desk/c/{conv.pk}/#m{row.desk_message_id}")
    elif persona == "anonymous":
        assert response["Location"].startswith("/signin/")


def test_send_again_respects_team_only_visibility(personas, client_for, settings):
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True
    _conv, row = reply(personas)
    set_state(row, state="failed", last_error="550")
    assert client_for("other_agent").post(f"/outbox/{row.pk}/send-again/").status_code == 404
    assert client_for("other_agent").post("/outbox/999999/send-again/").status_code == 404


def test_send_again_refuses_an_email_that_was_sent(personas, client_for):
    _conv, row = reply(personas)
    set_state(row, state="sent")
    client_for("agent").post(f"/outbox/{row.pk}/send-again/")
    row.refresh_from_db()
    assert row.state == OutboundState.SENT


def test_send_again_needs_post(personas, client_for):
    _, row = reply(personas)
    assert client_for("agent").get(f"/outbox/{row.pk}/send-again/").status_code == 405


def test_an_email_without_a_conversation_is_for_admins_only(personas, client_for):
    row = OutboundEmail.objects.create(
        to=["carla@acme.example"],
        subject="Sign in",
        text="x",
        from_email="a@b.example",
        message_id="x@b.example",
        created_at=timezone.now(),
        next_attempt_at=timezone.now(),
        state="failed",
    )
    assert client_for("agent").post(f"/outbox/{row.pk}/send-again/").status_code == 404
    assert client_for("admin").post(f"/outbox/{row.pk}/send-again/").status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("agent", 403),
        ("lead", 403),
        ("other_agent", 403),
        ("customer", 403),
        ("supplier", 403),
        ("anonymous", 302),
    ],
)
def test_outbox_list_is_for_admins(personas, client_for, persona, status):
    response = client_for(persona).get("/outbox/")
    assert response.status_code == status
    if status == 200:
        assert b"Nothing here" in response.content


def test_outbox_list_filters_and_stays_at_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for("admin")
    for i in range(3):
        reply(personas, text=f"Reply {i}")
    failed = OutboundEmail.objects.order_by("pk").first()
    set_state(failed, state="failed", last_error="550 5.1.1 mailbox unknown")
    with django_assert_max_num_queries(12):
        client.get("/outbox/")
    for i in range(20):
        reply(personas, text=f"More {i}")
    with django_assert_max_num_queries(12):
        page = client.get("/outbox/").content.decode()
    assert page.count('<tr class="outbox-') == 23
    page = client.get("/outbox/?state=failed").content.decode()
    assert page.count('<tr class="outbox-') == 1 and "550 5.1.1 mailbox unknown" in page
    assert client.get("/outbox/?state=nonsense").status_code == 200


def test_retrying_filter_shows_emails_waiting_for_another_try(personas, client_for):
    _, row = reply(personas)
    set_state(
        row, state="queued", attempts=2, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    page = client_for("admin").get("/outbox/?state=retrying").content.decode()
    assert "(next try" in page


def test_a_bounce_linked_to_the_email_is_shown_on_the_reply(personas, client_for):
    import hashlib

    from helpmate.mail.models import Bounce, InboundEmail

    conv, row = reply(personas)
    set_state(row, state="sent", sent_at=timezone.now())
    report = InboundEmail.objects.create(
        source="smtp",
        message_id="<dsn@mx.example>",
        checksum=hashlib.sha256(b"dsn").hexdigest(),
        size=10,
        received_at=timezone.now(),
    )
    Bounce.objects.create(
        inbound=report,
        address="carla@acme.example",
        kind="permanent",
        status="5.1.1",
        diagnostic="550 user unknown",
        outbound_id=row.pk,
        created_at=timezone.now(),
    )
    page = client_for("agent").get(f"/desk/c/{conv.pk}/").content.decode()
    assert "Emailed, but it bounced: 5.1.1 550 user unknown" in page
