"""A customer signs in through the emailed link, opens a request and reads the agent's reply."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from helpmate.desk import actions
from helpmate.desk.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_by_email(page, email: str) -> None:
    mail.outbox.clear()
    page.goto("/portal/signin/")
    page.get_by_label("Your email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url(re.compile(r"/portal/signin/sent/"))
    assert len(mail.outbox) == 1, "the sign-in link was emailed"
    link = re.search(r"https?://\S+/portal/signin/link/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]
    page.goto(path)
    page.get_by_role("button", name="Continue to your requests").click()
    page.wait_for_url(re.compile(r"/portal/$"))


def test_customer_signs_in_by_link_creates_a_request_and_sees_the_reply(page, personas):
    sign_in_by_email(page, "carla@acme.example")
    page.get_by_role("link", name="New request").first.click()
    page.get_by_label("Subject").fill("My lamp arrived broken")
    page.get_by_label("Message").fill("The glass shade was in pieces when I opened the box.")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/portal/c/\d+/"))

    conversation = Conversation.objects.get(subject="My lamp arrived broken")
    assert conversation.requester == personas.customer
    actions.add_note(conversation=conversation, agent=personas.agent, text="Check stock first")
    actions.add_reply(
        conversation=conversation,
        agent=personas.agent,
        text="Hi Carla, I am sorry. A new shade is on its way today.",
    )
    page.reload()
    thread = page.get_by_role("region", name="Messages")
    assert "A new shade is on its way today." in thread.inner_text()
    assert "Maya" in thread.inner_text()
    assert "Check stock first" not in page.content(), "internal notes never reach the portal"


def test_script_in_a_customer_message_does_not_run_in_the_portal(page, personas):
    conversation = personas.conversation(subject="Hostile", text="Hello")
    actions.add_incoming_message(
        conversation=conversation,
        author=personas.customer,
        text="",
        html='<p>hi</p><img src=x onerror="alert(1)"><script>alert(2)</script>'
        '<a href="javascript:alert(3)">click</a>',
    )
    sign_in_by_email(page, "carla@acme.example")
    page.goto(f"/portal/c/{conversation.pk}/")
    page.get_by_text("click").click()
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert "onerror" not in page.content() and "<script>alert" not in page.content()
