"""The honest delay notice: a draft that says what was promised, that it will slip, why, and the
new time, in the customer's time zone, signed by the agent. The agent edits it before sending."""

from __future__ import annotations

from datetime import datetime

from helpmate.people.models import Agent
from helpmate.promises.actions import contact_zone
from helpmate.promises.models import Promise
from helpmate.service.calendar import add_business_days, calendar_for, end_of_business_day


def suggested_new_time(promise: Promise, *, now: datetime) -> datetime:
    """One business day later than promised (and never in the past)."""
    cal = calendar_for(promise.conversation.team_id)
    start = max(promise.due_at, now)
    return end_of_business_day(add_business_days(start, 1, cal), cal)


def draft(promise: Promise, *, agent: Agent, new_due: datetime, reason: str) -> str:
    contact = promise.made_to
    zone = contact_zone(contact)
    old = promise.due_at.astimezone(zone)
    new = new_due.astimezone(zone)
    hello = f"Hi {contact.greeting_name}," if contact.greeting_name else "Hello,"
    why = f" {reason.strip().rstrip('.')}." if reason.strip() else ""
    lines = [
        hello,
        "",
        f"I promised to {promise.text} by {old:%A %-d %B, %H:%M}, and I want to tell you now, "
        f"before then, that I won't make it.{why}",
        "",
        f"I'll do it by {new:%A %-d %B, %H:%M} instead. I'm sorry for the wait; "
        "if that time doesn't work for you, just reply and tell me.",
        "",
        agent.signature or agent.public_name,
    ]
    return "\n".join(lines).rstrip() + "\n"
