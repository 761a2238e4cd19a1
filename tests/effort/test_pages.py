"""The radar, one conversation's journey and the sidebar card: who sees what, and query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpmate.effort.selectors import scope_for
from tests.effort.conftest import play

NOW = timezone.now().replace(microsecond=0)


def _story(
    personas,
    *,
    team="support",
    owner="agent",
    subject="Order 1042 arrived damaged",
    days_ago=3,
    handoff=False,
    requester=None,
):
    start = NOW - timedelta(days=days_ago)
    steps = [(start, "create", subject, "The lamp is broken.", team)]
    if handoff:
        steps.append((start + timedelta(minutes=30), "transfer", "billing", "other_agent"))
        owner = "other_agent"
    steps.append((start + timedelta(hours=1), "reply", owner, "resolved"))
    return play(personas, steps, requester=requester)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agent", 200),
        ("lead", 200),
        ("admin", 200),
        ("other_agent", 200),
        ("customer", 403),
        ("other_customer", 403),
        ("colleague", 403),
        ("supplier", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_radar(client_for, persona, status):
    assert client_for(persona).get("/effort/").status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agent", 200),
        ("lead", 200),
        ("admin", 200),
        ("customer", 403),
        ("other_customer", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_open_a_conversations_journey(client_for, personas, persona, status):
    conv = _story(personas, handoff=True)
    response = client_for(persona).get(f"/effort/c/{conv.pk}/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Who had it when" in html and "Omar Haddad" in html and "Handed over" in html


def test_an_agent_who_cannot_see_the_conversation_gets_404(client_for, personas, settings):
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True
    conv = _story(personas)
    assert client_for("other_agent").get(f"/effort/c/{conv.pk}/").status_code == 404
    assert client_for("agent").get(f"/effort/c/{conv.pk}/").status_code == 200


def test_leads_see_every_team_and_agent_agents_their_own_teams_and_themselves(personas):
    lead, agent, other = (
        scope_for(personas.lead),
        scope_for(personas.agent),
        scope_for(personas.other_agent),
    )
    assert lead.everything and {t.name for t in lead.teams} == {"Support", "Billing"}
    assert {t.name for t in agent.teams} == {"Support"} and agent.agents == [personas.agent]
    assert {t.name for t in other.teams} == {"Billing"}


def test_the_radar_counts_handoffs_and_shows_the_worst_maze(client_for, personas):
    maze = _story(personas, handoff=True, subject="Refund bounced between teams")
    _story(personas, subject="Quick question answered")
    html = client_for("lead").get("/effort/").content.decode()
    assert re.search(r'id="kpi-resolved">2<', html)
    assert re.search(r'id="kpi-handoffs">0.5<', html)
    assert f"/effort/c/{maze.pk}/" in html and "Refund bounced between teams" in html
    assert "<svg" in html and "Weekly figures" in html


def test_an_agent_does_not_see_another_teams_figures(client_for, personas):
    _story(
        personas, team="billing", owner="other_agent", subject="Billing only maze", handoff=False
    )
    html = client_for("agent").get("/effort/").content.decode()
    assert "Billing only maze" not in html
    assert re.search(r'id="kpi-resolved">0<', html)
    # Asking for another team's figures is not possible: the choice is not offered.
    response = client_for("agent").get("/effort/", {"team": personas.billing.pk})
    assert response.status_code == 400 and "Billing only maze" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "comes before its start"),
        ({"start": "2020-01-01", "end": "2026-03-01"}, "at most"),
        ({"start": "yesterday"}, "Enter a valid date"),
    ],
)
def test_bad_radar_filters_are_explained(client_for, personas, params, error):
    response = client_for("lead").get("/effort/", params)
    assert response.status_code == 400
    assert error in response.content.decode()


def test_filters_by_team_and_agent(client_for, personas):
    _story(personas, subject="Support story")
    _story(personas, handoff=True, subject="Handed to billing")
    html = (
        client_for("lead")
        .get("/effort/", {"team": personas.billing.pk, "agent": personas.other_agent.pk})
        .content.decode()
    )
    assert re.search(r'id="kpi-resolved">1<', html) and re.search(r'id="kpi-handoffs">1.0<', html)


def test_the_radar_reads_a_fixed_number_of_queries(
    client_for, personas, django_assert_max_num_queries
):
    for i in range(6):
        _story(personas, handoff=i % 2 == 0, subject=f"Story {i}", days_ago=1 + i * 5)
    client = client_for("lead")
    with django_assert_max_num_queries(16):
        assert client.get("/effort/").status_code == 200


def test_the_journey_page_reads_a_fixed_number_of_queries(
    client_for, personas, django_assert_max_num_queries
):
    conv = _story(personas, handoff=True)
    client = client_for("lead")
    with django_assert_max_num_queries(12):
        assert client.get(f"/effort/c/{conv.pk}/").status_code == 200


def test_the_conversation_page_shows_the_effort_card(client_for, personas):
    conv = _story(personas, handoff=True)
    url = reverse("desk:conversation", args=[conv.pk])
    html = client_for("agent").get(url).content.decode()
    assert "Customer effort" in html and f"/effort/c/{conv.pk}/" in html


def test_the_workspace_links_to_the_radar(client_for, personas):
    html = client_for("agent").get("/effort/").content.decode()
    assert 'href="/effort/" aria-current="page"' in html


def test_the_radar_shows_what_customers_said(client_for, personas):
    from helpmate.effort.actions import answer_ces

    conv = _story(personas, handoff=True, subject="Refund bounced between teams")
    answer_ces(conversation=conv, contact=personas.customer, score=2, comment="Sent around twice.")
    html = client_for("lead").get("/effort/").content.decode()
    assert "Sent around twice." in html and "2 of 7" in html
    # Billing's conversation: Maya (Support) does not see its comment.
    assert "Sent around twice." not in client_for("agent").get("/effort/").content.decode()
