"""A batch of emails leaves the desk exactly as processing them one at a time would.

Within a batch, the emails that open conversations are written together while the others are
handled in arrival order; this mix is made to catch every way that reordering could show:
senders writing twice in one batch, replies to a conversation opened a moment earlier in the
same batch, people in Cc who also write themselves, a bounce for an address whose first email
is in the same batch, an agent forwarding a customer's mail, list mail, automatic replies and a
sender address the desk cannot keep. Replies to conversations that were on the desk before
(open, waiting, resolved lately or long ago, closed, merged into another) are written together
too, so the mix also has several people answering the same earlier conversation in one batch,
from its requester and from people in Cc. Each batch size is run in a savepoint that is rolled
back, and the desks are compared by what people see, not by row numbers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.db import transaction

from helpmate.desk.models import Conversation, Event
from helpmate.effort.models import ConversationEffort
from helpmate.mail import intake
from helpmate.mail.models import AddressHealth, InboundEmail
from helpmate.mail.process import process_pending
from helpmate.outbox.models import OutboundEmail
from helpmate.people.models import Contact
from tests.crash.harness import _bounce

from .conftest import SUPPORT, corpus_bytes

PEOPLE = [f"person{n}@firm{n % 3}.example" for n in range(9)]


EARLIER_STATES = ["open", "waiting_customer", "resolved", "resolved long ago", "closed", "merged"]


def _earlier(personas, mailbox) -> list[tuple[str, str, str]]:
    """Conversations on the desk before the batch, one in each state a reply can meet; returns
    (Message-ID, requester, subject) of their first emails."""
    from datetime import timedelta

    from django.utils import timezone

    from helpmate.desk import actions

    now = timezone.now()
    sent = []
    opened: dict[str, Conversation] = {}
    for n, state in enumerate(EARLIER_STATES):
        sender = PEOPLE[n % len(PEOPLE)]
        msg = EmailMessage()
        msg["Message-ID"] = make_msgid(idstring=f"earlier{n}", domain="firm.example")
        msg["To"] = SUPPORT
        msg["From"] = f"Earlier {n} <{sender}>"
        msg["Cc"] = f"Cc Earlier <{PEOPLE[(n + 4) % len(PEOPLE)]}>"
        msg["Subject"] = f"Earlier {state}"
        msg.set_content(f"Hello,\n\nFrom before.\n\ncrash-marker-e{n:04d}\n")
        inbound = intake.receive(msg.as_bytes(), source="smtp", mailbox=mailbox)
        process_pending()
        inbound.refresh_from_db()
        conv = Conversation.objects.get(pk=inbound.conversation_id)
        opened[state] = conv
        sent.append((msg["Message-ID"], sender, msg["Subject"]))
        agent = personas.agent
        if state in {"resolved", "closed", "waiting_customer"}:
            actions.change_status(conversation=conv, actor=agent, status=state)
        elif state == "resolved long ago":
            long_ago = now - timedelta(days=60)
            actions.change_status(conversation=conv, actor=agent, status="resolved", at=long_ago)
        elif state == "merged":
            actions.merge_conversations(source=conv, target=opened["open"], actor=agent)
    return sent


def _mix(count: int, seed: int, earlier: Sequence[tuple[str, str, str]] = ()) -> list[bytes]:
    from datetime import UTC, datetime, timedelta

    rng = random.Random(seed)
    started = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    sent: list[tuple[str, str, str]] = []  # (message id, sender, subject)
    out: list[bytes] = []
    answered = 0
    for i in range(count):
        sender = rng.choice(PEOPLE)
        roll = rng.random()
        if roll < 0.06:
            raw = _bounce(i, f"crash-marker-{i:05d}").as_bytes()
            bounced = rng.choice(PEOPLE).encode()
            out.append(raw.replace(f"gone{i}@nowhere.example".encode(), bounced))
            continue
        msg = EmailMessage()
        msg["Message-ID"] = make_msgid(idstring=f"eq{i}", domain="firm.example")
        msg["Date"] = format_datetime(started + timedelta(seconds=i))
        msg["To"] = SUPPORT
        msg["From"] = f"Person {sender.split('@')[0][-1]} <{sender}>"
        if roll < 0.2 and earlier:  # a reply to a conversation from before the batch, in turn
            parent, _parent_sender, subject = earlier[answered % len(earlier)]
            answered += 1
            msg["Subject"] = f"Re: {subject}"
            msg["In-Reply-To"] = parent
            msg["References"] = parent
        elif roll < 0.30 and sent:  # a reply, often to a message of the same batch
            parent, _parent_sender, subject = rng.choice(sent[-12:])
            msg["Subject"] = f"Re: {subject}"
            msg["In-Reply-To"] = parent
            msg["References"] = parent
        elif roll < 0.36:
            msg["Subject"] = "Automatic reply: away"
            msg["Auto-Submitted"] = "auto-replied"
            if sent and (rng.random() < 0.5 or not earlier):
                msg["In-Reply-To"] = rng.choice(sent)[0]
            elif earlier:  # an autoresponder that nobody here writes from answers an earlier one
                msg.replace_header("From", f"Autoresponder <robot{i}@elsewhere.example>")
                msg["In-Reply-To"] = rng.choice(earlier)[0]
        elif roll < 0.40:
            msg["Subject"] = f"Newsletter {i}"
            msg["Precedence"] = "bulk"
            msg["List-Id"] = "<news.firm.example>"
        elif roll < 0.42:
            msg.replace_header("From", "not an address <@@>")
            msg["Subject"] = f"Broken sender {i}"
        else:
            msg["Subject"] = f"Question {i}"
        if rng.random() < 0.35:  # people in Cc who may write to us themselves
            msg["Cc"] = ", ".join(
                f"Cc Name {n} <{address}>" for n, address in enumerate(rng.sample(PEOPLE, 2))
            )
        msg.set_content(f"Hello,\n\nAbout thing {i}.\n\ncrash-marker-{i:05d}\n")
        sent.append((msg["Message-ID"], sender, msg["Subject"]))
        out.append(msg.as_bytes())
    out.insert(count // 2, corpus_bytes("agent_forward_gmail.eml"))
    for n, (parent, sender, subject) in enumerate(earlier[:3]):
        # A requester answers an earlier conversation and an autoresponder that nobody here
        # writes from answers it right after: the answer waits to be written with others, and
        # the automatic reply must still come after it.
        answer = EmailMessage()
        answer["Message-ID"] = make_msgid(idstring=f"pair{n}", domain="firm.example")
        answer["To"] = SUPPORT
        answer["From"] = sender
        answer["Subject"] = f"Re: {subject}"
        answer["In-Reply-To"] = parent
        answer.set_content(f"Still there?\n\ncrash-marker-p{n:04d}\n")
        robot = EmailMessage()
        robot["Message-ID"] = make_msgid(idstring=f"robot{n}", domain="elsewhere.example")
        robot["To"] = SUPPORT
        robot["From"] = f"Autoresponder <robot-pair{n}@elsewhere.example>"
        robot["Subject"] = "Automatic reply: away"
        robot["Auto-Submitted"] = "auto-replied"
        robot["In-Reply-To"] = parent
        robot.set_content("I am away.\n")
        out[10 + 20 * n : 10 + 20 * n] = [answer.as_bytes(), robot.as_bytes()]
    return out


def _numbers_out(text: str) -> str:
    return re.sub(r"#\d+", "#N", text)


def _who(contact: Contact | None) -> str:
    if contact is None:
        return ""
    email = contact.emails.order_by("-is_primary", "email").first()
    return email.email if email else contact.name


def _desk() -> dict:
    """What the desk holds, described without row numbers."""
    conversations = {}
    for conv in Conversation.objects.order_by("created_at", "pk"):
        first = conv.messages.order_by("pk").first()
        key = first.text.split("crash-marker-")[-1][:5] if first else conv.subject
        effort = ConversationEffort.objects.filter(pk=conv.pk).first()
        conversations[key] = {
            "subject": conv.subject,
            "requester": _who(conv.requester),
            "status": conv.status,
            "participants": sorted(_who(c) for c in conv.participants.all()),
            "tags": sorted(conv.tags.values_list("name", flat=True)),
            "messages": [
                (m.kind, _who(m.author_contact), m.text)
                for m in conv.messages.order_by("created_at", "pk")
            ],
            "events": [
                (e.type, _who(e.actor_contact), e.actor_agent_id is not None)
                for e in Event.objects.filter(conversation=conv).order_by("pk")
            ],
            "follow_up_of": conv.follow_up_of.subject if conv.follow_up_of else None,
            "due": (conv.first_response_due_at, conv.resolution_due_at),
            "effort": (effort.score, effort.fcr, effort.repeat_contacts, effort.customer_messages)
            if effort
            else None,
            "acknowledged": sorted(
                tuple(o.to)
                for o in OutboundEmail.objects.filter(conversation=conv, kind="acknowledgement")
            ),
        }
    return {
        "conversations": conversations,
        "contacts": sorted(
            (_who(c), c.name, c.kind, c.organization_id) for c in Contact.objects.all()
        ),
        "bouncing": sorted(
            (h.contact_email.email, h.bouncing, h.bounce_count)
            for h in AddressHealth.objects.select_related("contact_email")
        ),
        "inbound": [
            (row.message_id, row.state, row.kind, row.is_automatic, _numbers_out(row.reason))
            for row in InboundEmail.objects.order_by("pk")
        ],
    }


@pytest.mark.parametrize("seed", [3, 17])
def test_batches_of_any_size_leave_the_desk_as_one_at_a_time(
    personas, mailbox, settings, seed
) -> None:
    earlier = _earlier(personas, mailbox)
    for raw in _mix(70, seed, earlier):
        intake.receive(raw, source="smtp", mailbox=mailbox)
    described = {}
    for size in (1, 50, 7):
        settings.HELPMATE_MAIL_BATCH = size
        savepoint = transaction.savepoint()
        assert process_pending() == 71 + 2 * min(3, len(earlier))
        described[size] = _desk()
        transaction.savepoint_rollback(savepoint)
    one_at_a_time = described[1]
    assert len(one_at_a_time["conversations"]) > 30
    assert any(count for _, _, count in one_at_a_time["bouncing"])
    assert any(c["participants"] for c in one_at_a_time["conversations"].values())
    again = [c for key, c in one_at_a_time["conversations"].items() if key.startswith("e")]
    assert sum(len(c["messages"]) for c in again) > 12  # the earlier ones were answered
    assert any(c["follow_up_of"] for c in one_at_a_time["conversations"].values())
    for size in (50, 7):
        for part in one_at_a_time:
            assert described[size][part] == one_at_a_time[part], (size, part)
