"""The outbox against a real SMTP server: sent once after commit, retried, failed, recovered."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from helpmate.desk.models import EventType
from helpmate.outbox import actions, queue_email, suppressed
from helpmate.outbox.models import OutboundEmail, OutboundState

pytestmark = pytest.mark.django_db(transaction=True)


def queue(**kwargs):
    defaults = {"to": ["carla@acme.example"], "subject": "Hello", "text": "Plain words"}
    return queue_email(**(defaults | kwargs))


def test_queued_email_is_sent_once_after_commit(smtp_server):
    with transaction.atomic():
        row = queue(html="<p>Rich words</p>", attachments=[("notes.txt", b"a file", "text/plain")])
        assert smtp_server.received == []  # nothing leaves before the commit
    row.refresh_from_db()
    assert row.state == OutboundState.SENT and row.attempts == 1
    [got] = smtp_server.received
    assert got.rcpt_tos == ["carla@acme.example"]
    msg = got.message
    assert msg["Message-ID"] == f"<{row.message_id}>"
    assert msg.get_content_type() == "multipart/mixed"
    alternative = next(p for p in msg.iter_parts() if p.get_content_type().startswith("multipart"))
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    [attached] = list(msg.iter_attachments())
    assert attached.get_filename() == "notes.txt" and attached.get_content() == "a file"
    # A second run of the worker finds nothing to do.
    assert actions.send_queued(row.pk) is None
    assert actions.send_due() == {"recovered": 0}
    assert len(smtp_server.received) == 1


def test_rolled_back_transaction_sends_nothing(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the reply failed")
    assert OutboundEmail.objects.count() == 0
    assert smtp_server.received == []


def test_suppressed_block_queues_nothing(smtp_server):
    with suppressed():
        row = queue()
    assert row.pk is None and OutboundEmail.objects.count() == 0
    assert smtp_server.received == []


def test_server_down_is_retried_with_backoff_and_sent_once_when_back(smtp_server, settings):
    settings.HELPMATE_OUTBOX_BACKOFF_SECONDS = 60
    smtp_server.stop()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        row = queue()
    row.refresh_from_db()
    assert row.state == OutboundState.QUEUED and row.attempts == 1
    assert row.next_attempt_at == start + timedelta(seconds=60)
    assert "Cannot reach the mail server" in row.last_error
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        actions.send_due()  # still down: the second wait is twice as long
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at == start + timedelta(seconds=61 + 120)
    smtp_server.start()
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        assert actions.send_due() == {"recovered": 0}  # not due yet
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        assert actions.send_due()["sent"] == 1
        actions.send_due()
    row.refresh_from_db()
    assert row.state == OutboundState.SENT and row.attempts == 3
    assert len(smtp_server.received) == 1


@pytest.mark.parametrize(
    ("refuse", "data_reply", "state", "error"),
    [
        ({"carla@acme.example": "550 5.1.1 mailbox unknown"}, "", "failed", "550 5.1.1 mailbox"),
        ({"carla@acme.example": "450 4.2.1 try later"}, "", "queued", "450 4.2.1"),
        ({}, "451 4.3.0 temporary trouble", "queued", "451 4.3.0"),
        ({}, "554 5.7.1 rejected as spam", "failed", "554 5.7.1"),
    ],
)
def test_server_answers_decide_between_retry_and_failure(
    smtp_server, refuse, data_reply, state, error
):
    smtp_server.handler.refuse = refuse
    smtp_server.handler.data_reply = data_reply
    row = queue()
    row.refresh_from_db()
    assert row.state == state
    assert error in row.last_error
    assert smtp_server.received == []


def test_refused_recipient_is_recorded_while_the_others_get_it(smtp_server):
    smtp_server.handler.refuse = {"gone@acme.example": "550 5.1.1 mailbox unknown"}
    row = queue(to=["carla@acme.example", "gone@acme.example"])
    row.refresh_from_db()
    assert row.state == OutboundState.SENT
    assert row.refused == {"gone@acme.example": "550 5.1.1 mailbox unknown"}
    assert smtp_server.received[0].rcpt_tos == ["carla@acme.example"]


def test_gives_up_after_the_last_attempt(smtp_server, settings):
    settings.HELPMATE_OUTBOX_MAX_ATTEMPTS = 2
    settings.HELPMATE_OUTBOX_BACKOFF_SECONDS = 1
    smtp_server.handler.data_reply = "421 4.3.2 shutting down"
    row = queue()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        actions.send_due()
    row.refresh_from_db()
    assert row.state == OutboundState.FAILED and row.attempts == 2
    assert row.last_error.startswith("Gave up after 2 attempts")


def test_failure_on_a_conversation_is_logged_for_the_agent(smtp_server, personas):
    conv = personas.conversation()
    smtp_server.handler.refuse = {"carla@acme.example": "550 5.1.1 mailbox unknown"}
    queue(conversation=conv)
    event = conv.events.get(type=EventType.EMAIL_FAILED)
    assert event.data["state"] == "failed" and "550" in event.data["error"]


def test_a_claimed_row_is_not_claimed_twice(smtp_server):
    with suppressed():
        pass
    row = OutboundEmail.objects.create(
        to=["carla@acme.example"],
        subject="x",
        text="x",
        from_email="a@b.example",
        message_id="x@b.example",
        created_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    now = timezone.now()
    assert actions._claim([row.pk], now) == 1
    assert actions._claim([row.pk], now) == 0


def _crashed(state: str) -> OutboundEmail:
    """A row as a worker killed mid-send leaves it: claimed by a process that is gone."""
    now = timezone.now()
    return OutboundEmail.objects.create(
        to=["carla@acme.example"],
        subject="x",
        text="x",
        from_email="a@b.example",
        message_id="crash@b.example",
        created_at=now,
        next_attempt_at=now,
        state=state,
        attempts=1,
        claimed_at=now,
        claimed_by=actions.worker_identity().rsplit(":", 1)[0] + ":1",  # our pid, other start
    )


def test_crash_before_handover_is_sent_again_safely(smtp_server):
    row = _crashed(OutboundState.SENDING)
    assert actions.send_due()["sent"] == 1
    row.refresh_from_db()
    assert row.state == OutboundState.SENT
    assert len(smtp_server.received) == 1


def test_crash_during_handover_is_never_resent_blindly(smtp_server, personas):
    row = _crashed(OutboundState.HANDOVER)
    row.conversation = personas.conversation()
    row.save()
    actions.send_due()
    actions.send_due()
    row.refresh_from_db()
    assert row.state == OutboundState.UNKNOWN
    assert smtp_server.received == []
    assert row.conversation.events.filter(type=EventType.EMAIL_FAILED).count() == 1
    actions.send_again(email=row, agent=personas.agent)
    row.refresh_from_db()
    assert row.state == OutboundState.SENT
    assert len(smtp_server.received) == 1


def test_a_live_workers_row_is_left_alone_until_its_lease_ends(smtp_server, settings):
    row = _crashed(OutboundState.HANDOVER)
    row.claimed_by = actions.worker_identity()  # this very process: alive
    row.save()
    assert actions.recover_stale() == 0
    settings.HELPMATE_OUTBOX_LEASE_SECONDS = 60
    assert actions.recover_stale(at=timezone.now() + timedelta(seconds=61)) == 1


def test_a_lost_task_queue_loses_no_email_the_periodic_job_sends_it(smtp_server):
    from unittest import mock

    with mock.patch("helpmate.outbox.tasks.send_outbound") as task:
        task.enqueue.side_effect = RuntimeError("queue down")
        row = queue()  # the writer's transaction still succeeds
    row.refresh_from_db()
    assert row.state == OutboundState.QUEUED and smtp_server.received == []
    assert actions.send_due()["sent"] == 1
    assert len(smtp_server.received) == 1


def test_a_worker_whose_claim_was_taken_over_never_hands_the_email_over(smtp_server):
    row = _crashed(OutboundState.QUEUED)
    now = timezone.now()
    actions._claim([row.pk], now)
    # Judged dead (say, a lease ran out), re-queued and claimed by another worker meanwhile:
    OutboundEmail.objects.filter(pk=row.pk).update(claimed_by="elsewhere:1:2:3")
    result = actions._send_claimed(row.pk, claimed_by=actions.worker_identity(), claimed_at=now)
    assert result == "lost"
    assert smtp_server.received == []
    row.refresh_from_db()
    assert row.state == OutboundState.SENDING and row.claimed_by == "elsewhere:1:2:3"


def test_emails_queued_together_go_to_the_worker_as_one_task_and_each_is_sent_once(
    smtp_server, monkeypatch
):
    from helpmate.outbox import tasks
    from helpmate.outbox.queue import outbound_email, queue_emails

    handed: list[list[int]] = []
    real = tasks.send_outbound_many

    class Counting:
        def enqueue(self, pks):
            handed.append(list(pks))
            return real.enqueue(pks)

    monkeypatch.setattr(tasks, "send_outbound_many", Counting())
    with transaction.atomic():
        rows = [
            outbound_email(to=[f"person{i}@acme.example"], subject=f"Hello {i}", text="Words")
            for i in range(3)
        ]
        queue_emails(rows)
        assert handed == [] and smtp_server.received == []  # nothing before the commit
    assert handed == [[row.pk for row in rows]]  # one task for the three
    assert sorted(to for got in smtp_server.received for to in got.rcpt_tos) == [
        "person0@acme.example",
        "person1@acme.example",
        "person2@acme.example",
    ]
    for row in rows:
        row.refresh_from_db()
        assert row.state == OutboundState.SENT and row.attempts == 1


def test_one_email_of_a_task_that_fails_leaves_the_others_sent(smtp_server, monkeypatch):
    from helpmate.outbox.queue import outbound_email, queue_emails

    real = actions.send_queued
    with transaction.atomic():
        rows = [outbound_email(to=[f"p{i}@acme.example"], subject="Hi", text="W") for i in range(3)]

        def breaks_on_the_first(pk):
            if pk == rows[0].pk:
                raise RuntimeError("a bug in sending")
            return real(pk)

        monkeypatch.setattr(actions, "send_queued", breaks_on_the_first)
        queue_emails(rows)
    assert sorted(to for got in smtp_server.received for to in got.rcpt_tos) == [
        "p1@acme.example",
        "p2@acme.example",
    ]
    monkeypatch.setattr(actions, "send_queued", real)
    assert actions.send_due()["sent"] == 1  # the periodic job sends the one left queued
