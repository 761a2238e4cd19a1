"""The due times a conversation carries, as a pure function of its fields, targets and calendar.

``compute(conversation)`` decides; a ``pre_save`` receiver on ``Conversation`` keeps the four
fields current on every save, whichever action made it, so the desk's actions need no change.

The rules (business time in the calendar of the conversation's team):

- ``first_response_due_at``: created + the first-response target, until the first reply.
- ``next_response_due_at``: after the first reply, while the customer waits on us
  (``waiting_since`` is set: they wrote again, or it was reopened), ``waiting_since`` + the
  next-response target.
- ``resolution_due_at``: created + the resolution target, while open. It does **not** pause
  while we wait on the customer: the customer's problem is not solved while they answer our
  questions, the next-response target already measures our own pace, and a clock that stops on a
  status invites parking conversations in "waiting on customer". A reopened conversation keeps
  its original resolution due time (it was not really resolved), so it may be overdue at once.
- ``due_at``: the earliest of those that are set; None when resolved, closed or merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from helpmate.desk.models import OPEN_STATUSES, Conversation
from helpmate.service.calendar import add_business_time, calendar_for
from helpmate.service.targets import Targets, targets_for

DUE_FIELDS = ("first_response_due_at", "next_response_due_at", "resolution_due_at", "due_at")
# The fields the due times depend on: a save touching one of them recomputes.
INPUT_FIELDS = frozenset(
    {
        "status",
        "created_at",
        "first_reply_at",
        "waiting_since",
        "team",
        "team_id",
        "priority",
        "channel",
        "requester",
        "requester_id",
        "merged_into",
        "merged_into_id",
    }
)


@dataclass(frozen=True)
class DueTimes:
    first_response_due_at: datetime | None = None
    next_response_due_at: datetime | None = None
    resolution_due_at: datetime | None = None

    @property
    def due_at(self) -> datetime | None:
        pending = [
            t
            for t in (self.first_response_due_at, self.next_response_due_at, self.resolution_due_at)
            if t is not None
        ]
        return min(pending) if pending else None

    def as_fields(self) -> dict[str, datetime | None]:
        return {
            "first_response_due_at": self.first_response_due_at,
            "next_response_due_at": self.next_response_due_at,
            "resolution_due_at": self.resolution_due_at,
            "due_at": self.due_at,
        }

    def pending(self) -> dict[str, datetime]:
        """Target name -> due time, for the targets still pending."""
        names = {
            "first_response": self.first_response_due_at,
            "next_response": self.next_response_due_at,
            "resolution": self.resolution_due_at,
        }
        return {name: at for name, at in names.items() if at is not None}


def requester_kind(conversation: Conversation) -> str:
    cached = conversation._state.fields_cache.get("requester")
    if cached is not None and cached.pk == conversation.requester_id:
        return str(cached.kind)
    from helpmate.people.models import Contact

    kind = (
        Contact.objects.filter(pk=conversation.requester_id).values_list("kind", flat=True).first()
    )
    return str(kind or "customer")


def targets_of(conversation: Conversation, kind: str | None = None) -> Targets:
    return targets_for(
        team_id=conversation.team_id,
        requester_kind=kind if kind is not None else requester_kind(conversation),
        channel=conversation.channel,
        priority=conversation.priority,
    )


def compute(conversation: Conversation, *, kind: str | None = None) -> DueTimes:
    """The due times ``conversation`` should carry now (see the module docstring)."""
    if conversation.status not in OPEN_STATUSES or conversation.merged_into_id is not None:
        return DueTimes()
    if conversation.created_at is None:
        return DueTimes()
    targets = targets_of(conversation, kind)
    cal = calendar_for(conversation.team_id)
    first = nxt = resolution = None
    if conversation.first_reply_at is None:
        if targets.first_response is not None:
            first = add_business_time(conversation.created_at, targets.first_response, cal)
    elif conversation.waiting_since is not None and targets.next_response is not None:
        nxt = add_business_time(conversation.waiting_since, targets.next_response, cal)
    if targets.resolution is not None:
        resolution = add_business_time(conversation.created_at, targets.resolution, cal)
    return DueTimes(first, nxt, resolution)


def apply(conversation: Conversation, *, kind: str | None = None) -> bool:
    """Set the due fields on the instance (not saved); whether anything changed."""
    changed = False
    for name, value in compute(conversation, kind=kind).as_fields().items():
        if getattr(conversation, name) != value:
            setattr(conversation, name, value)
            changed = True
    return changed


def before_save(sender: Any, instance: Conversation, raw: bool = False, **kwargs: Any) -> None:
    """pre_save receiver: recompute when the save writes a field the due times depend on.

    A save with ``update_fields`` cannot have fields added to it, so when such a save touches an
    input field and the due times change, ``after_save`` writes them with one UPDATE."""
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not (set(update_fields) & INPUT_FIELDS):
        return
    changed = apply(instance)
    if update_fields is not None and changed and not set(DUE_FIELDS) <= set(update_fields):
        instance._service_due_pending = True  # type: ignore[attr-defined]


def after_save(sender: Any, instance: Conversation, raw: bool = False, **kwargs: Any) -> None:
    if getattr(instance, "_service_due_pending", False):
        instance._service_due_pending = False  # type: ignore[attr-defined]
        Conversation.objects.filter(pk=instance.pk).update(
            **{name: getattr(instance, name) for name in DUE_FIELDS}
        )
