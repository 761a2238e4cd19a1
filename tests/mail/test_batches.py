"""Processing stored emails in batches: one transaction for several emails, each in its own
savepoint, with the effort listener folding once per batch. The desk must end up exactly as if
each email had been processed alone, and one email's trouble must never touch the others."""

from __future__ import annotations

import pytest

from helpmate.desk import hooks
from helpmate.desk.models import Conversation, Event, Message
from helpmate.effort.models import ConversationEffort
from helpmate.effort.rebuild import rebuild
from helpmate.mail import deliver as deliver_module
from helpmate.mail import intake
from helpmate.mail.models import AddressHealth, InboundEmail, InboundState
from helpmate.mail.process import process_pending
from tests.crash.harness import MARKER, build_messages

from .conftest import corpus_bytes


def _store(mailbox, count: int, seed: int = 7) -> list[tuple[str, bytes]]:
    messages = build_messages(count, seed)
    for _kind, raw in messages:
        intake.receive(
            raw.replace(b"support@crash.example", mailbox.address.encode()), source="smtp"
        )
    return messages


def _effort_rows() -> dict[int, dict]:
    skip = {"conversation"}
    return {
        row.pk: {
            f.name: getattr(row, f.attname)
            for f in ConversationEffort._meta.concrete_fields
            if f.name not in skip
        }
        for row in ConversationEffort.objects.order_by("pk")
    }


def test_batched_effort_equals_folding_the_whole_log_again(personas, mailbox, settings) -> None:
    settings.HELPMATE_MAIL_BATCH = 20
    _store(mailbox, 120)
    assert process_pending() == 120
    assert set(InboundEmail.objects.values_list("state", flat=True)) <= {"processed", "ignored"}
    batched = _effort_rows()
    assert len(batched) == Conversation.objects.count() > 50
    rebuild(full=True)
    assert _effort_rows() == batched


def test_one_bad_email_in_a_batch_is_quarantined_alone(personas, mailbox, monkeypatch) -> None:
    messages = _store(mailbox, 30)
    # One that opens a conversation: those are written together, so its failure fails the lot
    # first, and only the one-at-a-time retry finds the culprit.
    index = next(i for i, (kind, _) in enumerate(messages) if kind == "new" and i >= 10)
    poisoned = InboundEmail.objects.order_by("pk")[index]
    marker = f"{MARKER}{index:05d}"
    real = deliver_module.open_conversations
    tried: list[int] = []

    def fails_on_one(drafts):
        tried.append(len(drafts))
        if any(marker in draft.text for draft in drafts):
            raise RuntimeError("the search index is full")
        return real(drafts)

    monkeypatch.setattr(deliver_module, "open_conversations", fails_on_one)
    assert process_pending() == 30
    poisoned.refresh_from_db()
    assert poisoned.state == InboundState.QUARANTINED
    assert "the search index is full" in poisoned.reason
    assert max(tried) > 1  # tried together with others first
    others = InboundEmail.objects.exclude(pk=poisoned.pk)
    assert set(others.values_list("state", flat=True)) <= {"processed", "ignored"}
    # Every conversation the batch wrote has its effort row, folded to its last event.
    for conv in Conversation.objects.all():
        effort = ConversationEffort.objects.get(pk=conv.pk)
        relevant = Event.objects.filter(conversation=conv, type__in=["created", "message_received"])
        assert effort.last_event_id >= max(relevant.values_list("pk", flat=True))


def test_a_failing_batch_listener_falls_back_to_one_email_at_a_time(
    personas, mailbox, monkeypatch
) -> None:
    messages = _store(mailbox, 25)
    index = next(i for i, (kind, _) in enumerate(messages) if kind == "new" and i >= 3)
    poisoned = InboundEmail.objects.order_by("pk")[index]
    marker = f"{MARKER}{index:05d}"
    seen_batches: list[int] = []

    def refuses_one(events: list[Event]) -> None:
        seen_batches.append(len(events))
        touched = Message.objects.filter(conversation__in={e.conversation_id for e in events})
        if touched.filter(text__contains=marker).exists():
            raise RuntimeError("a listener bug")

    def live(event: Event) -> None:
        return None

    monkeypatch.setattr(hooks, "_listeners", [*hooks._listeners, live])
    monkeypatch.setattr(hooks, "_batch", {**hooks._batch, live: refuses_one})
    assert process_pending() == 25
    poisoned.refresh_from_db()
    assert poisoned.state == InboundState.QUARANTINED and "a listener bug" in poisoned.reason
    assert InboundEmail.objects.filter(state=InboundState.PROCESSED).count() >= 20
    assert max(seen_batches) > 1  # it was tried as a batch first


def test_a_bounce_then_an_email_from_that_address_in_one_batch_clears_it(personas, mailbox) -> None:
    intake.receive(corpus_bytes("dsn_bounce.eml"), source="smtp", mailbox=mailbox)
    intake.receive(corpus_bytes("gmail_alternative.eml"), source="smtp", mailbox=mailbox)
    assert process_pending() == 2
    health = AddressHealth.objects.get(contact_email__email="carla@acme.example")
    assert not health.bouncing  # she wrote after the bounce: her address works


def test_an_address_that_bounced_before_the_batch_is_cleared_when_its_owner_writes(
    personas, mailbox
) -> None:
    intake.receive(corpus_bytes("dsn_bounce.eml"), source="smtp", mailbox=mailbox)
    process_pending()
    assert AddressHealth.objects.get(contact_email__email="carla@acme.example").bouncing
    intake.receive(corpus_bytes("gmail_alternative.eml"), source="smtp", mailbox=mailbox)
    process_pending()
    assert not AddressHealth.objects.get(contact_email__email="carla@acme.example").bouncing


@pytest.mark.django_db
def test_batched_blocks_hand_events_over_once_and_drop_those_of_a_failed_inner_block(
    monkeypatch,
) -> None:
    calls: list[list[str]] = []
    live_calls: list[str] = []

    def live(event) -> None:
        live_calls.append(event.type)

    monkeypatch.setattr(hooks, "_listeners", [live])
    monkeypatch.setattr(
        hooks, "_batch", {live: lambda events: calls.append([e.type for e in events])}
    )

    class Fake:
        def __init__(self, type_: str) -> None:
            self.type = type_

    with hooks.batched():
        with hooks.batched():
            hooks.event_recorded(Fake("kept"))  # type: ignore[arg-type]
        with pytest.raises(RuntimeError), hooks.batched():
            hooks.event_recorded(Fake("rolled back"))  # type: ignore[arg-type]
            raise RuntimeError
        assert calls == []  # nothing until the outer block ends
    assert calls == [["kept"]]
    assert live_calls == []
    hooks.event_recorded(Fake("alone"))  # type: ignore[arg-type]
    assert live_calls == ["alone"] and calls == [["kept"]]


@pytest.mark.parametrize("size", [1, 2, 3, 20])
def test_the_per_sender_limit_counts_the_same_whatever_the_batch_size(
    personas, mailbox, settings, size
) -> None:
    settings.HELPMATE_MAIL_MAX_PER_SENDER_PER_HOUR = 3
    settings.HELPMATE_MAIL_BATCH = size
    for i in range(7):
        raw = corpus_bytes("cp1252.eml").replace(b"cp1252-1", f"flood-{i}".encode())
        intake.receive(raw, source="smtp", mailbox=mailbox)
        if i == 2:  # a bounce in the middle is not the sender's own mail
            intake.receive(corpus_bytes("dsn_bounce.eml"), source="smtp", mailbox=mailbox)
    process_pending()
    states = list(
        InboundEmail.objects.exclude(kind="bounce").order_by("pk").values_list("state", flat=True)
    )
    assert states == [InboundState.PROCESSED] * 3 + [InboundState.QUARANTINED] * 4


def _acknowledged() -> list[tuple[str, str]]:
    from helpmate.outbox.models import OutboundEmail, OutboundKind

    rows = OutboundEmail.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT)
    return sorted((r.conversation.requester.primary_email, r.conversation.subject) for r in rows)


def test_a_batch_acknowledges_exactly_whom_one_email_at_a_time_would(
    personas, mailbox, settings
) -> None:
    """The acknowledgement's batch form: each new requester once, for their first conversation;
    nobody who wrote before, no automatic mail, no bouncing address."""
    from django.db import transaction

    settings.HELPMATE_ACKNOWLEDGE = True
    results = []
    for size in (1, 20):
        settings.HELPMATE_MAIL_BATCH = size
        rollback = transaction.savepoint()
        intake.receive(corpus_bytes("mailing_list.eml"), source="smtp", mailbox=mailbox)
        intake.receive(corpus_bytes("dsn_bounce.eml"), source="smtp", mailbox=mailbox)
        _store(mailbox, 120, seed=3)
        process_pending()
        results.append(_acknowledged())
        transaction.savepoint_rollback(rollback)
    one_at_a_time, batched = results
    assert batched == one_at_a_time
    requesters = [email for email, _ in batched]
    assert len(requesters) == len(set(requesters)) > 10  # each new requester once


def test_a_reply_to_an_email_whose_writing_was_rolled_back_does_not_thread_to_its_number(
    personas, mailbox, monkeypatch
) -> None:
    """The batch remembers which conversation its emails were given (for later emails that quote
    them), and forgets it when the savepoint that wrote it is rolled back: SQLite hands a
    rolled-back conversation's number to the next conversation opened."""
    from email.message import EmailMessage

    from helpmate.mail import outcomes

    def email(n: int, sender: str, subject: str, **headers: str) -> bytes:
        msg = EmailMessage()
        msg["Message-ID"] = f"<rolled{n}@firm.example>"
        msg["From"] = sender
        msg["To"] = mailbox.address
        msg["Subject"] = subject
        for name, value in headers.items():
            msg[name.replace("_", "-")] = value
        msg.set_content(f"Text {n}\n")
        return msg.as_bytes()

    first, second, third = (
        intake.receive(raw, source="smtp", mailbox=mailbox)
        for raw in (
            email(1, "ann@firm.example", "First"),
            email(2, "bob@firm.example", "Second"),
            email(3, "cat@firm.example", "Re: First", In_Reply_To="<rolled1@firm.example>"),
        )
    )
    real_save = InboundEmail.save

    def not_together(rows, outcomes, at):  # so each is written alone, in a savepoint
        raise RuntimeError("not together")

    def refused_once_written(self, *args, **kwargs):
        if self.pk == first.pk and self.conversation_id is not None:
            raise RuntimeError("the disk is full")  # after the outcome was set
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(outcomes, "record_many", not_together)
    monkeypatch.setattr(InboundEmail, "save", refused_once_written)
    assert process_pending() == 3
    monkeypatch.undo()
    first, second, third = (InboundEmail.objects.get(pk=row.pk) for row in (first, second, third))
    assert first.state == InboundState.QUARANTINED and "the disk is full" in first.reason
    assert second.state == third.state == InboundState.PROCESSED
    assert third.conversation_id != second.conversation_id
    assert third.reason.startswith("Opened")
