"""The effort API: one conversation's effort, the radar's figures, the CES answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from helpmate.effort.actions import answer_ces
from tests.api.conftest import ApiClient
from tests.effort.conftest import play


def _maze(personas, *, team="support", owner="agent", handoff=True, days_ago=2):
    start = timezone.now() - timedelta(days=days_ago)
    steps = [(start, "create", "Refund bounced", "My refund bounced.", team)]
    if handoff:
        steps.append((start + timedelta(minutes=30), "transfer", "billing", "other_agent"))
        owner = "other_agent"
    steps.append((start + timedelta(hours=2), "reply", owner, "resolved"))
    return play(personas, steps)


def test_one_conversations_effort_with_metrics_score_and_steps(api_for, personas):
    conv = _maze(personas)
    body = api_for("lead").get(f"/conversations/{conv.pk}/effort").json()
    assert body["conversation_id"] == conv.pk
    assert body["handoffs"] == 1 and body["teams_touched"] == [
        personas.support.pk,
        personas.billing.pk,
    ]
    assert [s["via"] for s in body["steps"]] == ["Opened", "Handed over"]
    assert body["steps"][1]["owner"] == "Omar Haddad"
    assert body["score"] == round(sum(p["points"] for p in body["score_parts"]))
    assert body["first_contact_resolution"] is True


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("customer_session", 403), ("agent", 200)]
)
def test_who_may_read_a_conversations_effort(api_for, client_for, personas, who, status):
    conv = _maze(personas)
    if who == "anonymous":
        response = ApiClient().get(f"/conversations/{conv.pk}/effort")
    elif who == "customer_session":
        response = client_for("customer").get(f"/api/conversations/{conv.pk}/effort")
    else:
        response = api_for(who).get(f"/conversations/{conv.pk}/effort")
    assert response.status_code == status


def test_an_agent_who_cannot_see_the_conversation_gets_404(api_for, personas, settings):
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True
    conv = _maze(personas, handoff=False)
    assert api_for("other_agent").get(f"/conversations/{conv.pk}/effort").status_code == 404
    assert api_for("agent").get("/conversations/999999/effort").status_code == 404


def test_the_report_counts_handoffs_per_team_and_agent(api_for, personas):
    _maze(personas)
    _maze(personas, handoff=False)
    body = api_for("lead").get("/reports/effort").json()
    assert body["total"]["conversations"] == 2 and body["total"]["handoffs"] == 0.5
    assert {t["label"]: t["conversations"] for t in body["teams"]} == {"Billing": 1, "Support": 1}
    assert {a["label"]: a["handoffs"] for a in body["agents"]} == {
        "Maya Lindqvist": 0.0,
        "Omar Haddad": 1.0,
    }
    assert body["worst_mazes"][0]["handoffs"] == 1
    assert sum(w["conversations"] for w in body["weeks"]) == 2


@pytest.mark.parametrize(
    ("who", "params", "status"),
    [
        ("agent", {"team": "billing"}, 403),
        ("agent", {"agent": "other_agent"}, 403),
        ("agent", {"team": "support"}, 200),
        ("lead", {"team": "billing", "agent": "other_agent"}, 200),
        ("lead", {"start": "2026-03-10", "end": "2026-03-01"}, 422),
        ("lead", {"start": "not-a-date"}, 422),
    ],
)
def test_report_filters_and_who_may_see_them(api_for, personas, who, params, status):
    query = {
        k: (getattr(personas, v).pk if k in ("team", "agent") else v) for k, v in params.items()
    }
    response = api_for(who).get("/reports/effort", query)
    assert response.status_code == status, response.content


def test_an_agent_sees_only_their_own_teams_figures(api_for, personas):
    _maze(personas, team="billing", owner="other_agent", handoff=False)
    body = api_for("agent").get("/reports/effort").json()
    assert body["total"]["conversations"] == 0 and body["teams"] == []
    assert body["worst_mazes"] == []


def test_ces_answers_are_listed_newest_first(api_for, personas):
    first, second = _maze(personas), _maze(personas, handoff=False)
    answer_ces(conversation=first, contact=personas.customer, score=2, comment="Bounced around.")
    answer_ces(conversation=second, contact=personas.customer, score=7)
    body = api_for("lead").get("/effort/ces-answers").json()
    assert [(i["conversation_id"], i["score"]) for i in body["items"]] == [
        (second.pk, 7),
        (first.pk, 2),
    ]
    assert body["items"][1]["comment"] == "Bounced around."
    assert body["count"] == 2
    assert ApiClient(client=Client()).get("/effort/ces-answers").status_code == 401


def test_the_report_reads_a_fixed_number_of_queries(
    api_for, personas, django_assert_max_num_queries
):
    for days in (1, 8, 15, 22):
        _maze(personas, days_ago=days)
    api = api_for("lead")
    with django_assert_max_num_queries(14):
        assert api.get("/reports/effort").status_code == 200
