"""Timelines for the attainment tally tests: a few operations on a few conversations, written
through the desk's actions at given times, and comparisons of the tally with the from-scratch
computation."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from helpmate.desk import actions as desk
from helpmate.desk.actions import ActionError
from helpmate.desk.models import Conversation, Status
from helpmate.service import actions as service
from helpmate.service.metrics import attainment, attainment_from_events
from helpmate.service.models import TallyDay, TargetTally
from helpmate.service.tally import changed_since_fold, rules_fingerprint, stale_everywhere, state
from tests.conftest import Personas

LONDON = ZoneInfo("Europe/London")
BASE = datetime(2026, 11, 2, 8, tzinfo=LONDON)  # a Monday morning
Op = tuple[Any, ...]


def run_ops(personas: Personas, ops: list[Op], convs: list[Conversation]) -> None:
    """Apply ``ops`` in order. Each is (name, conversation index, hours after BASE, *args);
    conversation indexes refer to ``convs`` (``open`` appends). Refused actions are skipped."""
    agents = [personas.agent, personas.lead, personas.other_agent]
    teams = [personas.support, personas.billing, None]
    for name, index, hours, *args in ops:
        at = BASE + timedelta(hours=hours)
        if name == "open":
            requester = [personas.customer, personas.colleague, personas.supplier][args[0] % 3]
            convs.append(
                desk.create_conversation(
                    requester=requester,
                    subject="Help",
                    text="Please.",
                    team=teams[args[1] % 3],
                    at=at,
                )
            )
            continue
        if name == "misses":
            service.record_missed_targets(now=at)
            continue
        if not convs:
            continue
        conv = convs[index % len(convs)]
        conv.refresh_from_db()
        with contextlib.suppress(ActionError):
            _apply(personas, name, conv, at, args, agents, teams, convs)


def _apply(personas, name, conv, at, args, agents, teams, convs) -> None:  # type: ignore[no-untyped-def]
    if name == "reply":
        desk.add_reply(conversation=conv, agent=agents[args[0] % 3], text="Answer", at=at)
    elif name == "resolve":
        desk.add_reply(
            conversation=conv, agent=agents[args[0] % 3], text="Done", status=Status.RESOLVED, at=at
        )
    elif name == "customer":
        desk.add_incoming_message(conversation=conv, author=conv.requester, text="And?", at=at)
    elif name == "status":
        status = [Status.OPEN, Status.WAITING_CUSTOMER, Status.CLOSED][args[0] % 3]
        desk.change_status(conversation=conv, actor=agents[0], status=status, at=at)
    elif name == "assign":
        desk.assign_conversation(
            conversation=conv, actor=agents[0], owner=agents[args[0] % 3], at=at
        )
    elif name == "transfer":
        desk.transfer_conversation(
            conversation=conv,
            actor=agents[0],
            note="Yours",
            team=teams[args[0] % 2],
            tell_customer=bool(args[1] % 2),
            at=at,
        )
    elif name == "priority":
        desk.change_priority(conversation=conv, actor=agents[0], priority=1 + args[0] % 4, at=at)
    elif name == "merge":
        other = convs[args[0] % len(convs)]
        if other.pk != conv.pk:
            other.refresh_from_db()
            desk.merge_conversations(source=conv, target=other, actor=agents[0], at=at)


PERIODS = [
    (BASE - timedelta(days=1), BASE + timedelta(days=7)),
    (BASE + timedelta(days=1), BASE + timedelta(days=3)),
    (BASE - timedelta(days=30), BASE + timedelta(days=80)),  # bucketed by week
]


def assert_same_as_from_scratch(personas: Personas, *, nows: list[datetime] | None = None) -> None:
    """The tally-backed report equals the from-scratch one for several periods, filters and
    moments."""
    nows = nows or [BASE + timedelta(days=d) for d in (0.5, 2, 9, 60)]
    filters: list[dict[str, Any]] = [
        {},
        {"team": personas.support},
        {"team": personas.billing.pk},
        {"agent": personas.agent},
        {"agent": personas.lead.pk, "team": personas.support},
    ]
    for start, end in PERIODS:
        for now in nows:
            for extra in filters:
                got = attainment(start=start, end=end, now=now, **extra).as_dict()
                want = attainment_from_events(start=start, end=end, now=now, **extra).as_dict()
                assert got == want, (start, end, now, extra)


def stale_now() -> set[int]:
    """What the job would fold now."""
    return stale_everywhere(fingerprint=rules_fingerprint(), folded_through=state().folded_through)


def changed_now() -> set[int]:
    """What a report would judge on the spot now (its period: any)."""
    found = changed_since_fold(
        folded_through=state().folded_through,
        start=BASE.replace(year=2000),
        end=BASE.replace(year=2100),
    )
    assert found is not None
    return found


def tally_rows() -> set[tuple[Any, ...]]:
    return set(
        TargetTally.objects.values_list(
            "tally_id",
            "target",
            "seq",
            "outcome",
            "due_at",
            "decided_at",
            "agent_id",
            "team_id",
            "created_at",
            "day",
        )
    )


def tally_days() -> set[tuple[Any, ...]]:
    """The day sums, without the rows that went back to zero."""
    cols = [
        f"{t}_{o}"
        for t in ("first_response", "next_response", "resolution")
        for o in ("met", "missed")
    ]
    return {
        row
        for row in TallyDay.objects.values_list("day", "team_key", "agent_key", *cols)
        if any(row[3:])
    }
