"""Promise blocks for other apps' pages: the conversation sidebar, the inbox's at-risk list and
the portal's "what we promised you". Each is one query."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from helpmate.desk.models import Conversation
from helpmate.people.models import agent_of, contact_of
from helpmate.promises import selectors
from helpmate.promises.models import Promise

register = template.Library()

_PRONOUNS = frozenset(["you", "you'll", "your", "we", "we'll", "i", "i'll", "it", "the", "our"])


def portal_sentence(promise: Promise) -> str:
    """ "Maya will call you back by" (the due time follows), or the words as written."""
    name = promise.made_by.public_name if promise.made_by else "We"
    if promise.by_team and promise.made_by:
        name = f"We ({promise.made_by.public_name})"
    first = promise.text.split()[0] if promise.text.split() else ""
    if first and first[0].islower() and first.lower() not in _PRONOUNS:
        return f"{name} will {promise.text} by"
    return f"{name}: “{promise.text}”, by"


@register.filter
def margin(minutes: int | None) -> str:
    """A margin in words: "2 d 3 h early", "45 min early", "2 h late"."""
    if minutes is None:
        return "\u2014"
    side = "early" if minutes >= 0 else "late"
    left = abs(minutes)
    if left < 60:
        return f"{left} min {side}"
    if left < 48 * 60:
        hours, mins = divmod(left, 60)
        return f"{hours} h {mins} min {side}" if mins and hours < 10 else f"{hours} h {side}"
    days, rest = divmod(left, 24 * 60)
    return f"{days} d {rest // 60} h {side}" if rest >= 60 else f"{days} d {side}"


@register.inclusion_tag("promises/_sidebar_card.html")
def conversation_promises(conversation: Conversation) -> dict[str, Any]:
    rows = [(p, selectors.local_due(p)) for p in selectors.conversation_promises(conversation)]
    return {"rows": rows, "conversation": conversation}


def _left(seconds: int) -> str:
    minutes = max(seconds, 0) // 60
    return f"in {minutes} min" if minutes < 120 else f"in {minutes // 60} h"


@register.inclusion_tag("promises/_at_risk.html", takes_context=True)
def at_risk_promises(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    agent = agent_of(getattr(request, "user", None))
    if agent is None:
        return {"rows": []}
    now = timezone.now()
    rows = [
        (p, selectors.local_due(p), p.due_at <= now, _left(int((p.due_at - now).total_seconds())))
        for p in selectors.at_risk(agent, now=now)
    ]
    return {"rows": rows}


@register.inclusion_tag("promises/_portal_list.html", takes_context=True)
def portal_promises(context: template.Context, conversation: Conversation) -> dict[str, Any]:
    request = context.get("request")
    contact = contact_of(getattr(request, "user", None))
    if contact is None:
        return {"rows": []}
    rows = [
        (portal_sentence(p), selectors.local_due(p))
        for p in selectors.portal_promises(conversation, contact)
    ]
    return {"rows": rows}
