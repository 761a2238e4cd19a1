"""Request and response schemas of conversations, messages and events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from helpmate.api.schemas import (
    Actor,
    AgentRef,
    ContactRef,
    Id,
    Input,
    PageBase,
    TeamRef,
)
from helpmate.desk.models import Priority

StatusName = Literal["new", "open", "waiting_customer", "waiting_other", "resolved", "closed"]
ChannelName = Literal["portal", "email", "api", "phone", "chat", "internal"]
PriorityName = Literal["low", "normal", "high", "urgent"]
ContactKindName = Literal["customer", "colleague", "supplier"]
ViewName = Literal["mine", "teams", "unassigned", "open", "waiting", "resolved", "all"]
MessageKindName = Literal["incoming", "reply", "note"]

PRIORITY_VALUES: dict[str, int] = {p.name.lower(): int(p.value) for p in Priority}
PRIORITY_NAMES: dict[int, str] = {v: k for k, v in PRIORITY_VALUES.items()}

TagName = Annotated[str, Field(min_length=1, max_length=60)]
Tags = Annotated[list[TagName], Field(max_length=50)]
MessageText = Annotated[str, Field(min_length=1, max_length=100_000)]


class ConversationOut(Schema):
    id: int
    subject: str
    status: StatusName
    priority: PriorityName = Field(description="By need: low, normal, high or urgent")
    channel: ChannelName
    requester: ContactRef
    team: TeamRef | None
    owner: AgentRef | None = Field(description="The named agent who owns it, or null")
    tags: list[str]
    preview: str = Field(description="The start of the latest message")
    message_count: int
    created_at: datetime
    updated_at: datetime
    waiting_since: datetime | None = Field(
        description="Since when the requester has been waiting on us; null when not waiting"
    )
    last_customer_message_at: datetime | None
    first_reply_at: datetime | None
    last_reply_at: datetime | None
    resolved_at: datetime | None
    merged_into: int | None = Field(description="Id of the conversation it was merged into")
    url: str = Field(description="The conversation in the agent workspace")


class ConversationDetail(ConversationOut):
    participants: list[ContactRef]


class ConversationPage(PageBase):
    items: list[ConversationOut]


class ConversationIn(Input):
    requester: Id | None = Field(None, description="Contact id of the requester")
    requester_email: str | None = Field(
        None,
        min_length=3,
        max_length=254,
        description="Or the requester's email: a new contact is created if nobody has it",
    )
    requester_name: str = Field(
        "", max_length=200, description="Name for a new contact made from requester_email"
    )
    subject: str = Field(min_length=1, max_length=300)
    text: MessageText = Field(description="The requester's first message (plain text)")
    channel: ChannelName = "api"
    team: Id | None = None
    priority: PriorityName = "normal"
    tags: Tags = Field(default_factory=list)


class ConversationPatch(Input):
    status: StatusName | None = None
    priority: PriorityName | None = None
    owner: Id | None = Field(None, description="Agent id; null to unassign")
    team: Id | None = Field(None, description="Team id; a team change needs a note")
    note: str | None = Field(None, max_length=5_000, description="Handoff note")
    tags: Tags | None = Field(None, description="The whole new set of tags")
    add_tags: Tags | None = None
    remove_tags: Tags | None = None


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    conversation: int
    kind: MessageKindName = Field(
        description="incoming (from the requester or a participant), reply, or note (internal)"
    )
    author: Actor
    text: str
    html: str = Field(description="Sanitised HTML, safe to render")
    channel: ChannelName
    created_at: datetime
    attachments: list[AttachmentOut]


class MessagePage(PageBase):
    items: list[MessageOut]


class MessageIn(Input):
    kind: Literal["reply", "note"] = Field(
        description="reply (emailed to the requester) or note (internal, agents only)"
    )
    text: MessageText
    status: StatusName | None = Field(
        None,
        description="Replies only: the status afterwards (default: waiting on customer)",
    )


class EventOut(Schema):
    id: int
    conversation: int
    type: str = Field(description="created, replied, assigned, transferred, status_changed, ...")
    actor: Actor
    created_at: datetime
    data: dict[str, Any]


class EventPage(PageBase):
    items: list[EventOut]
