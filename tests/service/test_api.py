"""The service API: targets (admins), a conversation's due times, target attainment."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpmate.desk.models import Conversation
from helpmate.service.models import ServiceTarget

pytestmark = pytest.mark.django_db

TARGETS = {
    "targets": [
        {"first_response_minutes": 240, "resolution_minutes": 2400},
        {"requester_kind": "supplier", "first_response_minutes": 960},
        {"priority": 4, "channel": "email", "first_response_minutes": 30},
    ]
}


def put(client, body):
    return client.put("/api/service/targets", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("agent", 403), ("lead", 403), ("customer", 403), ("anonymous", 401)],
)
def test_only_admins_read_and_replace_targets(personas, client_for, who, status):
    client = client_for(who)
    assert client.get("/api/service/targets").status_code == status
    assert put(client, TARGETS).status_code == status
    assert ServiceTarget.objects.count() == (3 if status == 200 else 0)


def test_put_replaces_the_table_and_recomputes_open_conversations(
    personas, client_for, django_capture_on_commit_callbacks
):
    conv = personas.conversation()
    before = Conversation.objects.get(pk=conv.pk).first_response_due_at
    admin = client_for("admin")
    body = {"targets": [{"team": personas.support.pk, "first_response_minutes": 60}]}
    with django_capture_on_commit_callbacks(execute=True):
        response = put(admin, body)
    assert response.status_code == 200
    assert response.json()["targets"][0]["first_response_minutes"] == 60
    after = Conversation.objects.get(pk=conv.pk).first_response_due_at
    assert after != before
    assert put(admin, TARGETS).json()["targets"][0]["team"] is None
    assert ServiceTarget.objects.filter(team=personas.support).count() == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"team": 99999, "first_response_minutes": 60}, "No team"),
        ({"channel": "pigeon", "first_response_minutes": 60}, "Unknown channel"),
        ({"requester_kind": "robot", "first_response_minutes": 60}, "Unknown requester kind"),
        ({"priority": 9, "first_response_minutes": 60}, "Unknown priority"),
        ({"team": None}, "at least one"),
    ],
)
def test_bad_target_rows_are_refused_with_a_message_and_change_nothing(
    personas, client_for, row, message
):
    response = put(client_for("admin"), {"targets": [row]})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ServiceTarget.objects.exists()


def test_duplicate_rows_and_negative_minutes_are_refused(personas, client_for):
    admin = client_for("admin")
    row = {"first_response_minutes": 60}
    assert put(admin, {"targets": [row, row]}).status_code == 422
    assert put(admin, {"targets": [{"first_response_minutes": -5}]}).status_code == 422
    assert put(admin, {"targets": [{"first_response_minutes": 5, "x": 1}]}).status_code == 422


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("agent", 200),
        ("other_agent", 200),
        ("customer", 403),
        ("supplier", 403),
        ("anonymous", 401),
    ],
)
def test_due_times_of_a_conversation_for_agents_only(personas, client_for, who, status):
    conv = personas.conversation()
    response = client_for(who).get(f"/api/conversations/{conv.pk}/due")
    assert response.status_code == status
    if status == 200:
        data = response.json()
        assert data["due_at"] == data["first_response_due_at"]
        assert data["targets"] == {
            "first_response": 240,
            "next_response": 480,
            "resolution": 2400,
        }
        assert data["time_zone"] == "Europe/London"


def test_due_times_of_an_unknown_conversation_are_404(personas, client_for):
    assert client_for("agent").get("/api/conversations/99999/due").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("agent", 200), ("lead", 200), ("customer", 403), ("anonymous", 401)]
)
def test_target_report_for_agents_as_json_and_csv(personas, client_for, who, status):
    personas.conversation()
    client = client_for(who)
    response = client.get("/api/reports/targets?days=7")
    assert response.status_code == status
    csv_response = client.get("/api/reports/targets.csv?days=7")
    assert csv_response.status_code == status
    if status == 200:
        data = response.json()
        assert data["overall"]["first_response"]["pending"] == 1
        rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
        assert rows[1][:3] == ["overall", "", "All"]
        assert rows[1][5] == "1"  # first_response_pending


@pytest.mark.parametrize(
    "query",
    ["start=2026-11-10T00:00:00Z&end=2026-11-01T00:00:00Z", "start=2026-11-01T00:00:00", "days=0"],
)
def test_bad_report_periods_are_refused(personas, client_for, query):
    assert client_for("agent").get(f"/api/reports/targets?{query}").status_code == 422


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.text(max_size=12)
    | st.sampled_from(["email", "supplier", "4", "", "\x00"])
)
rows = st.dictionaries(
    st.sampled_from(
        [
            "team",
            "requester_kind",
            "channel",
            "priority",
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
            "other",
        ]
    ),
    scalars,
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(st.dictionaries(st.just("targets"), st.lists(rows, max_size=3)), scalars))
def test_whatever_json_is_put_the_answer_is_never_a_500(personas, client_for, body):
    response = put(client_for("admin"), body)
    assert response.status_code in (200, 422), response.content
