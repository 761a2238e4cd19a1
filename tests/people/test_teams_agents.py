"""Admin pages for teams and agents, and every agent's own profile."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse

from helpmate.people import actions
from helpmate.people.models import Agent, Team

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


# --- teams ------------------------------------------------------------------------------------


def test_team_list_shows_active_member_counts_and_names(client_for, personas):
    personas.lead.user.is_active = False
    personas.lead.user.save()
    response = client_for("admin").get(reverse("people:teams"))
    teams = {team.name: team for team in response.context["teams"]}
    assert teams["Support"].member_count == 1  # Maya; Sam is deactivated
    assert teams["Billing"].member_count == 1
    assert "Maya" in response.content.decode()


def test_team_list_query_count_does_not_grow(client_for, personas, queries_for):
    client = client_for("admin")
    few = queries_for(client, reverse("people:teams"))
    for index in range(8):
        team = actions.create_team(name=f"Team {index}")
        actions.create_agent(
            email=f"t{index}@helpmate.test", name=f"Tess {index}", password=None, teams=[team]
        )
    assert queries_for(client, reverse("people:teams")) == few


def test_admin_creates_and_edits_a_team(client_for, personas):
    client = client_for("admin")
    response = client.post(
        reverse("people:team_new"),
        {"name": "Facilities", "email": "Facilities@Example.com", "description": "Desks, keys"},
    )
    assert response["Location"] == reverse("people:teams")
    team = Team.objects.get(name="Facilities")
    assert team.email == "facilities@example.com"
    page = client.get(reverse("people:team_edit", args=[personas.support.pk])).content.decode()
    assert "Maya Lindqvist" in page  # members listed on the edit page
    client.post(
        reverse("people:team_edit", args=[team.pk]),
        {"name": "Facilities & IT", "email": "", "description": ""},
    )
    team.refresh_from_db()
    assert team.name == "Facilities & IT"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "support"}, "name", "already a team called"),
        ({"name": "   "}, "name", "required"),
        ({"name": "Ops", "email": "not an email"}, "email", "valid email"),
    ],
)
def test_bad_team_input_shows_field_errors_and_saves_nothing(
    client_for, personas, data, field, message
):
    before = Team.objects.count()
    response = client_for("admin").post(reverse("people:team_new"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Team.objects.count() == before


# --- agents -----------------------------------------------------------------------------------


def test_agent_list_shows_name_public_name_email_role_teams_and_status(client_for, personas):
    personas.other_agent.user.is_active = False
    personas.other_agent.user.save()
    html = client_for("admin").get(reverse("people:agents")).content.decode()
    for text in ["Maya Lindqvist", "maya@helpmate.test", "Team lead", "Support", "Deactivated"]:
        assert text in html


def test_agent_list_query_count_does_not_grow(client_for, personas, queries_for):
    client = client_for("admin")
    few = queries_for(client, reverse("people:agents"))
    for index in range(10):
        actions.create_agent(
            email=f"a{index}@helpmate.test",
            name=f"Agent {index}",
            password=None,
            teams=[personas.support, personas.billing],
        )
    assert queries_for(client, reverse("people:agents")) == few


def _new_agent(**overrides) -> dict:
    data = {
        "email": "noor@helpmate.test",
        "full_name": "Noor Al-Amin",
        "public_name": "Noor",
        "role": "lead",
        "languages": "en, ar",
        "signature": "Noor\nSupport",
        "password": "a long enough password",
    }
    data.update(overrides)
    return data


def test_admin_creates_an_agent_who_can_sign_in(client_for, personas):
    response = client_for("admin").post(
        reverse("people:agent_new"), {**_new_agent(), "teams": [personas.support.pk]}
    )
    assert response["Location"] == reverse("people:agents")
    noor = Agent.objects.get(user__email="noor@helpmate.test")
    assert (noor.public_name, noor.role, noor.languages) == ("Noor", "lead", ["en", "ar"])
    assert list(noor.teams.all()) == [personas.support]
    assert authenticate(username="noor@helpmate.test", password="a long enough password")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "maya@helpmate.test", "already an account"),
        ("email", "not-an-email", "valid email"),
        ("full_name", "  ", "required"),
        ("public_name", "", "required"),
        ("role", "owner", "Select a valid choice"),
        ("languages", "english!", "not a language code"),
        ("password", "short", "too short"),
    ],
)
def test_bad_agent_input_shows_field_errors_and_saves_nothing(
    client_for, personas, field, value, message
):
    before = Agent.objects.count()
    response = client_for("admin").post(reverse("people:agent_new"), _new_agent(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Agent.objects.count() == before


def _edit(agent: Agent, **overrides) -> dict:
    data = {
        "full_name": agent.full_name,
        "public_name": agent.public_name,
        "role": agent.role,
        "languages": "en",
        "signature": agent.signature,
        "teams": [team.pk for team in agent.teams.all()],
        "is_active": "on",
        "new_password": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_admin_deactivates_an_agent_instead_of_deleting(client_for, personas):
    response = client_for("admin").post(
        reverse("people:agent_edit", args=[personas.agent.pk]),
        _edit(personas.agent, is_active=None, teams=[personas.billing.pk], role="lead"),
    )
    assert response.status_code == 302
    maya = Agent.objects.select_related("user").get(pk=personas.agent.pk)
    assert not maya.user.is_active and maya.role == "lead"
    assert list(maya.teams.all()) == [personas.billing]
    client = Client()
    assert not client.login(username="maya@helpmate.test", password=PASSWORD)


def test_admin_sets_a_new_password(client_for, personas):
    client_for("admin").post(
        reverse("people:agent_edit", args=[personas.agent.pk]),
        _edit(personas.agent, new_password="another long password"),
    )
    assert authenticate(username="maya@helpmate.test", password="another long password")


def test_too_short_new_password_is_refused_and_nothing_changes(client_for, personas):
    response = client_for("admin").post(
        reverse("people:agent_edit", args=[personas.agent.pk]),
        _edit(personas.agent, public_name="Changed", new_password="short"),
    )
    assert response.status_code == 200
    assert "too short" in " ".join(response.context["form"].errors["new_password"])
    personas.agent.refresh_from_db()
    assert personas.agent.public_name == "Maya"
    assert authenticate(username="maya@helpmate.test", password=PASSWORD)


def test_admin_cannot_lock_themselves_out(client_for, personas):
    response = client_for("admin").post(
        reverse("people:agent_edit", args=[personas.admin.pk]),
        _edit(personas.admin, is_active=None, role="agent"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "cannot deactivate yourself" in " ".join(errors["is_active"])
    assert "cannot remove your own admin role" in " ".join(errors["role"])
    personas.admin.refresh_from_db()
    assert personas.admin.role == "admin" and personas.admin.user.is_active


def test_edit_form_starts_with_the_agents_current_values(client_for, personas):
    form = (
        client_for("admin")
        .get(reverse("people:agent_edit", args=[personas.agent.pk]))
        .context["form"]
    )
    assert form["public_name"].value() == "Maya"
    assert form["is_active"].value() is True


# --- own profile ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["agent", "lead", "admin"])
def test_any_agent_edits_their_own_public_name_signature_and_languages(
    client_for, personas, persona
):
    response = client_for(persona).post(
        reverse("people:me"),
        {"public_name": " Mo ", "signature": "Mo\nThe desk", "languages": "en de PT-BR"},
    )
    assert response["Location"] == reverse("people:me")
    me = Agent.objects.get(pk=getattr(personas, persona).pk)
    assert (me.public_name, me.signature, me.languages) == (
        "Mo",
        "Mo\nThe desk",
        ["en", "de", "pt-br"],
    )


def test_own_profile_cannot_change_role_or_name(client_for, personas):
    client_for("agent").post(
        reverse("people:me"),
        {"public_name": "Maya", "languages": "en", "role": "admin", "full_name": "X"},
    )
    personas.agent.refresh_from_db()
    assert personas.agent.role == "agent" and personas.agent.full_name == "Maya Lindqvist"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"public_name": " ", "languages": "en"}, "public_name"),
        ({"public_name": "M", "languages": "??"}, "languages"),
    ],
)
def test_bad_profile_input_shows_field_errors(client_for, personas, data, field):
    response = client_for("agent").post(reverse("people:me"), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    personas.agent.refresh_from_db()
    assert personas.agent.public_name == "Maya"
