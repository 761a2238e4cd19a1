"""Business time: the one module for due-time arithmetic ("4 business hours", "2 business days").

A calendar (``Cal``) is a time zone, weekly working hours and holidays. Working hours are
intervals of local wall-clock time per weekday; an interval may run past midnight (a night shift
``22:00-06:00`` belongs to the day it starts on). A holiday replaces the hours of its date: closed
all day, or a half day with its own intervals. Business time is real elapsed time inside working
intervals, so a night shift across a DST change lasts 7 or 9 hours.

Every function takes aware datetimes (any zone) and returns aware datetimes in UTC. Nothing loops
minute by minute: the functions walk the working intervals day by day (each day's intervals are
computed once per calendar and cached).

``calendar_for(team)`` gives the team's calendar, or the desk's default one (Mon-Fri 09:00-17:00
in ``HELPMATE_DEFAULT_TIME_ZONE``); the result is cached per process, dropped when a calendar,
holiday or team assignment is saved here, and re-read after ``CACHE_SECONDS`` so that changes
made by another process arrive too.
"""

from __future__ import annotations

import threading
import time as _time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from helpmate.service.hours import (
    DAY_MINUTES,
    WEEKDAYS,
    CalendarError,
    Interval,
    _fmt,
    default_hours,
    parse_hours,
    parse_interval,
    zone,
)

if TYPE_CHECKING:
    from helpmate.people.models import Team

__all__ = [
    "DAY_MINUTES",
    "WEEKDAYS",
    "Cal",
    "CalendarError",
    "add_business_days",
    "add_business_time",
    "business_time_between",
    "calendar_for",
    "default_calendar",
    "default_hours",
    "end_of_business_day",
    "invalidate_cache",
    "is_open",
    "make_calendar",
    "next_open",
    "parse_hours",
    "parse_interval",
    "start_of_business_day",
    "zone",
]

MAX_DAYS = 366 * 3  # how far a walk looks for working time before giving up
CACHE_SECONDS = 60.0

Span = tuple[datetime, datetime]  # UTC


# --- the calendar object ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Cal:
    """An immutable business calendar. ``week[0]`` is Monday; ``holidays`` maps a local date to
    the intervals worked that day (empty: closed all day)."""

    name: str
    tz: ZoneInfo
    week: tuple[tuple[Interval, ...], ...]
    holidays: Mapping[date, tuple[Interval, ...]] = field(default_factory=dict)
    pk: int | None = None
    holiday_names: Mapping[date, str] = field(default_factory=dict)
    _days: dict[date, tuple[Span, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise CalendarError("A week has seven days of hours.")
        if not any(self.week):
            raise CalendarError("A calendar needs working hours on at least one weekday.")

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The local intervals that start on ``day`` (a holiday's own hours if it is one)."""
        if day in self.holidays:
            return self.holidays[day]
        return self.week[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        return bool(self.hours_on(day))

    def spans(self, day: date) -> tuple[Span, ...]:
        """The working intervals starting on local ``day``, in UTC (cached)."""
        found = self._days.get(day)
        if found is None:
            if len(self._days) > 20000:
                self._days.clear()
            spans = [
                (self._at(day, start), self._at(day, end)) for start, end in self.hours_on(day)
            ]
            # A DST gap can swallow a short interval (its ends map to the same instant or even
            # cross): drop those, then merge what overlaps.
            merged: list[Span] = []
            for span_start, span_end in sorted(s for s in spans if s[1] > s[0]):
                if merged and span_start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], span_end))
                else:
                    merged.append((span_start, span_end))
            found = tuple(merged)
            self._days[day] = found
        return found

    def _at(self, day: date, minutes: int) -> datetime:
        """Local wall-clock ``day`` + ``minutes`` (may pass midnight) as a UTC instant."""
        local_day = day + timedelta(days=minutes // DAY_MINUTES)
        rest = minutes % DAY_MINUTES
        wall = datetime.combine(local_day, dtime(rest // 60, rest % 60), tzinfo=self.tz)
        return wall.astimezone(UTC)

    def local_day(self, at: datetime) -> date:
        return _aware(at).astimezone(self.tz).date()

    def describe(self) -> dict[str, Any]:
        """Plain data (for the API and the admin pages)."""
        return {
            "name": self.name,
            "time_zone": self.tz.key,
            "hours": {WEEKDAYS[i]: [_fmt(iv) for iv in ivs] for i, ivs in enumerate(self.week)},
            "holidays": [
                {
                    "date": d.isoformat(),
                    "name": self.holiday_names.get(d, ""),
                    "hours": [_fmt(iv) for iv in ivs],
                }
                for d, ivs in sorted(self.holidays.items())
            ],
        }


def make_calendar(
    *,
    time_zone: str,
    hours: Mapping[str, Sequence[str] | str],
    holidays: Mapping[date, Sequence[str] | str] | None = None,
    name: str = "Calendar",
    pk: int | None = None,
    holiday_names: Mapping[date, str] | None = None,
) -> Cal:
    """Build a calendar from plain data: ``hours={"mon": ["09:00-17:00"], ...}`` (missing days
    are closed), ``holidays={date(2026, 12, 25): [], date(2026, 12, 24): ["09:00-13:00"]}``."""
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise CalendarError(f"Unknown weekday {sorted(unknown)[0]!r}: use mon, tue, ... sun.")
    week = tuple(parse_hours(hours.get(day, ())) for day in WEEKDAYS)
    days = {d: parse_hours(h) for d, h in (holidays or {}).items()}
    return Cal(
        name=name,
        tz=zone(time_zone),
        week=week,
        holidays=days,
        pk=pk,
        holiday_names=dict(holiday_names or {}),
    )


def default_calendar() -> Cal:
    """Mon-Fri 09:00-17:00 in ``HELPMATE_DEFAULT_TIME_ZONE`` (used when nothing is configured)."""
    from django.conf import settings

    tz = getattr(settings, "HELPMATE_DEFAULT_TIME_ZONE", "Europe/London")
    return make_calendar(time_zone=tz, hours=default_hours(), name="Default")


# --- walking working intervals ---------------------------------------------------------------


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise CalendarError("Business-time functions need aware datetimes.")
    return at


def _utc(at: datetime) -> datetime:
    return _aware(at).astimezone(UTC)


def _forward(cal: Cal, at: datetime) -> Iterator[Span]:
    """Working intervals (merged where they touch) that end after ``at``, in order."""
    day = cal.local_day(at) - timedelta(days=2)  # a night shift may have started earlier
    current: Span | None = None
    for _ in range(MAX_DAYS):
        for start, end in cal.spans(day):
            if current is not None and start <= current[1]:
                current = (current[0], max(current[1], end))
                continue
            if current is not None and current[1] > at:
                yield current
            current = (start, end)
        day += timedelta(days=1)
    if current is not None and current[1] > at:
        yield current
    raise CalendarError(f"No working time in {cal.name!r} within {MAX_DAYS} days of {at}.")


def is_open(at: datetime, cal: Cal) -> bool:
    """Whether ``at`` falls inside working hours (an interval's start is open, its end is not)."""
    at = _utc(at)
    for start, _end in _forward(cal, at):
        return start <= at
    return False  # pragma: no cover (_forward raises first)


def next_open(at: datetime, cal: Cal) -> datetime:
    """``at`` itself if open, else when work starts next."""
    at = _utc(at)
    for start, _end in _forward(cal, at):
        return max(start, at)
    raise AssertionError("unreachable")  # pragma: no cover


def add_business_time(start: datetime, delta: timedelta, cal: Cal) -> datetime:
    """The instant when ``delta`` of working time has passed since ``start``.

    Time outside working hours does not count; the result may be the very end of an interval
    (4 h from 13:00 with hours 09:00-17:00 is 17:00 that day, not 09:00 the next). ``delta`` of
    zero returns ``start``; a negative delta is an error.
    """
    start = _utc(start)
    if delta < timedelta(0):
        raise CalendarError("Business time to add must not be negative.")
    if not delta:
        return start
    remaining = delta
    for span_start, span_end in _forward(cal, start):
        begin = max(span_start, start)
        if span_end - begin >= remaining:
            return begin + remaining
        remaining -= span_end - begin
    raise AssertionError("unreachable")  # pragma: no cover


def business_time_between(a: datetime, b: datetime, cal: Cal) -> timedelta:
    """Working time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    a, b = _utc(a), _utc(b)
    if b < a:
        return -business_time_between(b, a, cal)
    total = timedelta(0)
    for span_start, span_end in _forward(cal, a):
        if span_start >= b:
            break
        total += min(span_end, b) - max(span_start, a)
    return total


def _business_day_of(at: datetime, cal: Cal) -> tuple[date, int]:
    """The working day ``at`` belongs to and its minute relative to that day's local midnight:
    inside a night shift that began the day before, that earlier day (minute >= 1440)."""
    local = at.astimezone(cal.tz)
    day = local.date()
    minute = local.hour * 60 + local.minute
    yesterday = day - timedelta(days=1)
    for span_start, span_end in cal.spans(yesterday):
        if span_start <= at < span_end:
            return yesterday, minute + DAY_MINUTES
    return day, minute


def _clamp(cal: Cal, day: date, minute: int, seconds: float) -> datetime:
    """Local ``day`` at ``minute`` (plus seconds), moved into that day's working window: before
    the first interval to its start, in a gap to the next interval's start, after the last to
    the end of the last."""
    for start, end in cal.hours_on(day):
        span_start, span_end = cal._at(day, start), cal._at(day, end)
        if span_end <= span_start:
            continue  # swallowed by a DST gap
        if minute < start:
            return span_start
        if minute < end:
            at = cal._at(day, minute) + timedelta(seconds=seconds)
            return min(max(at, span_start), span_end)
    return cal.spans(day)[-1][1]


def add_business_days(start: datetime, days: int, cal: Cal) -> datetime:
    """ "N business days" from ``start``: the same local time of day on the N-th working day
    after the working day ``start`` belongs to, clamped into that day's working window.

    A working day is a date with working hours (holidays with no hours are skipped; a half day
    counts). The working day of an instant is its local date, or the previous date when it falls
    in a night shift that started then. Examples with Mon-Fri 09:00-17:00: Monday 10:30 + 2 is
    Wednesday 10:30; Friday 18:00 + 2 is Tuesday 17:00 (the time clamped to the window);
    Saturday 11:00 + 1 is Monday 11:00; Thursday 07:00 + 1 is Friday 09:00. ``days=0`` is
    ``next_open(start)``.
    """
    start = _utc(start)
    if days < 0:
        raise CalendarError("Business days to add must not be negative.")
    if days == 0:
        return next_open(start, cal)
    day, minute = _business_day_of(start, cal)
    seconds = start.second + start.microsecond / 1_000_000
    for _ in range(MAX_DAYS):
        day += timedelta(days=1)
        if cal.is_working_day(day) and cal.spans(day):
            days -= 1
            if days == 0:
                return _clamp(cal, day, minute, seconds)
    raise CalendarError(f"No working day in {cal.name!r} within {MAX_DAYS} days.")


def _day_of(day: date | datetime, cal: Cal) -> date:
    return cal.local_day(day) if isinstance(day, datetime) else day


def _working_spans(day: date | datetime, cal: Cal) -> tuple[Span, ...]:
    current = _day_of(day, cal)
    for _ in range(MAX_DAYS):
        spans = cal.spans(current)
        if spans:
            return spans
        current += timedelta(days=1)
    raise CalendarError(f"No working day in {cal.name!r} within {MAX_DAYS} days.")


def start_of_business_day(day: date | datetime, cal: Cal) -> datetime:
    """When work starts on ``day`` (a local date, or an instant whose local date is used); on a
    closed day, when work starts on the next working day."""
    return _working_spans(day, cal)[0][0]


def end_of_business_day(day: date | datetime, cal: Cal) -> datetime:
    """When work ends on ``day`` ("by end of business"); the end of the last interval starting
    that day (a night shift ends the next morning). On a closed day, the next working day's end."""
    return _working_spans(day, cal)[-1][1]


# --- calendars of teams (cached per process) -------------------------------------------------

_lock = threading.Lock()
_cache: dict[Any, tuple[float, Cal]] = {}


def invalidate_cache(*_args: Any, **_kwargs: Any) -> None:
    """Forget every cached calendar (connected to saves of calendars, holidays, team links)."""
    with _lock:
        _cache.clear()


def calendar_for(team: Team | int | None) -> Cal:
    """The business calendar of ``team`` (a Team, its id, or None): its own, else the desk's
    default calendar (the one marked default in the admin pages, else Mon-Fri 09:00-17:00 in
    ``HELPMATE_DEFAULT_TIME_ZONE``)."""
    team_id = team if isinstance(team, int) or team is None else team.pk
    now = _time.monotonic()
    with _lock:
        hit = _cache.get(team_id)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    cal = _load(team_id)
    with _lock:
        _cache[team_id] = (now, cal)
    return cal


def _load(team_id: int | None) -> Cal:
    from helpmate.service.models import BusinessCalendar, TeamService

    row = None
    if team_id is not None:
        link = (
            TeamService.objects.filter(team_id=team_id, calendar__isnull=False)
            .select_related("calendar")
            .first()
        )
        row = link.calendar if link is not None else None
    if row is None:
        row = BusinessCalendar.objects.filter(is_default=True).order_by("pk").first()
    return row.to_cal() if row is not None else default_calendar()
