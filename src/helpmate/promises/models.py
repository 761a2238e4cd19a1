"""The promise ledger: who promised what to whom, by when, in which conversation.

Rows are written only by ``helpmate.promises.actions``; every transition also appends an event to
the conversation's log (PROMISE_MADE, PROMISE_KEPT, ...), from which the reports are computed.
"""

from __future__ import annotations

from django.db import models

from helpmate.desk.models import Conversation, Message
from helpmate.people.models import Agent, Contact


class PromiseState(models.TextChoices):
    OPEN = "open", "Open"
    KEPT_EARLY = "kept_early", "Kept early"
    KEPT_ON_TIME = "kept_on_time", "Kept on time"
    KEPT_LATE = "kept_late", "Kept late"
    RENEGOTIATED = "renegotiated", "Renegotiated before it was due"
    BROKEN = "broken", "Broken"
    CANCELLED = "cancelled", "Cancelled"


KEPT_STATES = (PromiseState.KEPT_EARLY, PromiseState.KEPT_ON_TIME, PromiseState.KEPT_LATE)


class PromiseSource(models.TextChoices):
    SUGGESTED = "suggested", "Suggested by Helpmate and confirmed"
    MANUAL = "manual", "Added by the agent"
    RENEGOTIATED = "renegotiated", "A new time agreed"
    API = "api", "Added through the API"


class Promise(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="promises"
    )
    made_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="promises"
    )
    # To whom: the requester by default; a customer, a colleague or a supplier.
    made_to = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="promises_to_me")
    by_team = models.BooleanField(
        default=False, help_text="Promised as 'we' (the team) rather than 'I'"
    )
    text = models.CharField(max_length=300, help_text="What was promised, e.g. call you back")
    words = models.CharField(max_length=120, blank=True, help_text="The deadline as written")
    source = models.CharField(
        max_length=20, choices=PromiseSource.choices, default=PromiseSource.MANUAL
    )
    due_at = models.DateTimeField()
    original_due_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=PromiseState.choices, default=PromiseState.OPEN)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    kept_at = models.DateTimeField(null=True, blank=True)
    source_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kept_by_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    renegotiated_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renegotiated_to"
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why it was renegotiated")
    warned_at = models.DateTimeField(null=True, blank=True)
    lead_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="promise_state_due"),
            models.Index(fields=["made_by", "state", "due_at"], name="promise_agent_due"),
            models.Index(fields=["conversation", "state"], name="promise_conv_state"),
        ]

    def __str__(self) -> str:
        return f"{self.text} (due {self.due_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.state == PromiseState.OPEN

    @property
    def is_kept(self) -> bool:
        return self.state in KEPT_STATES
