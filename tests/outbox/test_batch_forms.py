"""The outbox's batch forms: acknowledgements for a batch of new conversations, several rows
queued with one INSERT, the teams' sending addresses in one query. Each must give exactly what
the one-at-a-time form gives."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from helpmate.desk import actions as desk
from helpmate.desk import hooks
from helpmate.desk.models import Channel, Conversation
from helpmate.mail.actions import save_mailbox
from helpmate.outbox.models import OutboundEmail, OutboundKind, OutboundState
from helpmate.outbox.queue import outbound_email, queue_email, queue_emails, suppressed
from helpmate.outbox.replies import portal_link, team_address, team_addresses
from helpmate.people import actions as people
from helpmate.service import targets

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
NEW_REQUESTERS = 4


@pytest.fixture
def no_targets(monkeypatch):
    """No first-response target anywhere: acknowledgements estimate from the team's queue."""
    monkeypatch.setattr(targets, "BUILT_IN", targets.Targets())
    targets.invalidate_cache()
    yield
    targets.invalidate_cache()


def _open(requester, team, at, subject="Where is my parcel?"):
    return desk.create_conversation(
        requester=requester,
        subject=subject,
        text="It should have arrived on Friday.",
        channel=Channel.EMAIL,
        team=team,
        at=at,
    )


def _queue_history(personas, team) -> None:
    """Six conversations answered after two hours, three still waiting, and one waiting in
    another team (which is not counted)."""
    for i in range(6):
        opened = START - timedelta(days=2) + timedelta(minutes=i)
        answered = _open(personas.other_customer, team, opened)
        desk.add_reply(
            conversation=answered,
            agent=personas.agent,
            text="On it",
            at=opened + timedelta(hours=2),
        )
    for i in range(3):
        _open(personas.other_customer, team, START - timedelta(hours=3 - i))
    other = personas.billing if team is not None else personas.support
    _open(personas.supplier, other, START - timedelta(hours=1))


def _acknowledgements(*, batched: bool, requesters, team) -> list[str]:
    """Open a conversation for each requester (one at a time, or in one batch) and return the
    acknowledgements' texts in that order; everything is rolled back afterwards."""
    rollback = transaction.savepoint()
    block = hooks.batched() if batched else contextlib.nullcontext()
    with block:
        opened = [
            _open(r, team, START + timedelta(minutes=i), subject=f"Question {i}")
            for i, r in enumerate(requesters)
        ]
    texts = []
    for conversation in opened:
        ack = OutboundEmail.objects.get(
            conversation=conversation, kind=OutboundKind.ACKNOWLEDGEMENT
        )
        # The link names the conversation's id, which only PostgreSQL does not roll back.
        texts.append(ack.text.replace(portal_link(conversation), "<link>"))
    transaction.savepoint_rollback(rollback)
    return texts


@pytest.mark.usefixtures("no_targets")
@pytest.mark.parametrize("in_team", [True, False], ids=["team", "no_team"])
def test_a_batch_of_new_conversations_is_told_what_one_at_a_time_would_tell_them(
    personas, settings, in_team
):
    team = personas.support if in_team else None
    _queue_history(personas, team)
    requesters = [
        people.create_contact(name=f"New Person {i}", emails=[f"new{i}@example.net"])
        for i in range(NEW_REQUESTERS)
    ]
    settings.HELPMATE_ACKNOWLEDGE = True
    one_at_a_time = _acknowledgements(batched=False, requesters=requesters, team=team)
    batched = _acknowledgements(batched=True, requesters=requesters, team=team)
    assert batched == one_at_a_time
    # Each is behind the three that waited before and the batch's own earlier ones, not the
    # later ones (nor the other team's), and the recent answers took two hours.
    for i, text in enumerate(batched):
        assert f"{3 + i} conversations are ahead of yours." in text
        assert "Lately our first answer has taken about 2 hours." in text


def test_a_batch_with_a_due_time_says_the_due_time(personas, settings) -> None:
    settings.HELPMATE_ACKNOWLEDGE = True
    requesters = [personas.customer, personas.other_customer]
    one_at_a_time = _acknowledgements(batched=False, requesters=requesters, team=personas.support)
    batched = _acknowledgements(batched=True, requesters=requesters, team=personas.support)
    assert batched == one_at_a_time
    assert all("You can expect a first answer today by" in text for text in batched)


def _fields(row: OutboundEmail) -> dict:
    skip = {"id", "message_id"}  # the Message-ID's number is random
    return {f.name: getattr(row, f.attname) for f in OutboundEmail._meta.concrete_fields} | {
        f: None for f in skip
    }


def test_queueing_many_at_once_writes_what_queueing_each_writes(
    personas, django_capture_on_commit_callbacks
) -> None:
    conv = personas.conversation()
    at = START
    specs = [
        {"to": ["carla@acme.example"], "subject": "Hello  there", "text": "Hi", "at": at},
        {"to": [], "skipped": {"x@example.com": "bounced"}, "subject": "Hi", "text": "-", "at": at},
    ]
    with django_capture_on_commit_callbacks() as one_by_one:
        singles = [queue_email(conversation=conv, **spec) for spec in specs]
    with django_capture_on_commit_callbacks() as together:
        many = [outbound_email(conversation=conv, **spec) for spec in specs]
        queue_emails(many)
    assert all(e.pk is not None for e in many)
    assert [_fields(OutboundEmail.objects.get(pk=e.pk)) for e in many] == [
        _fields(OutboundEmail.objects.get(pk=e.pk)) for e in singles
    ]
    assert [e.state for e in many] == [OutboundState.QUEUED, OutboundState.FAILED]
    assert len(together) == len(one_by_one) == 1  # the queued one is sent after commit
    with suppressed():
        quiet = [outbound_email(conversation=conv, **specs[0])]
        queue_emails(quiet)
    assert quiet[0].pk is None and quiet[0].state == OutboundState.CANCELLED


def test_the_teams_sending_addresses_come_from_one_query(personas, settings) -> None:
    save_mailbox(address="help@northwind.example", team=personas.support, name="Help")
    conversations = [
        personas.conversation(),  # a mailbox
        personas.conversation(team=personas.billing),  # the team's own address
        desk.create_conversation(requester=personas.customer, subject="No team", text="Hi"),
    ]
    pks = [c.pk for c in conversations]
    conversations = list(Conversation.objects.select_related("team").filter(pk__in=pks))
    with CaptureQueriesContext(connection) as queries:
        found = team_addresses(conversations)
    assert len(queries) == 1
    assert found == {
        personas.support.pk: "help@northwind.example",
        personas.billing.pk: "billing@example.com",
        None: settings.DEFAULT_FROM_EMAIL,
    }
    assert found == {c.team_id: team_address(c) for c in conversations}
