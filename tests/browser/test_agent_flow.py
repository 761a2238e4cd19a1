"""An agent signs in, finds a conversation by search and replies to it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from helpmate.desk.models import Status
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_agent_signs_in_finds_a_conversation_by_search_and_replies(page, personas):
    wanted = personas.conversation(
        subject="Invoice 7731 charged twice", text="My card shows the same charge twice."
    )
    personas.conversation(subject="Lamp shade cracked", text="The shade is broken.")

    page.goto("/")
    page.wait_for_url(re.compile(r"/signin/"))
    page.get_by_label("Email").fill("maya@helpmate.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/desk/"))

    search = page.get_by_role("searchbox", name="Search conversations")
    search.fill("charged twice")
    search.press("Enter")
    results = page.locator("#inbox-list")
    results.get_by_role("link", name="Invoice 7731 charged twice").wait_for()
    assert "Lamp shade cracked" not in results.inner_text()
    results.get_by_role("link", name="Invoice 7731 charged twice").click()
    page.wait_for_url(re.compile(rf"/desk/c/{wanted.pk}/"))

    reply = page.get_by_label(re.compile(r"^Reply to Carla Mendes"))
    assert reply.input_value().startswith("Hi Carla,"), "the preferred name is offered"
    reply.fill("Hi Carla,\n\nI have refunded the second charge; it shows within 3 days.\n\nMaya")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("I have refunded the second charge").first.wait_for()

    wanted.refresh_from_db()
    assert wanted.owner == personas.agent
    assert wanted.status == Status.WAITING_CUSTOMER
    assert any("refunded the second charge" in m.body for m in mail.outbox)
