"""The demo desk: enough believable data in every status, written through the actions."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Count

from helpmate.demo.cast import ADMIN_EMAIL, DEMO_PASSWORD
from helpmate.demo.scenarios import all_scenarios
from helpmate.demo.seed import seed_demo
from helpmate.desk import search
from helpmate.desk.models import (
    Conversation,
    Event,
    EventType,
    Message,
    MessageKind,
    Notification,
    Status,
)
from helpmate.people.models import Agent, Contact, Organization, Team

pytestmark = pytest.mark.django_db


def test_demo_seed_meets_the_promised_minimums_in_every_status():
    summary = seed_demo()
    assert summary is not None
    assert Team.objects.count() >= 3
    assert Agent.objects.count() >= 8
    assert set(Agent.objects.values_list("role", flat=True)) == {"agent", "lead", "admin"}
    assert Contact.objects.count() >= 150
    assert set(Contact.objects.values_list("kind", flat=True)) == {
        "customer",
        "colleague",
        "supplier",
    }
    assert set(Organization.objects.values_list("kind", flat=True)) == {
        "company",
        "department",
        "supplier",
    }
    assert Contact.objects.filter(kind="customer", organization__isnull=True).count() >= 20
    assert Contact.objects.exclude(preferred_name="").exists()
    assert Contact.objects.values("time_zone").distinct().count() >= 10

    assert Conversation.objects.count() >= 400
    statuses = set(Conversation.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert set(Conversation.objects.values_list("channel", flat=True)) >= {
        "email",
        "portal",
        "chat",
        "phone",
        "internal",
    }
    languages = set(Conversation.objects.values_list("requester__language", flat=True))
    assert {"de", "es", "fr", "pt"} <= languages
    assert Conversation.objects.filter(requester__language="de").count() >= 15

    threads = Conversation.objects.annotate(n=Count("messages")).filter(n__gte=4)
    assert threads.count() >= 150
    # The denormalised count matches the thread (merged sources hand their messages over).
    for conv in Conversation.objects.annotate(n=Count("messages"))[:100]:
        assert conv.message_count == conv.n

    oldest = Conversation.objects.order_by("created_at").first()
    newest = Conversation.objects.order_by("-created_at").first()
    assert oldest is not None and newest is not None
    assert (newest.created_at - oldest.created_at).days >= 45

    event_types = set(Event.objects.values_list("type", flat=True))
    assert {
        EventType.CREATED,
        EventType.MESSAGE_RECEIVED,
        EventType.REPLIED,
        EventType.NOTE,
        EventType.ASSIGNED,
        EventType.TRANSFERRED,
        EventType.STATUS_CHANGED,
        EventType.REOPENED,
        EventType.MERGED,
        EventType.TAGGED,
    } <= event_types
    assert Conversation.objects.filter(merged_into__isnull=False).count() >= 5
    assert Conversation.objects.filter(tags__isnull=False).distinct().count() >= 100
    notes = Message.objects.filter(kind=MessageKind.NOTE, text__startswith="@")
    assert notes.filter(mentions__isnull=False).distinct().count() >= 10
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert Message.objects.filter(text__startswith="Handoff:").exists()

    # Nothing was sent while seeding, and the demo's search finds what the threads say.
    assert mail.outbox == []
    assert search.matching_conversation_ids("Rücksendung") or search.matching_conversation_ids(
        "zurückgeben"
    )
    assert search.matching_conversation_ids("refund")

    # Each status matches where its thread stopped, and threads read in order.
    waiting = Conversation.objects.filter(status=Status.WAITING_CUSTOMER).first()
    assert waiting is not None
    last = waiting.messages.exclude(kind=MessageKind.NOTE).last()
    assert last is not None and last.kind == MessageKind.REPLY
    assert waiting.waiting_since is None
    for conv in Conversation.objects.filter(status__in=[Status.NEW, Status.OPEN]):
        assert conv.waiting_since is not None
    assert not Conversation.objects.filter(status=Status.NEW, owner__isnull=False).exists()
    times = list(Message.objects.values_list("created_at", flat=True))
    events = list(Event.objects.values_list("created_at", flat=True))
    assert max(times) <= max(events)
    for conv in Conversation.objects.filter(status=Status.CLOSED)[:50]:
        thread = list(conv.messages.values_list("created_at", flat=True))
        assert thread == sorted(thread)


def test_running_the_demo_again_keeps_the_data_and_adds_nothing(capsys, client):
    call_command("demo", "--seed-only")
    counts = (Conversation.objects.count(), Message.objects.count(), Contact.objects.count())
    out = capsys.readouterr().out
    assert ADMIN_EMAIL in out and DEMO_PASSWORD in out
    assert "outbox" in out
    assert client.login(username=ADMIN_EMAIL, password=DEMO_PASSWORD)
    call_command("demo", "--seed-only")
    assert "keeping it" in capsys.readouterr().out
    assert seed_demo() is None
    assert (Conversation.objects.count(), Message.objects.count(), Contact.objects.count()) == (
        counts
    )


def test_every_scenario_fills_all_its_placeholders():
    from helpmate.demo.plan import values_for

    class Org:
        name = "Harbourside Hotel Group"

    class Requester:
        organization = Org()
        greeting_name = "Sam"

    import random

    rng = random.Random(1)
    for scenario in all_scenarios():
        values = values_for(rng, scenario, Requester())  # type: ignore[arg-type]
        values.update(colleague="Tomasz", agent="Lucía")
        texts = [
            *scenario.subjects,
            *scenario.opening,
            scenario.reply,
            scenario.follow_up,
            scenario.resolution,
            scenario.thanks,
            scenario.check_note,
            scenario.check_reply,
            scenario.handoff,
        ]
        for text in texts:
            filled = text.format_map(values)
            assert "{" not in filled, (scenario.key, text)
        if scenario.check_note:
            assert scenario.check_note.startswith("@{colleague}"), scenario.key
