"""An agent hands a conversation over with a note; the customer sees the new owner's name in the
portal; the effort radar counts the handoff."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from helpmate.desk import actions as desk
from helpmate.effort.models import ConversationEffort
from helpmate.people.actions import portal_user_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_agent(page, email: str) -> None:
    page.goto(reverse("web:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/desk/"))


def _sign_in_contact(context, live_server, contact) -> None:
    """The portal's emailed-link sign-in has its own browser test; here a session will do."""
    client = Client()
    client.force_login(portal_user_for(contact))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_a_warm_handoff_is_seen_by_the_customer_and_counted_on_the_radar(
    page, browser, live_server, personas
):
    conv = personas.conversation(
        subject="Charged twice for order 1042", text="My card shows the charge twice."
    )
    desk.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)

    # Maya hands it to Omar in Billing with a note for him.
    _sign_in_agent(page, "maya@helpmate.test")
    page.goto(reverse("desk:conversation", args=[conv.pk]))
    page.locator("#transfer summary").click()
    page.get_by_label("To team").select_option(value=str(personas.billing.pk))
    page.get_by_label("To agent").select_option(value=str(personas.other_agent.pk))
    page.get_by_label(re.compile(r"^Handoff note")).fill(
        "Carla was charged twice for order 1042; the second charge needs a refund."
    )
    # With the warm-handoff form, the message to the customer stays as suggested (untouched).
    page.locator("#transfer").get_by_role("button", name="Hand over").click()
    page.get_by_text(re.compile(r"Owner:\s*Omar Haddad")).first.wait_for()
    conv.refresh_from_db()
    assert conv.owner == personas.other_agent and conv.team == personas.billing

    # Carla sees, by name, who has her request now.
    customer_context = browser.new_context(base_url=live_server.url)
    _sign_in_contact(customer_context, live_server, personas.customer)
    portal = customer_context.new_page()
    portal.goto(reverse("portal:conversation", args=[conv.pk]))
    assert "Omar" in portal.locator("main").inner_text()
    customer_context.close()

    # Omar resolves it; the radar (seen by Sam, the lead: Maya's radar shows her own team)
    # and the journey count one handoff.
    desk.add_reply(
        conversation=conv, agent=personas.other_agent, text="Refunded.", status="resolved"
    )
    assert ConversationEffort.objects.get(pk=conv.pk).handoffs == 1
    lead_context = browser.new_context(base_url=live_server.url)
    page = lead_context.new_page()
    page.set_default_timeout(10_000)
    _sign_in_agent(page, "sam@helpmate.test")
    page.goto(reverse("effort:radar"))
    assert page.locator("#kpi-handoffs").inner_text().strip() == "1.0"
    maze = page.get_by_role("link", name=re.compile(r"Charged twice for order 1042"))
    maze.click()
    page.wait_for_url(re.compile(rf"/effort/c/{conv.pk}/"))
    assert page.locator("#effort-handoffs").inner_text().strip() == "1"
    assert "Handed over" in page.locator("main").inner_text()
    lead_context.close()
