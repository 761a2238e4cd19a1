"""The workspace in a real browser: keyboard shortcuts, HTMX filters, composer tabs, presence
polling, and hostile HTML that must not run (Playwright on Debian's Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from helpmate.desk import actions as desk
from helpmate.desk.models import Presence
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def maya(browser, live_server, personas) -> Iterator[Any]:
    """A page signed in as Maya; ``page.dialogs`` collects any alert() that fires."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.set_default_timeout(10_000)
    page.goto("/signin/")
    page.fill("#id_username", personas.agent.user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    yield page
    context.close()


def test_keyboard_moves_through_the_inbox_and_opens_the_composer(maya, personas):
    first = personas.conversation(subject="First in line")
    personas.conversation(subject="Second in line")
    maya.goto("/desk/?view=open")
    maya.keyboard.press("/")
    assert maya.evaluate("document.activeElement.id") == "f-q"
    maya.evaluate("document.activeElement.blur()")
    maya.keyboard.press("j")
    assert maya.evaluate("document.activeElement.textContent") == "First in line"
    maya.keyboard.press("j")
    maya.keyboard.press("k")
    maya.keyboard.press("x")
    assert maya.is_checked(f"input[name=ids][value='{first.pk}']")
    assert maya.text_content("[data-bulk-count]") == "1 selected"
    maya.keyboard.press("Enter")
    maya.wait_for_url(f"**/desk/c/{first.pk}/")
    maya.keyboard.press("c")
    assert maya.evaluate("document.activeElement.id") == "reply-text"
    maya.keyboard.type("A new lamp is on its way.")
    value = maya.input_value("#reply-text")
    assert value.startswith("Hi Carla,\n\nA new lamp is on its way.")
    assert maya.input_value("#presence-activity") == "replying"


def test_filters_swap_the_list_without_reloading_the_page(maya, personas):
    personas.conversation(subject="Lamp broken")
    colleague = personas.conversation(personas.colleague, subject="Laptop will not start")
    maya.goto("/desk/?view=open")
    maya.evaluate("window.notReloaded = true")
    maya.select_option("#f-kind", "colleague")
    maya.wait_for_function("!document.body.textContent.includes('Lamp broken')")
    assert maya.evaluate("window.notReloaded") is True
    assert "kind=colleague" in maya.url
    assert maya.is_visible(f"text={colleague.subject}")


def test_composer_tabs_switch_in_place(maya, personas):
    conv = personas.conversation()
    maya.goto(f"/desk/c/{conv.pk}/")
    assert maya.is_visible("#panel-reply") and maya.is_hidden("#panel-note")
    maya.click("#tab-note")
    assert maya.is_visible("#panel-note") and maya.is_hidden("#panel-reply")
    assert "tab=note" not in maya.url
    maya.fill("#note-text", "@Omar please check the refund")
    maya.click("#panel-note button[type=submit]")
    maya.wait_for_selector("text=Omar will see it in their notifications.")


def test_page_polls_presence_and_shows_colleagues(maya, personas):
    conv = personas.conversation()
    desk.touch_presence(conversation=conv, agent=personas.other_agent, activity="replying")
    maya.goto(f"/desk/c/{conv.pk}/")
    assert "Omar is replying" in " ".join(maya.text_content("#presence").split())
    maya.wait_for_function("document.querySelector('#presence .presence') !== null", timeout=5_000)
    maya.wait_for_timeout(1_500)  # the first poll fires a second after load
    assert Presence.objects.filter(conversation=conv, agent=personas.agent).exists()


def test_script_in_a_message_does_not_run_in_the_workspace(maya, personas):
    conv = desk.create_conversation(
        requester=personas.customer,
        subject="<img src=x onerror=alert('subject')>",
        text="",
        html="<p>Hi</p><script>alert('script')</script><img src=x onerror=alert('img')>",
        team=personas.support,
    )
    desk.add_incoming_message(
        conversation=conv, author=personas.customer, text="<script>alert('text')</script>"
    )
    maya.goto("/desk/?view=open")
    maya.goto(f"/desk/c/{conv.pk}/")
    maya.wait_for_timeout(300)
    assert maya.dialogs == []
    assert maya.is_visible("text=<script>alert('text')</script>")
