"""A person's email into the desk: a new conversation, a message in an existing one, or a linked
follow-up; Cc'd people become participants; an agent's forward opens the conversation on
behalf of the original sender. Runs inside ``process``'s transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat

from helpmate.desk.actions import (
    add_incoming_message,
    add_participant,
    create_conversation,
)
from helpmate.desk.models import DONE_STATUSES, Channel, Conversation, Message
from helpmate.mail import batch
from helpmate.mail.actions import add_mail_note, open_follow_up
from helpmate.mail.forwards import strip_forward_prefix
from helpmate.mail.models import Mailbox
from helpmate.mail.parse import ParsedEmail, Part
from helpmate.mail.tokens import base_address
from helpmate.people.actions import PeopleError, find_or_create_contact
from helpmate.people.models import Agent, Contact, Team

EMPTY_TEXT = "(This email has no text.)"


@dataclass
class Delivered:
    conversation: Conversation
    message: Message | None
    summary: str


def _files(parts: list[Part]) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The files the desk accepts, and a line for each one left in the original email."""
    limit = settings.HELPMATE_MAX_ATTACHMENT_BYTES
    blocked = {e.lower().lstrip(".") for e in settings.HELPMATE_BLOCKED_EXTENSIONS}
    kept: list[SimpleUploadedFile] = []
    left: list[str] = []
    for part in parts:
        suffixes = {s.lower().lstrip(".") for s in PurePath(part.filename).suffixes}
        if len(part.data) > limit:
            left.append(
                f"“{part.filename}” ({filesizeformat(len(part.data))}, over the "
                f"{filesizeformat(limit)} limit)"
            )
        elif suffixes & blocked:
            left.append(f"“{part.filename}” (a type of file that can carry programs)")
        elif len(kept) >= settings.HELPMATE_MAX_ATTACHMENTS_PER_MESSAGE:
            left.append(f"“{part.filename}” (more than the per-message limit of files)")
        else:
            kept.append(SimpleUploadedFile(part.filename, part.data, part.content_type))
    return kept, left


def _agents_among(addresses: set[str]) -> dict[str, Agent]:
    """The active agents among these addresses (one query), by lower-case address."""
    known = batch.current()
    if known is not None:  # the batch looked them up already: ask only about agents
        addresses = {a for a in addresses if a.strip().lower() in known.agents}
    if not addresses:
        return {}
    found = (
        Agent.objects.active()
        .annotate(address=Lower("user__email"))
        .filter(address__in=addresses)
        .select_related("user")
    )
    return {agent.address: agent for agent in found}


def _people(
    parsed: ParsedEmail, *, exclude: set[str], ours: set[str], agents: dict[str, Agent]
) -> list[Contact]:
    """Contacts for the other people in To and Cc (not us, not agents, not the sender)."""
    people: list[Contact] = []
    seen: set[str] = set()
    for name, address in parsed.to + parsed.cc:
        if address in exclude or address in seen or address in agents:
            continue
        seen.add(address)
        if base_address(address) in ours or len(people) >= 20:
            continue
        try:
            people.append(find_or_create_contact(email=address, name=name))
        except PeopleError:
            continue  # an address the desk cannot keep; it stays in the original email
    return people


def _note_left_files(conversation: Conversation, left: list[str], at: datetime) -> None:
    if left:
        add_mail_note(
            conversation=conversation,
            text="Not attached here, still in the original email (download it from the "
            "message): " + "; ".join(left) + ".",
            at=at,
        )


def deliver_message(
    parsed: ParsedEmail,
    *,
    conversation: Conversation | None,
    mailbox: Mailbox | None,
    mailbox_addresses: set[str],
    automatic: bool,
    at: datetime,
) -> Delivered:
    team = mailbox.team if mailbox is not None else None
    files, left = _files(parsed.attachments)
    text = parsed.text or ("" if files else EMPTY_TEXT)
    forwarded = parsed.forwarded
    everyone = {parsed.from_address} | {a for _, a in parsed.to + parsed.cc}
    agents = _agents_among(everyone | ({forwarded.address} if forwarded else set()))
    agent = agents.get(parsed.from_address)
    if (
        agent is not None
        and forwarded is not None
        and conversation is None
        and forwarded.address not in agents
        and base_address(forwarded.address) not in mailbox_addresses
    ):
        return _agent_forward(parsed, agent, team, files, left, at)
    sender = find_or_create_contact(email=parsed.from_address, name=parsed.from_name)
    people = _people(parsed, exclude={parsed.from_address}, ours=mailbox_addresses, agents=agents)
    tags = ["automatic"] if automatic else []
    if (
        conversation is not None
        and conversation.status in DONE_STATUSES
        and (
            conversation.resolved_at is not None
            and conversation.resolved_at < at - timedelta(days=settings.HELPMATE_MAIL_REOPEN_DAYS)
        )
    ):
        new = open_follow_up(
            previous=conversation,
            requester=sender,
            subject=parsed.subject or conversation.subject,
            text=text,
            html=parsed.html,
            team=conversation.team or team,
            attachments=files,
            participants=people,
            at=at,
        )
        _note_left_files(new, left, at)
        return Delivered(
            new, new.messages.first(), f"Opened follow-up #{new.pk} of #{conversation.pk}"
        )
    if conversation is not None:
        message = add_incoming_message(
            conversation=conversation,
            author=sender,
            text=text,
            html=parsed.html,
            channel=Channel.EMAIL,
            attachments=files,
            at=at,
        )
        conv = message.conversation
        for person in people:
            add_participant(conversation=conv, actor=sender, contact=person, at=at)
        _note_left_files(conv, left, at)
        return Delivered(conv, message, f"Added to #{conv.pk}")
    new = create_conversation(
        requester=sender,
        subject=parsed.subject or "(no subject)",
        text=text,
        html=parsed.html,
        channel=Channel.EMAIL,
        team=team,
        attachments=files,
        participants=people,
        tags=tags,
        at=at,
    )
    _note_left_files(new, left, at)
    return Delivered(new, new.messages.first(), f"Opened #{new.pk}")


def _agent_forward(
    parsed: ParsedEmail,
    agent: Agent,
    team: Team | None,
    files: list[SimpleUploadedFile],
    left: list[str],
    at: datetime,
) -> Delivered:
    """An agent forwarded a customer's email to the desk: open it on the customer's behalf."""
    original = parsed.forwarded
    assert original is not None
    requester = find_or_create_contact(email=original.address, name=original.name)
    subject = original.subject or strip_forward_prefix(parsed.subject) or "(no subject)"
    new = create_conversation(
        requester=requester,
        subject=subject,
        text=original.text or EMPTY_TEXT,
        channel=Channel.EMAIL,
        team=team or agent.teams.first(),
        created_by=agent,
        attachments=files,
        at=at,
    )
    if original.comment:
        add_mail_note(
            conversation=new,
            agent=agent,
            text=f"Forwarded by {agent.public_name}: {original.comment[:2000]}",
            at=at,
        )
    _note_left_files(new, left, at)
    summary = f"Opened #{new.pk} for {original.address}, forwarded by an agent"
    return Delivered(new, new.messages.first(), summary)
