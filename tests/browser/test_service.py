"""An admin tightens a target; the agent's "Due soon" view then lists the conversation, with the
due time in words and colour and the exact time in its tooltip."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.service import actions as service
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email: str) -> None:
    page.goto("/signin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/desk/"))


def test_admin_sets_a_target_and_the_agent_sees_it_due_soon(page, personas):
    # Open all week round the clock, so the test does not depend on when it runs.
    service.save_calendar(
        actor=personas.admin,
        name="Always",
        time_zone="UTC",
        hours={d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        is_default=True,
    )
    desk.create_conversation(
        requester=personas.customer,
        subject="Parcel never arrived",
        text="Where is it?",
        team=personas.support,
        at=timezone.now() - timedelta(hours=3),
    )
    service.recompute_due_times()

    sign_in(page, "ada@helpmate.test")
    page.get_by_role("link", name="Targets").click()
    page.get_by_role("link", name="New target").click()
    page.get_by_label("Team").select_option(label="Support")
    page.get_by_label("First response").fill("2h")
    page.get_by_role("button", name="Save the targets").click()
    page.get_by_text("Targets for Support").wait_for()
    assert "2h" in page.locator("table.service-targets").inner_text()

    page.goto("/desk/?view=due")
    row = page.locator("tr", has_text="Parcel never arrived")
    badge = row.locator("time.due")
    badge.wait_for()
    assert "overdue 1 h" in badge.inner_text()  # created 3 h ago, due after 2 h
    assert "due-overdue" in (badge.get_attribute("class") or "")
    assert (badge.get_attribute("title") or "").startswith("First response due ")
