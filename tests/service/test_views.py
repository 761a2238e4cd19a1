"""The admin pages under /service/: calendars, holidays, team calendars, targets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpmate.service import actions
from helpmate.service.calendar import calendar_for
from helpmate.service.models import BusinessCalendar, Holiday, ServiceTarget, TeamService

pytestmark = pytest.mark.django_db

PAGES = ["/service/", "/service/calendars/new/", "/service/targets/new/"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("agent", 403),
        ("lead", 403),
        ("other_agent", 403),
        ("customer", 403),
        ("colleague", 403),
        ("supplier", 403),
        ("anonymous", 302),
    ],
)
def test_service_pages_are_for_admins_only(personas, client_for, url, who, status):
    assert client_for(who).get(url).status_code == status


@pytest.mark.parametrize("who", ["agent", "lead", "customer"])
def test_non_admins_cannot_post_changes(personas, client_for, who):
    client = client_for(who)
    client.post("/service/calendars/new/", {"name": "X", "time_zone": "UTC", "hours_mon": "9:00"})
    client.post("/service/targets/new/", {"first_response": "1h"})
    client.post("/service/teams/", {"team": personas.support.pk})
    assert not BusinessCalendar.objects.exists()
    assert not ServiceTarget.objects.exists()
    assert not TeamService.objects.exists()


def test_admin_creates_a_calendar_with_a_night_shift_and_a_half_day(personas, client_for):
    admin = client_for("admin")
    response = admin.post(
        "/service/calendars/new/",
        {
            "name": "Night desk",
            "time_zone": "America/New_York",
            "hours_mon": "22:00-06:00",
            "hours_tue": "09:00-12:00, 13:00-17:00",
            "is_default": "on",
        },
    )
    cal = BusinessCalendar.objects.get(name="Night desk")
    assert response.status_code == 302
    assert cal.hours["mon"] == ["22:00-06:00"]
    assert cal.is_default
    response = admin.post(
        f"/service/calendars/{cal.pk}/holidays/",
        {"date": "2026-12-24", "name": "Christmas Eve", "hours": "09:00-12:00"},
    )
    assert response.status_code == 302
    assert Holiday.objects.get(calendar=cal).hours == ["09:00-12:00"]
    # The default calendar now applies to teams without their own.
    assert calendar_for(personas.support).name == "Night desk"
    page = admin.get(f"/service/calendars/{cal.pk}/").content.decode()
    assert "Christmas Eve" in page and "09:00-12:00" in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"time_zone": "Mars/Olympus", "hours_mon": "09:00-17:00"}, "not a known time zone"),
        ({"time_zone": "UTC", "hours_mon": "9 to 5"}, "not a time range"),
        ({"time_zone": "UTC", "hours_mon": "09:00-12:00, 11:00-13:00"}, "must not overlap"),
        ({"time_zone": "UTC"}, "at least one day"),
    ],
)
def test_bad_calendars_are_refused_with_a_message(personas, client_for, fields, error):
    response = client_for("admin").post("/service/calendars/new/", {"name": "Bad", **fields})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not BusinessCalendar.objects.exists()


def test_admin_assigns_a_calendar_to_a_team(personas, client_for):
    cal = actions.save_calendar(
        actor=personas.admin,
        name="Sydney",
        time_zone="Australia/Sydney",
        hours={"mon": "08:00-18:00"},
    )
    response = client_for("admin").post(
        "/service/teams/", {"team": personas.billing.pk, "calendar": cal.pk}
    )
    assert response.status_code == 302
    assert calendar_for(personas.billing).tz.key == "Australia/Sydney"
    client_for("admin").post("/service/teams/", {"team": personas.billing.pk, "calendar": ""})
    assert calendar_for(personas.billing).name == "Default"


def test_admin_sets_edits_and_removes_targets(personas, client_for):
    admin = client_for("admin")
    response = admin.post(
        "/service/targets/new/",
        {
            "team": personas.support.pk,
            "requester_kind": "colleague",
            "first_response": "1h 30m",
            "resolution": "16h",
        },
    )
    assert response.status_code == 302
    target = ServiceTarget.objects.get()
    assert target.first_response == timedelta(minutes=90)
    assert target.next_response is None
    page = admin.get("/service/").content.decode()
    assert "1h 30m" in page and "Colleague" in page
    admin.post(
        f"/service/targets/{target.pk}/",
        {"team": personas.support.pk, "requester_kind": "colleague", "first_response": "45m"},
    )
    assert ServiceTarget.objects.get().first_response == timedelta(minutes=45)
    admin.post(f"/service/targets/{target.pk}/delete/")
    assert not ServiceTarget.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [({}, "Set at least one target"), ({"first_response": "soon"}, "not a duration")],
)
def test_bad_targets_are_refused_with_a_message(personas, client_for, fields, error):
    response = client_for("admin").post("/service/targets/new/", fields)
    assert response.status_code == 200
    assert error in response.content.decode()


def test_service_index_query_count_does_not_grow_with_rows(personas, client_for):
    admin = client_for("admin")

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            cal = actions.save_calendar(
                actor=personas.admin, name=f"Cal {i}", time_zone="UTC", hours={"mon": "9:00-17:00"}
            )
            actions.set_holiday(
                actor=personas.admin, calendar=cal, date=date(2026, 12, 1 + i), name="Closed"
            )
            actions.save_target(
                actor=personas.admin,
                priority=1 + i % 4,
                channel=["email", "portal", "phone", "chat", "api", "internal"][i % 6],
                first_response=timedelta(hours=i + 1),
            )

    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert admin.get("/service/").status_code == 200
    add(6, 2)
    with CaptureQueriesContext(connection) as many:
        assert admin.get("/service/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
