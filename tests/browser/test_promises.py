"""A promise end to end in a real browser: the agent writes a reply with a commitment, confirms
the suggested promise, the customer sees it in the portal; later (the warning job run with a
future "now") the agent's warning appears before the promise is due."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from helpmate.people.actions import portal_user_for
from helpmate.promises import jobs
from helpmate.promises.models import Promise, PromiseState
from tests.conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser: Any, live_server: Any, user: Any) -> Any:
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


def test_agent_confirms_a_promise_the_customer_sees_it_and_the_warning_comes_before_it_is_due(
    browser: Any, live_server: Any, personas: Personas
) -> None:
    conv = personas.conversation()
    # Both sessions before any page is open (the in-memory test database refuses a write that
    # meets the live server's read of the same table instead of waiting).
    agent = signed_in(browser, live_server, personas.agent.user)
    customer = signed_in(browser, live_server, portal_user_for(personas.customer))
    agent.goto(reverse("desk:conversation", args=[conv.pk]))
    reply = agent.get_by_label(re.compile(r"^Reply to Carla Mendes"))
    reply.fill("Hi Carla,\n\nI'm sorry about the lamp. I'll call you back tomorrow.\n\nMaya")
    confirm = agent.get_by_label("Record this promise")
    confirm.wait_for()
    assert "tomorrow" in agent.locator(".promise-suggestion").inner_text()
    agent.get_by_label("What you promised").fill("call you back about the replacement lamp")
    confirm.check()
    agent.get_by_role("button", name="Send reply").click()
    agent.get_by_role("heading", name="Promises").wait_for()
    sidebar = agent.locator(".promises-card").inner_text()
    assert "call you back about the replacement lamp" in sidebar

    made = Promise.objects.get()
    assert made.state == PromiseState.OPEN and made.made_by == personas.agent

    customer.goto(reverse("portal:conversation", args=[conv.pk]))
    promised = customer.locator(".promises-portal").inner_text()
    assert "Maya will call you back about the replacement lamp by" in promised

    # Later: the periodic job runs an hour before the due time.
    result = jobs.watch(now=made.due_at - timedelta(minutes=60))
    assert result.warned == 1
    agent.goto(reverse("desk:notifications"))
    agent.get_by_text(
        re.compile(r"Promise due in 60 min: call you back about the replacement")
    ).wait_for()
    made.refresh_from_db()
    assert made.state == PromiseState.OPEN and made.warned_at is not None
