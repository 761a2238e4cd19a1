"""The guard in a real browser: flags appear while Maya types; having seen them, she may send
anyway, which is recorded. (Without the live review, the first send stops instead: see
test_composer.py.)"""

from __future__ import annotations

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
