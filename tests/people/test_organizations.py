"""Organization pages: list with kinds and contact counts, detail, create and edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helpmate.people import actions
from helpmate.people.models import Organization

pytestmark = pytest.mark.django_db


def test_organization_list_shows_kinds_and_contact_counts(client_for, personas):
    actions.create_contact(name="Ana Acme", emails=["ana@acme.example"], organization=personas.acme)
    response = client_for("agent").get(reverse("people:organizations"))
    rows = {org.name: org for org in response.context["page"].rows}
    assert rows["Acme"].contact_count == 2
    assert rows["Globex"].contact_count == 1
    html = response.content.decode()
    assert "Internal department" in html and "Supplier company" in html
    assert f"{reverse('people:contacts')}?organization={personas.acme.pk}" in html


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        ("company", "Acme", "Finance"),
        ("department", "Finance", "Acme"),
        ("supplier", "Nordic", "Acme"),
    ],
)
def test_organization_list_filters_by_kind(client_for, personas, kind, shown, hidden):
    response = client_for("agent").get(reverse("people:organizations"), {"kind": kind})
    names = [org.name for org in response.context["page"].rows]
    assert any(shown in name for name in names)
    assert not any(hidden in name for name in names)


def test_organization_search_by_name_or_domain(client_for, personas):
    response = client_for("agent").get(reverse("people:organizations"), {"q": "globex.exa"})
    assert [org.name for org in response.context["page"].rows] == ["Globex"]


def test_organization_list_empty_states(client_for, personas):
    client = client_for("agent")
    assert (
        "No organizations match"
        in client.get(reverse("people:organizations"), {"q": "zzzz"}).content.decode()
    )
    Organization.objects.all().delete()
    assert "No organizations yet" in client.get(reverse("people:organizations")).content.decode()


def test_organization_list_query_count_does_not_grow(client_for, personas, queries_for):
    client = client_for("agent")
    few = queries_for(client, reverse("people:organizations"))
    for index in range(12):
        org = actions.create_organization(name=f"Company {index}", kind="company")
        actions.create_contact(
            name=f"Person {index}", emails=[f"p{index}@c.example"], organization=org
        )
    assert queries_for(client, reverse("people:organizations")) == few
    assert queries_for(client, reverse("people:organizations") + "?kind=company&q=comp") == few


def test_organization_detail_shows_contacts_and_their_recent_conversations(client_for, personas):
    conversation = personas.conversation(subject="Invoice for March is wrong")
    other = personas.conversation(requester=personas.other_customer, subject="Globex only")
    html = (
        client_for("agent")
        .get(reverse("people:organization", args=[personas.acme.pk]))
        .content.decode()
    )
    assert "Carla Mendes" in html and "carla@acme.example" in html
    assert reverse("desk:conversation", args=[conversation.pk]) in html
    assert reverse("desk:conversation", args=[other.pk]) not in html


def test_organization_detail_respects_team_only_visibility(client_for, personas, settings):
    settings.HELPMATE_AGENTS_SEE_TEAM_ONLY = True
    visible = personas.conversation(subject="Support can see", team=personas.support)
    hidden = personas.conversation(subject="Billing only", team=personas.billing)
    html = (
        client_for("agent")
        .get(reverse("people:organization", args=[personas.acme.pk]))
        .content.decode()
    )
    assert reverse("desk:conversation", args=[visible.pk]) in html
    assert reverse("desk:conversation", args=[hidden.pk]) not in html


def test_organization_detail_query_count_does_not_grow(client_for, personas, queries_for):
    client = client_for("agent")
    url = reverse("people:organization", args=[personas.acme.pk])
    personas.conversation()
    few = queries_for(client, url)
    for index in range(10):
        contact = actions.create_contact(
            name=f"Acme {index}", emails=[f"a{index}@acme.example"], organization=personas.acme
        )
        personas.conversation(requester=contact)
    assert queries_for(client, url) == few


def test_agent_creates_and_edits_an_organization(client_for, personas):
    client = client_for("agent")
    response = client.post(
        reverse("people:organization_new"),
        {"name": "  Initech  ", "kind": "company", "domain": "@Initech.example", "notes": "Big"},
    )
    org = Organization.objects.get(name="Initech")
    assert response["Location"] == reverse("people:organization", args=[org.pk])
    assert org.domain == "initech.example"
    response = client.post(
        reverse("people:organization_edit", args=[org.pk]),
        {"name": "Initech Ltd", "kind": "supplier", "domain": "", "notes": ""},
    )
    org.refresh_from_db()
    assert (org.name, org.kind, org.domain) == ("Initech Ltd", "supplier", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "acme", "kind": "company"}, "name", "already an organization called"),
        ({"name": " ", "kind": "company"}, "name", "required"),
        ({"name": "New Co", "kind": "planet"}, "kind", "Select a valid choice"),
        (
            {"name": "New Co", "kind": "company", "domain": "http://x.com/a"},
            "domain",
            "like acme.com",
        ),
    ],
)
def test_bad_organization_input_shows_field_errors_and_saves_nothing(
    client_for, personas, data, field, message
):
    before = Organization.objects.count()
    response = client_for("agent").post(reverse("people:organization_new"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Organization.objects.count() == before


def test_renaming_an_organization_to_its_own_name_in_other_case_is_fine(client_for, personas):
    response = client_for("agent").post(
        reverse("people:organization_edit", args=[personas.acme.pk]),
        {"name": "ACME", "kind": "company", "domain": "acme.example"},
    )
    assert response.status_code == 302
    personas.acme.refresh_from_db()
    assert personas.acme.name == "ACME"


def test_renaming_onto_another_organization_is_refused(client_for, personas):
    response = client_for("agent").post(
        reverse("people:organization_edit", args=[personas.acme.pk]),
        {"name": "Globex", "kind": "company"},
    )
    assert response.status_code == 200
    personas.acme.refresh_from_db()
    assert personas.acme.name == "Acme"
