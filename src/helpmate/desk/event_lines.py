"""Readable lines for the feature apps' events in a conversation's thread (email, targets,
promises, handoffs, the guard, the effort survey). ``desk_tags.event_text`` asks here first."""

from __future__ import annotations

from datetime import datetime

from django.utils.html import format_html
from django.utils.safestring import SafeString

from helpmate.desk.models import Event, EventType

TARGET_NAMES = {
    "first_response": "first-response",
    "next_response": "next-response",
    "resolution": "resolution",
}
KEPT = {"early": "early", "on_time": "on time", "late": "late"}
ALERT_REASONS = {
    "handoffs": "too many handoffs",
    "bounce_back": "it bounced back to a team it had left",
    "unowned": "nobody has owned it for too long",
}

# The feature events shown inline in the thread (the rest stay in the event log and the API).
FEATURE_KEY_EVENTS = [
    EventType.ACKNOWLEDGED,
    EventType.AUTO_REPLY_RECEIVED,
    EventType.BOUNCE_RECEIVED,
    EventType.EMAIL_FAILED,
    EventType.FOLLOW_UP_OPENED,
    EventType.TARGET_MISSED,
    EventType.PROMISE_MADE,
    EventType.PROMISE_KEPT,
    EventType.PROMISE_RENEGOTIATED,
    EventType.PROMISE_BROKEN,
    EventType.PROMISE_CANCELLED,
    EventType.HANDOFF_ACCEPTED,
    EventType.LEAD_ALERTED,
    EventType.GUARD_OVERRIDDEN,
    EventType.CES_ANSWERED,
]


def _when(value: object) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return "?"
    return moment.strftime("%a %d %b %H:%M %Z").strip()


def feature_event_text(event: Event) -> SafeString | None:
    """The line for a feature event, or None when the desk's own wording applies."""
    data = event.data or {}
    who = event.actor_name
    kind = event.type
    if kind == EventType.ACKNOWLEDGED:
        return format_html("{} acknowledged the request by email", who)
    if kind == EventType.AUTO_REPLY_RECEIVED:
        return format_html("An automatic reply arrived from {} (not answered)", data.get("sender"))
    if kind == EventType.BOUNCE_RECEIVED:
        return format_html("Email to {} bounced", data.get("address", "an address"))
    if kind == EventType.EMAIL_FAILED:
        return format_html("An email could not be delivered: {}", data.get("error") or "unknown")
    if kind == EventType.FOLLOW_UP_OPENED:
        if data.get("follow_up"):
            return format_html("A late reply opened follow-up #{}", data["follow_up"])
        return format_html("Follow-up of #{}", data.get("previous", "?"))
    if kind == EventType.TARGET_MISSED:
        target = TARGET_NAMES.get(str(data.get("target")), str(data.get("target", "")))
        return format_html("The {} target was missed", target)
    if kind == EventType.PROMISE_MADE:
        return format_html(
            "{} promised “{}” by {}", who, data.get("text", ""), _when(data.get("due"))
        )
    if kind == EventType.PROMISE_KEPT:
        how = KEPT.get(str(data.get("outcome")), "")
        return format_html("{} kept the promise “{}” {}", who, data.get("text", ""), how)
    if kind == EventType.PROMISE_RENEGOTIATED:
        return format_html(
            "{} agreed a new time for “{}”: {}",
            who,
            data.get("text", ""),
            _when(data.get("new_due")),
        )
    if kind == EventType.PROMISE_BROKEN:
        return format_html("The promise “{}” was not kept in time", data.get("text", ""))
    if kind == EventType.PROMISE_CANCELLED:
        return format_html("{} cancelled the promise “{}”", who, data.get("text", ""))
    if kind == EventType.HANDOFF_ACCEPTED:
        return format_html("{} accepted the handoff", who)
    if kind == EventType.LEAD_ALERTED:
        reason = ALERT_REASONS.get(str(data.get("reason")), str(data.get("reason", "")))
        return format_html("The team lead was alerted: {}", reason)
    if kind == EventType.GUARD_OVERRIDDEN:
        return format_html("{} sent a reply despite the deflection guard's flags", who)
    if kind == EventType.CES_ANSWERED:
        return format_html("{} rated the effort {} out of 7", who, data.get("score", "?"))
    return None
