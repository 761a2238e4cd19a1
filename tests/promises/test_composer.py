"""The composer: suggestions while typing, nothing recorded without the tick, confirmed and
manual promises recorded with the reply, "this reply keeps" closing an open promise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from helpmate.desk.models import Message
from helpmate.promises import actions
from helpmate.promises.composer import suggestions
from helpmate.promises.models import Promise, PromiseSource, PromiseState
from tests.conftest import Personas
from tests.promises.helpers import MONDAY, promise

pytestmark = pytest.mark.django_db
TEXT = (
    "Hi Carla,\n\nI'm sorry about the lamp. I'll call you back by Friday with a new date.\n\nMaya"
)


@pytest.fixture
def monday() -> object:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def test_the_review_panel_suggests_the_promise_with_its_due_time_in_the_customers_zone(
    personas: Personas, client_for: Callable[[str], Client], monday: object
) -> None:
    conv = personas.conversation()
    page = client_for("agent").post(reverse("desk:reply_review", args=[conv.pk]), {"text": TEXT})
    body = page.content.decode()
    assert page.status_code == 200
    assert "by Friday" in body and "Fri 27 Nov, 17:00" in body and "Europe/Lisbon" in body
    assert 'name="promise_confirm"' in body and "checked" not in body
    assert 'name="reviewed" value="1"' in body  # seen while typing: the send goes through


def _reply(client: Client, conv_pk: int, **extra: object) -> object:
    data = {"text": TEXT, "status": "waiting_customer", **extra}
    return client.post(reverse("desk:reply", args=[conv_pk]), data)


def test_the_first_send_stops_once_to_show_an_unticked_suggestion(
    personas: Personas, client_for: Callable[[str], Client], monday: object
) -> None:
    conv = personas.conversation()
    client = client_for("agent")
    stopped = _reply(client, conv.pk)
    assert stopped.status_code == 200 and "Record this promise" in stopped.content.decode()
    assert not Message.objects.filter(conversation=conv, kind="reply").exists()
    sent = _reply(client, conv.pk, reviewed="1")
    assert sent.status_code == 302
    assert not Promise.objects.exists()  # nothing without the agent's tick


def test_a_ticked_suggestion_is_recorded_with_the_reply(
    personas: Personas, client_for: Callable[[str], Client], monday: object
) -> None:
    conv = personas.conversation()
    (s,) = suggestions(conv, TEXT, {})
    sent = _reply(
        client_for("agent"),
        conv.pk,
        promise_confirm=s.key,
        **{
            f"promise_text_{s.key}": "call you back with a new date",
            f"promise_due_{s.key}": "2026-11-27T16:00",  # edited: an hour earlier
            f"promise_words_{s.key}": s.words,
            f"promise_who_{s.key}": s.who,
        },
    )
    assert sent.status_code == 302
    (p,) = Promise.objects.all()
    reply = Message.objects.get(conversation=conv, kind="reply")
    assert (p.text, p.words, p.source, p.source_message) == (
        "call you back with a new date",
        "by Friday",
        PromiseSource.SUGGESTED,
        reply,
    )
    assert p.due_at == MONDAY + timedelta(days=4, hours=6)  # 16:00 Lisbon = 16:00 UTC


def test_a_promise_added_by_hand_needs_both_what_and_when(
    personas: Personas, client_for: Callable[[str], Client], monday: object
) -> None:
    conv = personas.conversation()
    client = client_for("agent")
    refused = _reply(client, conv.pk, reviewed="1", promise_new_text="send the form")
    assert (
        refused.status_code == 400 and "both what you promised and when" in refused.content.decode()
    )
    assert not Message.objects.filter(conversation=conv, kind="reply").exists()  # nothing lost
    sent = _reply(
        client,
        conv.pk,
        reviewed="1",
        promise_new_text="send the form",
        promise_new_due="2026-11-25T12:00",
    )
    assert sent.status_code == 302
    assert Promise.objects.get().source == PromiseSource.MANUAL


def test_a_reply_marked_as_keeping_an_open_promise_keeps_it(
    personas: Personas, client_for: Callable[[str], Client], monday: object
) -> None:
    conv = personas.conversation()
    p = promise(conv, personas.agent, at=MONDAY - timedelta(days=1))
    sent = _reply(
        client_for("agent"),
        conv.pk,
        reviewed="1",
        text="Hi Carla, the tracking number is 123.",
        promise_keeps=str(p.pk),
    )
    assert sent.status_code == 302
    p.refresh_from_db()
    assert p.state == PromiseState.KEPT_EARLY and p.kept_by_message is not None


def test_the_review_lists_open_promises_with_a_delay_link(
    personas: Personas, client_for: Callable[[str], Client], monday: object
) -> None:
    conv = personas.conversation()
    p = promise(conv, personas.agent)
    actions.cancel_promise(promise=promise(conv, personas.agent, text="old"), actor=personas.agent)
    page = client_for("agent").post(
        reverse("desk:reply_review", args=[conv.pk]), {"text": "Hi Carla"}
    )
    body = page.content.decode()
    assert f'value="{p.pk}"' in body and reverse("promises:delay", args=[p.pk]) in body
    assert "This reply keeps: old" not in body
