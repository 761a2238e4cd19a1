"""Row locks that serialise transitions must not block other transactions' foreign-key checks.

On PostgreSQL, inserting a row that references a conversation takes a KEY SHARE lock on the
conversation at commit (Django's foreign keys are deferred). ``SELECT ... FOR UPDATE`` conflicts
with that, which deadlocked two mail workers (one holding an effort row while its commit checked a
key held by the other); the desk's locks are ``FOR NO KEY UPDATE``, which serialise the lockers
among themselves but let the key checks through.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from helpmate.desk.actions import lock_conversation
from helpmate.desk.models import Event, EventType

pytestmark = pytest.mark.django_db(transaction=True)


only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row lock modes are PostgreSQL's"
)


@contextmanager
def held_by_another_transaction(conv) -> Iterator[None]:
    """Another thread (its own connection) holds the conversation's action lock meanwhile."""
    locked = threading.Event()
    release = threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                lock_conversation(conv)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        yield
    finally:
        release.set()
        holder.join(10)


def _lock_timeout(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{value}'")


@only_postgresql
def test_a_locked_conversation_still_accepts_events_from_another_transaction(personas) -> None:
    conv = personas.conversation()
    with held_by_another_transaction(conv), transaction.atomic():
        _lock_timeout("2s")
        Event.objects.create(
            conversation=conv, type=EventType.TAGGED, created_at=timezone.now(), data={}
        )
        # The deferred key check runs at the end of this block: it must not wait for the holder.
    assert Event.objects.filter(conversation=conv, type=EventType.TAGGED).count() == 1


@only_postgresql
def test_two_lockers_of_one_conversation_still_wait_for_each_other(personas) -> None:
    conv = personas.conversation()
    refused = pytest.raises(OperationalError, match="lock timeout")
    with held_by_another_transaction(conv), refused, transaction.atomic():
        _lock_timeout("300ms")
        lock_conversation(conv)
