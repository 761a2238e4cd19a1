"""The conversation page: thread, composer, ownership, status, tags, merge, presence, guard."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.desk.models import (
    Attachment,
    Conversation,
    Event,
    EventType,
    Message,
    MessageKind,
    Notification,
    Presence,
    Status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conv(personas) -> Conversation:
    return personas.conversation()


def page(client, conv: Conversation):
    response = client.get(f"/desk/c/{conv.pk}/")
    assert response.status_code == 200
    return response


def last_seen_of(response) -> int:
    return response.context["reply_form"].initial["last_seen"]


# --- the page --------------------------------------------------------------------------------


def test_page_shows_header_thread_and_contact_card(conv, personas, client_for):
    desk.change_tags(conversation=conv, actor=personas.agent, add=["damaged"])
    earlier = personas.conversation(subject="Earlier question about lamps")
    content = page(client_for("agent"), conv).content.decode()
    assert "Order 1042 arrived damaged" in content and f"#{conv.pk}" in content
    assert 'class="badge status-new"' in content
    assert "The box was crushed" in content
    assert 'class="msg incoming' in content
    assert 'class="tag">damaged' in content
    assert "Likes to be called <strong>Carla</strong>" in content
    assert "carla@acme.example" in content and "Europe/Lisbon" in content and "Acme" in content
    assert f'href="/desk/c/{earlier.pk}/"' in content


def test_reply_box_greets_by_preferred_name_and_carries_the_signature(conv, client_for):
    response = page(client_for("agent"), conv)
    text = response.context["reply_form"].initial["text"]
    assert text.startswith("Hi Carla,\n\n")
    assert text.rstrip().endswith("Maya\nSupport")
    assert response.context["reply_form"].initial["status"] == Status.WAITING_CUSTOMER


def test_note_tab_lists_mention_handles(conv, client_for):
    content = page(client_for("agent"), conv).content.decode()
    assert "<code>@Omar</code>" in content and "<code>@Sam</code>" in content


def test_key_events_appear_in_the_thread(conv, personas, client_for):
    desk.assign_conversation(conversation=conv, actor=personas.lead, owner=personas.agent)
    desk.transfer_conversation(
        conversation=conv,
        actor=personas.agent,
        note="Refund needed <b>soon</b>",
        team=personas.billing,
        owner=personas.other_agent,
    )
    desk.change_status(conversation=conv, actor=personas.other_agent, status=Status.RESOLVED)
    content = page(client_for("agent"), conv).content.decode()
    assert "Sam assigned it to Maya" in content
    assert "Maya handed it over to team Billing / Omar: “Refund needed &lt;b&gt;soon" in content
    assert "Omar changed the status from Open to Resolved" in content


def test_every_form_control_has_a_label(conv, personas, client_for):
    desk.change_tags(conversation=conv, actor=personas.agent, add=["damaged"])
    for url in [
        f"/desk/c/{conv.pk}/",
        "/desk/?view=open",
        f"/desk/new/?contact={conv.requester_id}",
    ]:
        content = client_for("agent").get(url).content.decode()
        labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', content))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", content):
            if re.search(r'type="(hidden|submit)"', tag):
                continue
            if "aria-label=" in tag:
                continue
            found = re.search(r'\bid="([^"]+)"', tag)
            wrapped = "data-select-all" in tag  # inside its <label>
            assert wrapped or (found and found.group(1) in labelled), (url, tag)


def test_page_query_count_does_not_grow_with_messages(conv, personas, client_for):
    client = client_for("agent")
    with CaptureQueriesContext(connection) as few:
        page(client, conv)
    for i in range(12):
        desk.add_incoming_message(
            conversation=conv,
            author=personas.customer,
            text=f"More detail {i}",
            attachments=[SimpleUploadedFile(f"p{i}.txt", b"x", content_type="text/plain")],
        )
        desk.add_reply(conversation=conv, agent=personas.agent, text=f"Answer {i}")
        desk.add_note(conversation=conv, agent=personas.lead, text=f"@Maya look {i}")
    desk.transfer_conversation(
        conversation=conv, actor=personas.agent, note="Over to you", owner=personas.lead
    )
    desk.change_tags(conversation=conv, actor=personas.agent, add=["a", "b", "c"])
    for i in range(4):
        personas.conversation(subject=f"Older {i}")
    conv.participants.add(personas.other_customer)
    desk.mark_notifications_read(agent=personas.agent)  # else one more UPDATE, once
    with CaptureQueriesContext(connection) as many:
        page(client, conv)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 18


def test_opening_the_page_marks_its_notifications_read(conv, personas, client_for):
    desk.add_note(conversation=conv, agent=personas.other_agent, text="@Maya please look")
    page(client_for("agent"), conv)
    assert not Notification.objects.filter(agent=personas.agent, read_at__isnull=True).exists()


def test_top_bar_counts_the_unread_notifications_left_after_opening(conv, personas, client_for):
    other = personas.conversation(subject="Another one")
    client = client_for("agent")
    assert 'aria-label="Notifications"' in page(client, conv).content.decode()  # none unread
    desk.add_note(conversation=conv, agent=personas.other_agent, text="@Maya please look")
    desk.add_note(conversation=other, agent=personas.other_agent, text="@Maya and here")
    content = page(client, conv).content.decode()
    assert 'aria-label="Notifications: 1 unread"' in content  # this one's was marked read
    assert 'aria-label="Notifications: 1 unread"' in page(client, conv).content.decode()


def test_thread_times_and_earlier_conversations_are_written_in_full(conv, personas, client_for):
    older = personas.conversation(subject="An older question " + "x" * 80)
    content = page(client_for("agent"), conv).content.decode()
    first = conv.messages.order_by("pk").first()
    local = timezone.localtime(first.created_at)
    iso = local.isoformat()
    assert f'<time datetime="{iso}" title="{local:%A} {local.day} {local:%B %Y, %H:%M} ' in content
    assert f">{local.day} {local:%b, %H:%M} · " in content and " ago</time>" in content
    assert f'<a href="/desk/c/{older.pk}/">An older question {"x" * 41}…</a>' in content
    assert f"#{older.pk} · {local.day} {local:%b %Y}</span>" in content


# --- XSS ------------------------------------------------------------------------------------


def test_hostile_html_in_a_message_is_sanitised_on_the_page(personas, client_for):
    conv = desk.create_conversation(
        requester=personas.customer,
        subject="<script>alert('subject')</script>",
        text="",
        html=(
            "<p>Hello <b>team</b></p><script>alert(1)</script>"
            '<img src=x onerror=alert(2)><a href="javascript:alert(3)">click</a>'
        ),
        team=personas.support,
    )
    desk.add_incoming_message(
        conversation=conv, author=personas.customer, text="<script>alert(4)</script> plain"
    )
    content = page(client_for("agent"), conv).content.decode()
    assert "<b>team</b>" in content  # allowed markup stays
    assert "<script>alert" not in content
    assert "onerror" not in content
    assert "javascript:" not in content
    assert "&lt;script&gt;alert(&#x27;subject&#x27;)" in content
    assert "&lt;script&gt;alert(4)&lt;/script&gt; plain" in content


# --- reply and note --------------------------------------------------------------------------


def test_reply_is_sent_and_shown(conv, personas, client_for):
    client = client_for("agent")
    seen = last_seen_of(page(client, conv))
    response = client.post(
        f"/desk/c/{conv.pk}/reply/",
        {
            "text": "Hi Carla,\n\nA new lamp is on its way.",
            "status": "waiting_customer",
            "last_seen": seen,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/desk/c/{conv.pk}/"
    content = response.content.decode()
    assert "Reply sent to Carla." in content
    assert "A new lamp is on its way." in content
    reply = Message.objects.get(conversation=conv, kind=MessageKind.REPLY)
    assert reply.author_agent == personas.agent
    conv.refresh_from_db()
    assert conv.status == Status.WAITING_CUSTOMER and conv.owner == personas.agent


def test_reply_can_resolve_at_once(conv, client_for):
    client_for("agent").post(
        f"/desk/c/{conv.pk}/reply/", {"text": "All done.", "status": "resolved"}
    )
    conv.refresh_from_db()
    assert conv.status == Status.RESOLVED


def test_empty_reply_shows_a_field_error(conv, client_for):
    response = client_for("agent").post(
        f"/desk/c/{conv.pk}/reply/", {"text": "", "status": "waiting_customer"}
    )
    assert response.status_code == 400
    assert "Write your reply before sending." in response.content.decode()
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()


def test_refused_attachment_shows_the_error_keeps_the_text_and_saves_nothing(conv, client_for):
    response = client_for("agent").post(
        f"/desk/c/{conv.pk}/reply/",
        {
            "text": "Here is the fix I promised",
            "status": "waiting_customer",
            "attachments": [
                SimpleUploadedFile("ok.txt", b"fine", content_type="text/plain"),
                SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream"),
            ],
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "“tool.exe” is a type of file that can carry programs" in content
    assert "Nothing was sent" in content
    assert "Here is the fix I promised" in content
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()
    assert Attachment.objects.count() == 0


def test_oversized_attachment_is_refused(conv, client_for, settings):
    settings.HELPMATE_MAX_ATTACHMENT_BYTES = 1024
    response = client_for("agent").post(
        f"/desk/c/{conv.pk}/note/",
        {"text": "Log file", "attachments": [SimpleUploadedFile("big.log", b"x" * 5000)]},
    )
    assert response.status_code == 400
    assert "the limit is 1.0\xa0KB" in response.content.decode()
    assert not Message.objects.filter(kind=MessageKind.NOTE).exists()


def test_reply_with_attachment_links_to_the_download(conv, client_for):
    client = client_for("agent")
    client.post(
        f"/desk/c/{conv.pk}/reply/",
        {
            "text": "The manual is attached.",
            "status": "waiting_customer",
            "attachments": [SimpleUploadedFile("manual.pdf", b"%PDF-1.4", "application/pdf")],
        },
    )
    attachment = Attachment.objects.get()
    content = page(client, conv).content.decode()
    assert f'href="/desk/attachments/{attachment.pk}/"' in content and "manual.pdf" in content


def test_note_with_mention_notifies_and_is_styled_as_a_note(conv, personas, client_for):
    client = client_for("agent")
    response = client.post(
        f"/desk/c/{conv.pk}/note/", {"text": "@Omar can you check the refund?"}, follow=True
    )
    assert "Omar will see it in their notifications." in response.content.decode()
    assert 'class="msg note' in response.content.decode()
    assert Notification.objects.get().agent == personas.other_agent


def test_empty_note_shows_the_error_on_the_note_tab(conv, client_for):
    response = client_for("agent").post(f"/desk/c/{conv.pk}/note/", {"text": ""})
    assert response.status_code == 400
    assert response.context["tab"] == "note"
    assert "Write the note before saving it." in response.content.decode()


def test_reply_to_a_merged_conversation_is_refused_clearly(conv, personas, client_for):
    target = personas.conversation(subject="The other one")
    desk.merge_conversations(source=conv, target=target, actor=personas.agent)
    response = client_for("agent").post(
        f"/desk/c/{conv.pk}/reply/", {"text": "Hello", "status": "waiting_customer"}
    )
    assert response.status_code == 400
    assert "This conversation was merged" in response.content.decode()


# --- the stale-reply guard -------------------------------------------------------------------


def test_stale_reply_is_held_until_the_agent_has_read_the_new_message(conv, personas, client_for):
    client = client_for("agent")
    seen = last_seen_of(page(client, conv))
    newer = desk.add_incoming_message(
        conversation=conv, author=personas.customer, text="Actually it is the blue lamp"
    )
    typed = "Hi Carla, the red lamp is on its way."
    response = client.post(
        f"/desk/c/{conv.pk}/reply/",
        {"text": typed, "status": "waiting_customer", "last_seen": seen},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "A new message arrived since you opened this page" in content
    assert "Actually it is the blue lamp" in content
    assert typed in content
    assert f'id="m{newer.pk}"' in content and "fresh" in content
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()

    form = response.context["reply_form"]
    assert form.data["last_seen"] == str(newer.pk) and form.data["confirm_stale"] == "1"
    again = client.post(
        f"/desk/c/{conv.pk}/reply/",
        {"text": typed, "status": "waiting_customer", "last_seen": newer.pk, "confirm_stale": "1"},
    )
    assert again.status_code == 302
    assert Message.objects.filter(kind=MessageKind.REPLY, text=typed).exists()


def test_a_reply_by_a_colleague_also_holds_a_stale_reply(conv, personas, client_for):
    client = client_for("agent")
    seen = last_seen_of(page(client, conv))
    desk.add_reply(conversation=conv, agent=personas.lead, text="Sam answered already")
    response = client.post(
        f"/desk/c/{conv.pk}/reply/", {"text": "Me too", "status": "open", "last_seen": seen}
    )
    assert response.status_code == 409
    assert "Sam answered already" in response.content.decode()


def test_own_earlier_messages_do_not_hold_a_reply(conv, personas, client_for):
    client = client_for("agent")
    seen = last_seen_of(page(client, conv))
    desk.add_note(conversation=conv, agent=personas.agent, text="my own note")
    response = client.post(
        f"/desk/c/{conv.pk}/reply/", {"text": "Hello", "status": "open", "last_seen": seen}
    )
    assert response.status_code == 302


# --- presence --------------------------------------------------------------------------------


def test_presence_banner_names_who_else_is_viewing_or_replying(conv, personas, client_for):
    omar = client_for("other_agent")
    sam = client_for("lead")
    maya = client_for("agent")
    assert omar.post(f"/desk/c/{conv.pk}/presence/", {"activity": "replying"}).status_code == 200
    sam.post(f"/desk/c/{conv.pk}/presence/", {"activity": "viewing"})
    response = maya.post(f"/desk/c/{conv.pk}/presence/", {"activity": "viewing"})
    content = response.content.decode()
    assert "<strong>Omar</strong> is replying" in content
    assert "<strong>Sam</strong> is viewing" in content
    assert "Maya" not in content
    assert Presence.objects.get(agent=personas.agent).activity == "viewing"
    assert "Omar</strong> is replying" in page(maya, conv).content.decode()


def test_presence_older_than_thirty_seconds_is_not_shown(conv, personas, client_for):
    desk.touch_presence(
        conversation=conv,
        agent=personas.other_agent,
        activity="replying",
        at=timezone.now() - timedelta(seconds=45),
    )
    response = client_for("agent").post(f"/desk/c/{conv.pk}/presence/", {})
    assert b"Omar" not in response.content


def test_presence_with_an_unknown_activity_counts_as_viewing(conv, personas, client_for):
    client_for("agent").post(f"/desk/c/{conv.pk}/presence/", {"activity": "<b>dancing</b>"})
    assert Presence.objects.get().activity == "viewing"


# --- ownership, transfer, status, priority, tags --------------------------------------------


def test_claim_makes_the_agent_owner(conv, personas, client_for):
    response = client_for("agent").post(f"/desk/c/{conv.pk}/assign/", {"claim": "1"}, follow=True)
    assert "It is yours now." in response.content.decode()
    conv.refresh_from_db()
    assert conv.owner == personas.agent and conv.status == Status.OPEN


def test_assign_to_a_colleague_and_back_to_nobody(conv, personas, client_for):
    client = client_for("agent")
    client.post(f"/desk/c/{conv.pk}/assign/", {"owner": personas.other_agent.pk})
    conv.refresh_from_db()
    assert conv.owner == personas.other_agent
    assert Notification.objects.filter(agent=personas.other_agent).exists()
    client.post(f"/desk/c/{conv.pk}/assign/", {"owner": ""})
    conv.refresh_from_db()
    assert conv.owner is None


def test_assign_to_an_unknown_agent_is_a_field_error(conv, client_for):
    response = client_for("agent").post(f"/desk/c/{conv.pk}/assign/", {"owner": "99999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_transfer_without_a_note_shows_the_error_and_changes_nothing(conv, personas, client_for):
    response = client_for("agent").post(
        f"/desk/c/{conv.pk}/transfer/", {"team": personas.billing.pk, "note": "  "}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Write a handoff note so the new owner gets the story." in content
    assert '<details class="card transfer" id="transfer" open>' in content
    assert not conv.events.filter(type=EventType.TRANSFERRED).exists()
    conv.refresh_from_db()
    assert conv.team == personas.support


def test_transfer_without_a_destination_explains(conv, client_for):
    response = client_for("agent").post(f"/desk/c/{conv.pk}/transfer/", {"note": "Please"})
    assert response.status_code == 400
    assert "Choose the team or the person to hand it to." in response.content.decode()


def test_transfer_to_where_it_already_is_shows_the_action_error(conv, personas, client_for):
    response = client_for("agent").post(
        f"/desk/c/{conv.pk}/transfer/", {"team": personas.support.pk, "note": "Same"}
    )
    assert response.status_code == 400
    assert "It already sits with that team and owner." in response.content.decode()


def test_transfer_with_a_note_hands_over_and_notifies(conv, personas, client_for):
    response = client_for("agent").post(
        f"/desk/c/{conv.pk}/transfer/",
        {"team": personas.billing.pk, "owner": personas.other_agent.pk, "note": "Refund it"},
        follow=True,
    )
    assert "Handed over" in response.content.decode()
    conv.refresh_from_db()
    assert (conv.team, conv.owner) == (personas.billing, personas.other_agent)
    assert conv.events.get(type=EventType.TRANSFERRED).data["reason"] == "Refund it"
    assert Notification.objects.filter(agent=personas.other_agent).exists()


def test_status_buttons_change_the_status(conv, personas, client_for):
    client = client_for("agent")
    client.post(f"/desk/c/{conv.pk}/status/", {"status": "waiting_other"})
    conv.refresh_from_db()
    assert conv.status == Status.WAITING_OTHER
    response = client.post(f"/desk/c/{conv.pk}/status/", {"status": "sleeping"})
    assert response.status_code == 400
    assert "Choose one of the statuses." in response.content.decode()


def test_priority_change_is_logged(conv, personas, client_for):
    client_for("agent").post(f"/desk/c/{conv.pk}/priority/", {"priority": "4"})
    conv.refresh_from_db()
    assert conv.priority == 4
    assert conv.events.filter(type=EventType.PRIORITY_CHANGED, actor_agent=personas.agent)
    assert (
        client_for("agent").post(f"/desk/c/{conv.pk}/priority/", {"priority": "9"}).status_code
        == 400
    )


def test_tags_are_added_and_removed(conv, client_for):
    client = client_for("agent")
    client.post(f"/desk/c/{conv.pk}/tags/", {"add": "Refund, damaged ,"})
    assert set(conv.tags.values_list("name", flat=True)) == {"refund", "damaged"}
    client.post(f"/desk/c/{conv.pk}/tags/", {"remove": "refund"})
    assert set(conv.tags.values_list("name", flat=True)) == {"damaged"}
    response = client.post(f"/desk/c/{conv.pk}/tags/", {"add": " "})
    assert response.status_code == 400
    assert "Type a tag to add" in response.content.decode()


# --- merge -----------------------------------------------------------------------------------


def test_merge_asks_for_confirmation_then_merges(conv, personas, client_for):
    target = personas.conversation(personas.other_customer, subject="Broken lamp too")
    client = client_for("agent")
    confirm = client.post(f"/desk/c/{conv.pk}/merge/", {"target": target.pk})
    assert confirm.status_code == 200
    assert "Merge these two conversations?" in confirm.content.decode()
    conv.refresh_from_db()
    assert conv.merged_into_id is None
    done = client.post(
        f"/desk/c/{conv.pk}/merge/", {"target": target.pk, "confirm": "1"}, follow=True
    )
    assert done.redirect_chain[-1][0] == f"/desk/c/{target.pk}/"
    assert "The box was crushed" in done.content.decode()
    conv.refresh_from_db()
    assert conv.merged_into == target and conv.status == Status.CLOSED
    merged_page = page(client, conv).content.decode()
    assert "This conversation was merged into" in merged_page


def test_merge_into_itself_or_nothing_is_a_field_error(conv, client_for):
    client = client_for("agent")
    response = client.post(f"/desk/c/{conv.pk}/merge/", {"target": conv.pk})
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()
    response = client.post(f"/desk/c/{conv.pk}/merge/", {"target": "abc"})
    assert response.status_code == 400
    assert Event.objects.filter(type=EventType.MERGED).count() == 0


def test_sending_only_the_greeting_and_signature_is_refused(conv, client_for):
    client = client_for("agent")
    text = page(client, conv).context["reply_form"].initial["text"]
    response = client.post(
        f"/desk/c/{conv.pk}/reply/", {"text": text, "status": "waiting_customer"}
    )
    assert response.status_code == 400
    assert "Write your answer between the greeting and the signature." in (
        response.content.decode()
    )
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()
