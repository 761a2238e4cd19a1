"""Threading: reply tokens, References, the narrow subject fallback, reopening and follow-ups,
Cc participants, merged conversations."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.desk.models import Conversation, Event, EventType, Status
from helpmate.mail import tokens

from .conftest import corpus_bytes, thread_values


def _reply(conv_id: int, **overrides: str) -> bytes:
    values = thread_values(conv_id)
    values.update(overrides)
    return corpus_bytes("iphone_reply.eml", **values)


def test_reply_token_in_the_address_alone_threads_the_reply(personas, deliver) -> None:
    conv = personas.conversation()
    inbound = deliver(_reply(conv.pk, OUR_MID="<unknown@elsewhere.example>", CONV="x"))
    assert inbound.conversation == conv
    assert "reply address" in inbound.reason


def test_our_message_id_in_references_alone_threads_the_reply(personas, deliver) -> None:
    conv = personas.conversation()
    inbound = deliver(_reply(conv.pk, REPLY_TO="support@northwind.example", CONV="x"))
    assert inbound.conversation == conv


def test_a_forged_token_threads_nothing(personas, deliver) -> None:
    conv = personas.conversation()
    other = personas.conversation(requester=personas.other_customer)
    # The signature of one conversation's token with another conversation's id.
    signature = tokens.reply_token(other.pk).split("-")[1]
    forged = f"support+{tokens.reply_token(conv.pk).split('-')[0]}-{signature}@northwind.example"
    raw = _reply(other.pk, OUR_MID="<a@b>", REPLY_TO=forged, CONV="x")
    before = Conversation.objects.count()
    deliver(raw)
    assert Conversation.objects.count() == before + 1  # a new conversation, not someone else's


def test_references_to_an_earlier_inbound_email_thread_the_reply(personas, deliver) -> None:
    first = deliver(corpus_bytes("cp1252.eml"))
    raw = (
        b"From: Tom Baker <tom@baker.example>\nTo: support@northwind.example\n"
        b"Subject: more about it\nMessage-ID: <follow-1@baker.example>\n"
        b"In-Reply-To: <cp1252-1@baker.example>\n\nAnd one more thing.\n"
    )
    assert deliver(raw).conversation == first.conversation


def test_subject_fallback_needs_the_same_sender(personas, deliver) -> None:
    conv = personas.conversation(subject="Broken hinge")
    same = (
        b"From: carla@acme.example\nTo: support@northwind.example\n"
        b"Subject: Re: Broken hinge\nMessage-ID: <s1@acme.example>\n\nStill broken.\n"
    )
    stranger = same.replace(b"carla@acme.example", b"mallory@evil.example").replace(
        b"<s1@", b"<s2@"
    )
    assert deliver(same).conversation == conv
    assert deliver(stranger).conversation != conv


def test_bracketed_id_in_the_subject_needs_a_taking_part_sender(personas, deliver) -> None:
    conv = personas.conversation()
    raw = (
        f"From: dan@globex.example\nTo: support@northwind.example\n"
        f"Subject: Something [#{conv.pk}]\nMessage-ID: <b1@globex.example>\n\nHi\n"
    ).encode()
    assert deliver(raw).conversation != conv
    own = raw.replace(b"dan@globex.example", b"carla@acme.example").replace(b"<b1@", b"<b2@")
    assert deliver(own).conversation == conv


def test_a_reply_reopens_a_recently_resolved_conversation(personas, deliver) -> None:
    conv = personas.conversation()
    desk.change_status(conversation=conv, actor=personas.agent, status=Status.RESOLVED)
    inbound = deliver(_reply(conv.pk))
    conv.refresh_from_db()
    assert inbound.conversation == conv and conv.status == Status.OPEN
    assert Event.objects.filter(conversation=conv, type=EventType.REOPENED).exists()


def test_a_late_reply_opens_a_linked_follow_up(personas, deliver, settings) -> None:
    settings.HELPMATE_MAIL_REOPEN_DAYS = 14
    long_ago = timezone.now() - timedelta(days=20)
    with time_machine.travel(long_ago, tick=False):
        conv = personas.conversation()
        desk.change_status(conversation=conv, actor=personas.agent, status=Status.RESOLVED)
    inbound = deliver(_reply(conv.pk))
    conv.refresh_from_db()
    follow_up = inbound.conversation
    assert follow_up != conv and follow_up.follow_up_of == conv
    assert conv.status == Status.RESOLVED
    assert Event.objects.filter(conversation=follow_up, type=EventType.FOLLOW_UP_OPENED).exists()
    assert Event.objects.filter(conversation=conv, type=EventType.FOLLOW_UP_OPENED).exists()


def test_cc_people_become_participants_but_not_our_addresses(personas, deliver) -> None:
    conv = personas.conversation()
    deliver(corpus_bytes("thunderbird_signature.eml", **thread_values(conv.pk)))
    emails = set(conv.participants.values_list("emails__email", flat=True))
    assert "lena@baker.example" in emails and "tom@baker.example" in emails
    assert not any("northwind.example" in e for e in emails)
    assert Event.objects.filter(conversation=conv, type=EventType.PARTICIPANT_ADDED).exists()


def test_a_reply_to_a_merged_conversation_lands_in_the_surviving_one(personas, deliver) -> None:
    source = personas.conversation()
    target = personas.conversation(subject="Main thread")
    desk.merge_conversations(source=source, target=target, actor=personas.agent)
    assert deliver(_reply(source.pk)).conversation == target
