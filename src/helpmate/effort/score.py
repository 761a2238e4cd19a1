"""The effort score: one number, 0 (effortless) to 100 (a maze), from a conversation's metrics.

Points add up per thing the customer had to go through, each capped so that one bad dimension
cannot hide the others, and the total is capped at 100. docs/effort.md explains the choices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpmate.effort.models import ConversationEffort

HOUR = 3600


@dataclass(frozen=True)
class Weight:
    per: float  # points per unit
    cap: float  # at most this many points


WEIGHTS: dict[str, Weight] = {
    # business hours waited on us, in total
    "wait_hours": Weight(per=2.0, cap=30),
    # business hours of the longest single wait beyond the first four
    "long_wait_hours": Weight(per=1.0, cap=10),
    # times the conversation changed hands
    "handoffs": Weight(per=10, cap=30),
    # teams beyond the first
    "extra_teams": Weight(per=5, cap=10),
    # messages the customer had to send beyond the first
    "extra_messages": Weight(per=4, cap=16),
    # times it was reopened
    "reopenings": Weight(per=10, cap=20),
    # later similar conversations, and being one oneself
    "repeats": Weight(per=15, cap=30),
    # business hours until a named person owned it, beyond the first two
    "owner_hours": Weight(per=1.0, cap=8),
}


def units(row: ConversationEffort) -> dict[str, float]:
    return {
        "wait_hours": row.wait_seconds / HOUR,
        "long_wait_hours": max(row.longest_wait_seconds / HOUR - 4, 0),
        "handoffs": row.handoffs,
        "extra_teams": max(row.team_count - 1, 0),
        "extra_messages": max(row.customer_messages - 1, 0),
        "reopenings": row.reopenings,
        "repeats": row.repeat_contacts + (1 if row.repeat_of_id else 0),
        "owner_hours": max((row.time_to_owner_seconds or 0) / HOUR - 2, 0),
    }


def breakdown(row: ConversationEffort) -> dict[str, float]:
    """Points per dimension (before the overall cap)."""
    return {
        name: round(min(amount * WEIGHTS[name].per, WEIGHTS[name].cap), 1)
        for name, amount in units(row).items()
    }


def effort_score(row: ConversationEffort) -> int:
    return min(round(sum(breakdown(row).values())), 100)
