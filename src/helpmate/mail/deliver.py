"""A person's email into the desk: a new conversation, a message in an existing one, or a linked
follow-up; Cc'd people become participants; an agent's forward opens the conversation on
behalf of the original sender. Runs inside ``process``'s transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import cast

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat

from helpmate.desk.actions import (
    IncomingMessage,
    NewConversation,
    add_incoming_messages,
    create_conversation,
    open_conversations,
)
from helpmate.desk.models import DONE_STATUSES, Channel, Conversation, Message
from helpmate.mail import batch
from helpmate.mail.actions import add_mail_note, open_follow_up
from helpmate.mail.forwards import strip_forward_prefix
from helpmate.mail.models import Mailbox
from helpmate.mail.parse import ParsedEmail, Part
from helpmate.mail.tokens import base_address
from helpmate.people.actions import (
    PeopleError,
    find_or_create_contact,
    find_or_create_contacts,
)
from helpmate.people.actions.finding import usable_address
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


@dataclass
class Plan:
    """What a person's email will do, worked out before anything is written."""

    parsed: ParsedEmail
    conversation: Conversation | None  # the one it continues, if any
    team: Team | None
    mailbox_addresses: set[str]
    automatic: bool
    at: datetime
    files: list[SimpleUploadedFile]
    left: list[str]  # a line for each file left in the original email
    text: str
    people: list[tuple[str, str]]  # the other people in To and Cc: (address, name)
    forwarder: Agent | None  # the agent who forwarded a customer's email to the desk

    @property
    def addresses(self) -> set[str]:
        """The addresses whose contacts delivering it may create or use."""
        found = {usable_address(self.parsed.from_address)} | {a for a, _ in self.people}
        if self.forwarder is not None and self.parsed.forwarded is not None:
            found.add(usable_address(self.parsed.forwarded.address))
        return found - {""}

    @property
    def follows_up(self) -> bool:
        """It answers a conversation resolved too long ago: a linked follow-up opens instead."""
        conversation = self.conversation
        return (
            conversation is not None
            and conversation.status in DONE_STATUSES
            and conversation.resolved_at is not None
            and conversation.resolved_at
            < self.at - timedelta(days=settings.HELPMATE_MAIL_REOPEN_DAYS)
        )

    @property
    def simple(self) -> bool:
        """A person's email that opens a conversation or adds a message to one, and nothing
        more (no agent's forward, no follow-up, no automatic mail, a sender address the desk
        can keep): ``deliver_many`` can write it together with others."""
        return (
            self.forwarder is None
            and not self.follows_up
            and not self.automatic
            and bool(usable_address(self.parsed.from_address))
        )


def _people(
    parsed: ParsedEmail, *, exclude: set[str], ours: set[str], agents: dict[str, Agent]
) -> list[tuple[str, str]]:
    """The other people in To and Cc (not us, not agents, not the sender; at most 20), as
    (address, name); an address the desk cannot keep stays in the original email only."""
    people: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, address in parsed.to + parsed.cc:
        if address in exclude or address in seen or address in agents:
            continue
        seen.add(address)
        if base_address(address) in ours or len(people) >= 20:
            continue
        usable = usable_address(address)
        if usable:
            people.append((usable, name))
    return people


def plan(
    parsed: ParsedEmail,
    *,
    conversation: Conversation | None,
    mailbox: Mailbox | None,
    mailbox_addresses: set[str],
    automatic: bool,
    at: datetime,
) -> Plan:
    """Work out what the email will do (reads only)."""
    team = mailbox.team if mailbox is not None else None
    files, left = _files(parsed.attachments)
    text = parsed.text or ("" if files else EMPTY_TEXT)
    forwarded = parsed.forwarded
    everyone = {parsed.from_address} | {a for _, a in parsed.to + parsed.cc}
    agents = _agents_among(everyone | ({forwarded.address} if forwarded else set()))
    agent = agents.get(parsed.from_address)
    forwarder = (
        agent
        if agent is not None
        and forwarded is not None
        and conversation is None
        and forwarded.address not in agents
        and base_address(forwarded.address) not in mailbox_addresses
        else None
    )
    people = _people(parsed, exclude={parsed.from_address}, ours=mailbox_addresses, agents=agents)
    return Plan(
        parsed, conversation, team, mailbox_addresses, automatic, at, files, left, text,
        people, forwarder,
    )  # fmt: skip


def _note_left_files(conversation: Conversation, left: list[str], at: datetime) -> None:
    if left:
        add_mail_note(
            conversation=conversation,
            text="Not attached here, still in the original email (download it from the "
            "message): " + "; ".join(left) + ".",
            at=at,
        )


def _contacts(plans: Sequence[Plan]) -> dict[str, Contact]:
    """The senders' and Cc'd people's contacts, found or created in one go, in email order (so
    a name given first is the one kept, as one email at a time would)."""
    wanted: list[tuple[str, str]] = []
    for item in plans:
        wanted.append((item.parsed.from_address, item.parsed.from_name))
        wanted.extend(item.people)
    return find_or_create_contacts(wanted)


def _sender(contacts: dict[str, Contact], item: Plan) -> Contact:
    found = contacts.get(usable_address(item.parsed.from_address))
    if found is None:
        raise PeopleError(f"“{item.parsed.from_address}” is not an email address.")
    return found


def deliver_many(plans: Sequence[Plan]) -> list[Delivered]:
    """Write these plans (none an agent's forward or a follow-up) all together, in the order
    given: the contacts are found or created in one go, the new conversations opened with a few
    inserts, the messages to existing ones added with a few more."""
    contacts = _contacts(plans)
    opening = [item for item in plans if item.conversation is None]
    continuing = [item for item in plans if item.conversation is not None]
    drafts = [
        NewConversation(
            requester=_sender(contacts, item),
            subject=item.parsed.subject or "(no subject)",
            text=item.text,
            html=item.parsed.html,
            channel=Channel.EMAIL,
            team=item.team,
            attachments=item.files,
            participants=[contacts[a] for a, _ in item.people if a in contacts],
            tags=["automatic"] if item.automatic else [],
            at=item.at,
        )
        for item in opening
    ]
    messages = [
        IncomingMessage(
            conversation=cast(Conversation, item.conversation),
            author=_sender(contacts, item),
            text=item.text,
            html=item.parsed.html,
            channel=Channel.EMAIL,
            attachments=item.files,
            participants=[contacts[a] for a, _ in item.people if a in contacts],
            at=item.at,
        )
        for item in continuing
    ]
    opened = iter(open_conversations(drafts))
    added = iter(add_incoming_messages(messages))
    done = []
    for item in plans:
        if item.conversation is None:
            conversation, message = next(opened)
            done.append(Delivered(conversation, message, f"Opened #{conversation.pk}"))
        else:
            message = next(added)
            done.append(
                Delivered(message.conversation, message, f"Added to #{message.conversation_id}")
            )
        _note_left_files(done[-1].conversation, item.left, item.at)
    return done


def deliver(planned: Plan) -> Delivered:
    """Write what the plan says: a new conversation, a message in the one it continues, or a
    linked follow-up (runs inside ``process``'s transaction)."""
    parsed, conversation, at = planned.parsed, planned.conversation, planned.at
    if planned.forwarder is not None:
        return _agent_forward(planned, planned.forwarder)
    if conversation is None or not planned.follows_up:
        return deliver_many([planned])[0]
    found = _contacts([planned])
    new = open_follow_up(
        previous=conversation,
        requester=_sender(found, planned),
        subject=parsed.subject or conversation.subject,
        text=planned.text,
        html=parsed.html,
        team=conversation.team or planned.team,
        attachments=planned.files,
        participants=[found[a] for a, _ in planned.people if a in found],
        at=at,
    )
    _note_left_files(new, planned.left, at)
    return Delivered(new, new.messages.first(), f"Opened follow-up #{new.pk} of #{conversation.pk}")


def _agent_forward(planned: Plan, agent: Agent) -> Delivered:
    """An agent forwarded a customer's email to the desk: open it on the customer's behalf."""
    parsed, team, files, left, at = (
        planned.parsed, planned.team, planned.files, planned.left, planned.at
    )  # fmt: skip
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
