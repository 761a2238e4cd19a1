"""Feature events (email, targets, promises, handoffs, guard, survey) show in the thread."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpmate.desk import actions
from helpmate.desk.event_lines import FEATURE_KEY_EVENTS, feature_event_text
from helpmate.desk.models import Event, EventType

pytestmark = pytest.mark.django_db

LINES = [
    (EventType.TARGET_MISSED, {"target": "first_response"}, "The first-response target was missed"),
    (
        EventType.PROMISE_MADE,
        {"text": "call you back", "due": "2026-11-27T17:00:00+00:00"},
        "promised “call you back” by Fri 27 Nov 17:00 UTC",
    ),
    (EventType.PROMISE_KEPT, {"text": "call you back", "outcome": "early"}, "kept the promise"),
    (EventType.LEAD_ALERTED, {"reason": "bounce_back"}, "bounced back to a team it had left"),
    (EventType.BOUNCE_RECEIVED, {"address": "carla@acme.example"}, "carla@acme.example bounced"),
    (EventType.CES_ANSWERED, {"score": 6}, "rated the effort 6 out of 7"),
    (EventType.PROMISE_MADE, {"text": "<script>x</script>", "due": "bad"}, "&lt;script&gt;"),
]


@pytest.mark.parametrize(("kind", "data", "expected"), LINES)
def test_feature_events_read_as_sentences_with_data_escaped(personas, kind, data, expected):
    conv = personas.conversation()
    event = Event(conversation=conv, type=kind, data=data, created_at=datetime.now(UTC))
    assert expected in str(feature_event_text(event))


def test_every_feature_key_event_has_its_own_line(personas):
    conv = personas.conversation()
    for kind in FEATURE_KEY_EVENTS:
        event = Event(conversation=conv, type=kind, data={}, created_at=datetime.now(UTC))
        assert feature_event_text(event) is not None, kind


def test_the_thread_shows_a_missed_target(personas, client_for):
    conv = personas.conversation()
    actions.log_event(conv, EventType.TARGET_MISSED, None, datetime.now(UTC), target="resolution")
    page = client_for("agent").get(f"/desk/c/{conv.pk}/").content.decode()
    assert "The resolution target was missed" in page
