"""``{% due_badge conversation %}``: "due in 30 min" / "overdue 2 h", colour plus words, with the
exact time and which target in the tooltip."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_WHICH = (
    ("first_response_due_at", "First response"),
    ("next_response_due_at", "Next response"),
    ("resolution_due_at", "Resolution"),
)


def span(delta: timedelta) -> str:
    """An agent-readable length: 45 sec -> "1 min", 90 min -> "1 h 30 min", 50 h -> "2 d"."""
    minutes = max(1, round(abs(delta).total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 10 and rest:
        return f"{hours} h {rest} min"
    if hours < 48:
        return f"{hours} h"
    return f"{round(hours / 24)} d"


def due_text(due: datetime, now: datetime) -> tuple[str, str]:
    """("due in 30 min" | "overdue 2 h", css state: overdue | soon | later)."""
    left = due - now
    if left <= timedelta(0):
        return f"overdue {span(left)}", "overdue"
    soon = left <= timedelta(minutes=settings.HELPMATE_DUE_SOON_MINUTES)
    return f"due in {span(left)}", "soon" if soon else "later"


@register.simple_tag
def due_badge(conversation: object, now: datetime | None = None) -> SafeString | str:
    due = getattr(conversation, "due_at", None)
    if due is None:
        return ""
    text, state = due_text(due, now or timezone.now())
    which = next(
        (label for name, label in _WHICH if getattr(conversation, name, None) == due), "Target"
    )
    local = timezone.localtime(due)
    exact = f"{which} due {local:%a %d %b %Y, %H:%M} {local.tzname()}"
    return format_html(
        '<time class="due due-{}" datetime="{}" title="{}">'
        '<span class="sr-only">{}: </span>{}</time>',
        state,
        due.isoformat(),
        exact,
        which,
        text,
    )


@register.filter
def duration(value: timedelta | None) -> str:
    """A target as an admin types it: 4h, 30m, 1h 30m ('' for none)."""
    from helpmate.service.targets import format_duration

    return format_duration(value)
