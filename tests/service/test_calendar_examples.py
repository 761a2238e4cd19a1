"""Hand-checked examples of business-time arithmetic (each row worked out on paper)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpmate.service.calendar import (
    CalendarError,
    add_business_days,
    add_business_time,
    business_time_between,
    end_of_business_day,
    is_open,
    make_calendar,
    next_open,
    parse_interval,
    start_of_business_day,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

OFFICE = make_calendar(
    time_zone="Europe/London",
    hours={d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    holidays={date(2026, 12, 25): [], date(2026, 12, 24): ["09:00-13:00"]},
    name="office",
)
LUNCH = make_calendar(
    time_zone="America/New_York",
    hours={d: ["09:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
)
NIGHTS = make_calendar(
    time_zone="Europe/London",
    hours={d: ["22:00-06:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
)
SYDNEY = make_calendar(
    time_zone="Australia/Sydney", hours={d: ["08:00-18:00"] for d in ("mon", "tue", "wed")}
)


def lon(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)  # type: ignore[misc]


H = timedelta(hours=1)

ADD_TIME = [
    # (calendar, start, delta, expected)
    (OFFICE, lon(2026, 11, 23, 10, 0), 4 * H, lon(2026, 11, 23, 14, 0)),  # Monday, same day
    (OFFICE, lon(2026, 11, 23, 13, 0), 4 * H, lon(2026, 11, 23, 17, 0)),  # ends at closing
    (OFFICE, lon(2026, 11, 23, 16, 0), 4 * H, lon(2026, 11, 24, 12, 0)),  # next morning
    (OFFICE, lon(2026, 11, 27, 16, 0), 2 * H, lon(2026, 11, 30, 10, 0)),  # Friday -> Monday
    (OFFICE, lon(2026, 11, 28, 11, 0), 1 * H, lon(2026, 11, 30, 10, 0)),  # from Saturday
    (OFFICE, lon(2026, 11, 23, 7, 0), 1 * H, lon(2026, 11, 23, 10, 0)),  # before opening
    (OFFICE, lon(2026, 11, 23, 20, 0), 8 * H, lon(2026, 11, 24, 17, 0)),  # a full day
    (OFFICE, lon(2026, 12, 23, 16, 0), 5 * H, lon(2026, 12, 24, 13, 0)),  # half day
    (OFFICE, lon(2026, 12, 23, 16, 0), 6 * H, lon(2026, 12, 28, 10, 0)),  # half day, holiday
    (OFFICE, lon(2026, 3, 27, 16, 0), 2 * H, lon(2026, 3, 30, 10, 0)),  # across BST start
    (OFFICE, lon(2026, 10, 23, 16, 0), 2 * H, lon(2026, 10, 26, 10, 0)),  # across BST end
    (LUNCH, ny(2026, 11, 23, 11, 0), 2 * H, ny(2026, 11, 23, 14, 0)),  # skips lunch
    (LUNCH, ny(2026, 11, 23, 12, 30), H, ny(2026, 11, 23, 14, 0)),  # starts in lunch
    (NIGHTS, lon(2026, 11, 23, 23, 0), 4 * H, lon(2026, 11, 24, 3, 0)),  # inside a shift
    (NIGHTS, lon(2026, 11, 24, 5, 0), 2 * H, lon(2026, 11, 24, 23, 0)),  # shift to shift
    (NIGHTS, lon(2026, 11, 28, 5, 0), 2 * H, lon(2026, 11, 30, 23, 0)),  # Sat/Sun nights off
    (NIGHTS, lon(2026, 10, 23, 22, 0), 9 * H, lon(2026, 10, 26, 23, 0)),  # Fri night 8h
    (
        SYDNEY,
        datetime(2026, 11, 23, 0, 0, tzinfo=UTC),
        H,
        datetime(2026, 11, 23, 0, 0, tzinfo=UTC) + H,
    ),
    (OFFICE, lon(2026, 11, 23, 10, 0), timedelta(0), lon(2026, 11, 23, 10, 0)),
]


@pytest.mark.parametrize(("cal", "start", "delta", "expected"), ADD_TIME)
def test_add_business_time_hand_checked(cal, start, delta, expected) -> None:
    got = add_business_time(start, delta, cal)
    assert got == expected
    assert got.tzinfo is UTC
    assert business_time_between(start, got, cal) == delta


def test_night_shift_across_the_autumn_change_lasts_nine_hours() -> None:
    # Europe/London falls back at 02:00 BST on Sunday 25 October 2026: a Saturday-night shift
    # would be 9 h; the calendar has Sun 22:00-Mon 06:00 as a normal 8 h night.
    cal = make_calendar(time_zone="Europe/London", hours={"sat": ["22:00-06:00"]})
    start = lon(2026, 10, 24, 22, 0)
    end = lon(2026, 10, 25, 6, 0)
    assert business_time_between(start, end, cal) == 9 * H
    spring = make_calendar(time_zone="Europe/London", hours={"sat": ["22:00-06:00"]})
    assert business_time_between(lon(2026, 3, 28, 22), lon(2026, 3, 29, 6), spring) == 7 * H


ADD_DAYS = [
    (OFFICE, lon(2026, 11, 23, 10, 30), 2, lon(2026, 11, 25, 10, 30)),  # Mon -> Wed
    (OFFICE, lon(2026, 11, 27, 18, 0), 2, lon(2026, 12, 1, 17, 0)),  # Fri evening -> Tue 17:00
    (OFFICE, lon(2026, 11, 28, 11, 0), 1, lon(2026, 11, 30, 11, 0)),  # Sat -> Mon
    (OFFICE, lon(2026, 11, 26, 7, 0), 1, lon(2026, 11, 27, 9, 0)),  # early -> clamped to 09:00
    (OFFICE, lon(2026, 12, 23, 15, 0), 1, lon(2026, 12, 24, 13, 0)),  # half day clamps to 13:00
    (OFFICE, lon(2026, 12, 23, 15, 0), 2, lon(2026, 12, 28, 15, 0)),  # skips Christmas, weekend
    (OFFICE, lon(2026, 11, 28, 11, 0), 0, lon(2026, 11, 30, 9, 0)),  # 0 days: next opening
    (LUNCH, ny(2026, 11, 23, 12, 30), 1, ny(2026, 11, 24, 13, 0)),  # lunch -> afternoon start
    (NIGHTS, lon(2026, 11, 24, 3, 0), 1, lon(2026, 11, 25, 3, 0)),  # Mon night -> Tue night
    (NIGHTS, lon(2026, 11, 28, 3, 0), 1, lon(2026, 12, 1, 3, 0)),  # Fri night -> Mon night
]


@pytest.mark.parametrize(("cal", "start", "days", "expected"), ADD_DAYS)
def test_add_business_days_hand_checked(cal, start, days, expected) -> None:
    assert add_business_days(start, days, cal) == expected


@pytest.mark.parametrize(
    ("cal", "at", "open_", "next_"),
    [
        (OFFICE, lon(2026, 11, 23, 9, 0), True, lon(2026, 11, 23, 9, 0)),
        (OFFICE, lon(2026, 11, 23, 17, 0), False, lon(2026, 11, 24, 9, 0)),
        (OFFICE, lon(2026, 12, 25, 10, 0), False, lon(2026, 12, 28, 9, 0)),
        (OFFICE, lon(2026, 12, 24, 14, 0), False, lon(2026, 12, 28, 9, 0)),
        (NIGHTS, lon(2026, 11, 24, 5, 59), True, lon(2026, 11, 24, 5, 59)),
        (NIGHTS, lon(2026, 11, 28, 5, 0), True, lon(2026, 11, 28, 5, 0)),  # Fri night shift
        (NIGHTS, lon(2026, 11, 29, 5, 0), False, lon(2026, 11, 30, 22, 0)),
        (LUNCH, ny(2026, 11, 23, 12, 0), False, ny(2026, 11, 23, 13, 0)),
    ],
)
def test_is_open_and_next_open_hand_checked(cal, at, open_, next_) -> None:
    assert is_open(at, cal) is open_
    assert next_open(at, cal) == next_


def test_start_and_end_of_business_day() -> None:
    assert start_of_business_day(date(2026, 11, 23), OFFICE) == lon(2026, 11, 23, 9)
    assert end_of_business_day(date(2026, 11, 23), OFFICE) == lon(2026, 11, 23, 17)
    assert end_of_business_day(date(2026, 12, 24), OFFICE) == lon(2026, 12, 24, 13)
    # A closed day answers with the next working day.
    assert end_of_business_day(date(2026, 12, 25), OFFICE) == lon(2026, 12, 28, 17)
    assert start_of_business_day(date(2026, 11, 28), OFFICE) == lon(2026, 11, 30, 9)
    # An instant is read as its local date in the calendar's zone: 23:30 in New York on Monday
    # is already Tuesday in London.
    assert end_of_business_day(ny(2026, 11, 23, 23, 30), OFFICE) == lon(2026, 11, 24, 17)
    assert end_of_business_day(date(2026, 11, 23), NIGHTS) == lon(2026, 11, 24, 6)


def test_customer_and_team_time_zones_meet_in_utc() -> None:
    # A New York customer writes at 09:00 their time (14:00 in London): 4 business hours of a
    # London team end at 10:00 the next London morning, 05:00 in New York.
    due = add_business_time(ny(2026, 11, 23, 9), 4 * H, OFFICE)
    assert due == lon(2026, 11, 24, 10)
    assert due.astimezone(NEW_YORK).hour == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [("09:00-17:00", (540, 1020)), ("22:00-06:00", (1320, 1800)), ("00:00-24:00", (0, 1440))],
)
def test_parse_interval(text, expected) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize(
    "bad",
    ["9-17", "25:00-26:00", "09:00", "09:60-10:00", "24:00-02:00", "nine-five"],
)
def test_bad_hours_are_refused_with_a_message(bad) -> None:
    with pytest.raises(CalendarError):
        parse_interval(bad)


def test_calendar_without_hours_and_naive_datetimes_are_refused() -> None:
    with pytest.raises(CalendarError, match="at least one weekday"):
        make_calendar(time_zone="UTC", hours={})
    with pytest.raises(CalendarError, match="time zone"):
        make_calendar(time_zone="Mars/Olympus", hours={"mon": ["09:00-17:00"]})
    with pytest.raises(CalendarError, match="overlap"):
        make_calendar(time_zone="UTC", hours={"mon": ["09:00-12:00", "11:00-17:00"]})
    with pytest.raises(CalendarError, match="aware"):
        is_open(datetime(2026, 11, 23, 10), OFFICE)
    with pytest.raises(CalendarError, match="negative"):
        add_business_time(lon(2026, 11, 23, 10), -H, OFFICE)
