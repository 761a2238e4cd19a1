"""Handoffs end to end: the customer is told who has it, the giver follows until acceptance."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from helpmate.desk import actions as desk
from helpmate.desk.models import EventType, MessageKind, Notification, Status
from helpmate.handoffs import actions
from helpmate.handoffs.models import Handoff
from helpmate.handoffs.wording import customer_message
from helpmate.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db

EDITED = (
    "Hi Carla,\n\nI've asked Omar in our Billing team to take this over: he can sort out the "
    "refund directly. He has everything you told us, so you won't need to repeat anything.\n\nMaya"
)


def _transfer_form(client, conv, **fields):
    data = {"note": "Refund of 49 EUR approved; card ending 4242", **fields}
    return client.post(f"/desk/c/{conv.pk}/transfer/", data)


def test_transfer_from_the_form_tells_the_customer_by_name_in_the_portal_and_by_email(
    conv, personas, client_for
):
    response = _transfer_form(
        client_for("agent"),
        conv,
        owner=personas.other_agent.pk,
        team=personas.billing.pk,
        tell_customer="on",
        customer_message=EDITED,
    )
    assert response.status_code == 302
    conv.refresh_from_db()
    assert (conv.owner, conv.team) == (personas.other_agent, personas.billing)
    reply = conv.messages.get(kind=MessageKind.REPLY)
    assert reply.text == EDITED and reply.author_agent == personas.agent
    # Not an answer: the customer still waits on us and the status is unchanged.
    assert conv.status == Status.OPEN and conv.waiting_since is not None
    event = conv.events.get(type=EventType.REPLIED)
    assert event.data == {"message": reply.pk, "handoff": True}
    handoff = Handoff.objects.get(conversation=conv)
    assert handoff.customer_message == reply
    assert (handoff.from_agent, handoff.to_agent) == (personas.agent, personas.other_agent)
    assert handoff.note == "Refund of 49 EUR approved; card ending 4242"
    # In the portal, with the new owner's name and never the note.
    page = client_for("customer").get(f"/portal/c/{conv.pk}/").content.decode()
    assert "asked Omar in our Billing team to take this over" in page
    assert "Omar is looking after this" in page
    assert "4242" not in page
    # In the outgoing email, signed by Maya.
    email = OutboundEmail.objects.get(desk_message=reply)
    assert email.to == ["carla@acme.example"]
    assert "I've asked Omar in our Billing team" in email.text
    assert "Maya" in email.from_email


def test_unticked_customer_message_sends_nothing(conv, personas, client_for):
    _transfer_form(client_for("agent"), conv, owner=personas.other_agent.pk, customer_message="x")
    assert not conv.messages.filter(kind=MessageKind.REPLY).exists()
    assert Handoff.objects.get(conversation=conv).customer_message is None


def test_ticked_with_an_empty_message_sends_the_suggested_wording(conv, personas, client_for):
    _transfer_form(client_for("agent"), conv, owner=personas.other_agent.pk, tell_customer="on")
    reply = conv.messages.get(kind=MessageKind.REPLY)
    assert reply.text.startswith("Hi Carla,\n\nI've asked Omar in our Billing team to take this")
    assert "won't need to repeat anything" in reply.text


@time_machine.travel(datetime(2026, 11, 20, 16, 30, tzinfo=UTC), tick=False)  # a Friday
def test_message_for_a_team_without_an_owner_says_which_team_and_when(conv, personas):
    text = customer_message(
        conversation=conv, sender=personas.agent, to_agent=None, to_team=personas.billing
    )
    assert "I've passed this to our Billing team." in text
    # The default calendar: Mon-Fri 09:00-17:00; Carla is in Lisbon (UTC+0 in November).
    assert "They're back on Monday at 09:00, and you'll hear from them by 17:00 that day." in text


@time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=UTC), tick=False)  # a Wednesday
def test_message_for_a_team_that_is_in_says_today(conv, personas):
    text = customer_message(
        conversation=conv, sender=personas.agent, to_agent=None, to_team=personas.billing
    )
    assert "You'll hear from them today, by 17:00." in text


def test_preview_follows_the_chosen_receiver_and_keeps_an_edit(conv, personas, client_for):
    client = client_for("agent")
    url = f"/handoffs/c/{conv.pk}/message/"
    first = client.post(url, {"owner": personas.other_agent.pk, "tell_customer": "on"})
    html = first.content.decode()
    assert "I&#x27;ve asked Omar in our Billing team" in html
    suggested = first.context["suggested"]
    second = client.post(
        url,
        {
            "team": personas.billing.pk,
            "tell_customer": "on",
            "customer_message": suggested,
            "customer_message_suggested": suggested,
        },
    )
    assert "passed this to our Billing team" in second.context["message"]
    edited = client.post(
        url,
        {
            "owner": personas.lead.pk,
            "tell_customer": "on",
            "customer_message": "My own words",
            "customer_message_suggested": suggested,
        },
    )
    assert edited.context["message"] == "My own words" and edited.context["edited"]
    reset = client.post(
        url,
        {"owner": personas.lead.pk, "customer_message": "My own words", "reset": "1"},
    )
    assert "I&#x27;ve asked Sam" in reset.content.decode()


def test_previous_owner_follows_until_the_new_owner_accepts(conv, personas, client_for):
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Refund", owner=personas.other_agent
    )
    handoff = Handoff.objects.get(conversation=conv)
    assert handoff.is_pending
    following = client_for("agent").get("/handoffs/")
    assert following.context["following"] == [handoff]
    assert client_for("other_agent").get("/handoffs/").context["to_accept"] == [handoff]

    desk.add_incoming_message(conversation=conv, author=personas.customer, text="Any news?")
    assert Notification.objects.filter(
        agent=personas.agent, text__contains="Carla Mendes wrote again"
    ).exists()

    actions.accept_handoff(handoff=handoff, agent=personas.other_agent)
    handoff.refresh_from_db()
    assert handoff.accepted_by == personas.other_agent and not handoff.is_pending
    accepted = conv.events.get(type=EventType.HANDOFF_ACCEPTED)
    assert accepted.data["how"] == "accepted" and accepted.actor_agent == personas.other_agent
    assert Notification.objects.filter(agent=personas.agent, text__contains="accepted").exists()
    assert client_for("agent").get("/handoffs/").context["following"] == []

    before = Notification.objects.filter(agent=personas.agent).count()
    desk.add_incoming_message(conversation=conv, author=personas.customer, text="Thanks!")
    assert Notification.objects.filter(agent=personas.agent).count() == before


@pytest.mark.parametrize("how", ["replied", "claimed"])
def test_replying_or_claiming_accepts_a_team_handoff(conv, personas, how):
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Billing question", team=personas.billing
    )
    conv.refresh_from_db()
    assert conv.owner is None  # Maya is not in Billing
    if how == "replied":
        desk.add_reply(conversation=conv, agent=personas.other_agent, text="Omar here, on it.")
    else:
        desk.assign_conversation(
            conversation=conv, actor=personas.other_agent, owner=personas.other_agent
        )
    event = conv.events.get(type=EventType.HANDOFF_ACCEPTED)
    assert event.data["how"] == how and event.actor_agent == personas.other_agent
    assert not Handoff.objects.pending().exists()


def test_accepting_a_team_handoff_makes_the_agent_owner(conv, personas):
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Billing", team=personas.billing
    )
    actions.accept_handoff(handoff=Handoff.objects.get(), agent=personas.other_agent)
    conv.refresh_from_db()
    assert conv.owner == personas.other_agent


def test_only_the_receiver_may_accept_and_only_once(conv, personas):
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Refund", owner=personas.other_agent
    )
    handoff = Handoff.objects.get()
    with pytest.raises(desk.ActionError, match="only they can accept it"):
        actions.accept_handoff(handoff=handoff, agent=personas.lead)
    actions.accept_handoff(handoff=handoff, agent=personas.other_agent)
    with pytest.raises(desk.ConflictError, match="already accepted"):
        actions.accept_handoff(handoff=handoff, agent=personas.other_agent)


def test_handing_on_again_supersedes_the_pending_handoff(conv, personas):
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Refund", owner=personas.other_agent
    )
    desk.transfer_conversation(
        conversation=conv, actor=personas.other_agent, note="Not billing", owner=personas.lead
    )
    first, second = Handoff.objects.order_by("created_at", "id")
    assert first.superseded_at is not None and second.is_pending
    assert second.from_agent == personas.other_agent


def test_taking_it_over_oneself_needs_no_acceptance(conv, personas):
    desk.assign_conversation(conversation=conv, actor=personas.agent, owner=None)
    desk.transfer_conversation(
        conversation=conv, actor=personas.lead, note="I'll take it", owner=personas.lead
    )
    assert not Handoff.objects.pending().exists()


def test_a_batch_of_messages_notifies_each_follower_once_per_message(conv, personas) -> None:
    """The listener's batch form (mail processing) looks the followers up once for all the
    batch's messages and notifies as one message at a time would."""
    from django.db import transaction

    from helpmate.desk import hooks
    from helpmate.desk.actions import IncomingMessage

    quiet = personas.conversation(requester=personas.other_customer)
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Refund", owner=personas.other_agent
    )
    items = [
        IncomingMessage(conv, personas.customer, "Any news?"),
        IncomingMessage(quiet, personas.other_customer, "Hello?"),
        IncomingMessage(conv, personas.customer, "Still waiting"),
    ]
    with transaction.atomic(), hooks.batched():
        desk.add_incoming_messages(items)
    notes = Notification.objects.filter(text__contains="wrote again").order_by("pk")
    assert [(n.agent_id, n.conversation_id, n.message.text) for n in notes] == [
        (personas.agent.pk, conv.pk, "Any news?"),
        (personas.agent.pk, conv.pk, "Still waiting"),
    ]
