"""The mail demo: mailboxes for the teams, an emailed reply, an automatic reply, a bounce and
three quarantined emails, all through the real pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpmate.desk import actions as desk
from helpmate.desk.models import Event, EventType, MessageKind
from helpmate.mail.demo import seed_demo
from helpmate.mail.models import Bounce, InboundEmail, InboundState, Mailbox
from helpmate.people.actions import create_contact

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_mail_demo_shows_each_kind_of_inbound_email(personas) -> None:
    third = create_contact(name="Ines Sousa", emails=["ines@sousa.example"])
    for i, who in enumerate([personas.customer, personas.other_customer, third]):
        conv = personas.conversation(requester=who, subject=f"Question {i}")
        desk.add_reply(
            conversation=conv, agent=personas.agent, text="On it.", at=NOW - timedelta(hours=9)
        )

    summary = seed_demo(now=NOW)

    assert summary == (
        "Mail: 2 mailboxes, 1 emailed reply with quoted text, 1 automatic reply, 1 bounce, "
        "3 quarantined emails"
    )
    assert Mailbox.objects.get(address="support@example.com").team == personas.support
    assert InboundEmail.objects.filter(state=InboundState.QUARANTINED).count() == 3
    assert all(r.reason for r in InboundEmail.objects.filter(state=InboundState.QUARANTINED))
    assert Event.objects.filter(type=EventType.AUTO_REPLY_RECEIVED).count() == 1
    assert Bounce.objects.get().kind == "permanent"
    reply = InboundEmail.objects.get(message_id__startswith="<demo-reply-")
    assert reply.desk_message.kind == MessageKind.INCOMING
    assert "wrote:" in reply.desk_message.text
