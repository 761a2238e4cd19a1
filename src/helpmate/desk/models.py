"""The desk: conversations, messages, attachments and the event log.

Writes go through ``helpmate.desk.actions``; reads through ``helpmate.desk.selectors`` and
``Conversation.objects.visible_to(user)``, the one place that decides who sees what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from helpmate.people.models import Agent, Contact, Team, agent_of, contact_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    WAITING_CUSTOMER = "waiting_customer", "Waiting on customer"
    WAITING_OTHER = "waiting_other", "Waiting on someone else"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING_CUSTOMER, Status.WAITING_OTHER)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Channel(models.TextChoices):
    PORTAL = "portal", "Portal"
    EMAIL = "email", "Email"
    API = "api", "API"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat"
    INTERNAL = "internal", "Internal"


class Priority(models.IntegerChoices):
    """Priority by need (how much harm waiting does), never by who the customer is."""

    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser | None) -> ConversationQuerySet:
        """The one rule for who may see a conversation.

        Agents see every conversation, unless HELPMATE_AGENTS_SEE_TEAM_ONLY restricts them to
        their teams' conversations and the ones they own (admins always see all). A contact sees
        the conversations they requested or take part in. Anyone else sees nothing.
        """
        agent = agent_of(user)
        if agent is not None:
            if agent.is_admin or not settings.HELPMATE_AGENTS_SEE_TEAM_ONLY:
                return self.all()
            return self.filter(
                Q(owner=agent) | Q(team__in=Team.objects.filter(agents=agent).values("pk"))
            )
        contact = contact_of(user)
        if contact is not None:
            participant = Conversation.participants.through.objects.filter(
                conversation=OuterRef("pk"), contact=contact
            )
            return self.filter(Q(requester=contact) | Exists(participant))
        return self.none()

    def open(self) -> ConversationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Conversation(models.Model):
    subject = models.CharField(max_length=300)
    # Foreign keys whose lookups a composite index below already serves carry no index of their
    # own (db_index=False): one index less to keep up on every write.
    requester = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="conversations", db_index=False
    )
    participants = models.ManyToManyField(Contact, related_name="participating_in", blank=True)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    owner = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned",
        db_index=False,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    tags = models.ManyToManyField(Tag, related_name="conversations", blank=True)
    # No index: lists filter on "not merged" while walking another index, and an index here
    # tempts SQLite (without statistics) into reading every unmerged row.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        db_index=False,
    )

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Denormalised from the event log for fast lists; the actions keep them in step.
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    last_reply_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Since when the customer has been waiting on us (None when the ball is in their court).
    waiting_since = models.DateTimeField(null=True, blank=True)
    # Service-target due times (kept by helpmate.service on the relevant events); due_at is the
    # earliest pending one and is set only while the conversation is open.
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        db_index=False,
        help_text="The resolved conversation this one continues (a late reply by email).",
    )
    message_count = models.PositiveIntegerField(default=0)
    preview = models.CharField(max_length=200, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        # Each inbox ordering has an index it can walk instead of sorting a million rows:
        # waiting_since is set only while an open conversation waits on us, resolved_at only
        # while it is resolved or closed (the actions keep both invariants).
        indexes = [
            models.Index(fields=["waiting_since"], name="conv_wait"),
            models.Index(fields=["status", "waiting_since"], name="conv_status_wait"),
            models.Index(fields=["team", "waiting_since"], name="conv_team_wait"),
            models.Index(fields=["owner", "waiting_since"], name="conv_owner_wait"),
            models.Index(fields=["status", "updated_at"], name="conv_status_updated"),
            models.Index(fields=["team", "status", "updated_at"], name="conv_team_updated"),
            models.Index(fields=["owner", "status", "updated_at"], name="conv_owner_updated"),
            models.Index(fields=["resolved_at"], name="conv_resolved"),
            models.Index(fields=["team", "resolved_at"], name="conv_team_resolved"),
            models.Index(fields=["updated_at"], name="conv_updated"),
            models.Index(fields=["requester", "created_at"], name="conv_requester"),
            models.Index(fields=["due_at"], name="conv_due"),
            models.Index(fields=["team", "due_at"], name="conv_team_due"),
            models.Index(fields=["owner", "due_at"], name="conv_owner_due"),
            # Reports take the conversations created in a period (service-target attainment).
            models.Index(fields=["created_at"], name="conv_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MessageKind(models.TextChoices):
    INCOMING = "incoming", "From the requester or a participant"
    REPLY = "reply", "Reply"
    NOTE = "note", "Internal note"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    author_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    html = models.TextField(blank=True, help_text="Sanitised HTML, safe to render")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    mentions = models.ManyToManyField(Agent, related_name="mentioned_in", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at"], name="msg_conv_time")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in #{self.conversation_id}"

    @property
    def author_name(self) -> str:
        if self.author_agent is not None:
            return self.author_agent.public_name
        if self.author_contact is not None:
            return self.author_contact.name
        return "Unknown sender"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"{instance.message.conversation_id}/{instance.message_id}/{filename}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=400)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return self.filename


class EventType(models.TextChoices):
    CREATED = "created", "Created"
    MESSAGE_RECEIVED = "message_received", "Message received"
    REPLIED = "replied", "Replied"
    NOTE = "note", "Internal note"
    ASSIGNED = "assigned", "Assigned"
    TRANSFERRED = "transferred", "Transferred"
    STATUS_CHANGED = "status_changed", "Status changed"
    REOPENED = "reopened", "Reopened"
    MERGED = "merged", "Merged"
    TAGGED = "tagged", "Tags changed"
    PRIORITY_CHANGED = "priority_changed", "Priority changed"
    PARTICIPANT_ADDED = "participant_added", "Participant added"
    SUBJECT_CHANGED = "subject_changed", "Subject changed"
    REPLY_EMAILED = "reply_emailed", "Reply emailed"
    # Email (mail and outbox apps)
    EMAIL_FAILED = "email_failed", "Email could not be delivered"
    AUTO_REPLY_RECEIVED = "auto_reply_received", "Automatic reply received"
    BOUNCE_RECEIVED = "bounce_received", "Bounce received"
    ACKNOWLEDGED = "acknowledged", "Acknowledgement sent"
    FOLLOW_UP_OPENED = "follow_up_opened", "Follow-up opened"
    # Service targets and promises (service and promises apps)
    TARGET_MISSED = "target_missed", "Service target missed"
    PROMISE_MADE = "promise_made", "Promise made"
    PROMISE_KEPT = "promise_kept", "Promise kept"
    PROMISE_RENEGOTIATED = "promise_renegotiated", "Promise renegotiated"
    PROMISE_BROKEN = "promise_broken", "Promise broken"
    PROMISE_CANCELLED = "promise_cancelled", "Promise cancelled"
    PROMISE_WARNED = "promise_warned", "Promise due soon"
    # No runaround (handoffs, guard and effort apps)
    HANDOFF_ACCEPTED = "handoff_accepted", "Handoff accepted"
    LEAD_ALERTED = "lead_alerted", "Team lead alerted"
    GUARD_OVERRIDDEN = "guard_overridden", "Sent despite the deflection guard"
    CES_REQUESTED = "ces_requested", "Effort survey sent"
    CES_ANSWERED = "ces_answered", "Effort survey answered"


class Event(models.Model):
    """Append-only: one row for everything that happened to a conversation."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    # EventType lists the known types; the column has no choices so that a new type needs no
    # migration (events are written only by actions, which use EventType).
    type = models.CharField(max_length=30)
    actor_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="event_conv_time"),
            # Reports read one kind of event over a period (promises made, surveys answered).
            models.Index(fields=["type", "created_at"], name="event_type_time"),
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.type} on #{self.conversation_id}"

    def get_type_display(self) -> str:
        try:
            return str(EventType(self.type).label)
        except ValueError:
            return self.type.replace("_", " ").capitalize()

    @property
    def actor_name(self) -> str:
        if self.actor_agent is not None:
            return self.actor_agent.public_name
        if self.actor_contact is not None:
            return self.actor_contact.name
        return "Helpmate"


class Notification(models.Model):
    """Something an agent should see in the workspace (for example an @mention)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="notifications")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["agent", "read_at", "created_at"], name="notif_agent")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class PresenceActivity(models.TextChoices):
    VIEWING = "viewing", "viewing"
    REPLYING = "replying", "replying"


class Presence(models.Model):
    """Who has a conversation open right now (refreshed by the page every few seconds)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")
    activity = models.CharField(max_length=10, choices=PresenceActivity.choices)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "agent"], name="presence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.activity} #{self.conversation_id}"
