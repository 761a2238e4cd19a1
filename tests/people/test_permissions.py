"""Who may open each people page: anonymous visitors are sent to sign in, portal users
(customers, colleagues, suppliers) are refused, plain agents are refused the admin pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from helpmate.people import actions
from helpmate.people.models import ApiToken, Contact, Organization, Team

pytestmark = pytest.mark.django_db

PORTAL_PERSONAS = ["customer", "other_customer", "colleague", "supplier"]
PLAIN_AGENTS = ["agent", "lead", "other_agent"]

# (url name, how to get its arguments from the personas)
AGENT_PAGES: list[tuple[str, Callable]] = [
    ("people:contacts", lambda p: []),
    ("people:contact_new", lambda p: []),
    ("people:contact", lambda p: [p.customer.pk]),
    ("people:contact_edit", lambda p: [p.customer.pk]),
    ("people:organizations", lambda p: []),
    ("people:organization_new", lambda p: []),
    ("people:organization", lambda p: [p.acme.pk]),
    ("people:organization_edit", lambda p: [p.acme.pk]),
    ("people:me", lambda p: []),
    ("people:tokens", lambda p: []),
]
ADMIN_PAGES: list[tuple[str, Callable]] = [
    ("people:teams", lambda p: []),
    ("people:team_new", lambda p: []),
    ("people:team_edit", lambda p: [p.support.pk]),
    ("people:agents", lambda p: []),
    ("people:agent_new", lambda p: []),
    ("people:agent_edit", lambda p: [p.agent.pk]),
]
ALL_PAGES = AGENT_PAGES + ADMIN_PAGES


def _url(personas, name, args):
    return reverse(name, args=args(personas))


@pytest.mark.parametrize(("name", "args"), ALL_PAGES, ids=[n for n, _ in ALL_PAGES])
def test_anonymous_visitor_is_sent_to_sign_in(client_for, personas, name, args):
    url = _url(personas, name, args)
    response = client_for("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login") + "?next=")


@pytest.mark.parametrize(("name", "args"), ALL_PAGES, ids=[n for n, _ in ALL_PAGES])
@pytest.mark.parametrize("persona", PORTAL_PERSONAS)
def test_portal_users_cannot_open_any_people_page(client_for, personas, name, args, persona):
    response = client_for(persona).get(_url(personas, name, args))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", PORTAL_PERSONAS)
def test_customer_cannot_open_even_their_own_contact_page(client_for, personas, persona):
    own = getattr(personas, persona)
    client = client_for(persona)
    assert client.get(reverse("people:contact", args=[own.pk])).status_code == 403
    assert client.get(reverse("people:contact_edit", args=[own.pk])).status_code == 403


@pytest.mark.parametrize(("name", "args"), AGENT_PAGES, ids=[n for n, _ in AGENT_PAGES])
@pytest.mark.parametrize("persona", [*PLAIN_AGENTS, "admin"])
def test_every_agent_can_open_the_contact_and_organization_pages(
    client_for, personas, name, args, persona
):
    response = client_for(persona).get(_url(personas, name, args))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=[n for n, _ in ADMIN_PAGES])
@pytest.mark.parametrize("persona", PLAIN_AGENTS)
def test_agents_and_leads_cannot_open_team_and_agent_admin_pages(
    client_for, personas, name, args, persona
):
    response = client_for(persona).get(_url(personas, name, args))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=[n for n, _ in ADMIN_PAGES])
def test_admin_can_open_team_and_agent_admin_pages(client_for, personas, name, args):
    assert client_for("admin").get(_url(personas, name, args)).status_code == 200


def test_deactivated_admin_is_sent_to_sign_in(client_for, personas):
    client = client_for("admin")
    personas.admin.user.is_active = False
    personas.admin.user.save()
    response = client.get(reverse("people:teams"))
    assert response.status_code == 302


def test_unknown_ids_are_404_not_500(client_for):
    client = client_for("admin")
    for name in [
        "people:contact",
        "people:contact_edit",
        "people:organization",
        "people:organization_edit",
        "people:team_edit",
        "people:agent_edit",
    ]:
        assert client.get(reverse(name, args=[999999])).status_code == 404, name


@pytest.mark.parametrize("persona", [*PORTAL_PERSONAS, "anonymous"])
def test_portal_users_and_visitors_cannot_create_or_change_contacts(client_for, personas, persona):
    client = client_for(persona)
    before = Contact.objects.count()
    client.post(reverse("people:contact_new"), {"name": "Mallory", "kind": "customer"})
    client.post(
        reverse("people:contact_edit", args=[personas.customer.pk]),
        {"name": "Hacked", "kind": "customer", "language": "en", "time_zone": "UTC"},
    )
    client.post(reverse("people:organization_new"), {"name": "Evil Corp", "kind": "company"})
    assert Contact.objects.count() == before
    assert Contact.objects.get(pk=personas.customer.pk).name == "Carla Mendes"
    assert not Organization.objects.filter(name="Evil Corp").exists()


@pytest.mark.parametrize("persona", [*PLAIN_AGENTS, *PORTAL_PERSONAS])
def test_only_admins_can_create_teams_or_agents(client_for, personas, persona):
    client = client_for(persona)
    assert client.post(reverse("people:team_new"), {"name": "Shadow"}).status_code == 403
    response = client.post(
        reverse("people:agent_new"),
        {
            "email": "eve@helpmate.test",
            "full_name": "Eve",
            "public_name": "Eve",
            "role": "admin",
            "languages": "en",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 403
    assert not Team.objects.filter(name="Shadow").exists()
    assert not personas.agent.__class__.objects.filter(user__email="eve@helpmate.test").exists()


@pytest.mark.parametrize("persona", PLAIN_AGENTS)
def test_agent_cannot_promote_themselves_through_the_agent_edit_page(client_for, personas, persona):
    me = getattr(personas, persona)
    response = client_for(persona).post(
        reverse("people:agent_edit", args=[me.pk]),
        {"full_name": me.full_name, "public_name": "Boss", "role": "admin", "languages": "en"},
    )
    assert response.status_code == 403
    me.refresh_from_db()
    assert me.role != "admin" and me.public_name != "Boss"


def test_agent_cannot_revoke_another_agents_token(client_for, personas):
    token, _raw = actions.create_api_token(agent=personas.other_agent, name="Omar's script")
    response = client_for("agent").post(reverse("people:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_agent_never_sees_another_agents_tokens(client_for, personas):
    token, _raw = actions.create_api_token(agent=personas.other_agent, name="Omar's script")
    page = client_for("agent").get(reverse("people:tokens")).content.decode()
    assert token.prefix not in page and "Omar&#x27;s script" not in page
    assert "You have no API tokens" in page


@pytest.mark.parametrize("persona", [*PORTAL_PERSONAS, "anonymous"])
def test_portal_users_and_visitors_cannot_create_or_revoke_tokens(client_for, personas, persona):
    token, _raw = actions.create_api_token(agent=personas.agent)
    client = client_for(persona)
    client.post(reverse("people:tokens"), {"name": "sneaky"})
    client.post(reverse("people:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1


def test_revoke_needs_a_post(client_for, personas):
    token, _raw = actions.create_api_token(agent=personas.agent)
    response = client_for("agent").get(reverse("people:token_revoke", args=[token.pk]))
    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
