"""Business calendars, the team each one serves, service targets and the misses recorded.

Calendars are read through ``helpmate.service.calendar.calendar_for`` (cached); targets through
``helpmate.service.targets``. Writes go through ``helpmate.service.actions``.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce

from helpmate.desk.models import Channel, Conversation, Priority
from helpmate.people.models import ContactKind, Team
from helpmate.service.calendar import Cal, default_hours, make_calendar


class BusinessCalendar(models.Model):
    """Working hours in a time zone. ``hours`` maps mon..sun to a list of ranges like
    ``"09:00-17:00"`` (``"22:00-06:00"`` runs overnight); a missing or empty day is closed."""

    name = models.CharField(max_length=120, unique=True)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    hours = models.JSONField(default=default_hours)
    is_default = models.BooleanField(
        default=False, help_text="Used by teams without a calendar of their own"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def to_cal(self) -> Cal:
        holidays: dict[date, list[str]] = {}
        names: dict[date, str] = {}
        for holiday in self.holidays.all():
            holidays[holiday.date] = list(holiday.hours or [])
            names[holiday.date] = holiday.name
        return make_calendar(
            time_zone=self.time_zone,
            hours=self.hours or {},
            holidays=holidays,
            name=self.name,
            pk=self.pk,
            holiday_names=names,
        )


class Holiday(models.Model):
    """A date with other hours than usual: closed (no hours) or a half day (its own ranges)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField()
    name = models.CharField(max_length=120)
    hours = models.JSONField(default=list, blank=True, help_text="Empty: closed all day")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class TeamService(models.Model):
    """Service settings of a team (its calendar); a team without one uses the default."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="service")
    calendar = models.ForeignKey(
        BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )

    def __str__(self) -> str:
        return f"{self.team} service"


class ServiceTarget(models.Model):
    """Targets for the conversations that match: empty criteria match anything. For each of the
    three targets the most specific row that sets it wins (team, then requester kind, then
    channel, then priority); a row with no criteria is the desk default."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="service_targets"
    )
    requester_kind = models.CharField(
        max_length=10, choices=ContactKind.choices, blank=True, default=""
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True, default="")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, null=True, blank=True)
    first_response = models.DurationField(null=True, blank=True)
    next_response = models.DurationField(null=True, blank=True)
    resolution = models.DurationField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team_id", "requester_kind", "channel", "priority", "pk"]
        constraints = [
            # "Any team" and "any priority" are NULL: coalesced so that two desk defaults clash.
            models.UniqueConstraint(
                Coalesce("team", Value(0)),
                "requester_kind",
                "channel",
                Coalesce("priority", Value(0)),
                name="service_target_unique",
            )
        ]

    def __str__(self) -> str:
        parts = [
            str(self.team) if self.team_id else "any team",
            self.requester_kind or "anyone",
            self.channel or "any channel",
            Priority(self.priority).label if self.priority else "any priority",
        ]
        return " / ".join(parts)


class TargetMiss(models.Model):
    """Bookkeeping of the periodic job: one row per target due time that passed unmet, so the
    TARGET_MISSED event is written once even when two workers run the job at the same time."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "target", "due_at"], name="target_miss_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} missed on #{self.conversation_id}"


# --- the attainment tally (helpmate.service.tally) --------------------------------------------


class TallyState(models.Model):
    """One row (pk 1): how far the tally job has folded the event log. Every event with an id up
    to ``folded_through`` is folded; ``seen_through`` is the highest id seen at ``seen_at``,
    promoted to ``folded_through`` by a run at least ``tally.LAG`` later (so an event whose
    transaction committed after a lower id was read is never skipped)."""

    folded_through = models.BigIntegerField(default=0)
    seen_through = models.BigIntegerField(default=0)
    seen_at = models.DateTimeField(null=True, blank=True)
    # The rules (``tally.rules_fingerprint``) every conversation was last folded under; reports
    # under other rules judge from scratch until the job has refolded.
    rules = models.CharField(max_length=16, default="")

    def __str__(self) -> str:
        return f"tally folded through event {self.folded_through}"


class ConversationTally(models.Model):
    """What the tally last judged of one conversation: the inputs of its targets (so a change
    the event log does not show, like the requester's kind, still makes it stale), the rules'
    fingerprint (targets and calendars) and the highest event id it had then."""

    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="tally"
    )
    # The highest event id judged; -1 while claimed and not yet judged, or marked stale.
    folded_event_id = models.BigIntegerField(default=-1)
    rules = models.CharField(max_length=16, default="")
    team_key = models.IntegerField(default=0)  # team id, 0 for none
    owner_key = models.IntegerField(default=0)  # owner id, 0 for none
    channel = models.CharField(max_length=10, default="")
    priority = models.SmallIntegerField(default=0)
    kind = models.CharField(max_length=10, default="")
    merged = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Rows marked stale (or claimed, being folded) are read by every report.
            models.Index(
                fields=["folded_event_id"],
                name="conv_tally_marked",
                condition=models.Q(folded_event_id__lt=0),
            )
        ]

    def __str__(self) -> str:
        return f"tally of #{self.conversation_id}"


class TargetTally(models.Model):
    """One judged target of one conversation (one row per wait for the next response).
    ``outcome`` is met, missed or pending; a pending one whose ``due_at`` has passed is read as
    missed. ``team_id``, ``created_at`` and ``day`` repeat the conversation's, so the report is
    one grouped read of this table."""

    tally = models.ForeignKey(
        ConversationTally, on_delete=models.CASCADE, related_name="targets", db_index=False
    )
    target = models.CharField(max_length=16)
    seq = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=8)
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    agent = models.ForeignKey(
        "people.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tally", "target", "seq"], name="target_tally_unique")
        ]
        indexes = [
            # The report reads a period's rows from this index alone, already in the order of
            # its groups (day, team, agent), so SQLite aggregates without sorting (twice as
            # fast as an index led by created_at at 90 days x 100,000 conversations).
            models.Index(
                fields=["day", "team_id", "agent", "target", "outcome", "created_at", "due_at"],
                name="target_tally_day",
            ),
            # Pending targets (decided at read time against their due time).
            models.Index(
                fields=["day", "team_id", "agent", "target", "due_at"],
                name="target_tally_pending",
                condition=models.Q(outcome="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.outcome} on #{self.tally_id}"


class TallyDay(models.Model):
    """The decided (met or missed) targets of the conversations created on one local day, per
    team and credited agent (0: none), summed from ``TargetTally`` by the fold in the same
    transaction. Reports read whole days from here and only the pending targets and the two
    partial days at the ends of their period row by row."""

    day = models.DateField()
    team_key = models.IntegerField()
    agent_key = models.IntegerField()
    first_response_met = models.IntegerField(default=0)
    first_response_missed = models.IntegerField(default=0)
    next_response_met = models.IntegerField(default=0)
    next_response_missed = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    resolution_missed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_key", "agent_key"], name="tally_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"tally of {self.day} team {self.team_key} agent {self.agent_key}"
