"""The periodic watch: broken when due, the owner warned before, the lead alerted after; each
once, however often the job runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from helpmate.desk.models import Event, EventType, Notification
from helpmate.outbox.models import OutboundEmail
from helpmate.promises import jobs
from helpmate.promises.models import PromiseState
from helpmate.web.schedule import JOBS
from tests.conftest import Personas
from tests.promises.helpers import MONDAY, promise

pytestmark = pytest.mark.django_db
DUE = MONDAY + timedelta(hours=6)


def test_the_watch_is_registered_as_a_periodic_job() -> None:
    assert JOBS["promises.watch"].every == 60


@override_settings(HELPMATE_PROMISE_WARN_MINUTES=120)
def test_the_maker_is_warned_once_before_the_promise_is_due(personas: Personas) -> None:
    p = promise(personas.conversation(), personas.agent, due=DUE)
    assert jobs.watch(now=DUE - timedelta(hours=3)).warned == 0
    assert jobs.watch(now=DUE - timedelta(minutes=90)).warned == 1
    assert jobs.watch(now=DUE - timedelta(minutes=80)).warned == 0
    p.refresh_from_db()
    assert p.warned_at == DUE - timedelta(minutes=90)
    (note,) = Notification.objects.filter(agent=personas.agent)
    assert "Promise due in 90 min" in note.text and p.text in note.text
    (mail,) = OutboundEmail.objects.filter(to=[personas.agent.email])
    assert mail.subject.startswith("Promise due in 90 min")
    assert Event.objects.filter(type=EventType.PROMISE_WARNED, data__kind="due_soon").count() == 1


def test_an_overdue_promise_is_broken_and_the_team_lead_alerted_once(personas: Personas) -> None:
    p = promise(personas.conversation(), personas.agent, due=DUE)
    result = jobs.watch(now=DUE + timedelta(minutes=1))
    assert (result.broken, result.alerted) == (1, 1)
    again = jobs.watch(now=DUE + timedelta(minutes=2))
    assert (again.broken, again.alerted) == (0, 0)
    p.refresh_from_db()
    assert p.state == PromiseState.BROKEN
    assert Notification.objects.filter(agent=personas.lead, text__contains="overdue").count() == 1
    assert not Notification.objects.filter(agent=personas.other_agent).exists()  # Billing's


def test_old_broken_promises_do_not_flood_the_lead(personas: Personas) -> None:
    promise(personas.conversation(), personas.agent, due=DUE)
    jobs.break_overdue(now=DUE + timedelta(minutes=1))
    assert jobs.alert_leads(now=DUE + timedelta(days=5)) == 0


def test_kept_promises_are_neither_warned_nor_broken(personas: Personas) -> None:
    from helpmate.promises import actions

    p = promise(personas.conversation(), personas.agent, due=DUE)
    actions.keep_promise(promise=p, actor=personas.agent, at=MONDAY + timedelta(minutes=5))
    result = jobs.watch(now=DUE + timedelta(hours=1))
    assert (result.broken, result.warned, result.alerted) == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_watch_at_once_warn_only_once(personas: Personas) -> None:
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("Concurrent workers need PostgreSQL (SQLite serialises writers anyway).")
    for index in range(20):
        promise(personas.conversation(), personas.agent, due=DUE + timedelta(minutes=index))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            jobs.watch(now=DUE - timedelta(minutes=30))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Event.objects.filter(type=EventType.PROMISE_WARNED).count() == 20
    assert Notification.objects.filter(agent=personas.agent).count() == 20
