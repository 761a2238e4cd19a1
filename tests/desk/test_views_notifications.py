"""Notifications page and the unread count in the top bar."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpmate.desk import actions as desk
from helpmate.desk.models import Notification

pytestmark = pytest.mark.django_db

PROCESSOR = "helpmate.desk.context_processors.workspace"


@pytest.fixture(autouse=True)
def unread_count_in_templates(settings):
    """The workspace context processor, registered as settings.py does (or will)."""
    engine = settings.TEMPLATES[0]
    processors = engine["OPTIONS"]["context_processors"]
    if PROCESSOR not in processors:
        settings.TEMPLATES = [
            {
                **engine,
                "OPTIONS": {**engine["OPTIONS"], "context_processors": [*processors, PROCESSOR]},
            }
        ]


def mention(personas, n: int = 1) -> None:
    for i in range(n):
        conv = personas.conversation(subject=f"Lamp {i}")
        desk.add_note(conversation=conv, agent=personas.other_agent, text=f"@Maya look at {i}")


def test_topbar_shows_the_unread_count(personas, client_for):
    mention(personas, 2)
    content = client_for("agent").get("/desk/").content.decode()
    assert 'aria-label="Notifications: 2 unread"' in content
    assert '<span class="count">2</span>' in content


def test_notifications_page_lists_newest_first_and_marks_them_read(personas, client_for):
    mention(personas, 3)
    client = client_for("agent")
    response = client.get("/desk/notifications/")
    content = response.content.decode()
    assert content.index("“Lamp 2”") < content.index("“Lamp 0”")
    assert content.count('class="unread"') == 3
    assert "Omar mentioned you" in content
    assert not Notification.objects.filter(agent=personas.agent, read_at__isnull=True).exists()
    assert 'aria-label="Notifications"' in content  # the count is gone after reading
    again = client.get("/desk/notifications/").content.decode()
    assert 'class="unread"' not in again


def test_notifications_of_others_are_not_shown(personas, client_for):
    mention(personas, 1)
    content = client_for("lead").get("/desk/notifications/").content.decode()
    assert "No notifications." in content
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_notifications_query_count_does_not_grow(personas, client_for):
    mention(personas, 2)
    client = client_for("agent")
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/notifications/")
    mention(personas, 10)
    with CaptureQueriesContext(connection) as many:
        client.get("/desk/notifications/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_unread_count_is_capped_and_costs_one_query(personas, client_for):
    mention(personas, 1)
    client = client_for("agent")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/desk/")
    counting = [q for q in ctx.captured_queries if "desk_notification" in q["sql"]]
    assert len(counting) == 1 and "LIMIT 100" in counting[0]["sql"]


def test_partials_do_not_pay_for_the_count(personas, client_for):
    mention(personas, 1)
    with CaptureQueriesContext(connection) as ctx:
        client_for("agent").get(
            "/desk/?view=open", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-list"
        )
    assert not [q for q in ctx.captured_queries if "desk_notification" in q["sql"]]
