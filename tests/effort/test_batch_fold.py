"""The effort listener's batch form (``fold_events``): it folds the events it is handed rather
than reading them back, yet must give exactly the rows a full rebuild from the log gives."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpmate.desk import actions as desk
from helpmate.desk import hooks
from helpmate.desk.models import Channel, Event, EventType, Status
from helpmate.effort.models import ConversationEffort
from helpmate.effort.rebuild import rebuild
from tests.effort.conftest import at, effort_of, play

pytestmark = pytest.mark.django_db

FIRST = ("Order 1042 arrived damaged", "The box was crushed and the lamp inside is broken.")
BERLIN = ZoneInfo("Europe/Berlin")


def _rows() -> dict[int, dict]:
    return {
        row.pk: {
            f.name: getattr(row, f.attname)
            for f in ConversationEffort._meta.concrete_fields
            if f.name != "conversation"
        }
        for row in ConversationEffort.objects.order_by("pk")
    }


def test_a_batch_folds_what_a_full_rebuild_folds(personas) -> None:
    carla, dan = personas.customer, personas.other_customer
    resolved = play(
        personas, [(at(0, 9), "create", *FIRST), (at(0, 10), "reply", "agent", "resolved")]
    )
    waiting = play(
        personas, [(at(0, 11), "create", "Invoice address", "Use our Porto office.")], requester=dan
    )
    # An event written past the listener (as ``helpmate generate`` does): Dan's row is behind.
    Event.objects.create(
        conversation=waiting,
        type=EventType.STATUS_CHANGED,
        created_at=at(0, 12),
        data={"status": Status.OPEN},
    )
    with hooks.batched():
        # Carla writes again about the same thing (a repeat of the resolved one, which the batch
        # writes back), at a time given in Berlin's zone.
        again = desk.create_conversation(
            requester=carla,
            subject="Broken lamp, order 1042",
            text="The lamp arrived crushed and broken, still no replacement.",
            channel=Channel.EMAIL,
            team=personas.support,
            at=at(2, 9).astimezone(BERLIN),
        )
        desk.add_incoming_message(conversation=waiting, author=dan, text="Any news?", at=at(2, 10))
        desk.add_reply(conversation=again, agent=personas.agent, text="Sent.", at=at(2, 11))
        desk.transfer_conversation(
            conversation=waiting,
            actor=personas.agent,
            note="Billing keeps the addresses.",
            team=personas.billing,
            owner=None,
            at=at(2, 12),
        )
    batched = _rows()
    assert effort_of(resolved).repeat_contacts == 1
    assert effort_of(again).repeat_of_id == resolved.pk
    assert effort_of(again).steps[0]["start"] == at(2, 9).isoformat()  # in UTC, as stored
    assert effort_of(waiting).status == Status.OPEN and effort_of(waiting).handoffs == 1
    rebuild(full=True)
    assert _rows() == batched


def test_a_batch_of_new_conversations_reads_no_events_back(personas) -> None:
    with CaptureQueriesContext(connection) as queries, hooks.batched():
        for i in range(3):
            desk.create_conversation(
                requester=personas.customer,
                subject=f"Question {i}",
                text="Where is my parcel?",
                channel=Channel.EMAIL,
                team=personas.support,
            )
        written = len(queries)
    folding = [q["sql"] for q in queries.captured_queries[written:]]
    assert folding and not [sql for sql in folding if 'FROM "desk_event"' in sql]
    assert ConversationEffort.objects.count() == 3
    batched = _rows()
    rebuild(full=True)
    assert _rows() == batched
