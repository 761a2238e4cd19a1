"""The acknowledgement of a new requester's first message: honest, signed, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from helpmate.desk import actions as desk
from helpmate.desk.models import Channel, EventType
from helpmate.mail.noise import processing
from helpmate.outbox.models import OutboundEmail
from helpmate.outbox.queue import suppressed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("acknowledgements_on"),
]


@pytest.fixture
def acknowledgements_on(settings):
    settings.HELPMATE_ACKNOWLEDGE = True


def acks():
    return OutboundEmail.objects.filter(kind="acknowledgement")


def open_conversation(personas, requester=None, channel=Channel.EMAIL, **kwargs):
    return desk.create_conversation(
        requester=requester or personas.customer,
        subject="Order 1042 arrived damaged",
        text="The lamp is broken.",
        channel=channel,
        team=personas.support,
        **kwargs,
    )


def test_first_message_gets_an_honest_signed_acknowledgement(smtp_server, personas):
    conv = open_conversation(personas)
    [got] = smtp_server.received
    msg = got.message
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert got.rcpt_tos == ["carla@acme.example"]
    assert msg["From"] == "Support <support@example.com>"
    assert msg["Reply-To"].startswith("support+")
    assert msg["Auto-Submitted"] == "auto-replied"  # so other robots do not answer it
    assert body.startswith("Hello Carla,")
    assert "our Support team" in body and "answer you by name" in body
    assert "You can expect a first answer" in body  # from the service target's due time
    assert conv.first_response_due_at is not None
    assert "do not reply" not in body.lower() and "noreply" not in msg["From"].lower()
    assert body.rstrip().endswith("The Support team, Northwind Support")
    event = conv.events.get(type=EventType.ACKNOWLEDGED)
    assert event.data["outbound"] == acks().get().pk


def test_the_expected_time_comes_from_the_first_response_target(smtp_server, personas):
    # Carla lives in Lisbon: the time is given in her time zone.
    created = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
    conv = open_conversation(personas, at=created)
    conv.first_response_due_at = created + timedelta(hours=4)
    from helpmate.outbox.acknowledge import when_to_expect

    assert when_to_expect(conv, created) == (
        "You can expect a first answer today by 13:00 (Europe/Lisbon time) at the latest."
    )
    conv.first_response_due_at = created + timedelta(days=1, hours=4)
    assert "Tuesday 3 March by 13:00" in when_to_expect(conv, created)


def test_without_a_target_the_estimate_counts_the_queue_and_recent_answers(smtp_server, personas):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for i in range(6):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            other = open_conversation(personas, requester=personas.other_customer)
        with time_machine.travel(start + timedelta(minutes=i, hours=2), tick=False):
            desk.add_reply(conversation=other, agent=personas.agent, text="On it")
    open_conversation(personas, requester=personas.other_customer, at=start + timedelta(hours=3))
    conv = open_conversation(personas, at=start + timedelta(hours=3, minutes=1))
    from helpmate.outbox.acknowledge import when_to_expect

    conv.first_response_due_at = None
    sentence = when_to_expect(conv, start + timedelta(hours=3, minutes=1))
    assert "1 conversation is ahead of yours" in sentence
    assert "about 2 hours" in sentence


def test_only_the_first_conversation_ever_is_acknowledged(smtp_server, personas):
    open_conversation(personas)
    open_conversation(personas)
    assert acks().count() == 1


@pytest.mark.parametrize("case", ["agent_logged", "automatic", "internal", "phone", "suppressed"])
def test_no_acknowledgement_for_what_no_customer_wrote_in(smtp_server, personas, case):
    if case == "agent_logged":
        open_conversation(personas, created_by=personas.agent)
    elif case == "automatic":
        with processing(automatic=True):
            open_conversation(personas)
    elif case == "internal":
        open_conversation(personas, requester=personas.colleague, channel=Channel.INTERNAL)
    elif case == "phone":
        open_conversation(personas, channel=Channel.PHONE)
    else:
        with suppressed():
            open_conversation(personas)
    assert acks().count() == 0
    assert smtp_server.received == []


def test_an_owned_conversation_is_signed_by_the_owner(smtp_server, personas):
    # A portal conversation that an assignment rule gave to Maya before the event listeners ran
    # would be signed by her; here the owner is set on the row the listener sees.
    from helpmate.outbox.acknowledge import acknowledge

    conv = open_conversation(personas, requester=personas.supplier, channel=Channel.PHONE)
    conv.owner = personas.agent
    with transaction.atomic():  # as inside the action that creates the conversation
        acknowledge(conv)
    [got] = smtp_server.received
    body = got.message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert got.message["From"] == "Maya at Support <support@example.com>"
    assert "Maya from our Support team is looking after it" in body
    assert body.rstrip().endswith("Maya\nSupport, Northwind Support")
