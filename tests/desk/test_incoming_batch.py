"""add_incoming_messages: several customers' messages written together, as one at a time would."""

from __future__ import annotations

import pytest
from django.db import transaction

from helpmate.desk import actions, hooks, search
from helpmate.desk.actions import ActionError, IncomingMessage
from helpmate.desk.models import Conversation, Message, Status

pytestmark = pytest.mark.django_db


def _types(conversation: Conversation) -> list[str]:
    return list(conversation.events.order_by("pk").values_list("type", flat=True))


def test_a_batch_reopens_merges_and_adds_people_in_order(personas):
    resolved = personas.conversation()
    actions.change_status(conversation=resolved, actor=personas.agent, status=Status.RESOLVED)
    waiting = personas.conversation(requester=personas.other_customer)
    actions.change_status(
        conversation=waiting, actor=personas.agent, status=Status.WAITING_CUSTOMER
    )
    source = personas.conversation(requester=personas.colleague)
    actions.merge_conversations(source=source, target=waiting, actor=personas.agent)
    before = {c.pk: _types(c) for c in (resolved, waiting)}

    first, second, third = actions.add_incoming_messages(
        [
            IncomingMessage(
                resolved,
                personas.customer,
                "Broken again",
                participants=[
                    personas.supplier,
                    personas.customer,
                ],
            ),
            IncomingMessage(source.pk, personas.colleague, "Into the merged one"),
            IncomingMessage(resolved, personas.supplier, "", html="<p>Me too</p>"),
        ]
    )

    resolved.refresh_from_db()
    waiting.refresh_from_db()
    assert resolved.status == Status.OPEN and resolved.resolved_at is None
    assert resolved.message_count == 3 and resolved.preview == "Me too"
    assert _types(resolved)[len(before[resolved.pk]) :] == [
        "reopened",
        "status_changed",
        "message_received",
        "participant_added",  # the supplier, from the first message's Cc
        "message_received",  # the supplier's own: no second "reopened"
    ]
    assert second.conversation_id == waiting.pk  # followed the merge
    assert waiting.status == Status.OPEN and waiting.waiting_since is not None
    assert _types(waiting)[len(before[waiting.pk]) :] == ["status_changed", "message_received"]
    assert set(waiting.participants.all()) >= {personas.colleague}
    assert set(resolved.participants.all()) == {personas.supplier}
    assert [m.pk for m in resolved.messages.order_by("pk")][-2:] == [first.pk, third.pk]
    assert third.html == "<p>Me too</p>" and third.text == "Me too"
    assert resolved.first_response_due_at is not None  # the service receiver ran
    hits = search.matching_conversation_ids("merged", limit=5)
    assert waiting.pk in hits


def test_one_bad_message_writes_nothing(personas):
    conv = personas.conversation()
    count = Message.objects.count()
    with pytest.raises(ActionError, match="empty"):
        actions.add_incoming_messages(
            [
                IncomingMessage(conv, personas.customer, "Fine"),
                IncomingMessage(conv, personas.customer, "   "),
            ]
        )
    assert Message.objects.count() == count
    conv.refresh_from_db()
    assert conv.message_count == 1


def test_a_batch_costs_a_few_statements_whatever_its_size(personas, django_assert_max_num_queries):
    conversations = [personas.conversation() for _ in range(6)]
    items = [
        IncomingMessage(c, personas.customer, f"Message {n}") for n, c in enumerate(conversations)
    ]
    # two savepoints, the lock, participants, messages, search, update, events, the effort
    # listener's batch (three), and the handoffs listener's one look-up per message received
    with django_assert_max_num_queries(13 + len(items)), transaction.atomic(), hooks.batched():
        actions.add_incoming_messages(items)
