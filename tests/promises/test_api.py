"""The promise endpoints: the detector, the ledger (list, read) and the report, with the
personas, bad payloads answered with the API's one error body."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from helpmate.promises import actions
from tests.api.conftest import ApiClient, assert_error
from tests.conftest import Personas
from tests.promises.helpers import MONDAY, promise

pytestmark = pytest.mark.django_db
AGENTS = ["agent", "lead", "admin", "other_agent"]
TEXT = "Thanks Carla! I'll call you back by Friday."


@pytest.mark.parametrize("persona", AGENTS)
def test_agents_detect_commitments_without_a_conversation(
    api_for: Callable[[str], ApiClient], persona: str
) -> None:
    body = {"text": TEXT, "now": "2026-11-23T10:00:00+01:00", "timezone": "Europe/Berlin"}
    response = api_for(persona).post("/promises/detect", body)
    assert response.status_code == 200
    (item,) = response.json()["commitments"]
    assert item["words"] == "by Friday" and TEXT[item["start"] : item["end"]] == "by Friday"
    assert item["promise"] == "call you back"
    assert item["due"].startswith("2026-11-27T17:00:00")  # the default calendar closes at 17:00


def test_detect_with_a_conversation_reads_the_customers_zone(
    api: ApiClient, personas: Personas
) -> None:
    conv = personas.conversation()
    with time_machine.travel(MONDAY, tick=False):
        response = api.post(
            "/promises/detect", {"text": "I'll call you at 2pm.", "conversation": conv.pk}
        )
    (item,) = response.json()["commitments"]
    assert item["due"] == "2026-11-23T14:00:00Z" or item["due"].startswith("2026-11-23T14:00:00")


def test_detect_answers_an_empty_list_for_a_reply_without_promises(api: ApiClient) -> None:
    response = api.post(
        "/promises/detect", {"text": "We were closed on Friday.", "timezone": "UTC"}
    )
    assert response.json() == {"commitments": []}


def test_detect_in_a_conversation_the_agent_cannot_see_is_not_found(
    settings: object, api_for: Callable[[str], ApiClient], personas: Personas
) -> None:
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True  # type: ignore[attr-defined]
    conv = personas.conversation(team=personas.support)
    response = api_for("other_agent").post(
        "/promises/detect", {"text": TEXT, "conversation": conv.pk}
    )
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": TEXT}, "timezone"),
        ({"text": TEXT, "timezone": "Mars/Olympus"}, "timezone"),
        ({"text": TEXT, "timezone": "UTC", "team": 999999}, "team"),
        ({"text": TEXT, "timezone": "UTC", "now": "2026-11-23T10:00:00"}, "now"),
        ({"text": TEXT, "conversation": 1, "timezone": "UTC"}, "conversation"),
        ({"text": TEXT, "timezone": "UTC", "colour": "red"}, "colour"),
        ({"timezone": "UTC"}, "text"),
        ({"text": "x" * 20001, "timezone": "UTC"}, "text"),
    ],
)
def test_bad_detect_payloads_get_the_one_error_body(
    api: ApiClient, personas: Personas, body: dict, field: str
) -> None:
    personas.conversation()
    error = assert_error(api.post("/promises/detect", body), 422, "validation_error")
    assert error["details"][0]["loc"][-1] == field


@pytest.mark.parametrize("persona", ["customer", "supplier", "anonymous"])
def test_only_agents_may_use_the_promise_api(
    client_for: Callable[[str], Client], persona: str
) -> None:
    client = client_for(persona)
    response = client.post(
        "/api/promises/detect", {"text": TEXT, "timezone": "UTC"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    for path in ("/api/promises", "/api/promises/1", "/api/reports/promises"):
        assert client.get(path).status_code in (401, 403)
    assert client.get("/api/reports/promises.csv").status_code in (401, 403)
    for path in ("/api/promises", "/api/promises/1/keep", "/api/promises/1/cancel"):
        response = client.post(path, {}, content_type="application/json")
        assert response.status_code in (401, 403)


def test_list_and_read_promises_with_filters(api: ApiClient, personas: Personas) -> None:
    conv = personas.conversation()
    with time_machine.travel(MONDAY, tick=False):
        first = promise(conv, personas.agent)
        second = promise(conv, personas.lead, text="send the form", due=MONDAY + timedelta(days=1))
        actions.keep_promise(promise=second, actor=personas.lead)
    everything = api.get("/promises").json()["items"]
    assert [p["id"] for p in everything] == [second.pk, first.pk]  # soonest due first
    assert [p["id"] for p in api.get("/promises", {"state": "open"}).json()["items"]] == [first.pk]
    assert [p["id"] for p in api.get("/promises", {"agent": personas.lead.pk}).json()["items"]] == [
        second.pk
    ]
    one = api.get(f"/promises/{first.pk}").json()
    assert one["made_to_kind"] == "customer" and one["due_local"] == "2026-11-27T17:00:00+00:00"
    assert_error(api.get("/promises", {"state": "lost"}), 422, "validation_error")


def test_a_promise_in_a_hidden_conversation_is_not_found_or_listed(
    settings: object, api_for: Callable[[str], ApiClient], personas: Personas
) -> None:
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True  # type: ignore[attr-defined]
    with time_machine.travel(MONDAY, tick=False):
        p = promise(personas.conversation(team=personas.support), personas.agent)
    omar = api_for("other_agent")
    assert_error(omar.get(f"/promises/{p.pk}"), 404, "not_found")
    assert omar.get("/promises").json()["items"] == []


def _history(personas: Personas) -> None:
    """Maya: one kept early, one broken; Sam (lead): one renegotiated."""
    with time_machine.travel(MONDAY, tick=False):
        conv = personas.conversation()
        kept = promise(conv, personas.agent)
        actions.keep_promise(promise=kept, actor=personas.agent, at=MONDAY + timedelta(days=1))
        broken = promise(conv, personas.agent, due=MONDAY + timedelta(hours=2))
        actions.mark_broken(promise=broken, at=MONDAY + timedelta(hours=3))
        moved = promise(conv, personas.lead)
        actions.renegotiate_promise(
            promise=moved,
            actor=personas.lead,
            new_due_at=MONDAY + timedelta(days=8),
            at=MONDAY + timedelta(days=2),
        )


def test_the_report_api_gives_leads_everyones_figures_and_agents_their_own(
    api_for: Callable[[str], ApiClient], personas: Personas
) -> None:
    _history(personas)
    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        lead = api_for("lead").get("/reports/promises", {"days": 30}).json()
        mine = api_for("agent").get("/reports/promises", {"days": 30}).json()
        csv_text = api_for("lead").get("/reports/promises.csv").content.decode()
    assert lead["own_only"] is False
    assert (lead["total"]["made"], lead["total"]["decided"]) == (4, 3)
    assert lead["total"]["kept_early"] == 1 and lead["total"]["renegotiated"] == 1
    assert lead["total"]["kept_rate"] == 33.3 and lead["total"]["broken_rate"] == 33.3
    assert {a["label"] for a in lead["by_agent"]} == {"Maya Lindqvist", "Sam Okafor"}
    assert mine["own_only"] is True and mine["total"]["made"] == 2
    assert mine["total"]["kept_rate"] == 50.0 and mine["total"]["median_margin_minutes"] == 4740
    assert csv_text.splitlines()[0].startswith("group,label,made,kept_early")
    assert "total,All,4,1,0,0,1,1,0,3,33.3" in csv_text


@time_machine.travel(MONDAY, tick=False)
def test_the_lifecycle_through_the_api(api: ApiClient, personas: Personas) -> None:
    conv = personas.conversation()
    made = api.post(
        "/promises",
        {"conversation": conv.pk, "text": "call you back", "due_at": "2026-11-27T17:00:00+00:00"},
    )
    assert made.status_code == 201, made.content
    first = made.json()
    assert (first["state"], first["source"], first["made_to"]) == (
        "open",
        "api",
        personas.customer.pk,
    )
    moved = api.post(
        f"/promises/{first['id']}/renegotiate",
        {"new_due_at": "2026-11-30T17:00:00+00:00", "reason": "Part delayed"},
    )
    assert moved.status_code == 201 and moved.json()["renegotiated_from"] == first["id"]
    assert api.get(f"/promises/{first['id']}").json()["state"] == "renegotiated"
    kept = api.post(f"/promises/{moved.json()['id']}/keep", {})
    assert kept.json()["state"] == "kept_early"
    assert_error(api.post(f"/promises/{moved.json()['id']}/cancel", {}), 409, "conflict")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "call you", "due_at": "2020-01-01T10:00:00+00:00"}, 400, "bad_request"),
        ({"text": "call you", "due_at": "2026-11-27T10:00:00"}, 422, "validation_error"),
        ({"text": "", "due_at": "2026-11-27T10:00:00+00:00"}, 400, "bad_request"),
        (
            {"text": "call", "due_at": "2026-11-27T10:00:00+00:00", "made_to": 99999},
            422,
            "validation_error",
        ),
    ],
)
@time_machine.travel(MONDAY, tick=False)
def test_bad_promises_through_the_api_get_the_one_error_body(
    api: ApiClient, personas: Personas, body: dict, status: int, code: str
) -> None:
    conv = personas.conversation()
    assert_error(api.post("/promises", {"conversation": conv.pk, **body}), status, code)


@time_machine.travel(MONDAY, tick=False)
def test_changing_a_promise_in_a_hidden_conversation_is_not_found(
    settings: object, api_for: Callable[[str], ApiClient], personas: Personas
) -> None:
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True  # type: ignore[attr-defined]
    conv = personas.conversation(team=personas.support)
    p = promise(conv, personas.agent, at=MONDAY)
    omar = api_for("other_agent")
    body = {"conversation": conv.pk, "text": "x", "due_at": "2026-11-27T10:00:00+00:00"}
    assert_error(omar.post("/promises", body), 404, "not_found")
    for action in ("keep", "cancel"):
        assert_error(omar.post(f"/promises/{p.pk}/{action}", {}), 404, "not_found")
