"""Demo data for effort: fold any history the listener has not seen, then ask resolved
conversations for their Customer Effort Score and answer a realistic share of them.

Everything goes through the actions with ``at=`` in the past (``request_ces`` then
``answer_ces``), so the event log holds ``ces_requested`` / ``ces_answered`` like real use. The
survey emails are not queued (the outbox is suppressed while seeding). Deterministic: the same
desk and ``now`` give the same answers. Scores follow the effort each conversation asked (a maze
gets low scores, a quick answer high ones) with some noise, as real answers do.
"""

from __future__ import annotations

import random
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta

from helpmate.desk.models import DONE_STATUSES, Conversation
from helpmate.effort.actions import answer_ces, request_ces
from helpmate.effort.models import ConversationEffort
from helpmate.effort.rebuild import rebuild

ANSWER_SHARE = 0.45  # of the conversations asked, about this many answer

COMMENTS: dict[int, list[str]] = {
    1: [
        "I had to explain the same thing three times to three people.",
        "Nobody seemed to own this. I kept being sent to another department.",
        "Took far too long and I had to chase every step.",
    ],
    3: [
        "Got there in the end, but I had to write twice.",
        "The answer was fine, the waiting was not.",
        "Passed between teams a bit, but sorted now.",
    ],
    5: [
        "Fine, thanks.",
        "Quick enough, and the agent was friendly.",
        "",
    ],
    7: [
        "Sorted in one reply, brilliant!",
        "Thank you, that was painless.",
        "Super quick and clear, thanks a lot.",
        "",
    ],
}


def _suppressed() -> AbstractContextManager[object]:
    try:
        from helpmate.outbox import suppressed
    except ImportError:  # pragma: no cover - the outbox app is built alongside
        return nullcontext()
    return suppressed()


def _score(rng: random.Random, effort: int) -> int:
    base = 6.6 - effort / 14
    return max(1, min(7, round(base + rng.gauss(0, 0.9))))


def _comment(rng: random.Random, score: int) -> str:
    bucket = 1 if score <= 2 else 3 if score <= 4 else 5 if score == 5 else 7
    if rng.random() < 0.45:
        return ""
    return rng.choice(COMMENTS[bucket])


def seed_demo(*, now: datetime) -> str:
    rng = random.Random(11)
    result = rebuild()
    asked = answered = 0
    rows = (
        ConversationEffort.objects.filter(
            status__in=DONE_STATUSES,
            merged=False,
            ces_requested_at__isnull=True,
            resolved_at__isnull=False,
            resolved_at__lte=now - timedelta(hours=1),
        )
        .select_related("conversation")
        .order_by("pk")
    )
    with _suppressed():
        for row in rows:
            conv: Conversation = row.conversation
            assert row.resolved_at is not None
            asked_at = row.resolved_at + timedelta(hours=1)
            if not request_ces(conversation=conv, at=asked_at):
                continue
            asked += 1
            if rng.random() > ANSWER_SHARE:
                continue
            answered_at = asked_at + timedelta(minutes=rng.randint(5, 36 * 60))
            if answered_at >= now:
                continue
            score = _score(rng, row.score)
            answer_ces(
                conversation=conv,
                contact=conv.requester,
                score=score,
                comment=_comment(rng, score),
                at=answered_at,
            )
            answered += 1
    return (
        f"effort: {result.conversations} conversations folded, {asked} asked for their "
        f"Customer Effort Score, {answered} answered"
    )
