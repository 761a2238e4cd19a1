"""Signing in to the portal with an emailed one-time link."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from helpmate.people.models import Contact, ContactEmail, contact_of, hash_token
from helpmate.portal import actions
from helpmate.portal.models import SignInLink

pytestmark = pytest.mark.django_db

SENT_TEXT = "If that address can receive mail, a link is on its way"


def signed_in_contact(client: Client) -> Contact | None:
    response = client.get("/portal/")
    user = response.wsgi_request.user
    return contact_of(user)


def test_known_customer_signs_in_with_the_emailed_link_once(personas, ask_for_link):
    client = Client()
    response, path = ask_for_link(client, "Carla@Acme.example ")
    assert response.status_code == 302 and response.url == "/portal/signin/sent/"
    assert SENT_TEXT in client.get(response.url).content.decode()
    assert mail.outbox[-1].to == ["carla@acme.example"]
    assert path is not None

    # Opening the link (as a mail scanner would) only shows a button and spends nothing.
    page = client.get(path)
    assert page.status_code == 200
    assert "Continue to your requests" in page.content.decode()
    assert client.get(path).status_code == 200
    assert signed_in_contact(client) is None

    response = client.post(path)
    assert response.status_code == 302 and response.url == "/portal/"
    assert signed_in_contact(client) == personas.customer

    # The same link cannot be used again, in this browser or another.
    again = Client().post(path)
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert 'action="/portal/signin/"' in again.content.decode()


def test_link_expires_after_the_configured_minutes(personas, ask_for_link):
    _, path = ask_for_link(Client(), "carla@acme.example")
    later = timezone.now() + timedelta(minutes=settings.HELPMATE_PORTAL_LINK_MINUTES, seconds=5)
    with time_machine.travel(later):
        client = Client()
        page = client.get(path)
        assert page.status_code == 410
        assert "expired" in page.content.decode()
        assert client.post(path).status_code == 410
        assert signed_in_contact(client) is None


def test_link_still_works_just_before_it_expires(personas, ask_for_link):
    _, path = ask_for_link(Client(), "carla@acme.example")
    later = timezone.now() + timedelta(minutes=settings.HELPMATE_PORTAL_LINK_MINUTES - 1)
    with time_machine.travel(later):
        client = Client()
        assert client.post(path).status_code == 302
        assert signed_in_contact(client) == personas.customer


def test_unknown_link_shows_a_friendly_page_with_a_form_for_a_new_one(db):
    page = Client().get("/portal/signin/link/" + "ab" * 32 + "/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "Email me a new link" in text and 'name="email"' in text


def test_unknown_address_gets_the_same_answer_and_a_contact_only_when_the_link_is_used(
    personas, ask_for_link
):
    client = Client()
    response, path = ask_for_link(client, "new.person@example.org")
    assert response.url == "/portal/signin/sent/"
    assert path is not None
    assert not ContactEmail.objects.filter(email="new.person@example.org").exists()
    assert SignInLink.objects.get().contact is None

    client.get(path)
    assert not ContactEmail.objects.filter(email="new.person@example.org").exists()

    client.post(path)
    contact = ContactEmail.objects.get(email="new.person@example.org").contact
    assert contact.name == "New Person"
    assert signed_in_contact(client) == contact
    assert SignInLink.objects.get().contact == contact


def test_known_and_unknown_addresses_cannot_be_told_apart(personas, ask_for_link):
    known, _ = ask_for_link(Client(), "carla@acme.example")
    unknown, _ = ask_for_link(Client(), "nobody@example.net")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


def test_malformed_address_gets_a_field_error_and_no_link(db, ask_for_link):
    response, path = ask_for_link(Client(), "not-an-address")
    assert response.status_code == 400
    assert "Enter an email address" in response.content.decode()
    assert path is None and not SignInLink.objects.exists()


def test_empty_address_gets_a_field_error(db, ask_for_link):
    response, _ = ask_for_link(Client(), "")
    assert response.status_code == 400
    assert "Enter the email address you write to us from" in response.content.decode()


def test_at_most_five_links_per_address_per_hour(personas, ask_for_link):
    client = Client()
    for _ in range(5):
        response, path = ask_for_link(client, "carla@acme.example")
        assert response.status_code == 302 and path
    response, path = ask_for_link(client, "carla@acme.example")
    assert response.status_code == 429 and path is None
    assert "5 sign-in links to this address in the last hour" in response.content.decode()
    # Another address is not affected, and an hour later the first one works again.
    assert ask_for_link(client, "dan@globex.example")[0].status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert ask_for_link(client, "carla@acme.example")[0].status_code == 302


@override_settings(HELPMATE_PORTAL_LINKS_PER_IP_PER_HOUR=3)
def test_one_machine_cannot_ask_for_links_to_many_addresses(db, ask_for_link):
    client = Client()
    for index in range(3):
        assert ask_for_link(client, f"person{index}@example.org")[0].status_code == 302
    response, path = ask_for_link(client, "person9@example.org")
    assert response.status_code == 429 and path is None
    assert "from your network" in response.content.decode()


def test_only_a_hash_of_the_token_is_stored(personas, ask_for_link):
    _, path = ask_for_link(Client(), "carla@acme.example")
    raw = path.rstrip("/").rsplit("/", 1)[-1]
    link = SignInLink.objects.get()
    assert link.token_hash == hash_token(raw)
    stored = " ".join(str(v) for v in SignInLink.objects.values().get().values())
    assert raw not in stored


def test_the_task_queue_is_given_only_the_link_id_never_the_token(
    personas, django_capture_on_commit_callbacks
):
    with (
        mock.patch("helpmate.portal.tasks.send_sign_in_link") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        link = actions.request_sign_in_link(email="carla@acme.example")
    task.enqueue.assert_called_once_with(link.pk)
    assert actions.raw_token_for(link) != link.nonce


def test_a_link_is_marked_used_with_a_conditional_update_so_it_works_once(personas):
    link = actions.request_sign_in_link(email="carla@acme.example")
    raw = actions.raw_token_for(link)
    first = actions.use_sign_in_link(raw_token=raw)
    assert first.contact == personas.customer
    with pytest.raises(actions.LinkNotUsable) as failure:
        actions.use_sign_in_link(raw_token=raw)
    assert failure.value.reason == "used"


def test_delivery_is_idempotent(personas, mailoutbox):
    link = actions.request_sign_in_link(email="carla@acme.example")
    assert actions.deliver_sign_in_link(link_id=link.pk) is True
    assert actions.deliver_sign_in_link(link_id=link.pk) is False
    assert len(mailoutbox) == 1


def test_the_email_says_how_long_the_link_works(personas, ask_for_link):
    ask_for_link(Client(), "carla@acme.example")
    body = mail.outbox[-1].body
    assert f"{settings.HELPMATE_PORTAL_LINK_MINUTES} minutes" in body
    assert settings.HELPMATE_COMPANY_NAME in mail.outbox[-1].subject


@override_settings(HELPMATE_COMPANY_NAME="Smith, Jones & Co")
def test_a_company_name_with_a_comma_still_makes_a_valid_sender(personas, ask_for_link):
    ask_for_link(Client(), "carla@acme.example")
    message = mail.outbox[-1].message()
    assert message["From"] == '"Smith, Jones & Co" <support@helpmate.localhost>'


def test_after_signing_in_the_person_returns_to_the_page_they_wanted(personas, ask_for_link):
    conv = personas.conversation()
    client = Client()
    bounced = client.get(f"/portal/c/{conv.pk}/")
    assert bounced.status_code == 302
    assert bounced.url == f"/portal/signin/?next=/portal/c/{conv.pk}/"
    assert f'value="/portal/c/{conv.pk}/"' in client.get(bounced.url).content.decode()
    _, path = ask_for_link(client, "carla@acme.example", next=f"/portal/c/{conv.pk}/")
    assert client.post(path).url == f"/portal/c/{conv.pk}/"


def test_next_cannot_send_people_off_the_portal(personas, ask_for_link):
    client = Client()
    for target in ("https://evil.example/portal/", "//evil.example/portal/", "/desk/"):
        _, path = ask_for_link(client, "carla@acme.example", next=target)
        assert Client().post(path).url == "/portal/"


def test_switched_off_portal_user_cannot_sign_in_and_the_link_is_not_spent(personas):
    from helpmate.people.actions import portal_user_for

    user = portal_user_for(personas.customer)
    user.is_active = False
    user.save()
    link = actions.request_sign_in_link(email="carla@acme.example")
    page = Client().post(f"/portal/signin/link/{actions.raw_token_for(link)}/")
    assert page.status_code == 403
    assert "switched off" in page.content.decode()
    link.refresh_from_db()
    assert link.used_at is None


def test_an_address_removed_from_a_contact_no_longer_opens_it(personas):
    from helpmate.people.actions import update_contact

    link = actions.request_sign_in_link(email="carla@acme.example")
    update_contact(
        contact=personas.customer,
        name=personas.customer.name,
        emails=["carla.mendes@acme.example"],
        kind="customer",
        time_zone="Europe/Lisbon",
    )
    signed = actions.use_sign_in_link(raw_token=actions.raw_token_for(link))
    assert signed.contact != personas.customer


def test_sign_out_ends_the_portal_session(client_for):
    client = client_for("customer")
    assert client.get("/portal/").status_code == 200
    response = client.post("/portal/signout/")
    assert response.url == "/portal/signin/"
    assert client.get("/portal/").status_code == 302


def test_signed_in_contact_visiting_sign_in_goes_to_their_requests(client_for):
    response = client_for("customer").get("/portal/signin/")
    assert response.status_code == 302 and response.url == "/portal/"


def test_agent_sees_a_pointer_to_the_desk_on_the_sign_in_page(client_for):
    page = client_for("agent").get("/portal/signin/")
    assert page.status_code == 200
    assert "/desk/" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_sign_in_only_once(personas):
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("threads need a database file or PostgreSQL (in-memory SQLite is shared)")
    link = actions.request_sign_in_link(email="carla@acme.example")
    raw = actions.raw_token_for(link)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        try:
            barrier.wait()
            actions.use_sign_in_link(raw_token=raw)
            outcomes.append("signed in")
        except actions.LinkNotUsable as exc:
            outcomes.append(exc.reason)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["signed in", "used"]
