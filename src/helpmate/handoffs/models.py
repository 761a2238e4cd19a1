"""Handoffs (who handed a conversation to whom, and whether the receiver accepted it) and the
alerts sent to team leads about mazes.

Both are written inside the desk's transfer transaction (see ``listeners``) or by the actions in
``helpmate.handoffs.actions``; the event log (TRANSFERRED, HANDOFF_ACCEPTED, LEAD_ALERTED) stays
the memory.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from helpmate.desk.models import Conversation, Message
from helpmate.people.models import Agent, Team


class HandoffQuerySet(models.QuerySet["Handoff"]):
    def pending(self) -> HandoffQuerySet:
        return self.filter(accepted_at__isnull=True, superseded_at__isnull=True)

    def for_receiver(self, agent: Agent) -> HandoffQuerySet:
        """Handoffs this agent may accept: to them, or to one of their teams with nobody named."""
        return self.filter(
            Q(to_agent=agent)
            | Q(to_agent__isnull=True, to_team__in=Team.objects.filter(agents=agent).values("pk"))
        )


class Handoff(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="handoffs"
    )
    # The agent handing over: the previous owner, or whoever transferred an unowned conversation.
    # They follow the conversation until the receiver accepts.
    from_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="handoffs_given"
    )
    from_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="handoffs_received"
    )
    to_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField()
    customer_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Handed on again before anyone accepted: the next handoff takes over.
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = HandoffQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_agent", "accepted_at"], name="handoff_to_agent"),
            models.Index(fields=["to_team", "accepted_at"], name="handoff_to_team"),
            models.Index(fields=["from_agent", "accepted_at"], name="handoff_from_agent"),
        ]

    def __str__(self) -> str:
        return f"Handoff of #{self.conversation_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.superseded_at is None

    @property
    def receiver_name(self) -> str:
        if self.to_agent is not None:
            return self.to_agent.public_name
        return self.to_team.name if self.to_team is not None else "nobody"


class AlertReason(models.TextChoices):
    HANDOFFS = "handoffs", "Handed over too many times"
    BOUNCED = "bounced", "Bounced back to a team it had left"
    UNOWNED = "unowned", "Without an owner for too long"


class LeadAlert(models.Model):
    """One alert per reason per conversation (the unique constraint makes sure of it)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="lead_alerts"
    )
    reason = models.CharField(max_length=20, choices=AlertReason.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    leads = models.ManyToManyField(Agent, related_name="+", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "reason"], name="lead_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.reason} on #{self.conversation_id}"
