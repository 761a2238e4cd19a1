"""Reads of the outbox: the email status of each reply in a thread, and the admins' list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import OuterRef, QuerySet, Subquery

from helpmate.desk.models import Conversation
from helpmate.outbox.models import OutboundEmail, OutboundState
from helpmate.people.models import agent_of


@dataclass(frozen=True)
class MailStatus:
    """What the agent sees under a reply: emailed, sending, retrying, failed, unknown."""

    pk: int
    state: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str
    to: list[str]
    skipped: dict[str, str]
    refused: dict[str, str]
    bounce: str

    @property
    def label(self) -> str:
        if self.state == OutboundState.SENT:
            return "bounced" if self.bounce else "emailed"
        if self.state == OutboundState.QUEUED:
            return "retrying" if self.attempts else "sending"
        if self.state in (OutboundState.SENDING, OutboundState.HANDOVER):
            return "sending"
        return self.state

    @property
    def can_send_again(self) -> bool:
        return self.state in (OutboundState.FAILED, OutboundState.UNKNOWN) and bool(self.to)


def _with_bounce(rows: QuerySet[OutboundEmail]) -> QuerySet[OutboundEmail]:
    bounce = apps.get_model("mail", "Bounce")
    latest = bounce.objects.filter(outbound_id=OuterRef("pk"), kind="permanent").order_by(
        "-created_at"
    )
    return rows.annotate(
        bounce_status=Subquery(latest.values("status")[:1]),
        bounce_diagnostic=Subquery(latest.values("diagnostic")[:1]),
    )


def reply_statuses(conversation: Conversation | int) -> dict[int, MailStatus]:
    """Desk message id -> email status of every reply in the conversation, in one query."""
    rows = _with_bounce(
        OutboundEmail.objects.filter(
            conversation=conversation, desk_message__isnull=False
        ).order_by("created_at", "pk")
    ).only(
        "pk",
        "desk_message_id",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "to",
        "skipped",
        "refused",
    )
    found: dict[int, MailStatus] = {}
    for row in rows:
        assert row.desk_message_id is not None
        parts = (getattr(row, "bounce_status", ""), getattr(row, "bounce_diagnostic", ""))
        bounce = " ".join(p for p in parts if p)
        found[row.desk_message_id] = MailStatus(
            pk=row.pk,
            state=row.state,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            sent_at=row.sent_at,
            last_error=row.last_error,
            to=list(row.to),
            skipped=dict(row.skipped),
            refused=dict(row.refused),
            bounce=bounce[:200],
        )
    return found


def outbox_rows(user: object, *, state: str = "") -> QuerySet[OutboundEmail]:
    """The admins' outbox list, newest first (everyone else sees nothing)."""
    agent = agent_of(user)  # type: ignore[arg-type]
    if agent is None or not agent.is_admin:
        return OutboundEmail.objects.none()
    rows = OutboundEmail.objects.select_related("conversation").defer("text", "html", "headers")
    if state == "retrying":
        rows = rows.filter(state=OutboundState.QUEUED, attempts__gt=0)
    elif state:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-pk")


def email_for_agent(user: object, pk: int) -> OutboundEmail | None:
    """An outbox row the user may act on: one about a conversation they can see, or any row
    for an admin; None otherwise."""
    agent = agent_of(user)  # type: ignore[arg-type]
    if agent is None:
        return None
    row = OutboundEmail.objects.filter(pk=pk).first()
    if row is None:
        return None
    if agent.is_admin:
        return row
    if row.conversation_id is None:
        return None
    visible = Conversation.objects.visible_to(user).filter(pk=row.conversation_id).exists()  # type: ignore[arg-type]
    return row if visible else None
