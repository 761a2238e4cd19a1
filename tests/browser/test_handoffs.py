"""A warm handoff in a real browser: Maya hands Carla's request to Omar with a note and an edited
message, Carla sees in the portal that Omar has it now, and Omar accepts the handoff."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from helpmate.desk import actions
from helpmate.desk.models import MessageKind
from helpmate.handoffs.models import Handoff
from helpmate.people.actions import portal_user_for

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = (
    "Hi Carla,\n\nI've asked Omar in our Billing team to take this over: he can sort out the "
    "refund directly. He has everything you told us, so you won't need to repeat anything.\n\n"
    "Maya"
)


def signed_in(browser: Any, live_server: Any, user: Any) -> Any:
    """A page in a fresh browser context whose session belongs to ``user``."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1360, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_agent_hands_over_warmly_customer_sees_the_new_owner_who_accepts(
    browser, live_server, personas
):
    conv = personas.conversation(subject="Refund for order 1042")
    actions.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)
    # Every session is made before any page is open: the test database is an in-memory SQLite
    # shared with the live server's thread, where a write meeting a page's read of the same
    # table is refused at once ("database table is locked") instead of waiting.
    maya = signed_in(browser, live_server, personas.agent.user)
    carla = signed_in(browser, live_server, portal_user_for(personas.customer))
    omar = signed_in(browser, live_server, personas.other_agent.user)

    maya.goto(f"/desk/c/{conv.pk}/")
    maya.locator("#transfer summary").click()
    maya.get_by_label("To team").select_option(label="Billing")
    maya.get_by_label("To agent").select_option(label="Omar Haddad (Billing)")
    message = maya.get_by_label(re.compile(r"^Message to Carla"))
    # The suggestion follows the chosen receiver (re-rendered by the server).
    maya.wait_for_function(
        "() => document.querySelector('#transfer-customer_message').value.includes('Omar')"
    )
    assert "I've asked Omar in our Billing team" in message.input_value()
    maya.get_by_label(re.compile(r"^Handoff note")).fill("Refund of 49 EUR approved by Sam.")
    message.fill(MESSAGE)
    maya.get_by_role("button", name="Hand over").click()
    maya.get_by_text("Carla was told that Omar has it now").wait_for()

    reply = conv.messages.get(kind=MessageKind.REPLY)
    assert reply.text == MESSAGE and reply.author_agent == personas.agent

    carla.goto(f"/portal/c/{conv.pk}/")
    assert "Omar is looking after this" in carla.content()
    thread = carla.get_by_role("region", name="Messages").inner_text()
    assert "he can sort out the refund directly" in thread
    assert "49 EUR approved" not in carla.content(), "the handoff note stays internal"

    omar.goto(f"/desk/c/{conv.pk}/")
    omar.get_by_role("button", name="Accept the handoff").click()
    omar.get_by_text("It's yours. Maya no longer follows it.").wait_for()
    handoff = Handoff.objects.get(conversation=conv)
    assert handoff.accepted_by == personas.other_agent
    for page in (maya, carla, omar):
        page.context.close()
