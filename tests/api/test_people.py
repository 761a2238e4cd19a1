"""Contacts, organizations, agents and teams through the API."""

from __future__ import annotations

import pytest

from helpmate.people import actions as people
from helpmate.people.models import Contact, Organization

from .conftest import assert_error

pytestmark = pytest.mark.django_db


# --- contacts ----------------------------------------------------------------------------------


def test_contacts_list_by_name_with_emails_and_organization(personas, api):
    body = api.get("/contacts").json()
    assert [c["name"] for c in body["items"]] == [
        "Carla Mendes",
        "Dan Fischer",
        "Priya Nair",
        "Sven Ek",
    ]
    carla = body["items"][0]
    assert carla["email"] == "carla@acme.example" and carla["emails"] == ["carla@acme.example"]
    assert carla["organization"] == {"id": personas.acme.pk, "name": "Acme", "kind": "company"}
    assert carla["greeting_name"] == "Carla" and carla["time_zone"] == "Europe/Lisbon"
    assert "user" not in carla


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"q": "globex"}, ["Dan Fischer"]),
        ({"q": "priya@"}, ["Priya Nair"]),
        ({"kind": "supplier"}, ["Sven Ek"]),
        ({"organization": "acme"}, ["Carla Mendes"]),
    ],
)
def test_contacts_filters(personas, api, params, names):
    if params.get("organization") == "acme":
        params = {"organization": personas.acme.pk}
    assert [c["name"] for c in api.get("/contacts", params).json()["items"]] == names


def test_create_contact(personas, api):
    response = api.post(
        "/contacts",
        {
            "name": "  Lena   Vogel ",
            "kind": "customer",
            "emails": ["Lena@Acme.example", "lena.v@home.example"],
            "preferred_name": "Lena",
            "language": "de",
            "time_zone": "Europe/Berlin",
            "organization": personas.acme.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Lena Vogel"
    assert body["email"] == "lena@acme.example"
    assert sorted(body["emails"]) == ["lena.v@home.example", "lena@acme.example"]
    assert Contact.objects.filter(name="Lena Vogel").exists()


def test_create_contact_with_a_taken_email_is_a_conflict(personas, api):
    response = api.post("/contacts", {"name": "Copy", "emails": ["carla@acme.example"]})
    error = assert_error(response, 409, "conflict")
    assert "carla@acme.example" in error["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "time_zone": "Mars/Olympus"},
        {"name": "X", "emails": ["nope"]},
        {"name": "   "},
    ],
)
def test_create_contact_with_bad_values_is_refused(personas, api, body):
    assert_error(api.post("/contacts", body), 400, "bad_request")
    assert Contact.objects.count() == 4


def test_create_contact_with_unknown_organization_is_refused(personas, api):
    response = api.post("/contacts", {"name": "X", "organization": 999999})
    error = assert_error(response, 422, "validation_error")
    assert error["details"][0]["loc"] == ["body", "organization"]


def test_patch_contact_changes_only_what_is_sent(personas, api):
    path = f"/contacts/{personas.customer.pk}"
    body = api.patch(path, {"phone": "+351 21 000 0000", "organization": None}).json()
    assert body["phone"] == "+351 21 000 0000"
    assert body["organization"] is None
    assert body["name"] == "Carla Mendes" and body["emails"] == ["carla@acme.example"]
    assert body["time_zone"] == "Europe/Lisbon"


def test_patch_contact_emails_replaces_the_list(personas, api):
    path = f"/contacts/{personas.customer.pk}"
    body = api.patch(path, {"emails": ["carla.m@acme.example", "carla@acme.example"]}).json()
    assert body["email"] == "carla.m@acme.example"
    assert_error(api.patch(path, {"emails": ["dan@globex.example"]}), 409, "conflict")


def test_patch_contact_null_name_is_refused(personas, api):
    assert_error(
        api.patch(f"/contacts/{personas.customer.pk}", {"name": None}), 422, "validation_error"
    )


def test_unknown_contact_is_404(personas, api):
    assert_error(api.get("/contacts/999999"), 404, "not_found")
    assert_error(api.patch("/contacts/999999", {"phone": "1"}), 404, "not_found")


# --- organizations -----------------------------------------------------------------------------


def test_organizations_list_with_count(personas, api):
    body = api.get("/organizations").json()
    assert [o["name"] for o in body["items"]] == ["Acme", "Finance", "Globex", "Nordic Parts"]
    assert body["count"] == 4
    assert [o["name"] for o in api.get("/organizations", {"kind": "supplier"}).json()["items"]] == [
        "Nordic Parts"
    ]
    assert [o["name"] for o in api.get("/organizations", {"q": "globex.ex"}).json()["items"]] == [
        "Globex"
    ]


def test_create_and_patch_organization(personas, api):
    created = api.post("/organizations", {"name": "Initech", "domain": "Initech.example"})
    assert created.status_code == 201
    org = created.json()
    assert (org["kind"], org["domain"]) == ("company", "initech.example")
    patched = api.patch(f"/organizations/{org['id']}", {"kind": "supplier"}).json()
    assert patched["kind"] == "supplier" and patched["name"] == "Initech"


def test_duplicate_organization_name_is_a_conflict(personas, api):
    assert_error(api.post("/organizations", {"name": "acme"}), 409, "conflict")
    other = Organization.objects.get(name="Globex")
    assert_error(api.patch(f"/organizations/{other.pk}", {"name": "ACME"}), 409, "conflict")


def test_unknown_organization_kind_is_refused(personas, api):
    error = assert_error(
        api.post("/organizations", {"name": "X", "kind": "empire"}), 422, "validation_error"
    )
    assert error["details"][0]["loc"] == ["body", "kind"]


def test_unknown_organization_is_404(personas, api):
    assert_error(api.get("/organizations/999999"), 404, "not_found")


# --- agents and teams --------------------------------------------------------------------------


def test_agents_list_active_agents_with_teams(personas, api):
    body = api.get("/agents").json()
    assert body["count"] == 4
    maya = next(a for a in body["items"] if a["id"] == personas.agent.pk)
    assert maya == {
        "id": personas.agent.pk,
        "public_name": "Maya",
        "full_name": "Maya Lindqvist",
        "email": "maya@helpmate.test",
        "role": "agent",
        "teams": [{"id": personas.support.pk, "name": "Support"}],
        "languages": ["en"],
        "is_active": True,
    }


def test_agents_filter_by_team_and_inactive(personas, api):
    names = [
        a["public_name"] for a in api.get("/agents", {"team": personas.billing.pk}).json()["items"]
    ]
    assert names == ["Omar"]
    people.update_agent(
        agent=personas.other_agent,
        name="Omar Haddad",
        public_name="Omar",
        role="agent",
        teams=[personas.billing],
        is_active=False,
    )
    assert api.get("/agents").json()["count"] == 3
    assert api.get("/agents", {"include_inactive": "true"}).json()["count"] == 4


def test_agent_detail_and_unknown(personas, api):
    assert api.get(f"/agents/{personas.admin.pk}").json()["role"] == "admin"
    assert_error(api.get("/agents/999999"), 404, "not_found")
    assert_error(api.get("/agents/not-a-number"), 422, "validation_error")


def test_teams_with_members(personas, api):
    body = api.get("/teams").json()
    assert [t["name"] for t in body["items"]] == ["Billing", "Support"]
    support = api.get(f"/teams/{personas.support.pk}").json()
    assert [a["public_name"] for a in support["agents"]] == ["Maya", "Sam"]
    assert_error(api.get("/teams/999999"), 404, "not_found")


def test_agents_and_teams_are_read_only(personas, api):
    assert_error(api.post("/agents", {"name": "x"}), 405, "method_not_allowed")
    assert_error(
        api.patch(f"/teams/{personas.support.pk}", {"name": "x"}), 405, "method_not_allowed"
    )
