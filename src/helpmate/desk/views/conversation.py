"""The conversation page: header, thread with key events, composer, sidebar; presence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_POST

from helpmate.desk import actions, selectors
from helpmate.desk.event_lines import FEATURE_KEY_EVENTS
from helpmate.desk.forms import (
    AssignForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    TagsForm,
    TransferForm,
)
from helpmate.desk.models import (
    Conversation,
    EventType,
    Notification,
    PresenceActivity,
    Status,
)
from helpmate.desk.templatetags.desk_tags import humanise, status_badge
from helpmate.desk.views.common import Directory, current_agent
from helpmate.people.models import Agent
from helpmate.web.access import agent_required

# Events shown inline in the thread; the others (created, replied, ...) are the messages.
KEY_EVENTS = [
    EventType.ASSIGNED,
    EventType.TRANSFERRED,
    EventType.STATUS_CHANGED,
    EventType.REOPENED,
    EventType.MERGED,
    EventType.TAGGED,
    EventType.PRIORITY_CHANGED,
    *FEATURE_KEY_EVENTS,
]


def greeting(conversation: Conversation, agent: Agent) -> str:
    """The reply prefilled for the agent: the name the requester prefers, the signature."""
    name = conversation.requester.greeting_name
    hello = f"Hi {name}," if name else "Hello,"
    return f"{hello}\n\n\n\n{agent.signature}".rstrip() + "\n"


def _local_time(zone: str) -> datetime | None:
    try:
        return timezone.now().astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _timeline(messages: list, events: list) -> list[tuple[str, Any]]:
    items = [(m.created_at, 0, m.pk, "message", m) for m in messages]
    items += [(e.created_at, 1, e.pk, "event", e) for e in events]
    items.sort(key=lambda item: item[:3])
    return [(kind, obj) for _, _, _, kind, obj in items]


@dataclass(frozen=True)
class When:
    """A moment of the thread as the page writes it, formatted once (the ``date`` filter
    costs about as much as the rest of a message's markup)."""

    iso: str  # 2026-03-05T14:02:00+00:00
    full: str  # Thursday 5 March 2026, 14:02 UTC
    short: str  # 5 Mar, 14:02
    ago: str  # 3 h


def when(moment: datetime, now: datetime) -> When:
    local = DateFormat(timezone.localtime(moment))
    return When(
        iso=local.format("c"),
        full=local.format("l j F Y, H:i e"),
        short=local.format("j M, H:i"),
        ago=humanise(now - moment),
    )


def _thread(timeline: list[tuple[str, Any]]) -> list[tuple[str, Any, When]]:
    now = timezone.now()
    return [(kind, item, when(item.created_at, now)) for kind, item in timeline]


@dataclass(frozen=True)
class Earlier:
    pk: str  # as text: printed twice, and printing an int localises it
    subject: str  # cut to 60 characters
    status_badge: SafeString
    created: str  # 5 Mar 2026


def _earlier(conversations: list[Conversation]) -> list[Earlier]:
    return [
        Earlier(
            pk=str(c.pk),
            subject=Truncator(c.subject).chars(60),
            status_badge=status_badge(c.status),
            created=date_format(timezone.localtime(c.created_at), "j M Y"),
        )
        for c in conversations
    ]


def render_conversation(
    request: HttpRequest,
    conversation: Conversation,
    *,
    directory: Directory | None = None,
    unread_notifications: int | None = None,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The whole page; views that fail pass their bound form and errors to show in place."""
    agent = current_agent(request)
    directory = directory or Directory.load()
    messages = list(selectors.thread(request.user, conversation))
    events = list(selectors.events(conversation).filter(type__in=KEY_EVENTS))
    last_seen = max((m.pk for m in messages), default=0)
    stale = forms.pop("stale_messages", [])
    timeline = _timeline(messages, events)
    requester = conversation.requester
    context: dict[str, Any] = {
        "section": "inbox",
        "conversation": conversation,
        "requester": requester,
        "requester_emails": list(requester.emails.all()),
        "requester_local_time": _local_time(requester.time_zone),
        "participants": list(conversation.participants.all()),
        "agent": agent,
        "timeline": timeline,
        "thread": _thread(timeline),
        "stale_messages": stale,
        "stale_ids": {m.pk for m in stale},
        "tags": list(conversation.tags.all()),
        "earlier": _earlier(selectors.earlier_conversations(request.user, conversation)),
        # One reverse() instead of one per earlier conversation: "/desk/c/" + pk + "/".
        "conversation_url": reverse("desk:conversation", args=[0]).removesuffix("0/"),
        "present": selectors.present_agents(conversation, exclude=agent),
        "agents": directory.agent_names,
        "teams": directory.team_names,
        "statuses": Status.choices,
        "mention_handles": [a.public_name for a in directory.agents if a.pk != agent.pk],
        "tab": "note" if request.GET.get("tab") == "note" or "note_form" in forms else "reply",
        "errors": errors or {},
        "reply_form": ReplyForm(
            initial={
                "text": greeting(conversation, agent),
                "status": Status.WAITING_CUSTOMER,
                "last_seen": last_seen,
            }
        ),
        "note_form": NoteForm(),
        "assign_form": AssignForm(
            agents=directory.agent_choices, initial={"owner": conversation.owner_id}
        ),
        "transfer_form": TransferForm(teams=directory.team_choices, agents=directory.agent_choices),
        "priority_form": PriorityForm(initial={"priority": conversation.priority}),
        "tags_form": TagsForm(),
        "merge_form": MergeForm(),
    }
    if unread_notifications is not None:  # already counted: the top bar needs no query
        context["unread_notifications"] = unread_notifications
    context.update(forms)
    return render(request, "desk/conversation.html", context, status=status)


@agent_required
@require_GET
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    # The top bar shows the unread count anyway; when it is nought, none is about this one.
    unread = selectors.unread_notification_count(agent)
    if (
        unread
        and Notification.objects.filter(
            agent=agent, conversation=conv, read_at__isnull=True
        ).exists()
    ):
        actions.mark_notifications_read(agent=agent, conversation=conv)
        unread = selectors.unread_notification_count(agent)
    return render_conversation(request, conv, unread_notifications=unread)


@agent_required
@require_POST
def presence(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the page: records this agent's presence, answers with the others'."""
    agent = current_agent(request)
    conv = selectors.get_conversation(request.user, pk)
    activity = request.POST.get("activity", PresenceActivity.VIEWING)
    if activity not in PresenceActivity.values:
        activity = PresenceActivity.VIEWING
    actions.touch_presence(conversation=conv, agent=agent, activity=activity)
    present = selectors.present_agents(conv, exclude=agent)
    return render(request, "desk/_presence.html", {"present": present})
