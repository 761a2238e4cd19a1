"""Demo data for promises: a history of promises in every state on the seeded conversations
(to customers, colleagues and suppliers), so the dashboard has weeks of figures, plus a few open
promises, one of them due soon (it shows at the top of its maker's inbox).

Everything goes through the actions with ``at=`` in the past, so the event log reads like real
use. Deterministic: the same desk and ``now`` give the same promises.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Min

from helpmate.desk.models import Conversation, Message, MessageKind
from helpmate.promises import actions
from helpmate.promises.models import Promise

MAX_PROMISES = 90
OUTCOMES = [  # (outcome, weight)
    ("kept_early", 30),
    ("kept_on_time", 34),
    ("kept_late", 8),
    ("renegotiated", 12),
    ("broken", 9),
    ("cancelled", 4),
]
TEXTS = {
    "customer": [
        "call you back with the tracking number",
        "send you a prepaid return label",
        "confirm the refund to your card",
        "email you the corrected invoice",
        "book the engineer visit",
        "send the replacement part",
    ],
    "colleague": [
        "send you the signed budget",
        "share the figures for the board pack",
        "update the supplier list in the ERP",
    ],
    "supplier": [
        "pay invoice {n}",
        "confirm the delivery slot for the next order",
        "send the signed purchase order",
    ],
}
SPANS = [timedelta(hours=4), timedelta(days=1), timedelta(days=2), timedelta(days=3)]


def _text(rng: random.Random, kind: str) -> str:
    return rng.choice(TEXTS.get(kind, TEXTS["customer"])).format(n=rng.randint(1000, 1999))


def seed_demo(*, now: datetime) -> str:
    if Promise.objects.exists():
        return "promises: already seeded"
    rng = random.Random(23)
    first_replies = (
        Message.objects.filter(kind=MessageKind.REPLY, author_agent__isnull=False)
        .values("conversation")
        .annotate(first=Min("id"))
        .order_by("conversation")
    )
    reply_ids = [row["first"] for row in first_replies]
    replies = list(
        Message.objects.filter(pk__in=reply_ids)
        .select_related("conversation__requester", "author_agent")
        .order_by("created_at", "pk")
    )
    rng.shuffle(replies)
    # Every kind of contact first, so colleagues and suppliers always appear.
    replies.sort(key=lambda m: m.conversation.requester.kind == "customer")
    states: Counter[str] = Counter()
    weights = [w for _, w in OUTCOMES]
    for reply in replies[:MAX_PROMISES]:
        conv: Conversation = reply.conversation
        agent = reply.author_agent
        assert agent is not None
        made_at = reply.created_at
        due = made_at + rng.choice(SPANS)
        if conv.merged_into_id is not None or due - made_at <= timedelta(0):
            continue
        promise = actions.make_promise(
            conversation=conv,
            agent=agent,
            text=_text(rng, conv.requester.kind),
            due_at=due,
            source="suggested",
            source_message=reply,
            at=made_at,
        )
        if due >= now:
            states["open"] += 1
            continue
        outcome = rng.choices([o for o, _ in OUTCOMES], weights)[0]
        span = due - made_at
        if outcome == "kept_early":
            at = made_at + span * rng.uniform(0.1, 0.45)
            actions.keep_promise(promise=promise, actor=agent, at=at)
        elif outcome == "kept_on_time":
            at = due - span * rng.uniform(0.0, 0.3)
            actions.keep_promise(promise=promise, actor=agent, at=at)
        elif outcome == "kept_late":
            actions.mark_broken(promise=promise, at=due + timedelta(minutes=1))
            late = due + timedelta(hours=rng.randint(2, 30))
            if late < now:
                actions.keep_promise(promise=promise, actor=agent, at=late)
        elif outcome == "renegotiated":
            at = due - span * rng.uniform(0.1, 0.5)
            new_due = due + timedelta(days=rng.randint(1, 3))
            successor = actions.renegotiate_promise(
                promise=promise,
                actor=agent,
                new_due_at=new_due,
                reason="The part is still with the carrier",
                at=at,
            )
            if new_due < now:
                actions.keep_promise(
                    promise=successor, actor=agent, at=new_due - timedelta(hours=1)
                )
        elif outcome == "broken":
            actions.mark_broken(promise=promise, at=due + timedelta(minutes=1))
        else:
            actions.cancel_promise(
                promise=promise,
                actor=agent,
                reason="The customer sorted it out themselves",
                at=made_at + span / 3,
            )
        states[outcome] += 1
    states.update(_open_ones(rng, now))
    made = Promise.objects.count()
    summary = ", ".join(
        f"{count} {state.replace('_', ' ')}" for state, count in sorted(states.items())
    )
    return f"promises: {made} made ({summary})"


def _open_ones(rng: random.Random, now: datetime) -> Counter[str]:
    """A few promises still open on open conversations; the first is due within the hour."""
    found: Counter[str] = Counter()
    open_convs = list(
        Conversation.objects.open()
        .filter(owner__isnull=False, merged_into__isnull=True, promises__isnull=True)
        .select_related("owner", "requester")
        .order_by("pk")[:6]
    )
    for index, conv in enumerate(open_convs):
        assert conv.owner is not None
        due = now + (timedelta(minutes=50) if index == 0 else timedelta(days=index, hours=3))
        actions.make_promise(
            conversation=conv,
            agent=conv.owner,
            text=_text(rng, conv.requester.kind),
            due_at=due,
            source="manual",
            at=now - timedelta(minutes=30),
        )
        found["open"] += 1
    return found
