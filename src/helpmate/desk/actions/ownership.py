"""Who owns a conversation: assigning, claiming and handing over with a note."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions.base import (
    ActionError,
    ConflictError,
    _add_message,
    _event,
    _lock,
    _queue_reply_delivery,
    _set_status,
)
from helpmate.desk.models import (
    Channel,
    Conversation,
    EventType,
    Message,
    MessageKind,
    Notification,
    Status,
)
from helpmate.desk.sanitize import preview_of
from helpmate.people.models import Agent, Team


def assign_conversation(
    *, conversation: Conversation, actor: Agent, owner: Agent | None, at: datetime | None = None
) -> Conversation:
    """Give the conversation a named owner (or none). Claiming is assigning to oneself."""
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        if conv.owner_id == (owner.pk if owner else None):
            return conv
        _event(
            conv,
            EventType.ASSIGNED,
            actor,
            at,
            previous=conv.owner_id,
            owner=owner.pk if owner else None,
        )
        conv.owner = owner
        if conv.status == Status.NEW and owner is not None:
            _set_status(conv, Status.OPEN, actor, at)
        conv.updated_at = at
        conv.save()
        if owner is not None and owner.pk != actor.pk:
            Notification.objects.create(
                agent=owner,
                conversation=conv,
                created_at=at,
                text=f"{actor.public_name} gave you “{preview_of(conv.subject, 80)}”",
            )
    return conv


def transfer_target(
    conversation: Conversation, *, team: Team | None, owner: Agent | None
) -> tuple[Team | None, Agent | None]:
    """Where a transfer to ``team``/``owner`` leaves the conversation: (team, owner)."""
    new_team = team or conversation.team
    current = conversation.owner
    if team is not None and owner is None and current is not None:
        # The current owner keeps it only if they belong to the receiving team.
        keeps = current.teams.filter(pk=team.pk).exists()
        return new_team, current if keeps else None
    return new_team, owner if owner is not None else current


def transfer_conversation(
    *,
    conversation: Conversation,
    actor: Agent,
    note: str,
    team: Team | None = None,
    owner: Agent | None = None,
    tell_customer: bool = False,
    customer_message: str = "",
    at: datetime | None = None,
) -> Conversation:
    """Hand the conversation to another team or agent, with a note for the receiver.

    With ``tell_customer`` the customer gets a reply, signed by ``actor``, saying who owns their
    request now: ``customer_message`` as written, or the suggested wording when it is blank
    (helpmate.handoffs.wording). It is a real reply (emailed, shown in the portal) but not an
    answer: the status, the waiting time and the owner stay as the transfer left them. The
    workspace's form ticks it by default; the action and the API send nothing unless asked.
    """
    note = note.strip()
    if not note:
        raise ActionError("Write a handoff note so the new owner gets the story.")
    if team is None and owner is None:
        raise ActionError("Choose the team or the person to hand it to.")
    at = at or timezone.now()
    with transaction.atomic():
        conv = _lock(conversation)
        new_team, new_owner = transfer_target(conv, team=team, owner=owner)
        if new_team == conv.team and new_owner == conv.owner:
            raise ConflictError("It already sits with that team and owner.")
        _event(
            conv,
            EventType.TRANSFERRED,
            actor,
            at,
            from_team=conv.team_id,
            to_team=new_team.pk if new_team else None,
            from_owner=conv.owner_id,
            to_owner=new_owner.pk if new_owner else None,
            reason=note,
        )
        conv.team = new_team
        conv.owner = new_owner
        conv.updated_at = at
        conv.save()
        message = _add_message(
            conv,
            kind=MessageKind.NOTE,
            text=f"Handoff: {note}",
            html="",
            channel=Channel.INTERNAL,
            at=at,
            attachments=(),
            author=actor,
        )
        conv.message_count += 1
        conv.save(update_fields=["message_count"])
        if tell_customer:
            _tell_customer(conv, actor, customer_message, new_team, new_owner, at)
        receivers = [new_owner] if new_owner else list(new_team.agents.all()) if new_team else []
        Notification.objects.bulk_create(
            Notification(
                agent=r,
                conversation=conv,
                message=message,
                created_at=at,
                text=f"{actor.public_name} handed over “{preview_of(conv.subject, 80)}”",
            )
            for r in receivers
            if r.pk != actor.pk
        )
    return conv


def _tell_customer(
    conv: Conversation,
    actor: Agent,
    text: str,
    team: Team | None,
    owner: Agent | None,
    at: datetime,
) -> Message:
    """The reply that tells the customer who has their request now (inside the transfer)."""
    from helpmate.handoffs.wording import customer_message

    text = text.replace("\r\n", "\n").strip() or customer_message(
        conversation=conv, sender=actor, to_agent=owner, to_team=team, now=at
    )
    message = _add_message(
        conv,
        kind=MessageKind.REPLY,
        text=text,
        html="",
        channel=conv.channel,
        at=at,
        attachments=(),
        author=actor,
    )
    _event(conv, EventType.REPLIED, actor, at, message=message.pk, handoff=True)
    conv.last_reply_at = at
    conv.updated_at = at
    conv.message_count += 1
    conv.preview = preview_of(message.text)
    conv.save(update_fields=["last_reply_at", "updated_at", "message_count", "preview"])
    _queue_reply_delivery(message)
    return message
