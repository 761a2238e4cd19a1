"""Properties of business-time arithmetic over random calendars and instants (hypothesis)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpmate.service.calendar import (
    DAY_MINUTES,
    WEEKDAYS,
    Cal,
    add_business_days,
    add_business_time,
    business_time_between,
    end_of_business_day,
    is_open,
    make_calendar,
    next_open,
    parse_hours,
    start_of_business_day,
)

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
# Around the DST changes of 2026 and 2027 in the zones above, plus ordinary weeks.
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 12, 31, tzinfo=UTC)
TINY = timedelta(microseconds=1)


def _fmt(minute: int) -> str:
    minute %= DAY_MINUTES
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def day_hours(draw: st.DrawFn) -> list[str]:
    """Zero to three non-overlapping intervals (15-minute grid); the last may run overnight."""
    count = draw(st.integers(0, 3))
    cuts = sorted(
        draw(st.lists(st.integers(0, 95), min_size=2 * count, max_size=2 * count, unique=True))
    )
    intervals = [(cuts[i] * 15, cuts[i + 1] * 15) for i in range(0, len(cuts), 2)]
    hours = [f"{_fmt(s)}-{_fmt(e)}" for s, e in intervals]
    if hours and draw(st.booleans()):
        # Turn the last one into a night shift ending the next morning (before the day's first).
        first_start = intervals[0][0]
        last_start = intervals[-1][0]
        end = draw(st.integers(0, max(0, first_start // 15))) * 15
        if end < first_start or len(intervals) == 1:
            hours[-1] = f"{_fmt(last_start)}-{_fmt(end)}" if end != last_start else hours[-1]
    return hours


@st.composite
def calendars(draw: st.DrawFn) -> Cal:
    hours = {day: draw(day_hours()) for day in WEEKDAYS}
    holidays = {}
    for _ in range(draw(st.integers(0, 6))):
        day = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
        holidays[day] = draw(st.sampled_from([[], ["09:00-13:00"], ["23:00-01:00"]]))
    # At least two working hours a week, so 200 h fit in the three years a walk looks ahead.
    if sum(end - start for day in hours.values() for start, end in parse_hours(day)) < 120:
        hours["wed"] = []
        hours["thu"] = ["13:00-15:00"]
    return make_calendar(time_zone=draw(st.sampled_from(ZONES)), hours=hours, holidays=holidays)


instants = st.datetimes(
    min_value=START.replace(tzinfo=None), max_value=END.replace(tzinfo=None), timezones=st.just(UTC)
)
deltas = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))
fast = settings(
    max_examples=int(os.environ.get("HELPMATE_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _interval_containing(cal: Cal, at: datetime) -> tuple[date, tuple[datetime, datetime]] | None:
    """Brute force over the spans of the surrounding days (the reference for 'open')."""
    day = cal.local_day(at)
    for offset in (-2, -1, 0, 1):
        d = day + timedelta(days=offset)
        for span in cal.spans(d):
            if span[0] <= at < span[1]:
                return d, span
    return None


@fast
@given(cal=calendars(), start=instants, delta=deltas)
def test_adding_then_measuring_gives_back_the_same_business_time(cal, start, delta) -> None:
    due = add_business_time(start, delta, cal)
    assert due >= start
    assert due.tzinfo is UTC
    assert business_time_between(start, due, cal) == delta


@fast
@given(cal=calendars(), start=instants, delta=deltas.filter(bool))
def test_a_due_time_is_never_outside_working_hours_nor_on_a_closed_holiday(
    cal, start, delta
) -> None:
    due = add_business_time(start, delta, cal)
    found = _interval_containing(cal, due - TINY)  # the due time closes a working stretch
    assert found is not None
    day, _ = found
    assert cal.hours_on(day), "landed on a day without working hours"


@fast
@given(cal=calendars(), start=instants, a=deltas, b=deltas)
def test_more_business_time_never_gives_an_earlier_due_time(cal, start, a, b) -> None:
    small, big = sorted((a, b))
    assert add_business_time(start, small, cal) <= add_business_time(start, big, cal)


@fast
@given(cal=calendars(), a=instants, b=instants, delta=deltas)
def test_a_later_start_never_gives_an_earlier_due_time(cal, a, b, delta) -> None:
    early, late = sorted((a, b))
    assert add_business_time(early, delta, cal) <= add_business_time(late, delta, cal)


@fast
@given(cal=calendars(), a=instants, gap1=deltas, gap2=deltas)
def test_business_time_adds_up_over_consecutive_stretches(cal, a, gap1, gap2) -> None:
    b = a + gap1
    c = b + gap2
    total = business_time_between(a, c, cal)
    assert total == business_time_between(a, b, cal) + business_time_between(b, c, cal)
    assert timedelta(0) <= total <= c - a
    assert business_time_between(c, a, cal) == -total


@fast
@given(cal=calendars(), at=instants)
def test_is_open_matches_the_working_intervals_and_next_open_is_open(cal, at) -> None:
    assert is_open(at, cal) is (_interval_containing(cal, at) is not None)
    nxt = next_open(at, cal)
    assert nxt >= at
    assert is_open(nxt, cal)
    # Nothing is open between at and next_open.
    assert business_time_between(at, nxt, cal) == timedelta(0)


@fast
@given(cal=calendars(), start=instants, days=st.integers(0, 15))
def test_business_days_land_in_the_window_of_a_working_day_and_grow_with_days(
    cal, start, days
) -> None:
    due = add_business_days(start, days, cal)
    assert due >= start
    assert is_open(due, cal) or _interval_containing(cal, due - TINY) is not None
    if days:
        assert due <= add_business_days(start, days + 1, cal)


@fast
@given(cal=calendars(), at=instants)
def test_start_and_end_of_business_day_bracket_that_days_working_time(cal, at) -> None:
    day = cal.local_day(at)
    opening = start_of_business_day(day, cal)
    closing = end_of_business_day(day, cal)
    assert opening < closing
    assert is_open(opening, cal)
    assert not is_open(closing, cal) or _interval_containing(cal, closing) is not None
    assert cal.local_day(opening) >= day


@fast
@given(
    cal=calendars(),
    start=instants,
    delta=deltas,
    customer_zone=st.sampled_from(["America/Los_Angeles", "Asia/Tokyo", "Europe/Lisbon"]),
)
def test_the_customers_time_zone_changes_nothing_but_how_the_instant_is_written(
    cal, start, delta, customer_zone
) -> None:
    from zoneinfo import ZoneInfo

    theirs = start.astimezone(ZoneInfo(customer_zone))
    assert add_business_time(theirs, delta, cal) == add_business_time(start, delta, cal)
    assert add_business_days(theirs, 2, cal) == add_business_days(start, 2, cal)
    assert is_open(theirs, cal) is is_open(start, cal)
