"""Portal sign-in links go through the outbox, rendered when sent so the token is never stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpmate.outbox import actions
from helpmate.outbox.models import OutboundEmail, OutboundState
from helpmate.portal import actions as portal

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_link_is_sent_through_the_outbox_without_storing_the_token(smtp_server, personas):
    link = portal.request_sign_in_link(email="carla@acme.example")
    row = OutboundEmail.objects.get(kind="sign_in")
    assert row.state == OutboundState.SENT
    token = portal.raw_token_for(link)
    stored = " ".join(str(v) for v in OutboundEmail.objects.values().get().values())
    assert token not in stored
    [got] = smtp_server.received
    assert token in got.message.get_body(("plain",)).get_content()


def test_sign_in_link_waits_for_a_server_that_is_down_and_expires_unsent(smtp_server, personas):
    smtp_server.stop()
    portal.request_sign_in_link(email="carla@acme.example")
    row = OutboundEmail.objects.get(kind="sign_in")
    assert row.state == OutboundState.QUEUED and row.attempts == 1
    smtp_server.start()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        actions.send_due()
    row.refresh_from_db()
    assert row.state == OutboundState.CANCELLED  # a dead link is not worth an email
    assert smtp_server.received == []
