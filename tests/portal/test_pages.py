"""The portal's pages: who may open them, what they show, and what they refuse."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from helpmate.desk import actions as desk
from helpmate.desk.models import Attachment, Conversation, Event, Message, Status

pytestmark = pytest.mark.django_db

AGENTS = ["agent", "lead", "admin", "other_agent"]
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script><p>Hello <b>team</b></p>"


def upload(name: str = "receipt.txt", content: bytes = b"paid 42 EUR", kind: str = "text/plain"):
    return SimpleUploadedFile(name, content, content_type=kind)


@pytest.fixture
def conv(personas) -> Conversation:
    return desk.create_conversation(
        requester=personas.customer,
        subject="Order 1042 arrived damaged",
        text="The box was crushed.",
        team=personas.support,
        attachments=[upload("photo.png", b"\x89PNG fake", "image/png")],
    )


def urls_for(conv: Conversation) -> list[str]:
    item = Attachment.objects.get(message__conversation=conv)
    return [
        "/portal/",
        "/portal/new/",
        f"/portal/c/{conv.pk}/",
        f"/portal/c/{conv.pk}/resolve/",
        f"/portal/attachments/{item.pk}/",
    ]


# --- who may open what -----------------------------------------------------------------------


def test_anonymous_is_sent_to_the_portal_sign_in_from_every_page(conv, client_for):
    client = client_for("anonymous")
    for url in urls_for(conv):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/portal/signin/?next="), url


@pytest.mark.parametrize("persona", AGENTS)
def test_agents_get_403_with_a_pointer_to_the_desk(conv, client_for, persona):
    client = client_for(persona)
    for url in urls_for(conv):
        response = client.get(url)
        assert response.status_code == 403, url
        assert 'href="/desk/"' in response.content.decode(), url


@pytest.mark.parametrize("persona", AGENTS)
def test_agents_cannot_post_to_portal_pages(conv, client_for, persona):
    client = client_for(persona)
    assert client.post("/portal/new/", {"subject": "x", "message": "y"}).status_code == 403
    assert client.post(f"/portal/c/{conv.pk}/", {"text": "y"}).status_code == 403
    assert client.post(f"/portal/c/{conv.pk}/resolve/").status_code == 403
    assert conv.messages.count() == 1 and Conversation.objects.count() == 1


def test_customer_opens_their_own_pages(conv, client_for):
    client = client_for("customer")
    for url in urls_for(conv):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["other_customer", "colleague", "supplier"])
def test_customer_cannot_open_another_customers_conversation_or_attachment(
    conv, client_for, persona
):
    client = client_for(persona)
    item = Attachment.objects.get(message__conversation=conv)
    assert client.get(f"/portal/c/{conv.pk}/").status_code == 404
    assert client.get(f"/portal/c/{conv.pk}/resolve/").status_code == 404
    assert client.get(f"/portal/attachments/{item.pk}/").status_code == 404
    assert conv.subject not in client.get("/portal/").content.decode()


@pytest.mark.parametrize("persona", ["other_customer", "colleague"])
def test_customer_cannot_change_another_customers_conversation(conv, client_for, persona):
    client = client_for(persona)
    assert client.post(f"/portal/c/{conv.pk}/", {"text": "sneaky"}).status_code == 404
    assert client.post(f"/portal/c/{conv.pk}/resolve/").status_code == 404
    conv.refresh_from_db()
    assert conv.status == Status.NEW and conv.messages.count() == 1


def test_a_participant_can_read_and_reply(conv, personas, client_for):
    desk.add_participant(conversation=conv, actor=personas.agent, contact=personas.colleague)
    client = client_for("colleague")
    assert "Order 1042" in client.get("/portal/").content.decode()
    assert client.get(f"/portal/c/{conv.pk}/").status_code == 200
    item = Attachment.objects.get(message__conversation=conv)
    assert client.get(f"/portal/attachments/{item.pk}/").status_code == 200
    assert client.post(f"/portal/c/{conv.pk}/", {"text": "Finance agrees"}).status_code == 302
    assert conv.messages.last().author_contact == personas.colleague


def test_colleagues_and_suppliers_use_the_portal_too(personas, client_for):
    for persona in ("colleague", "supplier"):
        client = client_for(persona)
        response = client.post(
            "/portal/new/", {"subject": f"Request from {persona}", "message": "Please help"}
        )
        assert response.status_code == 302
        assert f"Request from {persona}" in client.get("/portal/").content.decode()


# --- internal notes and names ----------------------------------------------------------------


def test_internal_notes_are_never_shown(conv, personas, client_for):
    note_file = upload("internal.txt", b"secret")
    note = desk.add_note(
        conversation=conv,
        agent=personas.agent,
        text="Customer has a history of chargebacks; check with Omar",
        attachments=[note_file],
    )
    client = client_for("customer")
    page = client.get(f"/portal/c/{conv.pk}/").content.decode()
    assert "chargebacks" not in page and "internal.txt" not in page
    assert "chargebacks" not in client.get("/portal/").content.decode()
    note_attachment = Attachment.objects.get(message=note)
    assert client.get(f"/portal/attachments/{note_attachment.pk}/").status_code == 404


def test_handoff_notes_are_never_shown(conv, personas, client_for):
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Grumpy; refund him", team=personas.billing
    )
    page = client_for("customer").get(f"/portal/c/{conv.pk}/").content.decode()
    assert "Grumpy" not in page


def test_agents_are_shown_by_their_public_first_name_and_the_owner_is_named(
    conv, personas, client_for
):
    desk.add_reply(
        conversation=conv, agent=personas.agent, text="So sorry, a new one is on its way"
    )
    page = client_for("customer").get(f"/portal/c/{conv.pk}/").content.decode()
    assert "Maya is looking after this" in page
    assert "Lindqvist" not in page
    assert "So sorry, a new one is on its way" in page
    assert "Waiting for your reply" in page


def test_unowned_request_says_someone_will_pick_it_up(conv, client_for):
    page = client_for("customer").get(f"/portal/c/{conv.pk}/").content.decode()
    assert "someone from the team will pick it up" in page
    assert "We&#x27;re on it" in page or "We're on it" in page


# --- the list --------------------------------------------------------------------------------


def test_home_lists_own_requests_newest_activity_first_in_plain_words(personas, client_for):
    first = personas.conversation(subject="Asked first")
    second = personas.conversation(subject="Asked second")
    desk.add_reply(conversation=second, agent=personas.agent, text="Answer")
    desk.change_status(conversation=first, actor=personas.agent, status=Status.RESOLVED)
    personas.conversation(personas.other_customer, subject="Dan's problem")
    page = client_for("customer").get("/portal/").content.decode()
    # The one resolved a moment ago had the latest activity, so it comes first.
    assert page.index("Asked first") < page.index("Asked second")
    assert "Resolved" in page and "Waiting for your reply" in page
    assert "Dan&#x27;s problem" not in page and "Dan's problem" not in page


def test_home_empty_state_invites_a_new_request(client_for):
    page = client_for("customer").get("/portal/").content.decode()
    assert "No requests yet" in page and 'href="/portal/new/"' in page


def test_merged_conversation_leads_to_the_one_it_was_merged_into(personas, client_for):
    first = personas.conversation(subject="First")
    second = personas.conversation(subject="Second")
    desk.merge_conversations(source=second, target=first, actor=personas.agent)
    client = client_for("customer")
    response = client.get(f"/portal/c/{second.pk}/")
    assert response.status_code == 302 and response.url == f"/portal/c/{first.pk}/"
    assert f"/portal/c/{second.pk}/" not in client.get("/portal/").content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_home_query_count_does_not_grow_with_requests(personas, client_for):
    client = client_for("customer")
    for index in range(2):
        conv = personas.conversation(subject=f"Question {index}")
        desk.add_reply(conversation=conv, agent=personas.agent, text="Answer")
    few = _queries(client, "/portal/")
    for index in range(8):
        conv = personas.conversation(subject=f"More {index}")
        desk.assign_conversation(conversation=conv, actor=personas.lead, owner=personas.agent)
    assert _queries(client, "/portal/") == few
    assert few <= 8


def test_conversation_page_query_count_does_not_grow_with_messages(conv, personas, client_for):
    client = client_for("customer")
    url = f"/portal/c/{conv.pk}/"
    desk.add_reply(conversation=conv, agent=personas.agent, text="First answer")
    few = _queries(client, url)
    for index in range(6):
        desk.add_reply(
            conversation=conv,
            agent=personas.lead if index % 2 else personas.agent,
            text=f"Answer {index}",
            attachments=[upload(f"a{index}.txt")],
        )
        desk.add_incoming_message(conversation=conv, author=personas.customer, text=f"Q {index}")
        desk.add_note(conversation=conv, agent=personas.agent, text=f"note {index}")
    assert _queries(client, url) == few
    assert few <= 10


# --- new request -----------------------------------------------------------------------------


def test_customer_opens_a_request_with_attachments(personas, client_for):
    client = client_for("customer")
    response = client.post(
        "/portal/new/",
        {
            "subject": "Invoice 77 is wrong",
            "message": "We were charged twice.",
            "attachments": [upload("a.txt"), upload("b.pdf", b"%PDF-1.4", "application/pdf")],
        },
    )
    conv = Conversation.objects.get()
    assert response.status_code == 302 and response.url == f"/portal/c/{conv.pk}/"
    assert conv.requester == personas.customer and conv.channel == "portal"
    assert sorted(conv.messages.get().attachments.values_list("filename", flat=True)) == [
        "a.txt",
        "b.pdf",
    ]
    page = client.get(response.url).content.decode()
    assert "we have your request" in page and "a.txt" in page


def test_new_request_needs_a_subject_and_a_message(client_for):
    response = client_for("customer").post("/portal/new/", {"subject": " ", "message": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give your request a subject" in text and "Write a message" in text
    assert not Conversation.objects.exists()


@override_settings(HELPMATE_MAX_ATTACHMENT_BYTES=1024)
def test_too_large_attachment_is_refused_clearly_keeping_the_text(client_for):
    response = client_for("customer").post(
        "/portal/new/",
        {
            "subject": "Scan of the contract",
            "message": "Here it is, please check page 3",
            "attachments": [upload("contract.pdf", b"x" * 4096, "application/pdf")],
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "“contract.pdf” is 4.0\xa0KB; the limit is 1.0\xa0KB" in text
    assert 'value="Scan of the contract"' in text
    assert "Here it is, please check page 3" in text
    assert not Conversation.objects.exists() and not Message.objects.exists()
    assert not Attachment.objects.exists() and not Event.objects.exists()


def test_program_attachment_is_refused(client_for):
    response = client_for("customer").post(
        "/portal/new/",
        {"subject": "Tool", "message": "see file", "attachments": [upload("setup.exe")]},
    )
    assert response.status_code == 400
    assert "can carry programs" in response.content.decode()
    assert not Conversation.objects.exists()


# --- replying and resolving ------------------------------------------------------------------


def test_customer_reply_is_added_to_the_thread(conv, personas, client_for):
    client = client_for("customer")
    response = client.post(
        f"/portal/c/{conv.pk}/", {"text": "Photo attached", "attachments": [upload("b.txt")]}
    )
    assert response.status_code == 302
    message = conv.messages.last()
    assert message.author_contact == personas.customer and message.channel == "portal"
    assert message.attachments.get().filename == "b.txt"


def test_empty_reply_gets_a_clear_error(conv, client_for):
    response = client_for("customer").post(f"/portal/c/{conv.pk}/", {"text": "  "})
    assert response.status_code == 400
    assert "The message is empty" in response.content.decode()
    assert conv.messages.count() == 1


@override_settings(HELPMATE_MAX_ATTACHMENT_BYTES=1024)
def test_too_large_reply_attachment_saves_nothing(conv, client_for):
    response = client_for("customer").post(
        f"/portal/c/{conv.pk}/",
        {"text": "Bigger photo", "attachments": [upload("big.png", b"x" * 2048, "image/png")]},
    )
    assert response.status_code == 400
    assert "big.png" in response.content.decode()
    assert "Bigger photo" in response.content.decode()
    assert conv.messages.count() == 1


def test_mark_as_resolved_asks_first_then_resolves(conv, personas, client_for):
    client = client_for("customer")
    confirm = client.get(f"/portal/c/{conv.pk}/resolve/")
    assert "Yes, mark as resolved" in confirm.content.decode()
    conv.refresh_from_db()
    assert conv.status == Status.NEW
    response = client.post(f"/portal/c/{conv.pk}/resolve/")
    assert response.url == f"/portal/c/{conv.pk}/"
    conv.refresh_from_db()
    assert conv.status == Status.RESOLVED
    event = conv.events.get(type="status_changed")
    assert event.actor_contact == personas.customer
    assert "This request is resolved" in client.get(response.url).content.decode()


def test_replying_reopens_a_resolved_request(conv, personas, client_for):
    desk.change_status(conversation=conv, actor=personas.agent, status=Status.RESOLVED)
    client_for("customer").post(f"/portal/c/{conv.pk}/", {"text": "It broke again"})
    conv.refresh_from_db()
    assert conv.status == Status.OPEN
    assert conv.events.filter(type="reopened").exists()


# --- attachments -----------------------------------------------------------------------------


def test_attachments_download_with_safe_headers(conv, personas, client_for):
    client = client_for("customer")
    image = Attachment.objects.get(message__conversation=conv)
    response = client.get(f"/portal/attachments/{image.pk}/")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    message = desk.add_incoming_message(
        conversation=conv,
        author=personas.customer,
        text="page",
        attachments=[upload("page.html", b"<script>alert(1)</script>", "text/html")],
    )
    html = message.attachments.get()
    response = client.get(f"/portal/attachments/{html.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


# --- hostile input ---------------------------------------------------------------------------


def _body_html(page: str) -> str:
    return "".join(re.findall(r'<div class="body">(.*?)</div>', page, re.S))


def test_xss_payload_in_a_message_is_rendered_harmless(personas, client_for):
    conv = desk.create_conversation(
        requester=personas.customer, subject="<script>alert(3)</script>", text="", html=XSS
    )
    page = client_for("customer").get(f"/portal/c/{conv.pk}/").content.decode()
    bodies = _body_html(page)
    assert "Hello <b>team</b>" in bodies
    assert "<script" not in bodies and "onerror" not in bodies and "<img" not in bodies
    assert "onerror" not in page and "alert(2)" not in page
    assert "<script>alert(3)" not in page and "&lt;script&gt;alert(3)" in page
    listing = client_for("customer").get("/portal/").content.decode()
    assert "<script>alert(3)" not in listing


def test_hostile_text_in_names_is_escaped(personas, client_for):
    personas.agent.public_name = "<i>Maya</i>"
    personas.agent.save()
    conv = personas.conversation()
    desk.add_reply(conversation=conv, agent=personas.agent, text="<b>plain text reply</b>")
    page = client_for("customer").get(f"/portal/c/{conv.pk}/").content.decode()
    assert "<i>Maya</i>" not in page and "&lt;i&gt;Maya&lt;/i&gt;" in page
    assert "<b>plain text reply</b>" not in page


def test_unknown_conversation_id_is_404_not_500(client_for):
    client = client_for("customer")
    assert client.get("/portal/c/999999/").status_code == 404
    assert client.get("/portal/attachments/999999/").status_code == 404
    assert client.post("/portal/c/999999/resolve/").status_code == 404
