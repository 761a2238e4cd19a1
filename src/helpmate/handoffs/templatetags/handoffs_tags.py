"""Template tags the desk's transfer form uses: the customer message and a pending handoff."""

from __future__ import annotations

from typing import Any

from django import template

from helpmate.desk.models import EventType
from helpmate.handoffs import selectors
from helpmate.handoffs.actions import may_accept
from helpmate.handoffs.views import message_context

register = template.Library()


@register.inclusion_tag("handoffs/_transfer_message.html")
def transfer_customer_message(conversation: Any, agent: Any, form: Any) -> dict[str, Any]:
    bound = bool(getattr(form, "is_bound", False))
    data = form.data if bound else {}
    return message_context(conversation=conversation, agent=agent, data=data, bound=bound)


@register.inclusion_tag("handoffs/_pending_slot.html", takes_context=True)
def pending_handoff(context: Any, conversation: Any) -> dict[str, Any]:
    """A placeholder that loads the pending handoff (if any) after the page: costs the page no
    query, and nothing at all when the conversation was never handed over."""
    timeline = context.get("timeline") or []
    transferred = any(
        kind == "event" and getattr(item, "type", "") == EventType.TRANSFERRED
        for kind, item in timeline
    )
    return {"conversation": conversation, "transferred": transferred}


def pending_context(conversation: Any, agent: Any) -> dict[str, Any]:
    handoff = selectors.pending_for(conversation)
    can = handoff is not None and may_accept(handoff, agent, conversation.owner_id)
    can = can and handoff is not None and handoff.from_agent_id != agent.pk
    return {"handoff": handoff, "conversation": conversation, "agent": agent, "can_accept": can}
