"""Customer Effort Score: when we ask, the emailed link, the portal question, one answer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.desk.models import Event, EventType
from helpmate.effort import ces
from helpmate.effort.actions import CesRefused, answer_ces
from helpmate.effort.jobs import ask_for_effort_scores
from helpmate.effort.models import ConversationEffort
from helpmate.outbox.models import OutboundEmail
from helpmate.people import actions as people
from tests.effort.conftest import play


def _resolved(personas, *, hours_ago=2.0, requester=None):
    now = timezone.now()
    start = now - timedelta(hours=hours_ago + 1)
    return play(
        personas,
        [
            (start, "create"),
            (now - timedelta(hours=hours_ago), "reply", "agent", "resolved"),
        ],
        requester=requester,
    )


def _link(conv) -> str:
    email = OutboundEmail.objects.get(conversation=conv, subject__contains=ces.QUESTION)
    match = re.search(r"http\S+/effort/ces/(\S+)/", email.text)
    assert match, email.text
    return f"/effort/ces/{match.group(1)}/"


def test_the_job_asks_an_hour_after_resolution_once_and_by_email(personas):
    conv = _resolved(personas, hours_ago=2)
    too_early = _resolved(personas, hours_ago=0.5)
    assert ask_for_effort_scores() == 1
    assert ask_for_effort_scores() == 0  # asked once only
    email = OutboundEmail.objects.get(conversation=conv, subject__contains=ces.QUESTION)
    assert email.to == ["carla@acme.example"]
    assert ces.QUESTION in email.subject and "Hi Carla," in email.text
    assert ConversationEffort.objects.get(pk=conv.pk).ces_requested_at is not None
    assert not Event.objects.filter(conversation=too_early, type=EventType.CES_REQUESTED).exists()


@pytest.mark.parametrize("case", ["reopened", "merged", "agent_address", "too_old"])
def test_the_job_skips(personas, case):
    conv = _resolved(personas, hours_ago=2 if case != "too_old" else 24 * 9)
    if case == "reopened":
        desk.add_incoming_message(conversation=conv, author=personas.customer, text="Again!")
    elif case == "merged":
        other = personas.conversation(subject="Damaged again")
        desk.merge_conversations(source=conv, target=other, actor=personas.agent)
    elif case == "agent_address":
        tester = people.create_contact(name="Maya testing", emails=["maya@helpmate.test"])
        conv = _resolved(personas, hours_ago=2, requester=tester)
        assert ask_for_effort_scores() == 1  # Carla's conversation, not Maya's own test
        assert not Event.objects.filter(conversation=conv, type=EventType.CES_REQUESTED).exists()
        return
    assert ask_for_effort_scores() == 0


def test_the_emailed_link_shows_the_question_and_only_a_post_answers(client, personas):
    conv = _resolved(personas)
    ask_for_effort_scores()
    url = _link(conv)
    page = client.get(url)
    assert page.status_code == 200 and ces.QUESTION in page.content.decode()
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score is None  # a GET answers nothing
    done = client.post(url, {"score": "6", "comment": "Maya was quick."})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    row = ConversationEffort.objects.get(pk=conv.pk)
    assert (row.ces_score, row.ces_comment) == (6, "Maya was quick.")
    event = Event.objects.get(conversation=conv, type=EventType.CES_ANSWERED)
    assert event.actor_contact_id == personas.customer.pk and event.data["score"] == 6


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("nonsense", "changed"),
        ("wrong_salt", "changed"),
        ("expired", "expired"),
        ("other_conversation", "does not match"),
    ],
)
def test_bad_links_get_a_clear_page(client, personas, token, reason, time_machine):
    conv = _resolved(personas)
    if token == "wrong_salt":
        token = signing.dumps({"c": conv.pk, "p": personas.customer.pk}, salt="another.salt")
    elif token == "expired":
        token = ces.make_token(conv.pk, personas.customer.pk)
        time_machine.move_to(timezone.now() + timedelta(days=15))
    elif token == "other_conversation":
        token = ces.make_token(conv.pk, personas.other_customer.pk)
    response = client.get(f"/effort/ces/{token}/")
    assert response.status_code == 400
    assert reason in response.content.decode()
    post = client.post(f"/effort/ces/{token}/", {"score": "1"})
    assert post.status_code == 400
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score is None


@pytest.mark.parametrize("score", ["0", "8", "", "seven"])
def test_an_out_of_range_answer_is_explained_and_nothing_is_stored(client, personas, score):
    conv = _resolved(personas)
    url = f"/effort/ces/{ces.make_token(conv.pk, personas.customer.pk)}/"
    response = client.post(url, {"score": score})
    assert response.status_code == 400
    assert "Choose" in response.content.decode() or "Select a valid choice" in (
        response.content.decode()
    )
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score is None


def test_one_answer_per_conversation_a_quick_correction_replaces_it(personas, time_machine):
    conv = _resolved(personas)
    answer_ces(conversation=conv, contact=personas.customer, score=2)
    answer_ces(conversation=conv, contact=personas.customer, score=6, comment="Oops, 6.")
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score == 6
    time_machine.move_to(timezone.now() + timedelta(hours=1))
    with pytest.raises(CesRefused, match="already have your answer"):
        answer_ces(conversation=conv, contact=personas.customer, score=1)
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score == 6


def test_the_portal_asks_the_requester_on_a_resolved_conversation(client_for, personas):
    conv = _resolved(personas)
    client = client_for("customer")
    page = client.get(reverse("portal:conversation", args=[conv.pk])).content.decode()
    assert ces.QUESTION in page
    response = client.post(reverse("effort:ces_portal", args=[conv.pk]), {"score": "7"})
    assert response.status_code == 302
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score == 7
    page = client.get(reverse("portal:conversation", args=[conv.pk])).content.decode()
    assert "7 of 7" in page and 'name="score"' not in page


def test_the_portal_does_not_ask_about_an_open_conversation(client_for, personas):
    conv = personas.conversation()
    page = client_for("customer").get(reverse("portal:conversation", args=[conv.pk]))
    assert ces.QUESTION not in page.content.decode()
    response = client_for("customer").post(
        reverse("effort:ces_portal", args=[conv.pk]), {"score": "7"}, follow=True
    )
    assert "open again" in response.content.decode()
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_customer", 404), ("agent", 403), ("anonymous", 302)],
)
def test_nobody_else_can_answer_in_the_portal(client_for, personas, persona, status):
    conv = _resolved(personas)
    response = client_for(persona).post(
        reverse("effort:ces_portal", args=[conv.pk]), {"score": "1"}
    )
    assert response.status_code == status
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score is None


def test_a_participant_is_not_asked_and_cannot_answer(client_for, personas):
    conv = _resolved(personas)
    desk.add_participant(conversation=conv, actor=personas.agent, contact=personas.colleague)
    client = client_for("colleague")
    page = client.get(reverse("portal:conversation", args=[conv.pk])).content.decode()
    assert ces.QUESTION not in page
    response = client.post(
        reverse("effort:ces_portal", args=[conv.pk]), {"score": "4"}, follow=True
    )
    assert "Only the person who made this request" in response.content.decode()
    assert ConversationEffort.objects.get(pk=conv.pk).ces_score is None
