"""The message that tells the customer who owns their request now (the agent can edit it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from helpmate.desk.models import Conversation
from helpmate.people.models import Agent, Team
from helpmate.service.calendar import (
    calendar_for,
    end_of_business_day,
    is_open,
    next_open,
)

# Less working time than this left today: the team answers on its next working day.
MIN_TIME_LEFT_TODAY = timedelta(hours=1)


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def when_team_answers(team: Team, *, now: datetime, time_zone: str = "") -> str:
    """When the team will answer, from its business calendar, in the customer's time zone."""
    cal = calendar_for(team)
    tz = _zone(time_zone) or cal.tz
    if is_open(now, cal):
        closes = end_of_business_day(now, cal)
        if closes - now >= MIN_TIME_LEFT_TODAY:
            return f"You'll hear from them today, by {closes.astimezone(tz):%H:%M}."
        opens = next_open(closes, cal)
    else:
        opens = next_open(now, cal)
    closes = end_of_business_day(opens, cal)
    local_open, local_close = opens.astimezone(tz), closes.astimezone(tz)
    today = now.astimezone(tz).date()
    if local_open.date() == today:
        day = "later today"
    elif local_open.date() == today + timedelta(days=1):
        day = "tomorrow"
    else:
        day = f"on {local_open:%A}"
    return (
        f"They're back {day} at {local_open:%H:%M}, and you'll hear from them "
        f"by {local_close:%H:%M} that day."
    )


def customer_message(
    *,
    conversation: Conversation,
    sender: Agent,
    to_agent: Agent | None,
    to_team: Team | None,
    now: datetime | None = None,
) -> str:
    """The suggested message: greeting, who has it now (by name) and why they need not repeat
    anything, when they'll answer if no one is named yet, and the sender's signature."""
    now = now or timezone.now()
    name = conversation.requester.greeting_name
    lines = [f"Hi {name}," if name else "Hello,", ""]
    if to_agent is not None and to_agent.pk != sender.pk:
        teams = list(to_agent.teams.all())
        team = to_team if to_team in teams else next(iter(teams), None)
        where = f" in our {team.name} team" if team is not None else ""
        lines.append(
            f"I've asked {to_agent.public_name}{where} to take this over. "
            f"{to_agent.public_name} has everything you told us, so you won't need to repeat "
            f"anything, and will be in touch with you from here."
        )
    elif to_agent is not None:
        where = f" with our {to_team.name} team" if to_team is not None else ""
        lines.append(
            f"I'm looking after this myself from now on{where}, so you won't need to repeat "
            "anything."
        )
    elif to_team is not None:
        lines.append(
            f"I've passed this to our {to_team.name} team. They have everything you told us, "
            f"so you won't need to repeat anything. "
            + when_team_answers(to_team, now=now, time_zone=conversation.requester.time_zone)
        )
    else:
        return ""
    lines += ["", sender.signature.strip() or sender.public_name]
    return "\n".join(lines).strip() + "\n"
