"""The bulk generator writes what the actions would have written, only faster."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from django.db.models import Count, Max, Min, Q

from helpmate.desk import actions, bulk, search
from helpmate.desk.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Conversation,
    Event,
    Message,
    MessageKind,
    Status,
)
from helpmate.desk.sanitize import preview_of, text_to_html
from helpmate.people.models import Agent, Contact, ContactEmail, Organization

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def generated() -> bulk.Generated:
    return bulk.generate(
        conversations=1500, messages_per_conversation=5, contacts=120, seed=11, now=NOW
    )


def test_generated_conversations_have_consistent_denormalised_fields(generated):
    assert Conversation.objects.count() == 1500
    assert Contact.objects.count() == 120
    rows = Conversation.objects.annotate(
        n=Count("messages"),
        last_in=Max("messages__created_at", filter=Q(messages__kind=MessageKind.INCOMING)),
        first_out=Min("messages__created_at", filter=Q(messages__kind=MessageKind.REPLY)),
        last_out=Max("messages__created_at", filter=Q(messages__kind=MessageKind.REPLY)),
    )
    for conv in rows:
        assert conv.message_count == conv.n
        assert conv.last_customer_message_at == conv.last_in
        assert conv.first_reply_at == conv.first_out
        assert conv.last_reply_at == conv.last_out
        assert conv.created_at <= conv.updated_at <= NOW
        if conv.status in (Status.NEW, Status.OPEN):
            assert conv.waiting_since is not None
        else:
            assert conv.waiting_since is None
        assert (conv.resolved_at is not None) == (conv.status in DONE_STATUSES)
        if conv.status == Status.NEW:
            assert conv.owner_id is None and conv.first_reply_at is None
    assert generated.messages == Message.objects.count()
    assert generated.events == Event.objects.count()


def test_generated_previews_html_and_events_match_what_the_actions_write(generated):
    for conv in Conversation.objects.order_by("?")[:60]:
        thread = list(conv.messages.order_by("created_at", "pk"))
        spoken = [m for m in thread if m.kind != MessageKind.NOTE]
        assert conv.preview == preview_of(spoken[-1].text)
        for message in thread:
            assert message.html == text_to_html(message.text)
        events = list(conv.events.order_by("created_at", "pk"))
        assert [e.type for e in events[:2]] == ["created", "message_received"]
        assert sum(e.type == "message_received" for e in events) == sum(
            m.kind == MessageKind.INCOMING for m in thread
        )
        assert sum(e.type == "replied" for e in events) == sum(
            m.kind == MessageKind.REPLY for m in thread
        )
        changes = [e for e in events if e.type == "status_changed"]
        if changes:
            assert changes[-1].data["status"] == conv.status
            for before, after in itertools.pairwise(changes):
                assert after.data["previous"] == before.data["status"]
        else:
            assert conv.status == Status.NEW


def test_generated_data_has_a_realistic_mix(generated):
    by_status = dict(Conversation.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert set(by_status) == set(Status.values)
    still_open = sum(by_status.get(s, 0) for s in OPEN_STATUSES)
    assert 0.03 <= still_open / 1500 <= 0.10
    span = Conversation.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (span["last"] - span["first"]).days > 600
    assert Conversation.objects.values("owner").distinct().count() >= 10
    assert Conversation.objects.filter(tags__isnull=False).exists()
    assert Message.objects.filter(kind=MessageKind.NOTE).exists()
    assert Organization.objects.exists()
    assert ContactEmail.objects.count() == 120
    assert Agent.objects.count() >= 24


def test_search_finds_generated_text(generated):
    message = Message.objects.filter(text__contains="order NW").order_by("pk")[200]
    order = next(word for word in message.text.split() if word.startswith("NW"))
    assert message.conversation_id in search.matching_conversation_ids(order.strip(".,:;"))
    conv = message.conversation
    assert conv.pk in search.matching_conversation_ids(conv.subject)


def test_generating_twice_adds_more_and_the_actions_still_work_afterwards(generated):
    bulk.generate(conversations=50, contacts=5, seed=12, now=NOW)
    assert Conversation.objects.count() == 1550
    assert Contact.objects.count() == 125
    # Ids were set explicitly: the next ordinary insert must not collide (PostgreSQL sequences).
    contact = Contact.objects.order_by("pk").first()
    assert contact is not None
    conv = actions.create_conversation(requester=contact, subject="After the bulk", text="Hello")
    assert conv.pk > Conversation.objects.exclude(pk=conv.pk).aggregate(m=Max("pk"))["m"]


def test_a_thread_of_thirty_messages_exists_at_the_default_scale():
    bulk.generate(conversations=3000, contacts=50, seed=3, now=NOW)
    assert Conversation.objects.filter(message_count__gte=30).exists()


@pytest.mark.parametrize(
    ("model", "columns", "auto_id"),
    [
        (Conversation, bulk.CONVERSATION_COLUMNS, False),
        (Message, bulk.MESSAGE_COLUMNS, False),
        (Event, bulk.EVENT_COLUMNS, True),
        (Contact, bulk.CONTACT_COLUMNS, False),
        (Organization, bulk.ORGANIZATION_COLUMNS, False),
        (ContactEmail, bulk.EMAIL_COLUMNS, False),
    ],
)
def test_the_generator_writes_every_column_of_the_tables_it_fills(model, columns, auto_id):
    """A new field on these models must be taught to the generator (this fails until it is)."""
    expected = {f.column for f in model._meta.concrete_fields}
    if auto_id:
        expected.discard("id")
    assert set(columns) == expected


def test_message_html_matches_text_to_html_for_awkward_text():
    for text in ["Tom & Jerry's <lamp>", 'He said "fine"', "plain words"]:
        assert bulk.message_html(text) == text_to_html(text)


def test_generate_refuses_nonsense():
    with pytest.raises(ValueError, match="at least one"):
        bulk.generate(conversations=0)


@pytest.mark.django_db(transaction=True)
def test_generate_command_outside_a_test_transaction_commits_batch_by_batch():
    from django.core.management import call_command

    call_command("generate", "--conversations", "120", "--batch-size", "50", "--contacts", "10",
                 "--no-progress")  # fmt: skip
    assert Conversation.objects.count() == 120
    assert search.matching_conversation_ids("order")
    contact = Contact.objects.first()
    assert contact is not None
    actions.create_conversation(requester=contact, subject="Next one", text="Still works")
    assert Conversation.objects.count() == 121
