"""Processors take turns on PostgreSQL: one batch is read, parsed and written at a time.

Two processors side by side (the worker's schedule and the SMTP listener's drain, say) created
the same contacts and locked the same conversations, and waited for or deadlocked each other.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from helpmate.mail import intake
from helpmate.mail.models import InboundEmail, InboundState
from helpmate.mail.process import _WRITER_LOCK, process_pending
from tests.crash.harness import build_messages

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="an advisory lock"),
]


def _store(mailbox, count: int) -> None:
    for _kind, raw in build_messages(count, 5):
        raw = raw.replace(b"support@crash.example", mailbox.address.encode())
        intake.receive(raw, source="smtp", mailbox=mailbox)


def _in_thread(target, results: list) -> threading.Thread:
    def run() -> None:
        try:
            results.append(target())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_processor_waits_while_another_holds_the_turn(mailbox) -> None:
    _store(mailbox, 5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_WRITER_LOCK])
    done: list[int] = []
    try:
        waiting = _in_thread(process_pending, done)
        time.sleep(0.5)
        assert not done
        assert InboundEmail.objects.filter(state=InboundState.RECEIVED).count() == 5
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_WRITER_LOCK])
    waiting.join(30)
    assert done == [5]


def test_two_processors_at_once_handle_every_email_once(mailbox, settings) -> None:
    settings.HELPMATE_MAIL_BATCH = 10
    _store(mailbox, 120)
    done: list[int] = []
    threads = [_in_thread(process_pending, done) for _ in range(2)]
    for thread in threads:
        thread.join(60)
    assert sum(done) == 120
    states = set(InboundEmail.objects.values_list("state", flat=True))
    assert states <= {InboundState.PROCESSED, InboundState.IGNORED}
    with connection.cursor() as cursor:  # nobody holds the turn afterwards
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_WRITER_LOCK])
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT pg_advisory_unlock(%s)", [_WRITER_LOCK])
