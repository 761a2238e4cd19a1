"""The attainment tally: folded from the event log by a job, equal to judging every event from
scratch, incremental equal to full, never stale on read, and a fixed number of queries."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpmate.desk import actions as desk
from helpmate.desk.models import Conversation
from helpmate.people import actions as people
from helpmate.service import actions as service
from helpmate.service.metrics import attainment
from helpmate.service.models import ConversationTally, TallyDay, TallyState, TargetTally
from helpmate.service.tally import rules_fingerprint, run_tally
from helpmate.web.schedule import JOBS
from tests.conftest import Personas
from tests.service.tally_helpers import (
    BASE,
    Op,
    assert_same_as_from_scratch,
    changed_now,
    run_ops,
    stale_now,
    tally_days,
    tally_rows,
)

pytestmark = pytest.mark.django_db
NO_LAG = timedelta(0)

TIMELINES: dict[str, list[Op]] = {
    "answered in time and resolved": [
        ("open", 0, 1, 0, 0),
        ("reply", 0, 2, 0),
        ("customer", 0, 3),
        ("resolve", 0, 4, 1),
    ],
    "never answered (pending, then missed by the clock)": [("open", 0, 1, 0, 1)],
    "recorded miss then a late reply": [
        ("open", 0, 1, 0, 0),
        ("misses", 0, 30),
        ("reply", 0, 31, 2),
    ],
    "waits for the next response, one unanswered": [
        ("open", 0, 1, 1, 0),
        ("reply", 0, 2, 0),
        ("customer", 0, 3),
        ("reply", 0, 20, 1),
        ("customer", 0, 21),
        ("customer", 0, 22),
    ],
    "waiting on the customer stops the next-response clock": [
        ("open", 0, 1, 0, 0),
        ("reply", 0, 2, 0),
        ("customer", 0, 3),
        ("status", 0, 4, 1),
    ],
    "handoff message is not an answer": [
        ("open", 0, 1, 0, 0),
        ("transfer", 0, 2, 1, 1),
        ("reply", 0, 30, 2),
    ],
    "reassigned and reprioritised": [
        ("open", 0, 1, 2, 2),
        ("assign", 0, 2, 1),
        ("priority", 0, 3, 3),
        ("status", 0, 4, 2),
        ("status", 0, 50, 2),
        ("customer", 0, 60),
    ],
    "merged conversations are left out": [
        ("open", 0, 1, 0, 0),
        ("open", 0, 2, 0, 0),
        ("merge", 1, 3, 0),
        ("reply", 0, 4, 0),
    ],
    "created on a Saturday, resolved on Tuesday": [
        ("open", 0, 5 * 24 + 2, 0, 0),
        ("reply", 0, 7 * 24 + 3, 0),
        ("resolve", 0, 8 * 24 + 2, 1),
    ],
}


@pytest.mark.parametrize("name", sorted(TIMELINES))
def test_the_tally_equals_the_from_scratch_computation(personas: Personas, name: str) -> None:
    convs: list[Conversation] = []
    run_ops(personas, TIMELINES[name], convs)
    assert_same_as_from_scratch(personas)  # nothing folded: everything judged on the spot
    run_tally(lag=NO_LAG)
    assert stale_now() == set()
    assert TargetTally.objects.exists()
    assert_same_as_from_scratch(personas)  # everything from the tally


OPS = st.one_of(
    st.tuples(
        st.just("open"), st.just(0), st.integers(0, 200), st.integers(0, 2), st.integers(0, 2)
    ),
    st.tuples(st.just("reply"), st.integers(0, 5), st.integers(0, 200), st.integers(0, 2)),
    st.tuples(st.just("resolve"), st.integers(0, 5), st.integers(0, 200), st.integers(0, 2)),
    st.tuples(st.just("customer"), st.integers(0, 5), st.integers(0, 200)),
    st.tuples(st.just("status"), st.integers(0, 5), st.integers(0, 200), st.integers(0, 2)),
    st.tuples(st.just("assign"), st.integers(0, 5), st.integers(0, 200), st.integers(0, 2)),
    st.tuples(
        st.just("transfer"),
        st.integers(0, 5),
        st.integers(0, 200),
        st.integers(0, 1),
        st.integers(0, 1),
    ),
    st.tuples(st.just("priority"), st.integers(0, 5), st.integers(0, 200), st.integers(0, 3)),
    st.tuples(st.just("merge"), st.integers(0, 5), st.integers(0, 200), st.integers(0, 5)),
    st.tuples(st.just("misses"), st.just(0), st.integers(0, 200)),
    st.tuples(st.just("fold"), st.just(0), st.just(0)),
)


@settings(
    max_examples=int(os.environ.get("HELPMATE_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=14))
def test_a_generated_mix_folded_at_random_moments_matches_the_from_scratch_computation(
    personas: Personas, ops: list[Op]
) -> None:
    convs: list[Conversation] = []
    # Times only grow, as they do at a desk; "fold" runs the job between operations.
    ops = sorted(ops, key=lambda op: op[2])
    for op in ops:
        if op[0] == "fold":
            run_tally(lag=NO_LAG)
        else:
            run_ops(personas, [op], convs)
    assert_same_as_from_scratch(personas)  # part folded, part judged on the spot
    run_tally(lag=NO_LAG)
    incremental, days = tally_rows(), tally_days()
    run_tally(full=True)  # judges everything again and sums the days from scratch
    assert tally_rows() == incremental
    assert tally_days() == days
    assert_same_as_from_scratch(personas)


def test_folding_step_by_step_equals_folding_once(personas: Personas) -> None:
    convs: list[Conversation] = []
    steps = [op for ops in TIMELINES.values() for op in ops]
    for op in steps:
        run_ops(personas, [op], convs)
        run_tally(lag=NO_LAG)
    incremental, days = tally_rows(), tally_days()
    TargetTally.objects.all().delete()
    ConversationTally.objects.all().delete()
    TallyState.objects.all().delete()
    TallyDay.objects.all().delete()
    run_tally()
    assert tally_rows() == incremental
    assert tally_days() == days
    assert run_tally(lag=NO_LAG).conversations == 0  # nothing changed: nothing judged again


def test_a_reply_made_a_moment_ago_counts_before_the_job_runs(personas: Personas) -> None:
    conv = personas.conversation()
    run_tally(lag=NO_LAG)
    run_tally(lag=NO_LAG)  # the watermark passes the conversation's events
    start, end = conv.created_at - timedelta(days=1), conv.created_at + timedelta(days=1)
    assert attainment(start=start, end=end).overall.first_response.pending == 1
    desk.add_reply(conversation=conv, agent=personas.agent, text="On it.")
    assert changed_now() == stale_now() == {conv.pk}
    first = attainment(start=start, end=end).overall.first_response
    assert (first.met, first.pending) == (1, 0)
    run_tally(lag=NO_LAG)
    assert stale_now() == set()
    assert attainment(start=start, end=end).overall.first_response.met == 1


def test_a_pending_target_is_missed_once_its_due_time_passes(personas: Personas) -> None:
    run_ops(personas, [("open", 0, 1, 0, 0)], [])
    run_tally(lag=NO_LAG)
    (row,) = TargetTally.objects.filter(target="first_response")
    assert row.outcome == "pending"
    start, end = BASE, BASE + timedelta(days=1)
    before = attainment(start=start, end=end, now=row.due_at).overall.first_response
    after = attainment(start=start, end=end, now=row.due_at + timedelta(seconds=1))
    assert (before.pending, before.missed) == (1, 0)
    assert (after.overall.first_response.pending, after.overall.first_response.missed) == (0, 1)


def test_changes_outside_the_event_log_make_conversations_stale(personas: Personas) -> None:
    run_ops(personas, [("open", 0, 1, 0, 0), ("open", 0, 2, 1, 1)], [])
    run_tally(lag=NO_LAG)
    assert stale_now() == set()
    # A requester's kind decides their targets; changing it writes no conversation event.
    people.update_contact(
        contact=personas.customer,
        name=personas.customer.name,
        emails=[e.email for e in personas.customer.emails.all()],
        kind="supplier",
    )
    first = Conversation.objects.get(requester=personas.customer)
    assert changed_now() == stale_now() == {first.pk}
    assert_same_as_from_scratch(personas)
    # Loosening a target changes every due time: judged from scratch until the job refolds.
    service.save_target(actor=personas.admin, first_response=timedelta(hours=100))
    assert len(stale_now()) == 2
    assert TallyState.objects.get().rules != rules_fingerprint()
    assert_same_as_from_scratch(personas)
    assert run_tally(lag=NO_LAG).conversations == 2
    assert stale_now() == changed_now() == set()
    assert TallyState.objects.get().rules == rules_fingerprint()
    assert_same_as_from_scratch(personas)


def test_the_watermark_waits_for_late_commits(personas: Personas) -> None:
    personas.conversation()
    first = run_tally()
    assert first.folded_through == 0  # what it saw is promoted a minute later, by a later run
    assert TallyState.objects.get().seen_through > 0
    second = run_tally(lag=NO_LAG)
    assert second.folded_through == TallyState.objects.get().folded_through > 0


@pytest.mark.parametrize("n", [1, 6])
def test_the_report_reads_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries, n: int
) -> None:
    convs: list[Conversation] = []
    for i in range(n):
        run_ops(
            personas,
            [
                ("open", 0, i, i, i),
                ("reply", i, i + 1, i),
                ("customer", i, i + 2),
                ("resolve", i, i + 3, 0),
            ],
            convs,
        )
    run_tally(lag=NO_LAG)
    run_tally(lag=NO_LAG)
    attainment(start=BASE, end=BASE + timedelta(days=30))  # warm the calendar and target caches
    # state, teams (fingerprint), unfolded events, marked rows, whole days, the two end days,
    # pending targets, team and agent names
    with django_assert_max_num_queries(9):
        attainment(start=BASE, end=BASE + timedelta(days=30), team=personas.support)


def test_the_command_folds_and_the_worker_runs_the_job(personas: Personas, capsys) -> None:
    personas.conversation()
    call_command("service", "tally", "--no-progress")
    assert "1 conversations judged" in capsys.readouterr().out
    call_command("service", "tally", "--full", "--no-progress")
    assert "1 conversations judged" in capsys.readouterr().out
    assert JOBS["service.tally"].every == 60
    assert JOBS["service.tally"].func() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_folding_at_once_share_the_work(personas: Personas) -> None:
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("Concurrent workers need PostgreSQL (SQLite serialises writers anyway).")
    convs: list[Conversation] = []
    ops: list[Op] = []
    for i in range(24):
        ops += [("open", 0, i, i, i), ("reply", i, i + 1, i), ("customer", i, i + 2)]
        ops += [("resolve", i, i + 30, i)] if i % 3 else []
    run_ops(personas, ops, convs)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            run_tally(batch_size=3, lag=NO_LAG)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    run_tally(lag=NO_LAG)  # whatever one skipped because the other held it
    rows, days = tally_rows(), tally_days()
    assert ConversationTally.objects.count() == 24
    run_tally(full=True)
    assert (tally_rows(), tally_days()) == (rows, days)
    assert_same_as_from_scratch(personas)


@pytest.mark.django_db(transaction=True)
def test_rows_held_by_another_worker_are_skipped_and_the_watermark_waits(
    personas: Personas,
) -> None:
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("Row locks are PostgreSQL's (SQLite serialises writers).")
    conv = personas.conversation()
    run_tally(lag=NO_LAG)
    desk.add_reply(conversation=conv, agent=personas.agent, text="On it.")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                ConversationTally.objects.select_for_update().get(pk=conv.pk)
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    before = TallyState.objects.get()
    result = run_tally(lag=NO_LAG)
    release.set()
    holder.join()
    assert (result.conversations, result.skipped) == (0, 1)
    after = TallyState.objects.get()
    assert (after.folded_through, after.seen_through) == (
        before.folded_through,
        before.seen_through,
    )
    assert changed_now() == {conv.pk}  # still read on the spot
    assert run_tally(lag=NO_LAG).conversations == 1
    assert changed_now() == set()
