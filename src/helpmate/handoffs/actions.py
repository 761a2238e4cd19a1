"""Writes of the handoffs app: accepting a handoff, and alerting team leads about mazes.

``accept_handoff`` is the action views and the API call. The listeners (``listeners.py``) run
inside the desk's own actions, where the conversation is already locked, and use the
``_record_*`` helpers below directly.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from helpmate.desk.actions import (
    ActionError,
    ConflictError,
    assign_conversation,
    lock_conversation,
    log_event,
)
from helpmate.desk.models import Conversation, EventType, Notification
from helpmate.desk.sanitize import preview_of
from helpmate.handoffs.models import AlertReason, Handoff, LeadAlert
from helpmate.outbox import queue_email
from helpmate.people.models import Agent, Role, Team


def may_accept(handoff: Handoff, agent: Agent, owner_id: int | None) -> bool:
    """The receiver accepts: the named agent, anyone in the receiving team when nobody was
    named, or whoever owns the conversation now."""
    if handoff.to_agent_id is not None:
        return agent.pk in (handoff.to_agent_id, owner_id)
    if agent.pk == owner_id:
        return True
    return handoff.to_team_id is not None and agent.teams.filter(pk=handoff.to_team_id).exists()


def _record_acceptance(
    conv: Conversation, handoff: Handoff, agent: Agent, how: str, at: datetime
) -> None:
    """Mark the handoff accepted and tell the agent who followed it (conversation locked)."""
    handoff.accepted_at = at
    handoff.accepted_by = agent
    handoff.save(update_fields=["accepted_at", "accepted_by"])
    log_event(
        conv,
        EventType.HANDOFF_ACCEPTED,
        agent,
        at,
        handoff=handoff.pk,
        how=how,
        from_agent=handoff.from_agent_id,
        waited_seconds=int((at - handoff.created_at).total_seconds()),
    )
    if handoff.from_agent_id is not None and handoff.from_agent_id != agent.pk:
        Notification.objects.create(
            agent_id=handoff.from_agent_id,
            conversation=conv,
            created_at=at,
            text=(
                f"{agent.public_name} accepted “{preview_of(conv.subject, 80)}”; "
                "you no longer follow it"
            ),
        )


def accept_handoff(*, handoff: Handoff, agent: Agent, at: datetime | None = None) -> Handoff:
    """The receiver takes the conversation on: the previous owner stops following it. For a
    handoff to a team, accepting also makes the agent the owner if nobody owns it yet."""
    at = at or timezone.now()
    with transaction.atomic():
        conv = lock_conversation(handoff.conversation_id)
        handoff = Handoff.objects.select_for_update(no_key=True).get(pk=handoff.pk)
        if handoff.accepted_at is not None:
            raise ConflictError("This handoff was already accepted.")
        if handoff.superseded_at is not None:
            raise ConflictError("It was handed on again since; the newer handoff is the one.")
        if not may_accept(handoff, agent, conv.owner_id):
            who = handoff.receiver_name
            raise ActionError(f"This handoff is for {who}; only they can accept it.")
        _record_acceptance(conv, handoff, agent, "accepted", at)
        if conv.owner_id is None:
            assign_conversation(conversation=conv, actor=agent, owner=agent, at=at)
    return handoff


# --- alerts to team leads ---------------------------------------------------------------------


def leads_for(team: Team | None) -> list[Agent]:
    """The team's leads (active agents with the lead role in it), else the admins."""
    active = Agent.objects.active().select_related("user")
    if team is not None:
        leads = list(active.filter(teams=team, role=Role.LEAD))
        if leads:
            return leads
    return list(active.filter(role=Role.ADMIN))


def _alert_text(conv: Conversation, reason: str, detail: str) -> str:
    subject = preview_of(conv.subject, 80)
    return {
        AlertReason.HANDOFFS: f"Maze: “{subject}” was handed over {detail} times",
        AlertReason.BOUNCED: f"Maze: “{subject}” bounced back to {detail}",
        AlertReason.UNOWNED: f"“{subject}” has had no owner for {detail}",
    }[AlertReason(reason)]


def _record_alert(
    conv: Conversation, reason: str, team: Team | None, at: datetime, detail: str
) -> LeadAlert | None:
    """Alert the team's leads once per reason per conversation (conversation locked)."""
    if LeadAlert.objects.filter(conversation=conv, reason=reason).exists():
        return None
    leads = leads_for(team)
    alert = LeadAlert.objects.create(conversation=conv, reason=reason, team=team, created_at=at)
    alert.leads.set(leads)
    text = _alert_text(conv, reason, detail)
    Notification.objects.bulk_create(
        Notification(agent=lead, conversation=conv, created_at=at, text=text[:300])
        for lead in leads
    )
    link = settings.BASE_URL + reverse("desk:conversation", args=[conv.pk])
    addresses = [lead.email for lead in leads if lead.email]
    if addresses:
        queue_email(
            to=addresses,
            subject=f"{AlertReason(reason).label}: #{conv.pk} {conv.subject}",
            text=(
                f"{text}.\n\nThe customer is feeling the runaround. Have a look, and make sure "
                f"one named person owns it:\n{link}\n"
            ),
            conversation=conv,
            kind="notification",
            at=at,
        )
    log_event(
        conv,
        EventType.LEAD_ALERTED,
        None,
        at,
        reason=reason,
        team=team.pk if team else None,
        leads=[lead.pk for lead in leads],
        detail=detail,
    )
    return alert


def alert_if_unowned(
    *, conversation: Conversation, since: datetime, minutes: int, at: datetime | None = None
) -> LeadAlert | None:
    """Alert the leads that an open conversation has had no owner since ``since`` (checked
    again under the lock, so two workers never alert twice)."""
    at = at or timezone.now()
    with transaction.atomic():
        conv = lock_conversation(conversation)
        if conv.owner_id is not None or not conv.is_open or conv.merged_into_id is not None:
            return None
        hours, mins = divmod(minutes, 60)
        detail = (
            f"{hours} h {mins} min"
            if hours and mins
            else f"{hours} h"
            if hours
            else (f"{mins} min")
        )
        return _record_alert(conv, AlertReason.UNOWNED, conv.team, at, f"{detail} of working time")
