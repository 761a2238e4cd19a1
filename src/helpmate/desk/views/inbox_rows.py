"""The inbox table's rows, each cell with logic worked out once in Python.

The table has 50 rows, and every template lookup, filter, ``{% if %}`` and tag per row costs
CPU on the page agents load most. So the cells that hold decisions (badges, who owns it, how
long it waited, when it is due) are built here with ``format_html`` (everything escaped), with
one ``now`` for the whole page; the template keeps the row's structure and prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from helpmate.desk.inbox_pages import InboxEntry
from helpmate.desk.models import Priority
from helpmate.desk.templatetags.desk_tags import LONG_WAIT, humanise, priority_badge, status_badge
from helpmate.people.models import ContactKind
from helpmate.service.templatetags.service_tags import due_badge

KIND_LABELS = dict(ContactKind.choices)


@dataclass(frozen=True)
class InboxRow:
    pk: int
    ref: str  # the pk as text: printed four times a row, and printing an int localises it
    subject: str
    preview: str
    badges: SafeString  # the priority (unless normal), then the tags
    requester: SafeString  # name, kind badge (unless a customer), organization
    who: SafeString  # team ("No team"), then "You", the owner's name or "Unassigned"
    status: SafeString
    wait: SafeString  # waited (on us) / resolved / answered, how long ago
    due: SafeString | str  # the due badge, or "" when nothing is due


def _badges(entry: InboxEntry) -> SafeString:
    tags = format_html_join("", '<span class="tag">{}</span>', ((t,) for t in entry.tags))
    return format_html("{}{}", priority_badge(entry.priority), tags)


def _requester(entry: InboxEntry) -> SafeString:
    kind = ""
    if entry.requester_kind != ContactKind.CUSTOMER:
        label = KIND_LABELS.get(entry.requester_kind, entry.requester_kind)
        kind = format_html(' <span class="badge kind-{}">{}</span>', entry.requester_kind, label)
    organization = ""
    if entry.organization_name:
        organization = format_html(' <span class="sub">{}</span>', entry.organization_name)
    return format_html("{}{}{}", entry.requester_name, kind, organization)


def _who(entry: InboxEntry, agent_pk: int) -> SafeString:
    if entry.owner_id is None:
        owner: str = SafeString("<em>Unassigned</em>")
    else:
        owner = "You" if entry.owner_id == agent_pk else (entry.owner_name or "")
    return format_html('{} <span class="sub">{}</span>', entry.team_name or "No team", owner)


def _wait(entry: InboxEntry, now: datetime) -> SafeString:
    if entry.waiting_since is not None:
        waited = now - entry.waiting_since
        limit = LONG_WAIT.get(entry.priority, LONG_WAIT[Priority.NORMAL])
        return format_html(
            '<span class="waited{}" title="Waiting on us since {}">waited {}</span>',
            " long" if waited > limit else "",
            dateformat.format(timezone.localtime(entry.waiting_since), "j M Y, H:i"),
            humanise(waited),
        )
    for moment, word in ((entry.resolved_at, "resolved"), (entry.last_reply_at, "answered")):
        if moment is not None:
            return format_html(
                '<span class="muted small">{} {} ago</span>', word, humanise(now - moment)
            )
    return SafeString("")


def inbox_rows(
    entries: list[InboxEntry], *, agent_pk: int, now: datetime | None = None
) -> list[InboxRow]:
    """One display row per entry of an inbox page, for the agent ``agent_pk``."""
    now = now or timezone.now()
    return [
        InboxRow(
            pk=entry.pk,
            ref=str(entry.pk),
            subject=entry.subject,
            preview=entry.preview,
            badges=_badges(entry),
            requester=_requester(entry),
            who=_who(entry, agent_pk),
            status=status_badge(entry.status),
            wait=_wait(entry, now),
            due=due_badge(entry, now),
        )
        for entry in entries
    ]
