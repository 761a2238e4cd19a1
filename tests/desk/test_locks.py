"""Row locks that serialise transitions must not block other transactions' foreign-key checks.

On PostgreSQL, inserting a row that references a conversation takes a KEY SHARE lock on the
conversation at commit (Django's foreign keys are deferred). ``SELECT ... FOR UPDATE`` conflicts
with that, which deadlocked two mail workers (one holding an effort row while its commit checked a
key held by the other); the desk's locks are ``FOR NO KEY UPDATE``, which serialise the lockers
among themselves but let the key checks through.
"""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from helpmate.desk.actions import lock_conversation
from helpmate.desk.models import Event, EventType

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row lock modes are PostgreSQL's")
def test_a_locked_conversation_still_accepts_events_from_another_transaction(personas) -> None:
    conv = personas.conversation()
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
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Event.objects.create(
                conversation=conv, type=EventType.TAGGED, created_at=timezone.now(), data={}
            )
            # The deferred key check runs here: it must not wait for the holder.
    finally:
        release.set()
        holder.join(10)
    assert Event.objects.filter(conversation=conv, type=EventType.TAGGED).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row lock modes are PostgreSQL's")
def test_two_lockers_of_one_conversation_still_wait_for_each_other(personas) -> None:
    conv = personas.conversation()
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
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            lock_conversation(conv)
    finally:
        release.set()
        holder.join(10)
