"""The inbox shows how long until each conversation is due, and a "Due soon" view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpmate.desk import actions as desk
from helpmate.desk import selectors
from helpmate.desk.models import Conversation, Status
from helpmate.service import actions as service
from helpmate.service.templatetags.service_tags import due_text, span

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # Tuesday, 12:00 in London
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(minutes=30), "due in 30 min"),
        (timedelta(seconds=20), "due in 1 min"),
        (timedelta(minutes=90), "due in 1 h 30 min"),
        (timedelta(hours=5), "due in 5 h"),
        (timedelta(hours=70), "due in 3 d"),
        (-2 * H, "overdue 2 h"),
        (-timedelta(minutes=5), "overdue 5 min"),
        (timedelta(0), "overdue 1 min"),
    ],
)
def test_due_text_reads_like_an_agent_would_say_it(delta, expected) -> None:
    assert due_text(NOW + delta, NOW)[0] == expected


def test_span_rounds_long_waits_to_days() -> None:
    assert span(timedelta(hours=49)) == "2 d"


def _conv(personas, hours_ago: float, **kwargs) -> Conversation:
    return desk.create_conversation(
        requester=personas.customer,
        subject=f"Opened {hours_ago} business hours ago",
        text="Please help.",
        team=personas.support,
        at=NOW - timedelta(hours=hours_ago),
        **kwargs,
    )


@pytest.fixture
def due_desk(personas, time_machine):
    """First response target 4 h on Mon-Fri 09:00-17:00 London; now is Tuesday 12:00."""
    time_machine.move_to(NOW, tick=False)
    late = _conv(personas, 26)  # Monday 10:00 -> due Monday 14:00: overdue 22 h
    soon = _conv(personas, 3.5)  # 08:30, before hours -> due 13:00 (in 1 h)
    soon2 = _conv(personas, 2.5)  # 09:30 -> due 13:30 (in 1 h 30 min)
    later = _conv(personas, 0.5)  # 11:30 -> due 15:30, outside the 2 h window
    done = _conv(personas, 30)
    desk.change_status(conversation=done, actor=personas.agent, status=Status.RESOLVED)
    return {"overdue": late, "soon": soon, "soon2": soon2, "later": later, "done": done}


def test_due_soon_view_lists_overdue_then_soonest_and_nothing_later(due_desk, client_for):
    response = client_for("agent").get("/desk/?view=due")
    assert response.status_code == 200
    ids = [c.pk for c in response.context["rows"]]
    assert ids == [due_desk["overdue"].pk, due_desk["soon"].pk, due_desk["soon2"].pk]
    content = response.content.decode()
    assert "overdue 22 h" in content
    assert "due in 1 h" in content
    assert 'class="due due-overdue"' in content
    assert "First response due Mon 23 Nov 2026, 14:00 UTC" in content  # the exact time


def test_due_soon_window_is_configurable(due_desk, client_for, settings):
    settings.HELPMATE_DUE_SOON_MINUTES = 5 * 60
    response = client_for("agent").get("/desk/?view=due")
    assert due_desk["later"].pk in [c.pk for c in response.context["rows"]]


def test_due_soon_has_a_sidebar_count_and_a_helpful_empty_state(personas, client_for):
    response = client_for("agent").get("/desk/?view=due")
    content = response.content.decode()
    assert 'href="/desk/?view=due"' in content
    assert "nothing is overdue" in content


def test_every_inbox_row_shows_its_due_time(due_desk, client_for):
    content = client_for("agent").get("/desk/?view=open").content.decode()
    assert content.count('class="due due-') == 4  # the resolved one has none


def test_due_soon_view_is_for_agents_only(due_desk, client_for):
    assert client_for("customer").get("/desk/?view=due").status_code == 403
    response = client_for("anonymous").get("/desk/?view=due")
    assert response.status_code == 302


def test_due_soon_filters_by_team_and_owner(due_desk, personas, client_for):
    desk.assign_conversation(
        conversation=due_desk["soon"], actor=personas.agent, owner=personas.agent
    )
    rows = client_for("agent").get(f"/desk/?view=due&owner={personas.agent.pk}").context["rows"]
    assert [c.pk for c in rows] == [due_desk["soon"].pk]
    rows = client_for("agent").get(f"/desk/?view=due&team={personas.billing.pk}").context["rows"]
    assert rows == []


def test_due_soon_query_count_does_not_grow_with_rows(personas, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    client = client_for("agent")
    for i in range(3):
        _conv(personas, 3 + i)
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/?view=due")
    for i in range(12):
        _conv(personas, 10 + i)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/desk/?view=due")
    assert len(response.context["rows"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries) <= 15


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan without statistics")
@pytest.mark.parametrize("extra", [{}, {"team": 1}, {"owner": 1}])
def test_due_soon_walks_a_due_index_instead_of_sorting(personas, extra):
    filters = selectors.InboxFilters(**extra)
    rows = selectors._inbox_rows(personas.admin.user, "due", filters).order_by("due_at", "pk")
    sql, params = rows.values_list("pk", flat=True)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "conv_" in plan and "due" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_recomputing_after_a_target_change_moves_rows_into_due_soon(due_desk, personas, client_for):
    service.save_target(actor=personas.admin, team=personas.support, first_response=H)
    service.recompute_due_times()
    rows = client_for("agent").get("/desk/?view=due").context["rows"]
    assert due_desk["later"].pk in [c.pk for c in rows]
