"""Promise pages and blocks, with the personas: the sidebar's keep/cancel, the delay notice,
the inbox's at-risk block, the portal's open promises, the report and its CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from helpmate.desk.models import Message
from helpmate.promises import actions
from helpmate.promises.models import Promise, PromiseState
from tests.conftest import Personas
from tests.promises.helpers import MONDAY, promise

pytestmark = pytest.mark.django_db
AGENTS = ["agent", "lead", "admin", "other_agent"]
NOT_AGENTS = {"customer": 403, "other_customer": 403, "colleague": 403, "supplier": 403}


@pytest.fixture
def monday() -> object:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def open_promise(personas: Personas, monday: object) -> Promise:
    return promise(personas.conversation(), personas.agent)


@pytest.mark.parametrize("name", ["keep", "cancel", "delay"])
@pytest.mark.parametrize(("persona", "status"), [*NOT_AGENTS.items(), ("anonymous", 302)])
def test_only_agents_may_change_a_promise(
    client_for: Callable[[str], Client], open_promise: Promise, name: str, persona: str, status: int
) -> None:
    response = client_for(persona).post(reverse(f"promises:{name}", args=[open_promise.pk]))
    assert response.status_code == status
    open_promise.refresh_from_db()
    assert open_promise.state == PromiseState.OPEN


@pytest.mark.parametrize("persona", AGENTS)
def test_agents_keep_a_promise_from_the_sidebar(
    client_for: Callable[[str], Client], open_promise: Promise, persona: str
) -> None:
    response = client_for(persona).post(reverse("promises:keep", args=[open_promise.pk]))
    assert response.status_code == 302
    open_promise.refresh_from_db()
    assert open_promise.state == PromiseState.KEPT_EARLY


def test_cancelling_twice_says_it_is_already_cancelled(
    client_for: Callable[[str], Client], open_promise: Promise
) -> None:
    client = client_for("agent")
    client.post(reverse("promises:cancel", args=[open_promise.pk]))
    page = client.post(reverse("promises:cancel", args=[open_promise.pk]), follow=True)
    assert "already cancelled" in page.content.decode()


@pytest.mark.parametrize("name", ["keep", "cancel", "delay"])
def test_a_promise_in_a_conversation_the_agent_cannot_see_is_not_found(
    settings: object,
    client_for: Callable[[str], Client],
    personas: Personas,
    monday: object,
    name: str,
) -> None:
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True  # type: ignore[attr-defined]
    p = promise(personas.conversation(team=personas.support), personas.agent)
    response = client_for("other_agent").post(reverse(f"promises:{name}", args=[p.pk]))
    assert response.status_code == 404


def test_the_conversation_sidebar_lists_its_promises_with_buttons(
    client_for: Callable[[str], Client], open_promise: Promise
) -> None:
    page = client_for("agent").get(
        reverse("desk:conversation", args=[open_promise.conversation_id])
    )
    body = page.content.decode()
    assert open_promise.text in body and "Fri 27 Nov, 17:00" in body
    assert reverse("promises:keep", args=[open_promise.pk]) in body
    assert reverse("promises:delay", args=[open_promise.pk]) in body


def test_the_delay_notice_is_drafted_honestly_and_sending_it_early_renegotiates(
    client_for: Callable[[str], Client], open_promise: Promise
) -> None:
    client = client_for("agent")
    url = reverse("promises:delay", args=[open_promise.pk])
    draft = client.get(url).content.decode()
    assert "renegotiated early" in draft and "I promised to call you back" in draft
    assert "Monday 30 November, 17:00" in draft  # one business day later, Carla's time
    redrafted = client.post(
        url,
        {"new_due": "2026-12-01T12:00", "reason": "The courier lost the parcel", "redraft": "1"},
    ).content.decode()
    assert "The courier lost the parcel." in redrafted and "Tuesday 1 December, 12:00" in redrafted
    sent = client.post(
        url,
        {
            "new_due": "2026-12-01T12:00",
            "reason": "The courier lost the parcel",
            "send": "1",
            "text": "Hi Carla, sorry: it will be Tuesday noon.\n\nMaya",
        },
    )
    assert sent.status_code == 302
    open_promise.refresh_from_db()
    assert open_promise.state == PromiseState.RENEGOTIATED
    successor = Promise.objects.get(renegotiated_from=open_promise)
    assert successor.due_at == MONDAY.replace(day=1, month=12, hour=12)
    reply = Message.objects.get(conversation=open_promise.conversation, kind="reply")
    assert reply.text.startswith("Hi Carla, sorry")


def test_the_delay_notice_refuses_a_missing_time_and_keeps_the_text(
    client_for: Callable[[str], Client], open_promise: Promise
) -> None:
    url = reverse("promises:delay", args=[open_promise.pk])
    page = client_for("agent").post(url, {"new_due": "", "send": "1", "text": "My words"})
    assert page.status_code == 400
    assert "Give the new time" in page.content.decode() and "My words" in page.content.decode()
    assert not Message.objects.filter(kind="reply").exists()


def test_at_risk_promises_rise_to_the_top_of_the_makers_inbox(
    client_for: Callable[[str], Client], personas: Personas, monday: object
) -> None:
    soon = promise(personas.conversation(), personas.agent, due=MONDAY + timedelta(minutes=45))
    later = promise(personas.conversation(), personas.agent, text="send the refund form")
    mine = client_for("agent").get(reverse("desk:inbox")).content.decode()
    assert "Your promises due soon" in mine and soon.text in mine and later.text not in mine
    assert "in 45 min" in mine
    theirs = client_for("lead").get(reverse("desk:inbox")).content.decode()
    assert "Your promises due soon" not in theirs


def test_the_customer_sees_open_promises_in_the_portal_in_their_time(
    client_for: Callable[[str], Client], personas: Personas, monday: object
) -> None:
    conv = personas.conversation()
    p = promise(conv, personas.agent)
    done = promise(conv, personas.agent, text="send a label")
    actions.keep_promise(promise=done, actor=personas.agent)
    page = client_for("customer").get(reverse("portal:conversation", args=[conv.pk]))
    body = page.content.decode()
    assert "Maya will call you back with the tracking number by" in body
    assert "Fri 27 Nov, 17:00" in body and "send a label" not in body
    assert p.text in body


def test_another_customer_never_sees_the_promises(
    client_for: Callable[[str], Client], personas: Personas, monday: object
) -> None:
    conv = personas.conversation()
    promise(conv, personas.agent)
    response = client_for("other_customer").get(reverse("portal:conversation", args=[conv.pk]))
    assert response.status_code == 404
    own = personas.conversation(personas.other_customer, subject="Mine")
    page = client_for("other_customer").get(reverse("portal:conversation", args=[own.pk]))
    assert "What we promised you" not in page.content.decode()
