"""The attainment tally: every conversation's judged targets (``helpmate.service.judge``) kept
in ``TargetTally`` rows, so the report is one grouped read instead of judging every event.

No event listener feeds it (every listener costs every incoming email). A periodic job
(``service.tally``, every 60 s in ``helpmate worker``) and ``helpmate service tally [--full]``
re-judge the conversations that changed since they were last judged:

- those with an event above their ``ConversationTally.folded_event_id``, found among the events
  after the watermark ``TallyState.folded_through``;
- those whose target inputs (team, owner, channel, priority, requester kind, merged) differ
  from what was judged, or judged under other rules (``rules_fingerprint``: targets, calendars
  and the time zone of the day buckets);
- those never judged.

A conversation is re-judged whole, from its events, by the same ``judge`` as the from-scratch
report, so a fold is idempotent and incremental folding equals full folding. Batches claim
their ``ConversationTally`` rows with ``select_for_update(no_key=True, skip_locked=True)``, so
several workers share the work; a run that skipped rows held by another does not move the
watermark.

The watermark: event ids are handed out before commit, so a lower id can commit after a higher
one has been read. A run records the highest id it saw (``seen_through``) and a run at least
``LAG`` later, having folded everything after the old watermark, promotes it. Transactions that
write events last well under a minute.

Reads (``stale_ids``) use the same tests, so the report judges the few conversations changed
since their last fold on the spot: its figures are never stale.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from helpmate.desk.models import Conversation, Event
from helpmate.service.calendar import calendar_for
from helpmate.service.judge import judge, load_convs, load_events
from helpmate.service.models import ConversationTally, TallyState, TargetTally
from helpmate.service.targets import _load_rows

LAG = timedelta(seconds=60)
Progress = Callable[[int, int], None]


def rules_fingerprint() -> str:
    """A short hash of what due times and day buckets depend on besides the conversation: the
    target rows, every team's calendar and the current time zone (from the per-process caches,
    as the report uses them)."""
    from helpmate.people.models import Team

    parts: list[object] = [timezone.get_current_timezone_name()]
    parts += [
        (r.team_id, r.kind, r.channel, r.priority, sorted(r.values.items())) for r in _load_rows()
    ]
    for team_id in [None, *Team.objects.order_by("pk").values_list("pk", flat=True)]:
        cal = calendar_for(team_id)
        parts.append((team_id, cal.tz.key, cal.week, sorted(cal.holidays.items())))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def state() -> TallyState:
    found, _ = TallyState.objects.get_or_create(pk=1)
    return found


def stale_ids(
    *,
    fingerprint: str,
    folded_through: int,
    start: datetime | None = None,
    end: datetime | None = None,
) -> set[int]:
    """Conversations (created in [start, end) when given) whose tally rows are missing or out of
    date: two indexed queries."""
    convs: QuerySet[Conversation] = Conversation.objects.all()
    events = Event.objects.filter(pk__gt=folded_through)
    if start is not None and end is not None:
        convs = convs.filter(created_at__gte=start, created_at__lt=end)
        events = events.filter(
            conversation__created_at__gte=start, conversation__created_at__lt=end
        )
    changed = convs.filter(
        Q(tally__isnull=True)
        | ~Q(tally__rules=fingerprint)
        | ~Q(tally__team_key=Coalesce("team_id", Value(0)))
        | ~Q(tally__owner_key=Coalesce("owner_id", Value(0)))
        | ~Q(tally__channel=F("channel"))
        | ~Q(tally__priority=F("priority"))
        | ~Q(tally__kind=F("requester__kind"))
        | Q(tally__merged=True, merged_into__isnull=True)
        | Q(tally__merged=False, merged_into__isnull=False)
    ).values_list("pk", flat=True)
    newer = (
        events.filter(pk__gt=F("conversation__tally__folded_event_id"))
        .values_list("conversation_id", flat=True)
        .distinct()
    )
    return set(changed) | set(newer)


def fold(ids: list[int], *, fingerprint: str) -> tuple[int, int]:
    """Judge these conversations again and replace their tally rows, in one transaction.
    Returns (folded, skipped because another worker holds them)."""
    ConversationTally.objects.bulk_create(
        [ConversationTally(conversation_id=pk) for pk in ids], ignore_conflicts=True
    )
    with transaction.atomic():
        rows = {
            row.pk: row
            for row in ConversationTally.objects.select_for_update(
                no_key=True, skip_locked=True
            ).filter(pk__in=ids)
        }
        claimed = sorted(rows)
        # The highest event id first, then the events up to it: a later event is newer than
        # ``folded_event_id`` and makes the conversation stale again.
        upto = dict(
            Event.objects.filter(conversation_id__in=claimed)
            .values("conversation_id")
            .annotate(last=Max("pk"))
            .order_by()
            .values_list("conversation_id", "last")
        )
        convs = load_convs(Conversation.objects.filter(pk__in=claimed))
        load_events(convs, upto=upto)
        TargetTally.objects.filter(tally_id__in=claimed).delete()
        new: list[TargetTally] = []
        for pk, conv in convs.items():
            row = rows[pk]
            row.folded_event_id = upto.get(pk, 0)
            row.rules = fingerprint
            row.team_key = conv.team_id or 0
            row.owner_key = conv.owner_id or 0
            row.channel = conv.channel
            row.priority = conv.priority
            row.kind = conv.kind
            row.merged = conv.merged
            if conv.merged:
                continue  # merged conversations are left out of the report
            day = conv.day
            new += [
                TargetTally(
                    tally_id=pk,
                    target=v.target,
                    seq=v.seq,
                    outcome=v.outcome,
                    due_at=v.due_at,
                    decided_at=v.decided_at,
                    agent_id=v.agent_id,
                    team_id=conv.team_id,
                    created_at=conv.created_at,
                    day=day,
                )
                for v in judge(conv)
            ]
        TargetTally.objects.bulk_create(new, batch_size=1000)
        fields = ["folded_event_id", "rules", "team_key", "owner_key", "channel", "priority"]
        ConversationTally.objects.bulk_update(
            [rows[pk] for pk in convs], [*fields, "kind", "merged"], batch_size=500
        )
    return len(claimed), len(ids) - len(claimed)


@dataclass(frozen=True)
class TallyResult:
    conversations: int
    skipped: int
    seconds: float
    folded_through: int

    @property
    def per_second(self) -> float:
        return self.conversations / self.seconds if self.seconds else 0.0


def run_tally(
    *,
    full: bool = False,
    batch_size: int = 500,
    progress: Progress | None = None,
    lag: timedelta = LAG,
) -> TallyResult:
    """Fold what changed since the last run (every conversation with ``full``)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    clock = time.monotonic()
    started = timezone.now()
    current = state()
    top = Event.objects.aggregate(top=Max("pk"))["top"] or 0
    fingerprint = rules_fingerprint()
    if full:
        ids = list(Conversation.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(stale_ids(fingerprint=fingerprint, folded_through=current.folded_through))
    done = skipped = 0
    for at in range(0, len(ids), batch_size):
        folded, held = fold(ids[at : at + batch_size], fingerprint=fingerprint)
        done += folded
        skipped += held
        if progress:
            progress(at + folded + held, len(ids))
    with transaction.atomic():
        current = TallyState.objects.select_for_update(no_key=True).get(pk=1)
        if not skipped and (current.seen_at is None or started - current.seen_at >= lag):
            current.folded_through = max(current.folded_through, current.seen_through)
            current.seen_through = max(current.seen_through, top)
            current.seen_at = started
            current.save()
    return TallyResult(done, skipped, time.monotonic() - clock, current.folded_through)


def tally_job() -> int:
    """The periodic job: fold what changed (safe on several workers at once)."""
    return run_tally().conversations
