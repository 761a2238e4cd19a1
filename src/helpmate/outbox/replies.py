"""Emails about a conversation: who they come from, where replies go, how they thread.

``queue_reply(message)`` turns an agent's reply into an outbox row (called by ``add_reply``
inside its transaction). From shows the agent's first name with the team ("Maya at Support")
and the team's mailbox; Reply-To carries the conversation's signed token (plus-addressing);
In-Reply-To/References name the conversation's earlier emails, in and out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from helpmate.desk.models import Conversation, Message
from helpmate.mail.models import AddressHealth, InboundEmail, Mailbox
from helpmate.mail.tokens import reply_address
from helpmate.outbox.models import OutboundEmail, OutboundKind
from helpmate.outbox.queue import queue_email
from helpmate.people.models import Agent, ContactEmail

MAX_REFERENCES = 20


def team_address(conversation: Conversation) -> str:
    """The address the conversation's team answers from: its mailbox, its address, or ours."""
    return team_addresses([conversation])[conversation.team_id]


def team_addresses(conversations: Iterable[Conversation]) -> dict[int | None, str]:
    """``team_address`` for the teams of these conversations (by team id), in one query."""
    teams = {c.team_id: c for c in conversations}  # one conversation per team
    mailboxes: dict[int, str] = {}
    for mailbox_team, address in (
        Mailbox.objects.filter(team_id__in=[t for t in teams if t is not None], active=True)
        .order_by("team_id", "pk")
        .values_list("team_id", "address")
    ):
        mailboxes.setdefault(mailbox_team, address)
    found: dict[int | None, str] = {}
    for team_id, conversation in teams.items():
        if team_id is not None and mailboxes.get(team_id):
            found[team_id] = str(mailboxes[team_id])
        elif team_id is not None and conversation.team is not None and conversation.team.email:
            found[team_id] = conversation.team.email
        else:
            found[team_id] = str(settings.DEFAULT_FROM_EMAIL)
    return found


def team_name(conversation: Conversation) -> str:
    return conversation.team.name if conversation.team else settings.HELPMATE_COMPANY_NAME


def sender_name(conversation: Conversation, agent: Agent | None) -> str:
    """ "Maya at Support": a person's first name with the team, or the team alone."""
    team = team_name(conversation)
    return f"{agent.public_name} at {team}" if agent else team


def thread_headers(conversation: Conversation) -> dict[str, str]:
    """In-Reply-To (the newest email in the conversation, ideally the customer's) and
    References (the conversation's emails, oldest first, at most MAX_REFERENCES)."""
    items: list[tuple[datetime, str, bool]] = [
        (at, mid, True)
        for at, mid in InboundEmail.objects.filter(conversation=conversation)
        .exclude(message_id="")
        .values_list("received_at", "message_id")
    ]
    items += [
        (at, mid, False)
        for at, mid in OutboundEmail.objects.filter(conversation=conversation)
        .exclude(message_id="")
        .values_list("created_at", "message_id")
    ]
    if not items:
        return {}
    items.sort()
    ids: list[str] = []
    for _, mid, _ in items:
        clean = mid.strip().strip("<>").strip()
        if clean and clean not in ids:
            ids.append(clean)
    inbound = [mid.strip().strip("<>").strip() for _, mid, is_in in items if is_in]
    parent = inbound[-1] if inbound else ids[-1]
    if len(ids) > MAX_REFERENCES:  # keep the thread's root and the newest ones
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return {
        "In-Reply-To": f"<{parent}>",
        "References": " ".join(f"<{mid}>" for mid in ids),
    }


def recipients(conversation: Conversation) -> tuple[list[str], dict[str, str]]:
    """The requester's and participants' primary addresses, and the ones left out because they
    bounce (address -> why, shown to the agent)."""
    contact_ids = [conversation.requester_id]
    contact_ids += list(conversation.participants.values_list("pk", flat=True))
    by_contact: dict[int, ContactEmail] = {}
    for row in ContactEmail.objects.filter(contact_id__in=contact_ids).order_by(
        "-is_primary", "email"
    ):
        by_contact.setdefault(row.contact_id, row)
    chosen = [by_contact[c] for c in contact_ids if c in by_contact]
    bouncing = {
        h.contact_email_id: h
        for h in AddressHealth.objects.filter(
            contact_email__in=[c.pk for c in chosen], bouncing=True
        )
    }
    to: list[str] = []
    skipped: dict[str, str] = {}
    for item in chosen:
        health = bouncing.get(item.pk)
        if health is None:
            to.append(item.email)
            continue
        when = f" on {health.last_bounce_at:%d %b %Y}" if health.last_bounce_at else ""
        reason = " ".join((health.last_reason or "").split())[:120]
        skipped[item.email] = f"bounced{when}" + (f": {reason}" if reason else "")
    return list(dict.fromkeys(to)), skipped


def portal_link(conversation: Conversation) -> str:
    return settings.BASE_URL + reverse("portal:conversation", args=[conversation.pk])


def queue_reply(message: Message) -> OutboundEmail:
    """The outbox row for an agent's reply (inside the reply's transaction)."""
    conversation = message.conversation
    agent = message.author_agent
    to, skipped = recipients(conversation)
    address = team_address(conversation)
    link = portal_link(conversation)
    signature = (agent.signature.strip() + "\n\n") if agent and agent.signature.strip() else ""
    text = (
        f"{message.text}\n\n{signature}--\nYou can read the whole conversation and reply here: "
        f"{link}\nOr simply answer this email."
    )
    html = (
        f"{message.html}"
        + (f"<p>{escape(signature.strip())}</p>" if signature else "")
        + f'<hr><p>You can read the whole conversation and reply <a href="{escape(link)}">'
        "here</a>, or simply answer this email.</p>"
    )
    return queue_email(
        to=to,
        skipped=skipped,
        subject=f"Re: {conversation.subject} [#{conversation.pk}]",
        text=text,
        html=html,
        conversation=conversation,
        message=message,
        kind=OutboundKind.REPLY,
        from_name=sender_name(conversation, agent),
        from_email=address,
        reply_to=reply_address(address, conversation.pk),
        headers=thread_headers(conversation),
        attachments=list(message.attachments.all()),
        at=message.created_at,
    )
