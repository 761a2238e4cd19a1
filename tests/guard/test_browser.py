"""The guard in a real browser: flags appear while Maya types; having seen them, she may send
anyway, which is recorded. (Without the live review, the first send stops instead: see
test_composer.py.)"""

from __future__ import annotations

import os
import re

import pytest

from helpmate.desk.models import EventType, MessageKind
from tests.browser.test_handoffs import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_flags_show_while_typing_and_sending_anyway_is_recorded(browser, live_server, personas):
    conv = personas.conversation()
    maya = signed_in(browser, live_server, personas.agent.user)
    maya.goto(f"/desk/c/{conv.pk}/")
    reply = maya.get_by_label(re.compile(r"^Reply to Carla Mendes"))
    reply.fill("Hi Carla,\n\nThat's not our department, sorry.\n\nMaya")
    review = maya.locator("#composer-review")
    review.get_by_text("One sentence may push the customer away").wait_for()
    assert (
        review.locator("mark.guard-sentence").inner_text() == "“That's not our department, sorry.”"
    )

    assert not conv.messages.filter(kind=MessageKind.REPLY).exists()
    maya.get_by_role("button", name="Send reply").click()
    maya.get_by_text(re.compile(r"Reply sent to Carla")).wait_for()
    event = conv.events.get(type=EventType.GUARD_OVERRIDDEN)
    assert event.data["rules"] == ["not-our-department"]
    maya.context.close()


def test_admin_adds_a_rule_and_the_agents_composer_flags_it(browser, live_server, personas):
    ada = signed_in(browser, live_server, personas.admin.user)
    ada.goto("/guard/rules/")
    ada.get_by_role("link", name="Add a rule").click()
    ada.get_by_label("Id").fill("sorry-for-any-inconvenience")
    ada.get_by_label("Pattern").fill(r"sorry\s+for\s+any\s+inconvenience")
    ada.get_by_label("Move", exact=True).select_option("own")
    ada.get_by_label("Why it pushes the customer away").fill(
        "A stock phrase; sounds like a script."
    )
    ada.get_by_label("Better move").fill("Say what went wrong and what you are doing about it.")
    # The preview follows the sample while Ada types (HTMX), before anything is saved.
    ada.get_by_label("Sample text to try it on").fill(
        "Hi Carla. We are sorry for any inconvenience caused. A new lamp leaves today."
    )
    preview = ada.locator("#rule-preview")
    preview.get_by_text("This rule flags 1 sentence in the sample").wait_for()
    assert "We are sorry for any inconvenience caused." in preview.inner_text()
    if os.environ.get("HELPMATE_SCREENSHOTS"):
        ada.screenshot(
            path=f"{os.environ['HELPMATE_SCREENSHOTS']}/guard-rule-form.png", full_page=True
        )
    ada.get_by_role("button", name="Add the rule").click()
    ada.get_by_text("Rule sorry-for-any-inconvenience added").wait_for()
    assert ada.locator("#rule-sorry-for-any-inconvenience").is_visible()
    if os.environ.get("HELPMATE_SCREENSHOTS"):
        ada.screenshot(path=f"{os.environ['HELPMATE_SCREENSHOTS']}/guard-rules.png", full_page=True)
    ada.context.close()

    conv = personas.conversation()
    maya = signed_in(browser, live_server, personas.agent.user)
    maya.goto(f"/desk/c/{conv.pk}/")
    reply = maya.get_by_label(re.compile(r"^Reply to Carla Mendes"))
    reply.fill("Hi Carla,\n\nWe are sorry for any inconvenience caused.\n\nMaya")
    review = maya.locator("#composer-review")
    review.get_by_text("One sentence may push the customer away").wait_for()
    flag = review.locator(".guard-flag")
    assert flag.get_attribute("data-rule") == "sorry-for-any-inconvenience"
    assert "A stock phrase; sounds like a script." in flag.inner_text()
    maya.context.close()
