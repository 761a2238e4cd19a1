"""The attainment tally: every conversation's judged targets (``helpmate.service.judge``) kept
in ``TargetTally`` rows, so the report is one grouped read instead of judging every event.

No event listener feeds it (every listener costs every incoming email). A periodic job
(``service.tally``, every 60 s in ``helpmate worker``) and ``helpmate service tally [--full]``
re-judge the conversations that changed since they were last judged (``stale_everywhere``):

- those with an event above their ``ConversationTally.folded_event_id``, found among the events
  after the watermark ``TallyState.folded_through``;
- those marked stale (``folded_event_id`` < 0): saving a contact marks the conversations judged
  under another requester kind, the one input of the targets the event log does not show;
- as a safety net, those never judged, judged under other rules (``rules_fingerprint``:
  targets, calendars, the time zone of the day buckets) or whose inputs (team, owner, channel,
  priority, requester kind, merged) differ from what was judged: one scan of the conversations.

A conversation is re-judged whole, from its events, by the same ``judge`` as the from-scratch
report, so a fold is idempotent and incremental folding equals full folding. Batches claim
their ``ConversationTally`` rows with ``select_for_update(no_key=True, skip_locked=True)``, so
several workers share the work; a run that skipped rows held by another moves nothing in
``TallyState``.

The watermark: event ids are handed out before commit, so a lower id can commit after a higher
one has been read. A run records the highest id it saw (``seen_through``) and a run at least
``LAG`` later, having folded everything after the old watermark, promotes it. Transactions that
write events last well under a minute. ``TallyState.rules`` is the fingerprint every
conversation was folded under.

Reads (``changed_since_fold``, a few indexed queries) find the conversations of a period changed
since their fold, which the report judges on the spot: its figures are never stale. Under other
rules than ``TallyState.rules``, or with the job far behind, the report judges from scratch.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from helpmate.desk.models import Conversation, Event
from helpmate.service.calendar import calendar_for
from helpmate.service.judge import judge, load_convs, load_events
from helpmate.service.models import ConversationTally, TallyDay, TallyState, TargetTally
from helpmate.service.targets import _load_rows

LAG = timedelta(seconds=60)
MAX_UNFOLDED = 5000  # unfolded events a report reads itself; more and it judges from scratch
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


def changed_since_fold(
    *, folded_through: int, start: datetime | None = None, end: datetime | None = None
) -> set[int] | None:
    """Conversations (created in [start, end) when given) changed since their last fold: with an
    event after the watermark newer than the fold, or marked stale (``folded_event_id`` < 0: a
    requester's kind changed, or a fold in progress). None when more than ``MAX_UNFOLDED``
    events wait (the job is far behind) and the bounds are given: judge from scratch then."""
    events = (
        Event.objects.filter(pk__gt=folded_through).order_by().values_list("conversation_id", "pk")
    )
    limited = start is not None
    rows = events[: MAX_UNFOLDED + 1] if limited else events.iterator(chunk_size=5000)
    newest: dict[int, int] = {}
    count = 0
    for conversation_id, pk in rows:
        count += 1
        newest[conversation_id] = max(pk, newest.get(conversation_id, 0))
    if limited and count > MAX_UNFOLDED:
        return None
    marked = ConversationTally.objects.filter(folded_event_id__lt=0)
    convs = Conversation.objects.all()
    if start is not None and end is not None:
        marked = marked.filter(
            conversation__created_at__gte=start, conversation__created_at__lt=end
        )
        convs = convs.filter(created_at__gte=start, created_at__lt=end)
    found = set(marked.values_list("pk", flat=True))
    ids = sorted(newest)
    for at in range(0, len(ids), 10_000):
        chunk = convs.filter(pk__in=ids[at : at + 10_000])
        for pk, folded in chunk.values_list("pk", "tally__folded_event_id"):
            if folded is None or folded < newest[pk]:
                found.add(pk)
    return found


def stale_everywhere(*, fingerprint: str, folded_through: int) -> set[int]:
    """What the job folds: what changed since its fold, plus (a safety net for changes made
    around the actions) every conversation never folded, folded under other rules, or whose
    target inputs differ from those it was judged with (one scan of the conversations)."""
    found = changed_since_fold(folded_through=folded_through) or set()
    differs = Conversation.objects.filter(
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
    return found | set(differs)


def mark_requester_changed(*, contact_id: int, kind: str) -> int:
    """A requester's kind decides their targets and is not in the event log: mark their
    conversations judged under another kind as stale (read on the spot, refolded by the job)."""
    return (
        ConversationTally.objects.filter(conversation__requester_id=contact_id)
        .exclude(kind=kind)
        .update(folded_event_id=-1)
    )


def fold(ids: list[int], *, fingerprint: str) -> tuple[int, int]:
    """Judge these conversations again and replace their tally rows, in one transaction.
    Returns (folded, skipped because another worker holds them)."""
    ConversationTally.objects.bulk_create(
        [ConversationTally(conversation_id=pk) for pk in ids], ignore_conflicts=True
    )
    with transaction.atomic():
        _share_state()
        claimed = sorted(
            ConversationTally.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
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
        # Rewritten rather than updated: one DELETE and two INSERTs per batch (Django's
        # bulk_update builds a CASE per field and row, seconds per batch).
        days = DayDeltas()
        for row in (
            TargetTally.objects.filter(tally_id__in=claimed)
            .exclude(outcome="pending")
            .values_list("day", "team_id", "agent_id", "target", "outcome")
        ):
            days.add(*row, n=-1)
        TargetTally.objects.filter(tally_id__in=claimed).delete()
        ConversationTally.objects.filter(pk__in=claimed).delete()
        judged: list[ConversationTally] = []
        new: list[TargetTally] = []
        for pk, conv in convs.items():
            judged.append(
                ConversationTally(
                    conversation_id=pk,
                    folded_event_id=upto.get(pk, 0),
                    rules=fingerprint,
                    team_key=conv.team_id or 0,
                    owner_key=conv.owner_id or 0,
                    channel=conv.channel,
                    priority=conv.priority,
                    kind=conv.kind,
                    merged=conv.merged,
                )
            )
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
        ConversationTally.objects.bulk_create(judged, batch_size=1000)
        TargetTally.objects.bulk_create(new, batch_size=1000)
        for t in new:
            if t.outcome != "pending":
                days.add(t.day, t.team_id, t.agent_id, t.target, t.outcome, n=1)
        days.apply()
    return len(claimed), len(ids) - len(claimed)


class DayDeltas:
    """Changes to ``TallyDay`` rows from one batch, written in key order (so two workers lock
    the rows they share in the same order) with ``n = n + delta`` updates."""

    def __init__(self) -> None:
        self.deltas: dict[tuple[date, int, int], dict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )

    def add(
        self,
        day: date | str,
        team: int | None,
        agent: int | None,
        target: str,
        outcome: str,
        *,
        n: int,
    ) -> None:
        when = day if isinstance(day, date) else date.fromisoformat(day)
        self.deltas[(when, team or 0, agent or 0)][f"{target}_{outcome}"] += n

    def apply(self) -> None:
        changed = {
            key: {col: n for col, n in cols.items() if n}
            for key, cols in sorted(self.deltas.items())
        }
        changed = {key: cols for key, cols in changed.items() if cols}
        TallyDay.objects.bulk_create(
            [TallyDay(day=d, team_key=t, agent_key=a) for d, t, a in changed],
            ignore_conflicts=True,
        )
        for (day, team, agent), cols in changed.items():
            TallyDay.objects.filter(day=day, team_key=team, agent_key=agent).update(
                **{col: F(col) + n for col, n in cols.items()}
            )


def _share_state() -> None:
    """Folds hold the state row FOR KEY SHARE (many at once); ``rebuild_days`` holds it FOR
    UPDATE, so no fold changes the day sums while they are summed afresh. (SQLite runs one
    writer at a time anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = TallyState._meta.db_table
            cursor.execute(f'SELECT 1 FROM "{table}" WHERE id = 1 FOR KEY SHARE')  # noqa: S608


def rebuild_days() -> None:
    """``TallyDay`` summed again from every ``TargetTally`` row (after a full fold)."""
    state()
    with transaction.atomic():
        TallyState.objects.select_for_update().get(pk=1)
        TallyDay.objects.all().delete()
        days = DayDeltas()
        for day, team, agent, target, outcome, n in (
            TargetTally.objects.exclude(outcome="pending")
            .values_list("day", "team_id", "agent_id", "target", "outcome")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            days.add(day, team, agent, target, outcome, n=n)
        days.apply()


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
        ids = sorted(
            stale_everywhere(fingerprint=fingerprint, folded_through=current.folded_through)
        )
    done = skipped = 0
    for at in range(0, len(ids), batch_size):
        folded, held = fold(ids[at : at + batch_size], fingerprint=fingerprint)
        done += folded
        skipped += held
        if progress:
            progress(at + folded + held, len(ids))
    if full and not skipped:
        rebuild_days()
    with transaction.atomic():
        current = TallyState.objects.select_for_update(no_key=True).get(pk=1)
        if not skipped:
            # Every conversation judged under other rules was folded: reports may trust the
            # tally under these rules.
            current.rules = fingerprint
            if current.seen_at is None or started - current.seen_at >= lag:
                current.folded_through = max(current.folded_through, current.seen_through)
                current.seen_through = max(current.seen_through, top)
                current.seen_at = started
            current.save()
    return TallyResult(done, skipped, time.monotonic() - clock, current.folded_through)


def tally_job() -> int:
    """The periodic job: fold what changed (safe on several workers at once)."""
    return run_tally().conversations
