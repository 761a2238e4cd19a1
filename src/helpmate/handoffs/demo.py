"""Demo data for warm handoffs on the seeded Northwind desk: two handoffs waiting to be
accepted (the customer was told who has it now; the previous owner follows) and one maze that
went round three teams and alerted the team lead.

Everything goes through the desk's transfer action with ``at=`` in the past (no email is queued);
deterministic: the same desk and ``now`` give the same handoffs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from helpmate.desk import actions
from helpmate.desk.models import Conversation, Status
from helpmate.handoffs.models import Handoff, LeadAlert
from helpmate.outbox import suppressed
from helpmate.people.models import Agent, Team

MARK = "Demo handoff:"
PENDING_NOTES = [
    "Carrier confirmed the parcel is lost; she wants a refund rather than a resend. Refund the "
    "full order incl. shipping, I've told her it will come from you.",
    "He was charged twice for the same order (see the two card lines in his first message). "
    "Please refund the duplicate; he prefers email, keep it short.",
]
MAZE_NOTES = [
    "Looks like a billing question (charged after cancelling).",
    "Not a billing issue after all: the cancellation never reached the warehouse, the parcel "
    "shipped. Logistics can stop it.",
    "Too late to stop, it was delivered. Back to Support to arrange the return.",
]


def _open_owned(exclude: set[int]) -> list[Conversation]:
    return list(
        Conversation.objects.filter(
            status__in=[Status.OPEN, Status.WAITING_OTHER],
            owner__isnull=False,
            team__isnull=False,
            merged_into__isnull=True,
            requester__kind="customer",
        )
        .exclude(pk__in=exclude)
        .exclude(handoffs__isnull=False)
        .select_related("owner", "team", "requester")
        .order_by("pk")[:40]
    )


def _someone_in(team: Team, not_: Agent | None) -> Agent | None:
    members = Agent.objects.active().filter(teams=team)
    if not_ is not None:
        members = members.exclude(pk=not_.pk)
    return members.order_by("pk").first()


def seed_demo(*, now: datetime) -> str:
    if Handoff.objects.filter(note__startswith=MARK).exists():
        return "handoffs: already seeded"
    teams = list(Team.objects.order_by("pk"))
    if len(teams) < 3:
        return "handoffs: needs the Northwind desk (three teams or more)"
    used: set[int] = set()
    pending = 0
    with suppressed():
        for i, conv in enumerate(_open_owned(used)):
            if pending == len(PENDING_NOTES):
                break
            other = next(t for t in teams if t.pk != conv.team_id)
            receiver = _someone_in(other, conv.owner)
            if receiver is None or conv.owner is None:
                continue
            actions.transfer_conversation(
                conversation=conv,
                actor=conv.owner,
                note=f"{MARK} {PENDING_NOTES[pending]}",
                team=other,
                owner=receiver,
                tell_customer=True,
                at=now - timedelta(hours=3 + 2 * i),
            )
            used.add(conv.pk)
            pending += 1

        maze = next(iter(_open_owned(used)), None)
        if maze is not None and maze.owner is not None and maze.team is not None:
            start = maze.team
            route = [*[t for t in teams if t.pk != start.pk][:2], start]
            actor = maze.owner
            for step, (team, note) in enumerate(zip(route, MAZE_NOTES, strict=True)):
                actions.transfer_conversation(
                    conversation=maze,
                    actor=actor,
                    note=f"{MARK} {note}",
                    team=team,
                    tell_customer=step == len(route) - 1,
                    at=now - timedelta(hours=26 - 6 * step),
                )
                maze.refresh_from_db()
                actor = _someone_in(team, None) or actor
    alerts = LeadAlert.objects.filter(conversation=maze).count() if maze else 0
    return f"handoffs: {pending} waiting to be accepted, 1 maze with {alerts} lead alert(s)"
