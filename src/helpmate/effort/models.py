"""The effort a conversation asked of the customer, folded from its event log.

One ``ConversationEffort`` row per conversation, kept current by the event listener in
``helpmate.effort.fold`` inside the transaction that writes each event. ``last_event_id`` is
the cursor: events up to it are already folded in, so folding again (a replay, a rebuild that
catches up) changes nothing. The Customer Effort Score answer lives here too (and in the log as
``ces_requested`` / ``ces_answered`` events).
"""

from __future__ import annotations

from django.db import models

from helpmate.desk.models import Conversation
from helpmate.people.models import Agent, Contact, Team


class ConversationEffort(models.Model):
    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="effort"
    )
    last_event_id = models.BigIntegerField(default=0, help_text="Cursor: last event folded in")
    last_event_at = models.DateTimeField(null=True, blank=True)

    # Where it stands now (denormalised from the log, for the radar's grouping).
    requester = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    owner = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="None while open")
    merged = models.BooleanField(default=False)

    # Waiting on us, in business seconds of the team that had it at the time.
    wait_seconds = models.BigIntegerField(default=0)
    longest_wait_seconds = models.BigIntegerField(default=0)
    waits = models.PositiveIntegerField(default=0, help_text="Waits that have ended")
    waiting_since = models.DateTimeField(null=True, blank=True)
    step_wait_since = models.DateTimeField(null=True, blank=True)
    ongoing_wait_seconds = models.BigIntegerField(
        default=0, help_text="The running wait's seconds from earlier steps (before a handoff)"
    )

    # Ownership.
    handoffs = models.PositiveIntegerField(default=0)
    teams_touched = models.JSONField(default=list, blank=True)
    team_count = models.PositiveSmallIntegerField(default=0)
    last_named_owner_id = models.BigIntegerField(null=True, blank=True)
    owned_at = models.DateTimeField(null=True, blank=True)
    time_to_owner_seconds = models.BigIntegerField(null=True, blank=True)
    steps = models.JSONField(default=list, blank=True)

    # Messages, reopenings, repeats.
    customer_messages = models.PositiveIntegerField(default=0)
    agent_replies = models.PositiveIntegerField(default=0)
    reopenings = models.PositiveIntegerField(default=0)
    topic = models.CharField(max_length=600, blank=True, help_text="Subject + first message")
    repeat_of = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    repeat_contacts = models.PositiveIntegerField(
        default=0, help_text="Later similar conversations from the same contact within 7 days"
    )

    fcr = models.BooleanField(default=False, help_text="First-contact resolution")
    score = models.PositiveSmallIntegerField(default=0, help_text="Effort points, 0 to 100")

    # Customer Effort Score.
    ces_requested_at = models.DateTimeField(null=True, blank=True)
    ces_score = models.PositiveSmallIntegerField(null=True, blank=True)
    ces_comment = models.TextField(blank=True)
    ces_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["resolved_at"], name="effort_resolved"),
            models.Index(fields=["team", "resolved_at"], name="effort_team_resolved"),
            models.Index(fields=["owner", "resolved_at"], name="effort_owner_resolved"),
            models.Index(fields=["last_event_at"], name="effort_last_event"),
            models.Index(fields=["ces_requested_at", "resolved_at"], name="effort_ces_due"),
            models.Index(fields=["ces_answered_at"], name="effort_ces_answered"),
            models.Index(fields=["requester", "created_at"], name="effort_requester"),
        ]

    def __str__(self) -> str:
        return f"effort of #{self.conversation_id}: {self.score}"
