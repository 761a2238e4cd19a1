"""The inbox table's rows as ready-made display values.

The table has 50 rows; every template lookup, filter and tag per row costs CPU on the page
agents load most. So each row's words and badges are worked out here once, in plain Python
with one ``now`` for the whole page, and the template only prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from helpmate.desk.models import Conversation, Priority
from helpmate.desk.templatetags.desk_tags import (
    LONG_WAIT,
    humanise,
    priority_badge,
    status_badge,
)
from helpmate.people.models import ContactKind


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    pk: int
    subject: str
    preview: str
    priority_badge: SafeString  # empty for a normal priority
    tags: list[str]
    requester: str
    kind: str  # the requester's kind when it is not "customer", else ""
    kind_label: str
    organization: str
    team: str
    owner: str  # "You", the owner's public name, or "" when unassigned
    status_badge: SafeString
    wait: str  # "waited" (on us), "resolved", "answered" or ""
    wait_for: str  # how long ago: "3 h"
    wait_long: bool  # waited longer than the priority allows
    waiting_since: str  # the exact moment, for the tooltip


KIND_LABELS = dict(ContactKind.choices)


def _wait(conversation: Conversation, now: datetime) -> tuple[str, str, bool, str]:
    if conversation.waiting_since is not None:
        since = conversation.waiting_since
        limit = LONG_WAIT.get(conversation.priority, LONG_WAIT[Priority.NORMAL])
        exact = dateformat.format(timezone.localtime(since), "j M Y, H:i")
        return "waited", humanise(now - since), now - since > limit, exact
    if conversation.resolved_at is not None:
        return "resolved", humanise(now - conversation.resolved_at), False, ""
    if conversation.last_reply_at is not None:
        return "answered", humanise(now - conversation.last_reply_at), False, ""
    return "", "", False, ""


def inbox_rows(
    conversations: list[Conversation],
    *,
    tag_names: dict[int, list[str]],
    agent_pk: int,
    now: datetime | None = None,
) -> list[InboxRow]:
    """One display row per conversation (loaded with requester, organization, team, owner)."""
    now = now or timezone.now()
    rows = []
    for c in conversations:
        requester = c.requester
        kind = requester.kind if requester.kind != ContactKind.CUSTOMER else ""
        organization = requester.organization
        if c.owner_id is None or c.owner is None:
            owner = ""
        else:
            owner = "You" if c.owner_id == agent_pk else c.owner.public_name
        wait, wait_for, wait_long, since = _wait(c, now)
        rows.append(
            InboxRow(
                conversation=c,
                pk=c.pk,
                subject=c.subject,
                preview=c.preview,
                priority_badge=priority_badge(c.priority),
                tags=tag_names.get(c.pk, []),
                requester=requester.name,
                kind=kind,
                kind_label=KIND_LABELS.get(kind, kind) if kind else "",
                organization=organization.name if organization is not None else "",
                team=c.team.name if c.team is not None and c.team.name else "No team",
                owner=owner,
                status_badge=status_badge(c.status),
                wait=wait,
                wait_for=wait_for,
                wait_long=wait_long,
                waiting_since=since,
            )
        )
    return rows
