"""Seed the Northwind demo desk: people, then sixty days of conversations, through the actions.

Every write goes through ``helpmate.people.actions`` and ``helpmate.desk.actions`` with ``at=``
set to a moment in the past, so the event log, the denormalised timestamps and the search index
are exactly what real use would have produced.

Nothing is sent while seeding. The replies in the demo happened "in the past"; emailing them now
would fill the demo outbox with hundreds of messages nobody asked for and hide the one a visitor
is looking for (their portal sign-in link). So the seed runs with Django's dummy email backend
and django-tasks' dummy backend (queued tasks are recorded in memory and dropped), both set with
``override_settings`` for the duration of the seed only. The whole seed is one transaction: it
is all there or not at all, and running it again on a seeded desk does nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from helpmate import outbox
from helpmate.demo.cast import ADMIN_EMAIL, Cast, cast_size, create_cast
from helpmate.demo.catalog import SUPPLIES
from helpmate.demo.plan import AGE_HOURS, ConversationPlan, values_for
from helpmate.demo.scenarios import Scenario, all_scenarios
from helpmate.desk import actions
from helpmate.desk.models import DONE_STATUSES, Conversation, Event, Message, Status
from helpmate.people.models import Agent, Contact, Team

# How many conversations end in each status (the merged duplicates come on top).
QUOTAS: dict[str, int] = {
    Status.NEW: 28,
    Status.OPEN: 44,
    Status.WAITING_CUSTOMER: 48,
    Status.WAITING_OTHER: 26,
    Status.RESOLVED: 104,
    Status.CLOSED: 170,
}
MERGES = 10
KIND_WEIGHTS = {"customer": 0.76, "colleague": 0.14, "supplier": 0.10}

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class SeedSummary:
    teams: int
    agents: int
    contacts: int
    conversations: int
    messages: int
    events: int
    seconds: float
    features: tuple[str, ...] = ()


def is_seeded() -> bool:
    """True when the desk already holds data: the demo never adds to (or duplicates) it."""
    return (
        Agent.objects.filter(user__username=ADMIN_EMAIL).exists()
        or Conversation.objects.exists()
        or Contact.objects.exists()
    )


def seed_demo(*, now: datetime | None = None, seed: int = 7, progress: Progress | None = None):
    """Create the demo desk; returns a summary, or None when the desk already has data."""
    started = time.monotonic()
    report = progress or (lambda done, total, label: None)
    quiet = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    )
    with quiet, transaction.atomic():
        if is_seeded():
            return None
        rng = random.Random(seed)
        now = now or timezone.now()
        done = 0
        people_total = cast_size()

        def tick() -> None:
            nonlocal done
            done += 1
            report(done, people_total, "People")

        cast = create_cast(rng, tick)
        plans = make_plans(rng, cast, now)
        steps = sorted(step for plan in plans for step in plan.steps(now, cast))
        total = done + len(steps)
        with outbox.suppressed():
            for step in steps:
                step.run()
                done += 1
                if done % 10 == 0 or done == total:
                    report(done, total, "Conversations")
            _read_old_notifications(plans)
        features = _seed_features(now, report)
    return SeedSummary(
        teams=Team.objects.count(),
        agents=Agent.objects.count(),
        contacts=Contact.objects.count(),
        conversations=Conversation.objects.count(),
        messages=Message.objects.count(),
        events=Event.objects.count(),
        seconds=time.monotonic() - started,
        features=tuple(features),
    )


def _seed_features(now: datetime, report: Progress) -> list[str]:
    """Each feature app adds its own demo data to the seeded desk, in dependency order.

    Calendars and targets first (due times), then email, handoffs and promises on the seeded
    conversations, then the outbox's handful of recent deliveries, and effort last: it folds
    every event written before it. Only the outbox's own step may record emails.
    """
    from helpmate.effort.demo import seed_demo as effort
    from helpmate.handoffs.demo import seed_demo as handoffs
    from helpmate.mail.demo import seed_demo as mail
    from helpmate.outbox.demo import seed_demo as deliveries
    from helpmate.promises.demo import seed_demo as promises
    from helpmate.service.demo import seed_demo as service

    steps = [
        ("Service targets", service, True),
        ("Email", mail, True),
        ("Handoffs", handoffs, True),
        ("Promises", promises, True),
        ("Outbox", deliveries, False),
        ("Effort", effort, True),
    ]
    lines = []
    for index, (label, seed_feature, quiet) in enumerate(steps, start=1):
        report(index, len(steps), label)
        if quiet:
            with outbox.suppressed():
                lines.append(seed_feature(now=now))
        else:
            lines.append(seed_feature(now=now))
    return lines


def _needs_org(scenario: Scenario) -> bool:
    texts = (
        *scenario.subjects,
        *scenario.opening,
        scenario.reply,
        scenario.follow_up,
        scenario.resolution,
    )
    return any("{org}" in text for text in texts)


def _eligible(scenario: Scenario, requester: Contact, status: str) -> bool:
    if scenario.kind != requester.kind or scenario.language != requester.language:
        return False
    if _needs_org(scenario) and requester.organization_id is None:
        return False
    if requester.kind == "supplier":
        org = requester.organization.name if requester.organization else ""
        if scenario.carrier_only != (SUPPLIES.get(org) == "freight"):
            return False
    return status != Status.WAITING_OTHER or scenario.has_check


def _pick_agent(
    rng: random.Random, cast: Cast, team: str, language: str, *, not_: Agent | None = None
) -> Agent:
    members = [a for a in cast.agents_in(team) if a != not_] or [
        a for a in cast.agents if a != not_
    ]
    speakers = [a for a in members if cast.speaks(a, language)]
    return rng.choice(speakers or members)


def make_plans(rng: random.Random, cast: Cast, now: datetime) -> list[ConversationPlan]:
    scenarios = all_scenarios()
    by_kind: dict[str, list[Contact]] = {}
    for contact in cast.contacts:
        by_kind.setdefault(contact.kind, []).append(contact)
    customer_weights = [2 if c.language == "en" else 1 for c in by_kind["customer"]]
    statuses = [status for status, count in QUOTAS.items() for _ in range(count)]
    rng.shuffle(statuses)
    plans: list[ConversationPlan] = []
    for index, status in enumerate(statuses):
        for _attempt in range(100):
            kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
            if kind == "customer":
                requester = rng.choices(by_kind[kind], weights=customer_weights)[0]
            else:
                requester = rng.choice(by_kind[kind])
            candidates = [s for s in scenarios if _eligible(s, requester, status)]
            if candidates:
                break
        else:  # pragma: no cover - the scenario set covers every kind and status
            raise RuntimeError(f"No scenario for a {status} conversation")
        plans.append(_plan(rng, cast, now, index, status, requester, rng.choice(candidates)))
    mergeable = [
        p
        for p in plans
        if p.status not in (Status.NEW, Status.WAITING_OTHER) and not p.claimed_only
    ]
    for plan in rng.sample(mergeable, MERGES):
        plan.duplicate = True
    return plans


def _plan(
    rng: random.Random,
    cast: Cast,
    now: datetime,
    index: int,
    status: str,
    requester: Contact,
    scenario: Scenario,
) -> ConversationPlan:
    language = scenario.language
    owner = _pick_agent(rng, cast, scenario.team, language)
    colleague = _pick_agent(rng, cast, scenario.check_team, "en", not_=owner)
    values = values_for(rng, scenario, requester)
    values["colleague"] = colleague.public_name
    values["agent"] = owner.public_name
    low, high = AGE_HOURS[status]
    plan = ConversationPlan(
        index=index,
        scenario=scenario,
        requester=requester,
        status=status,
        channel=rng.choice(scenario.channels),
        owner=owner,
        created_at=now - timedelta(hours=rng.uniform(low, high)),
        values=values,
        rng=random.Random(rng.random()),
        colleague=colleague,
        claimed_only=status == Status.OPEN and rng.random() < 0.3,
    )
    # (A conversation handed to a named owner is already theirs, so claim-only plans skip it.)
    if (
        scenario.arrives_at
        and status != Status.NEW
        and not plan.claimed_only
        and rng.random() < 0.65
    ):
        plan.first_team = scenario.arrives_at
        plan.first_agent = _pick_agent(rng, cast, scenario.arrives_at, "en", not_=owner)
    if requester.organization_id and requester.kind == "customer" and rng.random() < 0.15:
        others = [c for c in cast.org_members[requester.organization_id] if c != requester]
        plan.participant = rng.choice(others) if others else None
    if rng.random() < 0.75:
        plan.tags = tuple(t for t in scenario.tags if rng.random() < 0.85)
    return plan


def _read_old_notifications(plans: list[ConversationPlan]) -> None:
    """Agents have long since seen what happened on finished conversations."""
    for plan in plans:
        if plan.status not in DONE_STATUSES or plan.conversation is None:
            continue
        for agent in {plan.owner, plan.colleague, plan.first_agent} - {None}:
            actions.mark_notifications_read(agent=agent, conversation=plan.conversation)  # type: ignore[arg-type]
