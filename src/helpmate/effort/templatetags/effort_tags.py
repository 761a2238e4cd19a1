"""Template helpers of the effort app: durations, the conversation sidebar's effort summary and
the Customer Effort Score question on a resolved conversation in the portal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template

from helpmate.desk.models import DONE_STATUSES, Conversation
from helpmate.effort.forms import CesForm
from helpmate.effort.models import ConversationEffort
from helpmate.effort.timeline import ongoing_wait

register = template.Library()


@register.filter
def seconds(value: int | float | None) -> str:
    """A duration in seconds as words: "0 min", "45 min", "3 h 20 min", "2 d 4 h"."""
    total = max(int(value or 0), 0)
    minutes = total // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@register.filter
def duration_words(value: timedelta | None) -> str:
    return seconds(value.total_seconds() if value else 0)


@register.inclusion_tag("effort/_sidebar.html")
def effort_summary(conversation: Conversation) -> dict[str, Any]:
    """The conversation page's sidebar card: the effort so far and a link to the journey."""
    row = ConversationEffort.objects.filter(pk=conversation.pk).first()
    return {
        "conversation": conversation,
        "row": row,
        "waiting_now": ongoing_wait(row) if row else 0,
    }


@register.inclusion_tag("effort/_portal_ces.html", takes_context=True)
def ces_question(context: template.Context, conversation: Conversation) -> dict[str, Any]:
    """On a resolved conversation in the portal, the requester is asked how easy it was."""
    contact = context.get("current_contact")
    show = (
        contact is not None
        and conversation.requester_id == contact.pk
        and conversation.status in DONE_STATUSES
        and conversation.merged_into_id is None
    )
    row = ConversationEffort.objects.filter(pk=conversation.pk).first() if show else None
    return {
        "show": show,
        "conversation": conversation,
        "row": row,
        "form": CesForm(),
        "csrf_token": context.get("csrf_token"),
    }
