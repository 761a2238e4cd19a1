"""Contact pages: the list (search, filters, pages), the profile with history, create and edit."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from helpmate.desk import actions as desk
from helpmate.desk.models import Status
from helpmate.people import actions
from helpmate.people.models import Contact, ContactEmail

pytestmark = pytest.mark.django_db


def _page(client, **params) -> str:
    response = client.get(reverse("people:contacts"), params)
    assert response.status_code == 200
    return response.content.decode()


# --- the list ---------------------------------------------------------------------------------


def test_contact_list_shows_name_preferred_name_kind_email_organization_and_open_count(
    client_for, personas
):
    personas.conversation()
    personas.conversation(subject="Second parcel missing")
    page = _page(client_for("agent"))
    assert "Carla Mendes" in page and "“Carla”" in page
    assert "carla@acme.example" in page
    assert reverse("people:organization", args=[personas.acme.pk]) in page
    assert "2 open" in page
    assert 'class="badge kind-colleague"' in page and 'class="badge kind-supplier"' in page


def test_resolved_conversations_are_not_counted_as_open(client_for, personas):
    conversation = personas.conversation()
    desk.change_status(conversation=conversation, actor=personas.agent, status=Status.RESOLVED)
    assert "1 open" not in _page(client_for("agent"))


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("mendes", "Carla Mendes", "Dan Fischer"),
        ("dan@globex", "Dan Fischer", "Carla Mendes"),
        ("nordic", "Sven Ek", "Carla Mendes"),
        ("CARLA", "Carla Mendes", "Priya Nair"),
    ],
)
def test_search_finds_contacts_by_name_email_and_organization(
    client_for, personas, query, found, not_found
):
    page = _page(client_for("agent"), q=query)
    assert found in page and not_found not in page


def test_search_by_preferred_name(client_for, personas):
    actions.create_contact(name="Robert Lang", preferred_name="Bobby", emails=["rl@x.example"])
    page = _page(client_for("agent"), q="bobby")
    assert "Robert Lang" in page and "Carla Mendes" not in page


def test_contact_with_two_matching_emails_is_listed_once(client_for, personas):
    actions.create_contact(name="Twin Mail", emails=["twin@a.example", "twin@b.example"])
    assert _page(client_for("agent"), q="twin@").count(">Twin Mail</a>") == 1


def test_filter_by_kind_and_by_organization(client_for, personas):
    client = client_for("agent")
    page = _page(client, kind="supplier")
    assert "Sven Ek" in page and "Carla Mendes" not in page
    page = _page(client, organization=personas.acme.pk)
    assert "Carla Mendes" in page and "Dan Fischer" not in page
    assert "Showing contacts of" in page


def test_nonsense_filters_are_ignored_not_errors(client_for, personas):
    page = _page(client_for("agent"), kind="alien", organization="x", page="-3")
    assert "Carla Mendes" in page


def test_empty_search_says_what_to_do_next(client_for, personas):
    page = _page(client_for("agent"), q="no such person anywhere")
    assert "No contacts match" in page and reverse("people:contact_new") in page


def test_empty_desk_invites_adding_the_first_contact(client_for, personas):
    Contact.objects.all().delete()
    assert "No contacts yet" in _page(client_for("agent"))


@override_settings(HELPMATE_PAGE_SIZE=5)
def test_pages_are_in_name_order_without_gaps_or_repeats(client_for, personas):
    for index in range(9):
        actions.create_contact(name=f"Zed Person {index:02d}", emails=[f"z{index}@z.example"])
    client = client_for("agent")
    seen: list[str] = []
    number = 1
    while True:
        response = client.get(reverse("people:contacts"), {"page": number})
        rows = [row.name for row in response.context["page"].rows]
        seen += rows
        if not response.context["page"].has_next:
            break
        assert 'rel="next"' in response.content.decode()
        number += 1
    assert number == 3
    expected = list(Contact.objects.order_by("name", "pk").values_list("name", flat=True))
    assert seen == expected


def test_page_past_the_end_explains_itself(client_for, personas):
    page = _page(client_for("agent"), page=40)
    assert "There is no page 40" in page


def test_htmx_search_returns_only_the_results(client_for, personas):
    response = client_for("agent").get(
        reverse("people:contacts"),
        {"q": "carla"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="contact-results",
    )
    html = response.content.decode()
    assert "Carla Mendes" in html and "<header" not in html and "<table" in html


def test_contact_list_query_count_does_not_grow_with_rows(client_for, personas, queries_for):
    client = client_for("agent")
    personas.conversation()
    few = queries_for(client, reverse("people:contacts"))
    for index in range(15):
        contact = actions.create_contact(
            name=f"Bulk {index}", emails=[f"b{index}@bulk.example", f"b{index}@alt.example"]
        )
        personas.conversation(requester=contact)
    many = queries_for(client, reverse("people:contacts"))
    assert many == few
    assert many <= 8  # session, user, agent, the layout, and one query for the whole list
    assert queries_for(client, reverse("people:contacts") + "?q=bulk&kind=customer") == few


# --- the profile ------------------------------------------------------------------------------


def test_profile_shows_facts_local_time_and_conversation_history(client_for, personas):
    conversation = personas.conversation()
    personas.customer.notes = "Prefers phone calls in the morning."
    personas.customer.save()
    actions.update_contact(
        contact=personas.customer,
        name="Carla Mendes",
        preferred_name="Carla",
        emails=["carla@acme.example", "carla.m@home.example"],
        kind="customer",
        phone="+351 21 000 0000",
        time_zone="Europe/Lisbon",
        organization=personas.acme,
        notes="Prefers phone calls in the morning.",
    )
    response = client_for("agent").get(reverse("people:contact", args=[personas.customer.pk]))
    html = response.content.decode()
    assert "carla.m@home.example" in html and "(primary)" in html
    assert "Europe/Lisbon" in html and "Their time now" in html
    assert "Prefers phone calls in the morning." in html
    assert reverse("desk:conversation", args=[conversation.pk]) in html
    assert "badge status-new" in html
    assert f"{reverse('desk:new')}?contact={personas.customer.pk}" in html
    assert reverse("people:contact_edit", args=[personas.customer.pk]) in html
    assert reverse("people:organization", args=[personas.acme.pk]) in html


def test_profile_without_conversations_offers_to_log_one(client_for, personas):
    html = client_for("agent").get(reverse("people:contact", args=[personas.supplier.pk]))
    assert "No conversations with" in html.content.decode()


def test_notes_are_escaped_on_the_profile(client_for, personas):
    personas.customer.notes = "<script>alert(1)</script>"
    personas.customer.save()
    html = client_for("agent").get(reverse("people:contact", args=[personas.customer.pk]))
    assert "<script>alert(1)</script>" not in html.content.decode()


def test_profile_query_count_does_not_grow_with_history(client_for, personas, queries_for):
    client = client_for("agent")
    url = reverse("people:contact", args=[personas.customer.pk])
    personas.conversation()
    few = queries_for(client, url)
    for index in range(12):
        conversation = personas.conversation(subject=f"Question {index}")
        desk.add_reply(conversation=conversation, agent=personas.agent, text="On it")
    assert queries_for(client, url) == few


# --- create and edit --------------------------------------------------------------------------


def _form(**overrides) -> dict[str, str]:
    data = {
        "name": "Lena Berg",
        "preferred_name": "Lena",
        "kind": "customer",
        "emails": "lena@berg.example, lena.private@mail.example",
        "phone": "",
        "language": "de",
        "time_zone": "Europe/Berlin",
        "organization": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_agent_creates_a_contact_with_several_emails(client_for, personas):
    response = client_for("agent").post(
        reverse("people:contact_new"), _form(organization=str(personas.acme.pk))
    )
    contact = Contact.objects.get(name="Lena Berg")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:contact", args=[contact.pk])
    assert contact.primary_email == "lena@berg.example"
    assert contact.emails.count() == 2
    assert contact.organization == personas.acme and contact.time_zone == "Europe/Berlin"


def test_new_contact_form_is_prefilled_from_the_organization_link(client_for, personas):
    response = client_for("agent").get(
        reverse("people:contact_new"), {"organization": personas.acme.pk, "kind": "supplier"}
    )
    assert response.context["form"]["organization"].value() == personas.acme.pk
    assert response.context["form"]["kind"].value() == "supplier"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("emails", "lena(at)berg", "is not an email address"),
        ("emails", "carla@acme.example", "already belongs to another contact"),
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone"),
        ("name", "   ", "required"),
        ("language", "German!", "is not a language code"),
        ("kind", "alien", "Select a valid choice"),
        ("organization", "999999", "Select a valid choice"),
    ],
)
def test_bad_contact_input_shows_field_errors_and_saves_nothing(
    client_for, personas, field, value, message
):
    before = (Contact.objects.count(), ContactEmail.objects.count())
    response = client_for("agent").post(reverse("people:contact_new"), _form(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and f"id_{field}_error" in html
    assert (Contact.objects.count(), ContactEmail.objects.count()) == before


def test_editing_keeps_own_email_and_changes_the_rest(client_for, personas):
    url = reverse("people:contact_edit", args=[personas.customer.pk])
    client = client_for("agent")
    assert "carla@acme.example" in client.get(url).content.decode()
    response = client.post(
        url,
        _form(
            name="Carla Mendes-Silva",
            emails="carla.new@acme.example\ncarla@acme.example",
            time_zone="America/Sao_Paulo",
            kind="customer",
        ),
    )
    assert response.status_code == 302
    carla = Contact.objects.get(pk=personas.customer.pk)
    assert carla.name == "Carla Mendes-Silva" and carla.time_zone == "America/Sao_Paulo"
    assert carla.primary_email == "carla.new@acme.example"
    assert set(carla.emails.values_list("email", flat=True)) == {
        "carla.new@acme.example",
        "carla@acme.example",
    }


def test_editing_with_someone_elses_email_changes_nothing(client_for, personas):
    url = reverse("people:contact_edit", args=[personas.customer.pk])
    response = client_for("agent").post(
        url, _form(name="Changed", emails="dan@globex.example", kind="customer")
    )
    assert response.status_code == 200
    assert "already belongs to another contact" in " ".join(
        response.context["form"].errors["emails"]
    )
    carla = Contact.objects.get(pk=personas.customer.pk)
    assert carla.name == "Carla Mendes"
    assert list(carla.emails.values_list("email", flat=True)) == ["carla@acme.example"]


def test_refusal_from_the_action_is_shown_as_a_form_error(client_for, personas, monkeypatch):
    def refuse(**kwargs):
        raise actions.PeopleError("Someone took that address a moment ago.")

    monkeypatch.setattr(actions, "create_contact", refuse)
    response = client_for("agent").post(reverse("people:contact_new"), _form())
    assert response.status_code == 200
    assert "Someone took that address a moment ago." in response.content.decode()
    assert not Contact.objects.filter(name="Lena Berg").exists()
