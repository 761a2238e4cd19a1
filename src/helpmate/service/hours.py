"""Working hours as text and numbers: ``"09:00-17:00"`` <-> minutes from local midnight.

Part of the business-time module (``helpmate.service.calendar`` re-exports every name here).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60

Interval = tuple[int, int]  # minutes from local midnight of the day it starts; end may pass 1440


class CalendarError(ValueError):
    """Bad calendar data (hours, time zone) or an impossible question (no working time at all)."""


def _fmt(interval: Interval) -> str:
    start, end = interval
    end = end if end <= DAY_MINUTES else end - DAY_MINUTES
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _minutes(text: str) -> int:
    try:
        hours, minutes = text.strip().split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError as exc:
        raise CalendarError(f"{text!r} is not a time like 09:00.") from exc
    if not (0 <= int(minutes) < 60 and 0 <= value <= DAY_MINUTES):
        raise CalendarError(f"{text!r} is not a time between 00:00 and 24:00.")
    return value


def parse_interval(text: str) -> Interval:
    """``"09:00-17:00"`` -> (540, 1020); ``"22:00-06:00"`` runs past midnight -> (1320, 1800)."""
    if "-" not in text:
        raise CalendarError(f"{text!r} is not a time range like 09:00-17:00.")
    first, second = text.split("-", 1)
    start, end = _minutes(first), _minutes(second)
    if start == DAY_MINUTES:
        raise CalendarError(f"{text!r} starts at 24:00; start at 00:00 of the next day.")
    if end <= start:
        end += DAY_MINUTES  # overnight
    return start, end


def parse_hours(items: Sequence[str] | str) -> tuple[Interval, ...]:
    """One day's intervals from ``["09:00-12:30", "13:30-17:00"]`` or ``"09:00-12:30, ..."``;
    sorted, checked not to overlap."""
    if isinstance(items, str):
        items = [part for part in items.replace(";", ",").split(",") if part.strip()]
    intervals = sorted(parse_interval(item) for item in items)
    for (_, end), (start, _) in pairwise(intervals):
        if start < end:
            raise CalendarError("Working hours of one day must not overlap.")
    if intervals and intervals[-1][1] - intervals[0][0] > 2 * DAY_MINUTES:
        raise CalendarError("One day's hours cannot reach past the next day.")
    return tuple(intervals)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(f"{name!r} is not a known time zone (e.g. Europe/London).") from exc


def default_hours() -> dict[str, list[str]]:
    return {day: ["09:00-17:00"] for day in WEEKDAYS[:5]}
