"""The promise demo: promises in every state, to customers, colleagues and suppliers, with
figures for the dashboard; running it twice adds nothing. (A small desk stands in for the full
demo seed, which tests/test_demo.py covers.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpmate.desk import actions as desk
from helpmate.promises import metrics
from helpmate.promises.demo import seed_demo
from helpmate.promises.models import Promise, PromiseState
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _small_desk(personas: Personas) -> None:
    requesters = [personas.customer, personas.other_customer, personas.colleague, personas.supplier]
    agents = [personas.agent, personas.lead, personas.other_agent]
    for index in range(48):
        at = NOW - timedelta(days=60) + timedelta(hours=29 * index)
        conv = desk.create_conversation(
            requester=requesters[index % 4], subject=f"Request {index}", text="Help", at=at
        )
        desk.add_reply(
            conversation=conv,
            agent=agents[index % 3],
            text="On it.",
            at=at + timedelta(hours=1),
            status="open" if index % 5 == 0 else None,
        )


def test_the_demo_has_promises_in_every_state_to_every_kind_of_contact(
    personas: Personas,
) -> None:
    _small_desk(personas)
    summary = seed_demo(now=NOW)
    assert summary.startswith("promises: ")
    assert set(Promise.objects.values_list("state", flat=True)) == set(PromiseState.values)
    kinds = set(Promise.objects.values_list("made_to__kind", flat=True))
    assert kinds == {"customer", "colleague", "supplier"}
    assert Promise.objects.filter(state="open", due_at__lte=NOW + timedelta(hours=1)).exists()
    report = metrics.promise_report(start=NOW - timedelta(days=90), end=NOW)
    assert report.total.decided >= 30 and report.total.kept_rate is not None
    assert seed_demo(now=NOW) == "promises: already seeded"
