"""Planning demo conversations: which scenario, who asks, who owns it, when each step happens.

A ``ConversationPlan`` turns one scenario into timed steps (each a call to a desk action). The
seed runs the steps of all plans in time order, so the event log reads like sixty days of real
work: conversations interleave, and a customer's reply comes after the agent's question.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from helpmate.demo.cast import Cast
from helpmate.demo.catalog import CARRIERS, CITIES, PRODUCTS, SUPPLIES, products_of
from helpmate.demo.scenarios import (
    AGENT_SIGN_OFFS,
    DUPLICATES,
    GREETINGS,
    NUDGES,
    REQUESTER_SIGN_OFFS,
    WEEKDAYS,
    Scenario,
)
from helpmate.desk import actions
from helpmate.desk.models import Channel, Conversation, Status
from helpmate.people.models import Agent, Contact

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

# How old a conversation with this final status is, in hours (from, to).
AGE_HOURS: dict[str, tuple[float, float]] = {
    Status.NEW: (0.3, 30),
    Status.OPEN: (5, 6 * 24),
    Status.WAITING_CUSTOMER: (10, 9 * 24),
    Status.WAITING_OTHER: (20, 10 * 24),
    Status.RESOLVED: (24, 25 * 24),
    Status.CLOSED: (9 * 24, 60 * 24),
}


@dataclass(order=True)
class Step:
    at: datetime
    order: int
    run: Callable[[], object] = field(compare=False)


def _fill(text: str, values: dict[str, str]) -> str:
    return text.format_map(values) if text else ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class ConversationPlan:
    index: int
    scenario: Scenario
    requester: Contact
    status: str
    channel: str
    owner: Agent
    created_at: datetime
    values: dict[str, str]
    rng: random.Random
    first_team: str = ""
    first_agent: Agent | None = None
    colleague: Agent | None = None
    participant: Contact | None = None
    duplicate: bool = False
    claimed_only: bool = False
    conversation: Conversation | None = None
    merged_from: Conversation | None = None
    tags: tuple[str, ...] = ()
    _at: datetime = field(init=False, repr=False)  # the time of the step being run

    # --- text ---------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.scenario.language

    def _from_requester(self, body: str, *, first: bool) -> str:
        text = _fill(body, self.values)
        chatty = self.channel in (Channel.CHAT, Channel.INTERNAL)
        if self.language == "de" and first and not chatty:
            greeting = self.rng.choice(("Hallo,", "Guten Tag,"))
            return f"{greeting}\n\n{text}\n\n{self._requester_sign_off()}"
        text = _cap(text)
        if chatty:
            return text
        if first:
            return f"{text}\n\n{self._requester_sign_off()}"
        return f"{text}\n\n{self.requester.greeting_name}"

    def _requester_sign_off(self) -> str:
        return (
            f"{self.rng.choice(REQUESTER_SIGN_OFFS[self.language])}\n{self.requester.greeting_name}"
        )

    def _from_owner(self, body: str) -> str:
        text = _fill(body, self.values)
        if self.language != "de":
            text = _cap(text)
        greetings = GREETINGS[self.language]
        if self.channel == Channel.CHAT:
            greetings = greetings[:1]
        greeting = self.rng.choice(greetings).format(name=self.requester.greeting_name)
        if self.channel == Channel.CHAT:
            return f"{greeting}\n\n{text}\n\n{self.owner.public_name}"
        sign_off = self.rng.choice(AGENT_SIGN_OFFS[self.language])
        return f"{greeting}\n\n{text}\n\n{sign_off}\n{self.owner.signature}"

    @property
    def subject(self) -> str:
        return _cap(_fill(self.rng.choice(self.scenario.subjects), self.values))

    # --- steps --------------------------------------------------------------------------
    def steps(self, now: datetime, cast: Cast) -> list[Step]:
        s, rng = self.scenario, self.rng
        timeline: list[tuple[timedelta, Callable[[], object], bool]] = []
        t = timedelta(0)
        subject = self.subject
        first_team = cast.teams[self.first_team or s.team]
        opening = self._from_requester(rng.choice(s.opening), first=True)

        def create() -> None:
            self.conversation = actions.create_conversation(
                requester=self.requester,
                subject=subject,
                text=opening,
                channel=self.channel,
                team=first_team,
                priority=s.priority,
                created_by=self.owner if self.channel == Channel.PHONE else None,
                participants=[self.participant] if self.participant else (),
                at=self.created_at,
            )

        timeline.append((t, create, False))

        def add(gap: timedelta, run: Callable[[], object], *, by_agent: bool = True) -> None:
            timeline.append((gap, run, by_agent))

        def minutes(low: float, high: float) -> timedelta:
            return timedelta(minutes=rng.uniform(low, high))

        conv = lambda: self._conv()  # noqa: E731

        if self.status == Status.NEW:
            if rng.random() < 0.3:
                nudge = self._from_requester(rng.choice(NUDGES[self.language]), first=False)
                add(minutes(180, 1200), lambda: self._incoming(nudge), by_agent=False)
            return self._timed(timeline, now)
        if self.duplicate:
            dup_subject, dup_text = (_fill(x, {**self.values, "subject": subject}) for x in
                                     DUPLICATES[self.language])  # fmt: skip
            dup_text = self._from_requester(dup_text, first=True)

            def create_duplicate() -> None:
                self.merged_from = actions.create_conversation(
                    requester=self.requester,
                    subject=dup_subject,
                    text=dup_text,
                    channel=Channel.EMAIL,
                    team=first_team,
                    at=self._at,
                )

            add(minutes(120, 900), create_duplicate, by_agent=False)
            add(
                minutes(5, 60),
                lambda: actions.merge_conversations(
                    source=self._merged(), target=conv(), actor=self.owner, at=self._at
                ),
            )
        if self.first_team and s.handoff and self.first_agent is not None:
            handoff = _fill(s.handoff, self.values)
            first_agent = self.first_agent
            add(
                minutes(10, 120),
                lambda: actions.transfer_conversation(
                    conversation=conv(),
                    actor=first_agent,
                    note=handoff,
                    team=cast.teams[s.team],
                    owner=self.owner,
                    at=self._at,
                ),
            )
        if self.claimed_only:
            add(
                minutes(5, 90),
                lambda: actions.assign_conversation(
                    conversation=conv(), actor=self.owner, owner=self.owner, at=self._at
                ),
            )
            return self._timed(timeline, now)
        quick = (10, 60) if s.priority >= 3 else (15, 420)
        add(minutes(*quick), lambda: self._reply(s.reply))
        if self.tags:
            add(
                minutes(0.5, 3),
                lambda: actions.change_tags(
                    conversation=conv(), actor=self.owner, add=self.tags, at=self._at
                ),
            )
        if self.status == Status.WAITING_CUSTOMER:
            return self._timed(timeline, now)
        follow_up = self._from_requester(s.follow_up, first=False)
        add(minutes(20, 1800), lambda: self._incoming(follow_up), by_agent=False)
        if self.status == Status.OPEN:
            return self._timed(timeline, now)
        if s.has_check and (self.status == Status.WAITING_OTHER or rng.random() < 0.6):
            note = _fill(s.check_note, self.values)
            add(
                minutes(10, 90),
                lambda: actions.add_note(
                    conversation=conv(), agent=self.owner, text=note, at=self._at
                ),
            )
            add(minutes(3, 30), lambda: self._reply(s.check_reply, Status.WAITING_OTHER))
            if self.status == Status.WAITING_OTHER:
                return self._timed(timeline, now)
            add(minutes(180, 3 * 24 * 60), lambda: self._reply(s.resolution, Status.RESOLVED))
        else:
            add(minutes(60, 24 * 60), lambda: self._reply(s.resolution, Status.RESOLVED))
        if s.thanks and rng.random() < 0.45:
            thanks = self._from_requester(s.thanks, first=False)
            add(minutes(60, 20 * 60), lambda: self._incoming(thanks), by_agent=False)
            add(minutes(15, 180), lambda: self._status(Status.RESOLVED))
        if self.status == Status.CLOSED:
            add(minutes(4 * 24 * 60, 8 * 24 * 60), lambda: self._status(Status.CLOSED))
        return self._timed(timeline, now)

    def _timed(
        self, timeline: list[tuple[timedelta, Callable[[], object], bool]], now: datetime
    ) -> list[Step]:
        """Place the steps in time: agents work office hours; all before a few minutes ago."""
        moments = []
        at = self.created_at
        for gap, _run, by_agent in timeline:
            at = _office_hours(at + gap, self.rng) if by_agent else at + gap
            moments.append(at)
        latest = now - timedelta(minutes=self.rng.uniform(3, 40))
        span = moments[-1] - self.created_at
        room = latest - self.created_at
        scale = min(1.0, room / span) if span > timedelta(0) else 1.0
        return [
            Step(
                self.created_at + (moment - self.created_at) * scale,
                self.index * 100 + position,
                self._timed_run(self.created_at + (moment - self.created_at) * scale, run),
            )
            for position, (moment, (_gap, run, _by)) in enumerate(
                zip(moments, timeline, strict=True)
            )
        ]

    def _timed_run(self, at: datetime, run: Callable[[], object]) -> Callable[[], object]:
        def go() -> object:
            self._at = at
            return run()

        return go

    def _conv(self) -> Conversation:
        assert self.conversation is not None
        return self.conversation

    def _merged(self) -> Conversation:
        assert self.merged_from is not None
        return self.merged_from

    def _reply(self, body: str, status: str | None = None) -> None:
        actions.add_reply(
            conversation=self._conv(),
            agent=self.owner,
            text=self._from_owner(body),
            status=status,
            at=self._at,
        )

    def _incoming(self, text: str) -> None:
        actions.add_incoming_message(
            conversation=self._conv(),
            author=self.requester,
            text=text,
            channel=self.channel,
            at=self._at,
        )

    def _status(self, status: str) -> None:
        actions.change_status(
            conversation=self._conv(), actor=self.owner, status=status, at=self._at
        )


def _office_hours(at: datetime, rng: random.Random) -> datetime:
    """Agents answer Monday to Saturday, 07:00 to 18:00 UTC; later work waits for the morning."""
    if at.weekday() < 6 and 7 <= at.hour < 18:
        return at
    morning = at.replace(hour=7, minute=0, second=0, microsecond=0)
    if at.hour >= 7:
        morning += DAY
    while morning.weekday() == 6:
        morning += DAY
    return morning + timedelta(minutes=rng.uniform(0, 100))


def values_for(rng: random.Random, scenario: Scenario, requester: Contact) -> dict[str, str]:
    """The nouns and numbers one conversation talks about."""
    language = scenario.language
    kind = scenario.products
    if kind == "supplied":
        org = requester.organization.name if requester.organization else ""
        supplied = SUPPLIES.get(org, "any")
        kind = "big" if supplied == "freight" else supplied
    fitting = products_of(kind) or list(PRODUCTS)
    first = rng.choice(fitting)
    second = rng.choice([p for p in fitting if p != first] or [p for p in PRODUCTS if p != first])
    carrier = rng.choice(CARRIERS)
    price = first.price
    amount = f"€{price:,}.00" if language == "en" else f"{price:,}".replace(",", ".") + ",00 €"
    year = 2024 + rng.randint(0, 1)
    return {
        "product": first.name(language),
        "product2": second.name(language),
        "sku": first.sku,
        "order": f"NW{rng.randint(100000, 999999)}",
        "amount": amount,
        "carrier": carrier,
        "tracking": f"{carrier[:2].upper()}{rng.randint(10**9, 10**10 - 1)}",
        "day": rng.choice(WEEKDAYS[language]),
        "invoice": f"INV-{year}-{rng.randint(10000, 99999)}",
        "ref": f"{rng.choice(('RF', 'CN', 'BK', 'PO'))}-{rng.randint(100000, 999999)}",
        "city": rng.choice(CITIES.get(language, CITIES["en"])),
        "org": requester.organization.name if requester.organization else "",
        "colleague": "",
        "agent": "",
    }
