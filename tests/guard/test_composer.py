"""The guard in the reply composer: shown while typing, stops the first send, records overrides."""

from __future__ import annotations

import pytest

from helpmate.desk.models import EventType, MessageKind

pytestmark = pytest.mark.django_db

PUSHY = "Hi Carla,\n\nThat's not our department. Please contact billing.\n\nMaya"
KIND = "Hi Carla,\n\nI've asked our billing team to refund you and they confirmed it.\n\nMaya"


@pytest.fixture
def conv(personas):
    return personas.conversation()


def _reply(client, conv, text, **extra):
    data = {"text": text, "status": "waiting_customer", **extra}
    return client.post(f"/desk/c/{conv.pk}/reply/", data)


def test_review_while_typing_shows_each_flag_with_reason_and_better_move(conv, client_for):
    response = client_for("agent").post(f"/desk/c/{conv.pk}/reply/review/", {"text": PUSHY})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 sentences may push the customer away" in html
    assert '<mark class="guard-sentence">“That&#x27;s not our department.”</mark>' in html
    assert "Better:</strong> Take ownership: say what you will do" in html
    assert "Better:</strong> Hand it over warmly: transfer it to the team" in html
    assert f'href="/desk/c/{conv.pk}/#transfer"' in html  # the "contact billing" flag
    assert 'name="reviewed" value="1"' in html


def test_review_of_a_helpful_draft_is_empty(conv, client_for):
    html = client_for("agent").post(f"/desk/c/{conv.pk}/reply/review/", {"text": KIND})
    assert "push the customer away" not in html.content.decode()


def test_first_send_with_flags_stops_and_sends_nothing(conv, client_for):
    response = _reply(client_for("agent"), conv, PUSHY)
    assert response.status_code == 200
    assert "push the customer away" in response.content.decode()
    assert not conv.messages.filter(kind=MessageKind.REPLY).exists()


def test_sending_anyway_goes_through_and_is_recorded(conv, personas, client_for):
    response = _reply(client_for("agent"), conv, PUSHY, reviewed="1")
    assert response.status_code == 302
    reply = conv.messages.get(kind=MessageKind.REPLY)
    event = conv.events.get(type=EventType.GUARD_OVERRIDDEN)
    assert event.actor_agent == personas.agent
    assert event.data == {
        "message": reply.pk,
        "sentences": ["That's not our department.", "Please contact billing."],
        "rules": ["contact-someone-else", "not-our-department"],
    }


def test_rewritten_reply_is_sent_without_an_override(conv, client_for):
    client = client_for("agent")
    _reply(client, conv, PUSHY)  # stopped
    response = _reply(client, conv, KIND, reviewed="1")
    assert response.status_code == 302
    assert conv.messages.filter(kind=MessageKind.REPLY).count() == 1
    assert not conv.events.filter(type=EventType.GUARD_OVERRIDDEN).exists()


def test_helpful_reply_is_sent_at_once(conv, client_for):
    assert _reply(client_for("agent"), conv, KIND).status_code == 302
    assert not conv.events.filter(type=EventType.GUARD_OVERRIDDEN).exists()


@pytest.mark.parametrize("persona", ["customer", "other_customer", "colleague", "supplier"])
def test_portal_users_cannot_use_the_review(conv, client_for, persona):
    response = client_for(persona).post(f"/desk/c/{conv.pk}/reply/review/", {"text": PUSHY})
    assert response.status_code in (302, 403, 404)
    assert b"push the customer away" not in response.content
